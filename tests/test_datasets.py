"""Tests for backprop.datasets: expected values come from the operators,
the generators' equations, the raw CSV, statistics and NumPy."""

from __future__ import annotations

import csv
import math
import operator
import pathlib
import statistics
import subprocess
import sys
import zipfile
from fractions import Fraction

import pytest
from hypothesis_or_skip import given, settings, st

from backprop.datasets import (
    WHEAT_FEATURES,
    WHEAT_VARIETIES,
    accuracy,
    and_,
    circles,
    classify,
    one_hot,
    or_,
    spirals,
    standardize,
    train_test_split,
    two_moons,
    wheat_seeds,
    xor,
)
from backprop.errors import BackpropError, ShapeError

needs_subprocess = pytest.mark.skipif(
    sys.platform == "emscripten",
    reason="Emscripten (Pyodide) has no subprocesses")

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "backprop"
CSV = PACKAGE / "data" / "wheat-seeds.csv"

# === Logic gates ===


@pytest.mark.parametrize("gate, op", [(xor, operator.xor),
                                      (and_, operator.and_),
                                      (or_, operator.or_)])
def test_gate_truth_table(gate, op):
    X, y = gate()
    assert X == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y == [[op(int(p), int(q))] for p, q in X]
    assert all(isinstance(v, float) for row in X + y for v in row)


def test_gate_returns_fresh_lists():
    X, y = xor()
    X[0][0] = 5.0
    assert xor()[0][0] == [0.0, 0.0]


# === Generators ===

GENERATORS = [two_moons, circles, spirals]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_data_and_no_global_state(make):
    import random
    random.seed(1)
    before = random.random()
    random.seed(1)
    assert make(50, seed=7) == make(50, seed=7)
    assert random.random() == before  # the global generator was not used


@pytest.mark.parametrize("make", GENERATORS)
def test_different_seeds_differ(make):
    assert make(50, seed=1)[0] != make(50, seed=2)[0]


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [1, 2, 7, 100])
def test_sizes_and_balanced_labels(make, n):
    X, labels = make(n, seed=0)
    assert len(X) == len(labels) == n
    assert all(len(x) == 2 for x in X)
    k = max(labels) + 1
    counts = [labels.count(c) for c in range(k)]
    assert max(counts) - min(counts) <= 1


def test_two_moons_lie_on_their_half_circles_without_noise():
    X, labels = two_moons(200, noise=0.0, seed=3)
    for (x1, x2), k in zip(X, labels):
        cx, cy = (0.0, 0.0) if k == 0 else (1.0, 0.5)
        assert math.hypot(x1 - cx, x2 - cy) == pytest.approx(1.0)
        assert (x2 >= 0) if k == 0 else (x2 <= 0.5)


def test_circles_radii_without_noise():
    X, labels = circles(100, noise=0.0, factor=0.3, seed=3)
    for x, k in zip(X, labels):
        assert math.hypot(*x) == pytest.approx(1.0 if k == 0 else 0.3)


def test_spirals_follow_their_equation_without_noise():
    K, turns = 3, 1.5
    X, labels = spirals(90, classes=K, turns=turns, noise=0.0, seed=3)
    for x, k in zip(X, labels):
        t = math.hypot(*x)  # r = t
        theta = 2 * math.pi * (turns * t + k / K)
        assert x[0] == pytest.approx(t * math.cos(theta), abs=1e-12)
        assert x[1] == pytest.approx(t * math.sin(theta), abs=1e-12)
    assert sorted(set(labels)) == [0, 1, 2]


def test_noise_spreads_points():
    X, labels = circles(400, noise=0.1, seed=0)
    gaps = [math.hypot(*x) - (1.0 if k == 0 else 0.5)
            for x, k in zip(X, labels)]
    assert 0.05 < statistics.pstdev(gaps) < 0.2


@pytest.mark.parametrize("call, error", [
    (lambda: two_moons(0), BackpropError),
    (lambda: two_moons(2.0), TypeError),
    (lambda: two_moons(True), TypeError),
    (lambda: two_moons(5, noise=-0.1), BackpropError),
    (lambda: two_moons(5, noise=float("nan")), BackpropError),
    (lambda: circles(5, factor=1.0), BackpropError),
    (lambda: circles(5, factor=0), BackpropError),
    (lambda: spirals(5, classes=1), BackpropError),
    (lambda: spirals(5, turns="2"), TypeError),
])
def test_generator_errors(call, error):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert message.split(":")[0] in ("two_moons", "circles", "spirals")
    assert any(f" {name} " in message
               for name in ("n", "noise", "factor", "classes", "turns"))


