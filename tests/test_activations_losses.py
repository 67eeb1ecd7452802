import math
import sys

import pytest
from hypothesis_or_skip import given, st

import backprop as bp

EXTREMES = [0.0, -0.0, 1.0, -1.0, 709.0, 710.0, -709.0, -710.0, 745.0,
            -745.0, 1e308, -1e308, sys.float_info.max, -sys.float_info.max,
            5e-324, float("inf"), float("-inf")]


@pytest.mark.parametrize("z", EXTREMES)
def test_sigmoid_is_in_unit_interval_for_extreme_floats(z):
    s = bp.sigmoid(z)
    assert isinstance(s, float) and 0.0 <= s <= 1.0


@given(st.floats(allow_nan=False))
def test_sigmoid_any_float(z):
    np = pytest.importorskip("numpy")
    s = bp.sigmoid(z)
    assert 0.0 <= s <= 1.0
    # agrees with an independent formula where that one cannot overflow
    if abs(z) < 700:
        assert s == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-15)


@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=8))
def test_softmax_finite_in_range_sums_to_one(z):
    p = bp.softmax(z)
    assert all(0.0 <= v <= 1.0 for v in p)
    assert sum(p) == pytest.approx(1.0)


def test_softmax_matches_numpy():
    np = pytest.importorskip("numpy")
    z = [0.3, -1.2, 2.5, 0.0]
    e = np.exp(np.array(z) - max(z))
    np.testing.assert_allclose(bp.softmax(z), e / e.sum(), rtol=1e-15)


@pytest.mark.parametrize("f,fprime", [
    (bp.sigmoid, bp.sigmoid_prime), (bp.tanh, bp.tanh_prime),
    (bp.relu, bp.relu_prime), (bp.leaky_relu, bp.leaky_relu_prime),
    (bp.identity, bp.identity_prime),
])
@pytest.mark.parametrize("z", [-2.3, -0.4, 0.7, 3.1])
def test_derivatives_match_central_difference(f, fprime, z):
    h = 1e-6
    assert fprime(z) == pytest.approx((f(z + h) - f(z - h)) / (2 * h),
                                      rel=1e-6)


@pytest.mark.parametrize("z", [-3.0, -0.5, 0.0, 0.5, 4.0])
def test_sigmoid_prime_from_output_takes_the_output(z):
    assert bp.sigmoid_prime_from_output(bp.sigmoid(z)) == pytest.approx(
        bp.sigmoid_prime(z), rel=1e-15)
    # ... and calling it on z instead (the classic bug) is wrong
    if z not in (0.0,):
        assert bp.sigmoid_prime_from_output(z) != pytest.approx(
            bp.sigmoid_prime(z))


@pytest.mark.parametrize("name", ["mse", "half_sse", "binary_cross_entropy",
                                  "categorical_cross_entropy"])
def test_loss_gradients_match_central_difference(name):
    loss = bp.get_loss(name)
    a, y = [0.2, 0.7, 0.4], [0.0, 1.0, 0.0]
    h = 1e-7
    for i, g in enumerate(loss.grad(a, y)):
        up, down = list(a), list(a)
        up[i] += h
        down[i] -= h
        num = (loss.f(up, y) - loss.f(down, y)) / (2 * h)
        assert g == pytest.approx(num, rel=1e-6, abs=1e-9)


def test_losses_match_numpy_formulas():
    np = pytest.importorskip("numpy")
    a, y = np.array([0.2, 0.7, 0.4]), np.array([0.0, 1.0, 0.0])
    A, Yl = a.tolist(), y.tolist()
    assert bp.mse(A, Yl) == pytest.approx(np.mean((a - y) ** 2))
    assert bp.half_sse(A, Yl) == pytest.approx(0.5 * np.sum((a - y) ** 2))
    assert bp.binary_cross_entropy(A, Yl) == pytest.approx(
        -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))
    assert bp.categorical_cross_entropy(A, Yl) == pytest.approx(-np.log(0.7))


def test_cross_entropies_never_take_log_of_zero():
    for v in (bp.binary_cross_entropy([0.0, 1.0], [1.0, 0.0]),
              bp.categorical_cross_entropy([0.0, 1.0], [1.0, 0.0])):
        assert math.isfinite(v) and v > 20   # -log(1e-12) = 27.6
    assert all(math.isfinite(g) for g in
               bp.binary_cross_entropy_grad([0.0, 1.0], [1.0, 0.0]))


@pytest.mark.parametrize("getter,name", [(bp.get_activation, "sigmod"),
                                         (bp.get_loss, "mean_squared")])
def test_unknown_names_list_the_known_ones(getter, name):
    with pytest.raises(bp.BackpropError, match=f"unknown .*{name}.*expected"):
        getter(name)


@pytest.mark.parametrize("name", ["mse", "half_sse"])
def test_squared_losses_overflow_to_inf_not_overflowerror(name):
    # float ** 2 raises OverflowError past ~1.3e154; d * d gives inf
    assert bp.get_loss(name).f([1e200], [0.0]) == float("inf")


def test_slow_divergence_raises_divergence_error():
    # eta * x^2 = 2.4 > 2: every step overshoots further, until inf
    net = bp.Network.from_weights([[[0.5]]], [[0.0]], "identity")
    with pytest.raises(bp.DivergenceError, match="smaller"):
        bp.train(net, [[1.0]], [[1.0]], epochs=5000, eta=1.2, loss="mse")


def test_huge_ints_saturate_like_huge_floats():
    # 10**400 is beyond every float: no OverflowError, the saturated value
    assert bp.sigmoid(10 ** 400) == 1.0 and bp.sigmoid(-10 ** 400) == 0.0
    assert bp.sigmoid_prime(10 ** 400) == 0.0
    assert bp.tanh(10 ** 400) == 1.0 and bp.tanh(-10 ** 400) == -1.0
    assert bp.tanh_prime(-10 ** 400) == 0.0
    assert bp.sigmoid(800) == 1.0 and bp.sigmoid(-800) == bp.sigmoid(-800.0)


def test_nan_stays_nan_through_every_activation():
    nan = float("nan")
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "identity"):
        act = bp.get_activation(name)
        assert math.isnan(act.f(nan)), name
        if name != "identity":             # its slope is 1 everywhere
            assert math.isnan(act.prime(nan)), name


def test_loss_is_exported_and_get_loss_hands_it_back():
    from backprop import losses
    assert bp.Loss is losses.Loss and "Loss" in bp.__all__
    mine = bp.Loss("mine", lambda a, y: 0.0, lambda a, y: [0.0] * len(a))
    assert bp.get_loss(mine) is mine


@pytest.mark.parametrize("j, n", [(0, 1), (0, 3), (2, 3)])
def test_output_loss_is_a_j_with_gradient_e_j(j, n):
    from backprop.losses import output
    a, y = [0.5 + k for k in range(n)], [9.0] * n
    out = output(j)
    assert out.name == f"output[{j}]" and out.f(a, y) == a[j]
    assert out.grad(a, y) == [1.0 if k == j else 0.0 for k in range(n)]
    with pytest.raises(bp.ShapeError, match="a and y of equal length"):
        out.f(a, y[:-1])
