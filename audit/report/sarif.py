"""SARIF 2.1.0 for code-scanning upload: a rule per registered check, a result per finding."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from igny8_refactor import __version__
from igny8_refactor.audit.baseline import fingerprints, json_text, raw_bytes
from igny8_refactor.audit.check_pages import MissingPage, page, plain, section
from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.findings import Finding, InputError

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "igny8-refactor"
HOME = "https://github.com/igny8/igny8-refactor"
FINGERPRINT_KEY = "igny8Fingerprint/v1"
SRCROOT = "%SRCROOT%"
LISTS_RULES = True  # `render` is given the enabled rules (audit.report.render)


def _unwrap(text: str) -> str:
    """Join hard-wrapped lines into one line per paragraph or list item."""
    return re.sub(r"(?<=\S)\n(?![\n-]|\s*\n)\s*", " ", text.strip())


def _rule(check) -> dict:
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
        "helpUri": f"{HOME}/blob/HEAD/audit/checks/{check.kind.replace('-', '_')}.py",  # the rule, with its page
        "defaultConfiguration": {"level": check.level},
        "properties": {"tags": ["maintainability"], "fixable": bool(check.fixable)},
    }


def _location(path: str, root: str, line: int | None = None, column: int | None = None) -> dict:
    rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    physical: dict = {"artifactLocation": {"uri": quote(raw_bytes(rel), safe="/"), "uriBaseId": SRCROOT}}
    if line:
        region = {"startLine": line}
        if column:
            region["startColumn"] = column
        physical["region"] = region
    return {"physicalLocation": physical}


def render(findings: Iterable[Finding], errors: Iterable[InputError], checks: dict, root=None) -> str:
    """`root`: the folder `%SRCROOT%` names (the git repository's root); the current one without it."""
    root = os.path.abspath(root or ".")
    findings = sorted(findings)
    errors = list(errors)
    checks = sorted(checks.values(), key=lambda c: c.code)
    index_of = {check.code: n for n, check in enumerate(checks)}
    level = {check.kind: check.level for check in load_checks().values()}
    results = [
        {
            "ruleId": finding.code,
            **({"ruleIndex": index_of[finding.code]} if finding.code in index_of else {}),
            "level": level[finding.kind],
            "message": {"text": finding.message},
            "locations": [_location(finding.path, root, finding.line, finding.column)],
            "partialFingerprints": {FINGERPRINT_KEY: fp},
            "properties": {"kind": finding.kind, "symbol": finding.symbol, "fixable": finding.fixable},
        }
        for finding, fp in zip(findings, fingerprints(findings, root))
    ]
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
                "version": __version__,
                "informationUri": HOME,
                "rules": [_rule(check) for check in checks],
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(root).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json_text(document, indent=2) + "\n"
