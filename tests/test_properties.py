"""Properties that hold for every input, checked with hypothesis.

* backprop's gradient agrees with a central-difference gradient computed
  here, on random architectures, activations and losses;
* sigmoid and softmax stay finite and in [0, 1] for any float input;
* save/load gives back every weight bit for bit;
* training is deterministic for a seed: bit for bit on one interpreter,
  and within 1e-12 (relative) across every CPython 3.8 ... 3.13 that
  pyenv has (the last test runs the same training in each of them).
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis_or_skip import HealthCheck, given, settings, st

import backprop as bp
from backprop.io import load, save

ROOT = Path(__file__).resolve().parent.parent
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Output activation and loss pairs that make sense together. Hidden
# layers use smooth activations only: relu's kink at 0 would make the
# numerical gradient disagree for reasons that are not bugs.
PAIRS = [("sigmoid", "mse"), ("sigmoid", "half_sse"),
         ("sigmoid", "binary_cross_entropy"), ("tanh", "mse"),
         ("identity", "half_sse"), ("identity", "mse"),
         ("softmax", "categorical_cross_entropy")]
HIDDEN = ["sigmoid", "tanh", "identity"]


@st.composite
def problems(draw):
    """A random network, one sample x and a target y that suits its loss."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    out, loss = draw(st.sampled_from(PAIRS))
    if out == "softmax" and sizes[-1] == 1:
        sizes[-1] = 2
    hidden = draw(st.lists(st.sampled_from(HIDDEN), min_size=len(sizes) - 2,
                           max_size=len(sizes) - 2))
    net = bp.Network(sizes, hidden + [out], seed=draw(st.integers(0, 999)),
                     bias=draw(st.booleans()))
    x = draw(st.lists(st.floats(-2, 2), min_size=sizes[0],
                      max_size=sizes[0]))
    n = sizes[-1]
    if loss == "categorical_cross_entropy":
        k = draw(st.integers(0, n - 1))
        y = [1.0 if i == k else 0.0 for i in range(n)]
    elif out == "sigmoid":
        y = draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    else:
        y = draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n))
    return net, x, y, loss


def numerical_gradient(net, params, x, y, loss, h=1e-6):
    """(L(w + h) - L(w - h)) / 2h for every entry of every row in params."""
    f = bp.get_loss(loss).f
    grads = []
    for row in params:
        g = []
        for i, w in enumerate(row):
            row[i] = w + h
            up = f(net.forward(x).a[-1], y)
            row[i] = w - h
            down = f(net.forward(x).a[-1], y)
            row[i] = w
            g.append((up - down) / (2 * h))
        grads.append(g)
    return grads


@FAST
@given(problems())
def test_backprop_agrees_with_numerical_gradient(problem):
    net, x, y, loss = problem
    g = net.backward(net.forward(x), y, loss)
    rows = [r for W in net.W for r in W]
    analytic = [r for dW in g.dW for r in dW]
    if net.b is not None:
        rows += net.b
        analytic += g.db
    numeric = numerical_gradient(net, rows, x, y, loss)
    for a_row, n_row in zip(analytic, numeric):
        for a, n in zip(a_row, n_row):
            assert abs(a - n) <= 1e-6 + 1e-5 * max(abs(a), abs(n)), \
                (net, x, y, loss, a, n)


any_float = st.floats(allow_nan=False, allow_infinity=True)


@settings(max_examples=200, deadline=None)
@given(any_float)
def test_sigmoid_is_finite_and_in_range(z):
    s = bp.sigmoid(z)
    assert 0.0 <= s <= 1.0
    assert bp.sigmoid_prime(z) >= 0.0


@settings(max_examples=200, deadline=None)
@given(st.lists(any_float, min_size=1, max_size=8))
def test_softmax_is_finite_in_range_and_sums_to_one(z):
    p = bp.softmax(z)
    assert len(p) == len(z)
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in p)
    assert math.fsum(p) == pytest.approx(1.0, abs=1e-12)


