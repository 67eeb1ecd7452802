"""The chain rule on a computation graph: a scalar autodiff engine.

Each number is a node, a :class:`Value`, that keeps its ``children``,
the ``op`` that made it from them and that gate's local derivatives
d(node)/d(child). ``backward()`` applies the chain rule at every gate,
output first: child.grad += local * node.grad, so each ``grad`` becomes
d(output)/d(node). micrograd's interface: lecture code runs unchanged.
:func:`network_graph` builds a Network's forward pass and loss as a
graph whose gradients are ``Network.backward``'s (BP1-BP4).

==============  ===================================================
name            description
==============  ===================================================
Value           a node: data, grad, label, op, children; + - * / **
Value.backward  d(self)/d(node) into the grad of every node below
total           one + node over many Values (matrix.total's order)
softmax         a layer's softmax from exp, total and /
network_graph   a Network's forward pass and loss for one sample
NetworkGraph    what it returns: loss, W, b, z, a as Values
==============  ===================================================

>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> c = a * b + a          # a is used twice: its two gradients add up
>>> c.backward()
>>> c, a.grad, b.grad      # dc/da = b + 1, dc/db = a
(Value(data=-4.0, grad=1.0), -2.0, 2.0)
"""

from __future__ import annotations

import math
from collections import namedtuple

from . import _checks, activations, elementary, losses, matrix
from .errors import BackpropError
from .network import Gradients

TYPE_CHECKING = False        # typing costs milliseconds to import
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Sequence

__all__ = ["Value", "total", "softmax", "network_graph", "NetworkGraph"]


# === Nodes ==================================================================


