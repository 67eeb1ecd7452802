"""Tests for backprop.io: exact round trips, atomic saves, bad files."""
from __future__ import annotations

import json
import os
import random
import signal
import struct
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis_or_skip import given, settings, st

import backprop.io as bio
from backprop.activations import ACTIVATIONS
from backprop.errors import BackpropError
from backprop.io import ModelFileError, from_dict, load, save, to_dict
from backprop.network import Network

needs_subprocess = pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Emscripten (Pyodide) has no subprocesses")

ROOT = Path(__file__).resolve().parent.parent
ONE_NEURON = sorted(set(ACTIVATIONS) - {"softmax"})   # softmax needs 2+
AWKWARD = [0.1 + 0.2, 1e-310, -0.0, 5e-324, -5e-324, 1.7976931348623157e308,
           2.2250738585072014e-308, 1 / 3, -2.0 ** -1074 * 3, 123456789.0]


def bits(net: Network) -> bytes:
    """All of net's floats as IEEE-754 bytes: equal bytes = same bits."""
    flat = [v for W_l in net.W for row in W_l for v in row]
    if net.b is not None:
        flat += [v for b_l in net.b for v in b_l]
    return struct.pack(f"<{len(flat)}d", *flat)


def random_net(rng: random.Random, bias: bool = True) -> Network:
    sizes = [rng.randint(1, 5) for _ in range(rng.randint(2, 4))]
    names = [rng.choice(sorted(ACTIVATIONS) if n > 1 else ONE_NEURON)
             for n in sizes[1:]]
    W = [[[rng.gauss(0.0, 10.0) for _ in range(n_in)] for _ in range(n_out)]
         for n_in, n_out in zip(sizes, sizes[1:])]
    b = [[rng.uniform(-1, 1) for _ in range(n)] for n in sizes[1:]]
    return Network.from_weights(W, b if bias else None, names)


# === Round trips ============================================================


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("bias", [True, False])
def test_round_trip_is_bit_for_bit(tmp_path, seed, bias):
    rng = random.Random(seed)
    net = random_net(rng, bias)
    path = tmp_path / "net.json"
    save(net, path)
    net2 = load(path)
    assert bits(net2) == bits(net)
    assert (net2.b is None) == (not bias)
    assert net2.sizes == net.sizes and net2.activations == net.activations
    X = [[rng.uniform(-2, 2) for _ in range(net.sizes[0])]
         for _ in range(5)]
    for p, p2 in zip(net.predict(X), net2.predict(X)):
        assert [v.hex() for v in p2] == [v.hex() for v in p]


def test_awkward_floats_keep_every_bit(tmp_path):
    W = [[AWKWARD[:5], AWKWARD[5:]]]
    b = [[-0.0, 5e-324]]
    net = Network.from_weights(W, b, "identity")
    save(net, str(tmp_path / "net.json"))
    net2 = load(str(tmp_path / "net.json"))
    assert [v.hex() for v in net2.W[0][0] + net2.W[0][1] + net2.b[0]] \
        == [v.hex() for v in AWKWARD + [-0.0, 5e-324]]
    assert str(net2.b[0][0]) == "-0.0"      # the sign of zero survives
    x = [[1.0] * 5, [-0.5] * 5]
    assert [[v.hex() for v in p] for p in net2.predict(x)] \
        == [[v.hex() for v in p] for p in net.predict(x)]


def test_file_text_is_the_dict_as_json(tmp_path):
    net = random_net(random.Random(7))
    save(net, tmp_path / "net.json", metadata={"eta": 0.5, "epochs": 3})
    text = (tmp_path / "net.json").read_text(encoding="utf-8")
    assert json.loads(text) == to_dict(net, {"eta": 0.5, "epochs": 3})
    assert text.endswith("}\n")


def test_to_dict_copies_and_from_dict_rebuilds():
    net = Network([2, 3, 1], ["relu", "sigmoid"], seed=3)
    d = to_dict(net)
    assert d["format"] == "backprop-network" and d["version"] == 2
    assert d["preprocessing"] is None
    d["W"][0][0][0] = 99.0
    assert net.W[0][0][0] != 99.0
    d = to_dict(net)
    assert bits(from_dict(d)) == bits(net)
    assert json.loads(json.dumps(d)) == d       # plain JSON values only


