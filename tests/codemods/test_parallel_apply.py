"""fix rewrites files on every core: the same result as one process, all or nothing on a failure."""

from __future__ import annotations

import concurrent.futures
import contextlib
import shutil

import pytest
from codemod_helpers import fix_tree, write_tree

from igny8_refactor.audit.config import Config
from igny8_refactor.codemods import pipeline

MODULES = 12  # more than pipeline.POOL_THRESHOLD files to rewrite
CONFIG = Config(internal=("pkg",), keep=())


def project(root):
    files = {"pkg/__init__.py": "", "pkg/app.py": ""}
    imports = []
    for index in range(MODULES):
        files[f"pkg/m{index:02}.py"] = (
            f"import os\n\n\ndef used_{index}():\n    return os.sep\n\n\n"
            f"def dead_{index}():  # noqa: X{index}\n    return os.getcwd()\n"
        )
        imports.append(f"from pkg.m{index:02} import used_{index}")
    files["pkg/app.py"] = "\n".join(imports) + "\n\nUSED = [" + ", ".join(f"used_{i}" for i in range(MODULES)) + "]\n"
    write_tree(root, files)


class SpyPool(concurrent.futures.ProcessPoolExecutor):
    made = 0

    def __init__(self, *args, **kwargs):
        type(self).made += 1
        super().__init__(*args, **kwargs)


@pytest.fixture
def spy(monkeypatch):
    SpyPool.made = 0
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", SpyPool)
    return SpyPool


def test_many_files_are_rewritten_in_a_pool_with_the_result_of_one_process(tmp_path, spy):
    assert MODULES >= pipeline.POOL_THRESHOLD
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    project(serial)
    shutil.copytree(serial, parallel)
    with contextlib.chdir(serial):
        first = pipeline.run_fix(["."], CONFIG, use_cache=False, jobs=1, unsafe_fixes=True)
    assert spy.made == 0
    with contextlib.chdir(parallel):
        second = pipeline.run_fix(["."], CONFIG, use_cache=False, jobs=2, unsafe_fixes=True)
    assert spy.made >= 1  # the rewrites (and maybe the analysis) went through a pool
    assert first.errors == second.errors == []
    assert len(first.changed) == len(second.changed) == MODULES
    for index in range(MODULES):
        name = f"pkg/m{index:02}.py"
        assert (serial / name).read_bytes() == (parallel / name).read_bytes()
        assert f"dead_{index}" not in (parallel / name).read_text()
    assert fix_tree(parallel, CONFIG).changed == []


def test_a_failure_in_one_worker_writes_nothing(tmp_path, monkeypatch, spy):
    project(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    real = pipeline.apply_fixes

    def fails_on_m07(data, module, *args, **kwargs):
        if module == "pkg.m07":
            raise RuntimeError("boom")
        return real(data, module, *args, **kwargs)

    monkeypatch.setattr(pipeline, "apply_fixes", fails_on_m07)
    with contextlib.chdir(tmp_path):
        result = pipeline.run_fix(["."], CONFIG, use_cache=False, jobs=2, unsafe_fixes=True)
    assert spy.made >= 1
    assert result.errors == ["pkg/m07.py: the fix could not be applied: RuntimeError: boom; nothing written"]
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.py")} == before
