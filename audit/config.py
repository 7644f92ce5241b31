"""Configuration: `[igny8_refactor]` in setup.cfg or `[tool.igny8_refactor]` in pyproject.toml."""
from __future__ import annotations

import configparser
import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL_PATTERNS = (
    r"^(gpt-[0-9][\w.-]*|gpt-[a-z][\w.-]*|chatgpt-[\w.-]+|o[1-9](-[\w.-]+)?|dall-e-[\w.-]+"
    r"|text-embedding-[\w.-]+|text-davinci-[\w.-]+|whisper-[\w.-]+|tts-[\w.-]+"
    r"|claude-[\w.-]+|gemini-[\w.-]+)$",
)


class ConfigError(Exception):
    """A configuration value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Config:
    paths: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ()
    internal: tuple[str, ...] = ("igny8_core",)
    keep: tuple[str, ...] = (
        "igny8_core.ai.registry.register_function",
        "igny8_core.ai.registry.list_functions",
    )
    config_names: tuple[str, ...] = ("MODEL_CONFIG",)
    fallback_settings: tuple[str, ...] = ("DEFAULT_AI_MODEL",)
    model_patterns: tuple[str, ...] = DEFAULT_MODEL_PATTERNS
    ai_package: str = "igny8_core.ai"  # the package holding the plan's five files
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    root: str = "."  # directory holding the config file the values came from
    source: str | None = None  # the config file itself; None when no file was found

    def replace(self, **changes) -> "Config":
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


TEXT_KEYS = ("ai_package",)
LIST_KEYS = ("paths", "exclude", "internal", "keep", "config_names", "fallback_settings", "model_patterns", "select", "ignore")
SECTION = "igny8_refactor"


def _split(value) -> tuple[str, ...]:
    if isinstance(value, str):
        parts = value.replace(",", "\n").splitlines()
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    raise TypeError(type(value).__name__)


def _from_mapping(data: dict, source: Path) -> dict:
    values = {}
    for key, value in data.items():
        norm = key.replace("-", "_")
        if norm in TEXT_KEYS:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{source}: key {key!r} must be a dotted module name")
            values[norm] = value.strip()
            continue
        if norm not in LIST_KEYS:
            raise ConfigError(f"{source}: unknown key {key!r} in [{SECTION}]")
        if norm == "model_patterns" and isinstance(value, str):
            # regexes may contain commas: one per line
            items = tuple(p.strip() for p in value.splitlines() if p.strip())
        else:
            try:
                items = _split(value)
            except TypeError as exc:
                raise ConfigError(f"{source}: key {key!r} must be a list of strings, not {exc}") from None
        values[norm] = items
    return values


def find_config_file(start: Path) -> Path | None:
    """The nearest pyproject.toml with [tool.igny8_refactor] or setup.cfg with [igny8_refactor]."""
    start = start.resolve()
    for directory in (start, *start.parents):
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                data = {}
            if SECTION in data.get("tool", {}):
                return pyproject
        setup_cfg = directory / "setup.cfg"
        if setup_cfg.is_file():
            parser = configparser.ConfigParser(interpolation=None)
            try:
                parser.read(setup_cfg, encoding="utf-8")
            except (configparser.Error, UnicodeDecodeError):
                continue
            if parser.has_section(SECTION):
                return setup_cfg
    return None


def load_config(start: Path | str = ".", config_file: Path | str | None = None) -> Config:
    """Read the configuration that applies to `start` (defaults when there is none)."""
    path = Path(config_file) if config_file else find_config_file(Path(start))
    if path is None:
        return Config()
    if path.name.endswith(".toml"):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get(SECTION, {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    else:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
        data = dict(parser[SECTION]) if parser.has_section(SECTION) else {}
    values = _from_mapping(data, path)
    return Config(root=str(path.resolve().parent), source=str(path), **values)
