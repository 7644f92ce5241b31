"""The per-file pass never raises: any source either yields plain data or an `error` reason."""

from __future__ import annotations

import pickle

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from igny8_refactor.audit.config import Config
from igny8_refactor.audit.scan import ScanSettings, scan_file

SETTINGS = ScanSettings.from_config(Config())
# a prefix that switches the LibCST pass on for every module hypothesis builds
TRIGGER = "from django.conf import settings\nMODEL_CONFIG = {'a': {'model': 'gpt-4.1'}}\n"


def scan(tmp_path, source: str) -> dict:
    path = tmp_path / "fuzzed.py"
    path.write_text(TRIGGER + source, encoding="utf-8")
    result = scan_file(str(path), "pkg.fuzzed", False, SETTINGS)
    assert pickle.loads(pickle.dumps(result)) == result  # plain data: fit for the cache and the pool
    return result


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=hypothesmith.from_grammar())
def test_valid_python_is_analysed(tmp_path_factory, source):
    result = scan(tmp_path_factory.mktemp("fuzz"), source)
    if result.error is not None:
        assert result.error.startswith(("cannot parse", "cannot analyse"))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=st.text(max_size=300))
def test_arbitrary_text_never_raises(tmp_path_factory, source):
    result = scan(tmp_path_factory.mktemp("fuzz"), source)
    assert result.error is None or isinstance(result.error, str)
