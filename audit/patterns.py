"""The LibCST side of the per-file pass: runs every file check's visitor over one parsed module.

Also holds the predicates several checks share, so that one construct is reported by
exactly one check (the literal inside `getattr(settings, "DEFAULT_AI_MODEL", "gpt-4.1")`
belongs to settings-fallback, not to model-literal-default).
"""
from __future__ import annotations

import re
from functools import lru_cache

import libcst as cst
import libcst.matchers as m
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, QualifiedNameProvider

from audit.scan import ScanSettings, resolve_relative

DJANGO_SETTINGS = "django.conf.settings"
DEFAULT_MODEL_ATTR = re.compile(r"^_?default_?model$", re.IGNORECASE)
MODEL_KEYS = frozenset({"model"})
LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})


@lru_cache(maxsize=8)
def model_regex(patterns: tuple[str, ...]):
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{p})" for p in patterns))


class FileContext:
    """What a file check's visitor needs: the module, its name, the configuration, and a sink."""

    def __init__(self, wrapper: MetadataWrapper, module: str, is_package: bool, settings: ScanSettings):
        self.wrapper = wrapper
        self.module = module
        self.is_package = is_package
        self.settings = settings
        self.model_re = model_regex(settings.model_patterns)
        self.findings: list[tuple] = []

    def code(self, node: cst.CSTNode) -> str:
        return self.wrapper.module.code_for_node(node)

    def absolute(self, qualified: str) -> str:
        """A qualified name as LibCST gives it, made absolute and module-prefixed."""
        if qualified.startswith("."):
            level = len(qualified) - len(qualified.lstrip("."))
            rest = qualified[level:]
            return resolve_relative(self.module, self.is_package, level, rest)
        if "." not in qualified or "<locals>" in qualified:
            return f"{self.module}.{qualified}" if self.module else qualified
        return qualified


class CheckVisitor(m.MatcherDecoratableVisitor):
    """Base for file checks' visitors: metadata access and reporting."""

    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider, ParentNodeProvider)

    def __init__(self, check, ctx: FileContext):
        super().__init__()
        self.check = check
        self.ctx = ctx

    def report(self, node: cst.CSTNode, symbol: str, message: str, fixable: bool | None = None) -> None:
        pos = self.get_metadata(PositionProvider, node).start
        fix = self.check.fixable if fixable is None else fixable
        self.ctx.findings.append((pos.line, pos.column + 1, self.check.code, self.check.kind, symbol, message, fix))

    def qualified(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.get_metadata(ParentNodeProvider, node, None)

    def scope_name(self, node: cst.CSTNode) -> str:
        """Dotted name of the function/class enclosing `node` (the module when there is none)."""
        parts = []
        current = self.parent(node)
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.ClassDef)):
                parts.append(current.name.value)
            current = self.parent(current)
        dotted = ".".join(reversed(parts))
        if not dotted:
            return self.ctx.module
        return f"{self.ctx.module}.{dotted}" if self.ctx.module else dotted

    def enclosing_class(self, node: cst.CSTNode) -> str | None:
        current = self.parent(node)
        while current is not None:
            if isinstance(current, cst.ClassDef):
                return current.name.value
            current = self.parent(current)
        return None


# ---- shared predicates -------------------------------------------------------------------


def string_value(node: cst.CSTNode) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:
            return None
        return value if isinstance(value, str) else None
    return None


def is_model_literal(ctx: FileContext, node: cst.CSTNode) -> bool:
    value = string_value(node)
    return value is not None and bool(ctx.model_re.match(value))


def is_django_settings(visitor: CheckVisitor, node: cst.CSTNode) -> bool:
    return DJANGO_SETTINGS in visitor.qualified(node)


def fallback_setting_read(visitor: CheckVisitor, node: cst.CSTNode) -> str | None:
    """The setting name when `node` reads a configured fallback setting from Django settings."""
    names = visitor.ctx.settings.fallback_settings
    if isinstance(node, cst.Attribute):
        if node.attr.value in names and is_django_settings(visitor, node.value):
            return node.attr.value
        return None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and len(node.args) >= 2:
        if "builtins.getattr" not in visitor.qualified(node.func):
            return None
        first, second = node.args[0], node.args[1]
        if first.keyword is not None or second.keyword is not None:
            return None
        setting = string_value(second.value)
        if setting in names and is_django_settings(visitor, first.value):
            return setting
    return None


def is_default_model_attr(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Attribute) and bool(DEFAULT_MODEL_ATTR.match(node.attr.value))


def is_config_dict_assignment(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """The name when `node` is a module-level `MODEL_CONFIG = {...}` style assignment."""
    if isinstance(node, cst.Assign):
        targets = [t.target for t in node.targets]
        value = node.value
    elif isinstance(node, cst.AnnAssign) and node.value is not None:
        targets = [node.target]
        value = node.value
    else:
        return None
    if not (isinstance(value, cst.Dict) or m.matches(value, m.Call(func=m.Name("dict")))):
        return None
    for target in targets:
        if isinstance(target, cst.Name) and target.value in ctx.settings.config_names:
            return target.value
    return None


def run_file_checks(text: str, module: str, is_package: bool, settings: ScanSettings) -> list[tuple]:
    """Parse `text` with LibCST once and run every file check's visitor over it."""
    from audit.checks import load_checks

    tree = cst.parse_module(text)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    ctx = FileContext(wrapper, module, is_package, settings)
    visitors = [check().visitor(ctx) for check in load_checks().values() if getattr(check, "scope", "") == "file"]
    for visitor in visitors:
        wrapper.visit(visitor)
    return sorted(set(ctx.findings))
