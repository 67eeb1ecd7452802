"""Training never returns NaN or infinite weights: it raises
DivergenceError, naming the epoch and the layer, with the History so far.

train checks the loss and the weights once per epoch, after the epoch,
so the readable path (update_batch) and the fast path (_fast.epoch) are
both covered; each case below runs both ways.
"""
from __future__ import annotations

import math
import random

import pytest
from hypothesis_or_skip import HealthCheck, given, settings, st

import backprop as bp
from backprop import _fast
from backprop.datasets import two_moons


def finite(net):
    values = [v for W in net.W for row in W for v in row]
    values += [v for b in net.b or [] for v in b]
    return all(math.isfinite(v) for v in values)


@pytest.fixture(params=["fast", "readable"])
def path(request, monkeypatch):
    """Run the test on the fast path, then on the readable one."""
    if request.param == "readable":
        monkeypatch.setattr(_fast, "applies", lambda net, opt: False)
    return request.param


def test_saturated_sigmoid_with_a_clipped_loss_raises(path):
    # the case: the loss stays finite (the sigmoid saturates and
    # cross-entropy clips) while w = 0 - 1e308 * 5 = -inf
    net = bp.Network.from_weights([[[0.0]]], [[0.0]], "sigmoid")
    with pytest.raises(bp.DivergenceError) as info:
        bp.train(net, [[10.0]], [[0.0]], epochs=5, eta=1e308,
                 loss="binary_cross_entropy")
    message = str(info.value)
    assert message.startswith("train: the weights of layer 1 (W[0], b[0]) "
                              "became non-finite at epoch 0")
    assert "W[0][0][0] = -inf" in message and "eta=1e+308" in message
    assert info.value.history.losses == [math.log(2.0)]


def test_a_non_finite_bias_is_named(path):
    # x = 0: the weight gets no gradient, only the bias overflows; the
    # loss (1e100)^2 / 2 of epoch 0 is finite
    net = bp.Network.from_weights([[[1.0]]], [[0.0]], "identity")
    with pytest.raises(bp.DivergenceError, match=r"b\[0\]\[0\] = inf"):
        bp.train(net, [[0.0]], [[1e100]], epochs=3, eta=1e300,
                 loss="half_sse")


def test_the_deeper_layer_is_named(path):
    # a1 = 10, delta2 = 0.5: W[1] = 0 - 1e308 * 5; delta1 = 0 * 0.5
    net = bp.Network.from_weights([[[1.0]], [[0.0]]], [[0.0], [0.0]],
                                  ["identity", "sigmoid"])
    with pytest.raises(bp.DivergenceError,
                       match=r"layer 2 \(W\[1\], b\[1\]\).*W\[1\]\[0\]"
                             r"\[0\] = -inf"):
        bp.train(net, [[10.0]], [[0.0]], epochs=5, eta=1e308,
                 loss="binary_cross_entropy")
    assert net.W[0] == [[1.0]]


def test_deep_relu_net_at_eta_5_raises(path):
    # the second case: before the fix this run returned 1376
    # non-finite weights and a loss of 0.693 (relu turned NaN into 0.0)
    X, labels = two_moons(100, noise=0.1, seed=0)
    y = [[float(k)] for k in labels]
    net = bp.Network([2] + [16] * 8 + [1], ["relu"] * 8 + ["sigmoid"],
                     init="normal", seed=0)
    with pytest.raises(bp.DivergenceError, match=r"epoch \d"):
        bp.train(net, X, y, epochs=10, eta=5,
                 loss="binary_cross_entropy")


def test_finite_weights_whose_total_overflows_are_not_divergence(path):
    # 1e308 + 1e308 = inf: the quick total says "maybe"; the exact check
    # finds every weight finite, so training goes on
    net = bp.Network.from_weights([[[1e308, 1e308]]], [[0.0]], "identity")
    h = bp.train(net, [[0.0, 0.0]], [[0.0]], epochs=2, eta=0.1)
    assert h.losses == [0.0, 0.0] and net.W == [[[1e308, 1e308]]]


def test_optimizers_with_state_are_covered_too():
    net = bp.Network.from_weights([[[0.0]]], [[0.0]], "sigmoid")
    with pytest.raises(bp.DivergenceError, match="epoch 0"):
        bp.train(net, [[10.0]], [[0.0]], epochs=5, eta=1e308,
                 loss="binary_cross_entropy", optimizer="momentum")


def test_relu_and_leaky_relu_keep_nan():
    nan = float("nan")
    for f in (bp.relu, bp.leaky_relu, bp.relu_prime, bp.leaky_relu_prime):
        assert math.isnan(f(nan)), f.__name__
    assert bp.relu(-0.0) == 0.0 and math.copysign(1, bp.relu(-0.0)) == 1
    assert bp.relu(-1.0) == 0.0 and bp.relu(2.0) == 2.0


ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]


def _absurd_run(rng: random.Random, batch_size):
    """Train a random deep network at an absurd eta; return it."""
    depth = rng.randint(3, 8)
    sizes = [2] + [rng.randint(1, 6) for _ in range(depth - 1)] + [1]
    acts = [rng.choice(ACTS) for _ in range(depth - 1)] + ["sigmoid"]
    net = bp.Network(sizes, acts, init=rng.choice(bp.network.INITS),
                     seed=rng.randrange(1000), bias=rng.random() < 0.8)
    X = [[rng.uniform(-5, 5), rng.uniform(-5, 5)] for _ in range(6)]
    y = [[float(rng.random() < 0.5)] for _ in X]
    eta = 10.0 ** rng.randint(1, 308)
    optimizer = rng.choice(["gd", "gd", "momentum", "adam", "rmsprop"])
    loss = rng.choice(["mse", "binary_cross_entropy"])
    try:
        bp.train(net, X, y, epochs=4, eta=eta, batch_size=batch_size,
                 loss=loss, optimizer=optimizer)
    except bp.DivergenceError as e:
        assert e.history is not None
        return None
    return net


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2 ** 32), st.sampled_from([None, 1, 4]))
def test_absurd_eta_ends_finite_or_in_divergence_error(seed, batch_size):
    net = _absurd_run(random.Random(seed), batch_size)
    assert net is None or finite(net)


def test_absurd_eta_seeded_loop():
    """The same property without hypothesis: 200 seeded runs."""
    rng = random.Random(13)
    outcomes = set()
    for _ in range(200):
        net = _absurd_run(rng, rng.choice([None, 1, 4]))
        assert net is None or finite(net)
        outcomes.add(net is None)
    assert outcomes == {True, False}      # both endings really happen
