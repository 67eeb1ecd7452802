"""The command line: ``python -m backprop`` and its subcommands.

With no subcommand it trains a 2-4-1 sigmoid network on XOR and shows it
learning, like seed 000: a loss line every few hundred epochs, then the
four predictions. The subcommands do the rest of the package's jobs.
This module reads the command line; `backprop.commands` does the work,
with the data sets of `backprop.datasets.load` and the model files of
`backprop.io`. ``--version`` prints ``backprop <version>``.

==========  ===============================================================
subcommand  what it does
==========  ===============================================================
train       train a network on a data set; plot the loss, save the model
predict     run a saved model on inputs from --input or a CSV file
explain     one training step of a small network, number by number
gradcheck   compare backprop's gradient with a numerical one
compare     batch modes or optimizers from the same starting weights
selftest    run every example in the package's docstrings, plus checks
doctest     run the >>> examples of docs pages (Markdown) and modules
==========  ===============================================================

Bad input (an unknown name, a missing or broken model file, a learning
rate of 0) prints one line ``python -m backprop <cmd>: error: <message>``
and returns 2, before any work or output where it can be known then;
Ctrl-C returns 130 with one line, and a closed pipe is no error (see
`backprop.shell`). ``main`` never lets a traceback reach a newcomer; only
a bug in backprop itself shows one.

>>> main(["--epochs", "3000", "--print-every", "1000"])
Training a 2-4-1 sigmoid network on XOR (full batch, eta=1.0, seed=0)
  stepping along the binary cross-entropy gradient; the loss shown is \
the mean squared error
Epoch 1, Loss: 0.2...
Epoch 1000, Loss: 0.0004...
Epoch 2000, Loss: ...e-05
Epoch 3000, Loss: ...e-05
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
Epoch 1, Loss: 0.8...
Epoch 500, Loss: 0.0...
Epoch 1000, Loss: 0.0...
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
import difflib
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, NoReturn

from . import __version__, options, shell
from .commands import COMMANDS, NOT_GIVEN, batch_mode
from .datasets import RECIPES

__all__ = ["main", "build_parser"]

PROG = "python -m backprop"


# === Parsing ================================================================

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
  {p} doctest docs/tutorial/01-neuron.md

Each subcommand has its own --help, e.g. {p} train --help"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Wrap the description; keep the epilog's examples as written."""

    def add_text(self, text: str | None) -> None:
        if text and text is not argparse.SUPPRESS and "\n" not in text:
            text = textwrap.fill(text, 79)
        super().add_text(text)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, not usage + error,
    and that sends an unknown option to its subcommand's --help."""

    subcommands: dict[str, argparse.ArgumentParser]

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            command = getattr(parsed, "command", None)
            sub = getattr(self, "subcommands", {}).get(command, self)
            options = [o for a in sub._actions for o in a.option_strings]
            close = difflib.get_close_matches(extra[0], options, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            sub.error(f"unrecognized arguments: {' '.join(extra)}{hint}")
        return parsed

    def error(self, message: str) -> NoReturn:
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
    p.subcommands = {}
    p.add_argument("--version", action="version",
                   version=f"backprop {__version__}",
                   help="print the version of backprop and exit")
    _xor_options(p)
    sub = p.add_subparsers(dest="command", title="subcommands",
                           metavar="COMMAND")
    for name, add in (("train", _add_train), ("predict", _add_predict),
                      ("explain", _add_explain),
                      ("gradcheck", _add_gradcheck),
                      ("compare", _add_compare),
                      ("selftest", _add_selftest),
                      ("doctest", _add_doctest)):
        p.subcommands[name] = add(sub, name, fmt)
    return p


def _xor_options(p: argparse.ArgumentParser) -> None:
    """The options of plain ``python -m backprop`` (XOR, seed 000)."""
    p.add_argument("--hidden", type=options.int_list, default=[4], metavar="N",
                   help="neurons in the hidden layer (default: 4); 8,4 "
                   "gives two hidden layers")
    p.add_argument("--epochs", type=options.positive_int, default=5000,
                   metavar="N",
                   help="passes over the four samples (default: 5000)")
    p.add_argument("--eta", "--learning-rate", type=options.positive_float,
                   default=1.0, metavar="RATE", dest="eta",
                   help="learning rate: the step size along the gradient "
                   "(default: 1.0)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for the starting weights (default: 0)")
    p.add_argument("--batch", type=options.batch_size, default=None,
                   metavar="MODE", help="'full' (one step per epoch on all "
                   "four samples, the default), 'sgd' (one step per sample)"
                   " or a mini-batch size such as 2")
    p.add_argument("--print-every", type=options.positive_int, default=None,
                   metavar="N",
                   help="print the loss every N epochs (default: ten lines)")


def _model_options(p: argparse.ArgumentParser, *, defaults: str) -> None:
    """Options that shape a network and its training (train, compare)."""
    p.add_argument("dataset", nargs="?", type=options.dataset,
                   metavar="DATASET",
                   help=f"one of {', '.join(RECIPES)} (default: xor)")
    p.add_argument("--csv", metavar="FILE", help="train on a CSV file "
                   "instead: feature columns and a label column, with or "
                   "without a header row; - reads standard input")
    p.add_argument("--label", metavar="COLUMN", help="the label column of "
                   "--csv: a number from 1 or a header name (default: the "
                   "last column)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--layers", type=options.int_list, metavar="SIZES",
                      help="every layer size, inputs first, e.g. 2,4,1")
    size.add_argument("--hidden", type=options.int_list, metavar="SIZES",
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
    p.add_argument("--batch", type=options.batch_size, default=NOT_GIVEN,
                   metavar="MODE",
                   help="full, sgd or a mini-batch size such as 10")
    p.add_argument("--epochs", type=options.positive_int, metavar="N",
                   help="passes over the training samples")
    p.add_argument("--eta", "--learning-rate", type=options.positive_float,
                   dest="eta", metavar="RATE", help="learning rate")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for the starting weights (default: 0)")
    p.epilog = defaults + "\n\n" + _recipe_table()


def _recipe_table() -> str:
    """Return the data sets' defaults, from datasets.RECIPES."""
    rows = [f"  {n:<12} {','.join(map(str, r.hidden)):<4} "
            f"{r.activation:<8} {r.epochs:<5} {r.eta:<4} "
            f"{batch_mode(r.batch_size)}" for n, r in RECIPES.items()]
    return ("defaults per data set (hidden sizes, activation, epochs, eta, "
            "batch):\n" + "\n".join(rows)
            + "\nmoons, circles and spirals have 200 points (seed 0);"
            "\nall but the gates are split 75/25 into training and "
            "test rows.")


def _add_train(sub: Any, name: str, fmt: type) -> Any:
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
    p.add_argument("--print-every", type=options.positive_int, metavar="N",
                   help="print the loss every N epochs (default: ten lines)")
    p.add_argument("--plot", metavar="FILE.svg",
                   help="draw the loss per epoch into an SVG file")
    p.add_argument("--save", metavar="FILE.json",
                   help="save the trained network, with the data's "
                   "standardization (see 'predict'); both files are "
                   "checked before training starts")
    return p


def _add_predict(sub: Any, name: str, fmt: type) -> Any:
    p = sub.add_parser(
        name, formatter_class=fmt, help="run a saved model on inputs",
        description="Load a network saved by 'train --save' and print its "
        "output for each input.",
        epilog=f"""examples:
  {PROG} predict xor.json --input 0,1 --input 1,1
  {PROG} predict moons.json --csv points.csv

A CSV file has one input per row, numbers only (blank lines are skipped);
- reads standard input. A model saved from standardized data (wheat-seeds,
train --csv) standardizes the inputs as training did.""")
    p.add_argument("model", metavar="MODEL.json", help="a saved network")
    p.add_argument("--input", type=options.vector, action="append", default=[],
                   metavar="X", help="one input, e.g. 0,1 (repeatable)")
    p.add_argument("--csv", metavar="FILE", help="a CSV file of inputs")
    return p


def _add_explain(sub: Any, name: str, fmt: type) -> Any:
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
    p.add_argument("--input", type=options.vector, metavar="X",
                   help="the input x, e.g. 0.05,0.10")
    p.add_argument("--target", type=options.vector, metavar="Y",
                   help="the target y, e.g. 0.01,0.99")
    p.add_argument("--eta", "--learning-rate", type=options.positive_float,
                   dest="eta", metavar="RATE",
                   help="learning rate for the update (default: 0.5)")
    p.add_argument("--loss", default="half_sse", metavar="NAME",
                   help="the loss (default: half_sse, (1/2) sum (a - y)^2)")
    p.add_argument("--markdown", action="store_true",
                   help="write Markdown with LaTeX formulas")
    p.add_argument("--force", action="store_true",
                   help="explain a network of more than 2,000 weights and "
                   "biases, whose step runs to megabytes of text")
    return p


def _add_gradcheck(sub: Any, name: str, fmt: type) -> Any:
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
    p.add_argument("--layers", type=options.int_list, default=[2, 3, 2],
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
    p.add_argument("--input", type=options.vector, metavar="X",
                   help="the sample's input (default: random)")
    p.add_argument("--target", type=options.vector, metavar="Y",
                   help="the sample's target (default: random)")
    p.add_argument("--tol", type=options.positive_float, default=1e-6,
                   help="largest relative error that passes (default: "
                   "1e-6)")
    return p


def _add_compare(sub: Any, name: str, fmt: type) -> Any:
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
    p.add_argument("--batch-size", type=options.positive_int, metavar="N",
                   help="the mini-batch size to compare (default: a "
                   "quarter of the samples, at least 2)")
    p.add_argument("--optimizers", default="gd,momentum,adam",
                   metavar="NAMES",
                   help="optimizers to compare (default: gd,momentum,adam)")
    p.add_argument("--plot", metavar="FILE.svg",
                   help="draw the loss curves into one SVG chart")
    return p


def _add_selftest(sub: Any, name: str, fmt: type) -> Any:
    return sub.add_parser(
        name, formatter_class=fmt, help="check this installation",
        description="Run every >>> example in the package's docstrings "
        "with doctest, then a few end-to-end checks (XOR is learned, a "
        "gradient check passes, a model survives a save and load). Needs "
        "nothing but Python. Exit status 0 when all pass.",
        epilog=f"example:\n  {PROG} selftest")


def _add_doctest(sub: Any, name: str, fmt: type) -> Any:
    p = sub.add_parser(
        name, formatter_class=fmt, help="check the examples of docs pages",
        description="Run the >>> examples of Markdown pages (fenced pycon "
        "blocks and bare >>> paragraphs, one namespace per page, each page "
        "in a temporary folder) and of modules, with doctest's ELLIPSIS and"
        " NORMALIZE_WHITESPACE options, as the tests do. Needs nothing but "
        "Python. Exit status 0 when all pass, 1 when one fails.",
        epilog=f"""examples:
  {PROG} doctest docs/tutorial/01-neuron.md
  {PROG} doctest docs README.md
  {PROG} doctest backprop.matrix backprop/losses.py

A folder means every .md page in it and below; a page that imports a
module that is not installed (such as numpy) is skipped and counted.""")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a Markdown page, a folder of pages, a .py file or "
                   "a module name such as backprop.matrix")
    return p


# === Running =================================================================

def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: sys.argv[1:]).

    Returns the exit status: 0 on success, 1 when a gradient check, the
    self-test or a doctest fails, 2 on bad input (after printing one line
    saying what was wrong), 130 after Ctrl-C. A closed standard output (``|
    head``) ends the run quietly with status 0.
    """
    try:
        shell.safe_output()
        args = build_parser().parse_args(argv)
    except KeyboardInterrupt:
        return shell.interrupted(PROG)
    command = args.command
    prog = PROG if command is None else f"{PROG} {command}"
    return shell.run(prog, COMMANDS[command], args)
