"""CI runs Hypothesis derandomized (the "ci" profile in tests/conftest.py); elsewhere the default profile."""

import os

from hypothesis import settings


def test_ci_loads_the_derandomized_profile_and_elsewhere_the_default():
    if os.environ.get("CI") == "true":
        assert settings.default.derandomize is True
        assert settings.default.deadline is None
        assert settings.default.database is None
    else:
        assert settings.default.derandomize is False
    ci = settings.get_profile("ci")
    assert (ci.derandomize, ci.deadline, ci.max_examples) == (True, None, 50)
