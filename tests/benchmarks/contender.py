"""Run one benchmark contender in its own process and print its result.

``python contender.py NAME CONFIG.json [--profile]`` loads the starting
weights and data from CONFIG.json (written once by ``run.py``), trains
with the contender NAME, and prints one line ``RESULT {json}`` holding
the final loss and the seconds spent in the timed region (training
only). The final loss is the one training itself reports, as the seeds
print it and as ``History.losses[-1]`` holds it: the mean squared error
of the last epoch, each sample's error taken on the forward pass that
computed its step. So checking it costs no work outside training. With
``--profile`` it prints a cProfile of the timed region first, top 15 by
tottime, and the result also holds "profile": the top 10 functions and
the share of time in each phase of training (``PHASES``; see
``harness.profile_summary`` and ``harness.profile_share``).

=================  ===================================================
NAME               what trains
=================  ===================================================
package            ``backprop.training.train`` (bench_package.py)
numpy_seed000      seed 000's NumPy class, full batch (bench_numpy.py)
numpy_seed002      seed 002's NumPy functions, per sample
numpy_overhead     per-call cost of tiny NumPy ops vs pure Python
micrograd          micrograd ``Value`` graphs (bench_micrograd.py)
=================  ===================================================

Only the modules a contender needs are imported, so a package process
never pays for importing NumPy, and the other way round.
"""

from __future__ import annotations

import json
import sys

# The phases of one training step, by the backprop functions that run
# them (none calls another): percent of profiled time, with callees.
PHASES = {"forward pass": ["forward"],
          "deltas (BP1, BP2)": ["deltas"],
          "update (BP3, BP4)": ["_descend", "_descend_sample", "step",
                                "_mean_gradient"],
          "reported loss": ["mse"]}


def main(argv):
    name, config_path = argv[0], argv[1]
    profile = "--profile" in argv[2:]
    with open(config_path) as f:
        cfg = json.load(f)
    if name == "package":
        from bench_package import run
    elif name in ("numpy_seed000", "numpy_seed002", "numpy_overhead"):
        from bench_numpy import CONTENDERS
        run = CONTENDERS[name]
    elif name == "micrograd":
        from bench_micrograd import run
    else:
        raise SystemExit("contender: unknown NAME %r" % (name,))
    if profile:
        import cProfile
        import pstats
        if name == "package":              # import outside the profile
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
    result.pop("W", None)
    result.pop("b", None)
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
