"""The elementary functions, computed the same way on every Python.

A C math library may round the last bit of ``math.exp(x)`` one way and
another library the other way, and a chaotic training run turns that one
bit into a different final loss. So backprop computes the functions it
needs here, with nothing but + - * /, ``ldexp``/``frexp`` (which only move
the binary point), ``sqrt`` (rounded correctly by every IEEE machine) and
integer arithmetic: every interpreter follows the same steps and gets the
same bits. exp, log, tanh, sin and cos are within one unit in the last
place (ulp) of the exact value (normal results); measured against the
decimal module on 100,000 inputs each (tests/test_elementary.py) the
largest errors were 0.51 ulp for exp, 0.51 for log, 0.57 for tanh and
0.75 for sin and cos.

=========  ==============================================================
function   how
=========  ==============================================================
exp        e^x = 2^(k/128) e^r: a table of 2^(j/128) and a short polynomial
log        log x = k log 2 + log(1/c) + log(1 + r), r = x c / 2^k - 1
tanh       (e^2a - 1)/(e^2a + 1), with a polynomial near 0
sin, cos   x = k pi/2 + r, then fdlibm's polynomials in r
power      x^n for an integer n >= 0, by repeated squaring
gauss      random.Random.gauss's Box-Muller, with these log, cos, sin
=========  ==============================================================

>>> exp(1.0)
2.718281828459045
>>> log(10.0)
2.302585092994046
>>> tanh(0.5), sin(1.0), cos(1.0)
(0.46211715726000974, 0.8414709848078965, 0.5403023058681398)
"""

from __future__ import annotations

import random
from math import frexp, isqrt, ldexp, sqrt

from .errors import BackpropError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["exp", "log", "tanh", "sin", "cos", "power", "gauss"]

# === Exact constants, made at import from integers ==========================
# A number v is held as the integer round(v * 2^_P); _P = 160 bits is far
# more than a float's 53, so rounding these to floats is exact to the bit.

_P = 160


def _to_float(n: int, bits: int = 53, scale: int = _P) -> float:
    """Return n / 2^scale rounded to the nearest float of ``bits`` bits."""
    shift = max(abs(n).bit_length() - bits, 0)
    q = (abs(n) + (1 << shift >> 1)) >> shift
    return ldexp(float(q if n >= 0 else -q), shift - scale)


def _pi(bits: int) -> int:
    """Return pi * 2^bits (to a few units), by Machin's formula
    pi = 16 atan(1/5) - 4 atan(1/239), atan(1/m) = 1/m - 1/(3 m^3) + ..."""
    def atan_inv(m: int) -> int:
        term, s, i = (1 << bits + 8) // m, 0, 1
        while term:
            s += term // i if i % 4 == 1 else -(term // i)
            term, i = term // (m * m), i + 2
        return s
    return (16 * atan_inv(5) - 4 * atan_inv(239)) >> 8


def _log_ratio(a: int, b: int) -> int:
    """Return log(a / b) * 2^_P, from log(a/b) = 2 atanh(u),
    u = (a - b)/(a + b), as 2 (u + u^3/3 + u^5/5 + ...)."""
    if a < b:
        return -_log_ratio(b, a)
    u = ((a - b) << _P) // (a + b)
    u2, term, s, i = u * u >> _P, u, 0, 1
    while term:
        s += term // i
        term, i = term * u2 >> _P, i + 2
    return 2 * s


_LN2 = _log_ratio(2, 1)

# 2^(j/128) for j = 0..127: 2^(1/128) is the square root of 2 taken seven
# times; the others are its powers. Each is kept as a float and a tail:
# 2^(j/128) = T (1 + TAIL) to ~2^-100, in _TABLE[j] = (T, TAIL).
_root = 2 << _P
for _ in range(7):
    _root = isqrt(_root << _P)
_pow2 = [1 << _P]
for _ in range(127):
    _pow2.append(_pow2[-1] * _root >> _P)
