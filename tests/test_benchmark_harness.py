"""Cheap checks of the benchmark harness in tests/benchmarks/.

The benchmarks themselves are not run here (they report ratios, tests
assert correctness): these tests check the statistics helpers against
hand-computed values and that the contenders do the same arithmetic as
the package over a few steps.
"""

import doctest
import json
import math
import sys
from pathlib import Path

import pytest

needs_subprocess = pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Emscripten (Pyodide) has no subprocesses")

BENCH = Path(__file__).resolve().parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_package  # noqa: E402
import contender  # noqa: E402
import harness  # noqa: E402

# === Statistics helpers, against hand-computed values ===

def test_median_odd_and_even():
    assert harness.median([5.0, 1.0, 3.0]) == 3.0
    assert harness.median([4.0, 1.0, 3.0, 2.0]) == 2.5


def test_median_of_nothing_raises():
    with pytest.raises(ValueError, match="median"):
        harness.median([])


def test_pair_ratios_are_other_over_package_pair_by_pair():
    # package 0.5 s and 0.4 s; NumPy 0.6 s and 0.6 s -> 1.2 and 1.5
    assert harness.pair_ratios([0.5, 0.4], [0.6, 0.6]) == \
        pytest.approx([1.2, 1.5], rel=1e-15)
    with pytest.raises(ValueError, match="equal count"):
        harness.pair_ratios([1.0], [1.0, 2.0])


def test_loglog_slope_of_power_laws():
    n = [8, 16, 32, 64]
    assert harness.loglog_slope(n, [3.0 * v for v in n]) == \
        pytest.approx(1.0, abs=1e-12)
    assert harness.loglog_slope(n, [v ** 2 for v in n]) == \
        pytest.approx(2.0, abs=1e-12)
    # t = n + 100: nearly flat, slope well below 1
    assert harness.loglog_slope(n, [v + 100.0 for v in n]) < 0.5


def test_loglog_slope_by_hand():
    # points (1, 1), (e, e^2), (e^2, e^2): logs (0,0), (1,2), (2,2)
    # x_bar = 1, y_bar = 4/3; sxy = (-1)(-4/3) + 0 + (1)(2/3) = 2; sxx = 2
    e = math.e
    assert harness.loglog_slope([1, e, e * e], [1, e * e, e * e]) == \
        pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ValueError, match="distinct"):
        harness.loglog_slope([2, 2], [1.0, 3.0])


def test_parse_importtime_takes_the_cumulative_column():
    text = ("import time: self [us] | cumulative | imported package\n"
            "import time:       250 |        250 |     numbers\n"
            "import time:      1000 |       4321 | backprop\n"
            "import time:        50 |         50 | backprop_extra\n")
    assert harness.parse_importtime(text, "backprop") == 4.321
    with pytest.raises(ValueError, match="numpy"):
        harness.parse_importtime(text, "numpy")


def test_losses_agree_and_targets():
    assert harness.losses_agree(0.1, [0.1, 0.1 + 5e-10])
    assert not harness.losses_agree(0.1, [0.1, 0.1 + 2e-9])
    assert harness.target_met(12.0, 12.0)
    assert not harness.target_met(0.32, 1 / 3)


def test_inputs_are_deterministic():
    assert harness.gauss_weights([3, 2], seed=4) == \
        harness.gauss_weights([3, 2], seed=4)
    X1, Y1 = harness.synthetic_digits(20, seed=3)
    X2, Y2 = harness.synthetic_digits(20, seed=3)
    assert X1 == X2 and Y1 == Y2
    assert all(0.0 <= v <= 1.0 for row in X1 for v in row)
    assert [row.index(1.0) for row in Y1[:12]] == \
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]


def test_importtime_rows_keep_only_the_module_and_its_imports():
    text = ("import time: self [us] | cumulative | imported package\n"
            "import time:      2000 |       2000 | site\n"
            "import time:       250 |        250 |     numbers\n"
            "import time:       700 |        950 |   backprop.network\n"
            "import time:      1000 |       1950 | backprop\n"
            "import time:        50 |         50 | later\n")
    # self times 1.0, 0.7, 0.25 ms, largest first; site and later are
    # not part of importing backprop
    assert harness.importtime_rows(text, "backprop") == [
        ("backprop", 1.0, 1.95), ("backprop.network", 0.7, 0.95),
        ("numbers", 0.25, 0.25)]
    with pytest.raises(ValueError, match="numpy"):
        harness.importtime_rows(text, "numpy")


