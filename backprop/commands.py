"""What each ``python -m backprop`` subcommand does, once its arguments
are parsed.

`backprop.cli` reads the command line into an ``argparse.Namespace`` and
calls the function for the subcommand from COMMANDS; each function prints
its report and returns the exit status. The data come from
`backprop.datasets.load`, model files from `backprop.io`, so these
functions only put the pieces together and print.

============  ==========================================================
name          what it is
============  ==========================================================
COMMANDS      subcommand name (None: plain XOR run) -> function(args)
Progress      the train callback that prints loss lines and a status line
batch_mode    "full batch", "per-sample SGD" or "mini-batches of N"
NOT_GIVEN     the default of an option whose data-set default applies
============  ==========================================================

>>> batch_mode(None), batch_mode(1), batch_mode(10)
('full batch', 'per-sample SGD', 'mini-batches of 10')
>>> sorted(name for name in COMMANDS if name)
['compare', 'explain', 'gradcheck', 'predict', 'selftest', 'train']
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from . import datasets, io, prepare
from .datasets import DataSet
from .errors import BackpropError, DivergenceError
from .network import Network
from .training import History, train

__all__ = ["COMMANDS", "Progress", "batch_mode", "NOT_GIVEN"]

NOT_GIVEN = object()
"""The default of ``--batch`` in train and compare: the data set's batch
size applies (``--batch full`` gives None, full batch)."""

_LOSS_FOR = {"sigmoid": "binary_cross_entropy",
             "softmax": "categorical_cross_entropy"}


def batch_mode(batch_size: int | None) -> str:
    """Return how a batch size trains, in words."""
    return {None: "full batch", 1: "per-sample SGD"}.get(
        batch_size, f"mini-batches of {batch_size}")


# === Progress ===============================================================

class Progress:
    """The ``callback`` for :func:`~backprop.training.train` that reports.

    Every ``every`` epochs it prints ``Epoch e, Loss: x`` (as train's
    print_every does). On a terminal (``stream.isatty()``) it also keeps
    one status line, rewritten in place with ``\\r`` about 100 times a
    run; into a file or pipe it writes nothing else, so logs stay clean.

    >>> import io
    >>> class Terminal(io.StringIO):
    ...     def isatty(self):
    ...         return True
    >>> tty = Terminal()
    >>> report = Progress(epochs=2, every=None, stream=tty)
    >>> report(0, 0.5); report(1, 0.25); report.close()
    >>> tty.getvalue()
    '\\repoch 1/2  loss 0.5000\\repoch 2/2  loss 0.2500\\r                 \\r'
    """

    def __init__(self, epochs: int, every: int | None, *,
                 stream: TextIO | None = None, label: str = "") -> None:
        self.stream = sys.stdout if stream is None else stream
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.epochs, self.every, self.label = epochs, every, label
        self.step = max(1, epochs // 100)
        self.width = 0               # length of the status line shown

    def __call__(self, epoch: int, loss: float) -> None:
        if self.every and epoch % self.every == 0:
            self.close()
            print(f"Epoch {epoch}, Loss: {loss:.4f}", file=self.stream)
        if self.live and ((epoch + 1) % self.step == 0
                          or epoch + 1 == self.epochs):
            text = f"{self.label}epoch {epoch + 1}/{self.epochs}  " \
                   f"loss {loss:.4f}"
            self.stream.write("\r" + text.ljust(self.width))
            self.stream.flush()
            self.width = len(text)

    def close(self) -> None:
        """Erase the status line, if one is shown."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def _fit(net: Network, data: DataSet, args: argparse.Namespace, *,
         loss: str, report: str | None = None, label: str = "") -> History:
    """Train net as args say, reporting through a Progress line."""
    progress = Progress(args.epochs, args.print_every, label=label)
    try:
        return train(net, data.X, data.y, epochs=args.epochs, eta=args.eta,
                     batch_size=args.batch, loss=loss, report_loss=report,
                     optimizer=args.optimizer, callback=progress)
    finally:
        progress.close()


