"""Time backprop against NumPy and micrograd on the same work.

Run from the repository root::

    pip install -e ".[bench]"
    python tests/benchmarks/run.py             # full run, ~30 minutes
    python tests/benchmarks/run.py --quick     # smoke run, ~1 minute
    python tests/benchmarks/run.py --profile   # also cProfile the package
    python tests/benchmarks/run.py --interpreters python3.13 pypy3
    python tests/benchmarks/run.py --micrograd-subset 40   # quicker

Every contender runs as a whole process (``contender.py NAME CONFIG``)
that loads the same starting weights and data from a JSON file written
once here, trains, and prints its final loss and the seconds of its
timed region; this script measures each process's wall time as well.
Contenders alternate A B C A B C ..., the table shows medians, and each
ratio is the median of the pair-by-pair ratios (other / package, so a
ratio above 1 means the package was faster). A contender's time counts
only if every one of its runs reached the package's final loss to 1e-9,
which shows that it did the same arithmetic.

The previous release (``--baseline REV``, by default 2074251; ``''`` for
none) is extracted with ``git archive`` into the temporary directory and
timed as one more contender, ``previous``, in every comparison: the same
configs, alternated with the current code in the same run, its
directory first on sys.path for its processes only. Its ratio is
previous / new, so above 1 the new code is faster, and its final loss
must match too (bit for bit where the summation is the same; to 1e-9 on
CPython 3.12+, where the previous release summed with math.sumprod).
``--interpreters`` names other interpreters (python3.13, pypy3, ...)
that time the current code against the previous release, alternated, on
the same JSON configs; they need nothing but the standard library. For
each interpreter the runner also times one dot product the way each
release computes it, which is what the summation choice costs.

Besides NumPy and micrograd (on the whole 64-32-10 epoch, about two
minutes a run; ``--micrograd-subset K`` trains it on K samples and
extrapolates instead), backprop is timed against the hand-tuned floor
``../shared/bench/ref_pure_fast.py`` on that script's own workloads and
weights (its ``common.py``), against itself with Adam (the readable
loop's cost), and on a 784-128-10 network. Every interpreter of
``--interpreters`` also joins every comparison as one more contender
(backprop on that interpreter), and the targets table then gives every
other contender against it: NumPy on CPython against backprop on PyPy.

The full run writes the tables as Markdown to docs/_snippets/perf-table.md
(``--markdown PATH`` to change, ``--markdown ''`` for none); ``--quick``
writes none unless asked. For every comparison with a missed target it
runs backprop's contender once more under cProfile and adds where the
time goes (phases and the top 10 functions by tottime) to the tables;
for a missed import target, the slowest modules of ``-X importtime``.
NumPy processes run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed
from their environment only (set on some of these machines for old
OpenBLAS builds, they slow a current NumPy); every process runs without
PYTHONDONTWRITEBYTECODE, so that a fresh checkout compiles backprop once
(in the warm-up), not in every timed process.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import platform
import shlex
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from harness import (  # noqa: E402
    gauss_weights,
    importtime_rows,
    loglog_slope,
    losses_agree,
    markdown_table,
    median,
    pair_ratios,
    parse_importtime,
    synthetic_digits,
    target_met,
    uniform_weights,
    xor_data,
)

OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
TOL = 1e-9

FULL = dict(runs=11, big_runs=11, xor_epochs=10000, big_samples=1797,
            micrograd_subset=0, micrograd_runs=11,
            hidden=[8, 16, 32, 64, 128, 256],
            scale_samples=200, samples=[100, 200, 400, 800, 1600],
            scale_repeats=3, import_runs=9, interp_runs=11,
            wide_samples=1000, wide_runs=3)
QUICK = dict(runs=2, big_runs=2, xor_epochs=500, big_samples=300,
             micrograd_subset=5, micrograd_runs=2, hidden=[8, 32, 128],
             scale_samples=50, samples=[50, 100, 200], scale_repeats=1,
             import_runs=3, interp_runs=2, wide_samples=50, wide_runs=1)
BASELINE = "2074251"               # the release before the core rewrite


# === Processes ===

def environments():
    """Return (env for most processes, env for NumPy processes).

    PYTHONDONTWRITEBYTECODE is removed from both: with it, a checkout
    without byte code would compile backprop in every process, while
    NumPy's installed byte code is already there.
    """
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    numpy_env = {k: v for k, v in env.items() if k not in OPENBLAS_VARS}
    return env, numpy_env


ENV, NUMPY_ENV = environments()


def run_process(args, env, cwd=None):
    """Return (wall seconds, stdout, stderr) of one whole process."""
    t0 = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=900)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark process failed: {' '.join(args)}\n"
                           f"{proc.stderr[-3000:]}")
    return wall, proc.stdout, proc.stderr


# extra arguments of a contender: run.py sets {"previous": ["--from", DIR]}
CONTENDER_ARGS = {}


def run_contender(name, config, profile=False, python=None):
    """Return the contender's result dict, with "wall" added; *python*
    is the interpreter (this one by default)."""
    env = NUMPY_ENV if name.startswith("numpy") else ENV
    args = [python or sys.executable, str(HERE / "contender.py"), name,
            str(config)] + CONTENDER_ARGS.get(name, [])
    if profile:
        args.append("--profile")
    wall, out, _ = run_process(args, env)
    result_line = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
    result = json.loads(result_line[-1][len("RESULT "):])
    result["wall"] = wall
    if profile:
        result["profile_text"] = out[:out.rfind("RESULT ")]
    return result


def extract_release(rev, tmp):
    """Extract backprop/ as of git revision *rev* into tmp/previous and
    return that directory (``git archive``: the working tree and the
    index are not touched)."""
    target = Path(tmp) / "previous"
    target.mkdir()
    archive = Path(tmp) / "previous.tar"
    with open(archive, "wb") as f:
        subprocess.run(["git", "archive", rev, "backprop"], cwd=REPO,
                       stdout=f, check=True)
    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    with tarfile.open(archive) as tar:
        tar.extractall(target, **safe)
    return target


def describe_rev(rev):
    """Return 'abcdef0, 2026-11-25' for a git revision."""
    out = subprocess.run(["git", "log", "-1", "--format=%h, %cs", rev],
                         cwd=REPO, capture_output=True, text=True)
    return out.stdout.strip() or rev


def real_executable(python):
    """Return the interpreter's own path (not a pyenv shim's, which
    would add a shell to every process). A ``python3.13`` that pyenv
    knows but has not made global is found through PYENV_VERSION."""
    code = ["-c", "import sys; print(sys.executable)"]
    out = subprocess.run([python, *code], capture_output=True, text=True)
    if out.returncode != 0 and python.startswith("python3."):
        versions = subprocess.run(["pyenv", "versions", "--bare"],
                                  capture_output=True, text=True).stdout
        wanted = python[len("python"):]
        for v in versions.split():
            if v == wanted or v.startswith(wanted + "."):
                out = subprocess.run(
                    [python, *code], capture_output=True, text=True,
                    env=dict(os.environ, PYENV_VERSION=v))
                break
    if out.returncode != 0:
        raise SystemExit(f"run.py: cannot run the interpreter {python!r}")
    return out.stdout.strip()


@functools.lru_cache(maxsize=None)
def interpreter_name(python):
    """Return e.g. 'CPython 3.13.0' for an interpreter command."""
    out = subprocess.run(
        [python, "-c", "import platform; print(platform."
         "python_implementation(), platform.python_version())"],
        capture_output=True, text=True, check=True)
    return out.stdout.strip()


def write_config(tmp, name, **cfg):
    """Write one config as JSON and return its path."""
    path = Path(tmp) / (name + ".json")
    path.write_text(json.dumps(cfg))
    return path


# === One comparison ===

class Entry:
    """One contender in one comparison: its label, contender NAME, config
    and, for a subset run, the factor to scale its timed region by."""

    def __init__(self, label, name, config, scale=1.0, check=None,
                 python=None, own=False):
        self.label, self.name, self.config = label, name, config
        self.scale = scale
        self.own = own                # does other arithmetic: its own loss
        self.python = python          # another interpreter, or None
        self.check = check            # config of the package on the subset
        self.results = []

    def walls(self):
        """Whole-process seconds, the timed region scaled up for a
        subset: (wall - timed) + timed * scale."""
        return [r["wall"] + r["elapsed"] * (self.scale - 1.0)
                for r in self.results]


def compare(title, entries, runs, log):
    """Run a warm-up round, then *runs* alternated rounds; return the
    entries with their results (the warm-up's loss is checked too)."""
    log(f"\n## {title} (load {os.getloadavg()[0]:.2f})")
    warm = {}
    for e in entries:
        warm[e.label] = run_contender(e.name, e.config, python=e.python)
        if e.check is not None:
            e.reference = run_contender("package", e.check,
                                        python=e.python)["loss"]
    for r in range(runs):
        for e in entries:
            res = run_contender(e.name, e.config, python=e.python)
            e.results.append(res)
            log(f"  run {r + 1:d} {e.label:<28s} wall {res['wall']:8.3f} s"
                f"  timed {res['elapsed']:8.3f} s  loss {res['loss']:.15g}")
    package = entries[0]
    for e in entries:
        losses = [warm[e.label]["loss"]] + [x["loss"] for x in e.results]
        if e.own:
            e.reference = warm[e.label]["loss"]
        ref = getattr(e, "reference", package.results[0]["loss"])
        e.same_work = losses_agree(ref, losses, TOL)
        e.max_diff = max(abs(v - ref) for v in losses)
        digests = {x.get("weights") for x in
                   [warm[e.label], *e.results, package.results[0]]}
        e.same_bits = (all(v == ref for v in losses) and len(digests) == 1
                       and None not in digests)
        e.same_loss_bits = all(v == ref for v in losses)
    return entries


def target_cells(title, label, ratio, walls_ok, spec):
    """Return (cell text, target row) for one target *spec* = (kind, low,
    high, text): the median pair ratio *ratio* must reach *low* or stay
    at most *high*; ``"report"`` as text only reports it."""
    kind, low, high, text = spec
    if text == "report":
        status = "report"
    elif not walls_ok:
        status = "not counted (loss differs)"
    else:
        status = "met" if target_met(ratio, low, high) else "**MISSED**"
    what = label if kind == "wall" else f"{label} (training loop, timed)"
    cell = status if text == "report" else f"{text}: {status}"
    return cell, [title, what, text, f"{ratio:.2f}", status]


def section_for(title, entries, targets, interp_targets=None):
    """Return (Markdown block, target rows, package entry) for one
    comparison; *targets* maps a label to a list of (kind, low, high,
    text), kind ``"wall"`` or ``"timed"`` (see target_cells). Entries of
    other interpreters (``e.python``) add rows of every other contender
    against them: *interp_targets* maps a label to its target against
    PyPy; every other such row is reported."""
    package = entries[0]
    loss = package.results[0]["loss"]
    largest = max(e.max_diff for e in entries if not e.own)
    notes = [f"Final MSE {loss:.12g}; every run of every contender "
             f"reached it to 1e-9 (largest difference {largest:.1e})"]
    rows, target_rows = [], []
    for e in entries:
        walls = e.walls()
        timed = [r["elapsed"] * e.scale for r in e.results]
        notes += entry_notes(title, package, e)
        ratio_cell, pairs_cell, cells = "1 (reference)", "", []
        if e is not package:
            ratios = pair_ratios(package.walls(), walls)
            ratio_cell = f"{median(ratios):.2f}"
            pairs_cell = " ".join(f"{v:.2f}" for v in ratios)
            ok = e.same_work and package.same_work
            for spec in targets.get(e.label, []):
                mine = ratios if spec[0] == "wall" else pair_ratios(
                    [r["elapsed"] for r in package.results], timed)
                cell, row = target_cells(title, "vs " + e.label,
                                         median(mine), ok, spec)
                cells.append(cell)
                target_rows.append(row)
        rows.append([e.label, str(len(e.results)),
                     f"{median(walls):.3f}", f"{median(timed):.3f}",
                     ratio_cell, pairs_cell, "; ".join(cells)])
    target_rows += interpreter_rows(title, entries, interp_targets or {})
    block = "\n".join(
        ["### " + title, ""] + ["- " + n for n in notes] + [
            "", markdown_table(SECTION_HEADER, rows), ""])
    return block, target_rows, package


def entry_notes(title, package, e):
    """The notes of one entry: a subset, the previous release, a loss
    that differs, a contender that checks its own loss."""
    notes = []
    if e.check is not None:
        notes.append(
            f"{e.label} trained on its first samples only, and so did "
            f"a check run of backprop: both reached MSE "
            f"{e.reference:.12g}; its times are extrapolated to the "
            "whole epoch")
    if e.name == "previous" and e.python is None:
        VERSUS.append((interpreter_name(sys.executable), title,
                       package, e))
        notes.append(f"{e.label}: {bits_text(e)}")
    if e.own:
        notes.append(f"{e.label} does other arithmetic: each of its runs "
                     f"reached its own first run's loss "
                     f"{e.reference:.12g} to 1e-9")
    if not e.same_work:
        notes.append(f"**{e.label} did NOT reach the same loss** "
                     f"(difference {e.max_diff:.1e}): its time does not "
                     "count")
    return notes


def interpreter_rows(title, entries, targets):
    """Target rows of every contender (not backprop itself, not the
    previous release) against backprop on each other interpreter."""
    rows = []
    for it in entries[1:]:
        if it.python is None or it.name != "package":
            continue
        for e in entries[1:]:
            if e.name in ("package", "previous") or e.own:
                continue
            ratio = median(pair_ratios(it.walls(), e.walls()))
            spec = ("wall", None, None, "report")
            if interpreter_name(it.python).startswith("PyPy"):
                spec = targets.get(e.label, spec)
            _, row = target_cells(title, f"{e.label} vs {it.label}", ratio,
                                  e.same_work and it.same_work, spec)
            rows.append(row)
    return rows


SECTION_HEADER = ["contender", "runs", "median wall s", "median timed s",
                  "backprop faster by", "pair ratios", "target"]
PROFILE_INTRO = (
    "### Where the time goes in the missed targets\n\n"
    "For every comparison with a missed target, one more run of "
    "backprop's contender under cProfile (its training only). The phases "
    "are the cumulative time of the forward pass (`Network.forward`, or "
    "`_fast._forward`, `_fast._forward_batch` and `_fast._layer` when "
    "plain gradient descent takes the fast path), "
    "the deltas (`Network.deltas`, `_fast._back`, `output_delta`), the "
    "update (`mean_gradient` and `GradientDescent.step`, or "
    "`_fast._step` and `_fast._step_mean`) and the reported loss (`mse`), "
    "a call from one to another of the same phase counted once; the rest "
    "is the training loop itself. For a missed import target, the slowest "
    "modules of `-X importtime`.\n")
TARGET_HEADER = ["comparison", "contender", "target", "measured",
                 "status"]


# === The benchmarks ===

PREVIOUS_LABEL = None     # "previous release (abcdef0 ...)" when timed
OTHER_PYTHONS = []        # --interpreters: in every comparison too
FLOOR = REPO.parent / "shared" / "bench"     # ref_pure_fast.py, common.py
VERSUS = []               # (interpreter, title, new Entry, previous Entry)


def previous(cfg, python=None):
    """The previous release's entry for a comparison, or none."""
    if PREVIOUS_LABEL is None:
        return []
    return [Entry(PREVIOUS_LABEL, "previous", cfg, python=python)]

def interpreters(cfg):
    """Entries of backprop on the other interpreters (``--interpreters``)
    for a comparison: the same config, alternated with the rest."""
    return [Entry(f"backprop on {interpreter_name(py)}", "package", cfg,
                  python=py) for py in OTHER_PYTHONS]


def wall(low=None, high=None, text=None):
    """A whole-process target (see target_cells)."""
    return ("wall", low, high, text)


def bench_xor_batch(tmp, p, log):
    X, Y = xor_data()
    W, b = gauss_weights([2, 4, 1], seed=0)
    cfg = write_config(tmp, "xor_batch", W=W, b=b, X=X, Y=Y,
                       epochs=p["xor_epochs"], eta=0.1, batch_size=None,
                       loss="binary_cross_entropy")
    entries = [Entry("backprop", "package", cfg), *previous(cfg),
               Entry("NumPy (seed 000 class)", "numpy_seed000", cfg),
               Entry("micrograd", "micrograd", cfg), *interpreters(cfg)]
    title = (f"XOR 2-4-1 full batch, {p['xor_epochs']:d} epochs, "
             "BCE update (a - y)")
    compare(title, entries, p["runs"], log)
    targets = {"NumPy (seed 000 class)": [wall(1.3, None, ">= 1.3x")],
               "micrograd": [wall(12.0, None, ">= 12x")]}
    return [section_for(title, entries, targets)], cfg


def bench_xor_sgd(tmp, p, log):
    X, Y = xor_data()
    W, b = uniform_weights([2, 2, 1], seed=0)
    cfg = write_config(tmp, "xor_sgd", W=W, b=b, X=X, Y=Y,
                       epochs=p["xor_epochs"], eta=0.1, batch_size=1,
                       loss="half_sse")
    entries = [Entry("backprop", "package", cfg), *previous(cfg),
               Entry("NumPy (seed 002 code)", "numpy_seed002", cfg),
               *interpreters(cfg)]
    title = (f"XOR 2-2-1 per-sample SGD, {p['xor_epochs']:d} epochs, "
             "half SSE")
    compare(title, entries, p["runs"], log)
    targets = {"NumPy (seed 002 code)": [wall(3.0, None, ">= 3x")]}
    return [section_for(title, entries, targets)], cfg


def bench_big(tmp, p, log):
    n = p["big_samples"]
    X, Y = synthetic_digits(n)
    W, b = gauss_weights([64, 32, 10], seed=1, scaled=True)
    common = dict(W=W, b=b, epochs=1, eta=0.1, loss="half_sse")
    sgd = write_config(tmp, "big_sgd", X=X, Y=Y, batch_size=1, **common)
    full = write_config(tmp, "big_full", X=X, Y=Y, batch_size=None,
                        **common)
    numpy = "NumPy per sample (seed 002 code)"
    entries = [Entry("backprop", "package", sgd), *previous(sgd),
               Entry(numpy, "numpy_seed002", sgd), *interpreters(sgd)]
    title = f"64-32-10 per-sample SGD, 1 epoch of {n:d} samples"
    compare(title, entries, p["big_runs"], log)
    sections = [section_for(
        title, entries, {numpy: [wall(0.3, None, ">= 0.3x (the floor)")]},
        {numpy: wall(1.0, None, ">= 1x")})]
    entries = [Entry("backprop", "package", full), *previous(full),
               Entry("NumPy full batch (seed 000 class)", "numpy_seed000",
                     full)]
    title = f"64-32-10 full batch, 1 epoch of {n:d} samples"
    compare(title, entries, p["big_runs"], log)
    sections.append(section_for(title, entries, {}))
    return sections, sgd, full


def bench_micrograd_epoch(tmp, p, log, sgd):
    """64-32-10 per-sample against micrograd on the whole epoch (with
    ``micrograd_subset`` samples, a quick run extrapolates instead)."""
    cfg = json.loads(Path(sgd).read_text())
    n, k = len(cfg["X"]), p["micrograd_subset"] or len(cfg["X"])
    if k >= n:
        label, entry = "micrograd", Entry("micrograd", "micrograd", sgd)
    else:
        sub = write_config(tmp, "big_sub", **dict(cfg, X=cfg["X"][:k],
                                                  Y=cfg["Y"][:k]))
        label = f"micrograd ({k:d} samples, x{n / k:.1f})"
        entry = Entry(label, "micrograd", sub, scale=n / k, check=sub)
    entries = [Entry("backprop", "package", sgd), entry]
    title = f"64-32-10 per-sample SGD vs micrograd, 1 epoch of {n:d} samples"
    compare(title, entries, p["micrograd_runs"], log)
    targets = {label: [("timed", 250.0, None, ">= 250x"),
                       wall(150.0, None, ">= 150x")]}
    return [section_for(title, entries, targets)]


def bench_adam(tmp, p, log, sgd):
    """The teaching path's cost: Adam (the readable loop) against plain
    gradient descent (the fast path) on the 64-32-10 epoch."""
    cfg = json.loads(Path(sgd).read_text())
    adam = write_config(tmp, "big_adam", **dict(cfg, optimizer="adam"))
    entries = [Entry("backprop", "package", sgd),
               Entry("backprop with Adam", "package", adam, own=True)]
    for py in OTHER_PYTHONS:
        name = interpreter_name(py)
        entries += [Entry(f"backprop on {name}", "package", sgd, python=py),
                    Entry(f"backprop with Adam on {name}", "package", adam,
                          python=py, own=True)]
    title = (f"64-32-10 per-sample, Adam vs plain gradient descent, 1 epoch "
             f"of {len(cfg['X']):d} samples")
    compare(title, entries, p["big_runs"], log)
    targets = {"backprop with Adam": [wall(None, 2.0, "<= 2x")]}
    section = section_for(title, entries, targets)
    for gd, ad in zip(entries[2::2], entries[3::2]):
        ratio = median(pair_ratios(gd.walls(), ad.walls()))
        section[1].append([title, f"{ad.label} / {gd.label}", "report",
                           f"{ratio:.2f}", "report"])
    return [section]


# The floor calls math.exp, whose last bit differs between C libraries;
# backprop computes its own (backprop.elementary), the same everywhere.
# The same floor with that exp shows what the difference costs.
FLOOR_SAME_EXP = "the floor with backprop's exp (backprop.elementary.exp)"


def bench_floor(tmp, p, log):
    """backprop against the hand-tuned floor on the floor's own two
    workloads, with the weights and data of its common.py."""
    if not FLOOR.is_dir():
        log(f"\n## The floor: {FLOOR} not found, skipped")
        return []
    sys.path.insert(0, str(FLOOR))
    import common
    sections = []
    for task, (layers, (X, Y)), extra in (
            ("xor", (common.xor_layers(), (common.XOR_X, common.XOR_Y)),
             dict(epochs=10000, eta=0.1, batch_size=None,
                  loss="binary_cross_entropy")),
            ("digits", (common.digits_layers(), common.digits_data()),
             dict(epochs=1, eta=0.5, batch_size=1, loss="half_sse"))):
        cfg = write_config(tmp, "floor_" + task, task=task, X=X, Y=Y,
                           W=[W for W, _ in layers],
                           b=[b for _, b in layers], final_mse=True,
                           **extra)
        same_exp = write_config(tmp, "floor_exp_" + task, task=task,
                                floor_exp="backprop")
        entries = [Entry("backprop", "package", cfg),
                   Entry("the floor (ref_pure_fast.py)", "floor", cfg),
                   Entry(FLOOR_SAME_EXP, "floor", same_exp)]
        title = (f"The pure-Python floor, {task}: "
                 f"{'-'.join(str(len(W[0])) for W, _ in layers)}-"
                 f"{len(layers[-1][0])}, {extra['epochs']} epochs")
        compare(title, entries, p["runs"], log)
        sections.append(section_for(title, entries, {
            "the floor (ref_pure_fast.py)": [wall(0.9, None, ">= 0.9x")],
            FLOOR_SAME_EXP: [wall(text="report")]}))
    return sections


def bench_wide(tmp, p, log):
    """784-128-10 per sample: where pure Python stops being the tool."""
    n = p["wide_samples"]
    X, Y = synthetic_digits(n, n_features=784)
    W, b = gauss_weights([784, 128, 10], seed=2, scaled=True)
    cfg = write_config(tmp, "wide", W=W, b=b, X=X, Y=Y, epochs=1,
                       eta=0.1, batch_size=1, loss="half_sse")
    entries = [Entry("backprop", "package", cfg),
               Entry("NumPy per sample (seed 002 code)", "numpy_seed002",
                     cfg), *interpreters(cfg)]
    title = f"784-128-10 per-sample SGD, 1 epoch of {n:d} samples"
    compare(title, entries, p["wide_runs"], log)
    return [section_for(title, entries, {
        "NumPy per sample (seed 002 code)": [wall(text="report")]})]


def bench_scaling(tmp, p, log):
    """Return (rows, slopes): package seconds per epoch of per-sample SGD
    on 64-h-10 as h grows, then as the sample count grows."""
    log(f"\n## Scaling (load {os.getloadavg()[0]:.2f})")
    points = [(h, p["scale_samples"]) for h in p["hidden"]]
    points += [(32, m) for m in p["samples"]]
    X, Y = synthetic_digits(max(m for _, m in points))
    rows, sweeps = [], {"hidden": [], "samples": []}
    for i, (h, m) in enumerate(points):
        W, b = gauss_weights([64, h, 10], seed=1, scaled=True)
        cfg = write_config(tmp, f"scale_{i:d}", W=W, b=b, X=X[:m],
                           Y=Y[:m], epochs=1, eta=0.1, batch_size=1,
                           loss="half_sse")
        # best of the repeats: other work on the machine only adds time
        t = min(run_contender("package", cfg)["elapsed"]
                for _ in range(p["scale_repeats"]))
        n_weights = 64 * h + h * 10
        sweep = "hidden" if i < len(p["hidden"]) else "samples"
        sweeps[sweep].append((n_weights * m, t))
        rows.append([sweep, f"64-{h:d}-10", str(n_weights), str(m),
                     f"{t:.4f}", f"{t / (n_weights * m) * 1e9:.1f}"])
        log(f"  {sweep:<8s} 64-{h:d}-10 m={m:d}: {t:.4f} s/epoch")
    slopes = {k: loglog_slope([x for x, _ in v], [t for _, t in v])
              for k, v in sweeps.items()}
    return rows, slopes


def bench_interpreters(pythons, workloads, p, log):
    """Time the current code against the previous release under each
    interpreter of *pythons*, alternated, on the (title, config) pairs of
    *workloads*; the results go to VERSUS."""
    for python in pythons:
        name = interpreter_name(python)
        for title, cfg in workloads:
            entries = [Entry("backprop", "package", cfg, python=python),
                       *previous(cfg, python=python)]
            compare(f"{title}, {name}", entries, p["interp_runs"], log)
            if len(entries) == 2:
                VERSUS.append((name, title, entries[0], entries[1]))


DOT_SCRIPT = r"""
REPEATS = 15
import json, math, random, sys, timeit
from operator import mul
from backprop.matrix import total
START = total(())
old = ("math.sumprod(w, a)" if hasattr(math, "sumprod")
       else "sum(map(mul, w, a))")
new = "sum(map(mul, w, a), START)"
out = {"old": old, "new": new, "START": type(START).__name__, "n": {}}
for n in (2, 4, 32, 64):
    rng = random.Random(n)
    g = {"math": math, "mul": mul, "START": START,
         "w": [rng.gauss(0.0, 1.0) for _ in range(n)],
         "a": [rng.random() for _ in range(n)]}
    timers = {"old": timeit.Timer(old, globals=g),
              "new": timeit.Timer(new, globals=g)}
    number = max(timers["old"].autorange()[0] // 4, 1000)
    row = {"old": float("inf"), "new": float("inf")}
    for _ in range(REPEATS):              # alternated: noise hits both
        for key, t in timers.items():
            row[key] = min(row[key], t.timeit(number) / number * 1e9)
    out["n"][n] = row
print(json.dumps(out))
"""


def bench_dot(pythons, log):
    """Return rows: one dot product as each release computes it (the
    previous release: math.sumprod on CPython 3.12+, else
    sum(map(mul, w, a)); the current code: sum(..., START), see
    backprop.matrix.total), ns per call, best of 15 alternated
    timeit repeats."""
    log(f"\n## One dot product (load {os.getloadavg()[0]:.2f})")
    rows = []
    for python in pythons:
        _, out, _ = run_process([python, "-c", DOT_SCRIPT], ENV)
        res = json.loads(out.strip().splitlines()[-1])
        for n, t in res["n"].items():
            rows.append([interpreter_name(python), n, f"`{res['old']}`",
                         f"{t['old']:.0f}",
                         f"`{res['new']}` (START a {res['START']})",
                         f"{t['new']:.0f}", f"{t['new'] / t['old']:.2f}"])
            log("  " + " | ".join(rows[-1]))
    return rows


DOT_HEADER = ["interpreter", "n", "previous release", "ns",
              "current code", "ns", "current / previous"]


def bits_text(e):
    """How closely a previous-release entry matched the current code."""
    if e.same_bits:
        return "same bits (final loss and weights) in every run"
    if e.same_loss_bits:
        return ("same final loss to the bit, but the final weights differ "
                "in their last bits")
    if e.same_work:
        return (f"final loss differs by up to {e.max_diff:.1e} (within "
                "1e-9); weights differ in their last bits")
    return f"**final loss DIFFERS** by up to {e.max_diff:.1e}"


def versus_rows(reference):
    """Rows of the new-vs-previous table from VERSUS; *reference* maps a
    workload title to the current code's final loss on this interpreter,
    which every interpreter's run should reach bit for bit."""
    rows = []
    for name, title, new, prev in VERSUS:
        n = len(new.results)
        wall = pair_ratios(new.walls(), prev.walls())
        timed_new = [r["elapsed"] for r in new.results]
        timed_prev = [r["elapsed"] for r in prev.results]
        timed = pair_ratios(timed_new, timed_prev)
        loss = "previous: " + bits_text(prev)
        ref = reference.get(title)
        if ref is not None and name != interpreter_name(sys.executable):
            same = all((r["loss"], r["weights"]) == ref
                       for r in new.results)
            loss += ("; current: same bits as on " if same else
                     "; current: **other bits** than on "
                     ) + interpreter_name(sys.executable)
        rows.append([
            name, title, str(n),
            f"{median([w for w in prev.walls()]):.3f}",
            f"{median(new.walls()):.3f}",
            f"**{median(wall):.2f}** ({min(wall):.2f}-{max(wall):.2f})",
            f"{median(timed_prev):.3f}", f"{median(timed_new):.3f}",
            f"**{median(timed):.2f}** ({min(timed):.2f}-{max(timed):.2f})",
            f"{sum(v > 1.0 for v in timed):d} of {n:d}", loss])
    return rows


VERSUS_HEADER = ["interpreter", "workload", "pairs", "previous wall s",
                 "current wall s", "previous / current, wall (min-max)",
                 "previous timed s", "current timed s",
                 "previous / current, timed (min-max)",
                 "current faster (timed pairs)",
                 "same bits? (final loss, weights)"]


def bench_import(p, log):
    """Return {module: [ms, ...]} from alternated ``-X importtime`` runs
    (after one warm-up each, so byte code is compiled)."""
    log(f"\n## Import time (load {os.getloadavg()[0]:.2f})")
    times = {"backprop": [], "numpy": []}
    last_err = {}
    with tempfile.TemporaryDirectory() as cwd:
        for r in range(p["import_runs"] + 1):
            for module in times:
                env = NUMPY_ENV if module == "numpy" else ENV
                _, _, err = run_process(
                    [sys.executable, "-X", "importtime", "-c",
                     "import " + module], env, cwd=cwd)
                if r > 0:
                    times[module].append(parse_importtime(err, module))
                    last_err[module] = err
    for module, ms in times.items():
        runs = " ".join(f"{v:.1f}" for v in ms)
        log(f"  import {module:<8s} median {median(ms):.2f} ms  runs {runs}")
    return times, last_err["backprop"]


def import_profile_block(stderr, log):
    """Return Markdown for a missed import target: the modules that took
    the most time of their own in the last ``import backprop``."""
    rows = importtime_rows(stderr, "backprop")[:10]
    text = ["#### Where the time goes: `import backprop`", "",
            "The modules with the most time of their own (self, "
            "excluding their imports) in the last alternated run of "
            "`python -X importtime -c \"import backprop\"`:", "",
            markdown_table(["module", "self ms", "cumulative ms"],
                           [[f"`{m}`", f"{s:.2f}", f"{c:.2f}"]
                            for m, s, c in rows]), ""]
    log("\n".join(text))
    return "\n".join(text)


# === Context and output ===

def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version_of(dist):
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:  # not installed, or Python without importlib.metadata
        return "not installed"


def context_lines(numpy_info, load_start, load_end, quick):
    set_vars = [f"{k}={os.environ[k]}" for k in OPENBLAS_VARS
                if k in os.environ]
    blas_env = (", ".join(set_vars) + " set here, removed for the NumPy "
                "processes only" if set_vars
                else "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE not set")
    busy = max(load_start, load_end) > (os.cpu_count() or 1)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        blas_env += ("; PYTHONDONTWRITEBYTECODE set here, removed for "
                     "every benchmark process, so that byte code is "
                     "written once, as by default")
    return [
        "- Date: {}".format(datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC")),
        f"- Machine: {cpu_model()}, {os.cpu_count() or 0:d} cores, "
        f"{platform.system()} {platform.machine()}",
        "- Python {} ({}); NumPy {}, BLAS: {}; micrograd {}".format(
            platform.python_version(), platform.python_implementation(),
            numpy_info.get("version", "?"), numpy_info.get("blas", "?"),
            version_of("micrograd")),
        f"- {blas_env}",
        f"- Load average (1 min) at start {load_start:.2f}, at end "
        f"{load_end:.2f} ({os.cpu_count() or 0:d} cores; "
        "the machine is shared, so other work may add noise)" + (
            ": **busier than its cores, so these timings are noisy**"
            if busy else ""),
        "- Mode: " + ("QUICK smoke run (fewer epochs and runs: ratios "
                      "are not comparable with the targets)" if quick
                      else "full run"),
    ]


def overhead_table(overhead):
    rows = [[k, f"{v:.3f}"] for k, v in overhead.items()]
    return markdown_table(["operation", "microseconds per call"], rows)


def print_profiles(configs, log):
    for title, cfg in configs:
        res = run_contender("package", cfg, profile=True)
        log(f"\n## cProfile of backprop: {title} (top 15 by tottime)\n")
        log(res["profile_text"])


def profile_block(title, missed, package, log):
    """Return Markdown for one comparison with missed targets: where
    backprop's time goes, from a cProfile run of its contender."""
    log(f"\n## Profile of backprop: {title}")
    res = run_contender("package", package.config, profile=True)
    prof = res["profile"]
    cfg = json.loads(Path(package.config).read_text())
    steps = cfg["epochs"] * len(cfg["X"])
    n_params = sum(len(row) for W in cfg["W"] for row in W) + sum(
        len(b) for b in cfg["b"])
    unprofiled = median([r["elapsed"] for r in package.results])
    phases = ", ".join(f"{name} {share:.0f}%"
                       for name, share in prof["phases"].items()
                       if share > 0.0)
    calls = prof["calls"] / steps
    text = [
        "#### Where the time goes: " + title, "",
        "Missed here: {}.".format("; ".join(missed)), "",
        f"Under cProfile backprop's training took {res['elapsed']:.2f} s "
        f"({unprofiled:.2f} s without "
        "it: the profiler adds a cost to every call, so it exaggerates "
        f"call-heavy code) and made {prof['calls']:d} function calls, "
        f"**{calls:.0f} per sample "
        f"step** ({steps:d} steps) for a network of {n_params:d} weights "
        "and biases. Of the "
        f"profiled time: {phases}. Built-in functions, which run as C code "
        "(the sums of products among them), take "
        f"{100.0 * prof['builtin'] / prof['total']:.0f}%; the rest runs as "
        "Python bytecode in backprop's own functions and "
        "comprehensions.",
        "",
        f"Top {len(prof['rows']):d} functions by own time (tottime, "
        "excluding what they call):", "",
        markdown_table(
            ["function", "calls", "calls per step", "tottime s",
             "% of total", "cumtime s"],
            [[f"`{label}`", str(nc), f"{nc / steps:.1f}", f"{tt:.3f}",
              f"{pct:.1f}", f"{ct:.3f}"]
             for label, nc, tt, pct, ct in prof["rows"]]), ""]
    log("\n".join(text))
    return "\n".join(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer epochs and runs: a smoke run")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of the package's contender "
                             "for each comparison (top 15 by tottime)")
    parser.add_argument("--markdown", default=None,
                        help="write the tables as Markdown here (default "
                             "docs/_snippets/perf-table.md for a full run)")
    parser.add_argument("--baseline", "--previous", default=BASELINE,
                        metavar="REV",
                        help="time the release at git revision REV "
                             f"(default {BASELINE}) alternated with the "
                             "current code; '' for none")
    parser.add_argument("--interpreters", nargs="*", default=[],
                        metavar="PYTHON",
                        help="other interpreters (e.g. python3.13 pypy3) "
                             "that time the current code against the "
                             "previous release on the same configs")
    parser.add_argument("--micrograd-subset", type=int, default=None,
                        metavar="K",
                        help="time micrograd on the first K samples of the "
                             "64-32-10 epoch and extrapolate (default: the "
                             "whole epoch, about 2 minutes a run)")
    args = parser.parse_args(argv)
    global PREVIOUS_LABEL
    p = QUICK if args.quick else FULL
    markdown = args.markdown
    if markdown is None and not args.quick:
        markdown = str(REPO / "docs" / "_snippets" / "perf-table.md")
    log = lambda s: print(s, flush=True)  # noqa: E731
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    pythons = [real_executable(py) for py in args.interpreters]
    OTHER_PYTHONS[:] = pythons
    CONTENDER_ARGS["floor"] = ["--from", str(FLOOR)]
    if args.micrograd_subset is not None:
        p = dict(p, micrograd_subset=args.micrograd_subset)
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            CONTENDER_ARGS["previous"] = [
                "--from", str(extract_release(args.baseline, tmp))]
            PREVIOUS_LABEL = ("previous release "
                              f"({describe_rev(args.baseline)})")
        sections, cfg_xb = bench_xor_batch(tmp, p, log)
        more, cfg_xs = bench_xor_sgd(tmp, p, log)
        sections += more
        more, cfg_big, cfg_full = bench_big(tmp, p, log)
        sections += more
        sections += bench_micrograd_epoch(tmp, p, log, cfg_big)
        sections += bench_adam(tmp, p, log, cfg_big)
        sections += bench_floor(tmp, p, log)
        sections += bench_wide(tmp, p, log)
        reference = {title: (new.results[0]["loss"],
                             new.results[0]["weights"])
                     for _, title, new, _ in VERSUS}
        if PREVIOUS_LABEL is not None:
            bench_interpreters(pythons, [
                (title, new.config) for _, title, new, _ in VERSUS],
                p, log)
        dot_rows = bench_dot([sys.executable] + pythons, log)
        scale_rows, slopes = bench_scaling(tmp, p, log)
        imports, import_err = bench_import(p, log)
        cfg = write_config(tmp, "overhead", number=20000, Y=[[0.0]])
        numpy_res = run_contender("numpy_overhead", cfg)
        profiles = [
            profile_block(rows[0][0], [
                f"{row[1]} {row[2]} (measured {row[3]})" for row in rows
                if row[4] == "**MISSED**"], package, log)
            for _, rows, package in sections
            if any(row[4] == "**MISSED**" for row in rows)]
        if profiles:
            profiles.insert(0, PROFILE_INTRO)
        if args.profile:
            print_profiles([("XOR full batch", cfg_xb),
                            ("XOR per-sample SGD", cfg_xs),
                            ("64-32-10 per-sample SGD", cfg_big)], log)
    target_rows = [row for _, rows, _ in sections for row in rows]
    import_ms = {k: median(v) for k, v in imports.items()}
    target_rows.append(["`import backprop`", "", "< 5 ms",
                        "{:.2f} ms".format(import_ms["backprop"]),
                        "met" if import_ms["backprop"] < 5.0
                        else "**MISSED**"])
    if target_rows[-1][4] == "**MISSED**":
        profiles += ([] if profiles else [PROFILE_INTRO]) + [
            import_profile_block(import_err, log)]
    import_table = markdown_table(
        ["module", "runs", "median ms", "each run, ms"],
        [[module, str(len(ms)), f"{median(ms):.2f}",
          " ".join(f"{v:.1f}" for v in ms)]
         for module, ms in imports.items()])
    scale_table = markdown_table(
        ["sweep", "network", "weights", "samples", "s per epoch",
         "ns per weight x sample"], scale_rows)
    slope_text = ("Log-log slope of time per epoch against weights x "
                  "samples: **{:.2f}** as the hidden layer grows ({}), "
                  "**{:.2f}** as the sample count grows ({}); 1 means "
                  "linear.".format(
                      slopes["hidden"],
                      " -> ".join(str(h) for h in p["hidden"]),
                      slopes["samples"],
                      " -> ".join(str(m) for m in p["samples"])))
    versus = []
    if VERSUS:
        versus = [
            "### Current code vs " + PREVIOUS_LABEL, "",
            "The same configs (weights, data, epochs) trained by the "
            "current code and by the previous release, alternated in this "
            "run, on each interpreter; the previous release's package is "
            f"`git archive {args.baseline}`, first on sys.path for its "
            "processes only. A ratio is previous / current, the median of "
            "the pair-by-pair ratios (min-max beside it): above 1, the "
            "current code is faster. The timed columns are the training "
            "loop alone, where the summation runs; the wall columns add "
            "interpreter start-up and imports. The last column compares "
            "the final loss and a digest of the final weights and biases "
            "of every run of the previous release with the current "
            "code's and, on the other interpreters, the current code's "
            "with its run on " + interpreter_name(sys.executable) +
            " here.", "",
            markdown_table(VERSUS_HEADER, versus_rows(reference)), "",
            "#### One dot product, the way each release sums", "",
            "The previous release summed with `math.sumprod` on CPython "
            "3.12+ (its last bits differ from a left-to-right sum) and "
            "with `sum(map(mul, w, a))` elsewhere; the current code adds "
            "left to right from `START = matrix.total(())` on every "
            "Python, a float subclass on 3.12+ so that `sum()` skips its "
            "compensated float path. Nanoseconds per call, best of 15 "
            "timeit repeats alternated between the two, for the vector "
            "lengths of the benchmark networks:", "",
            markdown_table(DOT_HEADER, dot_rows), ""]
    context = context_lines(numpy_res.get("numpy", {}), load_start,
                            os.getloadavg()[0], args.quick)
    command = " ".join(["python tests/benchmarks/run.py"] + [
        shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv)])
    text = "\n".join(
        [f"Generated by `{command}` in {time.perf_counter() - started:.0f} s.",
         ""] + context +
        ["", "Times are whole processes (interpreter start, imports, "
         "loading the shared weights, training) unless the column says "
         "timed (the training loop alone). A ratio is other / backprop "
         "wall time, the median of the pair-by-pair ratios of alternated "
         "runs: above 1, backprop was faster.", "",
         "### Targets", "", markdown_table(TARGET_HEADER, target_rows), ""]
        + versus + [block for block, _, _ in sections] + profiles +
        ["### Import time", "",
         "Cumulative milliseconds of the top-level module in "
         "`python -X importtime -c \"import MODULE\"`, alternated runs "
         "after one warm-up:", "", import_table, "",
         "### Scaling", "",
         "backprop, per-sample SGD on 64-h-10, one epoch; the timed "
         f"region, best of {p['scale_repeats']:d} processes:", "",
         scale_table, "", slope_text, "",
         "### Cost of one tiny operation", "",
         "On a 2-4-1 layer, best of 3 timeit repeats:", "",
         overhead_table(numpy_res["overhead"]), ""])
    log("\n" + text)
    if markdown:
        Path(markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(markdown).write_text(text)
        log(f"wrote {markdown}")


if __name__ == "__main__":
    main()
