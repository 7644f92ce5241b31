"""The project model's answers, asked directly: star imports, resolution, bindings, uses, carriers.

Each case writes a tiny project to disk, runs the real audit on it and questions `result.project`
the way the rules do; where a rule's finding follows from the answer, the finding is checked too.
"""

from __future__ import annotations

import shutil

from igny8_refactor.audit.project import MODULE, Project, parents


def symbols(result, kind):
    return sorted(f.symbol for f in result.findings if f.kind == kind)


def test_parents_of_a_dotted_name():
    assert list(parents("a.b.c")) == ["a", "a.b"]
    assert list(parents("a")) == []


STARS = {
    "pkg/__init__.py": "",
    # no __all__: `from pkg.plain import *` binds every public module-level name, imports included
    "pkg/plain.py": "import os\nfrom json import dumps\nvisible = 1\n_hidden = 2\n\ndef f():\n    pass\n\nclass K:\n    pass\n",
    "pkg/listed.py": "a = b = 1\n__all__ = ['a']\n",
    "pkg/refs.py": "from pkg import listed\nc = 1\n__all__ = listed.__all__ + ['c']\n",
    "pkg/unknown.py": "x = 1\n__all__ = sorted(['x'])\n",
    "pkg/appended.py": "x = 1\nname = 'x'\n__all__.append(name)\n",  # never assigned, only added to
    "pkg/chain.py": "from pkg.plain import *\nfrom pkg.listed import *\nown = 1\n",
    "pkg/cycle_a.py": "from pkg.cycle_b import *\nin_a = 1\n",
    "pkg/cycle_b.py": "from pkg.cycle_a import *\nin_b = 1\n",
    "pkg/outside.py": "from os.path import *\n",
    "pkg/through_outside.py": "from pkg.outside import *\nmine = 1\n",
}


def test_star_names_follow_python(audit_tree):
    project = audit_tree(STARS).project
    assert project.star_names("pkg.plain") == {"os", "dumps", "visible", "f", "K"}
    assert project.star_names("pkg.listed") == {"a"}  # __all__ decides, `b` is not bound
    assert project.star_names("pkg.chain") == {"os", "dumps", "visible", "f", "K", "a", "own"}
    # not knowable: `__all__` taken from another module, built by a call, a star import of a
    # module outside the project, a star-import cycle, a module the project does not have
    assert project.star_names("pkg.refs") is None
    assert project.star_names("pkg.unknown") is None
    assert project.star_names("pkg.appended") is None
    assert project.star_names("pkg.outside") is None
    assert project.star_names("pkg.through_outside") is None
    assert project.star_names("pkg.cycle_a") is None
    assert project.star_names("os.path") is None
    assert project.star_names("pkg.chain") == {"os", "dumps", "visible", "f", "K", "a", "own"}  # cached alike


def test_dynamic_modules(audit_tree):
    files = {
        **STARS,
        "pkg/lazy.py": "def __getattr__(name):\n    return name\n",
        "pkg/globs.py": "globals()['made'] = 1\n",
    }
    project = audit_tree(files).project
    assert [m for m in sorted(project.modules) if project.is_dynamic(m)] == [
        "pkg.cycle_a",
        "pkg.cycle_b",
        "pkg.globs",
        "pkg.lazy",
        "pkg.outside",
        "pkg.through_outside",
    ]


def test_star_imports_bind_and_resolve(audit_tree):
    project = audit_tree(STARS).project
    assert project.is_bound("pkg.chain", "visible") and project.is_bound("pkg.chain", "own")
    assert not project.is_bound("pkg.chain", "_hidden") and not project.is_bound("pkg.chain", "b")
    assert not project.is_bound("pkg.plain", "missing")  # `from json import dumps` binds only `dumps`
    assert project.is_bound("pkg.outside", "anything")  # unknowable names: anything may be there
    assert not project.is_bound("nowhere", "x")
    assert project.resolve("pkg.chain", "f") == ("pkg.plain", "f")
    assert project.resolve("pkg.chain", "a") == ("pkg.listed", "a")
    assert project.resolve("pkg.chain", "b") == ("pkg.chain", "b")  # not exported by pkg.listed
    assert project.resolve("pkg.chain", "os") == (MODULE, "os")  # `import os` in pkg.plain