@st.composite
def networks(draw):
    """A network with arbitrary finite weights, any activations."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    w = st.floats(allow_nan=False, allow_infinity=False)
    W = [[draw(st.lists(w, min_size=n_in, max_size=n_in))
          for _ in range(n_out)] for n_in, n_out in zip(sizes, sizes[1:])]
    b = None if draw(st.booleans()) else [
        draw(st.lists(w, min_size=n, max_size=n)) for n in sizes[1:]]
    names = sorted(bp.activations.ACTIVATIONS)
    # softmax only on layers of 2 or more neurons (on one it is always 1)
    acts = [draw(st.sampled_from(names if n > 1 else
                                 [m for m in names if m != "softmax"]))
            for n in sizes[1:]]
    return bp.Network.from_weights(W, b, acts)


def bits(values):
    """Floats as their exact hex, so -0.0 and 0.0 differ."""
    if isinstance(values, list):
        return [bits(v) for v in values]
    return float.hex(values) if values is not None else None


@FAST
@given(networks())
def test_save_load_round_trips_exactly(tmp_path, net):
    path = tmp_path / "net.json"
    save(net, path)
    back = load(path)
    assert bits(back.W) == bits(net.W)
    assert bits(back.b) == bits(net.b)
    assert back.activations == net.activations
    assert back.sizes == net.sizes


# === determinism ============================================================

# One fixed training, printed as exact float reprs. Kept to features that
# exist on every interpreter (it runs under 3.8 too).
REFERENCE = """
import sys; sys.path.insert(0, {root!r})
import backprop as bp
X = [[0, 0], [0, 1], [1, 0], [1, 1]]
y = [[0], [1], [1], [0]]
net = bp.Network([2, 3, 1], ["tanh", "sigmoid"], seed=7)
h = bp.train(net, X, y, epochs=300, eta=0.05, batch_size=2, shuffle=True,
             seed=11, loss="binary_cross_entropy", optimizer="adam")
print(repr(h.losses[-1]))                  # learns XOR: about 0.008
print(" ".join(repr(a[0]) for a in net.predict(X)))
"""


def reference_run(python: str) -> list:
    r = subprocess.run([python, "-I", "-c", REFERENCE.format(root=str(ROOT))],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return [float(v) for v in r.stdout.split()]


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from(["gd", "momentum", "adam"]))
def test_training_is_bit_for_bit_repeatable(seed, optimizer):
    def once():
        net = bp.Network([2, 3, 1], seed=seed)
        h = bp.train(net, [[0, 0], [0, 1], [1, 0], [1, 1]],
                     [[0], [1], [1], [0]], epochs=20, eta=0.5,
                     batch_size=1, shuffle=True, seed=seed,
                     optimizer=optimizer)
        return bits(h.losses), bits(net.W), bits(net.b)
    assert once() == once()


def pyenv_pythons() -> list:
    """Every CPython 3.8 ... 3.13 interpreter that pyenv has."""
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True,
                              text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return []
    found = []
    for d in sorted(Path(root or "/nonexistent", "versions").glob("3.*")):
        parts = d.name.split(".")
        if len(parts) == 3 and parts[1].isdigit() \
                and 8 <= int(parts[1]) <= 13 and (d / "bin/python3").exists():
            found.append(str(d / "bin/python3"))
    return found


@pytest.mark.skipif(sys.platform == "emscripten",
                    reason="Emscripten (Pyodide) has no subprocesses")
def test_training_agrees_across_interpreters():
    pythons = pyenv_pythons()
    if len(pythons) < 2:
        pytest.skip("fewer than two pyenv CPython 3.8-3.13 interpreters")
    results = {p: reference_run(p) for p in pythons}
    here = reference_run(sys.executable)
    for python, values in results.items():
        for v, w in zip(values, here):
            assert math.isclose(v, w, rel_tol=1e-12, abs_tol=0.0), \
                (python, values, here)
    print(json.dumps({Path(p).parent.parent.name: v
                      for p, v in results.items()}))