def _network(args: argparse.Namespace, data: DataSet) -> Network:
    """Return the seeded network for train and compare, with the data
    set's input and output sizes; fill in the data set's recipe for the
    options not given (args.loss, epochs, eta, batch)."""
    recipe = data.recipe
    n_in, n_out = len(data.X[0]), len(data.y[0])
    sizes = args.layers or [n_in, *(args.hidden or recipe.hidden), n_out]
    if len(sizes) < 2 or sizes[0] != n_in or sizes[-1] != n_out:
        raise BackpropError(
            f"--layers must start with {n_in} (inputs) and end with "
            f"{n_out} (outputs) for {args.dataset}, got "
            f"{','.join(map(str, sizes))}")
    hidden = args.activation or recipe.activation
    out = args.output_activation or recipe.output
    args.loss = args.loss or _LOSS_FOR.get(out, "mse")
    args.epochs = args.epochs or recipe.epochs
    args.eta = args.eta or recipe.eta
    if args.batch is NOT_GIVEN:
        args.batch = recipe.batch_size
    return Network(sizes, [hidden] * (len(sizes) - 2) + [out],
                   seed=args.seed)


def _fmt(v: Sequence[float]) -> str:
    return "[" + ", ".join(f"{x:g}" for x in v) + "]"


def _print_predictions(net: Network, data: DataSet) -> None:
    print("\nPredictions:")
    for x, t, p in zip(data.X, data.y, net.predict(data.X)):
        print(f"Input: {_fmt(x)} -> Predicted: {p[0]:.4f}, Actual: {t[0]:g}")


# === The subcommands ========================================================