def test_metadata_is_saved_and_checked(tmp_path):
    net = Network([1, 1], seed=0)
    meta = {"eta": 0.1, "optimizer": "adam", "sizes": (1, 1)}
    save(net, tmp_path / "net.json", metadata=meta)
    on_disk = json.loads((tmp_path / "net.json").read_text())
    assert on_disk["metadata"] == {"eta": 0.1, "optimizer": "adam",
                                   "sizes": [1, 1]}
    with pytest.raises(TypeError, match="metadata must be a dict"):
        save(net, tmp_path / "x.json", metadata=[1])
    with pytest.raises(ModelFileError, match=r"metadata\['a'\]\[1\]"):
        save(net, tmp_path / "x.json", metadata={"a": [1, float("nan")]})
    with pytest.raises(ModelFileError, match="metadata"):
        save(net, tmp_path / "x.json", metadata={"a": object()})
    assert sorted(os.listdir(tmp_path)) == ["net.json"]


# === Saving: errors and atomicity ===========================================


def test_save_refuses_a_folder_and_a_missing_folder(tmp_path):
    net = Network([1, 1], seed=0)
    (tmp_path / "d").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder"):
        save(net, tmp_path / "d")
    missing = tmp_path / "nope" / "net.json"
    with pytest.raises(FileNotFoundError, match="does not exist") as e:
        save(net, missing)
    assert str(missing) in str(e.value)


def test_save_refuses_a_network_load_would_refuse(tmp_path):
    net = Network([2, 1], seed=0)
    net.W[0][0][1] = float("nan")
    with pytest.raises(ModelFileError, match=r"W\[0\]\[0\]\[1\]"):
        save(net, tmp_path / "net.json")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("where", ["fsync", "replace", "write"])
