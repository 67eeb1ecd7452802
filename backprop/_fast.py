"""The fast path: plain gradient descent with its loops fused.

This is the only module in backprop written for speed rather than for
reading. :func:`backprop.training.train` calls :func:`epoch` instead of
its readable loop when :func:`applies` says so (one visible line in
``train``), and the numbers are the same, bit for bit:
tests/test_fast_path.py trains both ways and compares every weight.

What makes it faster, for the same arithmetic in the same order:

* every choice that depends only on the network and the losses (which
  BP1 case, how the reported loss is made, which layers are sigmoids)
  is made once per call (:func:`_output`), not once per sample;
* each neuron's z = W[j] . a + b_j is one C-level ``sum()`` call (the
  one summation of :func:`backprop.matrix.total`, whose start value makes
  it add left to right), with no shape checks (train checked its data
  once); a sigmoid layer computes z and sigma(z) in one comprehension,
  with the expressions of :func:`~backprop.activations.sigmoid` and
  :func:`~backprop.activations.sigmoid_prime_from_output` written
  inline, since a call per neuron costs more than the arithmetic;
* the reported mean squared error is made from the a - y that BP1
  computes anyway;
* BP3 and BP4 are folded into the update: each row of W moves as soon as
  its gradient row is made, so no dW is built, and layer l moves only
  after it has given layer l-1 its delta (BP2 uses the weights before
  the step). For a batch B, W[j][k] <- W[j][k] - eta ((sum_i delta_ij
  a_ik) / |B|), the very numbers that mean_gradient and
  GradientDescent.step compute. A run of batches of one sample (per-sample
  SGD) is one loop, with no call per sample.

Even the sign of a zero agrees: the readable mean of a batch of one is
that sample's gradient itself, as here.
"""

from __future__ import annotations

from functools import partial
from operator import mul

from .activations import (
    activate, derivatives, sigmoid, sigmoid_prime_from_output, softmax,
)
from .losses import (
    binary_cross_entropy_grad, categorical_cross_entropy_grad,
    half_sse_grad, mse, mse_grad,
)
from .elementary import exp
from .matrix import total
from .network import Network, output_delta
from .optimizers import GradientDescent

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .losses import Loss

# sum(terms, START) is total(terms) without the call: total(()) returns
# the start value that total hands to sum() (see backprop.matrix).
START = total(())


def applies(net: Network, optimizer: object) -> bool:
    """Return True when :func:`epoch` computes what the readable loop
    does: plain gradient descent without weight decay, and no softmax
    before the output layer."""
    return (type(optimizer) is GradientDescent
            and not optimizer.weight_decay
            and all(act.prime is not None for act in net.act[:-1]))


def epoch(net: Network, X: list[list[float]], y: list[list[float]],
          batches: list[list[int]], fit: Loss, report: Loss,
          eta: float, biases: bool = True) -> list[float]:
    """Run one epoch of plain gradient descent, one step per batch of
    sample numbers; return every sample's report loss, in order. The
    biases move only with ``biases`` (train's update_biases)."""
    # each layer as (W, b for z, b to move or None, f or None for sigma)
    if net.b:
        layers = [(W, b, b if biases else None,
                   None if act.f is sigmoid else act)
                  for W, b, act in zip(net.W, net.b, net.act)]
    else:        # no biases: a sigmoid layer adds zeros (see _layer)
        layers = [(W, [0.0] * len(W), None, None) if act.f is sigmoid
                  else (W, None, None, act) for W, act in zip(net.W, net.act)]
    out, loss = _output(net.act[-1], fit), _reporter(report)
    if all(len(batch) == 1 for batch in batches):
        return _samples(layers, X, y, [i for i, in batches], out, loss,
                        eta)
    losses: list[float] = []
    for batch in batches:                # a batch of one (a run's last,
        if len(batch) == 1:              # say) takes the per-sample step,
            losses += _samples(layers, X, y, batch, out, loss, eta)
        else:                            # whose mean is the gradient itself
            losses += _batch(layers, [X[i] for i in batch],
                             [y[i] for i in batch], out, loss, eta)
    return losses


