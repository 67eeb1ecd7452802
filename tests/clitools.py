"""Running backprop in a child process, for the tests: one place for
the command line the README gives (``python -m backprop ...``), the
environment that finds this checkout, and the skip where there are no
subprocesses (Pyodide)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))

needs_subprocess = pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Emscripten (Pyodide) has no subprocesses")


def python(*args, env=ENV, cwd=ROOT):
    """Run ``python ARGS`` (this interpreter) from the repository root
    by default; return the CompletedProcess, output as text."""
    return subprocess.run([sys.executable, *args], capture_output=True,
                          text=True, cwd=cwd, env=env)


def run_backprop(*args, env=ENV, cwd=ROOT):
    """Run ``python -m backprop ARGS``, as :func:`python` does."""
    return python("-m", "backprop", *args, env=env, cwd=cwd)


def predictions(out):
    """The numbers after "Predicted: " in the XOR demo's output."""
    return [float(line.split("Predicted: ")[1].split(",")[0])
            for line in out.splitlines() if "Predicted" in line]
