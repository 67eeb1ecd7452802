"""SVG charts written with the standard library: loss curves and regions.

Each function returns the SVG document as a string, so it can be saved
with `save_svg`, embedded in a page or parsed as XML. Output is
deterministic (the same input gives the same bytes) and drawn on a white
background, so it reads the same in light and dark documentation themes.
Colours are the Okabe-Ito palette, which stays distinguishable for
colour-blind readers.

=================  ===================================================
function           description
=================  ===================================================
line_chart         one polyline per series, with axes, ticks and a legend
loss_chart         line_chart labelled for per-epoch losses
decision_boundary  a 2-D classifier's regions with the data points
graph              a Value's computation graph (from backprop.diagrams)
network            a network's neurons and weights (backprop.diagrams)
save_svg           write an SVG string to a file atomically
=================  ===================================================

>>> svg = loss_chart({"sgd": [0.9, 0.5, 0.3], "batch": [0.9, 0.7, 0.6]})
>>> svg.startswith("<svg") and svg.count("<polyline")
2
>>> import xml.etree.ElementTree as ET
>>> ET.fromstring(svg).tag
'{http://www.w3.org/2000/svg}svg'
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from . import _checks
from .diagrams import graph, network
from .errors import BackpropError, ShapeError
from .io import write_atomic
from .prepare import classify

__all__ = ["line_chart", "loss_chart", "decision_boundary", "graph",
           "network", "save_svg"]

COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
          "#000000")  # Okabe-Ito, without the yellow that vanishes on white
WIDTH, HEIGHT = 640, 420  # line chart canvas, px
LEFT, TOP, BOTTOM, LEGEND = 70, 40, 50, 150  # margins around the plot box

# === Drawing helpers ===


def _f(v: float) -> str:
    return f"{v:.2f}"  # fixed decimals keep the output byte-for-byte stable


def _text(x: float, y: float, s: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}"
                    for k, v in attrs.items())
    return f'<text x="{_f(x)}" y="{_f(y)}"{extra}>{escape(s)}</text>'


class _Axis(NamedTuple):
    """An axis from lo to hi (lo < hi) with its (value, label) ticks."""
    lo: float
    hi: float
    ticks: list


def _decade(x: Fraction) -> int:
    """Return floor(log10(x)) for x > 0, exactly (no float rounding)."""
    k = len(str(x.numerator)) - len(str(x.denominator))
    while Fraction(10) ** k > x:
        k -= 1
    while Fraction(10) ** (k + 1) <= x:
        k += 1
    return k


def _axis(lo: float, hi: float, margin: float = 0.0,
          integer: bool = False, steps: int = 5) -> _Axis:
    """Return an axis covering [lo, hi] plus margin * (hi - lo) each side,
    with 'nice' ticks (1, 2 or 5 times a power of ten) about `steps` steps
    apart; the first and last enclose it. A zero range is widened by
    max(|lo| / 10, 1).

    The arithmetic is exact (fractions), so no range overflows (-1e308 to
    1e308) or underflows (5e-324 to 1e-323). A tick beyond the largest
    float is left out and the axis ends at the largest float instead; the
    step is at least 2 units in the last place of the largest value, so
    ticks rounded to floats stay distinct.
    """
    L, H = Fraction(lo), Fraction(hi)
    span = H - L
    pad = Fraction(margin) * span if span else max(abs(L) / 10, Fraction(1))
    L, H = L - pad, H + pad
    raw = max((H - L) / steps, max(-L, H) / 2 ** 51, Fraction(1, 2 ** 1073))
    k = _decade(raw)
    step = next(m * Fraction(10) ** k for m in (1, 2, 5, 10)
                if m * Fraction(10) ** k >= raw)
    if integer:
        step = max(Fraction(1), Fraction(round(step)))
    eps = Fraction(1, 10 ** 9)  # a value this close to a tick is on it
    i0, i1 = math.floor(L / step + eps), math.ceil(H / step - eps)
    top = Fraction(sys.float_info.max)
    kept = [i for i in range(i0, i1 + 1) if -top <= i * step <= top]
    ks = _decade(step)
    sm = int(step / Fraction(10) ** ks)  # step = sm 10**ks, sm in 1, 2, 5
    E = _decade(max(abs(i) for i in kept) * step)
    labels = [_label(Decimal(i * sm).scaleb(ks), E, ks) for i in kept]
    return _Axis(float(max(i0 * step, -top)), float(min(i1 * step, top)),
                 [(float(i * step), s) for i, s in zip(kept, labels)])


def _label(t: Decimal, E: int, ks: int) -> str:
    """Return the text of tick t (exact) on an axis whose largest tick is
    about 10**E and whose step is about 10**ks: fixed decimals for
    10**-5 <= 10**E < 10**7, else e-notation (5e-324, 1.5e+308), with as
    many digits as the step needs."""
    if -5 <= E <= 6:
        return f"{t:.{max(0, -ks)}f}"
    if not t:
        return "0"
    mantissa, exponent = f"{t:.{E - ks}e}".split("e")
    return f"{mantissa}e{int(exponent):+03d}"  # as float's: 1e-05, 1e+300


def _log_axis(lo: float, hi: float) -> _Axis:
    """Return an axis of log10 values with ticks at whole powers of ten
    (every one up to 10 decades, then every 2nd, 5th, ...), at least two."""
    k0 = math.floor(lo)
    axis = _axis(k0, max(math.ceil(hi), k0 + 1), integer=True, steps=10)
    labels = [format(10.0 ** k, "g") if -4 <= k <= 5 else f"1e{k:+03d}"
              for k in (int(v) for v, _ in axis.ticks)]
    return axis._replace(ticks=[(v, s) for (v, _), s in zip(axis.ticks,
                                                             labels)])


def _to_px(axis: _Axis, p0: float, p1: float) -> Callable[[float], float]:
    """Return the map from a value on axis to px: lo -> p0, hi -> p1.

    Both ends are first scaled by the same power of two (exact), to at
    most 1 in size, so hi - lo cannot overflow even from -1e308 to 1e308.
    """
    e = math.frexp(max(-axis.lo, axis.hi))[1]
    a, b = math.ldexp(axis.lo, -e), math.ldexp(axis.hi, -e)

    def px(v: float) -> float:
        return p0 + (math.ldexp(v, -e) - a) / (b - a) * (p1 - p0)
    return px


def _frame(title: str, xlabel: str, ylabel: str, xaxis: _Axis,
           yaxis: _Axis, box: tuple) -> tuple[list[str], Callable, Callable]:
    """Return the SVG head, axes and ticks, and the maps from data to px."""
    x0, y0, x1, y1 = box  # plot box in px; y grows downwards in SVG
    width = x1 + LEGEND
    sx, sy = _to_px(xaxis, x0, x1), _to_px(yaxis, y1, y0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" '
           f'font-family="sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>",
           '<rect width="100%" height="100%" fill="white"/>',
           _text((x0 + x1) / 2, 24, title, text_anchor="middle",
                 font_size="15"),
           '<g class="axes" stroke="#444" fill="none">',
           f'<rect x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" '
           f'height="{_f(y1 - y0)}"/>']
    for v, _ in xaxis.ticks:
        out.append(f'<line x1="{_f(sx(v))}" y1="{_f(y1)}" x2="{_f(sx(v))}"'
                   f' y2="{_f(y1 + 5)}"/>')
    for v, _ in yaxis.ticks:
        out.append(f'<line x1="{_f(x0 - 5)}" y1="{_f(sy(v))}" '
                   f'x2="{_f(x0)}" y2="{_f(sy(v))}"/>')
    out.append('</g>\n<g class="labels" fill="#222">')
    out += [_text(sx(v), y1 + 18, s, text_anchor="middle")
            for v, s in xaxis.ticks]
    out += [_text(x0 - 8, sy(v) + 4, s, text_anchor="end")
            for v, s in yaxis.ticks]
    out.append(_text((x0 + x1) / 2, y1 + 38, xlabel, text_anchor="middle"))
    yl = (y0 + y1) / 2
    out.append(_text(18, yl, ylabel, text_anchor="middle",
                     transform=f"rotate(-90 18 {_f(yl)})"))
    out.append("</g>")
    return out, sx, sy


def _color(k: int) -> str:
    return COLORS[k % len(COLORS)]


def _legend(entries: list[tuple[str, int]], x: float, y: float
            ) -> list[str]:
    """Return a legend: a colour swatch and a name per (name, k) entry."""
    out = ['<g class="legend">']
    for i, (name, k) in enumerate(entries):
        yi = y + 20 * i
        out.append(f'<rect x="{_f(x)}" y="{_f(yi - 9)}" width="14" '
                   f'height="10" fill="{_color(k)}"/>')
        out.append(_text(x + 20, yi, name, fill="#222"))
    return out + ["</g>"]


# === Public functions ===


def line_chart(series: dict[str, Sequence[float]], *, title: str,
               xlabel: str, ylabel: str, log_y: bool = False) -> str:
    """Return an SVG line chart: one polyline per named series.

    Point i (from 1) of a series is drawn at x = i; with log_y the y axis
    shows log10(y) and its ticks are whole powers of ten. Any finite
    values can be drawn, from 5e-324 to 1.8e308: ticks are worked out
    with exact fractions, so no range overflows.

    >>> svg = line_chart({"a": [1, 4, 9, 16]}, title="Squares",
    ...                  xlabel="n", ylabel="n^2")
    >>> svg.count("<polyline"), "Squares" in svg
    (1, True)

    Raises BackpropError for an empty series dict, an empty or non-finite
    series, or a value <= 0 with log_y.
    """
    if not isinstance(series, dict) or not series:
        raise BackpropError(f"line_chart: series must be a non-empty dict "
                            f"of name -> list of numbers, got "
                            f"{series!r:.60}")
    for name, ys in series.items():
        _checks.numbers("line_chart", f"series[{name!r}]", ys)
        if log_y and min(ys) <= 0:
            raise BackpropError(f"line_chart: values must be > 0 with "
                                f"log_y=True, got {min(ys)!r} in "
                                f"series[{name!r}]")
    f = math.log10 if log_y else float
    values = [f(v) for ys in series.values() for v in ys]
    yaxis = (_log_axis if log_y else _axis)(min(values), max(values))
    n = max(len(ys) for ys in series.values())
    xaxis = _axis(1, max(n, 2), integer=True)
    box = (LEFT, TOP, WIDTH - LEGEND, HEIGHT - BOTTOM)
    out, sx, sy = _frame(title, xlabel, ylabel, xaxis, yaxis, box)
    out.append('<g class="series" fill="none" stroke-width="2">')
    for i, (name, ys) in enumerate(series.items()):
        points = " ".join(f"{_f(sx(j + 1))},{_f(sy(f(v)))}"
                          for j, v in enumerate(ys))
        out.append(f'<polyline stroke="{_color(i)}" '
                   f'points="{points}"><title>{escape(str(name))}</title>'
                   f'</polyline>')
    out.append("</g>")
    entries = [(str(name), i) for i, name in enumerate(series)]
    out += _legend(entries, WIDTH - LEGEND + 15, TOP + 10)
    return "\n".join(out + ["</svg>"]) + "\n"


def loss_chart(series: dict[str, Sequence[float]], *,
               title: str = "Training loss", log_y: bool = False) -> str:
    """Return `line_chart` of per-epoch losses: x is the epoch, y the loss.

    >>> loss_chart({"run": [0.5, 0.25]}).count("<polyline")
    1
    """
    return line_chart(series, title=title, xlabel="epoch", ylabel="loss",
                      log_y=log_y)


def _tint(color: str, t: float = 0.3) -> str:
    """Return color mixed with white: t * color + (1 - t) * white."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(t * c + (1 - t) * 255):02x}" for c in rgb)


