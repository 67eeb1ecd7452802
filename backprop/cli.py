"""The command line: ``python -m backprop`` and its subcommands.

With no arguments it trains a 2-4-1 sigmoid network on XOR and shows it
learning, like seed 000: a loss line every few hundred epochs, then the
four predictions.

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
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from .errors import BackpropError
from .network import Network
from .training import train

__all__ = ["main"]

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [[0], [1], [1], [0]]


def _batch_size(text: str) -> Optional[int]:
    """Parse --batch: 'full', 'sgd' or a mini-batch size."""
    if text == "full":
        return None
    if text == "sgd":
        return 1
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(
            f"expected 'full', 'sgd' or a positive batch size, got {text!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for ``python -m backprop``."""
    p = argparse.ArgumentParser(
        prog="python -m backprop",
        description="Train a small neural network on XOR (the four points "
        "(0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0) by backpropagation and "
        "watch the loss fall.",
        epilog="Example: python -m backprop --hidden 3 --batch sgd "
        "--eta 0.5 --epochs 2000")
    p.add_argument("--hidden", type=int, default=4, metavar="N",
                   help="neurons in the hidden layer (default: 4)")
    p.add_argument("--epochs", type=int, default=5000, metavar="N",
                   help="passes over the four samples (default: 5000)")
    p.add_argument("--eta", "--learning-rate", type=float, default=1.0,
                   metavar="RATE", dest="eta",
                   help="learning rate: the step size along the gradient "
                   "(default: 1.0)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for the starting weights (default: 0)")
    p.add_argument("--batch", type=_batch_size, default=None,
                   metavar="MODE", help="'full' (one step per epoch on all "
                   "four samples, the default), 'sgd' (one step per sample)"
                   " or a mini-batch size such as 2")
    p.add_argument("--print-every", type=int, default=None, metavar="N",
                   help="print the loss every N epochs (default: ten lines)")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line with ``argv`` (default: sys.argv[1:]).

    Returns the exit status: 0 on success, 2 on bad input (after printing
    one line saying what was wrong).
    """
    args = build_parser().parse_args(argv)
    try:
        return _train_xor(args)
    except (BackpropError, TypeError) as exc:
        print(f"python -m backprop: error: {exc}", file=sys.stderr)
        return 2


def _train_xor(args) -> int:
    net = Network([2, args.hidden, 1], seed=args.seed)
    mode = {None: "full batch", 1: "per-sample SGD"}.get(
        args.batch, f"mini-batches of {args.batch}")
    print(f"Training a 2-{args.hidden}-1 sigmoid network on XOR ({mode}, "
          f"eta={args.eta}, seed={args.seed})")
    every = args.print_every or max(1, args.epochs // 10)
    # Seed 000's update: delta = output - y (binary cross-entropy through
    # a sigmoid), reported as the mean squared error.
    train(net, XOR_X, XOR_Y, epochs=args.epochs, eta=args.eta,
          batch_size=args.batch, loss="binary_cross_entropy",
          report_loss="mse", print_every=every)
    print("\nPredictions:")
    for x, t, p in zip(XOR_X, XOR_Y, net.predict(XOR_X)):
        print(f"Input: {x} -> Predicted: {p[0]:.4f}, Actual: {t[0]}")
    return 0
