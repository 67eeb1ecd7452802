"""The training loop: epochs of batches, one gradient step per batch.

One epoch visits every sample once. The samples are cut into batches; for
each batch, backprop gives every sample's gradient, their mean is the
batch gradient, and the optimizer takes one step along it
(W <- W - eta dW for plain gradient descent).

=================  =========================================================
batch_size         what it is
=================  =========================================================
None               full batch: one step per epoch on the mean gradient
1                  per-sample (stochastic) gradient descent, seed 002
k                  mini-batches of k samples
=================  =========================================================

The loss that is *minimised* (``loss``, whose gradient the steps follow)
need not be the loss that is *reported* (``report_loss``): seed 000 steps
along the cross-entropy gradient and reports the mean squared error.
The reported epoch loss is the mean over the epoch's samples of the loss
on the forward pass that computed each step, before that step, just as
the seeds print it.

>>> from backprop.network import Network
>>> X, y = [[0.0], [1.0]], [[0.0], [1.0]]
>>> net = Network([1, 1], seed=1)
>>> history = train(net, X, y, epochs=200, eta=2.0)
>>> history.losses[0] > history.losses[-1]
True
>>> [round(p[0]) for p in net.predict(X)]
[0, 1]
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from itertools import repeat
from numbers import Real

from .errors import BackpropError, DivergenceError, ShapeError
from .losses import get_loss
from .matrix import _rows_dot
from .network import Gradients, Network, check_rows
from .optimizers import GradientDescent, get_optimizer

__all__ = ["train", "History"]


class History:
    """The per-epoch losses of one training run (``losses[e]`` is epoch e).

    >>> History([0.25, 0.125])
    History(epochs=2, first=0.25, last=0.125)
    """

    def __init__(self, losses: list[float] | None = None) -> None:
        self.losses = [] if losses is None else losses
        self.val_losses: list[float] = []   # with train(validation=...)
        self.best_epoch: int | None = None  # lowest validation loss

    def __repr__(self) -> str:
        if not self.losses:
            return "History(epochs=0)"
        return (f"History(epochs={len(self.losses)}, "
                f"first={self.losses[0]:.6g}, last={self.losses[-1]:.6g})")


def train(net: Network, X: Sequence[Sequence[float]],
          y: Sequence[Sequence[float]], *, epochs: int, eta: float,
          batch_size: int | None = None, shuffle: bool = False,
          seed: int | None = None, loss: str = "mse",
          report_loss: str | None = None, optimizer="gd",
          print_every: int | None = None,
          callback: Callable[[int, float], None] | None = None,
          validation: tuple | None = None,
          patience: int | None = None) -> History:
    """Train ``net`` on samples X with targets y; return the History.

    Each step: for the batch B, dW = (1/|B|) sum over B of backprop's
    per-sample dW (likewise db), then the optimizer updates W and b
    (``"gd"``: W <- W - eta dW). ``shuffle=True`` reorders the samples
    every epoch with ``random.Random(seed)``. ``print_every=100`` prints
    ``Epoch 100, Loss: 0.2490`` lines like the seeds; ``callback(epoch,
    loss)`` is called after every epoch.

    Early stopping: with ``validation=(X_val, y_val)`` the report loss on
    that held-out split is recorded every epoch in ``val_losses``; with
    ``patience=p`` training stops once it has not improved for p epochs,
    and the network ends with the weights of the best epoch
    (``best_epoch``), whether it stopped early or ran all its epochs.

    >>> from backprop.network import Network
    >>> net = Network.from_weights([[[0.0]]], [[0.0]], "identity")
    >>> h = train(net, [[1.0]], [[2.0]], epochs=3, eta=0.25,
    ...           loss="half_sse", print_every=1)
    Epoch 0, Loss: 2.0000
    Epoch 1, Loss: 0.5000
    Epoch 2, Loss: 0.1250
    >>> net.W, net.b
    ([[[0.875]]], [[0.875]])

    Mismatched X and y, bad options, or a loss that becomes NaN or
    infinite (DivergenceError, with the History so far) raise errors.
    """
    X, y = _check_data(net, X, y)
    if validation is not None:
        if not isinstance(validation, (list, tuple)) or len(validation) != 2:
            raise BackpropError(
                "train: validation must be a pair (X_val, y_val) of held-out "
                f"samples and targets, got {validation!r:.60}")
        X_val, y_val = _check_data(net, *validation)
    if patience is not None:
        patience = _check_count("patience", patience)
        if validation is None:
            raise BackpropError(
                "train: patience (early stopping) needs validation="
                "(X_val, y_val), a held-out split to watch")
    epochs = _check_count("epochs", epochs)
    eta = _check_rate(eta)
    bs = len(X) if batch_size is None else _check_count("batch_size",
                                                         batch_size)
    fit, report = get_loss(loss), get_loss(report_loss or loss)
    opt = get_optimizer(optimizer)
    rng = random.Random(seed)
    order = list(range(len(X)))
    history = History()
    for epoch in range(epochs):
        if shuffle:
            rng.shuffle(order)
        total = _epoch(net, X, y, order, bs, fit, report, opt, eta)
        epoch_loss = total / len(X)
        if not math.isfinite(epoch_loss):
            raise DivergenceError(
                f"train: the loss became {epoch_loss} at epoch {epoch}; the "
                f"learning rate eta={eta} is probably too large, try a "
                "smaller one", history)
        history.losses.append(epoch_loss)
        if print_every and epoch % print_every == 0:
            print(f"Epoch {epoch}, Loss: {epoch_loss:.4f}")
        if callback is not None:
            callback(epoch, epoch_loss)
        if validation is not None:                  # early stopping
            history.val_losses.append(_mean_loss(net, X_val, y_val, report))
            if history.best_epoch is None or history.val_losses[-1] < \
                    history.val_losses[history.best_epoch]:
                history.best_epoch = epoch
                best = ([[r[:] for r in W] for W in net.W],
                        net.b and [b[:] for b in net.b])
            elif patience and epoch - history.best_epoch >= patience:
                break
    if patience:                            # end with the best epoch's
        net.W, net.b = best
    return history


def _mean_loss(net, X, y, loss):
    """Return the mean of ``loss`` over the samples X with targets y."""
    return sum(loss.f(a, t) for a, t in zip(net.predict(X), y)) / len(X)


def _epoch(net, X, y, order, bs, fit, report, opt, eta):
    """Run one epoch: a step per batch of ``bs`` samples, taken in
    ``order``. Return the sum of the samples' report losses."""
    total = 0.0
    # Plain gradient descent folds BP3/BP4 into its update (_descend,
    # _descend_sample): the same bits as opt.step with the mean gradient
    # (a test checks), without building dW.
    plain = type(opt) is GradientDescent and not opt.weight_decay
    if plain and bs == 1:                     # per-sample SGD, seed 002
        for i in order:
            fwd = net.forward(X[i])
            total += report.f(fwd.a[-1], y[i])
            _descend_sample(net, net.deltas(fwd, y[i], fit), fwd.a, eta)
        return total
    for start in range(0, len(order), bs):
        D, A, loss_sum = _deltas(net, X, y, order[start:start + bs], fit,
                                 report)
        total += loss_sum
        if plain:
            _descend(net, D, A, eta)
        else:
            opt.step(net, _mean_gradient(net, D, A), eta)
    return total