def profile_stats():
    """A pstats mapping by hand: 10 s in all, 2 s of it in a built-in."""
    return {
        ("/r/backprop/network.py", 205, "forward"): (40, 40, 3.0, 5.0, {}),
        ("/r/backprop/network.py", 229, "deltas"): (40, 40, 1.0, 2.0, {}),
        ("/r/backprop/_fast.py", 111, "_step"): (10, 10, 4.0, 4.0, {}),
        ("~", 0, "<built-in method builtins.sum>"): (90, 90, 2.0, 2.0, {}),
    }


def test_profile_summary_ranks_by_tottime_with_percent_of_total():
    s = harness.profile_summary(profile_stats(), top=3)
    assert s["total"] == 10.0 and s["calls"] == 180 and s["builtin"] == 2.0
    assert s["rows"] == [
        ["backprop/_fast.py:111 _step", 10, 4.0, 40.0, 4.0],
        ["backprop/network.py:205 forward", 40, 3.0, 30.0, 5.0],
        ["builtins.sum", 90, 2.0, 20.0, 2.0]]
    json.dumps(s)                     # carried between processes as JSON


def test_profile_share_uses_cumulative_time():
    stats = profile_stats()
    # forward's cumtime 5 s of 10 s; deltas + _step 2 + 4 of 10
    assert harness.profile_share(stats, ["forward"]) == 50.0
    assert harness.profile_share(stats, ["deltas", "_step"]) == 60.0
    assert harness.profile_share(stats, ["forward"], "elsewhere") == 0.0


def test_profile_share_counts_a_call_within_a_phase_once():
    stats = profile_stats()
    deltas = ("/r/backprop/network.py", 229, "deltas")
    # output_delta: 0.6 s cumtime (all of it in what it calls, so the
    # total stays 10 s), 0.5 s of it called from deltas (whose 2 s
    # include it), 0.1 s from _deltas, not in the phase asked for
    stats[("/r/backprop/network.py", 285, "output_delta")] = (
        12, 12, 0.0, 0.6, {deltas: (10, 10, 0.5, 0.5),
                           ("/r/backprop/_fast.py", 80, "_deltas"):
                           (2, 2, 0.1, 0.1)})
    assert harness.profile_share(stats, ["deltas", "output_delta"]) == \
        pytest.approx(21.0, abs=1e-12)      # (2 + 0.6 - 0.5) / 10
    assert harness.profile_share(stats, ["output_delta"]) == \
        pytest.approx(6.0, abs=1e-12)


def test_phases_name_functions_that_exist():
    import backprop._fast
    import backprop.losses
    import backprop.network
    import backprop.optimizers
    import backprop.training
    modules = [backprop._fast, backprop.losses, backprop.network,
               backprop.network.Network, backprop.optimizers.GradientDescent,
               backprop.training]
    for names in contender.PHASES.values():
        for name in names:
            assert any(hasattr(m, name) for m in modules), name


def test_contender_profile_names_the_phases(tmp_path, capsys):
    cfg = xor_config([2, 2, 1], "uniform", "half_sse", 1, epochs=20)
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(cfg))
    contender.main(["package", str(path), "--profile"])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    prof = json.loads(line[len("RESULT "):])["profile"]
    assert set(prof["phases"]) == set(contender.PHASES)
    # the phases do not call one another, so their shares add up to
    # less than the whole; per-sample plain GD runs the fast path, and
    # every phase shows up in it
    assert all(0.0 < share < 100.0 for share in prof["phases"].values())
    assert sum(prof["phases"].values()) < 100.0
    assert len(prof["rows"]) == 10


def test_doctests_of_the_harness():
    failed, attempted = doctest.testmod(harness)
    assert attempted > 0 and failed == 0


# === The contenders do the package's arithmetic ===

def xor_config(sizes, init, loss, batch_size, epochs=3):
    X, Y = harness.xor_data()
    if init == "gauss":
        W, b = harness.gauss_weights(sizes, seed=0)
    else:
        W, b = harness.uniform_weights(sizes, seed=0)
    return dict(W=W, b=b, X=X, Y=Y, epochs=epochs, eta=0.1,
                batch_size=batch_size, loss=loss)


