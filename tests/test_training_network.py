import math

import pytest
from clitools import needs_subprocess, predictions, python, run_backprop

import backprop as bp
from backprop import _checks

X = [[0, 0], [0, 1], [1, 0], [1, 1]]
Y = [[0], [1], [1], [0]]


def test_full_batch_step_is_the_mean_of_per_sample_gradients():
    net = bp.Network([2, 3, 1], seed=2)
    before = bp.Network.from_weights(net.W, net.b)
    bp.train(net, X, Y, epochs=1, eta=0.5, loss="mse")
    # independent: average the per-sample gradients by hand
    grads = [before.backward(before.forward(x), t, "mse")
             for x, t in zip(X, Y)]
    for l in range(2):
        for j, row in enumerate(before.W[l]):
            for k, w in enumerate(row):
                mean = sum(g.dW[l][j][k] for g in grads) / 4
                assert net.W[l][j][k] == pytest.approx(w - 0.5 * mean,
                                                       rel=1e-14)
        for j, b in enumerate(before.b[l]):
            mean = sum(g.db[l][j] for g in grads) / 4
            assert net.b[l][j] == pytest.approx(b - 0.5 * mean, rel=1e-14)


def test_mini_batches_of_one_equal_sgd_and_of_four_equal_full_batch():
    def run(bs):
        net = bp.Network([2, 3, 1], seed=4)
        h = bp.train(net, X, Y, epochs=20, eta=0.5, batch_size=bs)
        return h.losses, net.W
    assert run(1) != run(None)
    assert run(4) == run(None)
    assert run(2) != run(1) and run(2) != run(None)


def test_shuffle_is_seeded_and_deterministic():
    def run(seed):
        net = bp.Network([2, 3, 1], seed=4)
        return bp.train(net, X, Y, epochs=10, eta=0.5, batch_size=1,
                        shuffle=True, seed=seed).losses
    assert run(1) == run(1)
    assert run(1) != run(2)


def test_network_init_is_seeded_and_never_touches_global_random():
    import random
    random.seed(123)
    state = random.getstate()
    a = bp.Network([3, 5, 2], seed=7)
    assert random.getstate() == state
    assert a.W == bp.Network([3, 5, 2], seed=7).W
    assert a.W != bp.Network([3, 5, 2], seed=8).W


@pytest.mark.parametrize("init", ["small_normal", "normal", "uniform",
                                  "xavier", "he"])
def test_init_schemes_have_the_stated_ranges(init):
    net = bp.Network([50, 40, 1], init=init, seed=0)
    w = [v for row in net.W[0] for v in row]
    mean = sum(w) / len(w)
    sd = math.sqrt(sum((v - mean) ** 2 for v in w) / len(w))
    expected_sd = {"small_normal": 0.01, "normal": 1.0,
                   "uniform": math.sqrt(1 / 12), "he": math.sqrt(2 / 50),
                   "xavier": math.sqrt(6 / 90) / math.sqrt(3)}[init]
    assert sd == pytest.approx(expected_sd, rel=0.1)
    if init == "uniform":
        assert all(0 <= v < 1 for v in w) and any(net.b[0])
    else:
        assert not any(net.b[0])


def test_x_and_y_of_different_lengths():
    net = bp.Network([2, 2, 1], seed=0)
    with pytest.raises(bp.ShapeError, match="4 samples in X and 3 targets"):
        bp.train(net, X, Y[:3], epochs=1, eta=0.1)


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(X=[[0, 0, 0]], y=[[0]]), bp.ShapeError,
     "X[0] must be a list of 2 numbers (the network has 2 inputs)"),
    (dict(X=[[0, "a"]], y=[[0]]), TypeError, "X[0][1] must be a number"),
    (dict(X=[[0, float("nan")]], y=[[0]]), bp.BackpropError, "finite"),
    (dict(X=[[0, 1]], y=[[None]]), TypeError, "y[0][0] must be a number"),
    (dict(X=[], y=[]), bp.BackpropError, "non-empty"),
    (dict(epochs=0), bp.BackpropError, "epochs must be at least 1"),
    (dict(epochs=2.5), TypeError, "epochs must be an int"),
    (dict(eta=-0.1), bp.BackpropError, "eta (the learning rate)"),
    (dict(eta=0), bp.BackpropError, "positive"),
    (dict(batch_size=0), bp.BackpropError, "batch_size must be at least 1"),
    (dict(loss="l2"), bp.BackpropError, "unknown loss 'l2'"),
    (dict(optimizer="adamw"), bp.BackpropError, "unknown optimizer"),
])
def test_bad_training_input_is_named(kwargs, exc, words):
    args = dict(X=X, y=Y, epochs=1, eta=0.1)
    args.update(kwargs)
    net = bp.Network([2, 2, 1], seed=0)
    with pytest.raises(exc) as info:
        bp.train(net, args.pop("X"), args.pop("y"), **args)
    assert words in str(info.value)