# === Wheat seeds ===


def read_raw():
    with open(CSV, newline="") as f:
        return [row for row in csv.reader(f)]


def test_wheat_seeds_matches_raw_file():
    rows = read_raw()
    X, labels = wheat_seeds()
    # UCI documents 210 instances, 7 attributes, 70 of each variety
    assert len(rows) == len(X) == len(labels) == 210
    assert [labels.count(k) for k in range(3)] == [70, 70, 70]
    assert X == [[float(v) for v in row[:7]] for row in rows]
    assert labels == [int(row[7]) - 1 for row in rows]
    assert len(WHEAT_FEATURES) == 7 and len(WHEAT_VARIETIES) == 3


@needs_subprocess
def test_wheat_seeds_loads_from_a_zip_file(tmp_path):
    archive = tmp_path / "backprop.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in PACKAGE.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, path.relative_to(PACKAGE.parent).as_posix())
        if not (PACKAGE / "__init__.py").exists():
            z.writestr("backprop/__init__.py", "")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            "import backprop.datasets as d; "
            "assert d.__file__.startswith(sys.argv[1]), d.__file__; "
            "X, labels = d.wheat_seeds(); print(len(X), sum(labels))")
    out = subprocess.run([sys.executable, "-c", code, str(archive)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["210", str(70 * (0 + 1 + 2))]


# === train_test_split ===


@pytest.mark.parametrize("n, fraction, n_test", [
    (10, 0.3, 3), (10, 0.25, 3), (4, 0.5, 2), (3, 0.01, 1), (3, 0.99, 2),
])
def test_split_sizes(n, fraction, n_test):
    X = [[float(i)] for i in range(n)]
    y = list(range(n))
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_fraction=fraction, seed=0)
    assert (len(X_tr), len(X_te)) == (n - n_test, n_test)
    assert sorted(y_tr + y_te) == y  # a partition: nothing lost or doubled
    assert [x[0] for x in X_tr] == y_tr and [x[0] for x in X_te] == y_te


def test_split_seeded():
    X, y = two_moons(40, seed=0)
    assert train_test_split(X, y, seed=5) == train_test_split(X, y, seed=5)
    assert train_test_split(X, y, seed=5) != train_test_split(X, y, seed=6)


@pytest.mark.parametrize("X, y, fraction, error", [
    ([[1], [2]], [1], 0.5, ShapeError),
    ([[1]], [1], 0.5, BackpropError),
    ([[1], [2]], [1, 2], 0.0, BackpropError),
    ([[1], [2]], [1, 2], 1.0, BackpropError),
    (5, [1, 2], 0.5, TypeError),
])
def test_split_errors(X, y, fraction, error):
    with pytest.raises(error, match="^train_test_split"):
        train_test_split(X, y, test_fraction=fraction)


# === standardize ===


def test_standardize_against_statistics():
    X, _ = wheat_seeds()
    Z, (mean, std) = standardize(X)
    for j in range(7):
        column = [row[j] for row in X]
        assert mean[j] == pytest.approx(statistics.mean(column), rel=1e-12)
        assert std[j] == pytest.approx(statistics.pstdev(column), rel=1e-12)
        z = [row[j] for row in Z]
        assert statistics.mean(z) == pytest.approx(0.0, abs=1e-12)
        assert statistics.pstdev(z) == pytest.approx(1.0, rel=1e-12)


def test_standardize_against_numpy():
    np = pytest.importorskip("numpy")
    X, _ = two_moons(30, seed=4)
    Z, _ = standardize(X)
    A = np.array(X)
    expected = (A - A.mean(axis=0)) / A.std(axis=0)
    assert np.allclose(np.array(Z), expected, rtol=1e-12, atol=1e-12)


def test_standardize_applies_training_scaling_to_test_rows():
    X_train = [[0.0, 1.0], [2.0, 3.0], [4.0, 8.0]]
    _, (mean, std) = standardize(X_train)
    Z, (mean2, std2) = standardize([[1.0, 2.0]], mean=mean, std=std)
    assert (mean2, std2) == (mean, std)
    assert Z == [[(1.0 - mean[0]) / std[0], (2.0 - mean[1]) / std[1]]]


def test_standardize_constant_column_becomes_zero():
    Z, (mean, std) = standardize([[1.0, 7.0], [3.0, 7.0]])
    assert [row[1] for row in Z] == [0.0, 0.0] and std[1] == 1.0


def exact_mean_std(column):
    """Return the column's mean and population std from exact fractions
    (the std scaled by 4**k first, so that float() cannot overflow)."""
    n = len(column)
    mean = sum(map(Fraction, column)) / n
    var = sum((Fraction(x) - mean) ** 2 for x in column) / n
    return float(mean), math.sqrt(float(var / 4 ** 600)) * 2.0 ** 600


@pytest.mark.parametrize("column", [
    [1e308, 1e308],
    [1e308, -1e308],
    [sys.float_info.max, -sys.float_info.max, -sys.float_info.max],
    [1.7e308, 1.6e308, 1.5e308, 1e-300],
    [1e200, -1e200, 3.0],
])
def test_standardize_huge_values(column):
    Z, (mean, std) = standardize([[x] for x in column])
    z = [row[0] for row in Z]
    if len(set(column)) == 1:
        assert (mean, std, z) == ([column[0]], [1.0], [0.0] * len(column))
        return
    m, s = exact_mean_std(column)
    assert mean[0] == pytest.approx(m, rel=1e-15, abs=1e-300)
    assert std[0] == pytest.approx(s, rel=1e-15)
    expected = [float((Fraction(x) - Fraction(m)) / Fraction(s))
                for x in column]
    assert z == pytest.approx(expected, rel=1e-14, abs=1e-14)


def test_standardize_std_below_the_smallest_float():
    with pytest.raises(BackpropError, match="^standardize: the std of "
                       "column 1 of X is below the smallest float"):
        standardize([[0.0, 5e-324], [1.0, 1e-323]])


def test_standardize_given_scaling_that_overflows_names_the_column():
    with pytest.raises(BackpropError, match=r"^standardize: \(X\[0\]\[1\]"
                       r" - mean\[1\]\) / std\[1\] .* column 1"):
        standardize([[0.0, 1e308]], mean=[0.0, -1e308], std=[1.0, 0.5])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(allow_nan=False, allow_infinity=False),
                         min_size=2, max_size=2), min_size=1, max_size=6))
