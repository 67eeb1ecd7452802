"""hypothesis when it is installed; otherwise stand-ins that skip.

A test file that mixes property tests with ordinary ones imports
``given``, ``settings``, ``st`` and ``HealthCheck`` from here instead of
from hypothesis. Where only the standard library and pytest are installed
(.ci/pythons runs such files under every Python), its ordinary tests
still run and each ``@given`` test is reported as skipped ("needs
hypothesis") instead of the whole file failing to import.
"""
from __future__ import annotations

import pytest

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:
    class _Anything:
        """Stands for any strategy or setting: every call, public
        attribute and ``|`` gives another one."""

        def __call__(self, *args, **kwargs):
            return self

        def __getattr__(self, name):
            if name.startswith("_"):    # pytest and doctest probe these
                raise AttributeError(name)
            return self

        def __or__(self, other):
            return self

    st = HealthCheck = _Anything()

    def settings(*args, **kwargs):
        """A settings object is a decorator: here it changes nothing."""
        return lambda test: test

    def given(*args, **kwargs):
        """Replace the test by one that takes no arguments and skips."""
        def decorate(test):
            def skipped():
                pytest.skip("needs hypothesis")
            skipped.__name__ = test.__name__
            skipped.__qualname__ = test.__qualname__
            skipped.__doc__ = test.__doc__
            return skipped
        return decorate

__all__ = ["HealthCheck", "given", "settings", "st"]