def _layer(W, b, a):
    """sigma(W a + b) for a sigmoid layer, with the expression of
    :func:`~backprop.activations.sigmoid` written inline (a call per
    neuron costs more than its arithmetic). Without biases b holds
    zeros: z + 0.0 is z, or 0.0 for -0.0, and sigma(-0.0) is sigma(0.0).
    """
    return [1.0 / (1.0 + exp(-v)) if v > -700.0 else exp(v)
            for w, b_j in zip(W, b)
            for v in [sum(map(mul, w, a), START) + b_j]]


def _forward(layers, x):
    """Every layer's outputs A[l] (A[0] = x) and weighted inputs Z[l-1]
    (None for a sigmoid layer, whose z nothing after it needs)."""
    A, Z, a = [x], [], x
    for W, b, _, act in layers:
        if act is None:                                 # sigma(W a + b)
            z, a = None, _layer(W, b, a)
        else:                                           # f(W a (+ b))
            z = [sum(map(mul, w, a), START) for w in W] if b is None else \
                [sum(map(mul, w, a), START) + b_j for w, b_j in zip(W, b)]
            a = activate(act, z)
        A.append(a)
        Z.append(z)
    return A, Z


def _samples(layers, X, y, order, out, loss, eta):
    """Per-sample gradient descent over the samples ``order`` names, in
    one loop: forward, BP1 and the report loss, then from the last layer
    back, BP2 before each layer's step w - eta (delta_j a_k) (BP4) and
    b - eta delta_j (BP3)."""
    losses = []
    top = len(layers) - 1
    for i in order:
        A, Z = _forward(layers, X[i])
        t = y[i]
        e, d = out(A[-1], t, Z[-1])
        losses.append(loss(A[-1], t, e))
        for l in range(top, -1, -1):
            W, _, b, _ = layers[l]
            a = A[l]
            if l:                                         # BP2, before
                d_prev = _back(layers[l - 1][3], a, Z[l - 1], W, d)
            _step(W, b, d, a, eta)
            if l:
                d = d_prev
    return losses


def _back(act, a, z, W, d):
    """BP2: layer l's delta from layer l+1's delta d, W being W^(l+1)
    before its step; ``act`` None is a sigmoid, whose sigma' = a (1 - a)
    is written inline."""
    if act is None:
        return [sum(map(mul, col, d), START) * (a_k * (1.0 - a_k))
                for col, a_k in zip(zip(*W), a)]
    return [sum(map(mul, col, d), START) * f_k
            for col, f_k in zip(zip(*W), derivatives(act, z, a))]


def _batch(layers, X, y, out, loss, eta):
    """One step on the mean gradient of a batch of two or more samples
    (rows of X, y); return the samples' report losses."""
    A, Z = _forward_batch(layers, X)       # A[l], Z[l]: one row a sample
    losses, D = [], []
    for a, t, z in zip(A[-1], y, Z[-1] or [None] * len(X)):
        e, d = out(a, t, z)
        losses.append(loss(a, t, e))
        D.append(d)
    c = 1.0 / len(X)
    for l in range(len(layers) - 1, -1, -1):
        W, _, b, _ = layers[l]
        a_T = list(zip(*A[l]))                            # row k: a_k
        delta_T = list(zip(*D))                           # row j: delta_j
        if l:                                             # BP2, before
            D = _back_batch(layers[l - 1][3], A[l], Z[l - 1], W, D)
        _step_mean(W, b, delta_T, a_T, eta, c)
    return losses


def _step(W, b, d, a, eta):
    """One sample's step: w_jk - eta (delta_j a_k) (BP4) and
    b_j - eta delta_j (BP3; b is None when the biases stay)."""
    for w, d_j in zip(W, d):
        w[:] = [w_k - eta * (d_j * a_k) for w_k, a_k in zip(w, a)]
    if b is not None:
        b[:] = [b_j - eta * d_j for b_j, d_j in zip(b, d)]


def _step_mean(W, b, delta_T, a_T, eta, c):
    """A batch's step on the mean gradient, c = 1/|B|: row j of delta_T
    holds every sample's delta_j, row k of a_T every a_k."""
    for w, dj in zip(W, delta_T):                     # BP4, mean
        w[:] = [w_k - eta * (sum(map(mul, dj, ak), START) * c)
                for w_k, ak in zip(w, a_T)]
    if b is not None:                                 # BP3, mean
        b[:] = [b_j - eta * (sum(dj, START) * c)
                for b_j, dj in zip(b, delta_T)]


