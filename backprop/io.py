"""Save a trained model to a JSON file and load it back, exactly.

A saved model is a network (layer sizes, one activation per layer, the
weights W and biases b), the *preprocessing* its inputs need (None, or
the mean and std they were standardized with before training) and
optional *metadata*. ``save`` writes them as JSON, which a person can
read and any language can parse; ``load_model`` reads them back, checks
every field and returns a :class:`~backprop.modelfile.Model`, whose
``predict`` applies the preprocessing. Every float is written as its
``repr``, which reads back as the same float, so a loaded network is
bit for bit the saved one. The write is atomic: a crash mid-save leaves
the old file as it was.

==============  =====================================================
function        description
==============  =====================================================
save            write a network, its preprocessing and metadata
load_model      read all of it back as a Model (net, preprocessing,
                metadata; ``Model.predict`` prepares the inputs)
load            read the network alone
load_weights    read a saved network or a bare {"W": ..., "b": ...}
check_writable  refuse, before training, a path save cannot write
to_dict         the JSON-ready dict that save writes
from_dict       the network from such a dict, checking every field
standardization the preprocessing for a mean and std (or None)
write_atomic    write text to a file atomically (save and plot use it)
==============  =====================================================

``save(net, path, *, metadata=None, preprocessing=None)``;
``load_model(path) -> Model``; ``Model(net, preprocessing=None,
metadata=None)`` with ``.prepare(X)`` and ``.predict(X)``;
``standardization(mean, std) -> dict | None``; ``check_writable(path)``.
A file is read only up to MAX_BYTES (64 MiB); format version 2 is
written, and versions 1 and 2 are read.

>>> import os, tempfile
>>> net = Network.from_weights([[[0.5, -0.5]]], [[0.0]], "identity")
>>> with tempfile.TemporaryDirectory() as folder:
...     path = os.path.join(folder, "net.json")
...     save(net, path, preprocessing=standardization([10.0, 0.0],
...                                                    [2.0, 1.0]))
...     model = load_model(path)
>>> model.predict([[14.0, 1.0]])       # the network sees [2.0, 1.0]
[[0.5]]
>>> model.net.W == net.W, model.preprocessing["standardize"]["std"]
(True, [2.0, 1.0])
"""

from __future__ import annotations

import json
import os
from typing import Any

from .errors import ModelFileError
from .files import check_writable, read_bytes, write_atomic
from .modelfile import FORMAT, VERSION, Model, check, parse, standardization
from .network import Network

__all__ = ["save", "load", "load_model", "load_weights", "check_writable",
           "to_dict", "from_dict", "standardization", "write_atomic",
           "Model", "ModelFileError", "FORMAT", "VERSION", "MAX_BYTES"]

MAX_BYTES = 64 * 2 ** 20
"""The largest model file read, in bytes (a 784-128-10 network takes
about 2 MB); set ``backprop.io.MAX_BYTES`` to read a larger one."""


# === Writing ================================================================


def to_dict(net: Network | Model, metadata: dict[str, Any] | None = None,
            *, preprocessing: dict[str, Any] | None = None
            ) -> dict[str, Any]:
    """Return the model as the dict that :func:`save` writes as JSON.

    The keys are "format", "version", "sizes", "activations",
    "preprocessing" (None, or what :func:`standardization` returns), "W",
    "b" (None for a network without biases) and, if given, "metadata": a
    small dict of JSON values, e.g. the training settings. net may be a
    Model, whose preprocessing and metadata are used unless given. Lists
    are copies: changing the dict does not change the network.

    >>> net = Network.from_weights([[[0.5, -0.5]]], activation="tanh")
    >>> to_dict(net, {"eta": 0.5})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'format': 'backprop-network', 'version': 2, 'sizes': [2, 1],
     'activations': ['tanh'], 'preprocessing': None,
     'W': [[[0.5, -0.5]]], 'b': None, 'metadata': {'eta': 0.5}}

    The result is checked as :func:`load` checks a file: a NaN weight, a
    non-JSON metadata value (a set, NaN, a dict that holds itself) or a
    preprocessing of the wrong length raises ModelFileError; a net that
    is not a Network and a metadata that is not a dict, TypeError.
    """
    return _to_dict("to_dict", net, metadata, preprocessing)


def _to_dict(func: str, net: Any, metadata: Any, preprocessing: Any
             ) -> dict[str, Any]:
    if isinstance(net, Model):
        metadata = net.metadata if metadata is None else metadata
        if preprocessing is None:
            preprocessing = net.preprocessing
        net = net.net
    if not isinstance(net, Network):
        raise TypeError(f"{func}: net must be a Network or a Model, got "
                        f"{type(net).__name__}")
    for name, v in (("metadata", metadata), ("preprocessing",
                                              preprocessing)):
        if v is not None and not isinstance(v, dict):
            raise TypeError(f"{func}: {name} must be a dict or None, got "
                            f"{type(v).__name__}")
    d = {"format": FORMAT, "version": VERSION, "sizes": net.sizes,
         "activations": list(net.activations),
         "preprocessing": preprocessing,
         "W": [[list(row) for row in W_l] for W_l in net.W],
         "b": None if net.b is None else [list(b_l) for b_l in net.b]}
    if metadata is not None:
        d["metadata"] = metadata
    model = check(d, func=func, source=None)
    d["preprocessing"] = model.preprocessing       # checked copies
    if metadata is not None:
        d["metadata"] = model.metadata
    return d


