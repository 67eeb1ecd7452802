"""The types of ``python -m backprop``'s options: text to a checked value.

`backprop.cli` gives each of these to argparse as an option's ``type``;
each returns the value, or raises ``argparse.ArgumentTypeError`` with a
message that says what was expected and what came, which argparse prints
as one line (``argument --eta: expected a positive number ...``) before
anything else is done.

==============  ==========================================================
function        what it reads
==============  ==========================================================
batch_size      --batch: 'full' (None), 'sgd' (1) or a mini-batch size
positive_int    --epochs, --print-every: a whole number >= 1
positive_float  --eta, --tol: a positive finite number
int_list        --layers, --hidden: sizes such as 2,4,1
vector          --input, --target: numbers such as 0,1
dataset         DATASET: a name from RECIPES (a file: "use --csv")
==============  ==========================================================

>>> batch_size("full"), batch_size("sgd"), batch_size("10")
(None, 1, 10)
>>> int_list("2,4,1"), vector("0.5,-1")
([2, 4, 1], [0.5, -1.0])
>>> dataset("moon")
Traceback (most recent call last):
  ...
argparse.ArgumentTypeError: invalid choice 'moon' (did you mean 'moons'?); \
expected one of xor, and, or, moons, circles, spirals, wheat-seeds, or \
--csv FILE
"""

from __future__ import annotations

import argparse
import difflib
import os

from .datasets import RECIPES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar
    T = TypeVar("T")

__all__ = ["batch_size", "positive_int", "positive_float", "int_list",
           "vector", "dataset"]


def batch_size(text: str) -> int | None:
    """Parse --batch: 'full', 'sgd' or a mini-batch size."""
    if text == "full":
        return None
    if text == "sgd":
        return 1
    try:
        return positive_int(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected 'full', 'sgd' or a positive batch size, got {text!r}"
        ) from None


def positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(
            f"expected a whole number >= 1, got {text!r}")
    return n


def positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        x = 0.0
    if not 0 < x < float("inf"):
        raise argparse.ArgumentTypeError(
            f"expected a positive number such as 0.5, got {text!r}")
    return x


def _numbers(text: str, convert: Callable[[str], T], what: str,
             example: str) -> list[T]:
    """Parse comma-separated values with ``convert``, or say what was
    expected."""
    try:
        return [convert(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected {what} separated by commas, such as {example}, "
            f"got {text!r}") from None


def int_list(text: str) -> list[int]:
    """Parse '2,4,1' into [2, 4, 1]; sizes are checked by Network."""
    return _numbers(text, int, "whole numbers", "2,4,1")


def dataset(text: str) -> str:
    """Parse DATASET: a name from RECIPES; a file says to use --csv."""
    if text in RECIPES:
        return text
    if text.lower().endswith(".csv") or os.path.isfile(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is a file, not a data set name; to train on a CSV "
            f"file give --csv {text}")
    close = difflib.get_close_matches(text, list(RECIPES), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise argparse.ArgumentTypeError(
        f"invalid choice {text!r}{hint}; expected one of "
        f"{', '.join(RECIPES)}, or --csv FILE")


def vector(text: str) -> list[float]:
    """Parse '0,1' into [0.0, 1.0]."""
    return _numbers(text, float, "numbers", "0,1")
