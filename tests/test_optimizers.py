"""Each update rule against its formula, computed independently in NumPy;
and, with the standard library only, what every optimizer refuses."""

import pytest

import backprop as bp

# The expected values are computed in NumPy (the helpers use it too); the
# tests that need it skip without it.
try:
    import numpy as np
except ImportError:        # pragma: no cover - .ci/pythons has no NumPy
    np = None
needs_numpy = pytest.mark.skipif(np is None, reason="needs NumPy")

W0 = [[[0.5, -0.3], [0.1, 0.8]], [[-0.6, 0.4]]]
B0 = [[0.05, -0.02], [0.3]]
GRADS = [  # three steps of made-up gradients
    ([[[0.1, -0.2], [0.3, 0.05]], [[-0.4, 0.25]]], [[0.01, -0.03], [0.2]]),
    ([[[-0.05, 0.1], [0.2, -0.1]], [[0.3, -0.15]]], [[0.02, 0.01], [-0.1]]),
    ([[[0.2, 0.2], [-0.3, 0.0]], [[0.1, 0.05]]], [[-0.01, 0.0], [0.05]]),
]
ETA = 0.1


def flat(W, b):
    return np.concatenate([np.ravel(M) for M in W] + [np.ravel(v) for v in b])


def run(opt):
    net = bp.Network.from_weights(W0, B0)
    for dW, db in GRADS:
        opt.step(net, bp.Gradients(dW, db), ETA)
    return flat(net.W, net.b)


def grads_flat():
    return [flat(dW, db) for dW, db in GRADS]


def is_weight():
    return np.array([True] * 6 + [False] * 3)


@needs_numpy
def test_gradient_descent():
    w = flat(W0, B0)
    for g in grads_flat():
        w = w - ETA * g
    np.testing.assert_allclose(run(bp.GradientDescent()), w, rtol=1e-14)


@needs_numpy
@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum(nesterov):
    w, v, mu = flat(W0, B0), 0.0, 0.9
    for g in grads_flat():
        v = mu * v + g
        w = w - ETA * (g + mu * v if nesterov else v)
    np.testing.assert_allclose(run(bp.Momentum(nesterov=nesterov)), w,
                               rtol=1e-14)


@needs_numpy
def test_adagrad():
    w, G = flat(W0, B0), 0.0
    for g in grads_flat():
        G = G + g * g
        w = w - ETA * g / (np.sqrt(G) + 1e-8)
    np.testing.assert_allclose(run(bp.Adagrad()), w, rtol=1e-13)


@needs_numpy
def test_rmsprop():
    w, s = flat(W0, B0), 0.0
    for g in grads_flat():
        s = 0.9 * s + 0.1 * g * g
        w = w - ETA * g / (np.sqrt(s) + 1e-8)
    np.testing.assert_allclose(run(bp.RMSProp()), w, rtol=1e-13)


