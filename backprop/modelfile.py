"""What a model file holds: its format, its versions and the checks.

``backprop.io`` reads and writes the files; this module says what their
JSON must hold and refuses anything else with a message that names the
field. A model is a :class:`~backprop.network.Network` plus what it needs
to be used: the *preprocessing* its inputs went through before training
(e.g. standardization with the training rows' mean and std), and the
*metadata* of whoever saved it. A network trained on standardized inputs
answers nonsense on raw ones, so the file carries the preprocessing, and
:meth:`Model.predict` applies it.

===============  ======================================================
name             description
===============  ======================================================
Model            a network with its preprocessing and metadata
standardization  the preprocessing dict for a mean and a std
parse            JSON bytes to Python values, refusing what JSON is not
check            a parsed file to a Model, checking every field
FORMAT, VERSION  the values that mark a file this backprop writes
===============  ======================================================

>>> net = Network.from_weights([[[1.0, 1.0]]], activation="identity")
>>> model = Model(net, standardization([10.0, 0.0], [2.0, 1.0]))
>>> model
Model(net=Network([2, 1], activation=['identity'], bias=False), \
preprocessing='standardize')
>>> model.prepare([[12.0, 3.0]])       # z = (x - mean) / std
[[1.0, 3.0]]
>>> model.predict([[12.0, 3.0]])       # net.predict(model.prepare(X))
[[4.0]]
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from . import _checks
from .activations import ACTIVATIONS
from .errors import BackpropError, ModelFileError
from .network import Network
from .prepare import standardize

__all__ = ["Model", "standardization", "parse", "check", "FORMAT",
           "VERSION", "MAX_DEPTH", "MAX_DIGITS"]

FORMAT = "backprop-network"
"""The value of the "format" key that marks a saved network."""

VERSION = 2
"""The file layout written: 2 added "preprocessing"; 1 is still read."""

MAX_DEPTH = 100
"""How deeply metadata may nest lists and objects."""

MAX_DIGITS = 400
"""The most digits an integer in a file may have (a float ends at 309)."""

_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[][{}]')  # strings skipped
_KEYS = ("format", "version", "sizes", "activations", "preprocessing",
         "W", "b")
_PRE = "preprocessing.standardize"


# === The model ==============================================================


class Model:
    """A network, the preprocessing its inputs need, and metadata.

    ``preprocessing`` is None (inputs go in as they are) or
    ``{"standardize": {"mean": [...], "std": [...]}}``, one mean and one
    std per input: the network sees z = (x - mean) / std. ``metadata``
    is None or a dict of JSON values. Both are checked as a file's are.

    >>> m = Model(Network([2, 1], seed=0), metadata={"epochs": 10})
    >>> m.preprocessing, m.metadata
    (None, {'epochs': 10})

    Raises TypeError if net is not a Network and ModelFileError for a
    preprocessing or metadata a model file could not hold.
    """

    __slots__ = ("net", "preprocessing", "metadata")

    def __init__(self, net: Network,
                 preprocessing: dict[str, Any] | None = None,
                 metadata: dict[str, Any] | None = None) -> None:
        r = _Reader("Model", None)
        if not isinstance(net, Network):
            raise TypeError(f"Model: net must be a Network, got "
                            f"{type(net).__name__}")
        self.net = net
        self.preprocessing = _preprocessing(preprocessing, net.sizes[0], r)
        self.metadata = _metadata(metadata, r)

    def prepare(self, X: Any) -> list[list[float]]:
        """Return the batch X as the network takes it: standardized with
        the saved mean and std, or unchanged if there is no preprocessing.

        Raises what ``Network.predict`` raises for a bad X.
        """
        X = _checks.rows("Model.predict", "X", X, self.net.sizes[0],
                         "inputs")
        if self.preprocessing is None:
            return X
        s = self.preprocessing["standardize"]
        return standardize(X, mean=s["mean"], std=s["std"])[0]

    def predict(self, X: Any) -> list[list[float]]:
        """Return ``net.predict(prepare(X))``: the outputs for raw inputs.

        Raises what ``Network.predict`` raises for a bad X.
        """
        return self.net.predict(self.prepare(X))

    def __repr__(self) -> str:
        steps = None if self.preprocessing is None \
            else "+".join(self.preprocessing)
        return f"Model(net={self.net!r}, preprocessing={steps!r})"


def standardization(mean: Any, std: Any) -> dict[str, Any] | None:
    """Return the preprocessing that standardizes inputs with mean and
    std, ``{"standardize": {"mean": mean, "std": std}}``, or None if both
    are None (as for a ``DataSet`` that is not standardized).

    >>> standardization([14.9, 14.6], [2.9, 1.3])
    {'standardize': {'mean': [14.9, 14.6], 'std': [2.9, 1.3]}}
    >>> standardization(None, None) is None
    True

    Raises BackpropError if only one is None, ModelFileError for lengths
    that differ, a std <= 0 or a value that is not a finite number.
    """
    if mean is None and std is None:
        return None
    if mean is None or std is None or not isinstance(mean, (list, tuple)):
        raise BackpropError(f"standardization: mean and std must be two "
                            f"lists of numbers, got {mean!r:.30} and "
                            f"{std!r:.30}")
    return _preprocessing({"standardize": {"mean": mean, "std": std}},
                          len(mean), _Reader("standardization", None))


# === Parsing ================================================================


def parse(data: bytes, *, func: str, source: str) -> Any:
    """Return the JSON value in data, the bytes of a file.

    func and source start the messages (``load: 'm.json': ...``). A
    UTF-8 byte-order mark is skipped. The words NaN and Infinity, which
    Python's json would accept, become values that :func:`check` refuses
    where they stand; so do integers of over MAX_DIGITS digits.

    >>> parse(b'{"W": [1, 2.5]}', func="f", source="<bytes>")
    {'W': [1, 2.5]}
    >>> parse(b'[' * 100000, func="load", source="'m.json'")
    Traceback (most recent call last):
      ...
    backprop.errors.ModelFileError: load: 'm.json' is nested too deeply \
