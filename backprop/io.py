"""Save a trained network to a JSON file and load it back, exactly.

A network is its layer sizes, one activation name per layer, the weights W
and the biases b. ``save`` writes them as JSON, which a person can read and
any language can parse; ``load`` reads them back, checks every field and
rebuilds the :class:`~backprop.network.Network`. Every float is written as
its ``repr``, the shortest text that reads back as the same float, so a
loaded network is bit-for-bit the saved one and predicts the same outputs.
The write is atomic: a crash mid-save leaves the old file as it was.

============  =======================================================
function      description
============  =======================================================
save          write a network (and optional metadata) to a JSON file
load          read a network back, checking every field
load_weights  read a saved network or a bare {"W": ..., "b": ...} file
to_dict       the network as the JSON-ready dict that save writes
from_dict     the network from such a dict, checking every field
write_atomic  write text to a file atomically (save and plot use it)
============  =======================================================

>>> import os, tempfile
>>> net = Network.from_weights([[[0.1, -0.2]]], [[0.3]], "identity")
>>> with tempfile.TemporaryDirectory() as folder:
...     path = os.path.join(folder, "net.json")
...     save(net, path, metadata={"epochs": 100})
...     net2 = load(path)
>>> net2.W == net.W, net2.b == net.b, net2.activations
(True, True, ['identity'])
>>> to_dict(net)["sizes"]
[2, 1]
"""

from __future__ import annotations

import json
import math
import os
from numbers import Real
from typing import Any

from .activations import ACTIVATIONS
from .errors import ModelFileError
from .network import Network

__all__ = ["save", "load", "load_weights", "to_dict", "from_dict",
           "write_atomic", "ModelFileError", "FORMAT", "VERSION"]

FORMAT = "backprop-network"
"""The value of the "format" key that marks a saved network."""

VERSION = 1
"""The file layout this module writes and reads."""

_KEYS = ("format", "version", "sizes", "activations", "W", "b")


# === Writing ================================================================


def to_dict(net: Network, metadata: dict[str, Any] | None = None,
            ) -> dict[str, Any]:
    """Return the network as the dict that :func:`save` writes as JSON.

    The keys are "format", "version", "sizes", "activations", "W", "b"
    (None for a network without biases) and, if given, "metadata": a
    small dict of JSON values, e.g. the training settings. Lists are
    copies, so changing the dict does not change the network.

    >>> net = Network.from_weights([[[0.5, -0.5]]], activation="tanh")
    >>> to_dict(net, {"eta": 0.5})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'format': 'backprop-network', 'version': 1, 'sizes': [2, 1],
     'activations': ['tanh'], 'W': [[[0.5, -0.5]]], 'b': None,
     'metadata': {'eta': 0.5}}

    The result is checked as :func:`load` checks a file, so a network
    with a NaN weight raises ModelFileError. A metadata that is not a
    dict raises TypeError; one holding non-JSON values, ModelFileError.
    """
    d = {"format": FORMAT, "version": VERSION, "sizes": net.sizes,
         "activations": list(net.activations),
         "W": [[list(row) for row in W_l] for W_l in net.W],
         "b": None if net.b is None else [list(b_l) for b_l in net.b]}
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise TypeError(f"to_dict: metadata must be a dict, got "
                            f"{type(metadata).__name__}")
        d["metadata"] = metadata
    _check(d, _Reader("to_dict", "the network"))
    if metadata is not None:   # a copy made of plain JSON values only
        d["metadata"] = json.loads(json.dumps(metadata))
    return d


