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
from itertools import chain

from . import _checks, _fast
from .errors import BackpropError, DivergenceError
from .losses import Loss, get_loss
from .matrix import total
from .network import Gradients, Network
from .optimizers import GradientDescent, get_optimizer

__all__ = ["train", "update_batch", "mean_gradient", "History"]


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

    def _repr_svg_(self) -> str | None:
        """Return the loss curve (with the validation loss, if any) for
        Jupyter: :func:`backprop.plot.loss_chart`, loaded on first use.
        None, so that Jupyter shows the repr, before the first epoch."""
        if not self.losses:
            return None
        from . import plot
        series: dict[str, Sequence[float]] = {"training": self.losses}
        if self.val_losses:
            series["validation"] = self.val_losses
        return plot.loss_chart(series)


def train(net: Network, X: Sequence[Sequence[float]],
          y: Sequence[Sequence[float]], *, epochs: int, eta: float,
          batch_size: int | None = None, shuffle: bool = False,
          seed: int | None = None, loss: str | Loss = "mse",
          report_loss: str | Loss | None = None,
          optimizer: str | GradientDescent = "gd",
          print_every: int | None = None,
          callback: Callable[[int, float], object] | None = None,
          validation: tuple | None = None,
          patience: int | None = None,
          update_biases: bool = True) -> History:
    """Train ``net`` on samples X with targets y; return the History.

    Every epoch cuts the samples into batches of ``batch_size`` (all of
    them by default) and calls :func:`update_batch` on each: backprop
    gives every sample's gradient, :func:`mean_gradient` averages them
    and the optimizer takes one step (``"gd"``: W <- W - eta dW).
    ``shuffle=True`` reorders the samples every epoch with
    ``random.Random(seed)``. ``print_every=100`` prints ``Epoch 100,
    Loss: 0.2490`` lines like the seeds; ``callback(epoch, loss)`` is
    called after every epoch.

    Early stopping: with ``validation=(X_val, y_val)`` the report loss on
    that held-out split is recorded every epoch in ``val_losses``; with
    ``patience=p`` training stops once it has not improved for p epochs,
    and the network ends with the weights of the best epoch
    (``best_epoch``), whether it stopped early or ran all its epochs.

    ``update_biases=False`` trains the weights only and leaves every
    bias as it was (as Mazur's worked example does).

    >>> from backprop.network import Network
    >>> net = Network.from_weights([[[0.0]]], [[0.0]], "identity")
    >>> h = train(net, [[1.0]], [[2.0]], epochs=3, eta=0.25,
    ...           loss="half_sse", print_every=1)
    Epoch 0, Loss: 2.0000
    Epoch 1, Loss: 0.5000
    Epoch 2, Loss: 0.1250
    >>> net.W, net.b
    ([[[0.875]]], [[0.875]])

    Divergence: after every epoch, ``train`` checks that the loss and
    every weight and bias are finite (one sum per row, so the check
    costs about one forward pass). If not, it raises DivergenceError,
    naming the epoch (and the layer, for weights), with the History so
    far in its ``history``; the network then holds the diverged
    weights, so do not use it. A NaN or infinite weight is never
    returned, even where a loss stays finite (a sigmoid saturates, a
    cross-entropy clips its output):

    >>> net = Network.from_weights([[[0.0]]], [[0.0]], "sigmoid")
    >>> train(net, [[10.0]], [[0.0]], epochs=5, eta=1e308,
    ...       loss="binary_cross_entropy")
    Traceback (most recent call last):
      ...
    backprop.errors.DivergenceError: train: the weights of layer 1 (W[0], \
b[0]) became non-finite at epoch 0: 1 of them, first W[0][0][0] = -inf; ...

    The targets must mean something to the losses: in [0, 1] for
    ``binary_cross_entropy``; no negative entries, and not all zero, for
    ``categorical_cross_entropy``. ``shuffle`` is True or False,
    ``print_every`` an int >= 1 or None and ``seed`` an int or None.
    Mismatched X and y (or X_val and y_val), targets or options like
    these, or divergence raise BackpropError (ShapeError,
    DivergenceError) or TypeError, naming the argument.
    """
    X, y = _checks.samples("train", net, X, y)       # once, at the edge
    epochs = _checks.count("train", "epochs", epochs)
    eta = _checks.positive("train", "eta (the learning rate)", eta)
    size = len(X) if batch_size is None else _checks.count(
        "train", "batch_size", batch_size)
    shuffle = _checks.flag("train", "shuffle", shuffle)
    biases = _checks.flag("train", "update_biases", update_biases)
    print_every = _checks.every("train", "print_every", print_every)
    fit, report = get_loss(loss), get_loss(report_loss or loss)
    for used in (fit, report):
        _checks.targets("train", "y", y, used)
    opt = get_optimizer(optimizer)
    watch = _EarlyStopping(net, validation, patience, report)
    rng = random.Random(_checks.seed("train", seed))
    order, history = list(range(len(X))), History()
    for epoch in range(epochs):
        if shuffle:
            rng.shuffle(order)
        batches = [order[i:i + size] for i in range(0, len(order), size)]
        if _fast.applies(net, opt):   # same numbers, fused loops: _fast.py
            losses = _fast.epoch(net, X, y, batches, fit, report, eta,
                                 biases)
        else:
            losses = [s for batch in batches for s in update_batch(
                net, [X[i] for i in batch], [y[i] for i in batch],
                loss=fit, report=report, optimizer=opt, eta=eta,
                update_biases=biases)]
        history.losses.append(_epoch_loss(losses, epoch, eta, history))
        _check_weights(net, epoch, eta, history)     # once per epoch
        if print_every and epoch % print_every == 0:
            print(f"Epoch {epoch}, Loss: {history.losses[-1]:.4f}")
        if callback is not None:
            callback(epoch, history.losses[-1])
        if watch.stop(net, epoch, history):
            break
    watch.restore(net)
    return history


