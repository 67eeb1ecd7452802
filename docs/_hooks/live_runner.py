"""The Python half of the site's live examples and playground.

The docs build (docs/_hooks/live.py) puts this file into the site's
``backprop.zip`` as ``bp_live.py``, beside the package; the Web Worker
(docs/assets/javascripts/live-worker.js) imports it in Pyodide and calls
its three functions. Each takes its arguments as one JSON text and a
``post`` function (for progress messages, JSON too) and returns JSON:

run_block   one ``>>>`` block, doctest-style, in its namespace: the page's
            (shared by the page's blocks, as in a notebook) or, for a
            docstring's block, a copy of its module's globals
train       the playground's run, posting the loss chart, the decision
            regions and the network diagram as it trains
explain     explain() for one training sample of the current network

Standard library and backprop only.
"""
from __future__ import annotations

import doctest
import importlib
import json
import math
import os
import re
import tempfile
import time
import traceback

from backprop import Network, datasets, plot, train as fit
from backprop.errors import BackpropError
from backprop.explain import explain as explain_step
from backprop.pagetest import OPTIONS, Block, block_test

_SESSIONS: dict = {}      # namespace key -> {"globs": ..., "folder": ...}
_STATE: dict = {}         # the playground's network, data and settings
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
UPDATES = 12              # chart updates a playground run sends, at least


# === Examples ==============================================================

class _Collect(doctest.DocTestRunner):
    """A DocTestRunner that keeps each example's outcome."""

    def __init__(self) -> None:
        super().__init__(optionflags=OPTIONS)
        self.rows: list[dict] = []

    def _row(self, example, got: str, ok: bool) -> None:
        diff = "" if ok else self._checker.output_difference(
            example, got, self.optionflags)
        self.rows.append({"source": example.source, "want": example.want,
                          "got": got, "ok": ok, "diff": diff})

    def report_start(self, out, test, example) -> None:
        pass

    def report_success(self, out, test, example, got) -> None:
        self._row(example, _short_traceback(got), True)

    def report_failure(self, out, test, example, got) -> None:
        self._row(example, got, False)

    def report_unexpected_exception(self, out, test, example, exc_info):
        last = traceback.format_exception_only(exc_info[0], exc_info[1])
        self._row(example, "Traceback (most recent call last):\n  ...\n"
                  + "".join(last), False)


def _short_traceback(got: str) -> str:
    """Return got with a traceback's middle lines cut to ``...``, as
    doctest examples write it."""
    head = "Traceback (most recent call last):\n"
    if not got.startswith(head):
        return got
    lines = got.splitlines(keepends=True)
    last = [ln for ln in lines[1:] if not ln.startswith((" ", "\t"))]
    return head + "  ...\n" + "".join(last)


def _session(key: str, module: str | None) -> dict:
    """Return the namespace and working folder of key, made on first use."""
    if key not in _SESSIONS:
        globs = ({"__name__": "__docs__"} if module is None
                 else dict(_module(module).__dict__))
        _SESSIONS[key] = {"globs": globs,
                          "folder": tempfile.mkdtemp(prefix="page-")}
    return _SESSIONS[key]


def _module(dotted: str):
    """Return the module that the object called dotted is in."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            return importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
    raise BackpropError(f"no module for {dotted}")


def _svgs(rows: list[dict], globs: dict, names: set[str]) -> list[str]:
    """Return the SVG charts the block printed or bound to a name."""
    found = [m.group(0) for row in rows for m in _SVG.finditer(row["got"])]
    for name in sorted(names):
        value = globs.get(name)
        if isinstance(value, str) and value.lstrip().startswith("<svg"):
            found.append(value)
    return found


def _bound(rows: list[dict]) -> set[str]:
    """Return the names the examples assign to (``svg = ...``)."""
    names = set()
    for row in rows:
        m = re.match(r"\s*([A-Za-z_]\w*)\s*=[^=]", row["source"])
        if m:
            names.add(m.group(1))
    return names


def run_block(args_json: str, post=None) -> str:
    """Run one block; return its examples' outcomes and charts as JSON."""
    args = json.loads(args_json)
    session = _session(args["key"], args.get("module"))
    runner = _Collect()
    home = os.getcwd()
    os.chdir(session["folder"])
    try:
        test = block_test(Block(1, args["source"], 1), session["globs"],
                          args["name"], args["name"])
        runner.run(test, out=lambda text: None, clear_globs=False)
    except ValueError as exc:          # doctest cannot parse the block
        return json.dumps({"rows": [], "svgs": [], "error": str(exc)})
    finally:
        os.chdir(home)
    session["globs"] = test.globs      # the DocTest ran on a copy
    rows = runner.rows
    return json.dumps({"rows": rows, "error": "",
                       "svgs": _svgs(rows, test.globs, _bound(rows))})


# === The playground ========================================================