for Python's JSON parser; a model file nests its lists 3 levels deep

    Raises ModelFileError for an empty file, bytes that are not UTF-8,
    text that is not JSON and nesting too deep for the parser.
    """
    r = _Reader(func, source)
    if not data.strip():
        raise r.error("(file)", "a JSON object", "an empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise r.error("(file)", "UTF-8 text",
                      f"byte {data[e.start]:#04x} at offset {e.start}"
                      ) from None
    text = text[1:] if text.startswith("\ufeff") else text
    try:
        if _deepest(text) >= 1000:
            raise RecursionError
        return json.loads(text, parse_constant=_NonFinite,
                          parse_int=_integer)
    except json.JSONDecodeError as e:
        ends_early = e.pos >= len(text.rstrip())
        raise ModelFileError(
            f"{func}: {source} is not valid JSON"
            f"{' (the file ends early: truncated?)' if ends_early else ''}:"
            f" {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise ModelFileError(
            f"{func}: {source} is nested too deeply for Python's JSON "
            "parser; a model file nests its lists 3 levels deep") from None


def _deepest(text: str) -> int:
    """Return how deeply the JSON text nests [ and {, counted in a loop:
    json.loads recurses, which raises RecursionError near 1000 levels on
    CPython 3.8-3.11 and crashes Pyodide, whose stack is smaller.

    >>> _deepest('{"W": [[[1.0]]], "note": "[[["}')
    4
    """
    depth = deepest = 0
    for token in _NESTING.findall(text):
        depth += (token in "[{") - (token in "]}")
        deepest = max(deepest, depth)
    return deepest


class _NonFinite:
    """What the parser makes of NaN and Infinity, refused where found."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


class _BigInt:
    """What the parser makes of an integer of over MAX_DIGITS digits
    (int() refuses 4300 from Python 3.11 on; no float is that large)."""

    def __init__(self, text: str) -> None:
        self.digits = len(text.lstrip("-"))

    def __repr__(self) -> str:
        return f"an integer of {self.digits} digits (too large)"


def _integer(text: str) -> int | _BigInt:
    return int(text) if len(text) <= MAX_DIGITS else _BigInt(text)


# === Checking ===============================================================


def check(d: Any, *, func: str, source: str | None) -> Model:
    """Return the Model that d, a parsed model file, describes.

    A version 1 file (no "preprocessing") is read as having none.

    >>> check({"format": "backprop-network", "version": 1,
    ...        "sizes": [1, 1], "activations": ["relu"],
    ...        "W": [[[2.0]]], "b": None}, func="f", source="<dict>")
    Model(net=Network([1, 1], activation=['relu'], bias=False), \
preprocessing=None)

    Any missing, extra or malformed field raises ModelFileError naming
    func, source and the field.
    """
    r = _Reader(func, source)
    d = _check_keys(d, r)
    sizes = _check_sizes(d["sizes"], r)
    L = len(sizes) - 1
    activations = r.list_of(d["activations"], L, "activation names",
                            "activations")
    for i, name in enumerate(activations):
        if not isinstance(name, str) or name not in ACTIVATIONS:
            raise r.error(f"activations[{i}]", "one of "
                          + ", ".join(sorted(ACTIVATIONS)), _show(name))
    W = r.list_of(d["W"], L, "matrices (one per layer)", "W")
    # layer l (W[l], b[l]) takes sizes[l] inputs to sizes[l + 1] outputs
    W = [_matrix(W_l, sizes[l + 1], sizes[l], f"W[{l}]", r)
         for l, W_l in enumerate(W)]
    b = d["b"]
    if b is not None:
        b = r.list_of(b, L, "vectors (one per layer) or null", "b")
        b = [r.numbers(b_l, sizes[l + 1], f"b[{l}]")
             for l, b_l in enumerate(b)]
    pre = _preprocessing(d["preprocessing"], sizes[0], r)
    meta = _metadata(d.get("metadata"), r)
    try:                       # e.g. a softmax layer of one neuron
        net = Network.from_weights(W, b, activations)
    except BackpropError as e:
        raise ModelFileError(f"{r.where}: {e}") from None
    return Model(net, pre, meta)


class _Reader:
    """The checks, each raising ModelFileError with the field's path."""

    def __init__(self, func: str, source: str | None) -> None:
        self.func, self.source = func, source
        self.where = func if source is None else f"{func}: {source}"

    def error(self, path: str, expected: str, found: str) -> ModelFileError:
        return ModelFileError(f"{self.where}: {path}: expected {expected}"
                              f", got {found}")

    def list_of(self, v: Any, n: int, what: str, path: str) -> list:
        if not isinstance(v, (list, tuple)) or len(v) != n:
            raise self.error(path, f"a list of {n} {what}", _show(v))
        return list(v)

    def numbers(self, v: Any, n: int, path: str) -> list[float]:
        return [self.number(x, f"{path}[{k}]")
                for k, x in enumerate(self.list_of(v, n, "numbers", path))]

    def number(self, v: Any, path: str) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.error(path, "a finite number", _show(v))
        try:
            x = float(v)
        except OverflowError:      # an int beyond 1.8e308
            x = math.inf
        if not math.isfinite(x):   # e.g. 1e400, which parses as inf
            found = _show(v) if math.isnan(x) else f"{_show(v)} (too large)"
            raise self.error(path, "a finite number", found)
        return x


def _show(v: Any) -> str:
    """Return v as a message shows it: JSON words, short, lists by size."""
    if isinstance(v, _NonFinite):
        return f"{v.name} (JSON has no NaN or Infinity)"
    if isinstance(v, _BigInt):
        return repr(v)
    if v is None or isinstance(v, bool):
        return json.dumps(v)
    if isinstance(v, int) and abs(v) >= 10 ** MAX_DIGITS:
        return f"an integer of about {int(v.bit_length() * 0.30103)} digits"
    if isinstance(v, (list, tuple)):
        return f"a list of {len(v)}"
    if isinstance(v, dict):
        return f"an object with keys {sorted(map(str, v))!r:.60}"
    return f"{v!r:.60}"


def _check_keys(d: Any, r: _Reader) -> dict[str, Any]:
    """Return d in the current layout once its format and keys pass."""
    if not isinstance(d, dict):
        raise r.error("(top level)", "a JSON object", _show(d))
    if "format" not in d:
        raise _missing("format", r)
    if d["format"] != FORMAT:
        raise r.error("format", repr(FORMAT), _show(d["format"]))
    d = _upgrade(d, r)
    for key in _KEYS:
        if key not in d:
            raise _missing(key, r)
    for key in d:
        if key not in _KEYS + ("metadata",):
            raise r.error("(top level)", f"only the keys {', '.join(_KEYS)}"
                          " and metadata", f"an unknown key {key!r:.40}")
    return d


def _missing(key: str, r: _Reader) -> ModelFileError:
    return ModelFileError(f"{r.where}: missing key {key!r}; a saved "
                          f"network has the keys {', '.join(_KEYS)}")


def _upgrade(d: dict[str, Any], r: _Reader) -> dict[str, Any]:
    """Return d in the current layout, or refuse its version.

    Each older layout is rewritten here into the newest one, so that the
    checks only ever see that: version 1 had no "preprocessing" (its
    networks took their inputs as they came).
    """
    if "version" not in d:
        raise _missing("version", r)
    version = d["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise r.error("version", "a whole number", _show(version))
    if version > VERSION:
        raise ModelFileError(
            f"{r.where}: version: this file is format version "
            f"{version}, but this backprop reads versions 1 to {VERSION};"
            " upgrade (pip install --upgrade backprop-learn) to load it")
    if version < 1:
        raise ModelFileError(
            f"{r.where}: version: version {version} is not supported; "
            f"this backprop reads versions 1 to {VERSION}")
    if version == 1:
        if "preprocessing" in d:
            raise r.error("preprocessing", "no such key in a version 1 "
                          "file (version 2 added it)", "one")
        d = dict(d, version=2, preprocessing=None)
    return d


def _check_sizes(sizes: Any, r: _Reader) -> list[int]:
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise r.error("sizes", "a list of at least 2 layer sizes",
                      _show(sizes))
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise r.error(f"sizes[{i}]", "a whole number >= 1", _show(n))
    return list(sizes)


def _matrix(M: Any, n_out: int, n_in: int, path: str, r: _Reader
            ) -> list[list[float]]:
    rows = r.list_of(M, n_out, "rows", path)
    return [r.numbers(row, n_in, f"{path}[{j}]")
            for j, row in enumerate(rows)]


def _preprocessing(p: Any, n: int, r: _Reader) -> dict[str, Any] | None:
    """Return a checked copy of a preprocessing for n inputs."""
    if p is None:
        return None
    if not isinstance(p, dict) or list(p) != ["standardize"]:
        raise r.error("preprocessing", 'null or {"standardize": '
                      '{"mean": [...], "std": [...]}}', _show(p))
    s = p["standardize"]
    if not isinstance(s, dict) or sorted(s) != ["mean", "std"]:
        raise r.error(_PRE, 'an object with the keys "mean" and "std"',
                      _show(s))
    mean = r.numbers(s["mean"], n, f"{_PRE}.mean")
    std = r.numbers(s["std"], n, f"{_PRE}.std")
    for j, x in enumerate(std):
        if x <= 0:
            raise r.error(f"{_PRE}.std[{j}]", "a number > 0", _show(x))
    return {"standardize": {"mean": mean, "std": std}}


def _metadata(m: Any, r: _Reader) -> dict[str, Any] | None:
    """Return a copy of m made of plain JSON values, once checked."""
    if m is None:
        return None
    if not isinstance(m, dict):
        raise r.error("metadata", "an object (a dict)", _show(m))
    _check_json(m, "metadata", r, ())
    return json.loads(json.dumps(m))


def _check_json(v: Any, path: str, r: _Reader, parents: tuple) -> None:
    """Refuse anything in v that JSON cannot hold: NaN, sets, objects,
    huge integers, a list that holds itself, nesting over MAX_DEPTH."""
    if isinstance(v, (dict, list, tuple)):
        if id(v) in parents:
            raise r.error(path, "a JSON value", "a list or dict that "
                          "contains itself (a cycle)")
        if len(parents) >= MAX_DEPTH:
            raise r.error(path, f"at most {MAX_DEPTH} levels of nesting",
                          "more")
        items = v.items() if isinstance(v, dict) else enumerate(v)
        for key, x in items:
            if isinstance(v, dict) and not isinstance(key, str):
                raise r.error(path, "string keys", _show(key))
            _check_json(x, f"{path}[{key!r:.40}]", r, parents + (id(v),))
    elif isinstance(v, float) and not math.isfinite(v) \
            or not isinstance(v, (str, int, float, type(None))) \
            or isinstance(v, int) and abs(v) >= 10 ** MAX_DIGITS:
        raise r.error(path, "a JSON value (finite numbers only)",
                      _show(v))