def test_a_star_import_uses_only_the_names_read(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/api.py": "def used():\n    pass\n\ndef unused():\n    pass\n\ndef attr():\n    pass\n",
        "pkg/app.py": "from pkg.api import *\n\ndef used():\n    pass\n\nused()\n",
        "pkg/other.py": "from pkg.api import *\nattr.__name__\n",
        "pkg/facade.py": "from pkg.api import attr as handle\n__all__ = ['handle']\n",
        "pkg/client.py": "from pkg.facade import *\nhandle()\n",
    }
    result = audit_tree(files)
    project = result.project
    # app.py defines its own `used`: the star import's one is shadowed
    assert project.users(("pkg.api", "used")) == set()
    # through a star import of a re-export: the facade's name and the definition behind it
    assert project.users(("pkg.facade", "handle")) == {"pkg.client"}
    assert project.users(("pkg.api", "attr")) == {"pkg.other", "pkg.client"}
    assert project.users((MODULE, "pkg.api")) == {"pkg.app", "pkg.other", "pkg.facade"}
    assert symbols(result, "unused-function") == ["pkg.api.unused", "pkg.api.used"]


def test_resolution_through_imports(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg.impl import thing as renamed\nfrom pkg import sub\nimport json\nimport pkg.impl as impl\n",
        "pkg/impl.py": "thing = 1\nfrom pkg.missing import gone\nfrom pkg import nothing\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/leaf.py": "",
        "pkg/loop_a.py": "from pkg.loop_b import x\n",
        "pkg/loop_b.py": "from pkg.loop_a import x\n",
        "pkg/me.py": "from pkg.me import x\n",
        "pkg/mid.py": "from pkg.impl import thing as middle\n",
        "pkg/outer.py": "from pkg.mid import middle as outer\nfrom pkg.plain import one\n",
        "pkg/plain.py": "one = two = 1\n",
        "pkg/star_loop.py": "from pkg.star_back import *\n",
        "pkg/star_back.py": "from pkg.star_loop import x\n__all__ = ['x']\n",
    }
    project = audit_tree(files).project
    assert project.resolve("pkg", "renamed") == ("pkg.impl", "thing")
    assert project.resolve("pkg", "sub") == (MODULE, "pkg.sub")
    assert project.resolve("pkg", "json") == (MODULE, "json")
    assert project.resolve("pkg", "impl") == (MODULE, "pkg.impl")
    assert project.resolve("pkg.sub", "leaf") == (MODULE, "pkg.sub.leaf")  # a submodule, never imported
    assert project.resolve("pkg.impl", "gone") == ("pkg.missing", "gone")
    assert project.resolve("pkg.impl", "nothing") == ("pkg", "nothing")
    assert project.resolve("pkg", "undefined") == ("pkg", "undefined")
    assert project.resolve("elsewhere", "name") == ("elsewhere", "name")
    assert project.resolve("pkg.sub.leaf", "x") == ("pkg.sub.leaf", "x")
    assert project.resolve("pkg.loop_a", "x") in {("pkg.loop_a", "x"), ("pkg.loop_b", "x")}  # ends
    assert project.resolve("pkg.me", "x") == ("pkg.me", "x")
    assert project.resolve("pkg.outer", "outer") == ("pkg.impl", "thing")  # followed to the end
    assert project.resolve("pkg.outer", "two") == ("pkg.outer", "two")  # `from m import one` binds no `two`
    assert project.resolve("pkg.star_loop", "x") in {("pkg.star_loop", "x"), ("pkg.star_back", "x")}  # ends
    assert project.bindings("pkg") == {
        "renamed": ("from", "pkg.impl", "thing"),
        "sub": ("from", "pkg", "sub"),
        "json": ("import", "json"),
        "impl": ("import", "pkg.impl"),
    }


