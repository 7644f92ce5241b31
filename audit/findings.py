"""The Finding record: one problem at one place (the JSON keys of SPEC section 4)."""

from __future__ import annotations

from dataclasses import dataclass, field

from igny8_refactor.audit.records import Edit


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # relative to the current directory, "/"-separated
    line: int  # 1-based
    column: int  # 1-based, as ruff prints it
    code: str
    kind: str
    symbol: str  # dotted name concerned, e.g. "igny8_core.ai.settings.MODEL_CONFIG"
    message: str
    fixable: bool
    # not part of the report's keys: the source range the fix rewrites, and why there is no fix
    edit: Edit | None = field(default=None, compare=False, repr=False)
    note: str = field(default="", compare=False, repr=False)

    KEYS = ("kind", "code", "path", "line", "column", "symbol", "message", "fixable")

    def to_dict(self) -> dict:
        return {key: getattr(self, key) for key in self.KEYS}


@dataclass(frozen=True)
class InputError:
    """A file that could not be read or parsed: reported on stderr, never a finding."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
