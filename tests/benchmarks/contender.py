"""Run one benchmark contender in its own process and print its result.

``python contender.py NAME CONFIG.json [--profile] [--from DIR]`` loads
the starting weights and data from CONFIG.json (written once by
``run.py``), trains with the contender NAME, and prints one line
``RESULT {json}`` holding the final loss and the seconds spent in the
timed region (training only). The final loss is the one training itself
reports, as the seeds print it and as ``History.losses[-1]`` holds it:
the mean squared error of the last epoch, each sample's error taken on
the forward pass that computed its step. So checking it costs no work
outside training. ``package`` and ``previous`` also print "weights", a
digest of the final weights and biases, so that two runs can be shown
to end with the same bits (``weights_digest``). With ``--profile`` it
prints a cProfile of the timed region first, top 15 by tottime, and
the result also holds "profile": the top 10 functions and the share of
time in each phase of training (``PHASES``; see
``harness.profile_summary`` and ``harness.profile_share``).

=================  ===================================================
NAME               what trains
=================  ===================================================
package            ``backprop.training.train`` (bench_package.py)
previous           the same code run on an earlier release of backprop:
                   ``--from DIR`` names the directory that holds its
                   ``backprop`` package (``run.py --baseline REV``
                   extracts it with ``git archive``); DIR goes first on
                   sys.path, for this process only
numpy_seed000      seed 000's NumPy class, full batch (bench_numpy.py)
numpy_seed002      seed 002's NumPy functions, per sample
numpy_overhead     per-call cost of tiny NumPy ops vs pure Python
micrograd          micrograd ``Value`` graphs (bench_micrograd.py)
floor              the hand-tuned pure-Python floor,
                   ``../shared/bench/ref_pure_fast.py``, on its own
                   workload (``--from DIR`` names its directory; the
                   config's ``task`` is ``xor`` or ``digits``), with its
                   own weights and data from its ``common.py``; with
                   ``"floor_exp": "backprop"`` in the config, calling
                   ``backprop.elementary.exp`` where it calls math.exp
=================  ===================================================

Only the modules a contender needs are imported, so a package process
never pays for importing NumPy, and the other way round. Nothing here
needs more than the standard library for ``package`` and ``previous``,
so those two run under any interpreter (PyPy included) that can run
backprop.
"""

from __future__ import annotations

import json
import os
import sys

# The phases of one training step, by the backprop functions that run
# them, on the readable path (network.py, training.py, optimizers.py)
# and on the fast path (_fast.py): percent of profiled time, with
# callees. A function called from another one of the same phase (deltas
# calls output_delta) is counted once (harness.profile_share).
PHASES = {"forward pass": ["forward", "_forward", "_forward_batch",
                            "_layer"],
          "deltas (BP1, BP2)": ["deltas", "_out_squared_sigmoid",
                                "_out_squared", "_out_bce",
                                "_out_softmax", "_out_any", "_back",
                                "_back_batch", "output_delta"],
          "update (BP3, BP4)": ["step", "mean_gradient", "_step",
                                "_step_mean"],
          "reported loss": ["mse", "_mse", "_report_any"]}


def use_package_from(directory):
    """Put *directory* first on sys.path and check that ``backprop`` is
    then imported from it (not from the checkout or an installed copy)."""
    directory = os.path.abspath(directory)
    sys.path.insert(0, directory)
    try:
        import backprop
    except ImportError:
        raise SystemExit(f"contender: no backprop package found, not from "
                         f"{directory}") from None
    where = os.path.abspath(backprop.__file__)
    if not where.startswith(os.path.join(directory, "backprop") + os.sep):
        raise SystemExit(f"contender: backprop came from {where}, "
                         f"not from {directory}")


def weights_digest(W, b):
    """Return a short SHA-256 of the final weights and biases, the same
    on every interpreter for the same bits (json writes a float as its
    shortest round-trip repr)."""
    import hashlib
    text = json.dumps([W, b])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def floor_runner(directory):
    """Return run(cfg) for the floor in *directory* (ref_pure_fast.py and
    its common.py): train its own workload ``cfg["task"]`` as its main()
    does, time the training, and return its final mean squared error."""
    sys.path.insert(0, os.path.abspath(directory))
    import time

    import common
    import ref_pure_fast as ref

    def run(cfg):
        if cfg.get("floor_exp") == "backprop":   # its math.exp swapped for
            from backprop.elementary import exp  # the same-bits exp
            ref.EXP = exp
        sumprod = ref.dot_function(True)
        if cfg["task"] == "xor":
            layers, X, Y = common.xor_layers(), common.XOR_X, common.XOR_Y
            train, lr, epochs = ref.train_full_batch, 0.1, 10000
        else:
            layers, (X, Y) = common.digits_layers(), common.digits_data()
            train, lr, epochs = ref.train_per_sample, 0.5, 1
        t0 = time.perf_counter()
        train(layers, X, Y, lr, epochs, sumprod)
        elapsed = time.perf_counter() - t0
        return {"loss": ref.mse(layers, X, Y, sumprod), "elapsed": elapsed}
    return run


def main(argv):
    name, config_path = argv[0], argv[1]
    profile = "--profile" in argv[2:]
    with open(config_path) as f:
        cfg = json.load(f)
    if name == "previous":
        if "--from" not in argv[2:-1]:
            raise SystemExit("contender: previous needs --from DIR")
        use_package_from(argv[argv.index("--from", 2) + 1])
    if name in ("package", "previous"):
        from bench_package import run
    elif name in ("numpy_seed000", "numpy_seed002", "numpy_overhead"):
        from bench_numpy import CONTENDERS
        run = CONTENDERS[name]
    elif name == "micrograd":
        from bench_micrograd import run
    elif name == "floor":
        run = floor_runner(argv[argv.index("--from", 2) + 1])
    else:
        raise SystemExit(f"contender: unknown NAME {name!r}")
    if profile:
        import cProfile
        import pstats
        if name in ("package", "previous"):  # import outside the profile
            import backprop.training  # noqa: F401
        profiler = cProfile.Profile()
        profiler.enable()
        result = run(cfg)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(15)
        from harness import profile_share, profile_summary
        result["profile"] = profile_summary(stats.stats)
        result["profile"]["phases"] = {
            phase: profile_share(stats.stats, names)
            for phase, names in PHASES.items()}
    else:
        result = run(cfg)
    W, b = result.pop("W", None), result.pop("b", None)
    if name in ("package", "previous"):
        result["weights"] = weights_digest(W, b)
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
