"""backprop.elementary against an independent oracle: the decimal module.

Each function is compared, on random inputs over the ranges the package
uses and on edge cases, with the exact value computed by the decimal
module at 50 digits (Decimal.exp and Decimal.ln, and Taylor series with
a 60-digit pi for tanh, sin and cos), and the error is measured in units
in the last place (ulp) of the exact value. Then the special values,
gauss against random.Random.gauss, and a reading of the package's source:
no math.exp/log/tanh/sin/cos and no float ** left on the data's path.
"""
import ast
import math
import random
import re
import struct
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from backprop import elementary as E
from backprop.errors import BackpropError


def next_up(x: float) -> float:
    """The next float above x >= 0 (math.nextafter is Python 3.9+)."""
    return struct.unpack("<d", struct.pack("<q", struct.unpack(
        "<q", struct.pack("<d", x))[0] + 1))[0]


N = 25000          # inputs per range: 100,000 per function
TINY = 2.2250738585072014e-308    # the smallest normal float
BOUND = {"exp": 0.52, "log": 0.52, "tanh": 0.6, "sin": 0.9, "cos": 0.9}


def pi_decimal():
    """pi to 60 digits, by the decimal module docs' recipe (Machin-like
    series 3 + 3/24 + ...)."""
    with localcontext() as ctx:
        ctx.prec = 65
        three = Decimal(3)
        lasts, t, s, n, na, d, da = 0, three, 3, 1, 0, 0, 24
        while s != lasts:
            lasts = s
            n, na = n + na, na + 8
            d, da = d + da, da + 32
            t = (t * n) / d
            s += t
        return +s


PI = pi_decimal()


def series(x, first, k0):
    """Sum of (-1)^i x^(2i + k0) / (2i + k0)! from i = 0, times first."""
    term, total, k = first, Decimal(0), k0
    while True:
        total += term
        term = -term * x * x / ((k + 1) * (k + 2))
        k += 2
        if abs(term) < Decimal(10) ** -70 * (abs(total) or 1):
            return total


def exact(name, x):
    """The exact value of name(x) to 50+ digits, from the decimal module."""
    with localcontext() as ctx:
        ctx.prec = 80
        d = Decimal(x)
        if name == "exp":
            return d.exp()
        if name == "log":
            return d.ln()
        if name == "tanh":
            if abs(d) < Decimal("1e-6"):    # odd series, no cancellation
                return d - d ** 3 / 3 + 2 * d ** 5 / 15 - 17 * d ** 7 / 315
            e = (2 * d).exp()
            return (e - 1) / (e + 1)
        k = (d / (PI / 2)).to_integral_value()
        y = d - k * PI / 2                  # x = k pi/2 + y, exactly enough
        shift = {"sin": 0, "cos": 1}[name] + int(k)
        v = series(y, y, 1) if shift % 2 == 0 else series(y, Decimal(1), 0)
        return v if shift % 4 < 2 else -v


def ulps(got, want):
    """|got - want| in units in the last place of want (the float ulp)."""
    if got == want:
        return 0.0
    e = math.frexp(float(want))[1]
    return float(abs(Decimal(got) - want) / Decimal(2) ** (max(e, -1021) - 53))


def inputs(name, n=N):
    rng = random.Random(sum(map(ord, name)))
    u = rng.uniform
    ranges = {
        "exp": [(-30, 30), (-745, 709), (-1e-3, 1e-3), (-1, 1)],
        "log": [(1e-12, 3), (0.9, 1.1), (0.999, 1.001)],
        "tanh": [(-3, 3), (-22, 22), (-0.05, 0.05), (-1e-3, 1e-3)],
        "sin": [(-10, 10), (0, 2 * math.pi), (-1e5, 1e5), (-1e-3, 1e-3)],
    }
    xs = [u(lo, hi) for lo, hi in ranges.get(name, ranges["sin"])
          for _ in range(n)]
    if name == "log":                       # every binade
        xs += [math.ldexp(u(0.5, 1.0), rng.randrange(-1074, 1024))
               for _ in range(n)]
    return xs


