"""Run in a subprocess against one copy of a real tree: import its modules, load its migrations.

    python probe.py ROOT OUT.json [SETTINGS_DIR]  < modules.json

ROOT goes first on sys.path, so the copy shadows the installed package. With SETTINGS_DIR,
Django is configured from its `real_settings.py` (kept outside ROOT so the tool never reads it)
and the migrations are loaded, rendered, checked against the models and applied to SQLite.
"""

from __future__ import annotations

import io
import json
import os
import sys


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def main() -> None:
    root, out = sys.argv[1], sys.argv[2]
    settings_dir = sys.argv[3] if len(sys.argv) > 3 else None
    modules = json.load(sys.stdin)
    sys.path.insert(0, root)
    result: dict = {"root": root, "imports": {}, "origin": {}, "migrations": None, "setup_error": None}
    if settings_dir:
        sys.path.insert(1, settings_dir)
        os.environ["DJANGO_SETTINGS_MODULE"] = "real_settings"
        import django

        try:
            django.setup()
        except BaseException as exc:  # noqa: BLE001 - the fixed tree may not start: that is the finding
            result["setup_error"] = first_line(exc)

    import importlib

    for name in modules:
        try:
            module = importlib.import_module(name)
        except BaseException as exc:  # noqa: BLE001 - SystemExit from a script counts too
            result["imports"][name] = first_line(exc)
        else:
            result["imports"][name] = None
            result["origin"][name] = getattr(module, "__file__", None) or ""

    if settings_dir and result["setup_error"] is None:
        result["migrations"] = migrations()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)


def migrations() -> dict:
    from django.core.management import call_command
    from django.db.migrations.loader import MigrationLoader

    report: dict = {}
    try:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        report["loaded"] = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
        loader.project_state()  # every operation's state_forwards runs
        report["rendered"] = True
    except BaseException as exc:  # noqa: BLE001
        report["load_error"] = first_line(exc)
        return report
    buffer = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=buffer, stderr=buffer)
        report["makemigrations_check"] = 0
    except SystemExit as exc:
        report["makemigrations_check"] = exc.code
    except BaseException as exc:  # noqa: BLE001
        report["makemigrations_check"] = first_line(exc)
    report["makemigrations_output"] = buffer.getvalue()
    try:
        call_command("migrate", verbosity=0, interactive=False)
        report["migrate"] = "ok"
    except BaseException as exc:  # noqa: BLE001
        report["migrate"] = first_line(exc)
    return report


if __name__ == "__main__":
    main()