def _forward_batch(layers, X):
    """:func:`_forward` for every row of X at once, layer by layer:
    A[l] holds every sample's a^l, Z[l-1] every z^l (None for sigmoid)."""
    A, Z, rows = [X], [], X
    for W, b, _, act in layers:
        if act is None:                   # _layer's sigma, for every row
            z, rows = None, [[1.0 / (1.0 + exp(-v)) if v > -700.0
                              else exp(v) for w, b_j in zip(W, b)
                              for v in [sum(map(mul, w, a), START) + b_j]]
                             for a in rows]
        else:
            z = [[sum(map(mul, w, a), START) for w in W] for a in rows] \
                if b is None else [[sum(map(mul, w, a), START) + b_j
                                    for w, b_j in zip(W, b)] for a in rows]
            rows = [activate(act, z_i) for z_i in z]
        A.append(rows)
        Z.append(z)
    return A, Z


def _back_batch(act, A, Z, W, D):
    """:func:`_back` for every sample of a batch, W transposed once."""
    W_T = list(zip(*W))
    if act is None:
        return [[sum(map(mul, col, d), START) * (a_k * (1.0 - a_k))
                 for col, a_k in zip(W_T, a)] for a, d in zip(A, D)]
    return [[sum(map(mul, col, d), START) * f_k
             for col, f_k in zip(W_T, derivatives(act, z, a))]
            for a, z, d in zip(A, Z, D)]


def _output(act, fit):
    """Return out(a, t, z) -> (e, delta) for one sample: BP1's delta, the
    case chosen once, as :func:`~backprop.network.output_delta` chooses
    it, and e = a - y where the delta needed it (else None), for the
    report."""
    if act.prime is sigmoid_prime_from_output and fit.grad in (
            half_sse_grad, mse_grad):
        return partial(_out_squared_sigmoid, fit.grad is half_sse_grad)
    if act.prime is not None and fit.grad in (half_sse_grad, mse_grad):
        return partial(_out_squared, act, fit.grad is half_sse_grad)
    if (act.prime is sigmoid_prime_from_output
            and fit.grad is binary_cross_entropy_grad):
        return _out_bce
    if act.f is softmax and fit.grad is categorical_cross_entropy_grad:
        return _out_softmax
    return partial(_out_any, act, fit)


def _out_squared_sigmoid(half, a, t, z):
    """A squared error after a sigmoid: delta_j = g_j a_j (1 - a_j),
    g = c (a - y) with c = 1 (``half``: half_sse) or 2/n (mse)."""
    e = [a_j - t_j for a_j, t_j in zip(a, t)]
    g = e if half else [2.0 / len(e) * e_j for e_j in e]
    return e, [g_j * (a_j * (1.0 - a_j)) for g_j, a_j in zip(g, a)]


def _out_squared(act, half, a, t, z):
    """A squared error after any other f: delta_j = g_j f'(z_j)."""
    e = [a_j - t_j for a_j, t_j in zip(a, t)]
    g = e if half else [2.0 / len(e) * e_j for e_j in e]
    return e, [g_j * f_j for g_j, f_j in zip(g, derivatives(act, z, a))]


def _out_bce(a, t, z):
    """Sigmoid with binary cross-entropy: delta_j = (a_j - y_j) / n."""
    e = [a_j - t_j for a_j, t_j in zip(a, t)]
    return e, [e_j / len(e) for e_j in e]


def _out_softmax(a, t, z):
    """Softmax with categorical cross-entropy: a_j sum(y) - y_j."""
    s = total(t)
    return None, [a_j * s - t_j for a_j, t_j in zip(a, t)]


def _out_any(act, fit, a, t, z):
    """Any other pair: :func:`~backprop.network.output_delta` itself."""
    return None, output_delta(act, fit, z, a, t)


def _reporter(report):
    """Return loss(a, t, e) -> the report loss of one sample; the mean
    squared error is (1/n) sum_j e_j^2, from e = a - y if it is at hand."""
    if report.f is not mse:
        return partial(_report_any, report.f)
    return _mse


def _report_any(f, a, t, e):
    """Any other report loss: f(a, y) itself."""
    return f(a, t)


def _mse(a, t, e):
    """(1/n) sum_j e_j^2, e = a - y (made here if BP1 did not)."""
    if e is None:
        e = [a_j - t_j for a_j, t_j in zip(a, t)]
    return sum(map(mul, e, e), START) / len(e)
