"""The exceptions that backprop raises.

Every error the package raises on bad input is a :class:`BackpropError`
(a :class:`ValueError`) or a plain :class:`TypeError`, and its message
starts with the function that refused the input, then says what was
expected and what was given.

=================  =====================================================
exception          raised when
=================  =====================================================
BackpropError      a value is out of range, unknown or inconsistent
ShapeError         two operands' shapes do not fit together
DivergenceError    training produced a NaN or infinite loss
ModelFileError     a saved network cannot be read (names file and field)
=================  =====================================================

>>> from backprop.matrix import dot
>>> dot([1.0, 2.0], [3.0])
Traceback (most recent call last):
  ...
backprop.errors.ShapeError: dot requires vectors of equal length, ...
>>> issubclass(ShapeError, ValueError)
True
"""

from __future__ import annotations

__all__ = ["BackpropError", "ShapeError", "DivergenceError",
           "ModelFileError"]


class BackpropError(ValueError):
    """Bad input to a backprop function: the message says which and why."""


class ShapeError(BackpropError):
    """Operands whose shapes do not fit, e.g. ``matmul`` of 2x3 and 2x2."""


class DivergenceError(BackpropError):
    """Training produced a NaN or infinite loss.

    ``history`` keeps the per-epoch losses recorded before it happened.
    """

    def __init__(self, message: str, history: object = None) -> None:
        super().__init__(message)
        self.history = history


class ModelFileError(BackpropError):
    """A saved network that cannot be read: the message names the file, the
    field (e.g. ``W[1][0][2]``), what was expected and what was found."""
