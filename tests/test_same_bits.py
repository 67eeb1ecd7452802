"""The same numbers on every Python: a chaotic run, compared by its bits.

Per-sample Adam at eta = 0.5 on two moons is chaotic: a difference in the
last bit of one sum grows until the final loss differs in its first digit
(before the one summation order, this run ended at 0.7082 on CPython
3.8-3.11 and PyPy and at 0.6527 on 3.12 and 3.13, whose sum() of floats
is compensated). backprop adds every sum left to right
(backprop.matrix.total), so the run must end with the same bits on every
interpreter.

A second fingerprint covers what else is computed from seeds: the data
sets and their preparation, every weight initialisation, a shuffled
mini-batch run with momentum, explain's text and gradcheck's numbers.

Run as a script, this file prints both fingerprints. The test below
runs that script under every interpreter it finds here (pyenv's CPython
3.8+, PyPy 3) and compares each fingerprint with its own; .ci/pythons also
runs the test under each CPython. The exponentials, logarithms, tanh,
sin and cos come from backprop.elementary, not from the C library, whose
last bits differ between platforms (glibc, musl in the browser's Pyodide).

In the browser: with Pyodide's package unpacked in /tmp/pyo/package,
a node script that copies backprop/ and this file into Pyodide's file
system and calls chaotic_run() and toolkit_run() prints the same line
as ``python tests/test_same_bits.py``.
"""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chaotic_run():
    """Return (final loss, hex digest of every loss and weight's bits)."""
    import backprop as bp
    from backprop.datasets import two_moons
    X, labels = two_moons(100, noise=0.1, seed=0)
    y = [[float(k)] for k in labels]
    net = bp.Network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], seed=0)
    h = bp.train(net, X, y, epochs=50, eta=0.5, batch_size=1,
                 optimizer="adam", loss="binary_cross_entropy")
    floats = h.losses + [w for W in net.W for row in W for w in row] + \
        [v for b in net.b for v in b]
    digest = hashlib.sha256(" ".join(v.hex() for v in floats).encode())
    return h.losses[-1], digest.hexdigest()[:16]


def toolkit_run():
    """Return a digest of what the other modules compute from seeds: the
    data sets and their preparation, every weight initialisation, a
    shuffled mini-batch run, explain's text and gradcheck's numbers."""
    import backprop as bp
    from backprop import datasets, prepare
    from backprop.explain import explain
    from backprop.gradcheck import gradcheck
    parts = [datasets.two_moons(50, seed=1), datasets.circles(50, seed=2),
             datasets.spirals(60, classes=3, seed=3), datasets.wheat_seeds()]
    data = datasets.load("wheat-seeds", seed=4)
    parts.append((data.X, data.y, data.X_test, data.mean, data.std))
    parts.append(prepare.train_test_split(*parts[0], seed=5))
    parts += [bp.Network([3, 4, 2], init=init, seed=6).W
              for init in ("small_normal", "normal", "uniform", "xavier",
                           "he")]
    net = bp.Network([2, 5, 3], ["relu", "softmax"], seed=7)
    X, labels = datasets.spirals(60, classes=3, seed=8)
    h = bp.train(net, X, prepare.one_hot(labels, 3), epochs=20, eta=0.3,
                 batch_size=7, shuffle=True, seed=9, optimizer="momentum",
                 loss="categorical_cross_entropy")
    parts += [h.losses, net.W, net.b]
    parts.append(explain(net, X[0], [1.0, 0.0, 0.0], eta=0.1,
                         loss="categorical_cross_entropy", markdown=True))
    report = gradcheck(net, X[1], [0.0, 1.0, 0.0],
                       loss="categorical_cross_entropy")
    parts.append([(r.analytic, r.numeric) for r in report.rows])
    text = repr(parts)          # repr of a float is its shortest round trip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def interpreters():
    """Every other Python here that can import backprop: pyenv's 3.8+
    and PyPy 3."""
    found = []
    pyenv = shutil.which("pyenv")
    if pyenv:
        out = subprocess.run([pyenv, "versions", "--bare"],
                             capture_output=True, text=True).stdout.split()
        root = subprocess.run([pyenv, "root"], capture_output=True,
                              text=True).stdout.strip()
        for v in out:
            parts = v.split(".")
            if len(parts) == 3 and parts[0] == "3" and int(parts[1]) >= 8:
                found.append(os.path.join(root, "versions", v, "bin",
                                          "python3"))
    if shutil.which("pypy3"):
        found.append(shutil.which("pypy3"))
    return [p for p in found if os.path.exists(p)]


def fingerprint(python):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([python, str(Path(__file__))], capture_output=True,
                         text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


# A record of a run, not a truth: the chaotic run's final loss and digest
# as CPython 3.8-3.13, PyPy 3.9 and Pyodide 314.0.7 (CPython 3.14.2, in
# WebAssembly) all printed them. A change that moves any bit of training
# (a new rounding order, a new formula) changes it: re-record it then,
# on two interpreters, and say why in the commit.
RECORDED = "0x1.75cb2b40d5745p-1 18b84ad7ca7a37cc"


def test_chaotic_run_matches_its_record():
    loss, digest = chaotic_run()
    assert f"{loss.hex()} {digest}" == RECORDED


def test_chaotic_run_has_the_same_bits_on_every_interpreter():
    import pytest        # here: the script runs where pytest is missing
    if sys.platform == "emscripten":
        pytest.skip("Emscripten (Pyodide) has no subprocesses")
    here = fingerprint(sys.executable)
    loss, digest = chaotic_run()
    assert here == f"{loss.hex()} {digest} {toolkit_run()}"  # a 2nd process
    found = interpreters()
    if not found:
        pytest.skip("no other Python here (pyenv, pypy3) to compare with")
    others = {p: fingerprint(p) for p in found}
    differ = {p: f for p, f in others.items() if f != here}
    assert not differ, f"this Python gives {here}; these differ: {differ}"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    loss, digest = chaotic_run()
    print(loss.hex(), digest, toolkit_run())
