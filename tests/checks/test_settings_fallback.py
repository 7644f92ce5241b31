"""settings-fallback: reads of the configured fallback settings from Django settings, by qualified name."""
from __future__ import annotations


def found(result, kind="settings-fallback"):
    return [(f.line, f.column, f.symbol) for f in result.findings if f.kind == kind]


def test_aliased_settings_import_is_flagged(audit_tree):
    result = audit_tree({"a.py": "from django.conf import settings as s\nm = s.DEFAULT_AI_MODEL\n"})
    assert found(result) == [(2, 5, "django.conf.settings.DEFAULT_AI_MODEL")]


def test_getattr_with_default_is_one_finding_not_two(audit_tree):
    result = audit_tree({"a.py": "from django.conf import settings as s\nm = getattr(s, 'DEFAULT_AI_MODEL', 'gpt-4.1')\n"})
    assert found(result) == [(2, 5, "django.conf.settings.DEFAULT_AI_MODEL")]
    assert [f.kind for f in result.findings] == ["settings-fallback"]


def test_import_inside_a_function_is_followed(audit_tree):
    code = "def f():\n    from django.conf import settings\n    return getattr(settings, 'DEFAULT_AI_MODEL')\n\nf()\n"
    assert found(audit_tree({"a.py": code})) == [(3, 12, "django.conf.settings.DEFAULT_AI_MODEL")]


def test_dotted_module_access_is_flagged(audit_tree):
    assert found(audit_tree({"a.py": "import django.conf\nm = django.conf.settings.DEFAULT_AI_MODEL\n"})) == [
        (2, 5, "django.conf.settings.DEFAULT_AI_MODEL")
    ]


def test_local_variable_named_settings_is_not_django_settings(audit_tree):
    code = (
        "from django.conf import settings\n\n"
        "def f(settings):\n    return settings.DEFAULT_AI_MODEL\n\n"
        "def g():\n    settings = {'DEFAULT_AI_MODEL': 1}\n    return getattr(settings, 'DEFAULT_AI_MODEL', None)\n"
    )
    assert found(audit_tree({"a.py": code})) == []


def test_other_settings_and_other_objects_are_not_flagged(audit_tree):
    code = (
        "from django.conf import settings\nimport config\n"
        "t = settings.OPENAI_TIMEOUT\nm = config.DEFAULT_AI_MODEL\nn = getattr(config, 'DEFAULT_AI_MODEL', 'gpt-4')\n"
    )
    assert found(audit_tree({"a.py": code})) == []


def test_setting_names_come_from_the_configuration(audit_tree):
    from audit.config import Config

    code = "from django.conf import settings\na = settings.AI_MODEL\nb = settings.DEFAULT_AI_MODEL\n"
    result = audit_tree({"a.py": code}, config=Config(fallback_settings=("AI_MODEL",)))
    assert found(result) == [(2, 5, "django.conf.settings.AI_MODEL")]


def test_getattr_is_known_by_what_it_resolves_to(audit_tree):
    code = (
        "import builtins\nfrom django.conf import settings\n"
        "a = builtins.getattr(settings, 'DEFAULT_AI_MODEL')\n"
        "b = helpers.getattr(settings, 'DEFAULT_AI_MODEL')\n"  # someone else's getattr
        "c = getattr(settings)\n"  # no setting named: not a read (and not a crash)
    )
    result = audit_tree({"a.py": code})
    assert found(result) == [(3, 5, "django.conf.settings.DEFAULT_AI_MODEL")]
    assert result.errors == []