@pytest.mark.parametrize("call,exc,words", [
    (lambda: bp.Network([2]), bp.BackpropError, "at least two layer sizes"),
    (lambda: bp.Network([2, 0, 1]), bp.BackpropError, "sizes[1] must be"),
    (lambda: bp.Network([2, -3, 1]), bp.BackpropError, "sizes[1]"),
    (lambda: bp.Network([2, 2.0, 1]), TypeError, "sizes[1] must be an int"),
    (lambda: bp.Network([2, 1], "sigmoidal"), bp.BackpropError,
     "unknown activation"),
    (lambda: bp.Network([2, 2, 1], ["relu"]), bp.BackpropError,
     "one name per layer (2)"),
    (lambda: bp.Network([2, 1], init="zeros"), bp.BackpropError,
     "unknown init"),
    (lambda: bp.Network.from_weights([[[1.0, 2.0], [3.0]]]), bp.ShapeError,
     "ragged"),
    (lambda: bp.Network.from_weights([[[1.0]], [[1.0, 2.0]]]), bp.ShapeError,
     "W[1] has 2 columns but W[0] has 1 rows"),
    (lambda: bp.Network.from_weights([[[1.0]]], [[1.0, 2.0]]),
     bp.ShapeError, "b[0] needs 1 values"),
    (lambda: bp.Network.from_weights([[[float("inf")]]]), bp.BackpropError,
     "W[0][0][0] must be finite"),
    (lambda: bp.Network([2, 1]).forward([1.0]), bp.ShapeError,
     "x must be a list of 2 numbers (the network has 2 inputs)"),
    (lambda: bp.Network([2, 1]).backward(
        bp.Network([2, 1]).forward([1.0, 1.0]), [1.0, 0.0]), bp.ShapeError,
     "y must be a list of 1 numbers (the network has 1 outputs)"),
])
def test_bad_network_input_is_named(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert words in str(info.value)


def test_divergence_is_caught_with_history_kept():
    net = bp.Network([1, 1], "identity", seed=0)
    with pytest.raises(bp.DivergenceError) as info:
        bp.train(net, [[1e150], [2e150]], [[0.0], [1.0]], epochs=50,
                 eta=10.0)
    msg = str(info.value)
    assert "epoch" in msg and "smaller" in msg
    assert all(math.isfinite(v) for v in info.value.history.losses)


@needs_subprocess
def test_python_m_backprop_learns_xor():
    done = run_backprop()
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Epoch 1, Loss: 0.2" in out
    preds = predictions(out)
    assert len(preds) == 4
    for p, t in zip(preds, [0, 1, 1, 0]):
        assert abs(p - t) < 0.1


@needs_subprocess
def test_cli_help_and_bad_option():
    h = run_backprop("--help")
    assert h.returncode == 0 and "--hidden" in h.stdout and "XOR" in h.stdout
    bad = run_backprop("--batch", "many")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "'full', 'sgd' or a positive batch size" in bad.stderr


def test_early_stopping_restores_the_best_epoch():
    # Train on one point, validate on a contradicting one: the validation
    # loss rises from the start, so the best epoch is 0.
    net = bp.Network([1, 1], "identity", seed=0)
    start = [r[:] for r in net.W[0]], net.b[0][:]
    h = bp.train(net, [[1.0]], [[5.0]], epochs=100, eta=0.1, loss="mse",
                 validation=([[1.0]], [[-5.0]]), patience=3)
    # best at epoch 0, then 3 epochs without improvement: stop after 3
    assert len(h.losses) == 4 == len(h.val_losses)
    assert h.best_epoch == 0
    assert h.val_losses == sorted(h.val_losses)
    # weights are those after epoch 0: one step from the start
    w0, b0 = start[0][0][0], start[1][0]
    grad = 2 * ((w0 + b0) - 5.0)         # d/dw (w + b - 5)^2 at x = 1
    assert net.W[0][0][0] == pytest.approx(w0 - 0.1 * grad, rel=1e-14)
    assert net.b[0][0] == pytest.approx(b0 - 0.1 * grad, rel=1e-14)


def test_early_stopping_ends_with_the_best_weights_even_without_stopping():
    # patience never runs out within 3 epochs, but the best epoch is 0
    net = bp.Network([1, 1], "identity", seed=0)
    h = bp.train(net, [[1.0]], [[5.0]], epochs=3, eta=0.1, loss="mse",
                 validation=([[1.0]], [[-5.0]]), patience=10)
    assert len(h.losses) == 3 and h.best_epoch == 0
    after_one = bp.Network([1, 1], "identity", seed=0)
    bp.train(after_one, [[1.0]], [[5.0]], epochs=1, eta=0.1, loss="mse")
    assert (net.W, net.b) == (after_one.W, after_one.b)


def test_no_bias_draws_nothing_for_biases():
    # bias=False must not consume random draws meant for biases
    with_b = bp.Network([2, 3, 1], init="uniform", seed=4)
    without = bp.Network([2, 3, 1], init="uniform", seed=4, bias=False)
    assert without.W[0] == with_b.W[0]
    import random
    rng = random.Random(4)
    expected_W1 = [[rng.random() for _ in range(2)] for _ in range(3)]
    expected_W2 = [[rng.random() for _ in range(3)]]
    assert without.W == [expected_W1, expected_W2]


def test_validation_without_patience_only_records():
    net = bp.Network([2, 3, 1], seed=1)
    h = bp.train(net, X, Y, epochs=7, eta=0.5, validation=(X, Y))
    assert len(h.val_losses) == 7 and h.best_epoch is not None
    with pytest.raises(bp.BackpropError, match="patience .* needs valid"):
        bp.train(net, X, Y, epochs=1, eta=0.5, patience=2)


# === Issue 13: bad arguments refused at train's edge =======================

@pytest.mark.parametrize("value, error, words", [
    ("a", TypeError, "int >= 1 or None, got 'a'"),
    (0.5, TypeError, "int >= 1 or None, got 0.5"),
    (-1, bp.BackpropError, "at least 1, got -1"),
    (0, bp.BackpropError, "at least 1, got 0"),
])
def test_print_every_must_be_an_int_of_at_least_1(value, error, words):
    with pytest.raises(error, match=r"^train: print_every must be") as info:
        bp.train(bp.Network([2, 1], seed=0), X, Y, epochs=1, eta=0.1,
                 print_every=value)
    assert words in str(info.value)


def test_shuffle_must_be_a_bool_and_seed_an_int():
    net = bp.Network([2, 1], seed=0)
    with pytest.raises(TypeError, match=r"^train: shuffle must be True or "
                       r"False, got 'no'"):
        bp.train(net, X, Y, epochs=1, eta=0.1, shuffle="no")
    with pytest.raises(TypeError, match=r"^train: seed must be an int or "
                       r"None, got \[1\]"):
        bp.train(net, X, Y, epochs=1, eta=0.1, shuffle=True, seed=[1])
    with pytest.raises(TypeError, match=r"^Network: seed must be an int"):
        bp.Network([2, 1], seed={"a": 1})


def test_train_names_net_and_refuses_a_huge_eta():
    with pytest.raises(TypeError, match=r"^train: net must be a backprop "
                       "Network, got NoneType"):
        bp.train(None, X, Y, epochs=1, eta=0.1)
    with pytest.raises(bp.BackpropError, match=r"^train: eta \(the learning "
                       r"rate\) must be a finite number, got an integer too "
                       "large"):
        bp.train(bp.Network([2, 1], seed=0), X, Y, epochs=1, eta=10 ** 400)


def test_a_wrong_width_validation_set_is_named_as_such():
    net = bp.Network([2, 1], seed=0)
    with pytest.raises(bp.ShapeError, match=r"^train: X_val\[0\] must be a "
                       "list of 2 numbers"):
        bp.train(net, X, Y, epochs=1, eta=0.1, validation=([[0.0]], [[0]]))
    with pytest.raises(bp.ShapeError, match=r"^train: X_val and y_val must "
                       "have one row per sample"):
        bp.train(net, X, Y, epochs=1, eta=0.1, validation=(X, Y[:2]))


@pytest.mark.parametrize("loss, y, words", [
    ("binary_cross_entropy", [[0], [1], [2], [0]],
     r"^train: y\[2\]\[0\] must be between 0 and 1 for binary_cross_entropy"),
    ("binary_cross_entropy", [[0], [1], [-0.5], [0]], r"got -0.5"),
])
def test_binary_cross_entropy_needs_targets_in_0_1(loss, y, words):
    with pytest.raises(bp.BackpropError, match=words):
        bp.train(bp.Network([2, 1], seed=0), X, y, epochs=1, eta=0.1,
                 loss=loss)
    # the report loss is checked too, and so are the validation targets
    with pytest.raises(bp.BackpropError, match="binary_cross_entropy"):
        bp.train(bp.Network([2, 1], seed=0), X, y, epochs=1, eta=0.1,
                 report_loss=loss)
    with pytest.raises(bp.BackpropError, match=r"^train: y_val\["):
        bp.train(bp.Network([2, 1], seed=0), X, Y, epochs=1, eta=0.1,
                 loss=loss, validation=(X, y))


def test_categorical_cross_entropy_needs_sensible_targets():
    net = bp.Network([2, 2], ["softmax"], seed=0)
    cce = "categorical_cross_entropy"
    with pytest.raises(bp.BackpropError, match=r"^train: y\[1\] must be a "
                       "one-hot or probability vector for categorical_cross"):
        bp.train(net, X[:2], [[1, 0], [-1, 2]], epochs=1, eta=0.1, loss=cce)
    with pytest.raises(bp.BackpropError, match=r"^train: y\[1\] .*not all "
                       "zero"):
        bp.train(net, X[:2], [[1, 0], [0, 0]], epochs=1, eta=0.1, loss=cce)
    bp.train(net, X[:2], [[1, 0], [0.25, 0.75]], epochs=1, eta=0.1,
             loss=cce)


def test_softmax_on_one_neuron_is_refused():
    with pytest.raises(bp.BackpropError, match=r"^Network: softmax on layer "
                       "2, which has 1 neuron, always outputs 1.0"):
        bp.Network([2, 3, 1], ["tanh", "softmax"], seed=0)
    with pytest.raises(bp.BackpropError, match=r"^Network: softmax on layer"):
        bp.Network.from_weights([[[1.0, 2.0]]], [[0.0]], "softmax")


def test_networks_beyond_the_size_limit_are_refused_before_allocating():
    assert bp.network.MAX_PARAMETERS == 10 ** 7
    with pytest.raises(bp.BackpropError) as info:
        bp.Network([100000, 100000])
    message = str(info.value)
    assert message.startswith("Network: sizes [100000, 100000] would have "
                              "10,000,100,000 weights and biases")
    assert "limit of 10,000,000" in message and "320.0 GB" in message
    with pytest.raises(bp.BackpropError, match="about 320 MB of memory"):
        bp.Network([1000, 9991])            # 9,991,000 + 9,991 > 10**7
    # exactly at the limit is allowed (checked without allocating it)
    assert _checks.sizes([10 ** 7 - 1, 1], 10 ** 7) == [10 ** 7 - 1, 1]


@pytest.mark.parametrize("x", [[float("nan"), 0.0], {0: 1.0, 1: 2.0},
                               {1.0, 2.0}, [1j, 0.0], [0.0, 2 + 0j]])
def test_forward_refuses_what_predict_refuses(x):
    net = bp.Network([2, 1], seed=0)
    with pytest.raises((TypeError, bp.BackpropError), match=r"^forward: x"):
        net.forward(x)
    with pytest.raises((TypeError, bp.BackpropError), match=r"^predict: X"):
        net.predict([x])


# === The gradients learners ask for: dL/dx, dL/da^l, fixed biases ==========

CASES = [  # (activations, loss) of a 3-4-3-2 network
    (["sigmoid", "sigmoid", "sigmoid"], "half_sse"),
    (["tanh", "leaky_relu", "sigmoid"], "binary_cross_entropy"),
    (["relu", "tanh", "identity"], "mse"),
    (["sigmoid", "identity", "softmax"], "categorical_cross_entropy"),
    (["tanh", "softmax", "sigmoid"], "mse"),
    (["leaky_relu", "sigmoid", "tanh"], "output1"),
]
X3, Y2 = [0.3, -0.7, 0.5], [0.2, 0.8]


def loss_of(name):
    from backprop.losses import output
    return output(1) if name == "output1" else bp.get_loss(name)


def central(f, v, h=1e-6):
    """The central difference of f at every entry of v."""
    out = []
    for k in range(len(v)):
        up, down = list(v), list(v)
        up[k] += h
        down[k] -= h
        out.append((f(up) - f(down)) / (2 * h))
    return out


@pytest.mark.parametrize("acts, loss", CASES)
def test_input_gradient_equals_central_differences(acts, loss):
    net, fit = bp.Network([3, 4, 3, 2], acts, seed=5), loss_of(loss)
    net.b = [[0.1 * (j - 1) for j in range(n)] for n in (4, 3, 2)]
    dx = net.input_gradient(net.forward(X3), Y2, fit)
    numeric = central(lambda x: fit.f(net.forward(x).a[-1], Y2), X3)
    assert dx == pytest.approx(numeric, rel=1e-6, abs=1e-9)
    assert any(abs(g) > 1e-4 for g in dx)     # not trivially zero


@pytest.mark.parametrize("acts, loss", CASES)
def test_activation_gradients_equal_central_differences(acts, loss):
    # dL/da^l: move a^l and run the rest of the network from there
    net, fit = bp.Network([3, 4, 3, 2], acts, seed=6), loss_of(loss)
    fwd = net.forward(X3)
    grads = net.activation_gradients(fwd, Y2, fit)
    assert [len(g) for g in grads] == net.sizes
    assert grads[0] == net.input_gradient(fwd, Y2, fit)
    assert grads[-1] == fit.grad(fwd.a[-1], Y2)
    for l in range(1, 3):
        rest = bp.Network.from_weights(net.W[l:], net.b[l:],
                                       net.activations[l:])
        def loss_at(a, rest=rest):
            return fit.f(rest.forward(a).a[-1], Y2)
        numeric = central(loss_at, fwd.a[l])
        assert grads[l] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_bp2_is_the_activation_gradient_times_the_slope():
    # deltas calls activation_gradient for BP2: the same bits as writing
    # the sum out, so the formula lives in one place
    from backprop.activations import derivatives
    from backprop.matrix import total
    net = bp.Network([3, 4, 3, 2], ["tanh", "sigmoid", "sigmoid"], seed=7)
    fwd = net.forward(X3)
    deltas = net.deltas(fwd, Y2, "mse")
    for l in (1, 2):
        W_T = list(zip(*net.W[l]))
        sums = [total(w * d for w, d in zip(col, deltas[l]))
                for col in W_T]
        assert net.activation_gradient(l, deltas[l]) == sums
        f_prime = derivatives(net.act[l - 1], fwd.z[l - 1], fwd.a[l])
        assert deltas[l - 1] == [s * fp for s, fp in zip(sums, f_prime)]


def test_input_gradient_of_an_output_is_its_derivative():
    # losses.output(j): L = a_j, so input_gradient is da_j/dx
    from backprop.losses import output
    net = bp.Network.from_weights([[[0.5, -1.0]]], [[0.25]], "tanh")
    fwd = net.forward([1.0, 0.5])                 # z = 0.25
    slope = 1 - math.tanh(0.25) ** 2
    dx = net.input_gradient(fwd, [0.0], output())
    assert dx == pytest.approx([0.5 * slope, -1.0 * slope], rel=1e-15)
    g = net.backward(fwd, [0.0], output(0))
    assert g.db == [[pytest.approx(slope, rel=1e-15)]]


def test_a_loss_of_ones_own_trains_and_gradchecks():
    from backprop.gradcheck import gradcheck
    quartic = bp.Loss(
        "quartic",
        lambda a, y: sum((ai - yi) ** 4 for ai, yi in zip(a, y)),
        lambda a, y: [4 * (ai - yi) ** 3 for ai, yi in zip(a, y)])
    net = bp.Network([2, 3, 1], seed=3)
    assert gradcheck(net, X[1], Y[1], loss=quartic).ok
    h = bp.train(net, X, Y, epochs=50, eta=2.0, loss=quartic)
    assert h.losses[-1] < h.losses[0]
    from backprop.losses import output
    assert gradcheck(net, X[2], Y[2], loss=output(0)).ok
    h = bp.train(net, X, Y, epochs=3, eta=0.1, loss=output(0))
    assert h.losses[-1] < h.losses[0]             # it pushes a_0 down


def test_output_loss_is_checked():
    from backprop.losses import output
    with pytest.raises(bp.ShapeError, match=r"^output\[2\] requires at "
                       r"least 3 outputs, got \(2,\)"):
        output(2).grad([0.1, 0.2], [0, 0])
    with pytest.raises(bp.BackpropError, match="^output: j must be at "
                       "least 0, got -1"):
        output(-1)
    with pytest.raises(TypeError, match="^output: j must be an int"):
        output(1.0)


def test_input_gradient_checks_y():
    net = bp.Network([2, 1], seed=0)
    fwd = net.forward([1.0, 1.0])
    with pytest.raises(bp.ShapeError, match="y must be a list of 1"):
        net.input_gradient(fwd, [1.0, 2.0])
    with pytest.raises(bp.ShapeError, match="y must be a list of 1"):
        net.activation_gradients(fwd, [])


# Mazur, "A Step by Step Backpropagation Example" (2015): one step of
# eta = 0.5 on the half squared error, biases never updated.
MAZUR_W = [[[0.149780716, 0.19956143], [0.24975114, 0.29950229]],
           [[0.35891648, 0.408666186], [0.511301270, 0.561370121]]]


@pytest.mark.parametrize("how", ["train", "update_batch", "readable"])
def test_mazurs_step_with_fixed_biases_gives_his_weights(how, monkeypatch):
    from backprop import _fast
    from backprop.explain import default_network
    net = default_network()
    b = [v[:] for v in net.b]
    x, y = [0.05, 0.10], [0.01, 0.99]
    if how == "update_batch":
        half_sse = bp.get_loss("half_sse")
        bp.update_batch(net, [x], [y], loss=half_sse, report=half_sse,
                        optimizer=bp.GradientDescent(), eta=0.5,
                        update_biases=False)
    else:
        if how == "readable":
            monkeypatch.setattr(_fast, "applies", lambda net, opt: False)
        bp.train(net, [x], [y], epochs=1, eta=0.5, loss="half_sse",
                 update_biases=False)
    assert net.b == b                                  # unchanged
    for l in range(2):
        for row, published in zip(net.W[l], MAZUR_W[l]):
            assert row == pytest.approx(published, abs=5e-9)


def test_update_biases_must_be_a_bool():
    with pytest.raises(TypeError, match="^train: update_biases must be"):
        bp.train(bp.Network([2, 1]), X, Y, epochs=1, eta=0.1,
                 update_biases="no")


# === Jupyter shows pictures ================================================

def test_history_repr_svg_is_the_loss_chart():
    import xml.etree.ElementTree as ET
    from backprop import plot
    assert bp.History()._repr_svg_() is None        # nothing to draw yet
    h = bp.History([0.5, 0.25, 0.125])
    assert h._repr_svg_() == plot.loss_chart({"training": h.losses})
    h.val_losses = [0.6, 0.3, 0.2]
    svg = h._repr_svg_()
    ET.fromstring(svg)
    assert "training" in svg and "validation" in svg


def test_network_repr_svg_is_the_network_diagram():
    from backprop import plot
    if not hasattr(plot, "network"):
        pytest.skip("plot.network is not written yet")
    net = bp.Network([2, 3, 1], seed=0)
    assert net._repr_svg_() == plot.network(net)


@needs_subprocess
def test_reprs_keep_import_backprop_light():
    # the drawing modules load when a picture is asked for, not before
    code = ("import sys, backprop; print('backprop.plot' in sys.modules);"
            "backprop.History([1.0])._repr_svg_();"
            "print('backprop.plot' in sys.modules)")
    done = python("-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
