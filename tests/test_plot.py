"""Tests for backprop.plot: the SVG is parsed as XML and its elements are
counted and compared with the input."""

from __future__ import annotations

import math
import os
import stat
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis_or_skip import given, settings, st

from backprop.datasets import two_moons
from backprop.errors import BackpropError, ShapeError
from backprop.plot import decision_boundary, line_chart, loss_chart, save_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def points(polyline):
    return [tuple(map(float, p.split(",")))
            for p in polyline.get("points").split()]


def legend_names(root):
    return [t.text for t in root.findall(".//svg:g[@class='legend']/svg:text",
                                         NS)]


# === line_chart / loss_chart ===

SERIES = {"sgd": [0.9, 0.5, 0.3, 0.2, 0.15],
          "batch <&> \"full\"": [0.9, 0.8, 0.7],
          "momentum": [1.2]}


def test_one_polyline_per_series_with_one_point_per_value():
    root = ET.fromstring(loss_chart(SERIES))
    lines = root.findall(".//svg:polyline", NS)
    assert [len(points(p)) for p in lines] == [5, 3, 1]
    assert [p.find("svg:title", NS).text for p in lines] == list(SERIES)
    assert legend_names(root) == list(SERIES)  # escaped, then parsed back


def test_polyline_geometry_follows_the_data():
    root = ET.fromstring(line_chart({"s": [4.0, 1.0, 3.0, 2.0]}, title="t",
                                    xlabel="x", ylabel="y"))
    pts = points(root.find(".//svg:polyline", NS))
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    assert all(g > 0 for g in gaps) and max(gaps) - min(gaps) < 0.02
    # SVG y grows downwards: the largest value is highest on the page
    assert sorted(range(4), key=ys.__getitem__) == [0, 2, 3, 1]
    assert (ys[0] - ys[2]) == pytest.approx(ys[2] - ys[3], abs=0.02)


def test_log_y_spaces_decades_equally():
    root = ET.fromstring(loss_chart({"s": [1.0, 0.1, 0.01]}, log_y=True))
    ys = [p[1] for p in points(root.find(".//svg:polyline", NS))]
    assert ys[1] - ys[0] == pytest.approx(ys[2] - ys[1], abs=0.02)
    texts = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert {"0.01", "0.1", "1"} <= set(texts)


def test_labels_and_title_present():
    svg = line_chart({"a": [1, 2]}, title="My title", xlabel="step",
                     ylabel="value")
    texts = [t.text
             for t in ET.fromstring(svg).iter(f"{{{NS['svg']}}}text")]
    assert {"My title", "step", "value"} <= set(texts)


def test_flat_and_single_point_series_still_draw():
    root = ET.fromstring(loss_chart({"flat": [0.5, 0.5, 0.5], "one": [2.0]}))
    for p in root.findall(".//svg:polyline", NS):
        for x, y in points(p):
            assert all(v == v and abs(v) < 1e4 for v in (x, y))  # finite


def test_line_chart_is_deterministic():
    assert loss_chart(SERIES) == loss_chart(dict(SERIES))


@pytest.mark.parametrize("series, log_y, error", [
    ({}, False, BackpropError),
    ([0.1, 0.2], False, BackpropError),
    ({"a": []}, False, BackpropError),
    ({"a": [0.1, float("nan")]}, False, BackpropError),
    ({"a": [0.1, "x"]}, False, TypeError),
    ({"a": [0.1, 0.0]}, True, BackpropError),
])
def test_line_chart_errors(series, log_y, error):
    with pytest.raises(error, match="^line_chart"):
        loss_chart(series, log_y=log_y)


# === decision_boundary ===


def diagonal(P):
    return [[1.0 if p[0] + p[1] > 1 else 0.0] for p in P]


def test_decision_boundary_draws_every_point_and_covers_the_box():
    X, labels = two_moons(40, seed=1)
    root = ET.fromstring(decision_boundary(diagonal, X, labels,
                                           resolution=20))
    circles = root.findall(".//svg:g[@class='points']/svg:circle", NS)
    assert len(circles) == 40
    regions = root.findall(".//svg:g[@class='regions']/svg:rect", NS)
    area = sum(float(r.get("width")) * float(r.get("height"))
               for r in regions)
    frame = root.find(".//svg:g[@class='axes']/svg:rect", NS)
    box = float(frame.get("width")) * float(frame.get("height"))
    assert area == pytest.approx(box, rel=1e-3)
    assert legend_names(root) == ["class 0", "class 1"]


def test_decision_boundary_calls_predict_once_on_the_grid():
    calls = []

    def predict(P):
        calls.append(len(P))
        return diagonal(P)

    decision_boundary(predict, [[0.0, 0.0], [1.0, 1.0]], [0, 1],
                      resolution=7)
    assert calls == [49]