_T = [_to_float(v) for v in _pow2]
_TABLE = [(t, _to_float(((v - round(ldexp(t, _P))) << _P)
                        // round(ldexp(t, _P)))) for v, t in zip(_pow2, _T)]

_N_LN2 = _to_float((128 << 2 * _P) // _LN2)        # 128 / log 2
_LN2_N_HI = _to_float(_LN2 >> 7, 35)              # log 2 / 128, head and
_LN2_N_LO = _to_float((_LN2 >> 7) - round(ldexp(_LN2_N_HI, _P)))  # tail
_INF = float("inf")
_SHIFT = 6755399441055744.0    # 1.5 * 2^52: x + _SHIFT - _SHIFT rounds x


def _exp_parts(x: float) -> tuple:
    """Return (s, t, e) with e^x = s (1 + t) 2^e, for -745.2 < x < 709.8.

    k = round(128 x / log 2), r = x - k (log 2)/128 with |r| <= log 2 / 256,
    s = 2^(j/128) for j = k mod 128, and t = TAIL[j] + e^r - 1, where
    e^r - 1 = r + r^2/2 + r^3/6 + r^4/24 + r^5/120 (the next term,
    r^6/720, is below 2^-60)."""
    kd = x * _N_LN2 + _SHIFT - _SHIFT              # k, as a float
    r = x - kd * _LN2_N_HI - kd * _LN2_N_LO        # kd * _LN2_N_HI is exact
    k = int(kd)
    s, tail = _TABLE[k & 127]
    t = tail + r + r * r * (0.5 + r * ((1 / 6) + r * (
        (1 / 24) + r * (1 / 120))))
    return s, t, k >> 7


class _Scales(dict):
    """kd -> (kd (log 2)/128 as head and tail, S = 2^(k // 128) s, TAIL),
    where (s, TAIL) = _TABLE[k mod 128]: made the first time an integer
    kd (a float) is asked for, and kept.

    exp asks only for |x| < 45, so |kd| <= 8,310: at most 16,621 entries
    (under 4 MB). There S is between 2^-65 and 2^65, so S + S t is
    2^(k // 128) (s + s t) to the bit: multiplying by a power of two so
    far from the ends of the floats moves no bit of s t or of the sum."""

    def __missing__(self, kd: float) -> tuple:
        k = int(kd)
        s, tail = _TABLE[k & 127]
        v = self[kd] = (kd * _LN2_N_HI, kd * _LN2_N_LO, ldexp(s, k >> 7),
                        tail)
        return v


_SCALES = _Scales()


def exp(x: float) -> float:
    """Return e^x, within 0.51 ulp (normal results), the same bits everywhere.

    With k = round(128 x / log 2) and r = x - k (log 2)/128, so that
    |r| <= (log 2)/256, e^x = 2^(k // 128) * 2^((k mod 128)/128) * e^r:
    a power of two, a number from a table of 128, and e^r from Taylor's
    1 + r + r^2/2 + ... + r^5/120.

    >>> exp(0.0), exp(1.0), exp(-1.0)
    (1.0, 2.718281828459045, 0.36787944117144233)
    >>> exp(-746.0), exp(float("-inf")), exp(float("inf"))
    (0.0, 0.0, inf)

    Beyond the largest float (x > 709.78) it raises OverflowError, as
    ``math.exp`` does.
    """
    if -45.0 < x < 45.0:              # the usual case: 2^(k // 128) s and
        kd = x * _N_LN2 + _SHIFT - _SHIFT     # k (log 2)/128 kept ready
        hi, lo, s, tail = _SCALES[kd]
        r = x - hi - lo                     # x - kd*_LN2_N_HI - kd*_LN2_N_LO
        t = tail + r + r * r * (0.5 + r * ((1 / 6) + r * (
            (1 / 24) + r * (1 / 120))))
        return s + s * t
    if -745.2 < x < 709.8:                  # the same, computed each time
        s, t, e = _exp_parts(x)
        return ldexp(s + s * t, e)          # ldexp raises OverflowError
    if x > 709.8:
        if x == _INF:
            return _INF
        raise OverflowError("math range error")
    return x if x != x else 0.0             # nan stays nan


# === log: a table of 1/c with 8 bits, so that x c - 1 is exact ==============
# For z in [0.707, 1.414), j = round(128 z) and c[j] = 128/j rounded to 8
# bits; r = z c - 1 then has |r| < 2^-7 and fits in 53 bits exactly.
_INVC = {j: round(ldexp(128 / j, 8 if j > 128 else 7))
         / (256.0 if j > 128 else 128.0) for j in range(90, 182)}
_LOGC = {}
for _j, _c in _INVC.items():
    _num = round(ldexp(_c, 8))                       # c = _num / 256
    _lc = -_log_ratio(_num, 256)                     # log(1/c) * 2^_P
    _hi = _to_float(_lc >> (_P - 42) << (_P - 42))     # a multiple of 2^-42
    _LOGC[_j] = (_hi, _to_float(_lc - round(ldexp(_hi, _P))))
_LN2_HI = _to_float(_LN2 >> (_P - 42) << (_P - 42))    # log 2, 42 bits
_LN2_LO = _to_float(_LN2 - round(ldexp(_LN2_HI, _P)))
_SQRT_HALF = 0.7071067811865476


def log(x: float) -> float:
    """Return the natural logarithm of x > 0, within 0.51 ulp.

    Write x = z 2^k with z in [0.707, 1.414), pick c close to 1/z from
    a table (c has 8 bits, so r = z c - 1 is exact), and add
    log x = k log 2 + log(1/c) + log(1 + r), where |r| < 2^-7 and
    log(1 + r) = r - r^2/2 + r^3/3 - ... - r^8/8.

    >>> log(1.0), log(2.718281828459045), log(0.5)
    (0.0, 1.0, -0.6931471805599453)

    x <= 0 raises ValueError, as ``math.log`` does; log(inf) is inf.
    """
    if not 0.0 < x < _INF:
        if x == _INF or x != x:
            return x
        raise ValueError("math domain error")
    z, k = frexp(x)                                  # x = z 2^k, z in [.5, 1)
    if z < _SQRT_HALF:
        z, k = z + z, k - 1
    j = int(z * 128.0 + 0.5)
    c = _INVC[j]
    zh = z * 257.0
    zh -= zh - z                                     # z's first 45 bits
    r = (zh * c - 1.0) + (z - zh) * c                # exact
    log_c, log_c_lo = _LOGC[j]
    w = k * _LN2_HI + log_c                          # exact
    hi = w + r
    lo = (w - hi) + r if abs(w) >= abs(r) else (r - hi) + w
    p = r * r * (-0.5 + r * ((1 / 3) + r * (-0.25 + r * (0.2 + r * (
        (-1 / 6) + r * ((1 / 7) + r * -0.125))))))
    return hi + (lo + (k * _LN2_LO + log_c_lo) + p)


# === tanh ===================================================================

def _product(a: float, b: float) -> tuple:
    """Return (p, err) with a b = p + err exactly (Dekker's product: split
    each factor into two 26-bit halves, whose products are exact)."""
    u, v = a * 134217729.0, b * 134217729.0            # 2^27 + 1
    ah, bh = u - (u - a), v - (v - b)
    al, bl = a - ah, b - bh
    p = a * b
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def tanh(z: float) -> float:
    """Return tanh z = (e^2z - 1)/(e^2z + 1), within 0.57 ulp.

    For |z| < 1/32 the odd Taylor series z - z^3/3 + 2z^5/15 - ...
    (to z^11); else e^2|z| is kept as a float and a tail, and the quotient
    is rounded once, so nothing cancels near 0. tanh(-0.0) is -0.0,
    tanh(+-inf) is +-1 and tanh(nan) is nan.

    >>> tanh(0.0), tanh(-0.0), tanh(0.5), tanh(-30.0)
    (0.0, -0.0, 0.46211715726000974, -1.0)
    >>> tanh(1e-300), tanh(float("inf")), tanh(10 ** 400)
    (1e-300, 1.0, 1.0)
    """
    a = abs(z)
    if not a < 22.0:                       # tanh 22 rounds to 1.0
        return z if a != a else (1.0 if z > 0 else -1.0)
    if a < 0.03125:
        w = z * z
        return z + z * w * ((-1 / 3) + w * ((2 / 15) + w * ((-17 / 315) + w * (
            (62 / 2835) + w * (-1382 / 155925))))) if z else z * 1.0
    s, t, e = _exp_parts(a + a)            # e^2a = (f + g) 2^e, e >= 0
    f = s + s * t
    g = (s - f) + s * t
    p = ldexp(1.0, -e)                     # tanh a = (f + g - p)/(f + g + p)
    n, d = f - p, f + p
    n_lo, d_lo = ((f - n) - p) + g, ((f - d) + p) + g
    q = n / d
    qd, err = _product(q, d)               # the division's remainder:
    q += ((n - qd) - err + n_lo - q * d_lo) / d    # n - q d, exactly
    return q if z > 0 else -q


# === sin and cos ============================================================
# x = k pi/2 + y: pi/2 is split into _PIO2_1 + _PIO2_2 + _PIO2_2T, the
# first two with 33 bits, so that k times them is exact for |k| < 2^20.
_PI_P = _pi(_P)
_PIO2_1 = _to_float(_PI_P >> 1, 33)
_PIO2_2 = _to_float((_PI_P >> 1) - round(ldexp(_PIO2_1, _P)), 33)
_PIO2_2T = _to_float((_PI_P >> 1) - round(ldexp(_PIO2_1, _P))
                     - round(ldexp(_PIO2_2, _P)))
_TWO_OVER_PI = _to_float((2 << 2 * _P) // _PI_P)
# fdlibm's polynomials (k_sin.c, k_cos.c: Sun Microsystems, 1993): the
# Taylor coefficients -1/3!, 1/5!, ... and 1/4!, -1/6!, ..., adjusted
# (minimax) to be within 2^-58 on |y| <= pi/4.
_S = (-1.66666666666666324348e-01, 8.33333333332248946124e-03,
      -1.98412698298579493134e-04, 2.75573137070700676789e-06,
      -2.50507602534068634195e-08, 1.58969099521155010221e-10)
_C = (4.16666666666666019037e-02, -1.38888888888741095749e-03,
      2.48015872894767294178e-05, -2.75573143513906633035e-07,
      2.08757232129817482790e-09, -1.13596475577881948265e-11)


def _quadrant(x: float) -> tuple:
    """Return (k mod 4, y, yy) with x = k pi/2 + y + yy, |y| <~ pi/4."""
    if abs(x) < 1048576.0:                        # 2^20: fdlibm's two steps
        kd = x * _TWO_OVER_PI + _SHIFT - _SHIFT
        r = x - kd * _PIO2_1                       # exact
        w = kd * _PIO2_2
        y = r - w
        w = kd * _PIO2_2T - ((r - y) - w)
        y0 = y - w
        return int(kd) & 3, y0, (y - y0) - w
    m, q = frexp(x)                    # beyond: x = M 2^(q-53), M an int,
    scale = q + 200                    # y to 200 bits more than x's size
    X = int(ldexp(m, 53)) << q + scale - 53           # x 2^scale
    half_pi = _pi(scale) >> 1                         # pi/2 2^scale
    k = (2 * X + half_pi) // (2 * half_pi)            # round(x / (pi/2))
    R = X - k * half_pi                               # y 2^scale
    y0 = _to_float(R, 53, scale)
    m0, q0 = frexp(y0)
    R -= int(ldexp(m0, 53)) << q0 - 53 + scale
    return k & 3, y0, _to_float(R, 53, scale)


def _sin(y: float, yy: float) -> float:
    """sin(y + yy) for |y| <= pi/4, yy tiny (fdlibm's __kernel_sin)."""
    z = y * y
    v = z * y
    r = _S[1] + z * (_S[2] + z * (_S[3] + z * (_S[4] + z * _S[5])))
    return y - ((z * (0.5 * yy - v * r) - yy) - v * _S[0])


def _cos(y: float, yy: float) -> float:
    """cos(y + yy) for |y| <= pi/4, yy tiny (fdlibm's __kernel_cos)."""
    z = y * y
    r = z * (_C[0] + z * (_C[1] + z * (_C[2] + z * (_C[3] + z * (
        _C[4] + z * _C[5])))))
    h = 0.5 * z
    w = 1.0 - h
    return w + (((1.0 - w) - h) + (z * r - y * yy))


def sin(x: float) -> float:
    """Return sin x, within 1 ulp: x = k pi/2 + y with |y| <= pi/4, then
    sin x is sin y, cos y, -sin y or -cos y as k mod 4 is 0, 1, 2 or 3.

    >>> sin(0.0), sin(-0.0), sin(1.0), sin(3.141592653589793)
    (0.0, -0.0, 0.8414709848078965, 1.2246467991473532e-16)

    sin(inf) raises ValueError, as ``math.sin`` does.
    """
    if not abs(x) < _INF:
        return _not_finite(x)
    k, y, yy = _quadrant(x) if abs(x) > 0.7853981633974483 else (0, x, 0.0)
    v = _sin(y, yy) if k % 2 == 0 else _cos(y, yy)
    return v if k < 2 else -v


def cos(x: float) -> float:
    """Return cos x, within 1 ulp: x = k pi/2 + y with |y| <= pi/4, then
    cos x is cos y, -sin y, -cos y or sin y as k mod 4 is 0, 1, 2 or 3.

    >>> cos(0.0), cos(1.0), cos(3.141592653589793)
    (1.0, 0.5403023058681398, -1.0)
    """
    if not abs(x) < _INF:
        return _not_finite(x)
    k, y, yy = _quadrant(x) if abs(x) > 0.7853981633974483 else (0, x, 0.0)
    v = _cos(y, yy) if k % 2 == 0 else _sin(y, yy)
    return v if k in (0, 3) else -v


def _not_finite(x: float) -> float:
    if x != x:
        return x
    raise ValueError("math domain error")


# === Powers and Gaussian draws ==============================================

def power(x: float, n: int) -> float:
    """Return x^n for an int n >= 0 by repeated squaring:
    x^13 = x^8 x^4 x, the squares x, x^2, x^4, x^8 made one from another.

    ``x ** n`` calls the C library's pow(), whose last bit may differ
    between platforms; these few multiplications (about 2 log2 n, each
    rounded once) give the same bits everywhere.

    >>> power(0.9, 0), power(0.9, 1), power(2.0, 10), power(0.5, 3)
    (1.0, 0.9, 1024.0, 0.125)

    n must be an int >= 0, else BackpropError says so.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise BackpropError(f"power: n must be an int >= 0, got {n!r}")
    result = 1.0
    while n:
        if n & 1:
            result *= x
        x *= x
        n >>= 1
    return result


_TWO_PI = 6.283185307179586                      # 2 pi, as random.py has


def gauss(rng: random.Random, mu: float = 0.0, sigma: float = 1.0) -> float:
    """Return rng.gauss(mu, sigma)'s draw, computed with these functions.

    random.Random.gauss's Box-Muller method: with u1, u2 uniform,
    r = sqrt(-2 log(1 - u2)) and theta = 2 pi u1, both r cos theta and
    r sin theta are independent N(0, 1) draws; the second is kept in
    ``rng.gauss_next`` for the next call, as random.py does. So the draws
    and the state of rng are those of ``rng.gauss``, up to the last bits.

    >>> rng = random.Random(0)
    >>> round(gauss(rng), 12), round(gauss(rng, 10.0, 2.0), 12)
    (0.941715404681, 7.206843790598)
    """
    state: Any = rng                # typeshed does not list gauss_next
    z = state.gauss_next
    state.gauss_next = None
    if z is None:
        x2pi = rng.random() * _TWO_PI
        g2rad = sqrt(-2.0 * log(1.0 - rng.random()))
        z = cos(x2pi) * g2rad
        state.gauss_next = sin(x2pi) * g2rad
    return mu + z * sigma