def test_property_standardize_any_finite_matrix(X):
    try:
        Z, (mean, std) = standardize(X)
    except BackpropError as e:   # only a std that underflows to 0
        assert "below the smallest float" in str(e)
        return
    for j in range(2):
        column, z = [row[j] for row in X], [row[j] for row in Z]
        assert all(map(math.isfinite, z + mean + std)) and std[j] > 0
        if len(set(column)) == 1:
            assert set(z) == {0.0}
        elif min(map(abs, column)) > 1e-290 or max(map(abs, column)) > 1:
            # normal floats: z has mean 0 and std 1 up to rounding
            assert statistics.fmean(z) == pytest.approx(0.0, abs=1e-9)
            assert statistics.pstdev(z) == pytest.approx(1.0, rel=1e-9)


@pytest.mark.parametrize("kwargs, error", [
    ({"X": []}, BackpropError),
    ({"X": [[1.0], [1.0, 2.0]]}, ShapeError),
    ({"X": [[1.0], ["a"]]}, TypeError),
    ({"X": [[1.0], [math.inf]]}, BackpropError),
    ({"X": [[1.0]], "mean": [0.0]}, BackpropError),
    ({"X": [[1.0]], "mean": [0.0, 0.0], "std": [1.0, 1.0]}, ShapeError),
    ({"X": [[1.0]], "mean": [0.0], "std": [0.0]}, BackpropError),
])
def test_standardize_errors(kwargs, error):
    X = kwargs.pop("X")
    with pytest.raises(error, match="^standardize"):
        standardize(X, **kwargs)


# === one_hot, classify, accuracy ===


def test_one_hot_matches_identity_rows():
    np = pytest.importorskip("numpy")
    labels = [2, 0, 1, 2]
    assert one_hot(labels, 4) == np.eye(4)[labels].tolist()


@pytest.mark.parametrize("labels, n, error", [
    ([0, 3], 3, BackpropError),
    ([-1], 3, BackpropError),
    ([1.0], 3, TypeError),
    ([True], 3, TypeError),
    ([0], 0, BackpropError),
])
def test_one_hot_errors(labels, n, error):
    with pytest.raises(error, match="^one_hot"):
        one_hot(labels, n)


def test_one_hot_error_names_the_label():
    with pytest.raises(BackpropError, match=r"labels\[1\] = 5"):
        one_hot([0, 5], 3)