def save(net: Network, path: str | os.PathLike[str], *,
         metadata: dict[str, Any] | None = None) -> None:
    """Write the network to path as JSON, atomically.

    The write is :func:`write_atomic`'s (a temporary file, fsync, then
    os.replace), so path always holds either the old file or the whole
    new one, whatever goes wrong.

    >>> import tempfile
    >>> net = Network.from_weights([[[0.1 + 0.2]]], activation="identity")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save(net, folder + "/net.json")
    ...     print(open(folder + "/net.json").read())
    {
      "format": "backprop-network",
      "version": 1,
      "sizes": [1, 1],
      "activations": ["identity"],
      "W": [[
        [0.30000000000000004]
      ]],
      "b": null
    }

    Raises IsADirectoryError if path is a folder, FileNotFoundError if
    its folder does not exist, and what :func:`to_dict` raises.
    """
    text = _dumps(to_dict(net, metadata))     # fail before touching disk
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"save: {path!r} is a folder; give a file name such as "
            f"{os.path.join(path, 'net.json')!r}")
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"save: cannot write {path!r}: folder {folder!r} does not exist")
    write_atomic(path, text)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write text to path as UTF-8 with Unix line ends, atomically.

    The text goes to a new temporary file in path's folder (a rename is
    atomic only within one file system), is flushed and fsync-ed, and is
    then renamed over path with os.replace. On any error, Ctrl-C
    included, the temporary file is removed and path is untouched.

    A new file gets the permissions open() would give it: the temporary
    file is made with os.open(..., O_CREAT | O_EXCL, 0o666), and the
    kernel applies the umask (0o644 for the usual 022), which is never
    read (os.umask can only read it by setting it, not thread-safe). A
    file that exists keeps its own. O_EXCL refuses an existing name or a
    planted symlink. Used by :func:`save` and ``plot.save_svg``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_atomic(folder + "/note.txt", "one\\ntwo\\n")
    ...     with open(folder + "/note.txt", "rb") as f:
    ...         print(f.read(), os.listdir(folder))
    b'one\\ntwo\\n' ['note.txt']

    Raises OSError if the file cannot be written (path untouched).
    """
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    folder, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
    # O_BINARY: without it, Windows would write each "\n" as "\r\n"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())   # the bytes are on disk before the rename
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)      # atomic: old file or new, never half
    except BaseException:          # Ctrl-C too
        os.unlink(tmp)
        raise


def _dumps(d: dict[str, Any]) -> str:
    """Return d as JSON text with one matrix row or bias vector a line.

    json.dumps writes each float as repr(float), which reads back exactly.
    """
    def rows(vectors):
        return ",\n".join("    " + json.dumps(v) for v in vectors)

    parts = []
    for key, value in d.items():
        if key == "W":
            text = "[[\n" + "\n  ], [\n".join(map(rows, value)) + "\n  ]]"
        elif key == "b" and value is not None:
            text = "[\n" + rows(value) + "\n  ]"
        else:
            text = json.dumps(value)
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# === Reading ================================================================


def load(path: str | os.PathLike[str]) -> Network:
    """Return the network saved in the JSON file at path.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open(folder + "/bad.json", "w") as f:
    ...         _ = f.write('{"format": "backprop-network", "version": 2}')
    ...     load(folder + "/bad.json")     # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    backprop.errors.ModelFileError: load: '.../bad.json': version: this \
file is format version 2, but this backprop reads version 1 only; upgrade \
(pip install --upgrade backprop-learn) to load it

    A file that is not UTF-8 JSON, is truncated, or has a wrong or
    missing field raises ModelFileError; a missing file, OSError.
    """
    r = _Reader("load", repr(os.fspath(path)))
    with open(path, "rb") as f:
        data = f.read()
    if not data.strip():
        raise r.error("(file)", "a JSON object", "an empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise r.error("(file)", "UTF-8 text",
                      f"byte {data[e.start]:#04x} at offset {e.start}"
                      ) from None
    try:
        d = json.loads(text, parse_constant=_NonFinite)
    except json.JSONDecodeError as e:
        ends_early = e.pos >= len(text.rstrip())
        raise ModelFileError(
            f"load: {r.source} is not valid JSON"
            f"{' (the file ends early: truncated?)' if ends_early else ''}:"
            f" {e.msg} at line {e.lineno} column {e.colno}") from None
    return _network(d, r)


def from_dict(d: dict[str, Any], *, source: str = "<dict>") -> Network:
    """Return the network described by d, a dict like :func:`to_dict`'s.

    source names d in error messages (:func:`load` passes the file name).

    >>> net = from_dict({"format": "backprop-network", "version": 1,
    ...                  "sizes": [1, 1], "activations": ["relu"],
    ...                  "W": [[[2.0]]], "b": [[-1.0]]})
    >>> net.predict([[3.0]])
    [[5.0]]
    >>> from_dict({"format": "backprop-network", "version": 1,
    ...            "sizes": [1, 1], "activations": ["relu"],
    ...            "W": [[[True]]], "b": None})
    Traceback (most recent call last):
      ...
    backprop.errors.ModelFileError: from_dict: <dict>: W[0][0][0]: expected a \
