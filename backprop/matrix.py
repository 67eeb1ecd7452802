"""Linear algebra on plain lists, written out by hand.

A vector is a list of floats; a matrix is a list of rows, each a list of
floats of the same length. These are the only operations a neural network
needs, and each one is short enough to read next to its formula.

===============  ===================================================
function         returns
===============  ===================================================
total            x_0 + x_1 + ..., added left to right (the one sum)
shape            (n,) for a vector, (rows, cols) for a matrix
zeros            a rows x cols matrix of 0.0
transpose        A^T, rows and columns swapped
dot              u . v = sum_i u_i v_i
matvec           W x, one dot product per row of W
matmul           A B, (A B)_ij = sum_k A_ik B_kj
add, subtract    elementwise A + B and A - B
scale            c A
hadamard         elementwise product A * B
outer            u v^T, (u v^T)_jk = u_j v_k
add_bias         X + b, the row vector b added to every row of X
===============  ===================================================

>>> W = [[1.0, 2.0], [3.0, 4.0]]
>>> matvec(W, [1.0, 1.0])
[3.0, 7.0]
>>> matmul(W, transpose(W))
[[5.0, 11.0], [11.0, 25.0]]

Operands whose shapes do not fit raise :class:`ShapeError`, naming the
operation and both shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import add as _add, mul, sub as _sub

from .errors import ShapeError

__all__ = [
    "total", "shape", "zeros", "transpose", "dot", "matvec", "matmul", "add",
    "subtract", "scale", "hadamard", "outer", "add_bias",
]


# === The one summation order ================================================
# Every sum in backprop (each dot product, each loss, each mean over a
# batch) is added the same way, left to right from 0.0:
#     total([x0, x1, x2]) == ((0.0 + x0) + x1) + x2
# so a run gives the same bits on every Python. sum() does exactly that on
# CPython up to 3.11 and on PyPy. From 3.12, CPython's sum() of floats
# compensates for rounding error instead (more accurate, but other bits),
# except when the start value is not exactly a float: then it takes its
# plain path, which adds left to right. We test which sum() we have.


class _Plain(float):
    """0.0 that is not exactly a float, so sum() adds plainly."""

    __slots__ = ()


_START = 0.0 if sum([1e100, 1.0, -1e100]) == 0.0 else _Plain()


def total(values: Iterable[float]) -> float:
    """Return x_0 + x_1 + ... + x_(n-1), added left to right from 0.0.

    This is the package's one summation: every dot product and every loss
    uses it, so results are the same, bit for bit, on every Python.
    Python 3.12+'s ``sum()`` and ``math.fsum`` are more accurate and round
    differently (here the exact sum is 1.0):

    >>> total([1e100, 1.0, -1e100])
    0.0
    >>> total([0.5, 0.25, 0.125])
    0.875
    """
    return sum(values, _START)


def shape(A: Sequence) -> tuple[int, ...]:
    """Return ``(n,)`` for a vector of n numbers, ``(rows, cols)`` for a
    matrix.

    >>> shape([1.0, 2.0, 3.0])
    (3,)
    >>> shape([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    (2, 3)

    A ragged matrix (rows of different lengths) raises ShapeError.
    """
    return _shape("shape", A)


def _shape(op: str, A) -> tuple[int, ...]:
    """shape(A), with errors that name the operation ``op`` called."""
    if not isinstance(A, (list, tuple)):
        raise TypeError(
            f"{op} expects a list of numbers or of rows, got "
            f"{type(A).__name__}")
    if not A or not isinstance(A[0], (list, tuple)):
        return (len(A),)
    cols = len(A[0])
    for i, row in enumerate(A):
        if not isinstance(row, (list, tuple)) or len(row) != cols:
            got = len(row) if isinstance(row, (list, tuple)) else "a number"
            raise ShapeError(
                f"{op}: ragged matrix: row 0 has {cols} entries but row {i} "
                f"has {got}")
    return (len(A), cols)


def _fmt(s: tuple[int, ...]) -> str:
    """Write a shape as people do: (3,) for a vector, 2x3 for a matrix."""
    return f"({s[0]},)" if len(s) == 1 else f"{s[0]}x{s[1]}"


def zeros(rows: int, cols: int) -> list[list[float]]:
    """Return a rows x cols matrix of zeros.

    >>> zeros(2, 3)
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    return [[0.0] * cols for _ in range(rows)]


def transpose(A: list[list[float]]) -> list[list[float]]:
    """Return A^T: ``transpose(A)[j][i] == A[i][j]``.

    >>> transpose([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    """
    _shape("transpose", A)
    return [list(col) for col in zip(*A)]


def dot(u: list[float], v: list[float]) -> float:
    """Return the dot product u . v = sum_i u_i v_i, added by
    :func:`total`.

    >>> dot([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    32.0

    Vectors of different lengths raise ShapeError.
    """
    if len(u) != len(v):
        raise ShapeError(
            f"dot requires vectors of equal length, got ({len(u)},) and "
            f"({len(v)},)")
    try:
        return total(map(mul, u, v))     # u_0 v_0 + u_1 v_1 + ...
    except TypeError:
        raise TypeError(f"dot expects two lists of numbers, got "
                        f"{u!r:.40} and {v!r:.40}") from None


def matvec(W: list[list[float]], x: list[float]) -> list[float]:
    """Return W x: entry j is the dot product of row j of W with x.

    This is a layer's weighted input before the bias: z_j = sum_k W_jk x_k.

    >>> matvec([[1.0, 0.0], [0.5, 2.0]], [2.0, 3.0])
    [2.0, 7.0]
    """
    sW, sx = _shape("matvec", W), _shape("matvec", x)
    if len(sW) != 2 or len(sx) != 1 or sW[1] != sx[0]:
        raise ShapeError(
            f"matvec requires W of shape m x n and x of length n, got "
            f"{_fmt(sW)} and {_fmt(sx)}")
    return [dot(row, x) for row in W]


def matmul(A: list[list[float]], B: list[list[float]]) -> list[list[float]]:
    """Return the matrix product A B, (A B)_ij = sum_k A_ik B_kj.

    >>> matmul([[1.0, 2.0]], [[3.0], [4.0]])
    [[11.0]]

    ``len(A[0]) != len(B)`` raises ShapeError.
    """
    sA, sB = _shape("matmul", A), _shape("matmul", B)
    if len(sA) != 2 or len(sB) != 2 or sA[1] != sB[0]:
        raise ShapeError(
            f"matmul requires A of shape m x n and B of shape n x p, got "
            f"{_fmt(sA)} and {_fmt(sB)}")
    columns = transpose(B)   # once, not once per entry
    return [[dot(row, col) for col in columns] for row in A]


def _elementwise(name: str, op, A, B):
    """Apply op to matching entries of two vectors or two matrices."""
    sA, sB = _shape(name, A), _shape(name, B)
    if sA != sB:
        raise ShapeError(
            f"{name} requires operands of the same shape, got {_fmt(sA)} "
            f"and {_fmt(sB)}")
    if len(sA) == 1:
        return list(map(op, A, B))
    return [list(map(op, r, s)) for r, s in zip(A, B)]


def add(A: list, B: list) -> list:
    """Return A + B, entry by entry (two vectors or two matrices).

    >>> add([[1.0, 2.0]], [[0.5, 0.5]])
    [[1.5, 2.5]]
    """
    return _elementwise("add", _add, A, B)


def subtract(A: list, B: list) -> list:
    """Return A - B, entry by entry (two vectors or two matrices).

    >>> subtract([1.0, 2.0], [0.5, 0.5])
    [0.5, 1.5]
    """
    return _elementwise("subtract", _sub, A, B)


def hadamard(A: list, B: list) -> list:
    """Return the elementwise (Hadamard) product A * B.

    Backprop uses it for delta = dL/da * f'(z).

    >>> hadamard([1.0, 2.0, 3.0], [0.5, 0.5, 2.0])
    [0.5, 1.0, 6.0]
    """
    return _elementwise("hadamard", mul, A, B)


def scale(c: float, A: list) -> list:
    """Return c A, every entry of a vector or matrix times c.

    >>> scale(0.5, [[2.0, 4.0], [6.0, 8.0]])
    [[1.0, 2.0], [3.0, 4.0]]
    """
    if len(_shape("scale", A)) == 1:
        return [c * v for v in A]
    return [[c * v for v in row] for row in A]


def outer(u: list[float], v: list[float]) -> list[list[float]]:
    """Return the outer product u v^T, entry (j, k) = u_j v_k.

    A layer's weight gradient is the outer product dW = delta a_prev^T.

    >>> outer([1.0, 2.0], [3.0, 4.0, 5.0])
    [[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]]
    """
    for name, w in (("u", u), ("v", v)):
        sw = _shape("outer", w)
        if len(sw) != 1:
            raise ShapeError(
                f"outer requires two vectors, got {name} of shape "
                f"{_fmt(sw)}")
    return [[uj * vk for vk in v] for uj in u]


def add_bias(X: list[list[float]], b: list[float]) -> list[list[float]]:
    """Return X + b: the bias vector b added to every row of the batch X.

    This is the broadcast that ``np.dot(X, W) + b`` performs.

    >>> add_bias([[1.0, 2.0], [3.0, 4.0]], [0.5, -0.5])
    [[1.5, 1.5], [3.5, 3.5]]
    """
    sX, sb = _shape("add_bias", X), _shape("add_bias", b)
    if len(sX) != 2 or len(sb) != 1 or sX[1] != sb[0]:
        raise ShapeError(
            f"add_bias requires X of shape m x n and b of length n, got "
            f"{_fmt(sX)} and {_fmt(sb)}")
    return [[x + bj for x, bj in zip(row, b)] for row in X]
