"""SARIF 2.1.0 for code-scanning upload: a rule per registered check, a result per finding."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from igny8_refactor.audit.baseline import fingerprints, json_text, raw_bytes
from igny8_refactor.audit.check_pages import MissingPage, page, plain, section
from igny8_refactor.audit.findings import Finding, InputError

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "igny8-refactor"
FINGERPRINT_KEY = "igny8Fingerprint/v1"
SRCROOT = "%SRCROOT%"
LISTS_RULES = True  # `render` is given the enabled rules (audit.report.render)


def _tool_metadata() -> tuple[str, str]:
    """(version, home page) of the installed distribution."""
    try:
        meta = metadata.metadata(TOOL_NAME)
    except metadata.PackageNotFoundError:
        return "0+unknown", f"https://pypi.org/project/{TOOL_NAME}/"
    home = meta.get("Home-page") or ""
    if not home:
        for entry in meta.get_all("Project-URL") or []:
            home = entry.split(",", 1)[-1].strip()
            break
    return meta.get("Version") or "0+unknown", home or f"https://pypi.org/project/{TOOL_NAME}/"


def _help_uri(home: str, kind: str) -> str:
    home = home.rstrip("/")
    if home.startswith("https://github.com/"):
        return f"{home}/blob/HEAD/audit/checks/{kind.replace('-', '_')}.py"  # the rule, with its page
    return f"{home}#{kind}"


def _unwrap(text: str) -> str:
    """Join hard-wrapped lines into one line per paragraph or list item."""
    return re.sub(r"(?<=\S)\n(?![\n-]|\s*\n)\s*", " ", text.strip())


def _level(check) -> str:
    return "warning" if check.kind == "unused-suppression" else "error"


def _checks(checks) -> list:
    if checks is None:
        from igny8_refactor.audit.checks import load_checks

        checks = load_checks()
    if isinstance(checks, dict):
        checks = checks.values()
    return sorted(checks, key=lambda c: c.code)


def _rule(check, home: str) -> dict:
    try:
        text = page(check.kind)
    except MissingPage:
        text = f"# {check.code} {check.kind}\n\n{check.summary()}\n"
    summary = check.summary() or check.kind
    full = section(text, "What it flags") or summary
    return {
        "id": check.code,
        "name": check.kind,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _unwrap(plain(full))},
        "help": {"text": plain(text), "markdown": text},
        "helpUri": _help_uri(home, check.kind),
        "defaultConfiguration": {"level": _level(check)},
        "properties": {"tags": ["maintainability"], "fixable": bool(getattr(check, "fixable", False))},
    }


def _uri(path: str) -> str:
    return quote(raw_bytes(path.replace(os.sep, "/")), safe="/")


def _location(path: str, root: str, line: int | None = None, column: int | None = None) -> dict:
    rel = os.path.relpath(os.path.abspath(path), root)
    physical: dict = {"artifactLocation": {"uri": _uri(rel), "uriBaseId": SRCROOT}}
    if line:
        region = {"startLine": line}
        if column:
            region["startColumn"] = column
        physical["region"] = region
    return {"physicalLocation": physical}


def render(findings: Iterable[Finding], errors: Iterable[InputError] = (), checks=None, root=None) -> str:
    """`root`: the folder `%SRCROOT%` names (the git repository's root); the current one without it."""
    root = os.path.abspath(root or ".")
    findings = sorted(findings)
    errors = list(errors)
    version, home = _tool_metadata()
    rules = []
    index_of: dict[str, int] = {}
    level_of: dict[str, str] = {}
    for check in _checks(checks):
        index_of[check.code] = len(rules)
        level_of[check.code] = _level(check)
        rules.append(_rule(check, home))
    results = []
    for finding, fp in zip(findings, fingerprints(findings, root)):
        result = {"ruleId": finding.code}
        if finding.code in index_of:
            result["ruleIndex"] = index_of[finding.code]
        result.update(
            {
                "level": level_of.get(finding.code, "error"),
                "message": {"text": finding.message},
                "locations": [_location(finding.path, root, finding.line, finding.column)],
                "partialFingerprints": {FINGERPRINT_KEY: fp},
                "properties": {"kind": finding.kind, "symbol": finding.symbol, "fixable": finding.fixable},
            }
        )
        results.append(result)
    invocation = {
        "executionSuccessful": not errors,
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": error.reason}, "locations": [_location(error.path, root)]}
            for error in errors
        ],
    }
    run = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": version,
                "informationUri": home,
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(root).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json_text(document, indent=2) + "\n"