def assert_same_weights(got, want):
    """Weights, biases and the last epoch's reported MSE agree."""
    assert got["loss"] == pytest.approx(want["loss"], abs=1e-12, rel=0)
    for name in ("W", "b"):
        flat_got = list(flatten(got[name]))
        flat_want = list(flatten(want[name]))
        assert len(flat_got) == len(flat_want)
        assert flat_got == pytest.approx(flat_want, abs=1e-12, rel=0)


def flatten(x):
    if isinstance(x, list):
        for v in x:
            yield from flatten(v)
    else:
        yield x


def test_numpy_seed000_and_package_agree_after_3_steps():
    pytest.importorskip("numpy")
    import bench_numpy
    cfg = xor_config([2, 4, 1], "gauss", "binary_cross_entropy", None)
    ours = bench_package.run(cfg)
    seed = bench_numpy.run_seed000(cfg)
    assert_same_weights(seed, ours)
    # and the 3 steps moved the weights: the check is not vacuous
    start = list(flatten(cfg["W"]))
    assert max(abs(p - q) for p, q in zip(flatten(ours["W"]), start)) > 1e-4


def test_numpy_seed002_and_package_agree_after_3_epochs():
    pytest.importorskip("numpy")
    import bench_numpy
    cfg = xor_config([2, 2, 1], "uniform", "half_sse", 1)
    assert_same_weights(bench_numpy.run_seed002(cfg),
                        bench_package.run(cfg))


def test_numpy_full_batch_half_sse_agrees_with_package():
    pytest.importorskip("numpy")
    import bench_numpy
    X, Y = harness.synthetic_digits(6, n_features=5, n_classes=3)
    W, b = harness.gauss_weights([5, 4, 3], seed=2, scaled=True)
    cfg = dict(W=W, b=b, X=X, Y=Y, epochs=3, eta=0.5, batch_size=None,
               loss="half_sse")
    assert_same_weights(bench_numpy.run_seed000(cfg),
                        bench_package.run(cfg))


def test_micrograd_and_package_agree_after_3_steps():
    pytest.importorskip("micrograd")
    import bench_micrograd
    for cfg in (xor_config([2, 4, 1], "gauss", "binary_cross_entropy",
                           None),
                xor_config([2, 2, 1], "uniform", "half_sse", 1)):
        assert_same_weights(bench_micrograd.run(cfg),
                            bench_package.run(cfg))


def test_contender_process_entry_prints_loss_and_time(tmp_path, capsys):
    cfg = xor_config([2, 2, 1], "uniform", "half_sse", 1, epochs=2)
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(cfg))
    contender.main(["package", str(path)])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("RESULT ")
    result = json.loads(line[len("RESULT "):])
    assert set(result) == {"loss", "elapsed", "weights"}
    assert 0.0 < result["loss"] < 1.0 and result["elapsed"] >= 0.0
    assert len(result["weights"]) == 16


def test_weights_digest_tells_the_last_bit():
    W, b = harness.gauss_weights([2, 2, 1], seed=0)
    same = contender.weights_digest(json.loads(json.dumps(W)), b)
    assert contender.weights_digest(W, b) == same
    W[0][0][0] = math.nextafter(W[0][0][0], 1.0) if hasattr(
        math, "nextafter") else W[0][0][0] * (1.0 + 2.0 ** -52)
    assert contender.weights_digest(W, b) != same


@needs_subprocess
def test_previous_contender_runs_the_package_it_is_given(tmp_path):
    # a stand-in "release": the checkout's own package, copied, run in a
    # process of its own (sys.path is changed for that process only)
    import shutil
    import subprocess
    repo = BENCH.parent.parent
    shutil.copytree(repo / "backprop", tmp_path / "old" / "backprop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    cfg = xor_config([2, 2, 1], "uniform", "half_sse", 1, epochs=2)
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(cfg))
    args = [sys.executable, str(BENCH / "contender.py"), "previous",
            str(path), "--from", str(tmp_path / "old")]
    out = subprocess.run(args, capture_output=True, text=True, check=True,
                         cwd=tmp_path).stdout
    result = json.loads(out.strip().splitlines()[-1][len("RESULT "):])
    # the same code as the package, so the same bits
    assert result["loss"] == bench_package.run(cfg)["loss"]
    # a directory without backprop in it is refused, not silently
    # replaced by the checkout's package
    (tmp_path / "empty").mkdir()
    bad = subprocess.run(args[:-1] + [str(tmp_path / "empty")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode != 0 and "not from" in bad.stderr + bad.stdout