def test_bindings_of_plain_dotted_imports_and_local_names(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/m.py": (
            "import os.path\nimport os\nfrom json import dumps\nfrom json import loads as dumps\n"
            "from json import *\nvalue = 1\n\ndef f():\n    import sys\n    from json import dump\n"
        ),
        "pkg/late.py": "def f():\n    import sys\n\nimport os\n",
    }
    project = audit_tree(files).project
    # the first binding of a name wins among imports; a definition overrides them; function-local
    # imports bind nothing at module level, a star import nothing listable
    assert project.bindings("pkg.m") == {
        "os": ("import", "os"),
        "dumps": ("from", "json", "dumps"),
        "value": ("local",),
        "f": ("local",),
    }
    assert project.bindings("pkg.m") is project.bindings("pkg.m")
    assert project.bindings("pkg.late") == {"os": ("import", "os"), "f": ("local",)}  # after a local import too


def test_submodules_found_on_disk(audit_tree, tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/known.py": "",
        "pkg/templates/page.html": "<p></p>",
        "pkg/schema.json": "{}",
        "plain.py": "",
        "assets/logo.txt": "",  # beside the package, not in it (the audit runs from the root)
    }
    project = audit_tree(files).project
    assert project.has_submodule("pkg", "known")
    assert project.has_submodule("pkg", "templates")  # a directory
    assert project.has_submodule("pkg", "schema")  # some file called schema.*
    assert not project.has_submodule("pkg", "missing")
    assert not project.has_submodule("pkg", "assets")
    assert not project.has_submodule("plain", "known")  # not a package
    assert not project.has_submodule("plain", "pkg")  # ... even with a directory of that name beside it
    assert not project.has_submodule("nowhere", "known")
    assert project.is_bound("pkg", "templates") and not project.is_bound("pkg", "missing")
    assert not project.is_bound("plain", "templates")
    shutil.rmtree(tmp_path / "pkg")  # the package is gone from disk: only the scanned modules are known
    assert not project.has_submodule("pkg", "schema")
    assert project.has_submodule("pkg", "known")


def test_dotted_strings_name_functions_and_modules(audit_tree):
    files = {
        "pkg/__init__.py": "def top():\n    pass\n",
        "pkg/mod.py": "def handler():\n    pass\n\ndef other():\n    pass\n",
        "pkg/deep/__init__.py": "",
        "pkg/deep/leaf.py": "def far():\n    pass\n",
        "settings.py": "A = 'pkg.mod.handler'\nB = 'pkg.top'\nC = 'pkg.deep.leaf:far'\nD = 'pkg.deep'\n",
    }
    result = audit_tree(files)
    project = result.project
    assert project.users(("pkg.mod", "handler")) == {"settings"}
    assert project.users(("pkg", "top")) == {"settings"}
    assert project.users(("pkg.deep.leaf", "far")) == {"settings"}
    assert project.users((MODULE, "pkg.deep.leaf")) == {"settings"}
    assert project.users(("pkg", "deep")) == {"settings"}  # 'pkg.deep' reads `deep` of pkg
    assert project.users(("pkg.mod", "other")) == set()
    # a string naming a module is `import_module("pkg.deep")`: the module object escapes
    assert project.reached_dynamically("pkg.deep", "x")
    assert not project.reached_dynamically("pkg.mod", "other")
    assert symbols(result, "unused-function") == ["pkg.mod.other"]


