"""Time backprop against NumPy and micrograd on the same work.

Run from the repository root::

    pip install -e ".[bench]"
    python tests/benchmarks/run.py             # full run, ~3-5 minutes
    python tests/benchmarks/run.py --quick     # smoke run, ~1 minute
    python tests/benchmarks/run.py --profile   # also cProfile the package

Every contender runs as a whole process (``contender.py NAME CONFIG``)
that loads the same starting weights and data from a JSON file written
once here, trains, and prints its final loss and the seconds of its
timed region; this script measures each process's wall time as well.
Contenders alternate A B C A B C ..., the table shows medians, and each
ratio is the median of the pair-by-pair ratios (other / package, so a
ratio above 1 means the package was faster). A contender's time counts
only if every one of its runs reached the package's final loss to 1e-9,
which shows that it did the same arithmetic.

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
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from harness import (  # noqa: E402
    gauss_weights, importtime_rows, loglog_slope, losses_agree,
    markdown_table, median, pair_ratios, parse_importtime, synthetic_digits,
    target_met, uniform_weights, xor_data,
)

OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
TOL = 1e-9

FULL = dict(runs=5, big_runs=3, xor_epochs=10000, big_samples=1797,
            micrograd_subset=40, hidden=[8, 16, 32, 64, 128, 256],
            scale_samples=200, samples=[100, 200, 400, 800, 1600],
            scale_repeats=3, import_runs=9)
QUICK = dict(runs=2, big_runs=2, xor_epochs=500, big_samples=300,
             micrograd_subset=5, hidden=[8, 32, 128], scale_samples=50,
             samples=[50, 100, 200], scale_repeats=1, import_runs=3)


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
        raise RuntimeError("benchmark process failed: %s\n%s"
                           % (" ".join(args), proc.stderr[-3000:]))
    return wall, proc.stdout, proc.stderr


def run_contender(name, config, profile=False):
    """Return the contender's result dict, with "wall" added."""
    env = NUMPY_ENV if name.startswith("numpy") else ENV
    args = [sys.executable, str(HERE / "contender.py"), name, str(config)]
    if profile:
        args.append("--profile")
    wall, out, _ = run_process(args, env)
    result_line = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
    result = json.loads(result_line[-1][len("RESULT "):])
    result["wall"] = wall
    if profile:
        result["profile_text"] = out[:out.rfind("RESULT ")]
    return result


def write_config(tmp, name, **cfg):
    """Write one config as JSON and return its path."""
    path = Path(tmp) / (name + ".json")
    path.write_text(json.dumps(cfg))
    return path


# === One comparison ===

class Entry:
    """One contender in one comparison: its label, contender NAME, config
    and, for a subset run, the factor to scale its timed region by."""

    def __init__(self, label, name, config, scale=1.0, check=None):
        self.label, self.name, self.config = label, name, config
        self.scale = scale
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
    log("\n## %s (load %.2f)" % (title, os.getloadavg()[0]))
    warm = {}
    for e in entries:
        warm[e.label] = run_contender(e.name, e.config)
        if e.check is not None:
            e.reference = run_contender("package", e.check)["loss"]
    for r in range(runs):
        for e in entries:
            res = run_contender(e.name, e.config)
            e.results.append(res)
            log("  run %d %-28s wall %8.3f s  timed %8.3f s  loss %.15g"
                % (r + 1, e.label, res["wall"], res["elapsed"], res["loss"]))
    package = entries[0]
    for e in entries:
        losses = [warm[e.label]["loss"]] + [x["loss"] for x in e.results]
        ref = getattr(e, "reference", package.results[0]["loss"])
        e.same_work = losses_agree(ref, losses, TOL)
        e.max_diff = max(abs(v - ref) for v in losses)
    return entries


def section_for(title, entries, targets):
    """Return (Markdown block, target rows) for one comparison; *targets*
    maps a label to (at_least, text)."""
    package = entries[0]
    loss = package.results[0]["loss"]
    notes = ["Final MSE (last epoch) %.12g; every run of every contender "
             "reached it to 1e-9 (largest difference %.1e)" % (
                 loss, max(e.max_diff for e in entries))]
    rows, target_rows = [], []
    for e in entries:
        walls = e.walls()
        timed = [r["elapsed"] * e.scale for r in e.results]
        if e.check is not None:
            notes.append(
                "%s trained on its first samples only, and so did a "
                "check run of backprop: both reached MSE %.12g; its times "
                "are extrapolated to the whole epoch" % (e.label,
                                                         e.reference))
        if not e.same_work:
            notes.append("**%s did NOT reach the same loss** (difference "
                         "%.1e): its time does not count" % (e.label,
                                                            e.max_diff))
        ratio = None
        ratio_cell, pairs_cell = "1 (reference)", ""
        if e is not package:
            ratios = pair_ratios(package.walls(), walls)
            ratio = median(ratios)
            ratio_cell = "%.2f" % ratio
            pairs_cell = " ".join("%.2f" % v for v in ratios)
        target_cell = ""
        if e.label in targets:
            at_least, text = targets[e.label]
            if not e.same_work or not package.same_work:
                status = "not counted (loss differs)"
            else:
                status = ("met" if target_met(ratio, at_least)
                          else "**MISSED**")
            target_cell = "%s: %s" % (text, status)
            target_rows.append([title, "vs " + e.label, text,
                                "%.2f" % ratio, status])
        rows.append([e.label, str(len(e.results)),
                     "%.3f" % median(walls), "%.3f" % median(timed),
                     ratio_cell, pairs_cell, target_cell])
    block = "\n".join(
        ["### " + title, ""] + ["- " + n for n in notes] + [
            "", markdown_table(SECTION_HEADER, rows), ""])
    return block, target_rows, package


