"""The fast path: plain gradient descent with its loops fused.

This is the only module in backprop written for speed rather than for
reading. :func:`backprop.training.train` calls :func:`epoch` instead of
its readable loop when :func:`applies` says so (one visible line in
``train``), and the numbers are the same, bit for bit:
tests/test_fast_path.py trains both ways and compares every weight.

What makes it faster, for the same arithmetic in the same order:

* each neuron's z = W[j] . a + b_j is one C-level ``sum()`` call (the
  one summation of :func:`backprop.matrix.total`, whose start value makes
  it add left to right), with no shape checks (train checked its data
  once), and W is transposed once per step for BP2, not once per sample;
* the sigmoid and its derivative a (1 - a) are written inline, with the
  same expressions as :func:`~backprop.activations.sigmoid` and
  :func:`~backprop.activations.sigmoid_prime_from_output`, since a call
  per neuron costs more than the arithmetic, and so is BP1 for a sigmoid
  output with a squared error;
* BP3 and BP4 are folded into the update: each row of W moves as soon as
  its gradient row is made, so no dW is built. For a batch B,
  W[j][k] <- W[j][k] - eta ((sum_i delta_ij a_ik) / |B|), the very
  numbers that mean_gradient and GradientDescent.step compute.

Only the sign of a zero can differ, and only in a batch of one sample:
there the readable path's mean adds the gradient to 0.0, turning -0.0
into 0.0, so a weight of exactly -0.0 with a gradient of -0.0 stays -0.0
there and becomes 0.0 here.
"""

from __future__ import annotations

from math import exp
from operator import mul

from .activations import (
    activate, derivatives, sigmoid, sigmoid_prime_from_output,
)
from .losses import half_sse_grad, mse_grad
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
    losses = []
    for batch in batches:
        W_T = [list(zip(*W)) for W in net.W[1:]]    # for BP2, before the step
        steps = []
        for i in batch:
            A, Z = _forward(net, X[i])
            losses.append(report.f(A[-1], y[i]))
            steps.append((_deltas(net, W_T, A, Z, y[i], fit), A))
        if len(steps) == 1:
            _step_one(net, *steps[0], eta, biases)
        else:
            _step(net, steps, eta, biases)
    return losses


def _forward(net, x):
    """Every layer's outputs A[l] (A[0] = x) and weighted inputs Z[l-1]."""
    A, Z = [x], []
    for W, b, act in zip(net.W, net.b or [None] * len(net.W), net.act):
        a = A[-1]
        if b is None:                                 # z = W a
            z = [sum(map(mul, w, a), START) for w in W]
        else:                                         # z = W a + b
            z = [sum(map(mul, w, a), START) + b_j for w, b_j in zip(W, b)]
        if act.f is sigmoid:                          # sigmoid(z), inline
            A.append([1.0 / (1.0 + exp(-v)) if v > -700.0 else exp(v)
                      for v in z])
        else:
            A.append(activate(act, z))
        Z.append(z)
    return A, Z


def _deltas(net, W_T, A, Z, t, fit):
    """BP1 and BP2 for one sample: D[l] is layer l+1's delta. W_T[l-1]
    is W[l] transposed, so its row k holds the weights out of neuron k."""
    a, act = A[-1], net.act[-1]
    if act.prime is sigmoid_prime_from_output and fit.grad in (half_sse_grad,
                                                               mse_grad):
        c = 1.0 if fit.grad is half_sse_grad else 2.0 / len(a)
        # dL/da_j * sigma'(z_j) = c (a_j - t_j) * a_j (1 - a_j)
        g = [a_j - t_j for a_j, t_j in zip(a, t)] if c == 1.0 else \
            [c * (a_j - t_j) for a_j, t_j in zip(a, t)]
        D = [[g_j * (a_j * (1.0 - a_j)) for g_j, a_j in zip(g, a)]]
    else:
        D = [output_delta(act, fit, Z[-1], a, t)]
    for l in range(len(net.W) - 1, 0, -1):
        act, a, d = net.act[l - 1], A[l], D[0]
        if act.prime is sigmoid_prime_from_output:    # a (1 - a), inline
            f = [a_k * (1.0 - a_k) for a_k in a]
        else:
            f = derivatives(act, Z[l - 1], a)
        D.insert(0, [sum(map(mul, col, d), START) * fp
                     for col, fp in zip(W_T[l - 1], f)])
    return D


def _step(net, steps, eta, biases):
    """W <- W - eta dW and b <- b - eta db with the batch's mean gradient,
    one row at a time; ``steps`` holds each sample's (deltas, A)."""
    c = 1.0 / len(steps)
    for l, W in enumerate(net.W):
        delta_T = list(zip(*[D[l] for D, _ in steps]))   # row j: delta_j
        a_T = list(zip(*[A[l] for _, A in steps]))       # row k: a_k
        for w, dj in zip(W, delta_T):                    # BP4, mean
            w[:] = [w_k - eta * (sum(map(mul, dj, ak), START) * c)
                    for w_k, ak in zip(w, a_T)]
        if net.b is not None and biases:                 # BP3, mean
            b = net.b[l]
            b[:] = [b_j - eta * (sum(dj, START) * c)
                    for b_j, dj in zip(b, delta_T)]


def _step_one(net, deltas, A, eta, biases):
    """The step for a batch of one sample: dW_jk = delta_j a_k (BP4),
    db_j = delta_j (BP3)."""
    for l, W in enumerate(net.W):
        a_prev = A[l]
        for w, d_j in zip(W, deltas[l]):
            w[:] = [w_k - eta * (d_j * a_k) for w_k, a_k in zip(w, a_prev)]
        if net.b is not None and biases:
            b = net.b[l]
            b[:] = [b_j - eta * d_j for b_j, d_j in zip(b, deltas[l])]
