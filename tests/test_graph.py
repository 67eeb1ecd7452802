"""backprop.graph: the scalar engine and the bridge to Network.

* micrograd's README example and the lecture's expression, tanh neuron
  and MLP, typed in as their authors wrote them, give the published
  numbers; the expected values are worked out here by hand or by central
  differences on a plain-float copy of the computation.
* Random expressions: every gradient equals its central difference.
* Random networks (every activation and loss pair): the graph's
  gradients equal Network.backward to 1e-12, its values Network.forward
  and the losses bit for bit.
* Long chains, zero_grad, identity semantics, errors.

The lecture's code is typed in as written, semicolons and % included.
"""
# ruff: noqa: E702, UP031
from __future__ import annotations

import decimal
import math
import random
import sys
import xml.etree.ElementTree as ET

import pytest

from backprop import BackpropError, Network, ShapeError, activations, losses
from backprop.graph import NetworkGraph, Value, network_graph, softmax, total
from backprop.matrix import total as float_total

from hypothesis_or_skip import given, settings, st

needs_subprocess = pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Emscripten (Pyodide) has no subprocesses")

H = 1e-6        # central-difference step


def central(f, xs, i, h=H):
    """(f(x + h e_i) - f(x - h e_i)) / 2h."""
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(up) - f(down)) / (2 * h)


# === micrograd's README, as Karpathy wrote it ===============================


