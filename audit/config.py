"""Configuration: `[igny8_refactor]` in setup.cfg or `[tool.igny8_refactor]` in pyproject.toml."""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from igny8_refactor.audit.checks import load_checks
from igny8_refactor.audit.files import git, git_says

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
    unsafe_fixes: bool = False  # removals outside `ai_package` (unused functions, orphan exports)
    src: tuple[str, ...] = ()  # import roots, as ruff's `src`; default: the build configuration's, else found
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob relative to the root, check names)
    explicit: tuple[str, ...] = ()  # the keys the configuration file sets
    root: str = "."  # directory holding the config file the values came from
    source: str | None = None  # the config file itself; None when no file was found
    shadowed: str | None = None  # a setup.cfg section in the same folder that the pyproject.toml one overrides

    def ignored_in(self, path: str) -> set[str]:
        """The kinds `per-file-ignores` turns off for `path` (absolute, or relative to the current directory)."""
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.root)).replace(os.sep, "/")
        kinds: set[str] = set()
        for pattern, names in self.per_file_ignores:
            if fnmatchcase(rel, pattern) or ("/" not in pattern and fnmatchcase(rel.rpartition("/")[2], pattern)):
                kinds.update(check.kind for name in names for check in expand(name))
        return kinds


def expand(name: str) -> list:
    """The checks a name selects: a kind, a code, a code prefix (`IG1`, `IG10`) or ALL; KeyError when none."""
    checks = load_checks().values()
    upper = name.strip().upper()
    found = [c for c in checks if upper == "ALL" or c.kind == name.strip() or c.code.startswith(upper)]
    if not found or not upper:
        raise KeyError(name)
    return found


SECTION = "igny8_refactor"


