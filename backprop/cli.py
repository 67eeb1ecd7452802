"""The command line: ``python -m backprop`` and its subcommands.

With no subcommand it trains a 2-4-1 sigmoid network on XOR and shows it
learning, like seed 000: a loss line every few hundred epochs, then the
four predictions. The subcommands do the rest of the package's jobs.

==========  ===============================================================
subcommand  what it does
==========  ===============================================================
train       train a network on a data set; plot the loss, save the model
predict     run a saved model on inputs from --input or a CSV file
explain     one training step of a small network, number by number
gradcheck   compare backprop's gradient with a numerical one
compare     batch modes or optimizers from the same starting weights
selftest    run every example in the package's docstrings, plus checks
==========  ===============================================================

Bad input (an unknown name, a missing or broken model file, a learning
rate of 0) prints one line ``python -m backprop <cmd>: error: <message>``
and returns 2; ``main`` never lets a traceback reach a newcomer.

>>> main(["--epochs", "3000", "--print-every", "1000"])
Training a 2-4-1 sigmoid network on XOR (full batch, eta=1.0, seed=0)
Epoch 0, Loss: 0.2...
Epoch 1000, Loss: 0.0...
Epoch 2000, Loss: 0.0...
<BLANKLINE>
Predictions:
Input: [0, 0] -> Predicted: 0.0..., Actual: 0
Input: [0, 1] -> Predicted: 0.9..., Actual: 1
Input: [1, 0] -> Predicted: 0.9..., Actual: 1
Input: [1, 1] -> Predicted: 0.0..., Actual: 0
0
>>> main(["train", "and", "--epochs", "1000", "--print-every", "500"])
Training a 2-4-1 network on and: 4 samples, full batch, 1000 epochs
  activations sigmoid -> sigmoid, loss binary_cross_entropy, gd, eta=1.0, ...
Epoch 0, Loss: 0.8...
Epoch 500, Loss: 0.0...
<BLANKLINE>
Predictions:
Input: [0, 0] -> Predicted: 0.0..., Actual: 0
Input: [0, 1] -> Predicted: 0.0..., Actual: 0
Input: [1, 0] -> Predicted: 0.0..., Actual: 0
Input: [1, 1] -> Predicted: 0.9..., Actual: 1
0
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import textwrap
from typing import Callable, List, NamedTuple, Optional, TextIO

from . import datasets
from .errors import BackpropError, DivergenceError
from .network import Network
from .training import train

__all__ = ["main", "build_parser", "Progress"]

PROG = "python -m backprop"
_UNSET = object()       # an option not given ("--batch full" gives None)


# === Data sets ==============================================================

class Spec(NamedTuple):
    """A data set and the settings that learn it in a few seconds."""

    load: Callable
    hidden: List[int]
    activation: str
    epochs: int
    eta: float
    batch: Optional[int]        # None = full batch


def _points(f):
    """The 2-D generators at 200 points, seed 0: one fixed problem."""
    return lambda: f(200, seed=0)


DATASETS = {
    "xor": Spec(datasets.xor, [4], "sigmoid", 5000, 1.0, None),
    "and": Spec(datasets.and_, [4], "sigmoid", 5000, 1.0, None),
    "or": Spec(datasets.or_, [4], "sigmoid", 5000, 1.0, None),
    "moons": Spec(_points(datasets.two_moons), [8], "sigmoid", 200, 0.5, 10),
    "circles": Spec(_points(datasets.circles), [8], "sigmoid", 200, 0.5, 10),
    "spirals": Spec(_points(datasets.spirals), [16], "tanh", 1000, 0.3, 10),
    "wheat-seeds": Spec(datasets.wheat_seeds, [8], "sigmoid", 100, 0.5, 10),
}


class Data(NamedTuple):
    """Training and test rows; a gate has no test rows and no labels."""

    X: list
    y: list
    labels: Optional[list]
    X_test: list
    y_test: list
    labels_test: list


def _load(name: str) -> Data:
    """Return the data set: a gate whole, the others split 75/25 (seed 0),
    with 0/1 targets for two classes and one-hot targets for more."""
    if name in ("xor", "and", "or"):
        X, y = DATASETS[name].load()
        return Data(X, y, None, [], [], [])
    X, labels = DATASETS[name].load()
    X, X_test, labels, labels_test = datasets.train_test_split(
        X, labels, seed=0)
    if name == "wheat-seeds":      # features of very different scales
        X, (mean, std) = datasets.standardize(X)
        X_test, _ = datasets.standardize(X_test, mean=mean, std=std)
    k = max(labels) + 1
    if k == 2:
        def targets(ls):
            return [[float(c)] for c in ls]
    else:
        def targets(ls):
            return datasets.one_hot(ls, k)
    return Data(X, targets(labels), labels, X_test, targets(labels_test),
                labels_test)


# === Parsing ================================================================

def _batch_size(text: str) -> Optional[int]:
    """Parse --batch: 'full', 'sgd' or a mini-batch size."""
    if text == "full":
        return None
    if text == "sgd":
        return 1
    try:
        return _positive_int(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected 'full', 'sgd' or a positive batch size, got {text!r}"
        ) from None


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(
            f"expected a whole number >= 1, got {text!r}")
    return n


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        x = 0.0
    if not 0 < x < float("inf"):
        raise argparse.ArgumentTypeError(
            f"expected a positive number such as 0.5, got {text!r}")
    return x


def _int_list(text: str) -> List[int]:
    """Parse '2,4,1' into [2, 4, 1]; sizes are checked by Network."""
    try:
        return [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole numbers separated by commas, such as 2,4,1, "
            f"got {text!r}") from None


def _vector(text: str) -> List[float]:
    """Parse '0,1' into [0.0, 1.0]."""
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas, such as 0,1, got "
            f"{text!r}") from None


def _mode(batch: Optional[int]) -> str:
    return {None: "full batch", 1: "per-sample SGD"}.get(
        batch, f"mini-batches of {batch}")


_EXAMPLES = """\
examples:
  {p}
  {p} --hidden 3 --batch sgd --eta 0.5
  {p} train moons --plot loss.svg --save moons.json
  {p} predict moons.json --input 0.5,-0.2
  {p} explain --markdown
  {p} gradcheck --layers 2,5,3
  {p} compare --what batch --plot compare.svg
  {p} selftest