SECTION_HEADER = ["contender", "runs", "median wall s", "median timed s",
                  "backprop faster by", "pair ratios", "target"]
PROFILE_INTRO = (
    "### Where the time goes in the missed targets\n\n"
    "For every comparison with a missed target, one more run of "
    "backprop's contender under cProfile (its training only). The phases "
    "are the cumulative time of `Network.forward`, `Network.deltas`, the "
    "gradient-descent update and the reported loss; the rest is the "
    "training loop itself. For a missed import target, the slowest "
    "modules of `-X importtime`.\n")
TARGET_HEADER = ["comparison", "contender", "target", "measured",
                 "status"]


# === The benchmarks ===

def bench_xor_batch(tmp, p, log):
    X, Y = xor_data()
    W, b = gauss_weights([2, 4, 1], seed=0)
    cfg = write_config(tmp, "xor_batch", W=W, b=b, X=X, Y=Y,
                       epochs=p["xor_epochs"], eta=0.1, batch_size=None,
                       loss="binary_cross_entropy")
    entries = [Entry("backprop", "package", cfg),
               Entry("NumPy (seed 000 class)", "numpy_seed000", cfg),
               Entry("micrograd", "micrograd", cfg)]
    title = ("XOR 2-4-1 full batch, %d epochs, BCE update (a - y)"
             % p["xor_epochs"])
    compare(title, entries, p["runs"], log)
    targets = {"NumPy (seed 000 class)": (1.2, ">= 1.2x"),
               "micrograd": (12.0, ">= 12x")}
    return [section_for(title, entries, targets)], cfg


def bench_xor_sgd(tmp, p, log):
    X, Y = xor_data()
    W, b = uniform_weights([2, 2, 1], seed=0)
    cfg = write_config(tmp, "xor_sgd", W=W, b=b, X=X, Y=Y,
                       epochs=p["xor_epochs"], eta=0.1, batch_size=1,
                       loss="half_sse")
    entries = [Entry("backprop", "package", cfg),
               Entry("NumPy (seed 002 code)", "numpy_seed002", cfg)]
    title = "XOR 2-2-1 per-sample SGD, %d epochs, half SSE" % (
        p["xor_epochs"])
    compare(title, entries, p["runs"], log)
    targets = {"NumPy (seed 002 code)": (2.5, ">= 2.5x")}
    return [section_for(title, entries, targets)], cfg


def bench_big(tmp, p, log):
    n = p["big_samples"]
    X, Y = synthetic_digits(n)
    W, b = gauss_weights([64, 32, 10], seed=1, scaled=True)
    common = dict(W=W, b=b, epochs=1, eta=0.1, loss="half_sse")
    sgd = write_config(tmp, "big_sgd", X=X, Y=Y, batch_size=1, **common)
    k = p["micrograd_subset"]
    sub = write_config(tmp, "big_sub", X=X[:k], Y=Y[:k], batch_size=1,
                       **common)
    full = write_config(tmp, "big_full", X=X, Y=Y, batch_size=None,
                        **common)
    mg_label = "micrograd (%d samples, x%.1f)" % (k, n / k)
    entries = [Entry("backprop", "package", sgd),
               Entry("NumPy per sample (seed 002 code)", "numpy_seed002",
                     sgd),
               Entry(mg_label, "micrograd", sub, scale=n / k, check=sub)]
    title = "64-32-10 per-sample SGD, 1 epoch of %d samples" % n
    compare(title, entries, p["big_runs"], log)
    targets = {"NumPy per sample (seed 002 code)":
               (1 / 3, ">= 0.33x (within 3x)"),
               mg_label: (150.0, ">= 150x")}
    sections = [section_for(title, entries, targets)]
    entries = [Entry("backprop", "package", full),
               Entry("NumPy full batch (seed 000 class)", "numpy_seed000",
                     full)]
    title = "64-32-10 full batch, 1 epoch of %d samples" % n
    compare(title, entries, p["big_runs"], log)
    sections.append(section_for(title, entries, {}))
    return sections, sgd