def test_a_computed_import_lets_every_module_named_in_a_string_escape(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/mod.py": "def handler():\n    pass\n\ndef other():\n    pass\n",
        "pkg/quiet.py": "def alone():\n    pass\n",
        "loader.py": "import importlib\n\ndef load(name):\n    return importlib.import_module(name)\n\nload('x')\n",
        "settings.py": "A = 'pkg.mod.handler'\nB = 'alone'\n",
        "pkg/passed.py": "def kept():\n    pass\n",
        "app.py": "from pkg import passed\nprint(passed)\n",
    }
    result = audit_tree(files)
    project = result.project
    assert project.reached_dynamically("pkg.mod", "other")
    assert project.reached_dynamically("pkg.passed", "kept")
    assert not project.reached_dynamically("pkg.quiet", "alone")
    assert project.named_dynamically("alone")  # a plain-name string, with a computed import somewhere
    assert not project.named_dynamically("handler_missing")
    assert symbols(result, "unused-function") == []


def test_without_a_computed_import_plain_name_strings_keep_nothing(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/quiet.py": "def alone():\n    pass\n",
        "settings.py": "B = 'alone'\n",
    }
    result = audit_tree(files)
    assert not result.project.named_dynamically("alone")
    assert symbols(result, "unused-function") == ["pkg.quiet.alone"]


def test_a_module_object_used_as_a_value_escapes(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/passed.py": "def one():\n    pass\n",
        "pkg/attr_only.py": "def two():\n    pass\n\ndef three():\n    pass\n",
        "pkg/itself.py": "import sys\n\ndef four():\n    pass\n\nsys.modules[__name__].x = 1\n",
        "app.py": "from pkg import passed, attr_only\nprint(passed)\nattr_only.two()\n",
    }
    result = audit_tree(files)
    project = result.project
    assert project.reached_dynamically("pkg.passed", "one")
    assert project.reached_dynamically("pkg.itself", "four")
    assert not project.reached_dynamically("pkg.attr_only", "three")
    assert project.users(("pkg.attr_only", "two")) == {"app"}
    assert symbols(result, "unused-function") == ["pkg.attr_only.three"]


def test_attribute_chains_through_imports(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg import inner\n",
        "pkg/inner/__init__.py": "",
        "pkg/inner/mod.py": "def f():\n    pass\n\ndef g():\n    pass\n\nclass C:\n    def m(self):\n        pass\n",
        "a.py": "import pkg.inner.mod\npkg.inner.mod.f()\n",
        "b.py": "import pkg.inner.mod as alias\nalias.C.m\n",
        "c.py": "from pkg import inner\ninner.mod.g()\n",
        "pkg/inner/reexport.py": "from pkg.inner.mod import g as h\n",
        "d.py": "import pkg.inner.reexport\npkg.inner.reexport.h()\n",
    }
    project = audit_tree(files).project
    assert project.users(("pkg.inner.mod", "f")) == {"a"}
    assert project.users(("pkg.inner.mod", "C")) == {"b"}
    assert project.users(("pkg.inner", "mod")) == {"a", "c"}
    assert project.users(("pkg.inner.mod", "m")) == set()  # an attribute of a class, not a module global
    assert project.users((MODULE, "pkg")) >= {"a", "b"}
    # `m.x` uses m's own `x` and, through it, what `x` is
    assert project.users(("pkg.inner.reexport", "h")) == {"d"}
    assert project.users(("pkg.inner.mod", "g")) == {"c", "d"}
    assert project.users((MODULE, "pkg.inner")) >= {"a", "b", "c"}


def test_imports_that_are_never_read_only_carry_the_name(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg.impl import thing, used\nfrom pkg import sub\n__all__ = ['thing', 'sub']\n",
        "pkg/impl.py": "thing = 1\nused = 2\n",
        "pkg/sub.py": "",
        "pkg/reexport.py": "from pkg import thing\n",
        "app.py": "from pkg import used\nprint(used)\n",
    }
    project = audit_tree(files).project
    assert sorted(user for user, _ in project.carriers(("pkg.impl", "thing"))) == ["pkg", "pkg.reexport"]
    assert [user for user, _ in project.carriers(("pkg", "thing"))] == ["pkg.reexport"]
    assert [user for user, _ in project.carriers(("pkg.impl", "used"))] == ["pkg"]
    assert project.carriers(("pkg", "used")) == []
    assert project.users(("pkg.impl", "thing")) == set()
    assert project.users(("pkg.impl", "used")) == {"app"}
    # `from pkg import sub` runs the submodule, unless the import only feeds `__all__`
    assert project.users((MODULE, "pkg.sub")) == set()
    assert project.exported_names("pkg") == {"thing", "sub"}
    assert project.exported_names("pkg.impl") == set()
    assert project.exported_names("nowhere") == set()


