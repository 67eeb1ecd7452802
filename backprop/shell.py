"""Where the command line meets the shell: errors, signals, pipes, files.

`backprop.cli` runs every subcommand through :func:`run`, which keeps the
command line's promise that bad input never shows a traceback: a
validation error of the package (a :class:`BackpropError`, or a
``TypeError`` raised by one of backprop's checks, whose message starts
with the function's name) and an ``OSError`` become one line on stderr
and exit status 2; Ctrl-C is exit status 130 with one line; a closed pipe
(``python -m backprop | head -1``) is not an error at all. A genuine bug
(any other exception) still shows its traceback, so it can be reported.

================  ====================================================
name              what it is
================  ====================================================
run               call a subcommand; turn its failure into exit status
message           one sentence for a user error (an OSError made plain)
is_user_error     True for the package's own validation errors
safe_output       make stdout and stderr print what they cannot encode
check_output      refuse an output path before any work is done
Progress          the train callback: loss lines and a status line
ASCII             the spellings used where a terminal has no Greek
================  ====================================================

>>> message(FileNotFoundError(2, "No such file or directory", "m.json"))
'm.json: No such file or directory'
>>> is_user_error(BackpropError("train: eta must be positive")), \\
...     is_user_error(TypeError("unsupported operand type(s)"))
(True, False)
>>> "η = 0.5 ← ∂L/∂W".encode("cp1252", errors="backprop.ascii")
b'eta = 0.5 <- dL/dW'
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Callable
from typing import Any, TextIO

from . import io
from .errors import BackpropError

__all__ = ["run", "message", "is_user_error", "safe_output",
           "check_output", "ASCII", "Progress"]

ASCII = {"η": "eta", "δ": "delta", "σ": "sigma", "Σ": "sum", "∂": "d",
         "←": "<-", "→": "->", "×": "x", "·": "*", "½": "1/2", "²": "^2",
         "−": "-", "≤": "<=", "≥": ">=", "…": "..."}
"""How a character a stream cannot encode is written instead."""

PACKAGE = os.path.dirname(os.path.abspath(__file__))
_CHECK_MESSAGE = re.compile(r"[A-Za-z_][\w.]*(\(\))?: ")


def _ascii(exc: UnicodeError) -> tuple[str, int]:
    """The ``backprop.ascii`` codec error handler: ASCII spellings."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(ASCII.get(c, "?") for c in bad), exc.end


codecs.register_error("backprop.ascii", _ascii)


# === Errors =================================================================

def is_user_error(exc: BaseException) -> bool:
    """Return True for an error that is the user's input, not a bug: a
    BackpropError, or a TypeError raised inside backprop whose message
    starts with the function's name (``train: eta must be a number``)."""
    if isinstance(exc, BackpropError):
        return True
    if not isinstance(exc, TypeError) or exc.__traceback__ is None:
        return False
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    where = os.path.dirname(os.path.abspath(tb.tb_frame.f_code.co_filename))
    return where == PACKAGE and bool(_CHECK_MESSAGE.match(str(exc)))