Each subcommand has its own --help, e.g. {p} train --help"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Wrap the description; keep the epilog's examples as written."""

    def add_text(self, text) -> None:
        if text and text is not argparse.SUPPRESS and "\n" not in text:
            text = textwrap.fill(text, 79)
        super().add_text(text)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not usage + error."""

    def error(self, message: str):
        print(f"{self.prog}: error: {message} (see {self.prog} --help)",
              file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for ``python -m backprop``.

    >>> args = build_parser().parse_args(["train", "moons", "--epochs", "5"])
    >>> args.command, args.dataset, args.epochs
    ('train', 'moons', 5)
    """
    fmt = _Formatter
    p = _Parser(
        prog=PROG, formatter_class=fmt,
        description="Train a small neural network on XOR (the four points "
        "(0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0) by backpropagation and "
        "watch the loss fall. With a subcommand, do one of the jobs below.",
        epilog=_EXAMPLES.format(p=PROG))
    _xor_options(p)
    sub = p.add_subparsers(dest="command", title="subcommands",
                           metavar="COMMAND")
    for name, add in (("train", _add_train), ("predict", _add_predict),
                      ("explain", _add_explain),
                      ("gradcheck", _add_gradcheck),
                      ("compare", _add_compare),
                      ("selftest", _add_selftest)):
        add(sub, name, fmt)
    return p


def _xor_options(p) -> None:
    """The options of plain ``python -m backprop`` (XOR, seed 000)."""
    p.add_argument("--hidden", type=_int_list, default=[4], metavar="N",
                   help="neurons in the hidden layer (default: 4); 8,4 "
                   "gives two hidden layers")
    p.add_argument("--epochs", type=_positive_int, default=5000,
                   metavar="N",
                   help="passes over the four samples (default: 5000)")
    p.add_argument("--eta", "--learning-rate", type=_positive_float,
                   default=1.0, metavar="RATE", dest="eta",
                   help="learning rate: the step size along the gradient "
                   "(default: 1.0)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for the starting weights (default: 0)")
    p.add_argument("--batch", type=_batch_size, default=None,
                   metavar="MODE", help="'full' (one step per epoch on all "
                   "four samples, the default), 'sgd' (one step per sample)"
                   " or a mini-batch size such as 2")
    p.add_argument("--print-every", type=_positive_int, default=None,
                   metavar="N",
                   help="print the loss every N epochs (default: ten lines)")


