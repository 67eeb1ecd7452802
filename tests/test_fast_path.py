"""Two paths, one truth: backprop/_fast.py computes what the readable
training loop computes, bit for bit.

train() takes the fast path when _fast.applies() says so. Here every run
is made twice, once as train() chooses (fast) and once with the fast path
switched off (the readable update_batch -> forward, backward,
mean_gradient, GradientDescent.step), and every loss, weight and bias is
compared by its bits (float.hex tells 0.0 from -0.0, unlike ==).
"""
import random
import sys

import pytest

import backprop as bp
from backprop import _fast, training

XS = [[0.1, -0.4, 0.3], [0.9, 0.2, -0.5], [-0.3, 0.8, 0.0],
      [0.5, 0.5, 0.5], [-0.7, -0.1, 0.6]]
YS = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.25, 0.75], [0.5, 0.5]]


def bits(values):
    """Every float in a nest of lists, as hex strings."""
    if isinstance(values, float):
        return values.hex()
    if values is None:
        return None
    return [bits(v) for v in values]


def run(monkeypatch, fast, *, acts, loss, bias, batch_size, shuffle=True,
        update_biases=True, report_loss=None):
    """Train a 3-4-3-2 network; return (path taken, bits of the result)."""
    taken = []
    real_epoch = _fast.epoch

    def spy(*args, **kwargs):
        taken.append("fast")
        return real_epoch(*args, **kwargs)

    monkeypatch.setattr(_fast, "epoch", spy)
    if not fast:
        monkeypatch.setattr(_fast, "applies", lambda net, opt: False)
    net = bp.Network([3, 4, 3, 2], acts, seed=9, bias=bias)
    h = bp.train(net, XS, YS, epochs=12, eta=0.3, loss=loss,
                 batch_size=batch_size, shuffle=shuffle, seed=2,
                 update_biases=update_biases, report_loss=report_loss)
    monkeypatch.undo()
    return bool(taken), bits([h.losses, net.W, net.b])


ACTS = [["sigmoid", "sigmoid", "sigmoid"], ["tanh", "relu", "sigmoid"],
        ["leaky_relu", "identity", "softmax"], ["relu", "tanh", "identity"]]
LOSSES = ["mse", "half_sse", "binary_cross_entropy"]


@pytest.mark.parametrize("batch_size", [None, 1, 2, 3])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("acts", ACTS, ids="-".join)
def test_fast_path_equals_readable_path_bit_for_bit(monkeypatch, acts,
                                                    bias, batch_size):
    loss = "categorical_cross_entropy" if acts[-1] == "softmax" else "mse"
    fast = run(monkeypatch, True, acts=acts, loss=loss, bias=bias,
               batch_size=batch_size)
    slow = run(monkeypatch, False, acts=acts, loss=loss, bias=bias,
               batch_size=batch_size)
    assert fast[0] and not slow[0]          # each path really ran
    assert fast[1] == slow[1]


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("batch_size", [None, 1])
def test_fast_path_equals_readable_path_for_every_loss(monkeypatch, loss,
                                                       batch_size):
    acts = ["sigmoid", "tanh", "sigmoid"]
    fast = run(monkeypatch, True, acts=acts, loss=loss, bias=True,
               batch_size=batch_size, shuffle=False)
    slow = run(monkeypatch, False, acts=acts, loss=loss, bias=True,
               batch_size=batch_size, shuffle=False)
    assert fast == (True, slow[1])


HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
# every case of BP1 that _fast._output tells apart, and one it does not
OUTPUTS = [("sigmoid", "binary_cross_entropy", "mse"),
           ("softmax", "categorical_cross_entropy", "mse"),
           ("softmax", "categorical_cross_entropy", None),
           ("sigmoid", "half_sse", "mse"), ("sigmoid", "mse", None),
           ("tanh", "mse", "half_sse"), ("relu", "half_sse", None),
           ("leaky_relu", "mse", "mse"), ("identity", "half_sse", "mse"),
           ("softmax", "mse", None)]


@pytest.mark.parametrize("batch_size", [None, 1, 2])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("output", OUTPUTS, ids=lambda o: "-".join(
    str(v) for v in o))
@pytest.mark.parametrize("hidden", HIDDEN)
def test_every_configuration_the_fast_path_takes(monkeypatch, hidden,
                                                 output, bias, batch_size):
    # activation x (output, loss, report loss) x batch mode x bias
    act, loss, report = output
    kw = dict(acts=[hidden, hidden, act], loss=loss, bias=bias,
              batch_size=batch_size, report_loss=report)
    fast = run(monkeypatch, True, **kw)
    slow = run(monkeypatch, False, **kw)
    assert fast[0] and not slow[0]
    assert fast[1] == slow[1]


@pytest.mark.parametrize("optimizer", ["adam", "momentum",
                                       bp.GradientDescent(weight_decay=0.1)])
def test_unsupported_configurations_fall_back_to_the_readable_path(
        monkeypatch, optimizer):
    # the fast epoch is never called, and the readable update_batch is
    calls = []
    monkeypatch.setattr(_fast, "epoch", lambda *a: calls.append("fast"))
    real = training.update_batch
    monkeypatch.setattr(training, "update_batch",
                        lambda *a, **k: calls.append("readable")
                        or real(*a, **k))
    bp.train(bp.Network([3, 4, 2], seed=1), XS, YS, epochs=2, eta=0.1,
             optimizer=optimizer)
    hidden_softmax = bp.Network([3, 4, 2], ["softmax", "sigmoid"], seed=1)
    bp.train(hidden_softmax, XS, YS, epochs=2, eta=0.1)
    assert calls == ["readable"] * 4


