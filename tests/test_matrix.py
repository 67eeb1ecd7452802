import pytest

from backprop import matrix as mx
from backprop.errors import ShapeError

A = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.5]]
B = [[0.5, -1.0], [2.0, 0.25], [-3.0, 1.5]]
u, v = [1.0, -2.0, 0.5], [3.0, 4.0, -1.0]


def test_operations_match_numpy():
    np = pytest.importorskip("numpy")
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


def test_total_adds_left_to_right_on_every_python():
    # the one summation order: ((0.0 + x0) + x1) + ..., written out here
    # as a loop; Python 3.12+'s sum() and math.fsum give other bits
    import math
    import random
    rng = random.Random(3)
    for _ in range(2000):
        xs = [rng.gauss(0, 1) * 10 ** rng.randrange(-8, 8)
              for _ in range(rng.randrange(1, 40))]
        s = 0.0
        for x in xs:
            s += x
        assert mx.total(xs).hex() == s.hex()
        ys = [rng.gauss(0, 1) for _ in xs]
        s = 0.0
        for x, y in zip(xs, ys):
            s += x * y
        assert mx.dot(xs, ys).hex() == s.hex()
    assert mx.total([1e100, 1.0, -1e100]) == 0.0
    assert math.fsum([1e100, 1.0, -1e100]) == 1.0
    assert type(mx.total([0.5, 0.25])) is float


def test_matvec_and_matmul_are_dot_products_row_by_row():
    W = [[0.1, 0.2, 0.3], [1e16, 1.0, -1e16]]
    x = [1.0, 1.0, 1.0]
    assert mx.matvec(W, x) == [mx.dot(W[0], x), mx.dot(W[1], x)]
    assert mx.matvec(W, x)[1] == 0.0        # left to right: 1.0 is lost
    assert mx.matmul(W, [[v] for v in x]) == [[v] for v in mx.matvec(W, x)]