def bench_scaling(tmp, p, log):
    """Return (rows, slopes): package seconds per epoch of per-sample SGD
    on 64-h-10 as h grows, then as the sample count grows."""
    log("\n## Scaling (load %.2f)" % os.getloadavg()[0])
    points = [(h, p["scale_samples"]) for h in p["hidden"]]
    points += [(32, m) for m in p["samples"]]
    X, Y = synthetic_digits(max(m for _, m in points))
    rows, sweeps = [], {"hidden": [], "samples": []}
    for i, (h, m) in enumerate(points):
        W, b = gauss_weights([64, h, 10], seed=1, scaled=True)
        cfg = write_config(tmp, "scale_%d" % i, W=W, b=b, X=X[:m],
                           Y=Y[:m], epochs=1, eta=0.1, batch_size=1,
                           loss="half_sse")
        # best of the repeats: other work on the machine only adds time
        t = min(run_contender("package", cfg)["elapsed"]
                for _ in range(p["scale_repeats"]))
        n_weights = 64 * h + h * 10
        sweep = "hidden" if i < len(p["hidden"]) else "samples"
        sweeps[sweep].append((n_weights * m, t))
        rows.append([sweep, "64-%d-10" % h, str(n_weights), str(m),
                     "%.4f" % t, "%.1f" % (t / (n_weights * m) * 1e9)])
        log("  %-8s 64-%d-10 m=%d: %.4f s/epoch" % (sweep, h, m, t))
    slopes = {k: loglog_slope([x for x, _ in v], [t for _, t in v])
              for k, v in sweeps.items()}
    return rows, slopes