def _model_options(p, *, defaults: str) -> None:
    """Options that shape a network and its training (train, compare)."""
    p.add_argument("dataset", nargs="?", default="xor",
                   choices=list(DATASETS), metavar="DATASET",
                   help=f"one of {', '.join(DATASETS)} (default: xor)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--layers", type=_int_list, metavar="SIZES",
                      help="every layer size, inputs first, e.g. 2,4,1")
    size.add_argument("--hidden", type=_int_list, metavar="SIZES",
                      help="hidden layer sizes only, e.g. 4 or 8,4; the "
                      "data set gives the input and output sizes")
    p.add_argument("--activation", metavar="NAME", help="hidden layers' "
                   "activation: sigmoid, tanh, relu, leaky_relu, identity")
    p.add_argument("--output-activation", metavar="NAME",
                   help="output layer's activation (default: sigmoid for "
                   "one output, softmax for several)")
    p.add_argument("--loss", metavar="NAME",
                   help="mse, half_sse, binary_cross_entropy or "
                   "categorical_cross_entropy (default: the cross-entropy "
                   "that fits the output activation, else mse)")
    p.add_argument("--optimizer", default="gd", metavar="NAME",
                   help="gd, momentum, nesterov, adagrad, rmsprop or adam "
                   "(default: gd)")
    p.add_argument("--batch", type=_batch_size, default=_UNSET,
                   metavar="MODE",
                   help="full, sgd or a mini-batch size such as 10")
    p.add_argument("--epochs", type=_positive_int, metavar="N",
                   help="passes over the training samples")
    p.add_argument("--eta", "--learning-rate", type=_positive_float,
                   dest="eta", metavar="RATE", help="learning rate")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for the starting weights (default: 0)")
    p.epilog = (defaults + "\n\ndefaults per data set (hidden sizes, "
                "activation, epochs, eta, batch):\n" + "\n".join(
                    f"  {n:<12} {','.join(map(str, s.hidden)):<4} "
                    f"{s.activation:<8} {s.epochs:<5} {s.eta:<4} "
                    f"{_mode(s.batch)}" for n, s in DATASETS.items())
                + "\nmoons, circles and spirals have 200 points (seed 0);"
                "\nall but the gates are split 75/25 into training and "
                "test rows.")


def _add_train(sub, name, fmt) -> None:
    p = sub.add_parser(
        name, formatter_class=fmt, help="train a network on a data set",
        description="Train a network on a data set by backpropagation, "
        "printing the loss as it falls, then the predictions (logic gates) "
        "or the accuracy on training and test rows. On a terminal a "
        "progress line shows the current epoch.")
    _model_options(p, defaults=f"""examples:
  {PROG} train xor --hidden 3 --batch sgd --eta 0.5
  {PROG} train moons --activation tanh --plot loss.svg
  {PROG} train wheat-seeds --optimizer adam --eta 0.01 \\
      --save wheat.json""")
    p.add_argument("--print-every", type=_positive_int, metavar="N",
                   help="print the loss every N epochs (default: ten lines)")
    p.add_argument("--plot", metavar="FILE.svg",
                   help="draw the loss per epoch into an SVG file")
    p.add_argument("--save", metavar="FILE.json",
                   help="save the trained network (see 'predict')")


def _add_predict(sub, name, fmt) -> None:
    p = sub.add_parser(
        name, formatter_class=fmt, help="run a saved model on inputs",
        description="Load a network saved by 'train --save' and print its "
        "output for each input.",
        epilog=f"""examples:
  {PROG} predict xor.json --input 0,1 --input 1,1
  {PROG} predict moons.json --csv points.csv

A CSV file has one input per row, numbers only (blank lines are skipped).""")
    p.add_argument("model", metavar="MODEL.json", help="a saved network")
    p.add_argument("--input", type=_vector, action="append", default=[],
                   metavar="X", help="one input, e.g. 0,1 (repeatable)")
    p.add_argument("--csv", metavar="FILE", help="a CSV file of inputs")