def save(net: Network | Model, path: str | os.PathLike[str], *,
         metadata: dict[str, Any] | None = None,
         preprocessing: dict[str, Any] | None = None) -> None:
    """Write the model to path as JSON, atomically.

    Pass the preprocessing the training inputs went through, e.g.
    ``preprocessing=standardization(data.mean, data.std)``, so that
    :func:`load_model` can apply it again. The write is
    :func:`~backprop.files.write_atomic`'s (a temporary file, fsync,
    then os.replace), so path holds either the old file or the whole
    new one, whatever goes wrong; a symbolic link is written through.

    >>> import tempfile
    >>> net = Network.from_weights([[[0.1 + 0.2]]], activation="identity")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save(net, folder + "/net.json")
    ...     print(open(folder + "/net.json").read())
    {
      "format": "backprop-network",
      "version": 2,
      "sizes": [1, 1],
      "activations": ["identity"],
      "preprocessing": null,
      "W": [[
        [0.30000000000000004]
      ]],
      "b": null
    }

    Raises what :func:`to_dict` raises (before touching the disk), and
    OSError whose message says why path cannot be written.
    """
    text = _dumps(_to_dict("save", net, metadata, preprocessing))
    write_atomic(path, text)


def _dumps(d: dict[str, Any]) -> str:
    """Return d as JSON text with one matrix row or vector a line.

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
        elif key == "preprocessing" and value is not None:
            s = value["standardize"]
            text = ('{"standardize": {\n    "mean": ' + json.dumps(s["mean"])
                    + ',\n    "std": ' + json.dumps(s["std"]) + "\n  }}")
        else:
            text = json.dumps(value)
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# === Reading ================================================================


def load_model(path: str | os.PathLike[str]) -> Model:
    """Return the Model saved at path: ``.net``, ``.preprocessing`` and
    ``.metadata``; ``.predict(X)`` prepares raw inputs as in training.

    A version 1 file has no preprocessing (None).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with open(folder + "/bad.json", "w") as f:
    ...         _ = f.write('{"format": "backprop-network", "version": 3}')
    ...     load_model(folder + "/bad.json")     # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    backprop.errors.ModelFileError: load_model: '.../bad.json': version: \
this file is format version 3, but this backprop reads versions 1 to 2; \
upgrade (pip install --upgrade backprop-learn) to load it

    A file over MAX_BYTES, not UTF-8 JSON, truncated, or with a wrong or
    missing field raises ModelFileError; a file that cannot be read,
    OSError saying why.
    """
    return _load("load_model", path)


def load(path: str | os.PathLike[str]) -> Network:
    """Return the network saved at path, without its preprocessing.

    A network trained on standardized inputs needs them standardized
    again: use ``load_model(path).predict(X)``, which does it, unless
    ``load_model(path).preprocessing`` is None.

    >>> import tempfile
    >>> net = Network.from_weights([[[2.0]]], activation="identity")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save(net, folder + "/net.json")
    ...     load(folder + "/net.json").predict([[3.0]])
    [[6.0]]

    Raises what :func:`load_model` raises.
    """
    return _load("load", path).net


def _load(func: str, path: Any) -> Model:
    source = repr(os.fspath(path))
    return check(_parse(func, path), func=func, source=source)


def _parse(func: str, path: Any) -> Any:
    """Return the parsed JSON of the file at path, at most MAX_BYTES."""
    data = read_bytes(path, MAX_BYTES)
    source = repr(os.fspath(path))
    if len(data) > MAX_BYTES:
        raise ModelFileError(
            f"{func}: {source} is larger than {MAX_BYTES / 2**20:g} MiB, "
            "the largest model file read (a 784-128-10 network takes "
            "about 2 MB); set backprop.io.MAX_BYTES to read it anyway")
    return parse(data, func=func, source=source)


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
    return check(d, func="from_dict", source=source).net


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

    Any other file is checked as :func:`load` checks it, so a broken or
    truncated file raises ModelFileError naming what is wrong; a bad bare
    object raises what ``Network.from_weights`` raises; a file that
    cannot be read, OSError.
    """
    d = _parse("load_weights", path)
    if isinstance(d, dict) and "format" not in d and "W" in d:
        return Network.from_weights(d["W"], d.get("b"),
                                    d.get("activation", "sigmoid"))
    return check(d, func="load_weights", source=repr(os.fspath(path))).net
