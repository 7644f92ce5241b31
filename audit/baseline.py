"""Baselines: record today's findings so that only new ones fail the gate.

A fingerprint hashes code, path (relative to the baseline), symbol, the flagged line's text and its index among
equal ones: no line number, so code moving up or down keeps every fingerprint.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from igny8_refactor.audit.atomic import replace_file
from igny8_refactor.audit.findings import Finding
from igny8_refactor.audit.source import SourceError, read_source

FORMAT_VERSION = 1
_NEWLINE = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def raw_bytes(text: str) -> bytes:
    """`text` as UTF-8, a file name's undecodable bytes (surrogate escapes) given back as they were."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def json_text(document, **options) -> str:
    """`json.dumps(document, ensure_ascii=False)`, a file name's undecodable bytes (lone surrogates) written as
    `\\udcXX` escapes: the text is valid UTF-8 and `json.loads` gives back the same name."""
    text = json.dumps(document, ensure_ascii=False, **options)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message names the file."""


@dataclass(frozen=True)
class Baseline:
    root: str  # the directory paths and fingerprints are relative to
    fingerprints: frozenset[str]

    def __len__(self) -> int:
        return len(self.fingerprints)


def _source_lines(path: str) -> list[str]:
    """The file's lines, decoded and split as Python counts them; none for a file that cannot be read."""
    try:
        return _NEWLINE.split(read_source(path))
    except SourceError:
        return []


def _relative(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def fingerprints(findings: Sequence[Finding], root: str | os.PathLike = ".") -> list[str]:
    """One fingerprint per finding, in the order given; paths are taken relative to `root` (the baseline file's
    directory), so the same baseline works whatever the current directory is."""
    root = os.path.abspath(root)
    lines_of = functools.cache(_source_lines)  # each flagged file read once
    keys = []
    for finding in findings:
        lines = lines_of(finding.path)
        text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        keys.append((finding.code, _relative(finding.path, root), finding.symbol, " ".join(text.split())))
    seen: Counter = Counter()  # the occurrence index among equal keys, counted in file order
    occurrence = {}
    for index in sorted(range(len(findings)), key=lambda i: (findings[i].line, findings[i].column, i)):
        occurrence[index] = seen[keys[index]]
        seen[keys[index]] += 1
    payloads = ("\0".join((*key, str(occurrence[index]))) for index, key in enumerate(keys))
    return [hashlib.sha256(raw_bytes(payload)).hexdigest()[:32] for payload in payloads]


def write_baseline(findings: Iterable[Finding], path: str | os.PathLike) -> int:
    """Record `findings` in `path` (JSON, sorted, stable); return how many were recorded."""
    findings = list(findings)
    root = os.path.dirname(os.path.abspath(path))
    prints = fingerprints(findings, root)
    entries = sorted(
        (
            {
                "fingerprint": fp,
                "code": f.code,
                "kind": f.kind,
                "path": _relative(f.path, root),
                "symbol": f.symbol,
                "message": f.message,
            }
            for f, fp in zip(findings, prints)
        ),
        key=lambda e: (e["path"], e["code"], e["symbol"], e["fingerprint"]),
    )
    document = {"version": FORMAT_VERSION, "tool": "igny8-refactor", "findings": entries}
    try:
        replace_file(path, raw_bytes(json_text(document, indent=2) + "\n"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(entries)


def load_baseline(path: str | os.PathLike) -> Baseline:
    """Read a baseline written by `write_baseline`; BaselineError names the file and the problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: not a baseline file: not UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a baseline file: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{path}: not a baseline file: expected an object with a 'findings' list")
    if document.get("version") != FORMAT_VERSION:
        raise BaselineError(
            f"{path}: unsupported baseline version {document.get('version')!r} (expected {FORMAT_VERSION})"
        )
    prints = set()
    for number, entry in enumerate(document["findings"], 1):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str) or not fp:
            raise BaselineError(f"{path}: not a baseline file: entry {number} has no 'fingerprint'")
        prints.add(fp)
    return Baseline(root=os.path.dirname(os.path.abspath(path)), fingerprints=frozenset(prints))


def new_findings(findings: Sequence[Finding], baseline: Baseline) -> list[Finding]:
    """The findings whose fingerprint the baseline does not hold, in the order given."""
    findings = list(findings)
    prints = fingerprints(findings, baseline.root)
    return [f for f, fp in zip(findings, prints) if fp not in baseline.fingerprints]
