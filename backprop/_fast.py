"""The fast path: plain gradient descent with its loops fused.

This is the only module in backprop written for speed rather than for
reading. :func:`backprop.training.train` calls :func:`epoch` instead of
its readable loop when :func:`applies` says so (one visible line in
``train``), and the numbers are the same, bit for bit:
tests/test_fast_path.py trains both ways and compares every weight.

What makes it faster, for the same arithmetic in the same order:

* a whole batch goes through each layer at once, and each neuron's
  z = W[j] . a + b_j is one C-level ``sum()`` call (the one summation of
  :func:`backprop.matrix.total`, whose start value makes it add left to
  right), with no shape checks (train checked its data once);
* the sigmoid and its derivative a (1 - a) are written inline, with the
  same expressions as :func:`~backprop.activations.sigmoid` and
  :func:`~backprop.activations.sigmoid_prime_from_output`, since a call
  per neuron costs more than the arithmetic;
* BP3 and BP4 are folded into the update: each row of W moves as soon as
  its gradient row is made, so no dW is built. For a batch B,
  W[j][k] <- W[j][k] - eta ((sum_i delta_ij a_ik) / |B|), the very
  numbers that mean_gradient and GradientDescent.step compute.

Only the sign of a zero can differ: the readable path adds each gradient
to 0.0 first, so a weight given as exactly -0.0 whose gradient is -0.0
becomes 0.0 there and stays -0.0 here.
"""

from __future__ import annotations

from math import exp
from operator import mul

from .activations import activate, derivatives
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
          eta: float) -> list[float]:
    """Run one epoch of plain gradient descent, one step per batch of
    sample numbers; return every sample's report loss, in order."""
    losses: list[float] = []
    for batch in batches:
        A, Z = _forward(net, [X[i] for i in batch])
        Y = [y[i] for i in batch]
        losses += [report.f(a, t) for a, t in zip(A[-1], Y)]
        D = _deltas(net, A, Z, Y, fit)
        if len(batch) == 1:
            _step_one(net, [d[0] for d in D], [a[0] for a in A], eta)
        else:
            _step(net, D, A, eta)
    return losses


def _forward(net, A0):
    """Every layer's outputs A[l] and weighted inputs Z[l-1] for a batch
    (lists with one row per sample)."""
    A, Z = [A0], []
    for l, (W, act) in enumerate(zip(net.W, net.act)):
        if net.b is None:                     # z = W a
            Z_l = [[sum(map(mul, w, a), START) for w in W] for a in A[-1]]
        else:                                 # z = W a + b
            Z_l = [[sum(map(mul, w, a), START) + b_j
                    for w, b_j in zip(W, net.b[l])] for a in A[-1]]
        if act.name == "sigmoid":             # sigmoid(z), inline
            A_l = [[1.0 / (1.0 + exp(-z)) if z > -700.0 else exp(z)
                    for z in z_i] for z_i in Z_l]
        else:
            A_l = [activate(act, z_i) for z_i in Z_l]
        A.append(A_l)
        Z.append(Z_l)
    return A, Z


def _deltas(net, A, Z, Y, fit):
    """BP1 and BP2 for every sample of the batch: D[l][i] is sample i's
    delta for layer l+1."""
    D = [[output_delta(net.act[-1], fit, z, a, t)
          for z, a, t in zip(Z[-1], A[-1], Y)]]
    for l in range(len(net.W) - 1, 0, -1):
        act, W_T = net.act[l - 1], list(zip(*net.W[l]))
        if act.name == "sigmoid":             # a (1 - a), inline
            F = [[a_k * (1.0 - a_k) for a_k in a] for a in A[l]]
        else:
            F = [derivatives(act, z, a) for z, a in zip(Z[l - 1], A[l])]
        D.insert(0, [[sum(map(mul, col, d), START) * fp
                      for col, fp in zip(W_T, f)] for d, f in zip(D[0], F)])
    return D


def _step(net, D, A, eta):
    """W <- W - eta dW and b <- b - eta db with the batch's mean gradient,
    one row at a time."""
    c = 1.0 / len(D[0])
    for l, W in enumerate(net.W):
        delta_T, a_T = list(zip(*D[l])), list(zip(*A[l]))
        for w, dj in zip(W, delta_T):                    # BP4, mean
            w[:] = [w_k - eta * (sum(map(mul, dj, ak), START) * c)
                    for w_k, ak in zip(w, a_T)]
        if net.b is not None:                            # BP3, mean
            b = net.b[l]
            b[:] = [b_j - eta * (sum(dj, START) * c)
                    for b_j, dj in zip(b, delta_T)]


def _step_one(net, deltas, a, eta):
    """The step for a batch of one sample: dW_jk = delta_j a_k (BP4),
    db_j = delta_j (BP3)."""
    for l, W in enumerate(net.W):
        a_prev = a[l]
        for w, d_j in zip(W, deltas[l]):
            w[:] = [w_k - eta * (d_j * a_k) for w_k, a_k in zip(w, a_prev)]
        if net.b is not None:
            b = net.b[l]
            b[:] = [b_j - eta * d_j for b_j, d_j in zip(b, deltas[l])]
