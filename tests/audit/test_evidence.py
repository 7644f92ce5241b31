"""Evidence of use outside Python files: entry points, stubs, docs, config files, templates, notebooks."""

from __future__ import annotations

import json

from igny8_refactor.audit.evidence import evidence_for, gather


def test_each_kind_of_evidence_is_found_with_where_it_was_seen(tmp_path, write_files):
    notebook = {"cells": [{"cell_type": "code", "source": ["from shop.nb import plot\n", "plot()\n"]}]}
    write_files(
        {
            "pyproject.toml": '[project.scripts]\nshop = "shop.cli:main"\n',
            "setup.cfg": "[options.entry_points]\nconsole_scripts =\n    shop-admin = shop.admin_cli:run\n",
            "setup.py": "setup(entry_points={'console_scripts': ['tool = shop.tool:entry']})\n",
            "shop/api.pyi": "def public(x: int) -> int: ...\nclass Client: ...\nVERSION: str\n",
            "docs/upgrading.rst": "Intro\n\n    from shop.filters import PriceFilter, SizeFilter\n",
            "README.md": "Call `shop.utils.slugify` to make a slug.\n",
            "config/logging.ini": "[handler_x]\nclass = shop.logs.JsonHandler\n",
            "shop/templates/page.html": "{% load shop.tags.money %}\n",
            "notebooks/demo.ipynb": json.dumps(notebook),
        }
    )
    found = gather(tmp_path)
    assert found["shop.cli.main"] == "pyproject.toml:2"
    assert found["shop.admin_cli.run"] == "setup.cfg:3"
    assert found["shop.tool.entry"] == "setup.py:1"
    assert found["shop.api.public"] == "shop/api.pyi:1"
    assert found["shop.api.Client"] == "shop/api.pyi:2"
    assert found["shop.api.VERSION"] == "shop/api.pyi:3"
    assert found["shop.filters.SizeFilter"] == "docs/upgrading.rst:3"
    assert found["shop.utils.slugify"] == "README.md:1"
    assert found["shop.logs.JsonHandler"] == "config/logging.ini:2"
    assert found["shop.tags.money"] == "shop/templates/page.html:1"
    assert found["shop.nb.plot"] == "notebooks/demo.ipynb:1"


def test_text_outside_docs_and_build_files_is_not_read(tmp_path, write_files):
    write_files(
        {
            "shop/notes.txt": "shop.secret.helper\n",
            ".venv/lib/site.toml": 'x = "shop.venv.thing"\n',
            "node_modules/pkg/readme.md": "shop.node.thing\n",
        }
    )
    assert gather(tmp_path) == {}


def test_a_re_exported_name_in_the_docs_keeps_its_definition(tmp_path, write_files):
    write_files({"docs/index.md": "    from shop import PriceFilter\n"})
    found = gather(tmp_path)
    assert evidence_for("shop.filters.PriceFilter", found) == "docs/index.md:1"
    assert evidence_for("shop.filters.SizeFilter", found) == ""
    assert evidence_for("other.filters.PriceFilter", found) == ""


def test_a_module_the_docs_name_keeps_its_names_when_modules_are_imported_by_a_computed_name(tmp_path, write_files):
    """Markdown's docs give `markdown.extensions.abbr` to pass as a string; its core imports it with
    `import_module(name)` and calls `module.makeExtension(...)`: no import graph sees that call."""
    write_files({"docs/extensions/index.md": "Abbreviations | `abbr` | `markdown.extensions.abbr`\n"})
    found = gather(tmp_path)
    symbol = "markdown.extensions.abbr.makeExtension"
    assert evidence_for(symbol, found) == ""  # no computed import: naming the module is not a use of its names
    assert evidence_for(symbol, found, imports_by_name=True).startswith("docs/extensions/index.md:1, which names")
    assert evidence_for("markdown.extensions.admonition.makeExtension", found, imports_by_name=True) == ""
    assert evidence_for("markdown.extensions.makeExtension", found, imports_by_name=True) == ""