def _add_explain(sub, name, fmt) -> None:
    p = sub.add_parser(
        name, formatter_class=fmt, help="one training step in full",
        description="Write out one training step of a small network, number"
        " by number: every weighted input z, activation a, the loss, the "
        "deltas with their chain-rule factors, every gradient and every "
        "updated weight. Without --weights: the 2-2-2 network of the "
        "well-known worked example (x = 0.05,0.10, y = 0.01,0.99).",
        epilog=f"""examples:
  {PROG} explain
  {PROG} explain --eta 0.1 --markdown > step.md
  {PROG} explain --weights net.json --input 1,0 --target 1

A weights file is a saved model (train --save) or a JSON object such as
  {{"W": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]], "b": [[0, 0], [0]]}}""")
    p.add_argument("--weights", metavar="FILE.json",
                   help="the network to explain (default: the 2-2-2 one)")
    p.add_argument("--input", type=_vector, metavar="X",
                   help="the input x, e.g. 0.05,0.10")
    p.add_argument("--target", type=_vector, metavar="Y",
                   help="the target y, e.g. 0.01,0.99")
    p.add_argument("--eta", "--learning-rate", type=_positive_float,
                   dest="eta", metavar="RATE",
                   help="learning rate for the update (default: 0.5)")
    p.add_argument("--loss", default="half_sse", metavar="NAME",
                   help="the loss (default: half_sse, (1/2) sum (a - y)^2)")
    p.add_argument("--markdown", action="store_true",
                   help="write Markdown with LaTeX formulas")


def _add_gradcheck(sub, name, fmt) -> None:
    p = sub.add_parser(
        name, formatter_class=fmt,
        help="check backprop against a numerical gradient",
        description="Compare the gradient backprop computes with the "
        "central difference (L(w + h) - L(w - h)) / 2h for every weight "
        "and bias, on one sample. Prints a table and PASS or FAIL; the exit"
        " status is 1 on FAIL.",
        epilog=f"""examples:
  {PROG} gradcheck
  {PROG} gradcheck --layers 3,5,2 --activation tanh --loss half_sse
  {PROG} gradcheck moons.json --input 0.5,0.1 --target 1""")
    p.add_argument("model", nargs="?", metavar="MODEL.json",
                   help="a saved network (default: a seeded random one)")
    p.add_argument("--layers", type=_int_list, default=[2, 3, 2],
                   metavar="SIZES",
                   help="layer sizes of the random network (default: 2,3,2)")
    p.add_argument("--activation", default="sigmoid", metavar="NAME",
                   help="activation of every layer (default: sigmoid)")
    p.add_argument("--output-activation", metavar="NAME",
                   help="activation of the output layer (default: as "
                   "--activation)")
    p.add_argument("--loss", default="mse", metavar="NAME",
                   help="the loss (default: mse)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for the random network and sample "
                   "(default: 0)")
    p.add_argument("--input", type=_vector, metavar="X",
                   help="the sample's input (default: random)")
    p.add_argument("--target", type=_vector, metavar="Y",
                   help="the sample's target (default: random)")
    p.add_argument("--tol", type=_positive_float, default=1e-6,
                   help="largest relative error that passes (default: "
                   "1e-6)")


def _add_compare(sub, name, fmt) -> None:
    p = sub.add_parser(
        name, formatter_class=fmt,
        help="compare batch modes or optimizers",
        description="Train copies of one network, from the same starting "
        "weights, with each batch mode (full batch, per-sample SGD, "
        "mini-batches) or each optimizer, and compare their losses.")
    _model_options(p, defaults=f"""examples:
  {PROG} compare --what batch --plot compare.svg
  {PROG} compare moons --what batch --batch-size 20 --epochs 50
  {PROG} compare --what optimizer --optimizers gd,adam --eta 0.1""")
    p.add_argument("--what", choices=["batch", "optimizer"],
                   default="batch",
                   help="what to vary (default: batch); the other setting "
                   "comes from --batch or --optimizer")
    p.add_argument("--batch-size", type=_positive_int, metavar="N",
                   help="the mini-batch size to compare (default: a "
                   "quarter of the samples, at least 2)")
    p.add_argument("--optimizers", default="gd,momentum,adam",
                   metavar="NAMES",
                   help="optimizers to compare (default: gd,momentum,adam)")
    p.add_argument("--plot", metavar="FILE.svg",
                   help="draw the loss curves into one SVG chart")


def _add_selftest(sub, name, fmt) -> None:
    sub.add_parser(
        name, formatter_class=fmt, help="check this installation",
        description="Run every >>> example in the package's docstrings "
        "with doctest, then a few end-to-end checks (XOR is learned, a "
        "gradient check passes, a model survives a save and load). Needs "
        "nothing but Python. Exit status 0 when all pass.",
        epilog=f"example:\n  {PROG} selftest")


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

    def __init__(self, epochs: int, every: Optional[int], *,
                 stream: Optional[TextIO] = None, label: str = "") -> None:
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