def readme_example(Value=Value):
    """The README's example, built with this Value class (or micrograd's)."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g


def readme_in_floats(v):
    """The same computation on plain floats, relu(x) = max(0, x)."""
    a, b = v

    def relu(x):
        return max(0.0, x)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + relu(b + a)
    d += 3 * d + relu(b - a)
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def test_micrograd_readme_example():
    a, b, g = readme_example()
    # By hand: c = -1, d = 6, e = -7, f = 49, g = 49/2 + 10/49.
    assert g.data == pytest.approx(49 / 2 + 10 / 49, rel=1e-15)
    assert g.data == readme_in_floats([-4.0, 2.0])
    g.backward()
    da = central(readme_in_floats, [-4.0, 2.0], 0)
    db = central(readme_in_floats, [-4.0, 2.0], 1)
    assert a.grad == pytest.approx(da, rel=1e-7)
    assert b.grad == pytest.approx(db, rel=1e-7)
    # the numbers the README prints
    assert (f"{g.data:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == \
        ("24.7041", "138.8338", "645.5773")


def test_readme_example_agrees_with_micrograd_itself():
    engine = pytest.importorskip("micrograd.engine")
    a, b, g = readme_example()
    g.backward()
    ma, mb, mg = readme_example(engine.Value)
    mg.backward()
    assert g.data == pytest.approx(mg.data, rel=1e-15)
    assert a.grad == pytest.approx(ma.grad, rel=1e-13)
    assert b.grad == pytest.approx(mb.grad, rel=1e-13)


# === The lecture ("The spelled-out intro to neural networks") ==============


def test_lecture_expression():
    a = Value(2.0, label='a')
    b = Value(-3.0, label='b')
    c = Value(10.0, label='c')
    e = a*b; e.label = 'e'
    d = e + c; d.label = 'd'
    f = Value(-2.0, label='f')
    L = d * f; L.label = 'L'
    L.backward()
    # By hand: L = (ab + c) f; dL/dd = f, dL/df = d, dL/dc = dL/de = f,
    # dL/da = f b, dL/db = f a.
    assert L.data == (2.0 * -3.0 + 10.0) * -2.0
    assert (L.grad, d.grad, f.grad) == (1.0, -2.0, 4.0)
    assert (c.grad, e.grad, a.grad, b.grad) == (-2.0, -2.0, 6.0, -4.0)
    assert repr(L) == "Value(data=-8.0, grad=1.0)"


def tanh_neuron():
    # inputs x1,x2
    x1 = Value(2.0, label='x1')
    x2 = Value(0.0, label='x2')
    # weights w1,w2
    w1 = Value(-3.0, label='w1')
    w2 = Value(1.0, label='w2')
    # bias of the neuron
    b = Value(6.8813735870195432, label='b')
    # x1*w1 + x2*w2 + b
    x1w1 = x1*w1; x1w1.label = 'x1*w1'
    x2w2 = x2*w2; x2w2.label = 'x2*w2'
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
    n = x1w1x2w2 + b; n.label = 'n'
    return x1, x2, w1, w2, n


def expected_neuron():
    """By hand: n = x1 w1 + x2 w2 + b, o = tanh n, do/dn = 1 - o^2, with
    tanh n = (e^2n - 1)/(e^2n + 1) from the decimal module, rounded once
    (the C library's math.tanh may be a bit off: glibc's is, here)."""
    n = 2.0 * -3.0 + 0.0 * 1.0 + 6.8813735870195432
    e = (2 * decimal.Decimal(n)).exp()
    o = float((e - 1) / (e + 1))
    dn = 1 - o * o
    return o, [-3.0 * dn, 1.0 * dn, 2.0 * dn, 0.0 * dn]   # x1 x2 w1 w2


def test_lecture_tanh_neuron():
    x1, x2, w1, w2, n = tanh_neuron()
    o = n.tanh(); o.label = 'o'
    o.backward()
    o_expected, grads = expected_neuron()
    assert o.data == o_expected
    assert [x1.grad, x2.grad, w1.grad, w2.grad] == grads
    # b was chosen so that o = 1/sqrt(2), do/dn = 1/2
    assert o.data == pytest.approx(1 / math.sqrt(2), abs=1e-15)
    assert grads == pytest.approx([-1.5, 0.5, 1.0, 0.0], abs=1e-15)
    assert n.grad == pytest.approx(0.5, abs=1e-15)


def test_lecture_tanh_neuron_from_exp():
    x1, x2, w1, w2, n = tanh_neuron()
    # ----
    e = (2*n).exp()
    o = (e - 1) / (e + 1)
    # ----
    o.label = 'o'
    o.backward()
    o_expected, grads = expected_neuron()
    assert o.data == pytest.approx(o_expected, abs=1e-15)
    assert [x1.grad, x2.grad, w1.grad, w2.grad] == \
        pytest.approx(grads, abs=1e-14)


def test_lecture_manual_backward_one_gate_at_a_time():
    x1, x2, w1, w2, n = tanh_neuron()
    o = n.tanh()
    x1w1x2w2, b = n.children
    x1w1, x2w2 = x1w1x2w2.children
    o.grad = 1.0
    for node in (o, n, x1w1x2w2, x2w2, x1w1):
        node._backward()
    assert [x1.grad, x2.grad, w1.grad, w2.grad] == expected_neuron()[1]
    assert b.grad == n.grad == 1 - o.data**2


def trace(root):
    # builds a set of all nodes and edges in a graph (the lecture's)
    nodes, edges = set(), set()
    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)
    build(root)
    return nodes, edges


def test_lectures_draw_dot_reads_prev_and_op():
    x1, x2, w1, w2, n = tanh_neuron()
    o = n.tanh()
    o.backward()
    nodes, edges = trace(o)
    assert len(nodes) == 10 and len(edges) == 9
    labels = {"{ %s | data %.4f | grad %.4f }" % (v.label, v.data, v.grad)
              for v in nodes}
    assert "{ w1 | data -3.0000 | grad 1.0000 }" in labels
    assert sorted(v._op for v in nodes if v._op) == \
        ["*", "*", "+", "+", "tanh"]


class Neuron:
    def __init__(self, nin, rng):
        self.w = [Value(rng.uniform(-1,1)) for _ in range(nin)]
        self.b = Value(rng.uniform(-1,1))

    def __call__(self, x):
        # w * x + b
        act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)
        out = act.tanh()
        return out

    def parameters(self):
        return self.w + [self.b]


class MLP:
    def __init__(self, nin, nouts, rng):
        sz = [nin] + nouts
        self.layers = [[Neuron(sz[i], rng) for _ in range(sz[i+1])]
                       for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            outs = [n(x) for n in layer]
            x = outs[0] if len(outs) == 1 else outs
        return x

    def parameters(self):
        return [p for layer in self.layers for n in layer
                for p in n.parameters()]


def test_lecture_mlp_training_loop():
    """The lecture's tiny MLP and loop (random.uniform from a seeded
    Random): the loss falls, and p.data += -eta * p.grad works."""
    n = MLP(3, [4, 4, 1], random.Random(0))
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0],
          [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses_seen = []
    for _ in range(20):
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.1 * p.grad
        losses_seen.append(loss.data)
    assert losses_seen[-1] < losses_seen[0] / 10
    assert len(n.parameters()) == 41


# === Gates one at a time ====================================================


def test_each_gate_gives_its_local_derivative():
    x, y = Value(3.0), Value(-2.0)
    cases = [  # (node, expected data, expected dx, expected dy)
        (x + y, 1.0, 1.0, 1.0), (x - y, 5.0, 1.0, -1.0),
        (x * y, -6.0, -2.0, 3.0), (x / y, -1.5, -0.5, -0.75),
        (x ** 3, 27.0, 27.0, 0.0), (-x, -3.0, -1.0, 0.0),
        (2 + x, 5.0, 1.0, 0.0), (2 - x, -1.0, -1.0, 0.0),
        (2 * x, 6.0, 2.0, 0.0), (6 / x, 2.0, -6 / 9, 0.0),
        (x.max(y), 3.0, 1.0, 0.0), (y.max(x), 3.0, 1.0, 0.0),
        (x.relu(), 3.0, 1.0, 0.0), (y.relu(), 0.0, 0.0, 0.0),
        (x.log(), math.log(3.0), 1 / 3, 0.0),
        (x.exp(), math.exp(3.0), math.exp(3.0), 0.0),
    ]
    for node, data, dx, dy in cases:
        x.grad = y.grad = 0.0
        node.backward()
        assert (node.data, x.grad, y.grad) == pytest.approx(
            (data, dx, dy), rel=1e-15), node.op


def test_activation_gates_call_the_activations_functions(monkeypatch):
    z = Value(0.3)
    s, t, r = z.sigmoid(), z.tanh(), z.relu()
    assert s.data == activations.sigmoid(0.3)
    assert s._local == (activations.sigmoid_prime(0.3),)
    assert t.data == activations.tanh(0.3)
    assert t._local == (activations.tanh_prime(0.3),)
    assert (r.data, r._local) == (0.3, (1.0,))
    calls = []

    def spy(name):
        real = getattr(activations, name)

        def f(v):
            calls.append(name)
            return real(v)
        monkeypatch.setattr(activations, name, f)
    for name in ("sigmoid", "sigmoid_prime_from_output", "tanh",
                 "tanh_prime_from_output", "relu", "relu_prime"):
        spy(name)
    z.sigmoid(), z.tanh(), z.relu()
    assert calls == ["sigmoid", "sigmoid_prime_from_output", "tanh",
                     "tanh_prime_from_output", "relu", "relu_prime"]


def test_activate_takes_any_activation_but_softmax():
    for name, act in activations.ACTIVATIONS.items():
        if name == "softmax":
            with pytest.raises(BackpropError, match="^Value.activate: "):
                Value(1.0).activate(name)
            continue
        for z in (-1.5, 0.7):
            a = Value(z).activate(act)
            a.backward()
            assert a.op == name and a.data == act.f(z)
            slope = act.prime(a.data if act.prime_of == "a" else z)
            assert a.children[0].grad == slope


def test_fan_out_adds_the_gradients():
    a = Value(3.0)
    for node, grad in ((a + a, 2.0), (a * a, 6.0), (a * a * a, 27.0),
                       (a / a, 0.0), (a - a, 0.0)):
        a.grad = 0.0
        node.backward()
        assert a.grad == grad, node.op


def test_max_and_min_are_max_gates_and_equality_is_identity():
    a, b = Value(2.0), Value(-1.0)
    m = max(a, b)
    assert m is a and min(a, b) is b and min(a, 5.0) is a
    (3 * m).backward()
    assert (a.grad, b.grad) == (3.0, 0.0)
    assert a > b and b < a and a >= 2 and a <= 2.0 and not a < -3
    assert Value(1.0) != Value(1.0) and not Value(1.0) == 1.0
    assert len({Value(1.0), Value(1.0), a, a}) == 3
    drawn = a.max(b)
    assert drawn.op == "max" and drawn.children == (a, b)


def test_every_inner_node_keeps_its_value_and_gradient():
    x, w, b = Value(0.5), Value(-1.0), Value(0.25)
    z = x * w + b
    a = z.sigmoid()
    L = (a - 1.0) ** 2
    L.backward()
    s = activations.sigmoid(-0.25)
    assert z.data == -0.25 and a.data == s
    assert a.grad == pytest.approx(2 * (s - 1), rel=1e-15)
    assert z.grad == pytest.approx(2 * (s - 1) * s * (1 - s), rel=1e-15)
    assert w.grad == pytest.approx(z.grad * 0.5, rel=1e-15)


def test_public_read_only_children_and_op_and_micrograds_names():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    assert c.children == (a, b) and c.op == "*"
    assert c._prev == {a, b} and c._op == "*"
    assert a.children == () and a.op == "" and a._prev == set()
    with pytest.raises(AttributeError):
        c.op = "+"
    with pytest.raises(AttributeError):
        c.children = ()
    assert (a * a)._prev == {a} and (a * a).children == (a, a)
    made = Value(3.0, (a, b), '+', label="by hand")     # micrograd's form
    assert made.children == (a, b) and made.label == "by hand"
    assert Value(2.0, label="a").label == "a" and Value(2).data == 2.0


def test_repr_is_short_and_deterministic():
    x = Value(0.1) + 0.2
    assert repr(x) == "Value(data=0.30000000000000004, grad=0.0)"
    x.backward()
    assert repr(x) == "Value(data=0.30000000000000004, grad=1.0)"


def test_total_and_softmax_match_the_float_versions_bit_for_bit():
    xs = [0.1, 0.2, 0.3, 1e16, -1e16]
    s = total([Value(v) for v in xs[:3]] + xs[3:])
    assert s.data == float_total(xs) and s.op == "+"
    assert len(s.children) == 5
    assert total([]).data == 0.0
    z = [0.3, -1.2, 2.5, 2.5]
    a = softmax([Value(v) for v in z])
    assert [a_i.data for a_i in a] == activations.softmax(z)
    with pytest.raises(BackpropError, match="^softmax requires"):
        softmax([])
    with pytest.raises(TypeError, match=r"^total: values\[1\] must be a nu"):
        total([Value(1.0), "x"])


# === Long graphs, zero_grad =================================================


@pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Emscripten (Pyodide): CPython frees a chain of 100,000 objects "
    "(even nested lists) recursively, past WebAssembly's stack")
def test_a_100000_node_chain_needs_no_recursion():
    x = Value(0.5)
    y = x
    for k in range(50000):            # two nodes a step: 100,000 nodes
        y = y * 1.0001 + 0.0 if k % 2 else (y + 0.0).tanh() * 1.0
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)        # no deep recursion anywhere
    try:
        y.backward()
        first = x.grad
        y.zero_grad()
        assert x.grad == 0.0 and y.grad == 0.0
        y.backward()
    finally:
        sys.setrecursionlimit(limit)
    assert x.grad == first and first != 0.0


def test_zero_grad_then_backward_gives_the_same_numbers():
    a, b, g = readme_example()
    g.backward()
    first = (a.grad, b.grad, g.children[0].grad)
    g.backward()                      # accumulates, like micrograd
    assert a.grad != first[0]
    g.zero_grad()
    g.backward()
    assert (a.grad, b.grad, g.children[0].grad) == first


# === Errors: the package's, never a raw one ================================


@pytest.mark.parametrize("make, error, message", [
    (lambda: Value(1000.0).exp(), BackpropError,
     "Value.exp: e^1000.0 overflows a float"),
    (lambda: Value(2.0) * "a", TypeError,
     "Value.__mul__: other must be a number, got 'a'"),
    (lambda: "a" + Value(2.0), TypeError,
     "Value.__add__: other must be a number, got 'a'"),
    (lambda: Value(2.0) - [1], TypeError,
     "Value.__sub__: other must be a number, got [1]"),
    (lambda: Value(2.0) < "a", TypeError,
     "Value: other must be a number, got 'a'"),
    (lambda: Value(1e200) * 1e200, BackpropError,
     "Value.__mul__: 1e+200 * 1e+200 overflows a float"),
    (lambda: Value(1e308) + 1e308, BackpropError,
     "Value.__add__: 1e+308 + 1e+308 overflows a float"),
    (lambda: Value(1.0) / 0, BackpropError,
     "Value.__truediv__: 1.0 / 0.0 divides by zero"),
    (lambda: 1 / Value(0.0), BackpropError,
     "Value.__truediv__: 1.0 / 0.0 divides by zero"),
    (lambda: Value(-1.0).log(), BackpropError,
     "Value.log: log(x) needs x > 0, got -1.0"),
    (lambda: Value(5e-324).log(), BackpropError,
     "Value.log: the derivative of log(5e-324) overflows a float"),
    (lambda: Value(-8.0) ** (1 / 3), BackpropError,
     "Value.__pow__: (-8.0) ** 0.3333333333333333 or its derivative is "
     "not a finite real number"),
    (lambda: Value(0.0) ** -1, BackpropError,
     "Value.__pow__: (0.0) ** -1.0 or its derivative"),
    (lambda: Value(10.0) ** 400, BackpropError,
     "Value.__pow__: (10.0) ** 400.0 or its derivative"),
    (lambda: Value(2.0) ** Value(2.0), TypeError,
     "Value.__pow__: the exponent must be a number, got Value("),
    (lambda: Value("1"), TypeError, "Value: data must be a number"),
    (lambda: Value(float("nan")), BackpropError,
     "Value: data must be finite, got nan"),
    (lambda: Value(10 ** 400), BackpropError, "Value: data must be finite"),
    (lambda: Value(1.0).activate("swish"), BackpropError,
     "unknown activation 'swish'"),
])
def test_bad_operands_and_overflow_raise_clear_errors(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert type(info.value) is error
    assert str(info.value).startswith(message)


def test_a_gradient_that_overflows_raises():
    x = Value(1e-300)
    y = (x * 1e300) * 1e10            # finite values, dy/dx = 1e310
    with pytest.raises(BackpropError, match=r"^Value.backward: the gradi"):
        y.backward()


# === Random expressions against central differences ========================

# Each op makes a new node from earlier ones (indices taken modulo the
# number so far); every op is defined everywhere it can be drawn, and
# relu/max/min are checked away from their kinks.
OPS = ("add", "sub", "mul", "div", "pow2", "pow3", "sqrt", "neg", "exp",
       "log", "tanh", "sigmoid", "relu", "max", "maxgate", "min", "rsub",
       "rdiv", "leaky")


def apply(op, u, v):
    return {
        "add": lambda: u + v, "sub": lambda: u - v, "mul": lambda: u * v,
        "div": lambda: u / (v * v + 1.0), "pow2": lambda: u ** 2,
        "pow3": lambda: u ** 3, "sqrt": lambda: (u * u + 0.5) ** 0.5,
        "neg": lambda: -u, "exp": lambda: u.tanh().exp(),
        "log": lambda: (u * u + 0.1).log(), "tanh": lambda: u.tanh(),
        "sigmoid": lambda: u.sigmoid(), "relu": lambda: u.relu(),
        "max": lambda: max(u, v), "maxgate": lambda: u.max(v),
        "min": lambda: min(u, v), "rsub": lambda: 1.5 - u,
        "rdiv": lambda: 2.0 / (u * u + 1.0),
        "leaky": lambda: u.activate("leaky_relu"),
    }[op]()


def run(program, xs):
    """Return the leaves, the output of program at the point xs and the
    distance of the nearest relu, max or min input from its kink."""
    leaves = [Value(x) for x in xs]
    nodes = list(leaves)
    gap = math.inf
    for op, i, j in program:
        u, v = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if op in ("max", "maxgate", "min") and u is not v:
            gap = min(gap, abs(u.data - v.data))
        elif op in ("relu", "leaky"):
            gap = min(gap, abs(u.data))
        nodes.append(apply(op, u, v))
    return leaves, nodes[-1], gap


def check_expression(program, xs):
    leaves, out, gap = run(program, xs)
    if gap < 1e-3 or abs(out.data) > 1e6:
        return False
    out.backward()

    def f(point):
        return run(program, point)[1].data
    for k, leaf in enumerate(leaves):
        numeric = central(f, xs, k)
        assert leaf.grad == pytest.approx(numeric, rel=1e-5, abs=1e-6), \
            (program, xs, k)
    return True


def random_program(rng):
    return [(rng.choice(OPS), rng.randrange(100), rng.randrange(100))
            for _ in range(rng.randint(1, 8))]


def test_random_expressions_match_central_differences_seeded():
    rng = random.Random(2024)
    checked = 0
    for _ in range(400):
        program = random_program(rng)
        xs = [rng.uniform(-2.0, 2.0) for _ in range(3)]
        checked += check_expression(program, xs)
    assert checked > 250


@settings(max_examples=300, deadline=None)
@given(program=st.lists(st.tuples(st.sampled_from(OPS),
                                  st.integers(0, 99), st.integers(0, 99)),
                        min_size=1, max_size=8),
       xs=st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3))
def test_random_expressions_match_central_differences(program, xs):
    check_expression(program, xs)


# === The bridge: a Network's graph equals Network.backward ================

ACTS = sorted(activations.ACTIVATIONS)           # all six
PAIRS = ([(act, loss) for act in ACTS for loss in ("mse", "half_sse")]
         + [(act, loss) for act in ("sigmoid", "softmax")
            for loss in ("binary_cross_entropy",
                         "categorical_cross_entropy")])


def random_case(rng, output, loss):
    """A random network with the given output layer, a sample and its
    target, all well away from saturation."""
    hidden = [rng.randint(2, 4) for _ in range(rng.randint(0, 2))]
    n_out = rng.randint(2, 3) if output == "softmax" else rng.randint(1, 3)
    sizes = [rng.randint(1, 3)] + hidden + [n_out]
    acts = [rng.choice(ACTS) for _ in hidden] + [output]
    net = Network(sizes, acts, init="xavier", seed=rng.randrange(10**6),
                  bias=rng.random() < 0.8)
    for W in net.W:
        for row in W:
            row[:] = [w + rng.uniform(-0.5, 0.5) for w in row]
    for b in net.b or []:
        b[:] = [rng.uniform(-0.5, 0.5) for _ in b]
    x = [rng.uniform(-2.0, 2.0) for _ in range(sizes[0])]
    if loss == "categorical_cross_entropy":
        y = [0.0] * n_out
        y[rng.randrange(n_out)] = 1.0
    elif loss == "binary_cross_entropy":
        y = [rng.choice([0.0, 1.0, rng.random()]) for _ in range(n_out)]
    else:
        y = [rng.uniform(-1.0, 1.0) for _ in range(n_out)]
    return net, x, y


def assert_close(got, want, where):
    if isinstance(want, list):
        assert len(got) == len(want), where
        for k, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, f"{where}[{k}]")
    else:
        assert abs(got - want) <= 1e-12, (where, got, want)


def check_bridge(net, x, y, loss):
    g = network_graph(net, x, y, loss)
    assert isinstance(g, NetworkGraph)
    fwd = net.forward(x)
    # the forward values and the loss, bit for bit
    assert [[v.data for v in z_l] for z_l in g.z] == fwd.z
    assert [[v.data for v in a_l] for a_l in g.a] == fwd.a
    assert g.loss.data == losses.get_loss(loss).f(fwd.a[-1], y)
    g.loss.backward()
    want = net.backward(fwd, y, loss)
    got = g.gradients()
    assert_close(got.dW, want.dW, "dW")
    if net.b is None:
        assert got.db is None and g.b is None
    else:
        assert_close(got.db, want.db, "db")
    assert_close([[v.grad for v in z_l] for z_l in g.z],
                 net.deltas(fwd, y, loss), "delta")
    if hasattr(net, "activation_gradients"):        # dL/da, dL/dx
        assert_close([[v.grad for v in a_l] for a_l in g.a],
                     net.activation_gradients(fwd, y, loss), "dL/da")
    return g


def test_bridge_equals_backward_for_every_pair_seeded():
    rng = random.Random(10)
    for output, loss in PAIRS:
        for _ in range(12):
            check_bridge(*random_case(rng, output, loss), loss)


@settings(max_examples=150, deadline=None)
@given(pair=st.sampled_from(PAIRS), seed=st.integers(0, 2**32 - 1))
def test_bridge_equals_backward_on_random_networks(pair, seed):
    output, loss = pair
    check_bridge(*random_case(random.Random(seed), output, loss), loss)


def test_bridge_shapes_labels_and_a_second_backward():
    net = Network([2, 3, 2], ["tanh", "softmax"], seed=1)
    g = check_bridge(net, [0.5, -1.0], [0.0, 1.0],
                     "categorical_cross_entropy")
    assert [len(W_l) for W_l in g.W] == [3, 2]
    assert [len(W_l[0]) for W_l in g.W] == [2, 3]
    assert (g.W[1][0][2].label, g.b[0][1].label, g.z[0][2].label,
            g.a[2][1].label, g.a[0][1].label, g.loss.label) == \
        ("W[1][0][2]", "b[0][1]", "z[0][2]", "a[2][1]", "x[1]", "L")
    first = g.gradients()
    g.loss.zero_grad()
    g.loss.backward()
    assert g.gradients() == first


def test_bridge_rejects_what_backward_rejects():
    net = Network([2, 1], seed=0)
    with pytest.raises(TypeError, match="^network_graph: net must be"):
        network_graph("net", [1.0, 2.0], [1.0])
    with pytest.raises(ShapeError, match="^network_graph: x must be"):
        network_graph(net, [1.0], [1.0])
    with pytest.raises(ShapeError, match="^network_graph: y must be"):
        network_graph(net, [1.0, 2.0], [1.0, 0.0])
    own = losses.Loss("own", lambda a, y: 0.0, lambda a, y: [0.0])
    with pytest.raises(BackpropError, match="^network_graph: loss must"):
        network_graph(net, [1.0, 2.0], [1.0], own)


# === The picture ============================================================


def test_repr_svg_draws_the_graph():
    from backprop import plot
    if not hasattr(plot, "graph"):
        pytest.skip("plot.graph is not there yet")
    x = Value(2.0, label="x")
    y = (x * 3).tanh()
    y.backward()
    svg = y._repr_svg_()
    assert ET.fromstring(svg).tag.endswith("svg")
    assert svg == plot.graph(y)
    for _ in range(500):              # too large to draw: no picture,
        y = y + 1.0                   # Jupyter falls back to the repr
    assert y._repr_svg_() is None


@needs_subprocess
def test_graph_loads_on_first_use():
    import subprocess
    code = ("import sys, backprop; a = 'backprop.graph' in sys.modules; "
            "backprop.graph.Value(1.0); "
            "print(a, 'backprop.graph' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["False", "True"]