def decision_boundary(predict_fn: Callable, X: Sequence[Sequence[float]],
                      labels: Sequence[int], *, resolution: int = 60,
                      title: str = "Decision regions") -> str:
    """Return an SVG of a 2-D classifier's regions with the labelled points.

    The box around X (plus a 10% margin) is cut into resolution x
    resolution cells; predict_fn gets the list of cell centres in one
    call, returns one output vector per centre (as Network.predict does),
    and `classify` turns each into the class whose tint fills the cell.

    >>> X, labels = [[0.0, 0.0], [1.0, 1.0]], [0, 1]
    >>> def predict(P):
    ...     return [[1.0 if p[0] + p[1] > 1 else 0.0] for p in P]
    >>> svg = decision_boundary(predict, X, labels, resolution=10)
    >>> svg.count("<circle")
    2

    Raises ShapeError unless X has 2 columns, one label per row and
    predict_fn one output per cell; TypeError or BackpropError for a bad
    resolution.
    """
    if _checks.matrix("decision_boundary", "X", X) != 2:
        raise ShapeError(f"decision_boundary: the points in X must have 2 "
                         f"coordinates, got X[0] = {X[0]!r}")
    _checks.labels("decision_boundary", labels, len(X))
    _checks.count("decision_boundary", "resolution", resolution, least=2)
    axes = [_axis(min(x[j] for x in X), max(x[j] for x in X), margin=0.1)
            for j in (0, 1)]
    side = HEIGHT - TOP - BOTTOM  # a square plot box keeps shapes round
    x0, y0, x1, y1 = box = (LEFT, TOP, LEFT + side, TOP + side)
    out, sx, sy = _frame(title, "x1", "x2", axes[0], axes[1], box)
    # cell c of resolution has its centre at lo + (c + 1/2)/resolution
    # (hi - lo), computed exactly so that no range overflows
    mids = [[float(Fraction(a.lo) + Fraction(2 * c + 1, 2 * resolution)
                   * (Fraction(a.hi) - Fraction(a.lo)))
             for c in range(resolution)] for a in axes]
    centres = [[u, v] for v in mids[1] for u in mids[0]]
    outputs = predict_fn(centres)
    if len(outputs) != len(centres):
        raise ShapeError(f"decision_boundary: predict_fn must return one "
                         f"output per point ({len(centres)}), got "
                         f"{len(outputs)}")
    cells = classify(outputs)
    out += _regions(cells, resolution, box)
    out.append('<g class="points" stroke="#222" stroke-width="0.8">')
    for x, k in zip(X, labels):
        out.append(f'<circle cx="{_f(sx(x[0]))}" cy="{_f(sy(x[1]))}" '
                   f'r="3.5" fill="{_color(k)}"/>')
    out.append("</g>")
    classes = sorted(set(labels) | set(cells))
    out += _legend([(f"class {k}", k) for k in classes], LEFT + side + 20,
                   TOP + 10)
    return "\n".join(out + ["</svg>"]) + "\n"