def _fit(net, data: Data, args, *, loss, report=None, label=""):
    """Train net as args say, reporting through a Progress line."""
    progress = Progress(args.epochs, args.print_every, label=label)
    try:
        return train(net, data.X, data.y, epochs=args.epochs, eta=args.eta,
                     batch_size=args.batch, loss=loss, report_loss=report,
                     optimizer=args.optimizer, callback=progress)
    finally:
        progress.close()


# === Subcommands ============================================================

def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line with ``argv`` (default: sys.argv[1:]).

    Returns the exit status: 0 on success, 1 when a gradient check or
    the self-test fails, 2 on bad input (after printing one line saying
    what was wrong).
    """
    args = build_parser().parse_args(argv)
    command = args.command
    prog = PROG if command is None else f"{PROG} {command}"
    try:
        return COMMANDS[command](args)
    except (BackpropError, TypeError, OSError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\n{prog}: interrupted", file=sys.stderr)
        return 130


def _xor(args) -> int:
    """Plain ``python -m backprop``: seed 000's XOR run."""
    args.optimizer, args.print_every = "gd", \
        args.print_every or max(1, args.epochs // 10)
    data = _load("xor")
    net = Network([2] + args.hidden + [1], seed=args.seed)
    shape = "-".join(map(str, net.sizes))
    print(f"Training a {shape} sigmoid network on XOR ({_mode(args.batch)}"
          f", eta={args.eta}, seed={args.seed})")
    # Seed 000's update: delta = output - y (binary cross-entropy through
    # a sigmoid), reported as the mean squared error.
    _fit(net, data, args, loss="binary_cross_entropy", report="mse")
    _print_predictions(net, data)
    return 0


def _network(args, data: Data) -> Network:
    """Return the seeded network for train and compare, with the data
    set's input and output sizes; fill in the data set's defaults for
    the options not given (args.loss, epochs, eta, batch)."""
    spec = DATASETS[args.dataset]
    n_in, n_out = len(data.X[0]), len(data.y[0])
    sizes = args.layers or [n_in] + (args.hidden or spec.hidden) + [n_out]
    if len(sizes) < 2 or sizes[0] != n_in or sizes[-1] != n_out:
        raise BackpropError(
            f"--layers must start with {n_in} (inputs) and end with "
            f"{n_out} (outputs) for {args.dataset}, got "
            f"{','.join(map(str, sizes))}")
    hidden = args.activation or spec.activation
    out = args.output_activation or ("sigmoid" if n_out == 1 else "softmax")
    args.loss = args.loss or {"sigmoid": "binary_cross_entropy",
                              "softmax": "categorical_cross_entropy"}.get(
                                  out, "mse")
    args.epochs = args.epochs or spec.epochs
    args.eta = args.eta or spec.eta
    if args.batch is _UNSET:
        args.batch = spec.batch
    return Network(sizes, [hidden] * (len(sizes) - 2) + [out],
                   seed=args.seed)


def _train(args) -> int:
    data = _load(args.dataset)
    net = _network(args, data)
    args.print_every = args.print_every or max(1, args.epochs // 10)
    print(f"Training a {'-'.join(map(str, net.sizes))} network on "
          f"{args.dataset}: {len(data.X)} samples, {_mode(args.batch)}, "
          f"{args.epochs} epochs\n  activations "
          f"{' -> '.join(net.activations)}, loss {args.loss}, "
          f"{args.optimizer}, eta={args.eta}, seed={args.seed}")
    history = _fit(net, data, args, loss=args.loss)
    if data.labels is None:
        _print_predictions(net, data)
    else:
        print()
        for name, X, labels in (("training", data.X, data.labels),
                                ("test", data.X_test, data.labels_test)):
            acc = datasets.accuracy(net.predict(X), labels)
            print(f"Accuracy on the {len(X)} {name} samples: {acc:.1%}")
    if args.plot:
        from .plot import loss_chart, save_svg
        save_svg(loss_chart({args.loss: history.losses},
                            title=f"Training loss on {args.dataset}"),
                 args.plot)
        print(f"Wrote the loss chart to {args.plot}")
    if args.save:
        from .io import save
        save(net, args.save, metadata={
            "dataset": args.dataset, "epochs": args.epochs,
            "eta": args.eta, "loss": args.loss, "seed": args.seed})
        print(f"Saved the network to {args.save}")
    return 0


def _fmt(v) -> str:
    return "[" + ", ".join(f"{x:g}" for x in v) + "]"


def _print_predictions(net, data: Data) -> None:
    print("\nPredictions:")
    for x, t, p in zip(data.X, data.y, net.predict(data.X)):
        print(f"Input: {_fmt(x)} -> Predicted: {p[0]:.4f}, Actual: {t[0]:g}")


def _predict(args) -> int:
    from .io import load
    net = load(args.model)
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


def _read_csv(path: str) -> List[List[float]]:
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


def _read_weights(path: str) -> Network:
    """Return the network in a saved model file or in a plain
    {"W": ..., "b": ..., "activation": ...} JSON object."""
    from . import io
    with open(path, "rb") as f:
        raw = f.read()
    try:
        d = json.loads(raw.decode("utf-8"))
    except ValueError:          # io.load says what is wrong with it
        return io.load(path)
    if not isinstance(d, dict) or "format" in d or "W" not in d:
        return io.load(path)
    return Network.from_weights(d["W"], d.get("b"),
                                d.get("activation", "sigmoid"))


def _explain(args) -> int:
    from . import explain as ex
    net = _read_weights(args.weights) if args.weights \
        else ex.default_network()
    x = args.input or ex.DEFAULT_X
    y = args.target or ex.DEFAULT_Y
    eta = args.eta or ex.DEFAULT_ETA
    print(ex.explain(net, x, y, eta=eta, loss=args.loss,
                     markdown=args.markdown))
    return 0


def _gradcheck(args) -> int:
    from .gradcheck import gradcheck
    rng = random.Random(args.seed)
    if args.model:
        from .io import load
        net = load(args.model)
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
        y = datasets.one_hot([rng.randrange(n_out)], n_out)[0]
    else:
        y = [rng.random() for _ in range(n_out)]
    report = gradcheck(net, x, y, loss=args.loss, tol=args.tol)
    print(f"Gradient check of a {'-'.join(map(str, net.sizes))} network "
          f"({', '.join(net.activations)}), loss {args.loss}, x = {_fmt(x)}"
          f", y = {_fmt(y)}")
    print(report)
    return 0 if report.ok else 1


def _compare(args) -> int:
    data = _load(args.dataset)
    start = _network(args, data)
    m = len(data.X)
    if args.what == "batch":
        k = args.batch_size or max(2, m // 4)
        runs = [("full batch", None, args.optimizer),
                ("per-sample SGD", 1, args.optimizer),
                (f"mini-batches of {k}", k, args.optimizer)]
    else:
        runs = [(name, args.batch, name)
                for name in args.optimizers.split(",")]
    what = "batch modes" if args.what == "batch" else "optimizers"
    print(f"Comparing {what} on {args.dataset}, from one starting "
          f"{'-'.join(map(str, start.sizes))} network (seed {args.seed})\n"
          f"  loss {args.loss}, eta={args.eta}, {args.epochs} epochs")
    args.print_every = None
    curves = {}
    for name, batch, optimizer in runs:
        net = Network.from_weights(start.W, start.b, start.activations)
        args.batch, args.optimizer = batch, optimizer
        steps = args.epochs * -(-m // (batch or m))     # ceil(m / batch)
        try:
            losses = _fit(net, data, args, loss=args.loss,
                          label=f"{name}: ").losses
            result = f"final loss {losses[-1]:.6g}  ({steps} steps)"
        except DivergenceError as exc:
            losses = exc.history.losses
            result = f"diverged after {len(losses)} epochs"
        print(f"  {name:<22} {result}")
        if losses:
            curves[name] = losses
    if args.plot:
        from .plot import loss_chart, save_svg
        save_svg(loss_chart(curves, title=f"Loss on {args.dataset}: "
                            f"{args.what} compared"), args.plot)
        print(f"Wrote the chart to {args.plot}")
    return 0


def _selftest(args) -> int:
    from .selftest import selftest
    passed, failed = selftest()
    return 1 if failed else 0


COMMANDS = {None: _xor, "train": _train, "predict": _predict,
            "explain": _explain, "gradcheck": _gradcheck,
            "compare": _compare, "selftest": _selftest}