@pytest.mark.parametrize("batch_size", [None, 1, 2])
@pytest.mark.parametrize("acts", ACTS[:2], ids="-".join)
def test_fixed_biases_are_equal_bit_for_bit_on_both_paths(monkeypatch,
                                                          acts, batch_size):
    # train(update_biases=False): the fast path leaves b as the readable
    # path's optimizer.step(..., update_biases=False) does
    kw = dict(acts=acts, loss="mse", bias=True, batch_size=batch_size,
              update_biases=False)
    fast = run(monkeypatch, True, **kw)
    slow = run(monkeypatch, False, **kw)
    assert fast[0] and not slow[0]
    assert fast[1] == slow[1]
    start = bp.Network([3, 4, 3, 2], acts, seed=9)
    assert fast[1][2] == bits(start.b)         # the biases never moved
    moving = run(monkeypatch, True, **dict(kw, update_biases=True))
    assert moving[1][2] != fast[1][2]


def test_other_optimizers_and_weight_decay_take_the_readable_path():
    net = bp.Network([2, 2, 1], seed=0)
    assert _fast.applies(net, bp.GradientDescent())
    assert not _fast.applies(net, bp.GradientDescent(weight_decay=0.1))
    assert not _fast.applies(net, bp.Adam())
    assert not _fast.applies(net, bp.Momentum())
    hidden_softmax = bp.Network([2, 2, 1], ["softmax", "sigmoid"], seed=0)
    assert not _fast.applies(hidden_softmax, bp.GradientDescent())


EXTREMES = [0.0, -0.0, 1.0, -1.0, 709.0, 710.0, -709.0, -710.0, 745.0,
            -745.0, 1e308, -1e308, sys.float_info.max, -sys.float_info.max,
            5e-324, float("inf"), float("-inf"), -700.0, -700.5, -699.5,
            0.3, -0.3, 36.9, -36.9]


def test_inlined_sigmoid_equals_sigmoid_for_extreme_inputs():
    # zero weights and the extremes as biases give z = the extremes
    # (z = 0.0 * 1.0 + b_j = b_j, and 0.0 + -0.0 is 0.0)
    n = len(EXTREMES)
    a = _fast._layer([[0.0]] * n, list(EXTREMES), [1.0])
    assert bits(a) == bits([bp.sigmoid(0.0 + z) for z in EXTREMES])


def test_inlined_sigmoid_equals_sigmoid_on_every_scale():
    # _layer writes sigmoid's expression inline: the same bits as
    # sigmoid(z) over the whole range, around -700 (where it turns to
    # exp(z)), around -45 and 45 (where exp stops keeping its scales)
    # and around 0
    rng = random.Random(3)
    zs = ([rng.uniform(-800.0, 800.0) for _ in range(20000)]
          + [rng.uniform(-40.0, 40.0) for _ in range(20000)]
          + [rng.uniform(-1e-6, 1e-6) for _ in range(2000)]
          + [c + rng.uniform(-1.0, 1.0) for c in (-700.0, -45.0, 45.0)
             for _ in range(2000)]
          + [-700.0, -45.0, 45.0, -700.0000000000001, float("nan")]
          + EXTREMES)
    a = _fast._layer([[0.0]] * len(zs), zs, [1.0])
    assert bits(a) == bits([bp.sigmoid(0.0 + z) for z in zs])
    # _forward_batch writes the same expression for a whole batch
    layer = ([[0.0]] * len(zs), zs, None, None)
    A, Z = _fast._forward_batch([layer], [[1.0], [1.0]])
    assert Z == [None] and bits(A[1][0]) == bits(A[1][1]) == bits(a)


def test_update_batch_and_mean_gradient_are_what_train_calls(monkeypatch):
    calls = []
    real = training.mean_gradient
    monkeypatch.setattr(training, "mean_gradient",
                        lambda g: calls.append(len(g)) or real(g))
    net = bp.Network([3, 2, 2], seed=1)
    bp.train(net, XS, YS, epochs=2, eta=0.1, optimizer="adam",
             batch_size=2)
    assert calls == [2, 2, 1] * 2       # batches of 2, 2 and 1, twice


@pytest.mark.parametrize("batch_size", [1, 2])
def test_even_the_sign_of_a_zero_weight_agrees(monkeypatch, batch_size):
    # a weight of exactly -0.0 with input -0.0, so its gradient is -0.0:
    # w - eta * g = -0.0 - 0.5 * -0.0 = -0.0 + 0.0 = 0.0 (IEEE 754: x - x
    # is +0.0), on both paths, since the mean of one gradient is that
    # gradient (no 0.0 + g that would first turn -0.0 into 0.0). With 3
    # samples in batches of 2, the last batch holds one sample.
    def run(fast):
        if not fast:
            monkeypatch.setattr(_fast, "applies", lambda net, opt: False)
        net = bp.Network.from_weights([[[-0.0, 1.0]]], [[0.0]], "identity")
        bp.train(net, [[-0.0, 1.0]] * 3, [[0.0]] * 3, epochs=1, eta=0.5,
                 loss="half_sse", batch_size=batch_size)
        monkeypatch.undo()
        return net.W[0][0]
    fast, slow = run(True), run(False)
    assert bits(fast) == bits(slow)