def test_a_submodule_imported_and_not_exported_is_run(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg import signals\n",
        "pkg/signals.py": "",
    }
    assert audit_tree(files).project.users((MODULE, "pkg.signals")) == {"pkg"}


def test_first_module_of_a_name_wins_and_unparsed_files_are_listed(audit_tree, tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/ok.py": "x = 1\n",
        "pkg/broken.py": "def (:\n",
    }
    result = audit_tree(files)
    project = result.project
    assert "pkg.broken" not in project.modules
    assert project.unparsed == [str(tmp_path / "pkg/broken.py")]
    assert project.path_of("pkg.ok") == str(tmp_path / "pkg/ok.py")
    assert project.path_of("pkg.broken") is None
    assert not project.is_package("pkg.ok") and project.is_package("pkg") and not project.is_package("nowhere")
    assert project.reported == {"pkg", "pkg.ok"}


def test_each_question_may_come_first(audit_tree):
    files = {
        "pkg/__init__.py": "from pkg.impl import thing\n",
        "pkg/impl.py": "thing = 1\n",
        "pkg/passed.py": "",
        "app.py": "import importlib\nfrom pkg import passed\nprint(passed, 'word')\nimportlib.import_module(passed.__name__)\n",
    }
    done = audit_tree(files).project

    def fresh():  # the same files, nothing asked yet
        return Project(done.files, done.results)

    assert [user for user, _ in fresh().carriers(("pkg.impl", "thing"))] == ["pkg"]
    assert fresh().reached_dynamically("pkg.passed", "x")
    assert fresh().named_dynamically("word")
    assert fresh().users((MODULE, "pkg.passed")) == {"app"}


def test_a_module_star_imported_as_a_name_is_followed(audit_tree):
    files = {
        "pkg/__init__.py": "",
        "pkg/api.py": "def used():\n    pass\n\ndef unused():\n    pass\n",
        "pkg/facade.py": "from pkg import api\n__all__ = ['api']\n",
        "app.py": "from pkg.facade import *\napi.used()\n",
    }
    result = audit_tree(files)
    assert result.project.users(("pkg.api", "used")) == {"app"}
    assert symbols(result, "unused-function") == ["pkg.api.unused"]


def test_names_a_lazy_module_provides_may_be_defined_anywhere(audit_tree):
    files = {
        "lazy/__init__.py": "defined = 1\n\ndef __getattr__(name):\n    return name\n",
        "lazy/impl.py": "def provided():\n    pass\n\ndef defined_too():\n    pass\n",
        "app.py": "from lazy import provided, defined\nprint(provided, defined)\n",
    }
    result = audit_tree(files)
    assert result.project.named_dynamically("provided")
    assert not result.project.named_dynamically("defined")  # bound in lazy itself
    assert symbols(result, "unused-function") == ["lazy.impl.defined_too"]


def test_a_string_with_more_parts_than_the_module_path(audit_tree):
    # in a namespace package (no __init__.py) only the file is a module, not the folders above it
    files = {
        "nspkg/inner/tool.py": "class Klass:\n    def method(self):\n        pass\n",
        "settings.py": "HOOK = 'nspkg.inner.tool.Klass.method'\n",
    }
    result = audit_tree(files)
    assert sorted(result.project.modules) == ["nspkg.inner.tool", "settings"]
    assert result.project.users(("nspkg.inner.tool", "Klass")) == {"settings"}