def test_decision_boundary_regions_take_the_predicted_class():
    # class 1 on the right half only: every region rect on the right
    # carries class 1's tint, every one on the left class 0's
    def right(P):
        return [[0.0, 1.0] if p[0] > 0.5 else [1.0, 0.0] for p in P]

    root = ET.fromstring(decision_boundary(
        right, [[0.0, 0.0], [1.0, 1.0]], [0, 1], resolution=10))
    frame = root.find(".//svg:g[@class='axes']/svg:rect", NS)
    mid = float(frame.get("x")) + float(frame.get("width")) / 2
    fills = {}
    for r in root.findall(".//svg:g[@class='regions']/svg:rect", NS):
        side = float(r.get("x")) + float(r.get("width")) / 2 > mid
        fills.setdefault(side, set()).add(r.get("fill"))
    assert len(fills[False]) == len(fills[True]) == 1
    assert fills[False] != fills[True]


def test_decision_boundary_is_deterministic():
    X, labels = two_moons(30, seed=2)
    assert decision_boundary(diagonal, X, labels) == \
        decision_boundary(diagonal, X, labels)


@pytest.mark.parametrize("predict, X, labels, resolution, error", [
    (diagonal, [[0.0, 0.0, 0.0]], [0], 5, ShapeError),
    (diagonal, [[0.0, 0.0]], [0, 1], 5, ShapeError),
    (diagonal, [[0.0, 0.0]], [0.5], 5, TypeError),
    (diagonal, [[0.0, 0.0]], [0], 1, BackpropError),
    (lambda P: [[1.0]], [[0.0, 0.0]], [0], 5, ShapeError),
])
def test_decision_boundary_errors(predict, X, labels, resolution, error):
    with pytest.raises(error, match="^decision_boundary"):
        decision_boundary(predict, X, labels, resolution=resolution)


# === save_svg ===


def test_save_svg_writes_and_replaces(tmp_path):
    path = tmp_path / "loss.svg"
    path.write_text("old")
    svg = loss_chart({"a": [1.0, 0.5]})
    save_svg(svg, path)
    assert path.read_text(encoding="utf-8") == svg
    assert os.listdir(tmp_path) == ["loss.svg"]  # no temporary file left


def test_save_svg_failure_keeps_old_file_and_cleans_up(tmp_path):
    target = tmp_path / "a_directory"
    target.mkdir()
    (target / "keep").write_text("x")
    with pytest.raises(OSError):
        save_svg(loss_chart({"a": [1.0]}), target)  # cannot replace a dir
    assert sorted(os.listdir(tmp_path)) == ["a_directory"]
    assert (target / "keep").read_text() == "x"


def test_save_svg_errors(tmp_path):
    with pytest.raises(TypeError, match="^save_svg"):
        save_svg(b"<svg/>", tmp_path / "x.svg")
    with pytest.raises(BackpropError, match="^save_svg"):
        save_svg("hello", tmp_path / "x.svg")


# === extreme values: any finite input gives a well-formed chart ===


def check_well_formed(svg):
    """Parse svg; every number in it is finite and every data point lies
    in the plot box (to within rounding)."""
    root = ET.fromstring(svg)
    frame = root.find(".//svg:g[@class='axes']/svg:rect", NS)
    x0, y0 = float(frame.get("x")), float(frame.get("y"))
    x1, y1 = x0 + float(frame.get("width")), y0 + float(frame.get("height"))
    for el in root.iter():
        for name in ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width",
                     "height"):
            if el.get(name) not in (None, "100%"):
                assert math.isfinite(float(el.get(name)))
    marks = [p for line in root.findall(".//svg:polyline", NS)
             for p in points(line)]
    marks += [(float(c.get("cx")), float(c.get("cy")))
              for c in root.findall(".//svg:circle", NS)]
    assert marks
    for x, y in marks:
        assert x0 - 0.01 <= x <= x1 + 0.01 and y0 - 0.01 <= y <= y1 + 0.01
    labels = root.findall(".//svg:g[@class='labels']/svg:text", NS)
    ticks = [t.text for t in labels if t.get("text-anchor") == "end"]
    assert len(ticks) >= 2 and len(set(ticks)) == len(ticks)  # y ticks
    return root


def y_tick_labels(root):
    return [t.text for t in root.findall(
        ".//svg:g[@class='labels']/svg:text[@text-anchor='end']", NS)]