@pytest.mark.parametrize("name", sorted(BOUND))
def test_within_bound_of_the_decimal_oracle(name):
    f = getattr(E, name)
    worst, at = 0.0, None
    for x in inputs(name):
        want = exact(name, x)
        err = ulps(f(x), want)
        if abs(want) < TINY:       # a subnormal result is rounded twice,
            assert err < 1, x      # to 53 bits, then to fewer: < 1 ulp
        elif err > worst:
            worst, at = err, x
    assert worst < BOUND[name], f"{name}({at!r}) is {worst:.3f} ulp off"


EDGES = {
    "exp": [0.0, -0.0, 1.0, 709.78, 709.782712893384, -708.39,
            -745.1332191019411, -745.13, -744.0, 1e-300, -1e-300,
            88.72283905206835, 0.5 * math.log(2), -0.5 * math.log(2),
            -1.0, -20.0, -1e-17],
    "log": [1.0, 2.0, 0.5, 5e-324, 2.2250738585072014e-308,
            1.7976931348623157e308, 1 - 2 ** -53, 1 + 2 ** -52, 0.7071,
            0.70710678118654757, 1.4142, math.e],
    "tanh": [1e-300, 5e-324, 2 ** -28, 0.03125, 0.03124, 0.5493, 0.55,
             1.0, 19.0, 21.99, 0.25 * math.log(2) / 128],
    "sin": [math.pi, math.pi / 2, math.pi / 4, 0.7853981633974483,
            0.7853981633974484, 2 * math.pi, 1e-300, 355.0, 1e5,
            1048575.9, 6.283185307179586],
}


@pytest.mark.parametrize("name", sorted(BOUND))
def test_edge_cases_within_bound(name):
    f = getattr(E, name)
    for x in EDGES.get(name, EDGES["sin"]):
        for v in ([x, -x] if name in ("tanh", "sin", "cos") else [x]):
            assert ulps(f(v), exact(name, v)) < BOUND[name], (name, v)


def test_exp_overflows_and_underflows_where_math_exp_does():
    top = 709.782712893384                   # the largest x with e^x < inf
    assert E.exp(top) == pytest.approx(math.exp(top), rel=2e-16)
    for x in (next_up(top), 710.0, 1e308, 10 ** 400):
        with pytest.raises(OverflowError):
            math.exp(x)
        with pytest.raises(OverflowError):
            E.exp(x)
    assert E.exp(float("inf")) == math.inf
    assert E.exp(float("-inf")) == 0.0 and E.exp(-1e308) == 0.0
    assert math.isnan(E.exp(float("nan")))
    # the smallest results: subnormals, then 0.0, at the same places as
    # the exact value rounded to a float (the decimal module's), within
    # one unit of the last place a subnormal has (5e-324)
    for x in (-745.1332191019411, -745.1332191019412, -745.2, -740.0,
              -720.5, -708.5):
        with localcontext() as ctx:
            ctx.prec = 60
            want = float(Decimal(x).exp())
        assert abs(E.exp(x) - want) <= next_up(want) - want, x
    assert E.exp(-745.1332191019412) == 0.0 < E.exp(-745.1332191019411)


def test_exp_kept_scales_give_the_bits_of_ldexp():
    # for |x| < 45 exp keeps S = 2^(k // 128) s ready (_Scales) and
    # returns S + S t; _exp_parts computes (s, t, e) without it, so
    # ldexp(s + s t, e) is the reference: the same bits over the whole
    # range and around the seams at -45 and 45
    rng = random.Random(11)
    xs = ([rng.uniform(-745.0, 709.7) for _ in range(20000)]
          + [rng.uniform(-45.0, 45.0) for _ in range(30000)]
          + [c + rng.uniform(-0.01, 0.01) for c in (-45.0, 45.0)
             for _ in range(2000)]
          + [rng.uniform(-1e-9, 1e-9) for _ in range(1000)])
    E._SCALES.clear()
    for x in xs:
        s, t, e = E._exp_parts(x)
        assert E.exp(x) == math.ldexp(s + s * t, e), x
    # only the k of |x| < 45 were kept: integers with |k| <= 8310
    assert 10000 < len(E._SCALES) <= 16621
    assert all(k == int(k) and abs(k) <= 8310 for k in E._SCALES)