finite number, got true

    Any missing, extra or malformed field raises ModelFileError.
    """
    return _network(d, _Reader("from_dict", source))


def load_weights(path: str | os.PathLike[str]) -> Network:
    """Return the network in a file that :func:`save` wrote, or in a bare
    JSON object ``{"W": ..., "b": ..., "activation": ...}``.

    A bare object holds what ``Network.from_weights`` takes: W, and
    optionally b (default: no biases) and activation (default "sigmoid",
    or one name per layer), as ``python -m backprop explain --weights``.

    >>> import json, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open(folder + "/w.json", "w") as f:
    ...         json.dump({"W": [[[0.5, -0.5]]], "b": [[0.0]]}, f)
    ...     load_weights(folder + "/w.json")
    Network([2, 1], activation=['sigmoid'], bias=True)

    Any other file is read by :func:`load`, so a broken or truncated
    file raises ModelFileError naming what is wrong; a bad bare object
    raises what ``Network.from_weights`` raises; a missing file, OSError.
    """
    with open(path, "rb") as f:
        raw = f.read()
    try:
        d = json.loads(raw.decode("utf-8"))
    except ValueError:          # load says what is wrong with it
        return load(path)
    if not isinstance(d, dict) or "format" in d or "W" not in d:
        return load(path)
    return Network.from_weights(d["W"], d.get("b"),
                                d.get("activation", "sigmoid"))


def _network(d: Any, r: _Reader) -> Network:
    W, b, activations = _check(d, r)
    return Network.from_weights(W, b, activations)


class _NonFinite:
    """What the parser makes of NaN and Infinity, refused where found."""

    def __init__(self, name: str) -> None:
        self.name = name


class _Reader:
    """The checks, each raising ModelFileError with the field's path."""

    def __init__(self, func: str, source: str) -> None:
        self.func, self.source = func, source

    def error(self, path: str, expected: str, found: str) -> ModelFileError:
        return ModelFileError(f"{self.func}: {self.source}: {path}: "
                              f"expected {expected}, got {found}")

    def missing(self, key: str) -> ModelFileError:
        return ModelFileError(f"{self.func}: {self.source}: missing key "
                              f"{key!r}; a saved network has the keys "
                              f"{', '.join(_KEYS)}")

    def list_of(self, v: Any, n: int, what: str, path: str) -> list:
        if not isinstance(v, (list, tuple)) or len(v) != n:
            raise self.error(path, f"a list of {n} {what}", _show(v))
        return list(v)

    def number(self, v: Any, path: str) -> float:
        if isinstance(v, bool) or not isinstance(v, Real):
            raise self.error(path, "a finite number", _show(v))
        try:
            x = float(v)
        except OverflowError:      # an int beyond 1.8e308
            x = math.inf
        if not math.isfinite(x):   # e.g. 1e400, which parses as inf
            found = _show(v) if math.isnan(x) else f"{v!r:.30} (too large)"
            raise self.error(path, "a finite number", found)
        return x


def _show(v: Any) -> str:
    """Return v as a message shows it: JSON words, short, lists by size."""
    if isinstance(v, _NonFinite):
        return f"{v.name} (JSON has no NaN or Infinity)"
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return f"a list of {len(v)}"
    if isinstance(v, dict):
        return f"an object with keys {sorted(map(str, v))!r:.60}"
    return f"{v!r:.60}"