def _deltas(net, X, y, batch, fit, report):
    """Return every sample's deltas (BP1, BP2) and activations, and the
    sum of their report losses, for the samples numbered in ``batch``."""
    D, A, total = [], [], 0.0
    for i in batch:
        fwd = net.forward(X[i])
        total += report.f(fwd.a[-1], y[i])
        D.append(net.deltas(fwd, y[i], fit))
        A.append(fwd.a)
    return D, A, total


def _mean_gradient(net, D, A):
    """Return the batch's mean gradient from its deltas and activations.

    Averaged over the batch B, BP3 and BP4 become
    db_j = (1/|B|) sum_i delta_ij and dW_jk = (1/|B|) sum_i delta_ij a_ik:
    we transpose the deltas and activations once per layer and take one
    dot product per weight.
    """
    c = 1.0 / len(D)
    dW, db = [], []
    for D_l, A_l in zip(zip(*D), zip(*A)):        # layer by layer
        delta_T = list(zip(*D_l))     # row j: delta_j of every sample
        a_T = list(zip(*A_l))         # row k: a_k of every sample
        dW.append([[s * c for s in _rows_dot(a_T, dj)] for dj in delta_T])
        db.append([sum(dj) * c for dj in delta_T])
    return Gradients(dW, db if net.b is not None else None)


def _descend(net, D, A, eta):
    """Take one plain gradient-descent step on a batch, in place.

    The same numbers as ``GradientDescent().step(net, _mean_gradient(net,
    D, A), eta)``, but each gradient row is used as it is made, so no dW is
    built.
    """
    c = 1.0 / len(D)
    for W, b, D_l, A_l in zip(net.W, net.b or repeat(None), zip(*D), zip(*A)):
        delta_T, a_T = list(zip(*D_l)), list(zip(*A_l))
        for w, dj in zip(W, delta_T):                # BP4, mean over batch
            w[:] = [wk - eta * (s * c)
                    for wk, s in zip(w, _rows_dot(a_T, dj))]
        if b is not None:                            # BP3, mean over batch
            b[:] = [bj - eta * (sum(dj) * c) for bj, dj in zip(b, delta_T)]


def _descend_sample(net, deltas, a, eta):
    """Take one step of per-sample gradient descent, in place.

    For one sample the gradient is dW_jk = delta_j a_k (BP4) and
    db_j = delta_j (BP3); each row of W moves as it is computed.
    """
    for W, b, delta, a_prev in zip(net.W, net.b or repeat(None), deltas, a):
        for w, dj in zip(W, delta):
            w[:] = [wk - eta * (dj * ak) for wk, ak in zip(w, a_prev)]
        if b is not None:
            b[:] = [bj - eta * dj for bj, dj in zip(b, delta)]


def _check_count(name: str, n) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"train: {name} must be an int, got {n!r}")
    if n < 1:
        raise BackpropError(f"train: {name} must be at least 1, got {n}")
    return n


def _check_rate(eta) -> float:
    if isinstance(eta, bool) or not isinstance(eta, Real):
        raise TypeError(f"train: eta must be a number, got {eta!r}")
    if not (eta > 0 and math.isfinite(eta)):
        raise BackpropError(
            f"train: eta (the learning rate) must be a positive finite "
            f"number, got {eta!r}")
    return float(eta)


def _check_data(net, X, y):
    """Return X and y as lists of float lists, or say what is wrong."""
    n_in, n_out = net.sizes[0], net.sizes[-1]
    X = check_rows("train", "X", X, n_in, "inputs")
    y = check_rows("train", "y", y, n_out, "outputs")
    if len(X) != len(y):
        raise ShapeError(
            f"train: X and y must have one row per sample, got {len(X)} "
            f"samples in X and {len(y)} targets in y")
    return X, y
