"""Tests for backprop.gradcheck: it passes on correct backprop, fails on
an injected wrong derivative (naming where), and never changes the net."""
from __future__ import annotations

import copy
import math

import pytest

from backprop import activations
from backprop.activations import Activation
from backprop.errors import BackpropError, ShapeError
from backprop.gradcheck import GradCheck, Row, gradcheck
from backprop.losses import (
    EPS,
    Loss,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    mse,
    mse_grad,
)
from backprop.network import Network

PAIRS = [
    ("sigmoid", "mse", 2),
    ("tanh", "half_sse", 2),
    (["tanh", "sigmoid"], "binary_cross_entropy", 1),
    (["sigmoid", "softmax"], "categorical_cross_entropy", 3),
    (["leaky_relu", "softmax"], "mse", 3),
    (["relu", "identity"], "half_sse", 1),
    (["sigmoid", "tanh", "identity"], "mse", 2),
]


def _case(activation, n_out, seed, bias=True):
    L = 2 if isinstance(activation, str) else len(activation)
    net = Network([3] + [4] * (L - 1) + [n_out], activation, seed=seed,
                  bias=bias)
    x = [0.4, -0.8, 0.3]
    y = [0.0] * n_out
    y[seed % n_out] = 1.0
    return net, x, y


@pytest.mark.parametrize("activation, loss, n_out", PAIRS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_passes_for_correct_backprop(activation, loss, n_out, seed):
    net, x, y = _case(activation, n_out, seed)
    # a central difference across a ReLU kink is not a derivative: make
    # sure no z is within h of 0, so the check is a fair one
    kinked = [z for z, name in zip(net.forward(x).z, net.activations)
              if name in ("relu", "leaky_relu")]
    assert all(abs(v) > 1e-4 for z in kinked for v in z)
    report = gradcheck(net, x, y, loss=loss)
    n_params = sum(len(W) * len(W[0]) + len(W) for W in net.W)
    assert len(report.rows) == n_params
    assert report.ok, str(report)
    assert report.max_error <= 1e-6
    assert str(report).splitlines()[-1].startswith(
        f"PASS: all {n_params} relative errors <= tol = 1e-06")


def test_passes_without_biases():
    net, x, y = _case("tanh", 2, 0, bias=False)
    report = gradcheck(net, x, y)
    assert report.ok and not any(r.name.startswith("b") for r in report.rows)


def _drop_fprime(monkeypatch, name):
    """Make activation `name`'s derivative 1, so that its delta is dL/da:
    the backward pass forgets f'(z)."""
    act = activations.ACTIVATIONS[name]
    monkeypatch.setitem(activations.ACTIVATIONS, name, Activation(
        name, act.f, lambda v: 1.0, act.prime_of))


def test_fails_when_a_derivative_is_wrong(monkeypatch):
    _drop_fprime(monkeypatch, "tanh")
    net, x, y = _case(["tanh", "identity"], 1, 0)     # tanh: hidden only
    report = gradcheck(net, x, y)
    assert not report.ok and report.max_error > 1e-2
    failing = {r.name for r in report.rows if r.rel_error > 1e-6}
    # exactly the hidden layer's parameters, whose delta used tanh'
    assert failing == {r.name for r in report.rows
                       if r.name.startswith(("W[0]", "b[0]"))}
    verdict = str(report).splitlines()[-1]
    assert verdict.startswith(f"FAIL: {len(failing)} of {len(report.rows)}"
                              " relative errors > tol = 1e-06; worst ")
    assert report.worst.name in failing and report.worst.name in verdict
    assert str(report).count("  FAIL") == len(failing)


def test_fails_for_the_classic_sigmoid_bug(monkeypatch):
    # sigmoid'(z) computed as z (1 - z) instead of a (1 - a): the output
    # form a (1 - a) called on z instead of on the output a
    act = activations.ACTIVATIONS["sigmoid"]
    monkeypatch.setitem(activations.ACTIVATIONS, "sigmoid",
                        act._replace(prime_of="z"))
    net, x, y = _case("sigmoid", 2, 1)
    assert not gradcheck(net, x, y).ok


def test_network_is_unchanged():
    net, x, y = _case(["tanh", "sigmoid"], 2, 0)
    W, b = copy.deepcopy(net.W), copy.deepcopy(net.b)
    gradcheck(net, x, y, h=1e-3)           # 0.1 + 1e-3 - 1e-3 != 0.1
    assert net.W == W and net.b == b


def test_network_is_restored_when_the_loss_raises():
    net, x, y = _case("sigmoid", 2, 0)
    W, b = copy.deepcopy(net.W), copy.deepcopy(net.b)
    calls = []

    def flaky(a, y):
        calls.append(1)
        if len(calls) == 5:             # mid-way through a perturbation
            raise RuntimeError("boom")
        return mse(a, y)

    with pytest.raises(RuntimeError):
        gradcheck(net, x, y, loss=Loss("flaky", flaky, mse_grad))
    assert net.W == W and net.b == b


def test_central_difference_error_is_order_h_squared():
    # For L(w) = (sigma(w x) - y)^2 the error of the central difference
    # is about h^2 L'''/6: a tenth of h, a hundredth of the error.
    net = Network.from_weights([[[0.7]]], activation="sigmoid")
    errors = []
    for h in (1e-1, 1e-2):
        row = gradcheck(net, [1.5], [0.2], h=h, tol=1.0).rows[0]
        errors.append(abs(row.numeric - row.analytic))
    assert 80 < errors[0] / errors[1] < 120


def test_zero_gradients_are_not_noise():
    # a dead ReLU unit: analytic and numeric are both (about) 0
    net = Network.from_weights([[[1.0], [-1.0]], [[1.0, 1.0]]],
                               [[0.0, 0.0], [0.0]], ["relu", "identity"])
    report = gradcheck(net, [2.0], [0.5])
    dead = [r for r in report.rows if r.name in ("W[0][1][0]", "b[0][1]")]
    assert [r.analytic for r in dead] == [0.0, 0.0]
    assert all(r.rel_error == 0.0 for r in dead) and report.ok


def test_relative_error_is_the_stated_formula():
    net, x, y = _case("tanh", 2, 1)
    for r in gradcheck(net, x, y).rows:
        scale = max(abs(r.analytic), abs(r.numeric))
        if scale > 1e-2:
            assert math.isclose(
                r.rel_error, abs(r.analytic - r.numeric) / scale)


def test_report_repr_and_table():
    report = GradCheck([Row("W[0][0][0]", 1.0, 1.0, 0.0),
                        Row("b[0][0]", 0.5, 0.25, 0.5)], tol=1e-6)
    assert repr(report) == "GradCheck(params=2, max_error=0.5, ok=False)"
    lines = str(report).splitlines()
    assert lines[0].split() == ["parameter", "analytic", "numeric", "rel.",
                                "error"]
    assert lines[1].split() == ["W[0][0][0]", "1", "1", "0.0e+00"]
    assert lines[2].split() == ["b[0][0]", "0.5", "0.25", "5.0e-01", "FAIL"]
    assert lines[3] == ("FAIL: 1 of 2 relative errors > tol = 1e-06; "
                        "worst b[0][0] (0.5)")


def test_bad_input_says_what_is_wrong():
    net, x, y = _case("sigmoid", 2, 0)
    with pytest.raises(ShapeError, match=r"^gradcheck: x must be a list "
                       "of 3 numbers \\(the network has 3 inputs\\)"):
        gradcheck(net, [1.0], y)
    with pytest.raises(ShapeError, match=r"^gradcheck: y must"):
        gradcheck(net, x, [1.0])
    with pytest.raises(BackpropError, match=r"^gradcheck: h must be a "
                       "positive finite number, got 0"):
        gradcheck(net, x, y, h=0)
    with pytest.raises(BackpropError, match=r"^gradcheck: tol must"):
        gradcheck(net, x, y, tol=float("nan"))
    with pytest.raises(TypeError, match=r"^gradcheck: net must be a "
                       "backprop Network, got list"):
        gradcheck([[1.0]], x, y)
    with pytest.raises(BackpropError, match=r"^gradcheck: x\[0\] must be "
                       "finite"):
        gradcheck(net, [float("inf"), 0.0, 0.0], y)


# === Saturated outputs under a clipping loss ===============================
# binary_cross_entropy and categorical_cross_entropy clip a to
# [EPS, 1 - EPS], so their central difference is 0 where an output is
# saturated, while backprop gives the unclipped loss's gradient.


def test_saturated_sigmoid_bce_is_not_a_false_fail():
    # z = 40: a = sigma(40) rounds to 1.0. Unclipped, L = -log(1 - a) and
    # dL/dw = (a - y) x = 1 by hand, dL/db = a - y = 1.
    net = Network.from_weights([[[40.0]]], [[0.0]])
    assert net.forward([1.0]).a[-1] == [1.0]
    report = gradcheck(net, [1.0], [0.0], loss="binary_cross_entropy")
    assert [(r.name, r.analytic, r.numeric, r.checkable)
            for r in report.rows] == [("W[0][0][0]", 1.0, 0.0, False),
                                      ("b[0][0]", 1.0, 0.0, False)]
    assert report.ok and report.checked == 0 and report.max_error == 0.0
    assert "FAIL" not in str(report)
    assert str(report).count("  not checkable") == 2
    assert report.verdict().startswith(
        "NOT CHECKED: none of the 2 parameters could be checked (output "
        "saturated, the loss clips it to [1e-12, 1 - 1e-12])")
    assert repr(report) == ("GradCheck(params=2, max_error=0, ok=True, "
                            "not_checkable=2)")


def _half_saturated():
    """Output 0 saturated on the wrong side (a = 1, y = 0), output 1 not."""
    net = Network.from_weights([[[40.0], [0.5]]], [[0.0, 0.0]])
    return net, [1.0], [0.0, 1.0]


def test_only_the_saturated_outputs_parameters_are_skipped():
    net, x, y = _half_saturated()
    report = gradcheck(net, x, y, loss="binary_cross_entropy")
    assert {r.name: r.checkable for r in report.rows} == {
        "W[0][0][0]": False, "W[0][1][0]": True,
        "b[0][0]": False, "b[0][1]": True}
    # the checked ones: dL/dz1 = (a1 - 1)/2 with a1 = sigma(0.5)
    a1 = 1 / (1 + math.exp(-0.5))
    for r in report.rows[1::2]:
        assert math.isclose(r.numeric, (a1 - 1) / 2, rel_tol=1e-8)
    assert report.ok and report.checked == 2
    assert report.worst.name in ("W[0][1][0]", "b[0][1]")
    assert report.verdict().startswith(
        "PASS: all 2 checked relative errors <= tol = 1e-06; largest ")
    assert report.verdict().endswith(
        "; 2 not checkable (output saturated, the loss clips it to "
        "[1e-12, 1 - 1e-12])")


def test_a_wrong_gradient_still_fails_next_to_a_saturated_output():
    # the BCE gradient without its 1/n (n = 2): twice the true one. A new
    # name, so Network.backward does not take the sigmoid + BCE shortcut.
    wrong = Loss("bce_without_1/n", binary_cross_entropy,
                 lambda a, y: [2 * g for g in
                               binary_cross_entropy_grad(a, y)])
    net, x, y = _half_saturated()
    report = gradcheck(net, x, y, loss=wrong)
    assert not report.ok
    assert {r.name for r in report.rows
            if r.checkable and r.rel_error > 1e-6} == {"W[0][1][0]",
                                                         "b[0][1]"}
    assert math.isclose(report.max_error, 0.5, rel_tol=1e-6)
    assert report.verdict().startswith(
        "FAIL: 2 of 2 checked relative errors > tol = 1e-06; worst ")
    assert "; 2 not checkable" in report.verdict()
    assert str(report).count("  FAIL") == 2


def test_hidden_layers_feed_every_output():
    net = Network.from_weights([[[1.0], [2.0]], [[40.0, 0.0], [0.5, 0.5]]],
                               [[0.0, 0.0], [0.0, 0.0]], ["tanh", "sigmoid"])
    report = gradcheck(net, [1.0], [0.0, 1.0], loss="binary_cross_entropy")
    checkable = {r.name for r in report.rows if r.checkable}
    assert checkable == {"W[1][1][0]", "W[1][1][1]", "b[1][1]"}
    assert report.ok and report.checked == 3


def test_saturated_softmax_cce_skips_the_whole_output_layer():
    # a = softmax([40, -40]) = [1, e^-80]: the target's a is below EPS
    net = Network.from_weights([[[40.0], [-40.0]]], [[0.0, 0.0]],
                               "softmax")
    report = gradcheck(net, [1.0], [0.0, 1.0],
                       loss="categorical_cross_entropy")
    # backprop: delta = a - y = [1, -1] (to 1e-34), by hand
    assert [round(r.analytic, 12) for r in report.rows] == [1, -1, 1, -1]
    assert not any(r.checkable for r in report.rows) and report.ok
    # saturated on the right side, a[0] = 1 > 1 - EPS is clipped too:
    # both gradients are 0, which says nothing about the derivatives
    report = gradcheck(net, [1.0], [1.0, 0.0],
                       loss="categorical_cross_entropy")
    assert [abs(r.analytic) < 1e-30 for r in report.rows] == [True] * 4
    assert report.checked == 0 and report.ok


def test_clipping_reached_only_by_the_nudge_is_caught():
    # a = EPS (1 + 5e-7) is not clipped, but at w - h it is, so the
    # central difference is off (-0.75 instead of -1); not checkable.
    t = EPS * (1 + 5e-7)
    net = Network.from_weights([[[math.log(t / (1 - t))]]])
    assert EPS < net.forward([1.0]).a[-1][0]
    report = gradcheck(net, [1.0], [1.0], loss="binary_cross_entropy")
    (row,) = report.rows
    assert math.isclose(row.analytic, -1.0, rel_tol=1e-9)
    assert row.rel_error > 0.1 and not row.checkable and report.ok


def test_unsaturated_cross_entropy_is_checked_in_full():
    for activation, loss, n_out in PAIRS[2:4]:
        net, x, y = _case(activation, n_out, 0)
        report = gradcheck(net, x, y, loss=loss)
        assert report.checked == len(report.rows) and report.ok
        assert "not checkable" not in str(report)


# === A ReLU's kink: not checkable (issue 13) ================================

def test_relu_kink_at_zero_input_is_not_a_false_fail():
    # `gradcheck --activation relu --input 0,0`: zero biases and x = 0
    # make every z exactly 0; a bias nudge moves its z to +-h, across
    # the kink, where the central difference averages slopes 0 and 1
    from backprop.gradcheck import KINK
    net = Network([2, 3, 1], "relu", seed=0)
    assert all(v == 0.0 for b in net.b for v in b)
    report = gradcheck(net, [0.0, 0.0], [1.0])
    skipped = [r.name for r in report.rows if not r.checkable]
    assert skipped == ["b[0][0]", "b[0][1]", "b[0][2]", "b[1][0]"]
    assert report.ok and report.checked == 9
    assert report.verdict().endswith(f"; 4 not checkable ({KINK})")
    assert "FAIL" not in str(report)


def test_leaky_relu_kink_and_no_false_skips_away_from_it():
    net = Network.from_weights([[[1.0, -1.0]], [[2.0]]], [[0.0], [0.5]],
                               ["leaky_relu", "identity"])
    report = gradcheck(net, [0.5, 0.5], [1.0])      # z1 = 0 exactly
    assert [r.name for r in report.rows if not r.checkable] == \
        ["W[0][0][0]", "W[0][0][1]", "b[0][0]"]
    far = gradcheck(net, [0.5, 0.25], [1.0])        # z1 = 0.25
    assert far.checked == len(far.rows) and far.ok


def test_a_kink_and_a_saturated_output_are_both_named():
    net = Network.from_weights([[[1.0], [1.0]], [[40.0, 40.0]]],
                               [[0.0, -1.0], [0.0]], ["relu", "sigmoid"])
    report = gradcheck(net, [1.0], [0.0], loss="binary_cross_entropy")
    verdict = report.verdict()
    assert "output saturated" in verdict and "kink" in verdict
