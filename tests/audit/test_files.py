"""Which files make up the project, and their module names (audit/files.py), on real folders.

The rules' tests reach discovery through whole audits; here each decision is pinned on its
own: module names in a package, a `src` layout and a namespace package; the exclude globs;
the folders never entered; the walk's order, its symbolic links and the folders it lists;
the paths given that do not exist, files named directly, and the files read for references.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from igny8_refactor.audit.files import (
    _relative,
    _skipped_dir,
    _walk,
    discover,
    is_excluded,
    module_name,
    source_root,
)


def tree(root: Path, *names: str) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return root


@pytest.mark.parametrize(
    "path, base, expected",
    [
        ("/a/b", "/a/b", "."),
        ("/a/b/c.py", "/a/b", "c.py"),
        ("/a/b/c.py", "/a/b/", "c.py"),
        ("/a/bc/d.py", "/a/b", "/a/bc/d.py"),  # a sibling whose name starts alike is outside
        ("/x/c.py", "/a", "/x/c.py"),
    ],
)
def test_relative(path, base, expected):
    assert _relative(path, base) == expected


@pytest.mark.parametrize(
    "path, patterns, expected",
    [
        ("/p/app/migrations/0001.py", ["*/migrations"], True),
        ("/p/app/migrations/0001.py", ["migrations"], True),
        ("/p/app/migrations/0001.py", ["migrations/"], True),  # a trailing slash names the same folder
        ("/p/app/migrations/0001.py", ["app/migrations/"], True),
        ("/p/app/migrations/0001.py", ["app/*.py"], True),  # fnmatch: `*` crosses folders too
        ("/p/other/app/views.py", ["app/*.py"], False),  # a glob with a slash matches from the base
        ("/p/app/views.py", ["app/*.py"], True),
        ("/p/app/views.py", ["*/migrations"], False),
        ("/p/app/views.py", [], False),
        ("/p/app/views.py", ["other", "views.py"], True),  # any of the patterns
        ("/p/app/views.py", ["other", "app/x/*"], False),
        ("/p/app/sub/views.py", ["app/sub"], True),  # a folder above the file, up to the base
        ("/p/app/sub/views.py", ["sub/views.py"], False),  # a two-part glob is anchored at the base
        ("/p/app/views.py", ["VIEWS.PY"], False),  # case matters
    ],
)
def test_is_excluded(path, patterns, expected):
    assert is_excluded(path, patterns, "/p") is expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("__pycache__", True),
        ("site-packages", True),
        ("node_modules", True),
        ("venv", True),
        (".git", True),
        (".venv", True),
        ("pkg.egg-info", True),
        ("venv2", False),
        ("app", False),
        ("egg-info-tools", False),
        ("src", False),
    ],
)
def test_skipped_dirs(name, expected):
    assert _skipped_dir(name) is expected


@pytest.mark.parametrize(
    "rel, expected",
    [
        ("pkg/__init__.py", ("pkg", True)),
        ("pkg/mod.py", ("pkg.mod", False)),
        ("pkg/sub/__init__.py", ("pkg.sub", True)),
        ("src/pkg/mod.py", ("pkg.mod", False)),  # a src layout
        ("src/mod.py", ("mod", False)),
        ("src.py", ("src", False)),  # a module named src is not a layout
        ("mod.py", ("mod", False)),
        ("__init__.py", ("", True)),
    ],
)
def test_module_name(tmp_path, rel, expected):
    assert module_name(str(tmp_path / rel), str(tmp_path)) == expected


def test_module_name_outside_the_root_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="is not below"):
        module_name("/elsewhere/mod.py", str(tmp_path))


def test_source_root_of_a_package_is_above_its_top(tmp_path):
    tree(tmp_path, "outer/pkg/__init__.py", "outer/pkg/sub/__init__.py", "outer/pkg/sub/mod.py")
    assert source_root(tmp_path / "outer/pkg/sub", set()) == tmp_path / "outer"
    assert source_root(tmp_path / "outer/pkg/sub/mod.py", set()) == tmp_path / "outer"
    assert source_root(tmp_path / "outer", set()) == tmp_path / "outer"


def test_source_root_of_a_namespace_package_named_on_the_command_line(tmp_path):
    tree(tmp_path, "ns/mod.py", "src/mod.py", "not-a-name/mod.py")
    anchors = {tmp_path}
    assert source_root(tmp_path / "ns", anchors) == tmp_path  # named from above it
    assert source_root(tmp_path / "ns", set()) == tmp_path / "ns"  # its parent is no anchor
    assert source_root(tmp_path / "ns", {tmp_path, tmp_path / "ns"}) == tmp_path / "ns"  # itself an anchor
    assert source_root(tmp_path / "src", anchors) == tmp_path / "src"  # a src layout
    assert source_root(tmp_path / "not-a-name", anchors) == tmp_path / "not-a-name"
    assert source_root(tmp_path / "ns/mod.py", anchors) == tmp_path / "ns"  # a file: its folder


def test_walk_order_packages_and_links(tmp_path):
    tree(
        tmp_path,
        "b.py",
        "a.py",
        "notes.txt",
        "pkg/__init__.py",
        "pkg/z.py",
        "pkg/inner/m.py",
        "app/x.py",
        "__pycache__/c.py",
        ".hidden/d.py",
        "build.egg-info/e.py",
        "venv/f.py",
    )
    (tmp_path / "init-dir").mkdir()
    (tmp_path / "init-dir/__init__.py").mkdir()  # a folder named __init__.py makes no package
    (tmp_path / "init-dir/k.py").write_text("")
    os.symlink(tmp_path / "pkg", tmp_path / "link", target_is_directory=True)
    errors: list = []
    found = list(_walk(tmp_path, errors))
    top = str(tmp_path)
    assert found == [
        (f"{top}/a.py", top, False),
        (f"{top}/b.py", top, False),
        (f"{top}/app/x.py", f"{top}/app", False),
        (f"{top}/init-dir/k.py", f"{top}/init-dir", False),
        (f"{top}/pkg/__init__.py", f"{top}/pkg", True),
        (f"{top}/pkg/z.py", f"{top}/pkg", True),
        (f"{top}/pkg/inner/m.py", f"{top}/pkg/inner", False),
    ]
    assert errors == []


def test_walk_of_a_path_with_a_trailing_separator(tmp_path):
    tree(tmp_path, "a.py")
    assert list(_walk(str(tmp_path) + os.sep)) == [(f"{tmp_path}/a.py", f"{tmp_path}/", False)]


def test_walk_of_a_missing_folder_yields_nothing_and_names_it(tmp_path):
    errors: list = []
    assert list(_walk(tmp_path / "gone", errors)) == []
    assert errors == [(str(tmp_path / "gone"), "cannot read directory: No such file or directory")]


def _found(discovery, root: Path):
    return [(os.path.relpath(s.path, root), s.module, s.is_package, s.reported) for s in discovery.files]


def test_discover_names_a_package_from_its_top_and_reports_what_is_not_excluded(tmp_path):
    tree(
        tmp_path,
        "backend/igny8_core/__init__.py",
        "backend/igny8_core/ai/__init__.py",
        "backend/igny8_core/ai/engine.py",
        "backend/igny8_core/ai/migrations/0001.py",
        "backend/manage.py",
    )
    # the folder walked is the project's root (an anchor): not a namespace package
    found = discover([str(tmp_path / "backend")], ("*/migrations",), tmp_path / "backend", {tmp_path / "backend"})
    assert _found(found, tmp_path) == [
        ("backend/manage.py", "manage", False, True),
        ("backend/igny8_core/__init__.py", "igny8_core", True, True),
        ("backend/igny8_core/ai/__init__.py", "igny8_core.ai", True, True),
        ("backend/igny8_core/ai/engine.py", "igny8_core.ai.engine", False, True),
        ("backend/igny8_core/ai/migrations/0001.py", "igny8_core.ai.migrations.0001", False, False),
    ]
    assert found.missing == []


def test_a_folder_holding_packages_is_an_import_root_unless_the_config_names_it(tmp_path):
    tree(tmp_path, "ns/mod.py", "ns/pkg/__init__.py", "ns/pkg/a.py", "plain/mod.py")
    found = discover([str(tmp_path / "ns")], (), tmp_path, {tmp_path})
    assert _found(found, tmp_path) == [  # `backend/` or `src/`: Python imports from it
        ("ns/mod.py", "mod", False, True),
        ("ns/pkg/__init__.py", "pkg", True, True),
        ("ns/pkg/a.py", "pkg.a", False, True),
    ]
    found = discover([str(tmp_path / "plain")], (), tmp_path, {tmp_path})
    assert _found(found, tmp_path) == [("plain/mod.py", "plain.mod", False, True)]  # a namespace package
    found = discover([str(tmp_path / "ns")], (), tmp_path, {tmp_path}, namespaces=frozenset({"ns"}))
    assert _found(found, tmp_path) == [
        ("ns/mod.py", "ns.mod", False, True),
        ("ns/pkg/__init__.py", "ns.pkg", True, True),
        ("ns/pkg/a.py", "ns.pkg.a", False, True),
    ]


def test_discover_files_named_directly_missing_paths_and_references(tmp_path):
    tree(tmp_path, "app/__init__.py", "app/views.py", "app/migrations/0001.py", "tests/test_x.py")
    found = discover(
        [str(tmp_path / "app/migrations/0001.py"), str(tmp_path / "nothing"), str(tmp_path / "app/views.py")],
        ("*/migrations",),
        tmp_path,
        {tmp_path},
        references=[str(tmp_path), str(tmp_path / "absent")],
    )
    assert found.missing == [(str(tmp_path / "nothing"), "no such file or directory")]
    assert _found(found, tmp_path) == [
        ("app/migrations/0001.py", "0001", False, True),  # named: reported though excluded
        ("app/views.py", "app.views", False, True),
        ("app/__init__.py", "app", True, False),  # read for its references only
        ("tests/test_x.py", "tests.test_x", False, False),
    ]
    forced = discover(
        [str(tmp_path / "app/migrations/0001.py")], ("*/migrations",), tmp_path, {tmp_path}, force_exclude=True
    )
    assert _found(forced, tmp_path) == [("app/migrations/0001.py", "0001", False, False)]


def test_discover_reads_each_file_once(tmp_path):
    tree(tmp_path, "app/__init__.py", "app/a.py")
    found = discover(
        [str(tmp_path / "app"), str(tmp_path / "app/a.py")], (), tmp_path, {tmp_path}, references=[str(tmp_path)]
    )
    assert _found(found, tmp_path) == [("app/__init__.py", "app", True, True), ("app/a.py", "app.a", False, True)]


def test_a_package_below_a_plain_folder_is_named_from_its_own_top(tmp_path):
    """`backend/igny8_core/...` is `igny8_core...`, walked or read for references; a plain file
    beside it is named from the folder walked."""
    tree(
        tmp_path,
        "proj/backend/igny8_core/__init__.py",
        "proj/backend/igny8_core/ai.py",
        "proj/backend/manage.py",
        "refs/backend/other/__init__.py",
        "refs/backend/other/b.py",
    )
    walked = discover(
        [str(tmp_path / "proj")], (), tmp_path / "proj", {tmp_path / "proj"}, references=[str(tmp_path / "refs")]
    )
    assert _found(walked, tmp_path) == [
        ("proj/backend/manage.py", "backend.manage", False, True),
        ("proj/backend/igny8_core/__init__.py", "igny8_core", True, True),
        ("proj/backend/igny8_core/ai.py", "igny8_core.ai", False, True),
        ("refs/backend/other/__init__.py", "other", True, False),
        ("refs/backend/other/b.py", "other.b", False, False),
    ]


def test_a_folder_that_cannot_be_listed_is_named_and_the_walk_goes_on(tmp_path, monkeypatch):
    tree(tmp_path, "a/x.py", "b/y.py", "c/z.py")
    real = os.scandir

    def scandir(path):
        if os.fspath(path) == str(tmp_path / "b"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr("igny8_refactor.audit.files.os.scandir", scandir)
    errors: list = []
    found = [path for path, _, _ in _walk(tmp_path, errors)]
    assert found == [str(tmp_path / "a/x.py"), str(tmp_path / "c/z.py")]
    assert errors == [(str(tmp_path / "b"), "cannot read directory: Permission denied")]
