"""Update rules: how a gradient becomes a step.

Backprop gives g = dL/dw for every weight and bias w; an optimizer turns it
into a change of w, with learning rate eta. Plain gradient descent steps
straight down the gradient; the others keep a little state per parameter
(a velocity, a running sum of squares) to take better steps.

================  ==========================================================
optimizer         update for one parameter w with gradient g
================  ==========================================================
GradientDescent   w <- w - eta g
Momentum          v <- mu v + g;  w <- w - eta v   (Nesterov: eta (g + mu v))
Adagrad           G <- G + g^2;  w <- w - eta g / (sqrt(G) + eps)
RMSProp           s <- rho s + (1 - rho) g^2;  w <- w - eta g / (sqrt(s) + eps)
Adam              m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
                  w <- w - eta m_hat / (sqrt(v_hat) + eps),
                  m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)
================  ==========================================================

One optimizer, one network. The optimizers other than plain gradient
descent keep state for every weight (a velocity, a sum of squares) and
count their steps, so that state is bound to the network of the first
step: ``train(net, ..., optimizer=opt)`` may be called again on the same
``net`` to go on training it where it stopped, but a step on another
network (or on ``net`` with new shapes) raises BackpropError rather than
letting one network inherit another's momentum, or mixing the shapes.
Use a new optimizer per network, or ``opt.reset()`` to start afresh. (We
refuse rather than keep state per network because an optimizer that
silently serves two networks hides a mistake, and refusing is one
check.) :class:`GradientDescent` keeps no state and may serve any
number of networks.

Every optimizer takes ``weight_decay`` lambda (L2 regularisation): it adds
(lambda/2) sum w^2 to the loss for the weights (not the biases), so their
gradient gains lambda w: g <- g + lambda w.

>>> from backprop.network import Network, Gradients
>>> net = Network.from_weights([[[1.0]]], [[0.0]])
>>> GradientDescent().step(net, Gradients([[[0.5]]], [[1.0]]), eta=0.1)
>>> net.W, net.b
([[[0.95]]], [[-0.1]])
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from math import sqrt

from . import _checks
from .elementary import power
from .errors import BackpropError, ShapeError

__all__ = ["GradientDescent", "Momentum", "Adagrad", "RMSProp", "Adam",
           "get_optimizer", "OPTIMIZERS"]


class GradientDescent:
    """Plain gradient descent: w <- w - eta g.

    >>> from backprop.network import Network, Gradients
    >>> net = Network.from_weights([[[1.0, 2.0]]], [[0.0]])
    >>> GradientDescent().step(net, Gradients([[[1.0, 1.0]]], [[2.0]]), 0.5)
    >>> net.W, net.b
    ([[[0.5, 1.5]]], [[-1.0]])
    """

    def __init__(self, *, weight_decay: float = 0.0) -> None:
        self.weight_decay = _checks.between(
            type(self).__name__, "weight_decay", weight_decay, 0.0)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(weight_decay={self.weight_decay})"

    def step(self, net, grads, eta: float, *,
             update_biases: bool = True) -> None:
        """Update ``net``'s W and b in place: w <- w - eta g.

        ``grads`` is a :class:`~backprop.network.Gradients` shaped like
        the network: ``dW`` like ``net.W`` and ``db`` like ``net.b``.
        With ``update_biases=False`` only W moves, b stays as it is, and
        ``grads.db`` is not used (it may be None).

        >>> from backprop.network import Network, Gradients
        >>> net = Network.from_weights([[[1.0]]], [[1.0]])
        >>> GradientDescent().step(net, Gradients([[[2.0]]], [[4.0]]), 0.25)
        >>> net.W, net.b
        ([[[0.5]]], [[0.0]])
        >>> GradientDescent().step(net, Gradients([[[2.0]]], None), 0.25,
        ...                        update_biases=False)
        >>> net.W, net.b
        ([[[0.0]]], [[0.0]])

        Gradients shaped unlike the network (or ``db`` None for a network
        with biases that are to move) raise ShapeError naming both
        shapes, before anything moves; checking the shapes costs one
        ``len`` per row.
        """
        for w, g in _pairs(self, net, grads, update_biases):
            w[:] = [wi - eta * gi for wi, gi in zip(w, g)]


class _Stateful(GradientDescent):
    """An optimizer that keeps state per parameter (``new_state``) and
    counts its steps t; subclasses give the rule in ``update``.

    The state belongs to the network of the first step (held by a weak
    reference) and to its shapes; a step on any other network, or on
    the same one reshaped, raises BackpropError. ``reset()`` forgets
    the state, so that the optimizer can start on another network.
    """

    def __init__(self, *, weight_decay: float = 0.0) -> None:
        super().__init__(weight_decay=weight_decay)
        self.reset()

    def reset(self) -> None:
        """Forget the state and the step count: start afresh, on any
        network."""
        self.t = 0                          # steps taken so far
        self.state: list | None = None      # one entry per row of w
        self.owner: Callable[[], object] | None = None   # the network
        self.shapes: list[int] = []         # the length of each row

    def step(self, net, grads, eta: float, *,
             update_biases: bool = True) -> None:
        """Update ``net``'s W and b in place, one row of w at a time
        (b only with ``update_biases``, as for GradientDescent: the
        biases' state then waits, while the step count t goes on)."""
        pairs = list(_pairs(self, net, grads, update_biases))
        shapes = _rows(net)          # the state has a row for every b too
        if self.state is None:
            self.state = [self.new_state(n) for n in shapes]
            self.owner, self.shapes = weakref.ref(net), shapes
        elif self.owner is None or self.owner() is not net \
                or shapes != self.shapes:
            name = type(self).__name__
            raise BackpropError(
                f"{name}.step: this optimizer's state belongs to another "
                f"network; use a new {name}() per network (or "
                "opt.reset())")
        self.t += 1
        # W's rows come first, so without the biases zip stops before
        # their state, which stays as it was
        for (w, g), s in zip(pairs, self.state):
            w[:] = self.update(w, g, s, eta)

    def new_state(self, n: int) -> list:
        """Return the state for a row of n parameters: zeros."""
        return [0.0] * n

    def update(self, w: list[float], g: list[float], s: list,
               eta: float) -> list[float]:
        """Return the updated row w (changing the state s in place)."""
        raise NotImplementedError


class Momentum(_Stateful):
    """Gradient descent with momentum mu: v <- mu v + g; w <- w - eta v.

    With ``nesterov=True`` the step looks ahead: w <- w - eta (g + mu v).

    >>> from backprop.network import Network, Gradients
    >>> net = Network.from_weights([[[0.0]]])
    >>> opt = Momentum(mu=0.5)
    >>> for _ in range(2):
    ...     opt.step(net, Gradients([[[1.0]]], None), eta=1.0)
    >>> net.W          # steps of 1, then 1 + 0.5
    [[[-2.5]]]
    """

    def __init__(self, mu: float = 0.9, *, nesterov: bool = False,
                 weight_decay: float = 0.0) -> None:
        super().__init__(weight_decay=weight_decay)
        self.mu = _checks.between(
            type(self).__name__, "mu", mu, 0.0, 1.0)
        self.nesterov = nesterov

    def update(self, w, g, v, eta):
        """v <- mu v + g; return w - eta v (Nesterov: w - eta (g + mu v))."""
        mu = self.mu
        v[:] = [mu * vi + gi for vi, gi in zip(v, g)]      # v <- mu v + g
        step = ([gi + mu * vi for gi, vi in zip(g, v)] if self.nesterov
                else v)
        return [wi - eta * si for wi, si in zip(w, step)]


class Adagrad(_Stateful):
    """Adagrad: G <- G + g^2; w <- w - eta g / (sqrt(G) + eps).

    Each parameter's step shrinks as its squared gradients add up.

    >>> from backprop.network import Network, Gradients
    >>> net = Network.from_weights([[[0.0]]])
    >>> Adagrad().step(net, Gradients([[[4.0]]], None), eta=0.1)
    >>> round(net.W[0][0][0], 9)     # first step: eta * g / |g|
    -0.1
    """

    def __init__(self, *, eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(weight_decay=weight_decay)
        self.eps = _checks.between(
            type(self).__name__, "eps", eps, 0.0, open_low=True)

    def update(self, w, g, G, eta):
        """G <- G + g^2; return w - eta g / (sqrt(G) + eps)."""
        G[:] = [Gi + gi * gi for Gi, gi in zip(G, g)]
        return [wi - eta * gi / (sqrt(Gi) + self.eps)
                for wi, gi, Gi in zip(w, g, G)]


class RMSProp(_Stateful):
    """RMSProp: s <- rho s + (1 - rho) g^2; w <- w - eta g / (sqrt(s) + eps).

    Like Adagrad, but old squared gradients fade away at rate rho.

    >>> from backprop.network import Network, Gradients
    >>> net = Network.from_weights([[[0.0]]])
    >>> RMSProp(rho=0.75).step(net, Gradients([[[2.0]]], None), eta=0.1)
    >>> round(net.W[0][0][0], 6)     # s = 0.25 * 4 = 1: step 0.1 * 2 / 1
    -0.2
    """

    def __init__(self, rho: float = 0.9, *, eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(weight_decay=weight_decay)
        self.rho = _checks.between(
            type(self).__name__, "rho", rho, 0.0, 1.0)
        self.eps = _checks.between(
            type(self).__name__, "eps", eps, 0.0, open_low=True)

    def update(self, w, g, s, eta):
        """s <- rho s + (1 - rho) g^2; return w - eta g / (sqrt(s) + eps)."""
        rho = self.rho
        s[:] = [rho * si + (1.0 - rho) * gi * gi for si, gi in zip(s, g)]
        return [wi - eta * gi / (sqrt(si) + self.eps)
                for wi, gi, si in zip(w, g, s)]


class Adam(_Stateful):
    """Adam: momentum (m) and RMSProp (v) with their start-up bias removed.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t);
    w <- w - eta m_hat / (sqrt(v_hat) + eps), t = 1, 2, ... the step count,
    computed as w - eta_t m / (sqrt(v) + eps_t) with
    eta_t = eta sqrt(1 - b2^t) / (1 - b1^t) and eps_t = eps sqrt(1 - b2^t).

    >>> from backprop.network import Network, Gradients
    >>> net = Network.from_weights([[[0.0]]])
    >>> Adam().step(net, Gradients([[[3.0]]], None), eta=0.1)
    >>> round(net.W[0][0][0], 9)     # first step: m_hat / sqrt(v_hat) = 1
    -0.1
    """

    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, *,
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(weight_decay=weight_decay)
        self.beta1 = _checks.between(
            type(self).__name__, "beta1", beta1, 0.0, 1.0)
        self.beta2 = _checks.between(
            type(self).__name__, "beta2", beta2, 0.0, 1.0)
        self.eps = _checks.between(
            type(self).__name__, "eps", eps, 0.0, open_low=True)
        self.rate, self.eps_t = 1.0, self.eps    # set by step, for step t

    def new_state(self, n):
        return [[0.0] * n, [0.0] * n]                      # m, v

    def step(self, net, grads, eta: float, *,
             update_biases: bool = True) -> None:
        """As for every stateful optimizer; the bias corrections
        1 - b1^t and 1 - b2^t are the same for every weight, so they are
        folded, once per step, into rate = sqrt(1 - b2^t) / (1 - b1^t)
        (eta_t = eta rate) and eps_t = eps sqrt(1 - b2^t)."""
        t = self.t + 1
        root = sqrt(1.0 - power(self.beta2, t))
        self.rate = root / (1.0 - power(self.beta1, t))
        self.eps_t = self.eps * root
        super().step(net, grads, eta, update_biases=update_biases)

    def update(self, w, g, state, eta):
        """Update m and v; return w - eta_t m / (sqrt(v) + eps_t)."""
        m, v = state
        b1, b2 = self.beta1, self.beta2
        f1, f2 = 1.0 - b1, 1.0 - b2          # the new gradient's shares
        m[:] = [b1 * mi + f1 * gi for mi, gi in zip(m, g)]
        v[:] = [b2 * vi + f2 * gi * gi for vi, gi in zip(v, g)]
        eta_t, eps_t = eta * self.rate, self.eps_t
        return [wi - eta_t * mi / (sqrt(vi) + eps_t)
                for wi, mi, vi in zip(w, m, v)]


OPTIMIZERS = {"gd": GradientDescent, "momentum": Momentum,
              "nesterov": lambda: Momentum(nesterov=True),
              "adagrad": Adagrad, "rmsprop": RMSProp, "adam": Adam}


def get_optimizer(name: str | GradientDescent) -> GradientDescent:
    """Return a fresh optimizer called ``name`` with default settings, or
    ``name`` itself if it already is an optimizer.

    >>> get_optimizer("adam")
    Adam(weight_decay=0.0)

    An unknown name raises BackpropError listing the known ones.
    """
    if isinstance(name, GradientDescent):
        return name
    return _checks.lookup("optimizer", name, OPTIMIZERS)()


def _pairs(opt: GradientDescent, net, grads, biases: bool):
    """Yield (w_row, g_row) for every row of every W, then every b (with
    ``biases``), once the shapes of ``grads`` are checked."""
    dW, db = _check_shapes(f"{type(opt).__name__}.step", net, grads, biases)
    weight_decay = opt.weight_decay
    for W, G in zip(net.W, dW):
        for w, g in zip(W, G):
            if weight_decay:                 # L2: g <- g + lambda w
                g = [gi + weight_decay * wi for gi, wi in zip(g, w)]
            yield w, g
    if net.b is not None and biases:
        yield from zip(net.b, db)


# === Shapes =================================================================


def _rows(net) -> list[int]:
    """Return the length of every row of every W, then of every b."""
    return [len(w) for W in net.W for w in W] + [len(b) for b in net.b or ()]


def _check_shapes(func: str, net, grads, biases: bool) -> tuple:
    """Return grads as (dW, db) if dW is shaped like net.W and, with
    ``biases``, db like net.b; else raise ShapeError naming both shapes.
    One ``len`` per row, once per step: the numbers are not looked at."""
    if not isinstance(grads, tuple) or len(grads) != 2:
        raise TypeError(f"{func}: grads must be a Gradients(dW, db), got "
                        f"{grads!r:.60}")
    dW, db = grads
    if _lengths(dW) != [[len(w) for w in W] for W in net.W]:
        raise ShapeError(
            f"{func}: grads.dW must be shaped like the network's W, "
            f"{_shape(net.W)}, got {_shape(dW)}")
    if not biases or (net.b is None and db is None):
        return dW, db
    if db is None:
        raise ShapeError(
            f"{func}: grads.db is None, but the network has biases shaped "
            f"{_shape(net.b)}; give their gradients, or pass "
            "update_biases=False to leave the biases as they are")
    if net.b is None:
        raise ShapeError(
            f"{func}: grads.db must be None for a network without biases, "
            f"got {_shape(db)}")
    if _lengths([db]) != [[len(b) for b in net.b]]:
        raise ShapeError(
            f"{func}: grads.db must be shaped like the network's b, "
            f"{_shape(net.b)}, got {_shape(db)}")
    return dW, db


def _lengths(layers) -> list | None:
    """Return the row lengths of every matrix in ``layers``, or None if
    they are not lists of rows."""
    try:
        return [[len(r) for r in M] for M in layers]
    except TypeError:               # None, or a number where a row goes
        return None


def _shape(layers) -> str:
    """Describe a list of matrices ("[2x3, 1x2]") or of vectors
    ("[(2,), (1,)]") for a message."""
    if not isinstance(layers, (list, tuple)):
        return repr(layers)[:60]
    return "[" + ", ".join(map(_shape_of, layers)) + "]"


def _shape_of(M) -> str:
    """"2x3" for 2 rows of 3, "2x(1/3)" for ragged rows, "(2,)" for a
    vector."""
    if not isinstance(M, (list, tuple)):
        return type(M).__name__
    if not all(isinstance(r, (list, tuple)) for r in M):
        return f"({len(M)},)"
    cols = "/".join(map(str, sorted({len(r) for r in M})))
    return f"{len(M)}x{cols}" if "/" not in cols else f"{len(M)}x({cols})"