def test_classify_and_accuracy():
    outputs = [[0.5], [0.49], [0.2, 0.3, 0.1], [0.4, 0.4]]
    assert classify(outputs) == [1, 0, 1, 0]  # >= 0.5; first index on ties
    assert accuracy(outputs, [1, 1, 1, 1]) == 0.5
    assert accuracy(one_hot([2, 0], 3), [2, 0]) == 1.0
    with pytest.raises(ShapeError, match="^accuracy"):
        accuracy([[1.0]], [1, 0])
    with pytest.raises(ShapeError, match="^classify"):
        classify([[]])


# === targets and load: the data the command line trains on ===


def test_targets_one_output_for_two_classes_one_hot_for_more():
    from backprop.datasets import targets
    assert targets([1, 0], 2) == [[1.0], [0.0]]
    assert targets([2, 0], 3) == one_hot([2, 0], 3)
    with pytest.raises(BackpropError, match="^one_hot"):
        targets([2], 2)


def test_prepare_names_are_the_same_objects_in_datasets():
    import backprop.datasets as d
    import backprop.prepare as p
    for name in p.__all__:
        assert getattr(d, name) is getattr(p, name) and name in d.__all__


@pytest.mark.parametrize("name", ["xor", "and", "or"])
def test_load_a_gate_whole(name):
    from backprop.datasets import RECIPES, load
    d = load(name)
    gate = {"xor": xor, "and": and_, "or": or_}[name]
    assert (d.X, d.y) == gate()
    assert d.labels is None and d.X_test == d.y_test == d.labels_test == []
    assert d.mean is None and d.std is None and d.recipe is RECIPES[name]


@pytest.mark.parametrize("name, make", [("moons", two_moons),
                                        ("circles", circles),
                                        ("spirals", spirals)])
def test_load_points_split_with_seed_0(name, make):
    from backprop.datasets import load
    d = load(name)
    X, labels = make(200, seed=0)
    X_tr, X_te, l_tr, l_te = train_test_split(X, labels, seed=0)
    assert (d.X, d.X_test, d.labels, d.labels_test) == (X_tr, X_te, l_tr,
                                                         l_te)
    assert d.y == [[float(k)] for k in l_tr]
    assert d.y_test == [[float(k)] for k in l_te]
    assert d.mean is None and d.name == name


def test_load_wheat_standardizes_with_the_training_rows():
    from backprop.datasets import load
    d = load("wheat-seeds")
    X, labels = wheat_seeds()
    X_tr, X_te, l_tr, l_te = train_test_split(X, labels, seed=0)
    Z, (mean, std) = standardize(X_tr)
    assert d.X == Z and (d.mean, d.std) == (mean, std)
    assert d.X_test == standardize(X_te, mean=mean, std=std)[0]
    assert d.y == one_hot(l_tr, 3) and d.labels_test == l_te
    assert (len(d.X), len(d.X_test)) == (157, 53)
    assert d.recipe.output == "softmax"


def test_load_options_and_errors():
    from backprop.datasets import load
    assert load("moons", seed=1).X != load("moons").X
    assert len(load("circles", test_fraction=0.5).X_test) == 100
    with pytest.raises(BackpropError, match="^load: name must be one of "
                       "xor, and, or, moons.*got 'mnist'"):
        load("mnist")
    with pytest.raises(TypeError, match="^load: name"):
        load(3)
    with pytest.raises(BackpropError, match="^train_test_split"):
        load("moons", test_fraction=1.0)


def test_recipes_match_their_data():
    from backprop.datasets import RECIPES, load
    for name, recipe in RECIPES.items():
        d = load(name)
        n_out = len(d.y[0])
        assert recipe.output == ("sigmoid" if n_out == 1 else "softmax")
        assert recipe.loss == {"sigmoid": "binary_cross_entropy",
                               "softmax": "categorical_cross_entropy"}[
                                   recipe.output]


def test_the_python_api_trains_what_the_cli_trains(capsys):
    # `python -m backprop train moons --epochs 5` with load and RECIPES
    from backprop import Network, train
    from backprop.cli import main
    from backprop.datasets import load
    assert main(["train", "moons", "--epochs", "5"]) == 0
    out = capsys.readouterr().out
    d = load("moons")
    r = d.recipe
    net = Network([2, *r.hidden, 1], [r.activation, r.output], seed=0)
    train(net, d.X, d.y, epochs=5, eta=r.eta, batch_size=r.batch_size,
          loss=r.loss)
    for name, X, labels in (("training", d.X, d.labels),
                            ("test", d.X_test, d.labels_test)):
        acc = accuracy(net.predict(X), labels)
        assert f"Accuracy on the {len(X)} {name} samples: {acc:.1%}" in out