@needs_numpy
def test_adam():
    w, m, v = flat(W0, B0), 0.0, 0.0
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t, g in enumerate(grads_flat(), start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        w = w - ETA * m_hat / (np.sqrt(v_hat) + eps)
    np.testing.assert_allclose(run(bp.Adam()), w, rtol=1e-13)


@needs_numpy
@pytest.mark.parametrize("make", [
    lambda: bp.GradientDescent(weight_decay=0.01),
    lambda: bp.Adam(weight_decay=0.01)])
def test_weight_decay_adds_lambda_w_to_weights_only(make):
    w = flat(W0, B0)
    lam, wmask = 0.01, is_weight()
    opt = make()
    m = v = 0.0
    for t, g in enumerate(grads_flat(), start=1):
        g = g + lam * w * wmask            # L2 on weights, not biases
        if isinstance(opt, bp.Adam):
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g ** 2
            w = w - ETA * (m / (1 - 0.9 ** t)) / (
                np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        else:
            w = w - ETA * g
    np.testing.assert_allclose(run(make()), w, rtol=1e-13)


def test_train_accepts_optimizer_names_and_instances():
    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    Y = [[0], [1], [1], [0]]
    for opt in ["momentum", "nesterov", "adagrad", "rmsprop", "adam",
                bp.Adam(beta1=0.8)]:
        net = bp.Network([2, 4, 1], seed=0)
        h = bp.train(net, X, Y, epochs=300, eta=0.05, optimizer=opt,
                     loss="binary_cross_entropy")
        assert h.losses[-1] < h.losses[0], opt


@pytest.mark.parametrize("make,words", [
    (lambda: bp.Momentum(mu=1.5), "mu must be a number in [0.0, 1.0)"),
    (lambda: bp.Adam(beta2=-0.1), "beta2"),
    (lambda: bp.RMSProp(rho="0.9"), "rho"),
    (lambda: bp.GradientDescent(weight_decay=-1), "weight_decay"),
])
def test_bad_hyperparameters_are_named(make, words):
    with pytest.raises(bp.BackpropError) as info:
        make()
    assert words in str(info.value)


# === One optimizer, one network (issue 13) =================================

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [[0], [1], [1], [0]]


@pytest.mark.parametrize("make", [bp.Adam, bp.Momentum, bp.Adagrad,
                                  bp.RMSProp])
def test_state_is_bound_to_one_network(make):
    opt = make()
    name = type(opt).__name__
    small = bp.Network([2, 2, 1], seed=0)
    bp.train(small, XOR_X, XOR_Y, epochs=2, eta=0.1, optimizer=opt)
    bp.train(small, XOR_X, XOR_Y, epochs=2, eta=0.1, optimizer=opt)
    assert opt.t == 4                      # the same network goes on
    for other in (bp.Network([2, 5, 1], seed=0),     # other shapes
                  bp.Network([2, 2, 1], seed=0)):    # same shapes
        with pytest.raises(bp.BackpropError) as info:
            bp.train(other, XOR_X, XOR_Y, epochs=1, eta=0.1, optimizer=opt)
        assert str(info.value) == (
            f"{name}.step: this optimizer's state belongs to another "
            f"network; use a new {name}() per network (or opt.reset())")
        assert all(len(row) == len(W[0]) for W in other.W for row in W)
    assert opt.t == 4
    opt.reset()
    fresh = bp.Network([2, 5, 1], seed=0)
    bp.train(fresh, XOR_X, XOR_Y, epochs=1, eta=0.1, optimizer=opt)
    assert opt.t == 1


def test_a_reset_optimizer_equals_a_new_one():
    def run(opt):
        net = bp.Network([2, 3, 1], seed=1)
        bp.train(net, XOR_X, XOR_Y, epochs=5, eta=0.1, optimizer=opt)
        return net.W
    used = bp.Adam()
    run(used)
    used.reset()
    assert run(used) == run(bp.Adam())


def test_reshaping_the_same_network_is_refused():
    net = bp.Network([2, 2, 1], seed=0)
    opt = bp.Momentum()
    bp.train(net, XOR_X, XOR_Y, epochs=1, eta=0.1, optimizer=opt)
    net.W = bp.Network([2, 3, 1], seed=0).W
    net.b = bp.Network([2, 3, 1], seed=0).b
    with pytest.raises(bp.BackpropError, match="belongs to another network"):
        bp.train(net, XOR_X, XOR_Y, epochs=1, eta=0.1, optimizer=opt)


def test_gradient_descent_has_no_state_and_serves_any_network():
    opt = bp.GradientDescent()
    for sizes in ([2, 2, 1], [2, 5, 1]):
        bp.train(bp.Network(sizes, seed=0), XOR_X, XOR_Y, epochs=1,
                 eta=0.1, optimizer=opt)


@needs_numpy
def test_numpy_scalars_are_hyperparameters_too():
    opt = bp.Adam(beta1=np.float32(0.9), beta2=np.float64(0.999),
                  eps=np.float32(1e-8), weight_decay=np.int64(0))
    assert opt.beta1 == float(np.float32(0.9)) and type(opt.beta1) is float
    assert bp.Momentum(mu=np.float64(0.5)).mu == 0.5
    with pytest.raises(bp.BackpropError, match=r"^GradientDescent: "
                       "weight_decay must be a number >= 0.0"):
        bp.GradientDescent(weight_decay=10 ** 400)
    with pytest.raises(bp.BackpropError, match=r"^Adam: beta1 must be"):
        bp.Adam(beta1=np.float32("nan"))


# === Leaving the biases fixed; gradients shaped unlike the network =========

EVERY = [bp.GradientDescent, bp.Momentum, bp.Adagrad, bp.RMSProp, bp.Adam,
         lambda: bp.Adam(weight_decay=0.01)]


def copy(net):
    return bp.Network.from_weights(net.W, net.b)


@pytest.mark.parametrize("make", EVERY)
def test_update_biases_false_moves_the_weights_alone(make):
    # each rule is elementwise, so the weights move exactly as they do
    # when the biases move too, and the biases do not move at all
    both, fixed = bp.Network.from_weights(W0, B0), bp.Network.from_weights(
        W0, B0)
    opt_both, opt_fixed = make(), make()
    for t, (dW, db) in enumerate(GRADS):
        opt_both.step(both, bp.Gradients(dW, db), ETA)
        # db=None is allowed when it is not used; so is a real db
        g = bp.Gradients(dW, None if t % 2 else db)
        opt_fixed.step(fixed, g, ETA, update_biases=False)
    assert fixed.W == both.W and both.W != W0
    assert fixed.b == B0 and both.b != B0


def test_a_stateful_optimizer_may_fix_the_biases_for_some_steps():
    # the biases' state waits while they are fixed (t counts the
    # optimizer's steps), and the same network may go on with them
    net, opt = bp.Network.from_weights(W0, B0), bp.Adam()
    opt.step(net, bp.Gradients(*GRADS[0]), ETA, update_biases=False)
    assert net.b == B0 and opt.t == 1
    assert opt.state[-2:] == [[[0.0] * 2] * 2, [[0.0], [0.0]]]  # b's m, v
    assert opt.state[0] != [[0.0] * 2] * 2                      # W's
    opt.step(net, bp.Gradients(*GRADS[1]), ETA)
    assert net.b != B0 and opt.t == 2


SHAPE_ERRORS = [
    # (grads for the 2-2-1 network W0/B0, words the message must contain)
    (bp.Gradients(GRADS[0][0], None),
     "grads.db is None, but the network has biases shaped [(2,), (1,)]"),
    (bp.Gradients([[[0.1, 0.2]], [[0.3, 0.4]]], B0),
     "grads.dW must be shaped like the network's W, [2x2, 1x2], got "
     "[1x2, 1x2]"),
    (bp.Gradients([[[0.1, 0.2], [0.3]], [[0.3, 0.4]]], B0),
     "[2x2, 1x2], got [2x(1/2), 1x2]"),
    (bp.Gradients(GRADS[0][0][:1], B0), "[2x2, 1x2], got [2x2]"),
    (bp.Gradients(None, B0), "[2x2, 1x2], got None"),
    (bp.Gradients([[[0.1, None], 0.5], [[0.3, 0.4]]], B0),
     "got [(2,), 1x2]"),
    (bp.Gradients(GRADS[0][0], [[0.1, 0.2]]),
     "grads.db must be shaped like the network's b, [(2,), (1,)], got "
     "[(2,)]"),
    (bp.Gradients(GRADS[0][0], [[0.1], [0.2]]), "got [(1,), (1,)]"),
]


@pytest.mark.parametrize("make", EVERY)
@pytest.mark.parametrize("grads, words", SHAPE_ERRORS)
def test_gradients_shaped_unlike_the_network_are_named(make, grads, words):
    net, opt = bp.Network.from_weights(W0, B0), make()
    with pytest.raises(bp.ShapeError) as info:
        opt.step(net, grads, ETA)
    message = str(info.value)
    assert message.startswith(f"{type(opt).__name__}.step: ")
    assert words in message
    assert net.W == W0 and net.b == B0        # nothing moved
    assert getattr(opt, "t", 0) == 0          # no step counted


@pytest.mark.parametrize("make", EVERY)
def test_biases_for_a_network_without_them_and_no_gradients_at_all(make):
    net = bp.Network.from_weights(W0)
    with pytest.raises(bp.ShapeError, match=r"step: grads.db must be None "
                       r"for a network without biases, got \[\(2,\), "):
        make().step(net, bp.Gradients(*GRADS[0]), ETA)
    make().step(net, bp.Gradients(GRADS[0][0], None), ETA)     # fine
    with pytest.raises(TypeError, match=r"step: grads must be a "
                       r"Gradients\(dW, db\), got \[\[\["):
        make().step(net, GRADS[0][0], ETA)


def test_the_old_type_error_is_gone():
    # issue 10: a db of None used to end in "'NoneType' object is not
    # iterable" from deep inside the update
    net = bp.Network([2, 2, 1], seed=0)
    g = net.backward(net.forward([1.0, 0.0]), [1.0])
    with pytest.raises(bp.ShapeError, match="update_biases=False"):
        bp.GradientDescent().step(net, bp.Gradients(g.dW, None), 0.1)