def bench_import(p, log):
    """Return {module: [ms, ...]} from alternated ``-X importtime`` runs
    (after one warm-up each, so byte code is compiled)."""
    log("\n## Import time (load %.2f)" % os.getloadavg()[0])
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
        log("  import %-8s median %.2f ms  runs %s" % (
            module, median(ms), " ".join("%.1f" % v for v in ms)))
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
                           [["`%s`" % m, "%.2f" % s, "%.2f" % c]
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
    set_vars = ["%s=%s" % (k, os.environ[k]) for k in OPENBLAS_VARS
                if k in os.environ]
    blas_env = ("%s set here, removed for the NumPy processes only"
                % ", ".join(set_vars) if set_vars
                else "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE not set")
    busy = max(load_start, load_end) > (os.cpu_count() or 1)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        blas_env += ("; PYTHONDONTWRITEBYTECODE set here, removed for "
                     "every benchmark process, so that byte code is "
                     "written once, as by default")
    return [
        "- Date: %s" % datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "- Machine: %s, %d cores, %s %s" % (
            cpu_model(), os.cpu_count() or 0, platform.system(),
            platform.machine()),
        "- Python %s (%s); NumPy %s, BLAS: %s; micrograd %s" % (
            platform.python_version(), platform.python_implementation(),
            numpy_info.get("version", "?"), numpy_info.get("blas", "?"),
            version_of("micrograd")),
        "- %s" % blas_env,
        "- Load average (1 min) at start %.2f, at end %.2f (%d cores; "
        "the machine is shared, so other work may add noise)" % (
            load_start, load_end, os.cpu_count() or 0) + (
            ": **busier than its cores, so these timings are noisy**"
            if busy else ""),
        "- Mode: %s" % ("QUICK smoke run (fewer epochs and runs: ratios "
                        "are not comparable with the targets)" if quick
                        else "full run"),
    ]


def overhead_table(overhead):
    rows = [[k, "%.3f" % v] for k, v in overhead.items()]
    return markdown_table(["operation", "microseconds per call"], rows)


def print_profiles(configs, log):
    for title, cfg in configs:
        res = run_contender("package", cfg, profile=True)
        log("\n## cProfile of backprop: %s (top 15 by tottime)\n" % title)
        log(res["profile_text"])


def profile_block(title, missed, package, log):
    """Return Markdown for one comparison with missed targets: where
    backprop's time goes, from a cProfile run of its contender."""
    log("\n## Profile of backprop: %s" % title)
    res = run_contender("package", package.config, profile=True)
    prof = res["profile"]
    cfg = json.loads(Path(package.config).read_text())
    steps = cfg["epochs"] * len(cfg["X"])
    n_params = sum(len(row) for W in cfg["W"] for row in W) + sum(
        len(b) for b in cfg["b"])
    unprofiled = median([r["elapsed"] for r in package.results])
    phases = ", ".join("%s %.0f%%" % (name, share)
                       for name, share in prof["phases"].items()
                       if share > 0.0)
    calls = prof["calls"] / steps
    text = [
        "#### Where the time goes: " + title, "",
        "Missed here: %s." % "; ".join(missed), "",
        "Under cProfile backprop's training took %.2f s (%.2f s without "
        "it: the profiler adds a cost to every call, so it exaggerates "
        "call-heavy code) and made %d function calls, **%.0f per sample "
        "step** (%d steps) for a network of %d weights and biases. Of the "
        "profiled time: %s. Built-in functions, which run as C code (the "
        "sums of products among them), take %.0f%%; the rest runs as "
        "Python bytecode in backprop's own functions and "
        "comprehensions." % (
            res["elapsed"], unprofiled, prof["calls"], calls, steps,
            n_params, phases, 100.0 * prof["builtin"] / prof["total"]),
        "",
        "Top %d functions by own time (tottime, excluding what they call):"
        % len(prof["rows"]), "",
        markdown_table(
            ["function", "calls", "calls per step", "tottime s",
             "% of total", "cumtime s"],
            [["`%s`" % label, str(nc), "%.1f" % (nc / steps), "%.3f" % tt,
              "%.1f" % pct, "%.3f" % ct]
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
    args = parser.parse_args(argv)
    p = QUICK if args.quick else FULL
    markdown = args.markdown
    if markdown is None and not args.quick:
        markdown = str(REPO / "docs" / "_snippets" / "perf-table.md")
    log = lambda s: print(s, flush=True)  # noqa: E731
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sections, cfg_xb = bench_xor_batch(tmp, p, log)
        more, cfg_xs = bench_xor_sgd(tmp, p, log)
        sections += more
        more, cfg_big = bench_big(tmp, p, log)
        sections += more
        scale_rows, slopes = bench_scaling(tmp, p, log)
        imports, import_err = bench_import(p, log)
        cfg = write_config(tmp, "overhead", number=20000, Y=[[0.0]])
        numpy_res = run_contender("numpy_overhead", cfg)
        profiles = [
            profile_block(rows[0][0], ["%s %s (measured %s)" % (
                row[1], row[2], row[3]) for row in rows
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
                        "%.2f ms" % import_ms["backprop"],
                        "met" if import_ms["backprop"] < 5.0
                        else "**MISSED**"])
    if target_rows[-1][4] == "**MISSED**":
        profiles += ([] if profiles else [PROFILE_INTRO]) + [
            import_profile_block(import_err, log)]
    import_table = markdown_table(
        ["module", "runs", "median ms", "each run, ms"],
        [[module, str(len(ms)), "%.2f" % median(ms),
          " ".join("%.1f" % v for v in ms)]
         for module, ms in imports.items()])
    scale_table = markdown_table(
        ["sweep", "network", "weights", "samples", "s per epoch",
         "ns per weight x sample"], scale_rows)
    slope_text = ("Log-log slope of time per epoch against weights x "
                  "samples: **%.2f** as the hidden layer grows (%s), "
                  "**%.2f** as the sample count grows (%s); 1 means "
                  "linear." % (
                      slopes["hidden"],
                      " -> ".join(str(h) for h in p["hidden"]),
                      slopes["samples"],
                      " -> ".join(str(m) for m in p["samples"])))
    context = context_lines(numpy_res.get("numpy", {}), load_start,
                            os.getloadavg()[0], args.quick)
    command = "python tests/benchmarks/run.py" + (
        " --quick" if args.quick else "")
    text = "\n".join(
        ["Generated by `%s` in %.0f s." % (command,
                                           time.perf_counter() - started),
         ""] + context +
        ["", "Times are whole processes (interpreter start, imports, "
         "loading the shared weights, training) unless the column says "
         "timed (the training loop alone). A ratio is other / backprop "
         "wall time, the median of the pair-by-pair ratios of alternated "
         "runs: above 1, backprop was faster.", "",
         "### Targets", "", markdown_table(TARGET_HEADER, target_rows), ""]
        + [block for block, _, _ in sections] + profiles +
        ["### Import time", "",
         "Cumulative milliseconds of the top-level module in "
         "`python -X importtime -c \"import MODULE\"`, alternated runs "
         "after one warm-up:", "", import_table, "",
         "### Scaling", "",
         "backprop, per-sample SGD on 64-h-10, one epoch; the timed "
         "region, best of %d processes:" % p["scale_repeats"], "",
         scale_table, "", slope_text, "",
         "### Cost of one tiny operation", "",
         "On a 2-4-1 layer, best of 3 timeit repeats:", "",
         overhead_table(numpy_res["overhead"]), ""])
    log("\n" + text)
    if markdown:
        Path(markdown).parent.mkdir(parents=True, exist_ok=True)
        Path(markdown).write_text(text)
        log("wrote %s" % markdown)


if __name__ == "__main__":
    main()