def test_crash_mid_save_keeps_the_old_file(tmp_path, monkeypatch, where):
    path = tmp_path / "net.json"
    save(Network([2, 2, 1], seed=1), path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk on fire")

    if where == "write":     # fail halfway through writing the text
        real_fdopen = os.fdopen

        def fdopen(*args, **kwargs):
            f = real_fdopen(*args, **kwargs)

            def write(s):
                f.buffer.write(s[:len(s) // 2].encode())
                crash()
            f.write = write
            return f
        monkeypatch.setattr(bio.os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(bio.os, where, crash)
    with pytest.raises(OSError, match="disk on fire"):
        save(Network([2, 2, 1], seed=2), path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["net.json"]     # no temp file left
    assert bits(load(path)) == bits(Network([2, 2, 1], seed=1))


def test_ctrl_c_mid_save_removes_the_temp_file(tmp_path, monkeypatch):
    def interrupt(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(bio.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save(Network([1, 1], seed=0), tmp_path / "net.json")
    assert os.listdir(tmp_path) == []


KILL_SCRIPT = textwrap.dedent("""
    import os, sys, time
    import backprop.io as bio
    from backprop.network import Network
    real_fdopen = os.fdopen
    def slow_fdopen(*args, **kwargs):
        f = real_fdopen(*args, **kwargs)
        def write(s):        # write half, then hang until killed
            f.buffer.write(s[:len(s) // 2].encode())
            f.buffer.flush()
            print("writing", flush=True)
            time.sleep(60)
        f.write = write
        return f
    bio.os.fdopen = slow_fdopen
    bio.save(Network([30, 30, 30, 10], seed=5), sys.argv[1])
""")


@needs_subprocess
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "net.json"
    old = Network([2, 3, 1], seed=4)
    save(old, path)
    before = path.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(path)],
                            stdout=subprocess.PIPE, env=env)
    try:
        assert proc.stdout.readline() == b"writing\n"
        temps = [p for p in tmp_path.iterdir() if p.name != "net.json"]
        assert len(temps) == 1 and temps[0].stat().st_size > 0
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert bits(load(path)) == bits(old)


def open_mode(folder: Path) -> int:
    """Return the permission bits open() gives a new file in folder."""
    probe = folder / "made-by-open"
    probe.touch()
    mode = probe.stat().st_mode & 0o777
    probe.unlink()
    return mode


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_saved_file_gets_normal_permissions(tmp_path):
    path = tmp_path / "net.json"
    umask = os.umask(0o022)
    try:
        save(Network([1, 1], seed=0), path)
        # what open() gives a new file: 0o644 (0o666 under Emscripten,
        # whose file system ignores the umask); not mkstemp's 0o600
        assert path.stat().st_mode & 0o777 == open_mode(tmp_path)
        os.chmod(path, 0o640)
        save(Network([1, 1], seed=1), path)
        assert path.stat().st_mode & 0o777 == 0o640   # kept on overwrite
    finally:
        os.umask(umask)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_save_never_touches_the_process_umask(tmp_path, monkeypatch):
    # os.umask can only be read by setting it, which races with other
    # threads; the kernel applies it when the temporary file is created
    def umask(mask):
        raise AssertionError("save changed the process-wide umask")
    old = os.umask(0o027)
    try:
        expected = open_mode(tmp_path)        # 0o640 where umask applies
        monkeypatch.setattr(os, "umask", umask)
        save(Network([1, 1], seed=0), tmp_path / "net.json")
        monkeypatch.undo()
    finally:
        os.umask(old)
    assert (tmp_path / "net.json").stat().st_mode & 0o777 == expected


def test_save_and_save_svg_share_one_atomic_write(tmp_path, monkeypatch):
    from backprop import plot
    written = []
    monkeypatch.setattr(plot, "write_atomic",
                        lambda path, text: written.append(path))
    plot.save_svg(plot.loss_chart({"a": [1.0]}), tmp_path / "x.svg")
    assert written == [tmp_path / "x.svg"]
    assert plot.write_atomic is not bio.write_atomic    # patched above
    monkeypatch.undo()
    assert plot.write_atomic is bio.write_atomic


def test_write_atomic_is_public_and_writes_exact_text(tmp_path):
    path = tmp_path / "note.txt"
    bio.write_atomic(path, "a\nb\n")
    assert path.read_bytes() == b"a\nb\n"
    bio.write_atomic(str(path), "c")
    assert path.read_text() == "c" and os.listdir(tmp_path) == ["note.txt"]


def test_load_weights_reads_a_bare_object_or_a_saved_file(tmp_path):
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"W": [[[0.5, -0.5]]], "b": [[0.25]],
                                "activation": "tanh"}))
    net = bio.load_weights(bare)
    assert (net.W, net.b, net.activations) == ([[[0.5, -0.5]]], [[0.25]],
                                               ["tanh"])
    no_bias = tmp_path / "nobias.json"
    no_bias.write_text(json.dumps({"W": [[[1.0]]]}))
    assert bio.load_weights(no_bias).b is None
    saved = tmp_path / "saved.json"
    original = Network([2, 3, 1], ["relu", "sigmoid"], seed=4)
    save(original, saved)
    back = bio.load_weights(saved)
    assert (back.W, back.b, back.activations) == (
        original.W, original.b, original.activations)


def test_load_weights_errors_name_the_problem(tmp_path):
    text = tmp_path / "notes.json"
    text.write_text("hello")
    with pytest.raises(ModelFileError, match="not valid JSON"):
        bio.load_weights(text)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "keras", "W": []}))
    with pytest.raises(ModelFileError, match="format"):
        bio.load_weights(other)
    ragged = tmp_path / "ragged.json"
    ragged.write_text(json.dumps({"W": [[[1, 2], [3]]]}))
    with pytest.raises(BackpropError, match="ragged"):
        bio.load_weights(ragged)
    with pytest.raises(FileNotFoundError):
        bio.load_weights(tmp_path / "missing.json")


# === Loading bad files ======================================================

GOOD = to_dict(Network([2, 3, 2], ["tanh", "softmax"], seed=0),
               {"eta": 0.5})


def edited(**changes):
    d = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        if value is KeyError:
            del d[key]
        else:
            d[key] = value
    return json.dumps(d)


def set_in(key, index, value):
    d = json.loads(json.dumps(GOOD))
    target = d[key]
    for i in index[:-1]:
        target = target[i]
    target[index[-1]] = value
    return json.dumps(d)