def _batch(mode: str) -> int | None:
    """Return train's batch_size for the command line's --batch MODE."""
    if mode == "full":
        return None
    return 1 if mode == "sgd" else int(mode)


def _setup(s: dict) -> tuple:
    """Return (data, sizes, activations, train's keyword arguments) of the
    settings s, the same for the run and for the code shown with it."""
    data = datasets.load(s["dataset"])
    sizes = [len(data.X[0]), *s["hidden"], len(data.y[0])]
    acts = [s["activation"]] * len(s["hidden"]) + [data.recipe.output]
    kwargs = {"epochs": s["epochs"], "eta": float(s["eta"]),
              "batch_size": _batch(s["batch"]), "loss": s["loss"],
              "optimizer": s["optimizer"]}
    return data, sizes, acts, kwargs


def code(args_json: str, post=None) -> str:
    """Return the Python (API) and the command line that repeat a run."""
    s = json.loads(args_json)
    data, sizes, acts, kw = _setup(s)
    api = "\n".join([
        "from backprop import Network, datasets, train",
        "",
        f"data = datasets.load({s['dataset']!r})",
        f"net = Network({sizes!r}, {acts!r}, seed={s['seed']!r})",
        f"history = train(net, data.X, data.y, epochs={kw['epochs']!r}, "
        f"eta={kw['eta']!r},",
        f"                batch_size={kw['batch_size']!r}, "
        f"loss={kw['loss']!r},",
        f"                optimizer={kw['optimizer']!r})",
        "print('final loss', history.losses[-1])",
        "print('net.W =', net.W)",
        "print('net.b =', net.b)", ""])
    cli = (f"python -m backprop train {s['dataset']} --hidden "
           f"{','.join(map(str, s['hidden']))} --activation "
           f"{s['activation']} --loss {s['loss']} --optimizer "
           f"{s['optimizer']} --eta {s['eta']!r} --batch {s['batch']} "
           f"--epochs {s['epochs']} --seed {s['seed']}")
    return json.dumps({"api": api, "cli": cli})


def _labels(data) -> list[int]:
    return data.labels if data.labels is not None else \
        [round(t[0]) for t in data.y]


def _pictures(net: Network, data, losses: list[float]) -> dict:
    """Return the loss chart, decision regions (2-D data) and diagram."""
    log_y = bool(losses) and min(losses) > 0 and all(map(math.isfinite,
                                                         losses))
    pictures = {"network": plot.network(net, title="The network now")}
    if losses:
        pictures["chart"] = plot.loss_chart(
            {"training loss": losses}, title="Loss per epoch", log_y=log_y)
    if len(data.X[0]) == 2:
        pictures["regions"] = plot.decision_boundary(
            net.predict, data.X, _labels(data), resolution=24,
            title="Decision regions")
    return pictures


def train(args_json: str, post) -> str:
    """Run the playground's training, posting progress UPDATES times."""
    s = json.loads(args_json)
    data, sizes, acts, kwargs = _setup(s)
    net = Network(sizes, acts, seed=s["seed"])
    _STATE.update(net=net, data=data, settings=s, trained=False)
    every = max(1, kwargs["epochs"] // UPDATES)
    losses: list[float] = []
    drawing = [0.0]           # seconds spent drawing, not training

    def callback(epoch: int, loss: float) -> None:
        losses.append(loss)
        if (epoch + 1) % every == 0 or epoch + 1 == kwargs["epochs"]:
            start = time.perf_counter()
            post(json.dumps({"epoch": epoch + 1, "loss": loss,
                             **_pictures(net, data, losses)}))
            drawing[0] += time.perf_counter() - start

    post(json.dumps({"epoch": 0, **_pictures(net, data, [])}))
    start = time.perf_counter()
    history = fit(net, data.X, data.y, callback=callback, **kwargs)
    seconds = time.perf_counter() - start - drawing[0]
    _STATE["trained"] = True
    return json.dumps({"epochs": len(history.losses), "seconds": seconds,
                       "loss": repr(history.losses[-1]),
                       "W": repr(net.W), "b": repr(net.b)})


def explain(args_json: str, post=None) -> str:
    """Return explain() of one training sample, as JSON text."""
    args = json.loads(args_json)
    s = args["settings"]
    if _STATE.get("settings") != s:      # not trained with these settings
        data, sizes, acts, kwargs = _setup(s)
        _STATE.update(net=Network(sizes, acts, seed=s["seed"]), data=data,
                      settings=s, trained=False)
    data, i = _STATE["data"], args["sample"]
    if not 0 <= i < len(data.X):
        raise BackpropError(f"sample must be 0 to {len(data.X) - 1}")
    text = explain_step(_STATE["net"], data.X[i], data.y[i], eta=s["eta"],
                        loss=s["loss"])
    return json.dumps({"text": text, "trained": _STATE["trained"]})