def _split(value, source: Path, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        parts = value.replace(",", "\n").splitlines()
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    what = type(value).__name__
    if isinstance(value, list):
        what = "a list holding " + ", ".join(sorted({type(v).__name__ for v in value if not isinstance(v, str)}))
    raise ConfigError(f"{source}: key {key!r} must be a string or a list of strings, not {what}")


def _patterns(value, source: Path, key: str) -> tuple[str, ...]:
    """Regexes (one a line in setup.cfg: they may hold commas), each valid alone and joined as the scan joins them."""
    if isinstance(value, str):
        patterns = tuple(p.strip() for p in value.splitlines() if p.strip())
    else:
        patterns = _split(value, source, key)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{source}: invalid regex {pattern!r} in {key!r}: {exc}") from None
    try:
        re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error as exc:
        raise ConfigError(f"{source}: the regexes in {key!r} cannot be combined: {exc}") from None
    return patterns


def _names(value, source: Path, key: str) -> tuple[str, ...]:
    names = _split(value, source, key)
    for name in names:
        try:
            expand(name)
        except KeyError:
            where = "select/ignore" if key in ("select", "ignore") else key
            raise ConfigError(f"{source}: unknown check {name!r} in {where}") from None
    return names


def _per_file_ignores(value, source: Path, key: str) -> tuple:
    """`glob: NAME, NAME` lines (setup.cfg) or a table of glob -> list (pyproject.toml), as ruff takes them."""
    if isinstance(value, str):
        pairs = []
        for line in filter(str.strip, value.splitlines()):
            pattern, colon, names = line.partition(":")
            if not colon or not pattern.strip():
                raise ConfigError(f"{source}: {key}: {line.strip()!r} is not `glob: CODE, ...`")
            pairs.append((pattern.strip(), names))
    elif isinstance(value, dict):
        pairs = list(value.items())
    else:
        raise ConfigError(f"{source}: key {key!r} must be a table of glob = [codes], not {type(value).__name__}")
    return tuple((pattern.removeprefix("./"), _names(names, source, key)) for pattern, names in pairs)


def _bool(value, source: Path, key: str) -> bool:
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ConfigError(f"{source}: key {key!r} must be true or false")
    return text == "true"


def _dotted(value, source: Path, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{source}: key {key!r} must be a dotted module name")
    return value.strip()


# every key the section may set, with the reader that checks and converts its value
KEYS = {
    **dict.fromkeys(("paths", "exclude", "internal", "keep", "config_names", "fallback_settings", "src"), _split),
    "select": _names,
    "ignore": _names,
    "model_patterns": _patterns,
    "per_file_ignores": _per_file_ignores,
    "unsafe_fixes": _bool,
    "ai_package": _dotted,
}


def _section_name(source: Path) -> str:
    return f"[tool.{SECTION}]" if source.name.endswith(".toml") else f"[{SECTION}]"


def _from_mapping(data: dict, source: Path) -> dict:
    values = {}
    for key, value in data.items():
        norm = key.replace("-", "_")
        if norm not in KEYS:
            raise ConfigError(f"{source}: unknown key {key!r} in {_section_name(source)}")
        if norm in values:
            raise ConfigError(f"{source}: duplicate key {key!r} in {_section_name(source)}")
        values[norm] = KEYS[norm](value, source, key)
    if values.get("paths") == ():
        del values["paths"]  # `paths =` with nothing: the default, the whole project
    return values


def _read_text(path: Path) -> str:
    if path.exists() and not (path.is_file() or path.is_dir()):
        raise ConfigError(f"{path}: not a regular file")  # a FIFO or a device would block or never end
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a configuration file") from None
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    try:
        return data.decode()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read configuration: not UTF-8 (byte {exc.start})") from None


def _toml_section(path: Path) -> dict | None:
    """The [tool.igny8_refactor] table of a pyproject.toml (None when it has none)."""
    import tomllib

    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: 'tool' must be a table")
    if SECTION not in tool:
        return None
    if not isinstance(tool[SECTION], dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    return tool[SECTION]


def _ini_section(path: Path) -> dict | None:
    """The [igny8_refactor] section of a setup.cfg-style file (None when it has none)."""
    import ast
    import configparser

    # `key = value  # comment`, as the README's block is written
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=("#", ";"))
    try:
        parser.read_string(_read_text(path))
    except configparser.DuplicateOptionError as exc:
        reason = f"line {exc.lineno}: duplicate key {exc.option!r} in [{exc.section}]"
    except configparser.DuplicateSectionError as exc:
        reason = f"line {exc.lineno}: duplicate section [{exc.section}]"
    except configparser.MissingSectionHeaderError as exc:
        reason = f"line {exc.lineno}: a key before any [section] header"
    except configparser.ParsingError as exc:  # the parser raises nothing else with interpolation off
        lineno, line = exc.errors[0]  # the line as repr() shows it
        reason = f"line {lineno}: cannot parse {ast.literal_eval(line).strip()!r}"
    else:
        return dict(parser[SECTION]) if parser.has_section(SECTION) else None
    raise ConfigError(f"{path}: malformed configuration: {reason}")


def _section(path: Path) -> dict | None:
    return _toml_section(path) if path.name.endswith(".toml") else _ini_section(path)


def find_config_file(start: Path) -> Path | None:
    """The nearest pyproject.toml with [tool.igny8_refactor] (first) or setup.cfg with [igny8_refactor]; one that
    cannot be read or parsed is a ConfigError, never skipped: its section may be the one that applies."""
    start = start.resolve()
    for directory in (start, *start.parents):
        for name in ("pyproject.toml", "setup.cfg"):
            candidate = directory / name
            if candidate.is_file() and _section(candidate) is not None:
                return candidate
    return None


def _git_root(directory: Path) -> Path | None:
    """The git work tree holding `directory`; None outside one, or where git ignores it (a virtualenv)."""
    done = git("rev-parse", "--show-toplevel", cwd=directory, text=True)
    if done is None or done.returncode != 0 or not done.stdout.strip():
        return None
    return None if git_says("check-ignore", "-q", ".", cwd=directory) else Path(done.stdout.strip()).resolve()


def load_project_config(paths, config_file: Path | str | None = None) -> Config:
    """The configuration of the project the paths belong to: the nearest above them, else the git work tree's root,
    else the folder holding them all; paths of two projects are a ConfigError. `--config` decides alone."""
    if config_file:
        return load_config(".", config_file)
    found: dict[Path, list[str]] = {}
    loose: list[tuple[Path, str]] = []  # neither a configuration nor a git work tree above them
    for raw in paths or (".",):
        path = Path(os.path.abspath(raw))
        start = path if path.is_dir() else path.parent
        config = find_config_file(start)
        root = config.parent.resolve() if config else _git_root(start)
        if root is None:
            loose.append((start.resolve(), str(raw)))
        else:
            found.setdefault(root, []).append(str(raw))
    if loose:  # one project: the folder holding them all
        common = Path(os.path.commonpath([str(start) for start, _ in loose]))
        found.setdefault(common, []).extend(raw for _, raw in loose)
    if len(found) > 1:
        where = "; ".join(f"{', '.join(names)} in {root}" for root, names in found.items())
        raise ConfigError(f"the paths given belong to different projects ({where}): run once per project")
    (root,) = found
    config = load_config(root)
    return config if config.source else dataclasses.replace(config, root=str(root))


def check_packages(config: Config, modules) -> None:
    """ConfigError when `internal`, `ai_package` or `keep`, as the file sets them, matches no module (a misspelling)."""
    modules = set(modules)
    for key, names in (("internal", config.internal), ("ai_package", (config.ai_package,)), ("keep", config.keep)):
        for name in names if key in config.explicit else ():
            dotted = (name.rpartition(".")[0] or name) if key == "keep" else name  # `keep`: a definition, its module
            if not any(m == dotted or m.startswith(dotted + ".") for m in modules):
                raise ConfigError(f"{config.source}: `{key}` names `{name}`, which matches no module of the project")


def load_config(start: Path | str = ".", config_file: Path | str | None = None) -> Config:
    """The configuration that applies to `start` (defaults when there is none); ConfigError ("path: problem")."""
    path = Path(config_file) if config_file else find_config_file(Path(start))
    if path is None:
        return Config()
    data = _section(path)
    if data is None:
        raise ConfigError(f"{path}: no {_section_name(path)} section")
    values = _from_mapping(data, path)
    shadowed = path.with_name("setup.cfg")
    if path.name != "pyproject.toml" or not shadowed.is_file() or _ini_section(shadowed) is None:
        shadowed = None
    return Config(
        root=str(path.resolve().parent),
        source=str(path),
        explicit=tuple(values),
        shadowed=shadowed and str(shadowed),
        **values,
    )