@pytest.mark.parametrize("values, labels", [
    ([-1e308, 1e308], ["-1.0e+308", "-5.0e+307", "0", "5.0e+307",
                       "1.0e+308"]),
    ([-sys.float_info.max, sys.float_info.max], ["-1e+308", "0", "1e+308"]),
    ([1.7e308, 1.7e308], ["1.5e+308", "1.6e+308", "1.7e+308"]),
    ([5e-324, 1e-323], ["0", "1e-323"]),
    ([-5e-324, 5e-324], ["-1e-323", "0", "1e-323"]),  # step >= 2 ulps
    ([1.0, 1.0 + 2 ** -52], ["1.0000000000000000", "1.0000000000000005"]),
    ([0.0, 0.0], ["-1.0", "-0.5", "0.0", "0.5", "1.0"]),
    ([1e-10, 3e-10], ["1.0e-10", "1.5e-10", "2.0e-10", "2.5e-10",
                      "3.0e-10"]),
])
def test_line_chart_extreme_values(values, labels):
    root = check_well_formed(line_chart({"a": values}, title="t",
                                        xlabel="x", ylabel="y"))
    assert y_tick_labels(root) == labels


def test_log_y_extreme_values():
    root = check_well_formed(loss_chart({"a": [5e-324, 1.7e308]},
                                        log_y=True))
    assert y_tick_labels(root) == [
        "1e-400", "1e-300", "1e-200", "1e-100", "1", "1e+100", "1e+200",
        "1e+300", "1e+400"]   # every 100th decade: 10**-324 .. 10**309
    root = check_well_formed(loss_chart({"a": [1e-5, 1e5]}, log_y=True))
    assert y_tick_labels(root)[:3] == ["1e-05", "0.0001", "0.001"]


@pytest.mark.parametrize("bad", [0.0, -5e-324, -1e308])
def test_log_y_refuses_values_that_have_no_log(bad):
    with pytest.raises(BackpropError, match=r"^line_chart: values must be "
                       r"> 0 with log_y=True, got .* in series\['a'\]"):
        loss_chart({"a": [1.0, bad]}, log_y=True)


def test_decision_boundary_extreme_coordinates():
    def sign(P):
        return [[1.0 if p[0] > 0 else 0.0] for p in P]

    for X in ([[-1.7e308, 5e-324], [1.7e308, 1e-323]],
              [[5e-324, 5e-324], [1e-323, 1e-323]],
              [[1.0, 2.0], [1.0, 2.0]]):
        check_well_formed(decision_boundary(sign, X, [0, 1], resolution=6))


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(finite, min_size=1, max_size=8),
       st.lists(finite, min_size=1, max_size=3))
def test_property_any_finite_values_give_well_formed_svg(a, b):
    check_well_formed(line_chart({"a": a, "b": b}, title="t", xlabel="x",
                                 ylabel="y"))
    positive = [abs(v) for v in a + b if v != 0]
    if positive:
        check_well_formed(loss_chart({"p": positive}, log_y=True))


def test_save_svg_shares_io_atomic_write(tmp_path, monkeypatch):
    # the old save_svg wrote to the predictable "<path>.<pid>.tmp" with
    # open(..., "x"), so a file of that name made it fail, and it never
    # fsync-ed; now it is io's write: random name, fsync, then replace
    import backprop.io as bio
    path = tmp_path / "loss.svg"
    squatter = tmp_path / f"loss.svg.{os.getpid()}.tmp"
    squatter.write_text("someone else's")
    synced = []
    real_fsync = bio.os.fsync
    monkeypatch.setattr(bio.os, "fsync",
                        lambda fd: synced.append(fd) or real_fsync(fd))
    svg = loss_chart({"a": [1.0, 0.5]})
    save_svg(svg, path)
    assert path.read_text(encoding="utf-8") == svg and len(synced) == 1
    assert sorted(os.listdir(tmp_path)) == ["loss.svg", squatter.name]


def test_save_svg_ctrl_c_removes_the_temp_file(tmp_path, monkeypatch):
    import backprop.io as bio

    def interrupt(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(bio.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save_svg(loss_chart({"a": [1.0]}), tmp_path / "loss.svg")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_save_svg_permissions(tmp_path):
    path = tmp_path / "loss.svg"
    umask = os.umask(0o022)
    try:
        (tmp_path / "by-open").touch()    # what open() gives a new file:
        normal = stat.S_IMODE((tmp_path / "by-open").stat().st_mode)
        save_svg(loss_chart({"a": [1.0]}), path)
        # 0o644 (0o666 under Emscripten, whose file system ignores the umask)
        assert stat.S_IMODE(path.stat().st_mode) == normal
        os.chmod(path, 0o600)
        save_svg(loss_chart({"a": [2.0]}), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # kept
    finally:
        os.umask(umask)
