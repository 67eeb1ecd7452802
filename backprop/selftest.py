"""Check an installation with nothing but Python: ``python -m backprop
selftest``.

The self-test runs every ``>>>`` example in the package's docstrings with
the standard :mod:`doctest` module (the examples double as the package's
specification), then a few end-to-end checks that use several modules
together. It ends with a line ``N passed, N failed`` that counts each
example and each check, and :func:`selftest` returns the two numbers.

The modules are found with :func:`pkgutil.iter_modules` on the package's
``__path__``, never by listing files, so the test also works when backprop
is imported from a zip file. Under ``python -OO`` the docstrings, and so
their examples, are gone; the self-test says so, runs only the end-to-end
checks and its last line says that no examples were run.

==================  ======================================================
name                what it is
==================  ======================================================
selftest            run the examples and the checks, print a report
package_modules     the names of the package's modules, package first
CHECKS              the end-to-end checks: (description, function) pairs
==================  ======================================================

>>> import io, types
>>> demo = types.ModuleType("demo", ">>> 2 + 2\\n4\\n")
>>> report = io.StringIO()
>>> selftest([demo], checks=[], out=report)
(1, 0)
>>> print(report.getvalue().splitlines()[-1])
1 passed, 0 failed
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TextIO

from .errors import BackpropError

__all__ = ["selftest", "package_modules", "CHECKS"]

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
"""The doctest options, the same as the pytest run's."""


class CheckFailed(BackpropError):
    """An end-to-end check found a wrong result (raised explicitly, not
    with ``assert``, which ``python -O`` removes)."""


# === The end-to-end checks ==================================================

def _check_xor() -> None:
    from .network import Network
    from .training import train
    X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]
    net = Network([2, 4, 1], seed=0)
    train(net, X, y, epochs=3000, eta=1.0, loss="binary_cross_entropy")
    p = [a[0] for a in net.predict(X)]
    if any(abs(pi - t[0]) >= 0.1 for pi, t in zip(p, y)):
        raise CheckFailed(f"predictions {p} are not within 0.1 of 0, 1, 1, 0")


def _check_gradcheck() -> None:
    from .gradcheck import gradcheck
    from .network import Network
    net = Network([3, 4, 2], ["tanh", "sigmoid"], seed=1)
    report = gradcheck(net, [0.2, -0.4, 0.7], [0.0, 1.0], loss="mse")
    if not report.ok:
        raise CheckFailed(report.verdict())


def _check_save_load() -> None:
    from .io import load, save
    from .network import Network
    net = Network([2, 3, 1], ["relu", "sigmoid"], seed=2)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "net.json")
        save(net, path)
        back = load(path)
    x = [[0.3, -1.7]]
    if (back.W, back.b, back.activations) != (net.W, net.b,
                                              net.activations) \
            or back.predict(x) != net.predict(x):
        raise CheckFailed("the loaded network differs from the saved one")


CHECKS: list[tuple[str, Callable[[], None]]] = [
    ("a 2-4-1 network learns XOR (outputs within 0.1)", _check_xor),
    ("backprop's gradient equals the numerical one (gradcheck)",
     _check_gradcheck),
    ("a saved network loads back bit for bit (io)", _check_save_load),
]


# === Running ================================================================

def package_modules() -> list[str]:
    """Return the names of backprop and its modules, in name order.

    ``__main__`` is left out: importing it would run the command line.

    >>> names = package_modules()
    >>> names[0], "backprop.network" in names, "backprop.__main__" in names
    ('backprop', True, False)
    """
    package = importlib.import_module(__package__)
    names = [f"{__package__}.{m.name}"
             for m in pkgutil.iter_modules(package.__path__)
             if m.name != "__main__"]
    return [__package__] + sorted(names)


def _run_doctests(module: ModuleType, out: TextIO) -> tuple[int, int]:
    """Return (attempted, failed) for the examples in module's
    docstrings; doctest writes each failure's report to out."""
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    attempted = failed = 0
    for test in doctest.DocTestFinder().find(module):
        result = runner.run(test, out=out.write)
        attempted += result.attempted
        failed += result.failed
    return attempted, failed


def _doctest_section(modules: Sequence[ModuleType | str], out: TextIO
                     ) -> tuple[int, int]:
    """Run every module's examples; return (passed, failed)."""
    passed = failed = 0
    print("Docstring examples (doctest):", file=out)
    for module in modules:
        if isinstance(module, str):
            name = module
            try:
                module = importlib.import_module(name)
            except Exception as exc:            # a broken install
                print(f"  {name}: cannot import it: {exc!r}", file=out)
                failed += 1
                continue
        try:
            n, bad = _run_doctests(module, out)
        except ValueError as exc:   # doctest cannot parse a docstring
            print(f"  {module.__name__}: {exc}", file=out)
            failed += 1
            continue
        passed, failed = passed + n - bad, failed + bad
        note = f", {bad} failed" if bad else ""
        print(f"  {module.__name__:<22} {n:>3} examples{note}", file=out)
    return passed, failed


def _check_section(checks: Sequence[tuple[str, Callable[[], None]]],
                   out: TextIO) -> tuple[int, int]:
    """Run every check; return (passed, failed)."""
    passed = failed = 0
    print("End-to-end checks:", file=out)
    for description, check in checks:
        try:
            check()
        except Exception as exc:  # any error means the check failed
            print(f"  FAIL  {description}: {exc}", file=out)
            failed += 1
        else:
            print(f"  ok    {description}", file=out)
            passed += 1
    return passed, failed


def selftest(modules: Sequence[ModuleType | str] | None = None,
             checks: Sequence[tuple[str, Callable[[], None]]] | None = None,
             *, out: TextIO | None = None) -> tuple[int, int]:
    """Return (passed, failed) after running the examples and checks.

    modules are module objects or names (default: package_modules());
    checks are (description, function) pairs (default: CHECKS), where
    the function raises on failure. The report goes to out (default:
    sys.stdout) and ends with the line ``N passed, N failed``.
    Under ``python -OO`` the examples are reported as unavailable and
    only the checks count.

    >>> import io, types
    >>> broken = types.ModuleType("broken", ">>> 1 + 1\\n3\\n")
    >>> def fine():
    ...     pass
    >>> report = io.StringIO()
    >>> selftest([broken], checks=[("nothing to see", fine)], out=report)
    (1, 1)
    >>> print(report.getvalue().splitlines()[-1])
    1 passed, 1 failed

    It raises nothing itself: errors in examples and checks are counted.
    """
    out = sys.stdout if out is None else out
    modules = package_modules() if modules is None else modules
    checks = CHECKS if checks is None else checks
    print(f"backprop self-test on Python {sys.version.split()[0]}",
          file=out)
    stripped = sys.flags.optimize >= 2 or selftest.__doc__ is None
    if stripped:
        print("Docstring examples: unavailable, because python -OO strips "
              "docstrings; run without -OO to check them.", file=out)
        passed = failed = 0
    else:
        passed, failed = _doctest_section(modules, out)
    p, f = _check_section(checks, out)
    passed, failed = passed + p, failed + f
    tail = " (end-to-end checks only: no examples were run)" \
        if stripped else ""
    print(f"{passed} passed, {failed} failed{tail}", file=out)
    return passed, failed