class Value:
    """A scalar node: its value ``data``, ``grad`` (d(output)/d(self)
    after the output's ``backward()``), ``label``, ``op`` and ``children``.

    ``Value(2.0, label="x")`` makes a leaf, operations the rest
    (``_children``, ``_op``: micrograd's, for a node made by hand). ``==``
    and hashing are by identity (nodes live in sets); ``<``, ``>``,
    ``<=``, ``>=`` compare ``data``, so ``max``/``min`` are max gates.

    >>> x = Value(3.0, label="x")
    >>> y = x ** 2 + 1
    >>> y.backward()
    >>> y, x.grad, y.op, [c.data for c in y.children]
    (Value(data=10.0, grad=1.0), 6.0, '+', [9.0, 1.0])

    A data that is not a finite number raises TypeError or BackpropError.
    """

    def __init__(self, data: float, _children: Iterable[Value] = (),
                 _op: str = "", label: str = "") -> None:
        self.data = _checks.number("Value: data", data)
        self.grad = 0.0
        self.label = label
        self._children = tuple(_children)
        self._op = _op
        self._local: tuple[float, ...] = ()   # d(self)/d(child), per child

    @property
    def children(self) -> tuple[Value, ...]:
        """The nodes this one was made from, in operand order."""
        return self._children

    @property
    def op(self) -> str:
        """The operation that made this node (``''`` for a leaf)."""
        return self._op

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name for the children, as a set."""
        return set(self._children)

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def _repr_svg_(self) -> str | None:      # Jupyter shows the graph
        from . import plot
        try:
            return plot.graph(self)
        except BackpropError:                # too large to draw: Jupyter
            return None                      # shows the repr instead

    # === The chain rule =====================================================

    def _backward(self) -> None:
        """The chain rule at one gate: child.grad += local x grad (a node
        made by hand, micrograd-style, may set its own _backward)."""
        for child, local in zip(self._children, self._local):
            child.grad += local * self.grad

    def backward(self) -> None:
        """Set every node's ``grad`` below self to d(self)/d(node).

        self.grad = 1, then each node, parents first, passes its grad on.
        Gradients add up: over the paths from a node used twice, and over
        calls unless :meth:`zero_grad` ran in between.

        >>> x = Value(2.0); f = x * x * x; f.backward()   # 3 x^2
        >>> x.grad
        12.0

        A gradient that overflows a float raises BackpropError.
        """
        order = _topological_order(self)
        self.grad = 1.0                          # d(self)/d(self)
        for node in reversed(order):             # parents first
            if not math.isfinite(node.grad):
                raise BackpropError(
                    f"Value.backward: the gradient at {node!r} "
                    f"(label {node.label!r}, op {node.op!r}) overflows "
                    "a float")
            node._backward()

    def zero_grad(self) -> None:
        """Set the ``grad`` of self and every node below it to 0."""
        for node in _topological_order(self):
            node.grad = 0.0

    # === Gates: value and local derivatives =================================

    def __add__(self, other: Value | float) -> Value:
        """Return self + other; local derivatives 1 and 1."""
        other = _operand(other, "Value.__add__: other")
        return _gate("Value.__add__", self.data + other.data, (self, other),
                     "+", (1.0, 1.0))

    def __sub__(self, other: Value | float) -> Value:
        """Return self - other; local derivatives 1 and -1."""
        other = _operand(other, "Value.__sub__: other")
        return _gate("Value.__sub__", self.data - other.data, (self, other),
                     "-", (1.0, -1.0))

    def __mul__(self, other: Value | float) -> Value:
        """Return self * other; local derivatives other and self (each
        factor's slope is the other factor)."""
        other = _operand(other, "Value.__mul__: other")
        return _gate("Value.__mul__", self.data * other.data, (self, other),
                     "*", (other.data, self.data))

    def __truediv__(self, other: Value | float) -> Value:
        """Return q = self / other; local derivatives 1 / other and
        -self / other^2 = -q / other."""
        other = _operand(other, "Value.__truediv__: other")
        if other.data == 0.0:
            raise BackpropError(f"Value.__truediv__: {self.data!r} / "
                                f"{other.data!r} divides by zero")
        q = self.data / other.data
        return _gate("Value.__truediv__", q, (self, other), "/",
                     (1.0 / other.data, -q / other.data))

    def __pow__(self, n: float) -> Value:
        """Return x ** n, x = self, n a number; local derivative n x^(n-1)."""
        n = _checks.number("Value.__pow__: the exponent", n)
        x = self.data
        try:                              # 0. ** -1, 10. ** 400, -8. ** .5
            data, local = x ** n, (n * x ** (n - 1) if n else 0.0)
        except (ZeroDivisionError, OverflowError):
            data = local = math.nan
        if not all(type(v) is float and math.isfinite(v)  # not complex
                   for v in (data, local)):
            raise BackpropError(f"Value.__pow__: ({x!r}) ** {n!r} or its "
                                "derivative is not a finite real number")
        return _gate("Value.__pow__", data, (self,), f"**{n:g}", (local,))

    def __neg__(self) -> Value:
        """Return -self; local derivative -1."""
        return _gate("Value.__neg__", -self.data, (self,), "neg", (-1.0,))

    # A number on the left (2 * x): wrap it, then the gate above.
    __radd__, __rmul__ = __add__, __mul__        # x + 2, x * 2

    def __rsub__(self, other: float) -> Value:
        return _operand(other, "Value.__rsub__: other") - self

    def __rtruediv__(self, other: float) -> Value:
        return _operand(other, "Value.__rtruediv__: other") / self

    def exp(self) -> Value:
        """Return e^self; local derivative e^self, the output itself."""
        try:
            data = elementary.exp(self.data)
        except OverflowError:
            raise BackpropError(f"Value.exp: e^{self.data!r} overflows a "
                                "float") from None
        return _gate("Value.exp", data, (self,), "exp", (data,))

    def log(self) -> Value:
        """Return the natural log of self; local derivative 1 / self."""
        x = self.data
        if x <= 0.0:
            raise BackpropError(f"Value.log: log(x) needs x > 0, got {x!r}")
        return _gate("Value.log", elementary.log(x), (self,), "log",
                     (1.0 / x,))

    def tanh(self) -> Value:
        """Return a = tanh(self); local derivative 1 - a^2 from the output
        (:func:`~backprop.activations.tanh_prime_from_output`)."""
        a = activations.tanh(self.data)
        return _gate("Value.tanh", a, (self,), "tanh",
                     (activations.tanh_prime_from_output(a),))

    def sigmoid(self) -> Value:
        """Return a = sigma(self); local derivative a (1 - a) from the
        output (:func:`~backprop.activations.sigmoid_prime_from_output`)."""
        a = activations.sigmoid(self.data)
        return _gate("Value.sigmoid", a, (self,), "sigmoid",
                     (activations.sigmoid_prime_from_output(a),))

    def relu(self) -> Value:
        """Return max(0, self); local derivative 1 if self > 0 else 0
        (:func:`~backprop.activations.relu_prime`)."""
        return _gate("Value.relu", activations.relu(self.data), (self,),
                     "relu", (activations.relu_prime(self.data),))

    def activate(self, act: str | activations.Activation = "sigmoid"
                 ) -> Value:
        """Return f(self) for an activation (a name or an Activation) other
        than softmax; local derivative f', of z or a as act.prime_of says.

        >>> Value(-2.0).activate("leaky_relu")
        Value(data=-0.02, grad=0.0)
        """
        act = activations.get_activation(act)
        if act.prime is None:
            raise BackpropError(
                "Value.activate: softmax takes a whole layer; use "
                "graph.softmax(z) on the layer's Values")
        a = act.f(self.data)
        slope = act.prime(a if act.prime_of == "a" else self.data)
        return _gate("Value.activate", a, (self,), act.name, (slope,))

    def max(self, other: Value | float) -> Value:
        """Return a max node, the larger of self and other; local
        derivative 1 for the winner (self on a tie), 0 for the other.
        (``max(a, b)`` returns the winner itself: no node, same grads.)"""
        other = _operand(other, "Value.max: other")
        win = self.data >= other.data
        return _gate("Value.max", self.data if win else other.data,
                     (self, other), "max", (1.0, 0.0) if win else (0.0, 1.0))

    # Ordering by data, so max and min pick a node; == and hash: identity.
    def __lt__(self, o: Any) -> bool: return self.data < _operand(o).data
    def __le__(self, o: Any) -> bool: return self.data <= _operand(o).data
    def __gt__(self, o: Any) -> bool: return self.data > _operand(o).data
    def __ge__(self, o: Any) -> bool: return self.data >= _operand(o).data


def _operand(other: Any, where: str = "Value: other") -> Value:
    """Return other as a Value: a number becomes a leaf."""
    if isinstance(other, Value):
        return other
    return Value(_checks.number(where, other))


def _gate(func: str, data: float, children: tuple[Value, ...], op: str,
          local: tuple[float, ...]) -> Value:
    """Return the node op(children), or raise if a number is not finite."""
    if not (math.isfinite(data) and all(map(math.isfinite, local))):
        xs = [repr(c.data) for c in children]
        expr = f" {op} ".join(xs) if len(xs) > 1 else f"{op}({xs[0]})"
        what = "the derivative of " if math.isfinite(data) else ""
        raise BackpropError(f"{func}: {what}{expr} overflows a float")
    out = Value(data, children, op)
    out._local = local
    return out


def _topological_order(root: Value) -> list[Value]:
    """Return root and every node below it, each after its children: a
    depth-first walk with its own stack, so no recursion limit applies."""
    order: list[Value] = []
    seen = {root}
    stack = [(root, iter(root._children))]
    while stack:
        node, todo = stack[-1]
        for child in todo:
            if child not in seen:
                seen.add(child)
                stack.append((child, iter(child._children)))
                break
        else:                                    # every child done
            stack.pop()
            order.append(node)
    return order


# === Layers =================================================================


def total(values: Iterable[Value | float]) -> Value:
    """Return one + node over values (Values or numbers), its data added
    as :func:`backprop.matrix.total` adds, local derivative 1 for each.

    >>> s = total([Value(1.0), Value(2.0), 0.5])
    >>> s.backward()
    >>> s, s.op, [c.grad for c in s.children]
    (Value(data=3.5, grad=1.0), '+', [1.0, 1.0, 1.0])
    """
    nodes = tuple(_operand(v, f"total: values[{i}]")
                  for i, v in enumerate(values))
    if not nodes:
        return Value(0.0)
    return _gate("total", matrix.total(v.data for v in nodes), nodes, "+",
                 (1.0,) * len(nodes))


def softmax(z: Sequence[Value]) -> list[Value]:
    """Return a layer's softmax a_i = e^(z_i - m) / sum_j e^(z_j - m) from
    gates: m = max(z) (a max gate; its gradients cancel), - and exp per
    neuron, one total, / per neuron: the values of
    :func:`backprop.activations.softmax`, bit for bit.

    >>> [round(a_i.data, 6) for a_i in softmax([Value(1.0), Value(3.0)])]
    [0.119203, 0.880797]
    """
    if not z:
        raise BackpropError("softmax requires at least one value, got []")
    m = max(z)                                   # the max gate
    e = [(z_i - m).exp() for z_i in z]
    s = total(e)
    return [e_i / s for e_i in e]


# === A Network's graph ======================================================
# The losses as gates, each equal to backprop.losses' value bit for bit.


def _clip(p: Value) -> Value:
    # losses' clip by max gates: a clipped p passes no gradient back
    return min(max(p, Value(losses.EPS)), Value(1.0 - losses.EPS))


def _sse(a: list[Value], y: list[Value]) -> Value:
    d = [a_i - y_i for a_i, y_i in zip(a, y)]       # sum_i d_i^2
    return total([d_i * d_i for d_i in d])


def _binary_cross_entropy(a: list[Value], y: list[Value]) -> Value:
    p = [_clip(a_i) for a_i in a]   # -(1/n) sum y log p + (1-y) log(1-p)
    return -total([y_i * p_i.log() + (1.0 - y_i) * (1.0 - p_i).log()
                   for p_i, y_i in zip(p, y)]) / len(a)


def _categorical_cross_entropy(a: list[Value], y: list[Value]) -> Value:
    return -total([y_i * _clip(a_i).log()           # -sum y_i log a_i
                   for a_i, y_i in zip(a, y) if y_i.data])


_LOSSES: dict[Callable, Callable] = {   # told by the function, not name
    losses.mse: lambda a, y: _sse(a, y) / len(a),
    losses.half_sse: lambda a, y: 0.5 * _sse(a, y),
    losses.binary_cross_entropy: _binary_cross_entropy,
    losses.categorical_cross_entropy: _categorical_cross_entropy,
}


class NetworkGraph(namedtuple("NetworkGraph", "loss W b z a")):
    """One sample's forward pass and loss as Values: the loss node, and
    ``W[l][j][k]``, ``b[l][j]`` (None without biases), ``z[l][j]``,
    ``a[l][j]`` indexed like ``net.W``, ``net.b`` and ``Forward`` (a[0]
    is x)."""

    __slots__ = ()

    def gradients(self) -> Gradients:
        """Return the W and b nodes' grads as a Gradients (dW, db), the
        shape ``Network.backward`` returns (after ``loss.backward()``)."""
        dW = [[[w.grad for w in row] for row in W_l] for W_l in self.W]
        db = (None if self.b is None
              else [[b_j.grad for b_j in b_l] for b_l in self.b])
        return Gradients(dW, db)


def _layer(W: list[list[Value]], b: list[Value] | None,
           a_prev: list[Value], act: activations.Activation, i: int
           ) -> tuple[list[Value], list[Value]]:
    """Return layer i+1's z_j = sum_k W_jk a_k + b_j (a * per weight, a +
    per neuron, in the Network's order) and a = f(z)."""
    z = [total([w_jk * a_k for w_jk, a_k in zip(row, a_prev)]
               + ([b[j]] if b else [])) for j, row in enumerate(W)]
    a = softmax(z) if act.prime is None else [z_j.activate(act)
                                              for z_j in z]
    for j, (z_j, a_j) in enumerate(zip(z, a)):
        z_j.label, a_j.label = f"z[{i}][{j}]", f"a[{i + 1}][{j}]"
    return z, a


def network_graph(net: Any, x: Sequence[float], y: Sequence[float],
                  loss: str | losses.Loss = "mse") -> NetworkGraph:
    """Return the computation graph of ``net``'s forward pass and loss
    for one sample (x, y): one Value per weight, bias, input, z and a.

    After ``g.loss.backward()``, ``g.gradients()`` equals
    ``net.backward(net.forward(x), y, loss)`` up to rounding, the z
    nodes' grads are the deltas and the x nodes' (``a[0]``) are dL/dx.

    >>> from backprop import Network
    >>> net = Network.from_weights([[[0.0, 0.0]]], [[0.0]])
    >>> g = network_graph(net, [1.0, 2.0], [1.0], "half_sse")
    >>> g.loss.backward()
    >>> g.gradients()          # as Network.backward's docstring has it
    Gradients(dW=[[[-0.125, -0.25]]], db=[[-0.125]])

    A net that is not a Network, an x or y of the wrong length or a loss
    not built in raises TypeError, ShapeError or BackpropError.
    """
    x, y = _checks.sample("network_graph", net, x, y)
    loss = losses.get_loss(loss)
    build = _LOSSES.get(loss.f)
    if build is None:
        raise BackpropError(
            "network_graph: loss must be one of mse, half_sse, binary_cross_"
            f"entropy, categorical_cross_entropy, got {loss.name!r:.60}")
    W = _leaves(net.W, "W")
    b = None if net.b is None else _leaves(net.b, "b")
    z: list[list[Value]] = []
    a = [_leaves(x, "x")]                        # a[0] = x
    for i, act in enumerate(net.act):            # layer i + 1
        z_i, a_i = _layer(W[i], None if b is None else b[i], a[i], act, i)
        z.append(z_i)
        a.append(a_i)
    L = build(a[-1], _leaves(y, "y"))
    L.label = "L"
    return NetworkGraph(L, W, b, z, a)


def _leaves(v: Any, name: str) -> Any:
    """Return a leaf labelled name for a number; for a list, a list of
    leaves labelled name[i]."""
    if isinstance(v, list):
        return [_leaves(v_i, f"{name}[{i}]") for i, v_i in enumerate(v)]
    return Value(v, label=name)
