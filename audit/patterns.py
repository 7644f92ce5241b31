"""The fallback patterns several per-file rules share, so that one construct is reported by exactly one rule."""

from __future__ import annotations

import re

import libcst as cst

from igny8_refactor.audit.checks import lazy_module
from igny8_refactor.audit.rule_visitor import FileContext, RuleVisitor

m = lazy_module("libcst.matchers")

DJANGO_SETTINGS = "django.conf.settings"
DEFAULT_MODEL_ATTR = re.compile(r"^_?default_?model$", re.IGNORECASE)
MODEL_KEY = re.compile(r"(?:\w+_)?model", re.IGNORECASE)  # "model", "image_model", "chat_model"


def string_value(node: cst.CSTNode) -> str | None:
    try:
        value = node.evaluated_value if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)) else None
    except Exception:  # a literal LibCST parses and Python rejects: `b"é"`
        return None
    return value if isinstance(value, str) else None


def is_model_key(node: cst.CSTNode) -> bool:
    """A string key naming a model setting: `"model"`, `"image_model"`..."""
    return bool(MODEL_KEY.fullmatch(string_value(node) or ""))


def is_model_literal(ctx: FileContext, node: cst.CSTNode) -> bool:
    value = string_value(node)
    return value is not None and bool(ctx.settings.model_re.match(value))


def fallback_setting_read(visitor: RuleVisitor, node: cst.CSTNode) -> str | None:
    """The setting name when `node` reads a configured fallback setting from Django settings."""
    if isinstance(node, cst.Attribute):
        setting, owner = node.attr.value, node.value
    elif isinstance(node, cst.Call) and len(node.args) >= 2 and not (node.args[0].keyword or node.args[1].keyword):
        if "builtins.getattr" not in visitor.qualified(node.func):  # `getattr`, `builtins.getattr`, an alias
            return None
        setting, owner = string_value(node.args[1].value), node.args[0].value
    else:
        return None
    if setting in visitor.ctx.settings.fallback_settings and DJANGO_SETTINGS in visitor.qualified(owner):
        return setting
    return None


def is_default_model_attr(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Attribute) and bool(DEFAULT_MODEL_ATTR.match(node.attr.value))


def targets_of(node: cst.Assign | cst.AnnAssign | cst.AugAssign) -> list[cst.BaseExpression]:
    """What an assignment writes: each target of `a = b = ...`, the one of `a: T = ...` or `a += ...`."""
    return [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]


def is_config_dict_assignment(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """The name when `node` is a `MODEL_CONFIG = {...}` style assignment."""
    a_dict = m.Dict() | m.Call(func=m.Name("dict"))
    if not m.matches(node, m.Assign(value=a_dict) | m.AnnAssign(value=a_dict)):
        return None
    names = [t.value for t in targets_of(node) if isinstance(t, cst.Name) and t.value in ctx.settings.config_names]
    return names[0] if names else None