def update_batch(net: Network, X: list[list[float]], y: list[list[float]],
                 *, loss: Loss, report: Loss, optimizer: GradientDescent,
                 eta: float, update_biases: bool = True) -> list[float]:
    """Take one optimizer step on the batch (X, y); return each sample's
    ``report`` loss, from the forward pass before the step.

    For each sample: the forward pass, then backprop's gradient
    (:meth:`Network.backward`, which runs :meth:`Network.deltas`). The
    step follows the batch's mean gradient (:func:`mean_gradient`);
    with ``update_biases=False`` it moves the weights only.
    X and y are trusted: :func:`train` checked them.

    >>> from backprop.network import Network
    >>> from backprop.losses import get_loss
    >>> from backprop.optimizers import GradientDescent
    >>> net = Network.from_weights([[[0.0]]], [[0.0]], "identity")
    >>> half_sse = get_loss("half_sse")
    >>> update_batch(net, [[1.0]], [[2.0]], loss=half_sse, report=half_sse,
    ...              optimizer=GradientDescent(), eta=0.25)
    [2.0]
    >>> net.W, net.b         # dL/dw = (0 - 2) * 1, w = 0 - 0.25 * -2
    ([[[0.5]]], [[0.5]])
    """
    grads, losses = [], []
    for x, t in zip(X, y):
        fwd = net.forward(x, check=False)              # every z and a
        losses.append(report.f(fwd.a[-1], t))
        grads.append(net.backward(fwd, t, loss, check=False))  # BP1-BP4
    optimizer.step(net, mean_gradient(grads), eta,
                   update_biases=update_biases)
    return losses


def mean_gradient(grads: Sequence[Gradients]) -> Gradients:
    """Return the batch gradient: the mean of the samples' gradients,
    dW = (1/|B|) sum_i dW_i and db = (1/|B|) sum_i db_i, entry by entry.

    >>> g1 = Gradients([[[1.0, 2.0]]], [[1.0]])
    >>> g2 = Gradients([[[3.0, 0.0]]], [[0.0]])
    >>> mean_gradient([g1, g2])
    Gradients(dW=[[[2.0, 1.0]]], db=[[0.5]])

    The mean of one gradient is that gradient (per-sample SGD):

    >>> mean_gradient([g1]) is g1
    True
    """
    if len(grads) == 1:
        return grads[0]
    c = 1.0 / len(grads)                          # 1/|B|

    def mean(vectors):    # (1/|B|) sum_i v_i, entry by entry, for a row
        return [total(entries) * c for entries in zip(*vectors)]

    # zip(*...) lines up the same layer (then row) of every sample
    dW = [[mean(rows) for rows in zip(*layer)]
          for layer in zip(*(g.dW for g in grads))]
    if grads[0].db is None:
        return Gradients(dW, None)
    db = [mean(layer) for layer in zip(*(g.db for g in grads))]
    return Gradients(dW, db)


