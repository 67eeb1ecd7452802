"""MkDocs hook: the site's examples and playground run in the browser.

When the site is built, ``pyodide_runtime.runtime()`` (next to this file)
gives the pinned, integrity-checked Pyodide runtime from its cache,
fetching it with npm the first time. Then this hook

- adds ``assets/javascripts/live.js`` to every page: it puts a Run button
  on each ``>>>`` block and builds the playground;
- gives the playground page the choices it offers (data sets with their
  recipes, activations, losses, optimizers), read from the package, as
  a JSON script element;
- after the build, copies the runtime's files to ``assets/pyodide/`` and
  zips ``backprop/`` (no ``__pycache__``) with ``live_runner.py`` (as
  ``bp_live.py``) into ``assets/pyodide/backprop.zip``, which the worker
  (``assets/javascripts/live-worker.js``) puts on ``sys.path``.

Without the runtime (no npm, no network on the first build...) the build
goes on and logs once, as information, why the pages stay static: the
Run buttons and the playground's controls are simply not there.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import zipfile
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent.parent / "backprop"
SCRIPT = "assets/javascripts/live.js"
TARGET = "assets/pyodide"
PLAYGROUND = "playground.md"
# Zip entries get one fixed time, so the same sources give the same zip.
STAMP = (2020, 1, 1, 0, 0, 0)

_state: dict = {"folder": None}


def _runtime_module():
    """Import pyodide_runtime.py from beside this file (MkDocs loads
    hooks by path, so the folder is not on sys.path)."""
    spec = importlib.util.spec_from_file_location(
        "pyodide_runtime", HERE / "pyodide_runtime.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runtime = _runtime_module()


def on_config(config):
    folder, why = runtime.runtime()
    _state["folder"] = folder
    if folder is None:
        log.info("live examples and playground off (pages show static "
                 "examples): no Pyodide %s runtime: %s", runtime.VERSION,
                 why)
    elif SCRIPT not in [str(s) for s in config.extra_javascript]:
        config.extra_javascript.append(SCRIPT)
    return config


def _choices() -> dict:
    """Return what the playground offers, as the package defines it."""
    from backprop.activations import ACTIVATIONS
    from backprop.datasets import RECIPES, load
    from backprop.losses import LOSSES
    from backprop.optimizers import OPTIMIZERS
    datasets = {}
    for name, recipe in RECIPES.items():
        data = load(name)
        datasets[name] = dict(recipe._asdict(), rows=len(data.X),
                              inputs=len(data.X[0]))
    return {
        "datasets": datasets,
        "activations": [a for a in ACTIVATIONS if a != "softmax"],
        "losses": list(LOSSES), "optimizers": list(OPTIMIZERS)}


def on_page_content(html_text, page, config, files):
    if page.file.src_uri != PLAYGROUND or _state["folder"] is None:
        return html_text
    # In a <script> element nothing is unescaped: keep "</" out of it.
    data = json.dumps(_choices()).replace("<", "\\u003c")
    return (html_text + '\n<script type="application/json" '
            f'id="bp-playground-choices">{data}</script>\n')


def _zip_package(path: Path) -> None:
    """Write backprop/ (sources and data, no caches) and bp_live.py."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for file in sorted(PACKAGE.rglob("*")):
            rel = file.relative_to(PACKAGE.parent)
            if file.is_dir() or "__pycache__" in rel.parts \
                    or file.suffix == ".pyc":
                continue
            z.writestr(zipfile.ZipInfo(rel.as_posix(), STAMP),
                       file.read_bytes(), zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("bp_live.py", STAMP),
                   (HERE / "live_runner.py").read_bytes(),
                   zipfile.ZIP_DEFLATED)


def on_post_build(config):
    folder = _state["folder"]
    if folder is None:
        return
    target = Path(config.site_dir) / TARGET
    target.mkdir(parents=True, exist_ok=True)
    for name in runtime.FILES:
        shutil.copyfile(folder / name, target / name)
    _zip_package(target / "backprop.zip")
    (target / "README.txt").write_text(
        f"Pyodide {runtime.VERSION} (https://pyodide.org), the files that "
        "start it, from the npm package\n"
        f"pyodide@{runtime.VERSION} (integrity {runtime.INTEGRITY}).\n"
        "Pyodide is under the Mozilla Public License 2.0; its source is at "
        "https://github.com/pyodide/pyodide.\n"
        "backprop.zip is the backprop package and bp_live.py, which the "
        "site's live examples run.\n", "utf-8")