def _regions(cells: list[int], resolution: int,
             box: tuple[float, float, float, float]) -> list[str]:
    """Return the tinted cells, row r of the grid from the bottom: one
    rect per run of equal cells in a row, which keeps the file small."""
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) / resolution, (y1 - y0) / resolution  # px per cell
    out = ['<g class="regions" shape-rendering="crispEdges">']
    for r in range(resolution):
        row = cells[r * resolution:(r + 1) * resolution]
        c = 0
        while c < resolution:
            end = c
            while end < resolution and row[end] == row[c]:
                end += 1
            out.append(f'<rect x="{_f(x0 + c * dx)}" '
                       f'y="{_f(y1 - (r + 1) * dy)}" '
                       f'width="{_f((end - c) * dx)}" height="{_f(dy)}" '
                       f'fill="{_tint(_color(row[c]))}"/>')
            c = end
    return out + ["</g>"]


def save_svg(svg: str, path: str | os.PathLike) -> None:
    """Write svg to path atomically: a temporary file, then os.replace.

    The temporary file sits in the same folder (os.replace is atomic only
    within one file system) and is fsync-ed before the rename, so a reader
    never sees a half-written file and a failed write leaves any old file
    at path untouched. The write is `backprop.io.write_atomic`, the one
    `backprop.io.save` uses: a new file gets the permissions open() would
    give it, an old one keeps its.

    >>> import os, tempfile
    >>> svg = loss_chart({"run": [0.5, 0.25]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "loss.svg")
    ...     save_svg(svg, path)
    ...     with open(path, encoding="utf-8") as f:
    ...         print(f.read() == svg, os.listdir(folder))
    True ['loss.svg']

    Raises TypeError if svg is not a str, BackpropError if it does not
    start with "<svg", and OSError if the file cannot be written.
    """
    if not isinstance(svg, str):
        raise TypeError(f"save_svg: svg must be a str, got "
                        f"{type(svg).__name__}")
    if not svg.startswith("<svg"):
        raise BackpropError(f"save_svg: svg must start with '<svg', got "
                            f"{svg!r:.40}")
    write_atomic(path, svg)