def test_a_training_run_meets_a_few_thousand_scales():
    # reference/elementary.md: "a training run meets a few thousand" k
    import backprop as bp
    E._SCALES.clear()
    net = bp.Network([2, 4, 1], seed=0)
    bp.train(net, [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
             [[0.0], [1.0], [1.0], [0.0]], epochs=3000, eta=1.0,
             loss="binary_cross_entropy")
    assert 1000 <= len(E._SCALES) < 10000


def test_log_rejects_what_math_log_rejects():
    for x in (0.0, -0.0, -1.0, float("-inf"), -5e-324):
        with pytest.raises(ValueError):
            E.log(x)
    assert E.log(float("inf")) == math.inf
    assert math.isnan(E.log(float("nan")))
    assert E.log(1.0) == 0.0 and E.log(2.0) == math.log(2)


def test_tanh_special_values():
    assert math.copysign(1.0, E.tanh(-0.0)) == -1.0
    assert E.tanh(0.0) == 0.0 and E.tanh(0) == 0.0
    assert E.tanh(float("inf")) == 1.0 and E.tanh(float("-inf")) == -1.0
    assert math.isnan(E.tanh(float("nan")))
    assert E.tanh(10 ** 400) == 1.0 and E.tanh(-10 ** 400) == -1.0
    assert E.tanh(5e-324) == 5e-324         # no underflow to 0
    for x in (0.3, 2.0, 25.0):
        assert E.tanh(-x) == -E.tanh(x)


def test_sin_cos_special_values():
    assert math.copysign(1.0, E.sin(-0.0)) == -1.0 and E.cos(-0.0) == 1.0
    for f in (E.sin, E.cos):
        assert math.isnan(f(float("nan")))
        for x in (float("inf"), float("-inf")):
            with pytest.raises(ValueError):
                f(x)
    for x in (1e22, 1e300, -1.7976931348623157e308, 2.0 ** 20):
        for name in ("sin", "cos"):
            assert ulps(getattr(E, name)(x), exact_large(name, x)) < 1


def exact_large(name, x):
    """sin/cos of a huge x: reduce x by pi/2 with pi to 400 digits."""
    with localcontext() as ctx:
        ctx.prec = 420
        pi = pi_long(400)
        d = Decimal(x)
        k = (d / (pi / 2)).to_integral_value()
        y = +(d - k * pi / 2)
    with localcontext() as ctx:
        ctx.prec = 80
        shift = {"sin": 0, "cos": 1}[name] + int(k)
        v = series(y, y, 1) if shift % 2 == 0 else series(y, Decimal(1), 0)
        return v if shift % 4 < 2 else -v


def pi_long(digits):
    """pi by Machin's formula in decimal, to ``digits`` digits."""
    with localcontext() as ctx:
        ctx.prec = digits + 10

        def atan_inv(m):
            term, s, k = Decimal(1) / m, Decimal(0), 1
            while term > Decimal(10) ** -(digits + 5):
                s += term / k if k % 4 == 1 else -term / k
                term, k = term / (m * m), k + 2
            return s
        return 16 * atan_inv(5) - 4 * atan_inv(239)


def test_monotone_spot_checks():
    rng = random.Random(5)
    for f, lo, hi in ((E.exp, -700, 700), (E.log, 1e-300, 1e300),
                      (E.tanh, -20, 20)):
        xs = sorted(rng.uniform(lo, hi) for _ in range(2000))
        xs += [next_up(xs[0])]
        xs.sort()
        ys = [f(x) for x in xs]
        assert all(a <= b for a, b in zip(ys, ys[1:])), f.__name__
    for x in (1.0, 0.5, 1e-3, 3.0):           # neighbours around points
        ys = [E.exp(x + i * 2 ** -52) for i in range(-50, 50)]
        assert ys == sorted(ys)


def test_power_is_repeated_squaring():
    for b in (0.9, 0.999, 1.0000001, 2.0):
        for n in (0, 1, 2, 3, 7, 10, 100, 1001):
            want = Decimal(b) ** n
            assert ulps(E.power(b, n), want) <= max(n - 1, 0) / 2 + 0.5



@pytest.mark.parametrize("n", [-1, 2.0, True, "3", None])
def test_power_refuses_what_is_not_a_count(n):
    with pytest.raises(BackpropError, match=r"power: n must be an int >= 0"):
        E.power(2.0, n)


@pytest.mark.parametrize("seed", [0, 1, 42, 2024])
def test_gauss_is_random_gauss_to_the_last_bits(seed):
    ours, theirs = random.Random(seed), random.Random(seed)
    for i in range(10000):
        mu, sigma = (0.0, 1.0) if i % 3 else (5.0, 0.25)
        a, b = E.gauss(ours, mu, sigma), theirs.gauss(mu, sigma)
        assert a == pytest.approx(b, rel=1e-14, abs=1e-14)
    assert ours.getstate() == theirs.getstate()[:2] + ours.getstate()[2:]
    assert (ours.gauss_next is None) == (theirs.gauss_next is None)
    assert [ours.random() for _ in range(5)] == \
        [theirs.random() for _ in range(5)]


def test_gauss_shares_random_gauss_cache_both_ways():
    rng = random.Random(3)
    first = rng.gauss(0.0, 1.0)               # random.py caches the 2nd
    assert rng.gauss_next is not None
    second = E.gauss(rng)                     # we use it, and vice versa
    assert rng.gauss_next is None
    ref = random.Random(3)
    assert (first, second) == (ref.gauss(0.0, 1.0), ref.gauss(0.0, 1.0))


def test_tables_are_the_exact_values():
    """The import-time tables, against the decimal module."""
    with localcontext() as ctx:
        ctx.prec = 50
        for j, (t, tail) in enumerate(E._TABLE):
            want = Decimal(2) ** (Decimal(j) / 128)
            assert abs(Decimal(t) * (1 + Decimal(tail)) - want) \
                < want * Decimal(2) ** -100
        for j, (hi, lo) in E._LOGC.items():
            want = -Decimal(E._INVC[j]).ln()
            assert abs(Decimal(hi) + Decimal(lo) - want) < Decimal(2) ** -90


# === The package computes with these, not with the C library ================

PACKAGE = Path(E.__file__).resolve().parent
LIBM = {"exp", "log", "tanh", "sin", "cos", "expm1", "log1p", "pow",
        "log2", "log10", "atan", "atan2", "asin", "acos", "sinh", "cosh"}
# plot.py draws axes: its log10 places tick marks, never a computed number.
DRAWING = {("plot.py", "log10")}


def test_no_module_calls_the_c_math_library_on_data():
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "math":
                found += [(path.name, a.name) for a in node.names
                          if a.name in LIBM]
            if isinstance(node, ast.Attribute) and node.attr in LIBM \
                    and isinstance(node.value, ast.Name) \
                    and node.value.id == "math":
                found.append((path.name, node.attr))
    assert set(found) <= DRAWING, found


def test_no_float_power_on_the_training_path():
    """``a ** b`` on floats (or an int to a negative power) calls C
    pow(); the modules that compute on data write ** only between
    non-negative int literals (10 ** 7), which Python computes exactly
    with integers, and none on a name or a float."""
    def int_literal(node):
        return isinstance(node, ast.Constant) and type(node.value) is int

    for name in ("activations.py", "losses.py", "network.py",
                 "optimizers.py", "training.py", "matrix.py", "_fast.py",
                 "datasets.py", "prepare.py", "elementary.py"):
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
                assert int_literal(node.left) and int_literal(node.right), \
                    f"{name}:{node.lineno}"
            if isinstance(node, ast.AugAssign) and isinstance(node.op,
                                                              ast.Pow):
                pytest.fail(f"{name}:{node.lineno} uses **=")


def test_docstring_states_the_measured_bounds():
    doc = E.__doc__
    for name in ("exp", "log", "tanh", "sin and cos"):
        assert re.search(rf"0\.\d+ (ulp\s+)?for\s+{name}", doc), name
