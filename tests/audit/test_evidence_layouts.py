"""Evidence in the layouts users have: stubs named as the modules beside them, docs at the root
and in doc folders only, build metadata folders skipped, text that is not UTF-8."""

from __future__ import annotations

from igny8_refactor.audit.evidence import MAX_BYTES, evidence_for, gather


def test_a_stub_is_named_from_the_top_of_its_package_wherever_the_package_lies(tmp_path, write_files):
    write_files(
        {
            "backend/shop/__init__.py": "",
            "backend/shop/__init__.pyi": "def top() -> None: ...\n",
            "backend/shop/api.pyi": "def public() -> None: ...\n",
            "src/lib/__init__.py": "",
            "src/lib/core.pyi": "x: int\ny = 1\n",
        }
    )
    found = gather(tmp_path)
    assert found["shop.api.public"] == "backend/shop/api.pyi:1"
    assert found["shop.top"] == "backend/shop/__init__.pyi:1"
    assert found["lib.core.x"] == "src/lib/core.pyi:1"
    assert found["lib.core.y"] == "src/lib/core.pyi:2"
    assert not [name for name in found if name.startswith(("backend.", "src."))]


def test_prose_counts_at_the_root_and_in_doc_folders_config_anywhere(tmp_path, write_files):
    write_files(
        {
            "README.rst": "see shop.a.root_rst\n",
            "NOTES.md": "see shop.a.root_md\n",
            "docs/guide/usage.rst": "see shop.a.in_docs\n",
            "shop/notes.md": "see shop.a.nested_md\n",
            "shop/CHANGES.rst": "see shop.a.nested_rst\n",
            "shop/todo.txt": "see shop.a.nested_txt\n",
            "shop/settings.json": '{"handler": "shop.a.in_json"}\n',
            "shop.egg-info/entry_points.txt": "[console_scripts]\nx = shop.a:in_egg_info\n",
            "shop.egg-info/SOURCES.json": '["shop.a.in_egg_info_json"]\n',
        }
    )
    found = gather(tmp_path)
    assert {name for name in found if name.startswith("shop.a.")} == {
        "shop.a.root_rst",
        "shop.a.root_md",
        "shop.a.in_docs",
        "shop.a.in_json",
    }


def test_text_that_is_not_utf8_is_still_read_and_a_huge_file_is_not(tmp_path, write_files):
    write_files({"docs/latin1.rst": "caf\xe9 shop.a.accented\n".encode("latin-1")})
    (tmp_path / "docs/big.json").write_text('"shop.a.big"' + " " * MAX_BYTES)
    found = gather(tmp_path)
    assert found["shop.a.accented"] == "docs/latin1.rst:1"
    assert "shop.a.big" not in found


def test_a_name_is_matched_through_re_exports_by_its_last_part_only(tmp_path, write_files):
    found = {"shop.run": "docs/a.rst:1", "shop.sub.other.go": "docs/b.rst:2"}
    assert evidence_for("shop.core.run", found) == "docs/a.rst:1"
    assert evidence_for("shop.x.go", found) == "docs/b.rst:2"
    assert evidence_for("shop.core.sub", found) == ""  # `sub` is a middle part, not the name
    assert evidence_for("other.core.run", found) == ""


def test_doctests_makefiles_and_scripts_are_evidence_the_code_itself_is_not(tmp_path, write_files):
    write_files(
        {
            "shop/__init__.py": "",
            "shop/api.py": '"""The API.\n\n>>> from shop.utils import in_doctest\n>>> in_doctest()\n1\n"""\n\n'
            "X = 'shop.utils.in_code_string'\n",
            "Makefile": 'run:\n\tpython -c "from shop.utils import in_makefile; in_makefile()"\n',
            "scripts/deploy.sh": "python -m shop.utils.in_script\n",
            "Procfile": "web: gunicorn shop.wsgi:application\n",
        }
    )
    found = gather(tmp_path)
    assert found["shop.utils.in_doctest"] == "shop/api.py:3"
    assert found["shop.utils.in_makefile"] == "Makefile:2"
    assert found["shop.utils.in_script"] == "scripts/deploy.sh:1"
    assert found["shop.wsgi.application"] == "Procfile:1"
    assert "shop.utils.in_code_string" not in found  # Python code is analysed, not read as text