def _epoch_loss(losses: list[float], epoch: int, eta: float,
                history: History) -> float:
    """Return the mean of the epoch's sample losses, or raise
    DivergenceError if it is not finite."""
    mean = total(losses) / len(losses)
    if not math.isfinite(mean):
        raise DivergenceError(
            f"train: the loss became {mean} at epoch {epoch}; the learning "
            f"rate eta={eta} is probably too large, try a smaller one",
            history)
    return mean


def _check_weights(net: Network, epoch: int, eta: float,
                   history: History) -> None:
    """Raise DivergenceError if a weight or bias is NaN or infinite.

    A NaN or an infinity anywhere in a layer makes the total of its
    weights and biases NaN or infinite, so one ``total`` per row tells
    a healthy layer, cheaply (one total of the whole network first,
    then layer by layer only if that is not finite). Finite weights can
    also add up to inf (two of 1e308); only then is each value looked
    at.
    """
    every = chain.from_iterable(chain(*net.W, net.b or ()))
    if math.isfinite(total(every)):
        return                         # the whole network, at once
    for i, W in enumerate(net.W):      # i: the code's layer index
        rows = W if net.b is None else W + [net.b[i]]
        if math.isfinite(total(map(total, rows))):
            continue
        bad = [(j, k, v) for j, row in enumerate(rows)
               for k, v in enumerate(row) if not math.isfinite(v)]
        if bad:
            j, k, v = bad[0]
            where = f"W[{i}][{j}][{k}]" if j < len(W) else f"b[{i}][{k}]"
            raise DivergenceError(
                f"train: the weights of layer {i + 1} (W[{i}], b[{i}]) "
                f"became non-finite at epoch {epoch}: {len(bad)} of them, "
                f"first {where} = {v}; the learning rate eta={eta} is "
                "probably too large, try a smaller one", history)


class _EarlyStopping:
    """The validation loss of every epoch, and the weights of the best."""

    def __init__(self, net: Network, validation: tuple | None,
                 patience: int | None, report: Loss) -> None:
        self.data: tuple[list[list[float]], list[list[float]]] | None = None
        self.best: tuple[list, list | None] | None = None
        if validation is not None:
            if not isinstance(validation, (list, tuple)) \
                    or len(validation) != 2:
                raise BackpropError(
                    "train: validation must be a pair (X_val, y_val) of "
                    f"held-out samples and targets, got {validation!r:.60}")
            self.data = _checks.samples("train", net, *validation,
                                        names="X_val y_val")
            _checks.targets("train", "y_val", self.data[1], report)
        if patience is not None:
            patience = _checks.count("train", "patience", patience)
            if validation is None:
                raise BackpropError(
                    "train: patience (early stopping) needs validation="
                    "(X_val, y_val), a held-out split to watch")
        self.patience, self.report = patience, report

    def stop(self, net: Network, epoch: int, history: History) -> bool:
        """Record this epoch's validation loss; say if it is time to stop."""
        if self.data is None:
            return False
        X, y = self.data                      # checked in __init__
        history.val_losses.append(total(
            self.report.f(net.forward(x, check=False).a[-1], t)
            for x, t in zip(X, y)) / len(X))
        best = history.best_epoch
        if best is None or history.val_losses[-1] < history.val_losses[best]:
            history.best_epoch = epoch
            self.best = ([[r[:] for r in W] for W in net.W],
                         net.b and [b[:] for b in net.b])
            return False
        return self.patience is not None and epoch - best >= self.patience

    def restore(self, net: Network) -> None:
        """End with the best epoch's weights (with a patience only)."""
        if self.patience and self.best is not None:
            net.W, net.b = self.best
