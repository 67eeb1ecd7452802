import numpy as np
import pytest

from backprop import matrix as mx
from backprop.errors import ShapeError

A = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.5]]
B = [[0.5, -1.0], [2.0, 0.25], [-3.0, 1.5]]
u, v = [1.0, -2.0, 0.5], [3.0, 4.0, -1.0]


def test_operations_match_numpy():
    nA, nB = np.array(A), np.array(B)
    assert mx.shape(A) == nA.shape and mx.shape(u) == (3,)
    assert mx.zeros(2, 3) == np.zeros((2, 3)).tolist()
    assert mx.transpose(A) == nA.T.tolist()
    assert mx.dot(u, v) == pytest.approx(np.dot(u, v))
    assert mx.matvec(A, u) == pytest.approx(nA @ np.array(u))
    np.testing.assert_allclose(mx.matmul(A, B), nA @ nB)
    np.testing.assert_allclose(mx.add(A, A), nA + nA)
    np.testing.assert_allclose(mx.subtract(A, mx.scale(2.0, A)), -nA)
    np.testing.assert_allclose(mx.hadamard(A, A), nA * nA)
    np.testing.assert_allclose(mx.outer(u, v), np.outer(u, v))
    np.testing.assert_allclose(mx.add_bias(A, u), nA + np.array(u))
    np.testing.assert_allclose(mx.add(u, v), np.add(u, v))


@pytest.mark.parametrize("call,op,shapes", [
    (lambda: mx.dot(u, [1.0]), "dot", ("(3,)", "(1,)")),
    (lambda: mx.matvec(A, [1.0, 2.0]), "matvec", ("2x3", "(2,)")),
    (lambda: mx.matmul(A, A), "matmul", ("2x3", "2x3")),
    (lambda: mx.add(A, B), "add", ("2x3", "3x2")),
    (lambda: mx.subtract(u, [1.0]), "subtract", ("(3,)", "(1,)")),
    (lambda: mx.hadamard(A, u), "hadamard", ("2x3", "(3,)")),
    (lambda: mx.add_bias(A, [1.0]), "add_bias", ("2x3", "(1,)")),
    (lambda: mx.outer(A, u), "outer", ("2x3",)),
])
def test_shape_errors_name_operation_and_shapes(call, op, shapes):
    with pytest.raises(ShapeError) as info:
        call()
    msg = str(info.value)
    assert msg.startswith(op)
    for s in shapes:
        assert s in msg


@pytest.mark.parametrize("call", [
    lambda: mx.shape([[1.0, 2.0], [3.0]]),
    lambda: mx.transpose([[1.0], [2.0, 3.0]]),
    lambda: mx.matmul([[1.0, 2.0], [3.0]], B),
    lambda: mx.scale(2.0, [[1.0], [1.0, 2.0]]),
])
def test_ragged_matrices_raise_shape_error(call):
    with pytest.raises(ShapeError, match="ragged matrix"):
        call()


def test_shape_of_non_list_is_type_error():
    with pytest.raises(TypeError, match="shape expects"):
        mx.shape(3.0)


def test_hot_loop_forms_agree_with_the_readable_ones():
    # network and training use the unchecked _rows_dot/_affine/_dot
    # (math.sumprod on 3.12+); they compute what matvec and dot compute.
    import random
    rng = random.Random(3)
    W = [[rng.uniform(-1, 1) for _ in range(7)] for _ in range(5)]
    x = [rng.uniform(-1, 1) for _ in range(7)]
    b = [rng.uniform(-1, 1) for _ in range(5)]
    assert mx._rows_dot(W, x) == pytest.approx(mx.matvec(W, x), rel=1e-15)
    assert mx._affine(W, x, b) == pytest.approx(
        mx.add(mx.matvec(W, x), b), rel=1e-15)
    assert mx._dot(x, x) == pytest.approx(mx.dot(x, x), rel=1e-15)
