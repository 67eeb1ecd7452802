import math
import subprocess
import sys

import pytest

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


def test_python_m_backprop_learns_xor():
    out = subprocess.run([sys.executable, "-m", "backprop"],
                         capture_output=True, text=True, check=True).stdout
    assert "Epoch 1, Loss: 0.2" in out
    preds = [float(line.split("Predicted: ")[1].split(",")[0])
             for line in out.splitlines() if "Predicted" in line]
    assert len(preds) == 4
    for p, t in zip(preds, [0, 1, 1, 0]):
        assert abs(p - t) < 0.1


def test_cli_help_and_bad_option():
    run = [sys.executable, "-m", "backprop"]
    h = subprocess.run(run + ["--help"], capture_output=True, text=True)
    assert h.returncode == 0 and "--hidden" in h.stdout and "XOR" in h.stdout
    bad = subprocess.run(run + ["--batch", "many"], capture_output=True,
                         text=True)
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
