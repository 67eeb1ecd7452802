"""The command line: every subcommand, the progress line, the one-line
errors and the self-test (also from a zip file and under -OO)."""
import io
import json
import os
import re
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
import zipfile

import pytest
from clitools import (ENV, ROOT, needs_subprocess, predictions, python,
                      run_backprop)

import backprop.selftest as st
from backprop import Network
from backprop import io as bpio
from backprop.cli import main
from backprop.commands import Progress

COUNTS = re.compile(r"^(\d+) passed, (\d+) failed")




@pytest.fixture
def model(tmp_path, capsys):
    """A 2-4-1 network trained on XOR for a few epochs and saved."""
    path = tmp_path / "xor.json"
    assert main(["train", "--epochs", "20", "--save", str(path)]) == 0
    capsys.readouterr()
    return path


# === Subcommands ============================================================

def test_plain_run_keeps_seed_000_format(capsys):
    assert main(["--epochs", "2000", "--print-every", "500"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("Training a 2-4-1 sigmoid network on XOR (full "
                      "batch, eta=1.0, seed=0)")
    # it says which loss it steps along and which it prints
    assert "binary cross-entropy gradient" in out[1]
    assert "mean squared error" in out[1]
    # epochs counted from 1, as the progress line counts them; the last
    # epoch is shown
    assert [line.split(",")[0] for line in out[2:7]] == [
        "Epoch 1", "Epoch 500", "Epoch 1000", "Epoch 1500", "Epoch 2000"]
    assert out[8] == "Predictions:"
    assert out[9].startswith("Input: [0, 0] -> Predicted: ")


def test_plain_run_never_prints_a_rounded_zero_loss(capsys):
    assert main(["--epochs", "20000", "--eta", "8", "--print-every",
                 "2000"]) == 0
    losses = [line.split("Loss: ")[1] for line in
              capsys.readouterr().out.splitlines() if "Loss: " in line]
    assert len(losses) == 11
    assert all(float(x) > 0 for x in losses)
    assert "0.0000" not in " ".join(losses)


def test_train_learns_a_gate_and_writes_plot_and_model(tmp_path, capsys):
    svg, saved = tmp_path / "loss.svg", tmp_path / "or.json"
    assert main(["train", "or", "--epochs", "1500", "--plot", str(svg),
                 "--save", str(saved)]) == 0
    out = capsys.readouterr().out
    assert "2-4-1 network on or: 4 samples, full batch, 1500 epochs" in out
    for p, t in zip(predictions(out), [0, 1, 1, 1]):
        assert abs(p - t) < 0.1
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg") and "polyline" in svg.read_text()
    net = bpio.load(saved)
    assert net.sizes == [2, 4, 1]
    assert json.loads(saved.read_text())["metadata"]["epochs"] == 1500


def test_train_point_sets_report_accuracy(capsys):
    assert main(["train", "wheat-seeds", "--epochs", "3", "--hidden",
                 "5", "--optimizer", "adam", "--eta", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "7-5-3 network on wheat-seeds: 157 samples, mini-batches of 10"\
        in out
    assert "sigmoid -> softmax, loss categorical_cross_entropy, adam" in out
    assert re.search(r"Accuracy on the 157 training samples: \d+\.\d%", out)
    assert re.search(r"Accuracy on the 53 test samples: \d+\.\d%", out)


def test_train_options_reach_the_network(capsys):
    assert main(["train", "moons", "--layers", "2,3,3,1", "--activation",
                 "tanh", "--batch", "full", "--epochs", "2"]) == 0
    out = capsys.readouterr().out
    assert "2-3-3-1 network on moons: 150 samples, full batch" in out
    assert "tanh -> tanh -> sigmoid" in out


def test_predict_from_input_and_csv(model, tmp_path, capsys):
    csv = tmp_path / "x.csv"
    csv.write_text("0,0\n\n1,1\n")
    assert main(["predict", str(model), "--input", "0,1", "--csv",
                 str(csv)]) == 0
    lines = capsys.readouterr().out.splitlines()
    X = [[0.0, 1.0], [0.0, 0.0], [1.0, 1.0]]
    expected = bpio.load(model).predict(X)
    assert len(lines) == 3
    for line, x, a in zip(lines, X, expected):
        assert line == (f"Input: [{x[0]:g}, {x[1]:g}] -> Output: "
                        f"[{a[0]:.4f}]")


def test_explain_reproduces_mazurs_published_numbers(capsys):
    # Matt Mazur, "A Step by Step Backpropagation Example" (2015):
    # out_o1 = 0.75136507, E_total = 0.298371109, w5+ = 0.35891648,
    # w1+ = 0.149780716 (our text shows 6 significant digits).
    assert main(["explain"]) == 0
    out = capsys.readouterr().out
    for number in ("0.751365", "0.298371", "0.358916", "0.149781"):
        assert number in out


def test_explain_markdown_and_a_plain_weights_file(tmp_path, capsys):
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps({"W": [[[0.5, -0.5]]], "b": [[0.0]]}))
    assert main(["explain", "--weights", str(weights), "--input", "1,2",
                 "--target", "1", "--eta", "1", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "$" in out
    assert "0.5×1 + (-0.5)×2" in out or "-0.5" in out


def test_explain_reads_a_saved_model(model, capsys):
    assert main(["explain", "--weights", str(model), "--input", "1,0",
                 "--target", "1"]) == 0
    assert "2-4-1" in capsys.readouterr().out


def test_gradcheck_passes_and_fails_with_exit_status(capsys):
    assert main(["gradcheck", "--layers", "3,4,2", "--activation",
                 "tanh", "--output-activation", "softmax", "--loss",
                 "categorical_cross_entropy"]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "W[1][1][3]" in out
    # no finite-difference gradient is within 1e-30 of backprop's
    assert main(["gradcheck", "--tol", "1e-30"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_gradcheck_on_a_saved_model(model, capsys):
    assert main(["gradcheck", str(model), "--input", "1,0",
                 "--target", "1"]) == 0
    assert "of a 2-4-1 network" in capsys.readouterr().out


def test_compare_batch_modes_from_the_same_weights(tmp_path, capsys):
    svg = tmp_path / "compare.svg"
    assert main(["compare", "--what", "batch", "--epochs", "30",
                 "--plot", str(svg)]) == 0
    out = capsys.readouterr().out
    finals = re.findall(r"final loss (\S+)  \((\d+) steps\)", out)
    assert [steps for _, steps in finals] == ["30", "120", "60"]
    assert svg.read_text().count("<polyline") == 3
    # the same start: one epoch of full batch equals a fresh 1-epoch run
    main(["compare", "--epochs", "1"])
    first = re.findall(r"final loss (\S+)", capsys.readouterr().out)[0]
    net = Network([2, 4, 1], seed=0)
    from backprop import train
    from backprop.datasets import xor
    X, y = xor()
    h = train(net, X, y, epochs=1, eta=1.0, loss="binary_cross_entropy")
    assert first == f"{h.losses[0]:.6g}"


def test_compare_optimizers_reports_divergence(capsys):
    assert main(["compare", "--what", "optimizer", "--optimizers",
                 "gd,adam", "--epochs", "20", "--activation", "identity",
                 "--output-activation", "identity", "--loss", "mse",
                 "--eta", "3"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"gd +diverged after \d+ epochs", out)
    assert re.search(r"adam +final loss", out)


@pytest.mark.parametrize("command", ["train", "predict", "explain",
                                     "gradcheck", "compare", "selftest"])
def test_every_subcommand_has_help_with_examples(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert f"python -m backprop {command}" in out and "example" in out


@needs_subprocess
def test_version_prints_the_package_version():
    import backprop
    r = run_backprop("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"backprop {backprop.__version__}\n"


@needs_subprocess
def test_top_level_help_lists_subcommands():
    h = run_backprop("--help")
    assert h.returncode == 0
    for command in ("train", "predict", "explain", "gradcheck", "compare",
                    "selftest"):
        assert command in h.stdout


# === Progress line ==========================================================

class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_updates_in_place_on_a_terminal(monkeypatch):
    tty = Terminal()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["train", "--epochs", "300", "--print-every", "100"]) == 0
    out = tty.getvalue()
    assert "\repoch 3/300  loss " in out and "\repoch 300/300  loss " in out
    # each loss line starts on a cleared line, and the status line is
    # erased at the end, so the text read back is the plain log
    # what a terminal shows: each line as left after its last \r
    shown = [seg.split("\r")[-1] for seg in out.split("\n")]
    epochs = [ln.split(",")[0] for ln in shown if ln.startswith("Epoch")]
    assert epochs == ["Epoch 1", "Epoch 100", "Epoch 200", "Epoch 300"]
    assert shown[shown.index("Predictions:") - 1] == ""
    assert "/300  loss" not in "".join(shown)     # erased


def test_progress_is_silent_when_not_a_terminal(capsys):
    assert main(["train", "--epochs", "300", "--print-every", "100"]) == 0
    out = capsys.readouterr().out
    assert "\r" not in out and "epoch 300/300" not in out


def test_progress_object_throttles_to_about_100_updates():
    tty = Terminal()
    report = Progress(epochs=1000, every=None, stream=tty)
    for epoch in range(1000):
        report(epoch, 0.5)
    report.close()
    assert tty.getvalue().count("\repoch") == 100
    assert tty.getvalue().endswith("\r")


# === Errors: one line, exit status 2 ========================================

@pytest.fixture
def files(tmp_path, model):
    good = json.loads(model.read_text())
    wrong = dict(good, W=good["W"][:1])
    (tmp_path / "truncated.json").write_text(model.read_text()[:60])
    (tmp_path / "notjson.json").write_text("hello")
    (tmp_path / "wrong.json").write_text(json.dumps(wrong))
    (tmp_path / "ragged.json").write_text('{"W": [[[1, 2], [3]]]}')
    (tmp_path / "bad.csv").write_text("0,1\nzero,one\n")
    (tmp_path / "latin1.csv").write_bytes(b"1,2,a\n3,4,caf\xe9\n")
    (tmp_path / "long.csv").write_text("1,2\n3," + "9" * 200000 + "\n")
    (tmp_path / "nolabels.csv").write_text("1,2,a\n3,4,a\n")
    (tmp_path / "ragged.csv").write_text("1,2,a\n\n3,b\n")
    (tmp_path / "points.csv").write_text("x,y,colour\n0,0,red\n1,1,"
                                         "blue\n")
    (tmp_path / "blank.csv").write_text("0,1\n\n\nx" + "y" * 300 + "\n")
    (tmp_path / "dir.json").mkdir()
    (tmp_path / "big.json").write_text(json.dumps(
        {"W": [[[0.0] * 60] * 60]}))
    return tmp_path


BAD = [
    (["train", "--activation", "sigmoidal"], "unknown activation"),
    (["train", "--output-activation", "softmaxx"], "unknown activation"),
    (["train", "--loss", "l2"], "unknown loss 'l2'"),
    (["train", "--optimizer", "adamw"], "unknown optimizer 'adamw'"),
    (["train", "--layers", "3,4,1"], "must start with 2 (inputs)"),
    (["train", "--layers", "2,0,1"], "sizes[1] must be at least 1"),
    (["train", "--plot", "{d}/no/such/dir/x.svg"], "does not exist"),
    (["train", "--epochs", "1", "--save", "{d}/no/x.json"], "does not exist"),
    (["train", "--plot", "{d}/loss.png"], "must end in .svg"),
    (["train", "--save", "{d}/m.txt"], "must end in .json"),
    (["train", "--save", ""], "needs a file name"),
    (["train", "--plot", ""], "needs a file name"),
    (["train", "--save", "{d}/dir.json"], "folder"),
    (["train", "--loss", "cross_entropy"],
     "did you mean 'binary_cross_entropy'"),
    (["train", "--csv", "{d}/latin1.csv"], "line 2: byte 0xe9"),
    (["train", "--csv", "{d}/long.csv"], "line 2"),
    (["train", "--csv", "{d}/nolabels.csv"], "two different labels"),
    (["train", "--csv", "{d}/ragged.csv"], "line 3: expected 3 columns"),
    (["train", "--csv", "{d}/points.csv", "--label", "size"],
     "header name"),
    (["train", "moons", "--csv", "{d}/points.csv"], "not both"),
    (["train", "--hidden", "100000000"], "10,000,000"),
    (["predict", "{d}/xor.json", "--csv", "{d}/latin1.csv"], "not UTF-8"),
    (["predict", "{d}/xor.json", "--csv", "{d}/blank.csv"], "line 4"),
    (["predict", "{d}/xor.json", "--csv", "{d}/long.csv"], "131,072"),
    (["predict", "{d}/xor.json", "--csv", "{d}/blank.csv"], "yyy...'"),
    (["explain", "--loss", "half_ss"], "did you mean 'half_sse'"),
    (["explain", "--weights", "{d}/big.json"], "--force"),
    (["predict", "{d}/missing.json", "--input", "0,1"], "missing.json"),
    (["predict", "{d}/truncated.json", "--input", "0,1"], "truncated"),
    (["predict", "{d}/notjson.json", "--input", "0,1"], "not valid JSON"),
    (["predict", "{d}/wrong.json", "--input", "0,1"], "W: expected a list"),
    (["predict", "{d}/xor.json", "--input", "0,1,1"], "has 2 inputs"),
    (["predict", "{d}/xor.json"], "give inputs with --input"),
    (["predict", "{d}/xor.json", "--csv", "{d}/bad.csv"], "line 2"),
    (["explain", "--weights", "{d}/ragged.json"], "ragged"),
    (["explain", "--weights", "{d}/notjson.json"], "not valid JSON"),
    (["explain", "--input", "1,2,3"], "explain"),
    (["gradcheck", "--loss", "nope"], "unknown loss"),
    (["gradcheck", "--layers", "2"], "at least two layer sizes"),
    (["compare", "--what", "optimizer", "--optimizers", "gd,fast"],
     "unknown optimizer 'fast'"),
]


@pytest.mark.parametrize("argv,words", BAD,
                         ids=[" ".join(a[:3]) for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_2(argv, words, files, capsys):
    argv = [a.format(d=files) for a in argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"python -m backprop {argv[0]}: error: ")
    assert words in lines[0]


@pytest.mark.parametrize("argv,words", [
    (["train", "--eta", "0"], "positive number"),
    (["train", "--eta", "-1"], "positive number"),
    (["--eta", "nan"], "positive number"),
    (["train", "--epochs", "0"], "whole number >= 1"),
    (["compare", "--batch", "many"], "'full', 'sgd' or a positive"),
    (["train", "--layers", "2,x,1"], "separated by commas"),
    (["predict", "m.json", "--input", "a,b"], "numbers separated"),
    (["train", "mnist"], "invalid choice"),
    (["train", "moon"], "did you mean 'moons'"),
    (["train", "my.csv"], "give --csv my.csv"),
    (["train", "xor", "--epocs", "3"], "train --help"),
    (["train", "xor", "--epocs", "3"], "did you mean --epochs"),
    (["gradcheck", "--tolerance", "1"], "gradcheck --help"),
    (["train", "--layers", "2,1", "--hidden", "3"], "not allowed with"),
])
def test_bad_numbers_are_refused_while_parsing(argv, words, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert words in capsys.readouterr().err.splitlines()[-1]


@needs_subprocess
def test_error_in_a_child_process_has_no_traceback():
    r = run_backprop("predict", "missing.json", "--input", "0,1")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("python -m backprop predict: error: ")
    assert len(r.stderr.splitlines()) == 1


# === Self-test ==============================================================

def counts(out):
    m = COUNTS.match(out.strip().splitlines()[-1])
    return int(m.group(1)), int(m.group(2))


@needs_subprocess
def test_selftest_passes():
    r = run_backprop("selftest")
    assert r.returncode == 0, r.stdout
    passed, failed = counts(r.stdout)
    assert failed == 0 and passed > 50
    assert r.stdout.strip().splitlines()[-1] == f"{passed} passed, 0 failed"
    assert "backprop.network" in r.stdout and "Epoch" not in r.stdout


@needs_subprocess
def test_selftest_under_OO_says_examples_are_unavailable():
    r = python("-OO", "-m", "backprop", "selftest")
    assert r.returncode == 0, r.stdout
    assert "unavailable" in r.stdout
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith(f"{len(st.CHECKS)} passed, 0 failed")
    assert "no examples were run" in last
    assert " examples\n" not in r.stdout


@needs_subprocess
def test_selftest_runs_from_a_zip_file(tmp_path):
    archive = tmp_path / "backprop.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (ROOT / "backprop").rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, path.relative_to(ROOT).as_posix())
    env = dict(os.environ, PYTHONPATH=str(archive))
    code = ("import backprop, backprop.selftest as s; "
            "print(backprop.__file__); print(len(s.package_modules()))")
    r = python("-c", code, env=env, cwd=tmp_path)
    where, n = r.stdout.split()
    assert "backprop.zip" in where and int(n) == len(st.package_modules())
    r = run_backprop("selftest", env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stdout
    assert counts(r.stdout)[0] > 50


def test_selftest_counts_a_broken_example_and_a_failing_check():
    broken = types.ModuleType("broken", ">>> 1 + 1\n3\n>>> 2 * 2\n4\n")

    def bad_check():
        raise ValueError("wrong on purpose")

    out = io.StringIO()
    assert st.selftest([broken], [("fails", bad_check)], out=out) == (1, 2)
    text = out.getvalue()
    assert "Expected:\n    3\nGot:\n    2" in text
    assert "FAIL  fails: wrong on purpose" in text
    assert text.splitlines()[-1] == "1 passed, 2 failed"


def test_selftest_command_exits_1_on_failure(monkeypatch, capsys):
    broken = types.ModuleType("broken", ">>> 1 + 1\n3\n")
    monkeypatch.setattr(st, "package_modules", lambda: [broken])
    monkeypatch.setattr(st, "CHECKS", [])
    assert main(["selftest"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "0 passed, 1 failed"


def test_selftest_counts_a_module_that_does_not_import():
    out = io.StringIO()
    assert st.selftest(["backprop.no_such_module"], [], out=out) == (0, 1)
    assert "cannot import" in out.getvalue()


# === Issue 13: outputs, data files, signals, pipes, encodings ===============

def test_bad_output_paths_are_refused_before_training(tmp_path, capsys):
    saved = tmp_path / "new.json"
    argv = ["train", "moons", "--epochs", "5", "--plot",
            str(tmp_path / "nodir" / "p.svg"), "--save", str(saved)]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and "does not exist" in err    # no banner, no work
    assert not saved.exists()


def test_a_failed_chart_does_not_lose_the_model(tmp_path, capsys,
                                                 monkeypatch):
    import backprop.commands as commands

    def broken_plot(*args):
        raise OSError(28, "No space left on device", args[1])

    monkeypatch.setattr(commands, "_plot", broken_plot)
    saved, svg = tmp_path / "m.json", tmp_path / "p.svg"
    assert main(["train", "--epochs", "5", "--save", str(saved),
                 "--plot", str(svg)]) == 2
    out, err = capsys.readouterr()
    assert bpio.load(saved).sizes == [2, 4, 1]      # written first
    assert f"Saved the network to {saved}" in out
    assert err.splitlines() == [f"python -m backprop train: error: "
                                f"{svg}: No space left on device"]


def test_names_are_checked_before_any_work(capsys):
    assert main(["compare", "--what", "optimizer", "--optimizers",
                 "gd,adam,sgd"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "unknown optimizer 'sgd'" in err
    assert "did you mean 'gd'" in err
    assert main(["train", "xor", "--loss", "cross_entropy"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "did you mean 'binary_cross_entropy'" in err


def shipped_rows(name):
    """The training rows of a shipped data set as the user has them:
    unstandardized, with their labels (None for a gate)."""
    from backprop import datasets
    data = datasets.load(name)
    if data.mean is None:
        return data.X, data.labels
    raw = datasets.wheat_seeds()
    X, _, labels, _ = datasets.train_test_split(*raw, seed=0)
    return X, labels


@pytest.mark.parametrize("name", ["xor", "and", "or", "moons", "circles",
                                  "spirals", "wheat-seeds"])
def test_saved_model_predicts_what_training_reported(name, tmp_path,
                                                     capsys):
    saved, rows = tmp_path / "m.json", tmp_path / "rows.csv"
    assert main(["train", name, "--epochs", "30", "--save",
                 str(saved)]) == 0
    out = capsys.readouterr().out
    X, labels = shipped_rows(name)
    rows.write_text("".join(",".join(map(repr, x)) + "\n" for x in X))
    assert main(["predict", str(saved), "--csv", str(rows)]) == 0
    lines = capsys.readouterr().out.splitlines()
    if labels is None:      # a gate: the same four predictions
        assert [line.split("Output: [")[1][:-1] for line in lines] == [
            line.split("Predicted: ")[1].split(",")[0]
            for line in out.splitlines() if "Predicted" in line]
        return
    classes = json.loads(saved.read_text())["metadata"]["classes"]
    said = [classes.index(line.split("class ")[1]) for line in lines]
    right = sum(c == t for c, t in zip(said, labels))
    reported = re.search(r"Accuracy on the \d+ training samples: (\S+)",
                         out).group(1)
    assert f"{right / len(labels):.1%}" == reported


POINTS = "x,y,colour\n" + "".join(
    f"{i % 5},{i % 7},{'red' if (i % 5) + (i % 7) > 5 else 'blue'}\n"
    for i in range(40))


def test_train_on_a_csv_file_then_predict(tmp_path, capsys):
    data, saved = tmp_path / "points.csv", tmp_path / "p.json"
    data.write_text(POINTS)
    assert main(["train", "--csv", str(data), "--epochs", "50",
                 "--save", str(saved)]) == 0
    out = capsys.readouterr().out
    assert f"2-8-1 network on {data}: 30 samples" in out
    assert "Accuracy on the 10 test samples" in out
    assert json.loads(saved.read_text())["metadata"]["classes"] == [
        "blue", "red"]
    assert main(["predict", str(saved), "--input", "4,6"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("class red")
    # the label column by number, no header; - reads standard input
    flipped = "".join(f"{c},{x},{y}\n" for x, y, c in
                      (row.split(",") for row in POINTS.split()[1:]))
    monkeypatch_stdin(flipped)
    assert main(["train", "--csv", "-", "--label", "1", "--epochs",
                 "2"]) == 0
    assert "network on standard input: 30 samples" in \
        capsys.readouterr().out


def monkeypatch_stdin(text):
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")))


@pytest.fixture(autouse=True)
def restore_stdin():
    stdin = sys.stdin
    yield
    sys.stdin = stdin


def test_csv_bom_blank_lines_and_stdin(model, tmp_path, capsys):
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf0,1\r\n\r\n1,1\r\n")
    assert main(["predict", str(model), "--csv", str(bom)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    monkeypatch_stdin("0,0\n1,0\n")
    assert main(["predict", str(model), "--csv", "-"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_train_given_a_file_name_says_use_csv(capsys):
    with pytest.raises(SystemExit):
        main(["train", "my.csv"])
    assert "give --csv my.csv" in capsys.readouterr().err


def test_only_the_packages_own_errors_are_one_line(monkeypatch, capsys):
    import backprop.commands as commands

    def bug(args):
        return None + 1           # a TypeError that is backprop's bug

    monkeypatch.setitem(commands.COMMANDS, "selftest", bug)
    with pytest.raises(TypeError):
        main(["selftest"])

    def check(args):
        from backprop import train
        train(Network([1, 1]), [[0.0]], [[0.0]], epochs="many", eta=1.0)

    monkeypatch.setitem(commands.COMMANDS, "selftest", check)
    assert main(["selftest"]) == 2
    assert capsys.readouterr().err.startswith(
        "python -m backprop selftest: error: train: epochs")


def test_ctrl_c_is_one_line_and_130(monkeypatch, capsys):
    import backprop.cli as cli
    import backprop.commands as commands

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setitem(commands.COMMANDS, "selftest", interrupt)
    assert main(["selftest"]) == 130
    assert capsys.readouterr().err == \
        "python -m backprop selftest: interrupted\n"
    monkeypatch.setattr(cli, "build_parser", interrupt)   # at start-up
    assert main([]) == 130
    assert capsys.readouterr().err == "python -m backprop: interrupted\n"


@needs_subprocess
def test_ctrl_c_in_a_child_process():
    import signal
    p = subprocess.Popen([sys.executable, "-m", "backprop", "--epochs",
                          "10000000", "--print-every", "1"], cwd=ROOT,
                         env=ENV, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    p.stdout.readline()               # training has started
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130
    assert err.strip() == "python -m backprop: interrupted"


@needs_subprocess
def test_a_closed_pipe_is_not_an_error():
    p = subprocess.Popen([sys.executable, "-m", "backprop", "--epochs",
                          "100000", "--print-every", "1"], cwd=ROOT,
                         env=ENV, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdout.readline()               # python -m backprop | head -1
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=60) == 0 and err == b""


@needs_subprocess
def test_explain_on_a_windows_console_encoding():
    env = dict(ENV, PYTHONIOENCODING="cp1252")
    r = subprocess.run([sys.executable, "-m", "backprop", "explain"],
                       capture_output=True, encoding="cp1252", cwd=ROOT,
                       env=env)
    assert r.returncode == 0, r.stderr
    assert "eta" in r.stdout and "dL/d" in r.stdout


def test_explain_weights_without_target_says_what_it_used(tmp_path,
                                                          capsys):
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps({"W": [[[0.5, -0.5]]]}))
    assert main(["explain", "--weights", str(weights)]) == 0
    assert "no --target given; using y = [0]" in capsys.readouterr().err
    weights.write_text(json.dumps({"W": [[[0.5, -0.5], [1]]]}))
    assert main(["explain", "--weights", str(weights)]) == 2
    assert str(weights) in capsys.readouterr().err


def test_large_networks_are_refused_or_warned(tmp_path, capsys,
                                              monkeypatch):
    import backprop.commands as commands
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"W": [[[0.0] * 60] * 60]}))
    assert main(["explain", "--weights", str(big)]) == 2
    assert "3,660 weights and biases" in capsys.readouterr().err
    monkeypatch.setattr(commands, "GRADCHECK_WARN", 10)
    assert main(["gradcheck", "--layers", "3,3,2"]) == 0
    assert "20 parameters" in capsys.readouterr().err