GOOD_TEXT = bio._dumps(GOOD)
BAD_FILES = {
    "empty": ("", ["empty file"]),
    "not json": ("hello", ["not valid JSON", "line 1 column 1"]),
    "truncated": (GOOD_TEXT[:len(GOOD_TEXT) // 2],
                  ["not valid JSON", "truncated"]),
    "top level list": ("[1, 2]", ["(top level)", "a JSON object",
                                  "a list of 2"]),
    "wrong format": (edited(format="keras"),
                     ["format", "'backprop-network'", "'keras'"]),
    "no format": (edited(format=KeyError), ["missing key 'format'"]),
    "future version": (edited(version=3),
                       ["version 3", "reads versions 1 to 2", "upgrade"]),
    "old version": (edited(version=0),
                    ["version 0 is not supported", "versions 1 to 2"]),
    "version string": (edited(version="1"), ["version", "whole number",
                                             "'1'"]),
    "version bool": (edited(version=True), ["version", "got true"]),
    "no version": (edited(version=KeyError), ["missing key 'version'"]),
    "no W": (edited(W=KeyError), ["missing key 'W'"]),
    "no b": (edited(b=KeyError), ["missing key 'b'"]),
    "extra key": (edited(weights=[]), ["unknown key 'weights'"]),
    "sizes short": (edited(sizes=[2]), ["sizes", "at least 2"]),
    "sizes bool": (set_in("sizes", [1], True), ["sizes[1]", "got true"]),
    "sizes zero": (set_in("sizes", [1], 0), ["sizes[1]", ">= 1"]),
    "too few activations": (edited(activations=["tanh"]),
                            ["activations", "a list of 2", "a list of 1"]),
    "unknown activation": (set_in("activations", [1], "swish"),
                           ["activations[1]", "'swish'", "sigmoid"]),
    "W layers": (edited(W=GOOD["W"][:1]), ["W:", "a list of 2 matrices"]),
    "W rows": (set_in("W", [1], GOOD["W"][1][:1]),
               ["W[1]:", "a list of 2 rows", "a list of 1"]),
    "W row length": (set_in("W", [1, 0], [0.5, 0.5]),
                     ["W[1][0]:", "a list of 3 numbers", "a list of 2"]),
    "W bool": (set_in("W", [1, 0, 2], True),
               ["W[1][0][2]", "finite number", "got true"]),
    "W string": (set_in("W", [1, 0, 2], "0.5"),
                 ["W[1][0][2]", "finite number", "'0.5'"]),
    "W null": (set_in("W", [0, 2, 1], None), ["W[0][2][1]", "got null"]),
    "W NaN": (set_in("W", [1, 0, 2], float("nan")),
              ["W[1][0][2]", "finite number", "NaN"]),
    "W Infinity": (set_in("W", [0, 1, 0], float("inf")),
                   ["W[0][1][0]", "Infinity"]),
    "W -Infinity": (set_in("W", [0, 1, 0], float("-inf")),
                    ["W[0][1][0]", "-Infinity"]),
    "W 1e400": (GOOD_TEXT.replace(repr(GOOD["W"][0][0][0]), "1e400", 1),
                ["W[0][0][0]", "finite number", "too large"]),
    "b length": (set_in("b", [1], [0.0]), ["b[1]:", "a list of 2 numbers"]),
    "b NaN": (set_in("b", [0, 2], float("nan")), ["b[0][2]", "NaN"]),
    "b not list": (edited(b=1.0), ["b:", "or null", "1.0"]),
    "metadata list": (edited(metadata=[1]), ["metadata", "an object"]),
    "metadata NaN": (edited(metadata={"x": [float("nan")]}),
                     ["metadata['x'][0]", "NaN"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_raises_model_file_error(tmp_path, case):
    text, words = BAD_FILES[case]
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelFileError) as e:
        load(path)
    message = str(e.value)
    assert message.startswith(f"load: {str(path)!r}")   # names the file
    for word in words:
        assert word in message, (word, message)
    assert isinstance(e.value, BackpropError)
    assert isinstance(e.value, ValueError)


def test_bad_bytes_and_missing_file(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(b'{"format": "\xff"}')
    with pytest.raises(ModelFileError, match="UTF-8"):
        load(path)
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.json")


def test_from_dict_names_its_source():
    d = json.loads(set_in("W", [1, 0, 2], True))
    with pytest.raises(ModelFileError,
                       match=r"^from_dict: <dict>: W\[1\]\[0\]\[2\]"):
        from_dict(d)
    with pytest.raises(ModelFileError, match=r"^from_dict: mine: "):
        from_dict(d, source="mine")
    with pytest.raises(ModelFileError, match="a JSON object"):
        from_dict([GOOD])


def test_the_good_file_loads():
    path_free = json.loads(GOOD_TEXT)
    assert path_free == GOOD
    assert bits(from_dict(path_free)) == \
        bits(Network([2, 3, 2], ["tanh", "softmax"], seed=0))


# === Property: any network round-trips exactly ==============================

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    W = [draw(st.lists(st.lists(finite, min_size=n_in, max_size=n_in),
                       min_size=n_out, max_size=n_out))
         for n_in, n_out in zip(sizes, sizes[1:])]
    b = draw(st.none() | st.tuples(*[
        st.lists(finite, min_size=n, max_size=n) for n in sizes[1:]]))
    names = [draw(st.sampled_from(sorted(ACTIVATIONS) if n > 1
                                  else ONE_NEURON)) for n in sizes[1:]]
    return Network.from_weights(W, None if b is None else list(b), names)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_property_save_load_is_exact(net):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "net.json")
        save(net, path)
        net2 = load(path)
    assert bits(net2) == bits(net)
    assert (net2.sizes, net2.activations) == (net.sizes, net.activations)
    assert (net2.b is None) == (net.b is None)


# === Format version 2: the preprocessing round trip ========================

V1_TEXT = """{"format": "backprop-network", "version": 1, "sizes": [2, 1],
 "activations": ["sigmoid"], "W": [[[0.5, -0.5]]], "b": [[0.25]],
 "metadata": {"eta": 0.5}}"""


def test_a_version_1_file_still_loads(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(V1_TEXT)
    model = bio.load_model(path)
    assert model.preprocessing is None and model.metadata == {"eta": 0.5}
    assert model.net.W == [[[0.5, -0.5]]] and load(path).b == [[0.25]]
    assert model.predict([[1.0, 2.0]]) == model.net.predict([[1.0, 2.0]])
    d = json.loads(V1_TEXT)
    d["preprocessing"] = None          # version 1 had no such key
    with pytest.raises(ModelFileError, match="version 1"):
        from_dict(d)


def test_preprocessing_is_saved_and_applied(tmp_path):
    net = Network([3, 4, 2], ["tanh", "softmax"], seed=1)
    pre = bio.standardization([1.0, -2.0, 100.0], [0.5, 2.0, 40.0])
    save(net, tmp_path / "m.json", metadata={"seed": 1},
         preprocessing=pre)
    text = (tmp_path / "m.json").read_text()
    assert '"preprocessing": {"standardize": {\n    "mean": [1.0, -2.0, ' \
        '100.0],\n    "std": [0.5, 2.0, 40.0]\n  }},' in text
    model = bio.load_model(tmp_path / "m.json")
    assert model.preprocessing == pre and model.metadata == {"seed": 1}
    X = [[2.0, 0.0, 60.0], [1.0, -2.0, 100.0]]
    assert model.prepare(X) == [[2.0, 1.0, -1.0], [0.0, 0.0, 0.0]]
    assert model.predict(X) == net.predict(model.prepare(X))
    save(model, tmp_path / "copy.json")        # a Model saves whole
    assert (tmp_path / "copy.json").read_text() == text
    assert repr(model).endswith("preprocessing='standardize')")


def test_wheat_seeds_model_predicts_what_training_reported(tmp_path):
    from backprop import train
    from backprop.datasets import load as load_data
    from backprop.datasets import wheat_seeds
    from backprop.prepare import accuracy, standardize
    data = load_data("wheat-seeds")
    net = Network([7, 8, 3], ["sigmoid", "softmax"], seed=0)
    train(net, data.X, data.y, epochs=30, eta=0.5, seed=0,
          loss="categorical_cross_entropy")
    save(net, tmp_path / "w.json",
         preprocessing=bio.standardization(data.mean, data.std))
    raw_X, labels = wheat_seeds()
    Z = standardize(raw_X, mean=data.mean, std=data.std)[0]
    model = bio.load_model(tmp_path / "w.json")
    assert model.predict(raw_X) == net.predict(Z)     # the same bits
    assert accuracy(model.predict(raw_X), labels) > 0.8
    # the bug this fixes: the bare network on raw rows is far off
    assert accuracy(load(tmp_path / "w.json").predict(raw_X), labels) < 0.5


BAD_PRE = {
    "short mean": ({"standardize": {"mean": [0.0], "std": [1.0, 1.0]}},
                   ["preprocessing.standardize.mean", "a list of 2"]),
    "zero std": ({"standardize": {"mean": [0, 0], "std": [1.0, 0.0]}},
                 ["preprocessing.standardize.std[1]", "> 0"]),
    "NaN mean": ({"standardize": {"mean": [0, float("nan")],
                                  "std": [1, 1]}},
                 ["mean[1]", "finite", "NaN"]),
    "unknown step": ({"normalize": {}}, ["preprocessing", "standardize",
                                         "'normalize'"]),
    "extra key": ({"standardize": {"mean": [0, 0], "std": [1, 1], "x": 1}},
                  ["preprocessing.standardize", '"mean" and "std"']),
    "a list": ([1, 2], ["preprocessing", "a list of 2"]),
}


@pytest.mark.parametrize("case", sorted(BAD_PRE))
def test_bad_preprocessing_is_refused(tmp_path, case):
    pre, words = BAD_PRE[case]
    path = tmp_path / "m.json"
    path.write_text(edited(preprocessing=pre), encoding="utf-8")
    with pytest.raises(ModelFileError) as e:
        load(path)
    for word in words:
        assert word in str(e.value), (word, str(e.value))
    net = Network([2, 1], seed=0)
    with pytest.raises((ModelFileError, TypeError)):
        save(net, tmp_path / "x.json", preprocessing=pre)
    assert not (tmp_path / "x.json").exists()


def test_model_and_standardization_check_their_arguments():
    net = Network([2, 1], seed=0)
    with pytest.raises(TypeError, match="Model: net must be a Network"):
        bio.Model(None)
    with pytest.raises(ModelFileError, match=r"^Model: preprocessing"):
        bio.Model(net, {"standardize": {"mean": [0.0], "std": [1.0]}})
    with pytest.raises(BackpropError, match="standardization: mean and"):
        bio.standardization([0.0], None)
    with pytest.raises(ModelFileError, match=r"std\[0\]: expected a num"):
        bio.standardization([0.0], [-1.0])
    assert bio.standardization(None, None) is None
    model = bio.Model(net, bio.standardization([0, 0], [1, 2]))
    with pytest.raises(BackpropError, match=r"Model.predict: X\[0\]"):
        model.predict([[1.0]])
    assert repr(bio.Model(net)).endswith("preprocessing=None)")


# === Hostile files and arguments ===========================================


def write(tmp_path, text: str | bytes) -> Path:
    path = tmp_path / "model.json"
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


@pytest.mark.parametrize("loader", [load, bio.load_model, bio.load_weights])
def test_deep_nesting_is_a_model_file_error(tmp_path, loader):
    with pytest.raises(ModelFileError, match="nested too deeply"):
        loader(write(tmp_path, "[" * 100000))


BIG = "9" * 5000


@pytest.mark.parametrize("field,text,words", [
    pytest.param(*p, id=p[0]) for p in [
    ("W", GOOD_TEXT.replace(repr(GOOD["W"][0][0][0]), BIG, 1),
     ["W[0][0][0]", "5000 digits", "too large"]),
    ("sizes", edited(sizes=[2, 3, 2]).replace("3", BIG, 1),
     ["sizes[1]", "5000 digits"]),
    ("version", edited(version=2).replace('"version": 2',
                                          f'"version": {BIG}'),
     ["version", "5000 digits"]),
    ("metadata", edited(metadata={"n": 1}).replace('"n": 1', f'"n": -{BIG}'),
     ["metadata['n']", "5000 digits"]),
]])
def test_a_huge_integer_names_its_field(tmp_path, field, text, words):
    with pytest.raises(ModelFileError) as e:
        load(write(tmp_path, text))
    for word in words:
        assert word in str(e.value), (word, str(e.value))


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path, GOOD_TEXT)
    monkeypatch.setattr(bio, "MAX_BYTES", len(GOOD_TEXT) - 1)
    with pytest.raises(ModelFileError, match="larger than .* MiB"):
        load(path)
    monkeypatch.setattr(bio, "MAX_BYTES", len(GOOD_TEXT))
    assert load(path).sizes == [2, 3, 2]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_endless_file_is_refused():
    with pytest.raises(ModelFileError, match="'/dev/zero' is larger than "
                                             "64 MiB"):
        load("/dev/zero")


def test_a_byte_order_mark_is_skipped(tmp_path):
    assert load(write(tmp_path, b"\xef\xbb\xbf" + GOOD_TEXT.encode())
                ).sizes == [2, 3, 2]


def test_save_refuses_what_is_not_a_network(tmp_path):
    for net in (None, "net.json", [[[1.0]]]):
        with pytest.raises(TypeError, match="save: net must be a Network"):
            save(net, tmp_path / "m.json")
    with pytest.raises(TypeError, match="preprocessing must be a dict"):
        save(Network([1, 1], seed=0), tmp_path / "m.json",
             preprocessing=[1.0])
    assert os.listdir(tmp_path) == []


def test_metadata_that_json_cannot_hold(tmp_path):
    net = Network([1, 1], seed=0)
    cycle: dict = {"a": [1]}
    cycle["a"].append(cycle)
    deep: list = []
    for _ in range(500):
        deep = [deep]
    cases = [(cycle, ["metadata['a'][1]", "contains itself"]),
             ({"deep": deep}, ["levels of nesting"]),
             ({"n": 10 ** 5000}, ["metadata['n']", "digits"]),
             ({"s": {1, 2}}, ["metadata['s']", "JSON value", "{1, 2}"]),
             ({1: "a"}, ["string keys"])]
    for metadata, words in cases:
        with pytest.raises(ModelFileError) as e:
            save(net, tmp_path / "m.json", metadata=metadata)
        assert str(e.value).startswith("save: metadata")
        for word in words:
            assert word in str(e.value), (word, str(e.value))
    assert os.listdir(tmp_path) == []


def test_bare_weights_with_nan_name_the_weight(tmp_path):
    with pytest.raises((BackpropError, TypeError),
                       match=r"W\[0\]\[0\]\[1\].*NaN"):
        bio.load_weights(write(tmp_path, '{"W": [[[1.0, NaN]]]}'))


def test_an_old_file_the_network_now_refuses_names_the_file(tmp_path):
    d = json.loads(edited(sizes=[2, 1], activations=["softmax"]))
    d["W"], d["b"] = [[[1.0, 2.0]]], None
    with pytest.raises(ModelFileError, match=r"^load: '.*model.json': "):
        load(write(tmp_path, json.dumps(d)))


# === Files on disk: stale temporary files, links, errors in words ==========

HEX = "0123456789ab"


def age(path: Path, seconds: float = 3600.0) -> Path:
    t = path.stat().st_mtime - seconds
    os.utime(path, (t, t))
    return path


def test_stale_temp_files_of_the_target_are_removed(tmp_path):
    keep = [".net.json.0123456789.tmp",          # too few hex digits
            ".net.json.0123456789AB.tmp",        # not our lower-case hex
            ".net.json.0123456789ab.tmp.bak", ".other.json.0123456789ab.tmp",
            "net.json.0123456789ab.tmp", ".net.json.0123456789abc.tmp"]
    for name in keep + [f".net.json.{HEX}.tmp"]:
        age(_touch(tmp_path / name))
    fresh = _touch(tmp_path / ".net.json.ffffffffffff.tmp")   # a live save?
    save(Network([1, 1], seed=0), tmp_path / "net.json")
    left = sorted(os.listdir(tmp_path))
    assert f".net.json.{HEX}.tmp" not in left
    assert left == sorted(keep + [fresh.name, "net.json"])


def _touch(path: Path) -> Path:
    path.write_text("half a network")
    return path


@pytest.mark.skipif(os.name != "posix", reason="flock")
@pytest.mark.skipif(sys.platform == "emscripten",
                    reason="Emscripten (Pyodide) has no file locks: one "
                    "process, no threads")
def test_a_temp_file_locked_by_a_live_save_is_kept(tmp_path):
    import fcntl
    tmp = age(_touch(tmp_path / f".net.json.{HEX}.tmp"))
    with open(tmp) as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        save(Network([1, 1], seed=0), tmp_path / "net.json")
        assert tmp.exists()
    save(Network([1, 1], seed=0), tmp_path / "net.json")
    assert not tmp.exists()


@needs_subprocess
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_the_save_after_a_kill_cleans_up(tmp_path):
    path = tmp_path / "net.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(path)],
                            stdout=subprocess.PIPE, env=env)
    try:
        assert proc.stdout.readline() == b"writing\n"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
    [tmp] = tmp_path.iterdir()
    age(tmp)
    save(Network([1, 1], seed=0), path)
    assert os.listdir(tmp_path) == ["net.json"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_saving_over_a_symlink_writes_its_target(tmp_path):
    (tmp_path / "models").mkdir()
    target = tmp_path / "models" / "v1.json"
    save(Network([1, 1], seed=0), target)
    link = tmp_path / "latest.json"
    link.symlink_to(Path("models") / "v1.json")        # a relative link
    new = Network([1, 1], seed=5)
    save(new, link)
    assert link.is_symlink() and bits(load(target)) == bits(new)
    assert sorted(os.listdir(tmp_path)) == ["latest.json", "models"]
    dangling = tmp_path / "next.json"
    dangling.symlink_to(tmp_path / "models" / "v2.json")
    save(new, dangling)
    assert dangling.is_symlink() and bits(load(dangling)) == bits(new)


def test_errors_are_sentences_naming_the_file(tmp_path):
    net = Network([1, 1], seed=0)
    (tmp_path / "a_file").write_text("x")
    cases = [
        (tmp_path / "nodir" / "m.json", FileNotFoundError,
         f"the folder {str(tmp_path / 'nodir')!r} does not exist"),
        (tmp_path / "a_file" / "m.json", NotADirectoryError,
         f"{str(tmp_path / 'a_file')!r} is a file, not a folder"),
        (tmp_path, IsADirectoryError, "it is a folder; give a file name"),
        ("", FileNotFoundError, "the file name is empty"),
    ]
    for path, kind, words in cases:
        for call in (lambda p: save(net, p), bio.check_writable):
            with pytest.raises(kind) as e:
                call(path)
            assert str(e.value).startswith(
                f"cannot write {str(path)!r}: {words}")
            assert "Errno" not in str(e.value)
    with pytest.raises(TypeError, match="check_writable: path must be"):
        bio.check_writable(None)
    with pytest.raises(FileNotFoundError) as e:
        load(tmp_path / "missing.json")
    assert str(e.value).endswith("missing.json': there is no such file")
    with pytest.raises(IsADirectoryError, match="cannot read .*: it is a "
                                                "folder"):
        load(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["a_file"]


@pytest.mark.parametrize("code,kind,words", [
    ("EACCES", PermissionError, "permission denied"),
    ("EROFS", OSError, "the file system is read-only"),
    ("ENOSPC", OSError, "the disk is full"),
])
def test_each_errno_says_what_it_is(tmp_path, monkeypatch, code, kind,
                                    words):
    import errno
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith(".tmp"):
            n = getattr(errno, code)
            raise OSError(n, os.strerror(n), path)
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", refuse)
    path = tmp_path / "m.json"
    for call in (lambda: save(Network([1, 1], seed=0), path),
                 lambda: bio.check_writable(path)):
        with pytest.raises(kind) as e:
            call()
        assert str(e.value) == f"cannot write {str(path)!r}: {words}"
        assert e.value.errno == getattr(errno, code)
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.name != "posix" or hasattr(os, "geteuid")
                    and os.geteuid() == 0, reason="root may write anything")
def test_a_read_only_file_or_folder_is_refused(tmp_path):
    path = tmp_path / "m.json"
    save(Network([1, 1], seed=0), path)
    os.chmod(path, 0o444)
    with pytest.raises(PermissionError, match="the file is read-only"):
        bio.check_writable(path)
    os.chmod(path, 0o644)
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(PermissionError, match="permission denied"):
            save(Network([1, 1], seed=0), tmp_path / "new.json")
    finally:
        os.chmod(tmp_path, 0o755)


def test_check_writable_leaves_nothing_behind(tmp_path):
    assert bio.check_writable(tmp_path / "m.json") is None
    assert bio.check_writable(str(tmp_path / "m.json")) is None
    assert os.listdir(tmp_path) == []