def _xor(args: argparse.Namespace) -> int:
    """Plain ``python -m backprop``: seed 000's XOR run."""
    args.optimizer, args.print_every = "gd", \
        args.print_every or max(1, args.epochs // 10)
    data = datasets.load("xor")
    net = Network([2, *args.hidden, 1], seed=args.seed)
    shape = "-".join(map(str, net.sizes))
    print(f"Training a {shape} sigmoid network on XOR "
          f"({batch_mode(args.batch)}, eta={args.eta}, seed={args.seed})")
    # Seed 000's update: delta = output - y (binary cross-entropy through
    # a sigmoid), reported as the mean squared error.
    _fit(net, data, args, loss="binary_cross_entropy", report="mse")
    _print_predictions(net, data)
    return 0


def _train(args: argparse.Namespace) -> int:
    data = datasets.load(args.dataset)
    net = _network(args, data)
    args.print_every = args.print_every or max(1, args.epochs // 10)
    print(f"Training a {'-'.join(map(str, net.sizes))} network on "
          f"{args.dataset}: {len(data.X)} samples, {batch_mode(args.batch)}"
          f", {args.epochs} epochs\n  activations "
          f"{' -> '.join(net.activations)}, loss {args.loss}, "
          f"{args.optimizer}, eta={args.eta}, seed={args.seed}")
    history = _fit(net, data, args, loss=args.loss)
    if data.labels is None:
        _print_predictions(net, data)
    else:
        print()
        for name, X, labels in (("training", data.X, data.labels),
                                ("test", data.X_test, data.labels_test)):
            acc = prepare.accuracy(net.predict(X), labels)
            print(f"Accuracy on the {len(X)} {name} samples: {acc:.1%}")
    if args.plot:
        _plot({args.loss: history.losses}, args.plot,
              f"Training loss on {args.dataset}")
        print(f"Wrote the loss chart to {args.plot}")
    if args.save:
        io.save(net, args.save, metadata={
            "dataset": args.dataset, "epochs": args.epochs,
            "eta": args.eta, "loss": args.loss, "seed": args.seed})
        print(f"Saved the network to {args.save}")
    return 0


def _plot(curves: dict[str, Sequence[float]], path: str, title: str
          ) -> None:
    from .plot import loss_chart, save_svg  # only when asked for
    save_svg(loss_chart(curves, title=title), path)


def _predict(args: argparse.Namespace) -> int:
    net = io.load(args.model)
    X = list(args.input)
    if args.csv:
        X += _read_csv(args.csv)
    if not X:
        raise BackpropError("give inputs with --input 0,1 or --csv FILE")
    for i, x in enumerate(X):
        if len(x) != net.sizes[0]:
            raise BackpropError(
                f"input {i + 1} {_fmt(x)} has {len(x)} values but the "
                f"network has {net.sizes[0]} inputs")
    for x, a in zip(X, net.predict(X)):
        print(f"Input: {_fmt(x)} -> Output: "
              f"[{', '.join(f'{v:.4f}' for v in a)}]")
    return 0


def _read_csv(path: str) -> list[list[float]]:
    """Return the rows of a CSV file of numbers, naming a bad line."""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            if not any(v.strip() for v in row):
                continue
            try:
                rows.append([float(v) for v in row])
            except ValueError:
                raise BackpropError(
                    f"{path}, line {len(rows) + 1}: expected numbers "
                    f"separated by commas, got {','.join(row)!r:.60}"
                ) from None
    return rows


def _explain(args: argparse.Namespace) -> int:
    from . import explain as ex
    net = io.load_weights(args.weights) if args.weights \
        else ex.default_network()
    x = args.input or ex.DEFAULT_X
    y = args.target or ex.DEFAULT_Y
    eta = args.eta or ex.DEFAULT_ETA
    print(ex.explain(net, x, y, eta=eta, loss=args.loss,
                     markdown=args.markdown))
    return 0


def _gradcheck(args: argparse.Namespace) -> int:
    from .gradcheck import gradcheck
    rng = random.Random(args.seed)
    if args.model:
        net = io.load(args.model)
    else:
        acts = [args.activation] * (len(args.layers) - 2) + [
            args.output_activation or args.activation]
        net = Network(args.layers, acts, seed=args.seed)
    n_in, n_out = net.sizes[0], net.sizes[-1]
    x = args.input or [rng.uniform(-1, 1) for _ in range(n_in)]
    if args.target:
        y = args.target
    elif net.activations[-1] == "softmax" or n_out > 1 and \
            args.loss == "categorical_cross_entropy":
        y = prepare.one_hot([rng.randrange(n_out)], n_out)[0]
    else:
        y = [rng.random() for _ in range(n_out)]
    report = gradcheck(net, x, y, loss=args.loss, tol=args.tol)
    print(f"Gradient check of a {'-'.join(map(str, net.sizes))} network "
          f"({', '.join(net.activations)}), loss {args.loss}, x = {_fmt(x)}"
          f", y = {_fmt(y)}")
    print(report)
    return 0 if report.ok else 1


def _compare(args: argparse.Namespace) -> int:
    data = datasets.load(args.dataset)
    start = _network(args, data)
    m = len(data.X)
    what = "batch modes" if args.what == "batch" else "optimizers"
    print(f"Comparing {what} on {args.dataset}, from one starting "
          f"{'-'.join(map(str, start.sizes))} network (seed {args.seed})\n"
          f"  loss {args.loss}, eta={args.eta}, {args.epochs} epochs")
    args.print_every = None
    curves: dict[str, Sequence[float]] = {}
    for name, batch, optimizer in _runs(args, m):
        net = Network.from_weights(start.W, start.b, start.activations)
        args.batch, args.optimizer = batch, optimizer
        steps = args.epochs * -(-m // (batch or m))     # ceil(m / batch)
        try:
            losses = _fit(net, data, args, loss=args.loss,
                          label=f"{name}: ").losses
            result = f"final loss {losses[-1]:.6g}  ({steps} steps)"
        except DivergenceError as exc:
            h = exc.history
            losses = h.losses if isinstance(h, History) else []
            result = f"diverged after {len(losses)} epochs"
        print(f"  {name:<22} {result}")
        if losses:
            curves[name] = losses
    if args.plot:
        _plot(curves, args.plot,
              f"Loss on {args.dataset}: {args.what} compared")
        print(f"Wrote the chart to {args.plot}")
    return 0


def _runs(args: argparse.Namespace, m: int
          ) -> list[tuple[str, int | None, str]]:
    """Return the (name, batch size, optimizer) of each run to compare."""
    if args.what == "batch":
        k = args.batch_size or max(2, m // 4)
        return [("full batch", None, args.optimizer),
                ("per-sample SGD", 1, args.optimizer),
                (f"mini-batches of {k}", k, args.optimizer)]
    return [(name, args.batch, name) for name in args.optimizers.split(",")]


def _selftest(args: argparse.Namespace) -> int:
    from .selftest import selftest
    passed, failed = selftest()
    return 1 if failed else 0


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: _xor, "train": _train, "predict": _predict, "explain": _explain,
    "gradcheck": _gradcheck, "compare": _compare, "selftest": _selftest}
"""The function that runs each subcommand (None: no subcommand)."""
