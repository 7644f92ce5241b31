"""Run a real package's own unittest-based suite and record every test's outcome as JSON.

Copied beside a package's tree and run with that package's own virtualenv:

    python suite_runner.py OUT.json unittest START_DIR    # `python -m unittest discover START_DIR`
    python -m django test LABEL --testrunner suite_runner.RecordingRunner   # OUT.json from $OWN_SUITE_OUT

The tests are found and run exactly as the package's own command finds and runs them (unittest's
discovery, `load_tests` included; Django's DiscoverRunner and its test database); only the result
object differs: it writes {test id: outcome} (passed, failed, error, skipped, xfail, xpass).
"""

from __future__ import annotations

import json
import os
import sys
import unittest


class RecordingResult(unittest.TextTestResult):
    """A TextTestResult that also remembers each test's outcome by id."""

    outcomes: dict[str, str]

    def _record(self, test, outcome: str) -> None:
        if not hasattr(self, "outcomes"):
            self.outcomes = {}
        key = test.id()
        worse = {"passed": 0, "skipped": 0, "xfail": 0, "xpass": 1, "failed": 2, "error": 3}
        if key not in self.outcomes or worse[outcome] > worse[self.outcomes[key]]:
            self.outcomes[key] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed")

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error")  # setUpClass/module errors come as a holder whose id names the class

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "xfail")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "xpass")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:  # a failing subtest fails its test
            self._record(test, "failed" if issubclass(err[0], test.failureException) else "error")


def dump(result: RecordingResult, out: str) -> None:
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"outcomes": getattr(result, "outcomes", {}), "ran": result.testsRun}, handle, indent=1)


try:  # the Django runner exists only where Django is installed
    from django.test.runner import DiscoverRunner
except ImportError:  # pragma: no cover - the library suites' virtualenv has no Django
    DiscoverRunner = None

if DiscoverRunner is not None:

    class RecordingRunner(DiscoverRunner):
        """Django's own test runner, recording each test's outcome into $OWN_SUITE_OUT."""

        def get_resultclass(self):
            return RecordingResult

        def suite_result(self, suite, result, **kwargs):
            dump(result, os.environ["OWN_SUITE_OUT"])
            return super().suite_result(suite, result, **kwargs)


def main() -> int:
    out, kind, start = sys.argv[1], sys.argv[2], sys.argv[3]
    assert kind == "unittest", kind
    sys.path.insert(0, os.getcwd())
    suite = unittest.defaultTestLoader.discover(start, top_level_dir=os.getcwd())
    result = unittest.TextTestRunner(resultclass=RecordingResult, verbosity=1).run(suite)
    dump(result, out)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