def message(exc: BaseException) -> str:
    """Return the one line that tells a user what went wrong."""
    if isinstance(exc, OSError) and exc.strerror:
        name = exc.filename if exc.filename is not None else ""
        return f"{name}: {exc.strerror}" if name != "" else exc.strerror
    if isinstance(exc, MemoryError):
        return ("out of memory: the network or the data is too large "
                "for this computer")
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit after
    a closed pipe raises nothing (the recipe of Python's signal docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file
        pass


def run(prog: str, command: Callable[[Any], int], args: Any) -> int:
    """Return command(args)'s exit status; for a user error print one
    line ``prog: error: ...`` on stderr and return 2; for Ctrl-C print
    one line and return 130; for a closed stdout return 0 quietly."""
    try:
        status = command(args)
        sys.stdout.flush()          # a closed pipe shows here, if at all
        return status
    except (BackpropError, TypeError, OSError, MemoryError) as exc:
        if isinstance(exc, BrokenPipeError):
            _quiet_stdout()
            return 0
        if isinstance(exc, TypeError) and not is_user_error(exc):
            raise
        print(f"{prog}: error: {message(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return interrupted(prog)


def interrupted(prog: str) -> int:
    """Say that Ctrl-C stopped prog, in one line; return 130."""
    start = "\n" if getattr(sys.stderr, "isatty", lambda: False)() else ""
    print(f"{start}{prog}: interrupted", file=sys.stderr)
    return 130


# === Progress on a terminal ================================================

class Progress:
    """The ``callback`` for :func:`~backprop.training.train` that reports.

    Epochs are counted from 1, as a person counts them: after the first
    epoch, every ``every`` epochs and after the last, it prints ``Epoch
    e, Loss: x`` with four significant digits (``0.0001234``, never a
    rounded ``0.0000``). On a terminal (``stream.isatty()``) it also
    keeps one status line, rewritten in place with ``\\r`` about 100
    times a run; into a file or pipe it writes nothing else, so logs stay
    clean.

    >>> import io
    >>> class Terminal(io.StringIO):
    ...     def isatty(self):
    ...         return True
    >>> tty = Terminal()
    >>> report = Progress(epochs=2, every=None, stream=tty)
    >>> report(0, 0.5); report(1, 0.25); report.close()
    >>> tty.getvalue()
    '\\repoch 1/2  loss 0.5\\repoch 2/2  loss 0.25\\r                 \\r'
    >>> report = Progress(epochs=5, every=2, stream=io.StringIO())
    >>> for epoch in range(5):
    ...     report(epoch, 10.0 ** -epoch)
    >>> print(report.stream.getvalue(), end="")
    Epoch 1, Loss: 1
    Epoch 2, Loss: 0.1
    Epoch 4, Loss: 0.001
    Epoch 5, Loss: 0.0001
    """

    def __init__(self, epochs: int, every: int | None, *,
                 stream: TextIO | None = None, label: str = "") -> None:
        self.stream = sys.stdout if stream is None else stream
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.epochs, self.every, self.label = epochs, every, label
        self.step = max(1, epochs // 100)
        self.width = 0               # length of the status line shown

    def __call__(self, epoch: int, loss: float) -> None:
        done = epoch + 1             # epochs finished, counted from 1
        if self.every and (done == 1 or done % self.every == 0
                           or done == self.epochs):
            self.close()
            print(f"Epoch {done}, Loss: {loss:.4g}", file=self.stream)
        if self.live and (done % self.step == 0 or done == self.epochs):
            text = f"{self.label}epoch {done}/{self.epochs}  " \
                   f"loss {loss:.4g}"
            self.stream.write("\r" + text.ljust(self.width))
            self.stream.flush()
            self.width = len(text)

    def close(self) -> None:
        """Erase the status line, if one is shown."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


# === Output =================================================================

def _can_encode(stream: TextIO) -> bool:
    try:
        "".join(ASCII).encode(stream.encoding or "ascii")
    except (UnicodeError, LookupError):
        return False
    return True


def safe_output() -> None:
    """Let stdout and stderr write every character: where their encoding
    lacks one (cp1252 has no η), write the ASCII spelling in ASCII."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _can_encode(stream):
            try:
                reconfigure(errors="backprop.ascii")
            except (ValueError, OSError):      # closed, or not a wrapper
                pass


def _writable(option: str, path: str) -> None:
    """Refuse a path that io.save cannot write, naming the option."""
    try:
        io.check_writable(path)
    except OSError as exc:
        raise BackpropError(f"{option}: {message(exc)}") from None


def check_output(option: str, path: str | None, suffix: str, what: str
                 ) -> None:
    """Refuse an output file before training: empty, a wrong extension
    (``what`` says what is written, e.g. "an SVG chart"), or a place that
    cannot be written."""
    if path is None:
        return
    if not path.strip():
        raise BackpropError(f"{option} needs a file name, got {path!r}")
    if not path.lower().endswith(suffix):
        raise BackpropError(f"{option} writes {what}, so the file name "
                            f"must end in {suffix}, got {path!r}")
    _writable(option, path)