def _check(d: Any, r: _Reader) -> tuple[list, list | None, list[str]]:
    """Return (W, b, activations) from d once every field is checked."""
    d = _check_keys(d, r)
    sizes = d["sizes"]
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise r.error("sizes", "a list of at least 2 layer sizes",
                      _show(sizes))
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise r.error(f"sizes[{i}]", "a whole number >= 1", _show(n))
    L = len(sizes) - 1
    activations = r.list_of(d["activations"], L, "activation names",
                            "activations")
    for l, name in enumerate(activations):
        if not isinstance(name, str) or name not in ACTIVATIONS:
            raise r.error(f"activations[{l}]", "one of "
                          + ", ".join(sorted(ACTIVATIONS)), _show(name))
    W = r.list_of(d["W"], L, "matrices (one per layer)", "W")
    for l in range(L):
        rows = r.list_of(W[l], sizes[l + 1], "rows", f"W[{l}]")
        W[l] = [[r.number(v, f"W[{l}][{j}][{k}]") for k, v in enumerate(
            r.list_of(row, sizes[l], "numbers", f"W[{l}][{j}]"))]
            for j, row in enumerate(rows)]
    b = d["b"]
    if b is not None:
        b = r.list_of(b, L, "vectors (one per layer) or null", "b")
        b = [[r.number(v, f"b[{l}][{j}]") for j, v in enumerate(
            r.list_of(b[l], sizes[l + 1], "numbers", f"b[{l}]"))]
            for l in range(L)]
    if "metadata" in d:
        if not isinstance(d["metadata"], dict):
            raise r.error("metadata", "an object", _show(d["metadata"]))
        _check_json(d["metadata"], "metadata", r)
    return W, b, activations


def _check_keys(d: Any, r: _Reader) -> dict[str, Any]:
    """Return d in the current layout once its format and keys pass."""
    if not isinstance(d, dict):
        raise r.error("(top level)", "a JSON object", _show(d))
    if "format" not in d:
        raise r.missing("format")
    if d["format"] != FORMAT:
        raise r.error("format", repr(FORMAT), _show(d["format"]))
    d = _upgrade(d, r)
    for key in _KEYS:
        if key not in d:
            raise r.missing(key)
    for key in d:
        if key not in _KEYS + ("metadata",):
            raise r.error("(top level)", f"only the keys {', '.join(_KEYS)}"
                          " and metadata", f"an unknown key {key!r}")
    return d


def _upgrade(d: dict[str, Any], r: _Reader) -> dict[str, Any]:
    """Return d in the current layout, or refuse its version.

    Only version 1 exists. When version 2 comes, this is where a version 1
    dict is rewritten into it (``if version == 1: d = _v1_to_v2(d)``), so
    that the checks in _check only ever see the newest layout.
    """
    if "version" not in d:
        raise r.missing("version")
    version = d["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise r.error("version", "a whole number", _show(version))
    if version > VERSION:
        raise ModelFileError(
            f"{r.func}: {r.source}: version: this file is format version "
            f"{version}, but this backprop reads version {VERSION} only; "
            "upgrade (pip install --upgrade backprop-learn) to load it")
    if version != VERSION:
        raise ModelFileError(
            f"{r.func}: {r.source}: version: version {version} is not "
            f"supported; this backprop reads version {VERSION}")
    return d


def _check_json(v: Any, path: str, r: _Reader) -> None:
    """Refuse anything in v that JSON cannot hold: NaN, sets, objects..."""
    if isinstance(v, dict):
        for key, x in v.items():
            if not isinstance(key, str):
                raise r.error(path, "string keys", _show(key))
            _check_json(x, f"{path}[{key!r}]", r)
    elif isinstance(v, (list, tuple)):
        for i, x in enumerate(v):
            _check_json(x, f"{path}[{i}]", r)
    elif isinstance(v, float) and not math.isfinite(v) \
            or not isinstance(v, (str, int, float, type(None))):
        raise r.error(path, "a JSON value (finite numbers only)",
                      _show(v))

