"""SVG charts written with the standard library: loss curves and regions.

Each function returns the SVG document as a string, so it can be saved
with `save_svg`, embedded in a page or parsed as XML. Output is
deterministic (the same input gives the same bytes) and drawn on a white
background, so it reads the same in light and dark documentation themes.
Colours are the Okabe-Ito palette, which stays distinguishable for
colour-blind readers.

| function | description |
| --- | --- |
| `line_chart` | one polyline per series, with axes, ticks and a legend |
| `loss_chart` | `line_chart` labelled for per-epoch losses |
| `decision_boundary` | a 2-D classifier's regions with the data points |
| `save_svg` | write an SVG string to a file atomically |

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
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from backprop.datasets import (_check_count, _check_labels, _check_matrix,
                               classify)
from backprop.errors import BackpropError, ShapeError

__all__ = ["line_chart", "loss_chart", "decision_boundary", "save_svg"]

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


def _ticks(lo: float, hi: float, integer: bool = False) -> list[float]:
    """Return 'nice' tick values (1, 2 or 5 times a power of ten) that
    cover [lo, hi] in about five steps; the first and last enclose it."""
    raw = (hi - lo) / 5
    p = 10.0 ** math.floor(math.log10(raw))
    step = next(m * p for m in (1, 2, 5, 10) if m * p >= raw)
    if integer:
        step = max(1.0, round(step))
    i0, i1 = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [i * step for i in range(i0, i1 + 1)]


def _label(v: float, ticks: list[float], log: bool) -> str:
    if log:
        return format(10.0 ** v, "g")
    step = ticks[1] - ticks[0]
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    return f"{v:.{digits}f}"


def _frame(title: str, xlabel: str, ylabel: str, xticks: list[float],
           yticks: list[float], box: tuple, log_y: bool = False
           ) -> tuple[list[str], Callable, Callable]:
    """Return the SVG head, axes and ticks, and the maps from data to px."""
    x0, y0, x1, y1 = box  # plot box in px; y grows downwards in SVG
    width = x1 + LEGEND
    (xa, xb), (ya, yb) = (xticks[0], xticks[-1]), (yticks[0], yticks[-1])

    def sx(v: float) -> float:
        return x0 + (v - xa) / (xb - xa) * (x1 - x0)

    def sy(v: float) -> float:
        return y1 - (v - ya) / (yb - ya) * (y1 - y0)

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
    for v in xticks:
        out.append(f'<line x1="{_f(sx(v))}" y1="{_f(y1)}" x2="{_f(sx(v))}"'
                   f' y2="{_f(y1 + 5)}"/>')
    for v in yticks:
        out.append(f'<line x1="{_f(x0 - 5)}" y1="{_f(sy(v))}" '
                   f'x2="{_f(x0)}" y2="{_f(sy(v))}"/>')
    out.append('</g>\n<g class="labels" fill="#222">')
    out += [_text(sx(v), y1 + 18, _label(v, xticks, False),
                  text_anchor="middle") for v in xticks]
    out += [_text(x0 - 8, sy(v) + 4, _label(v, yticks, log_y),
                  text_anchor="end") for v in yticks]
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
    shows log10(y) and its ticks are whole powers of ten.

    >>> svg = line_chart({"a": [1, 4, 9, 16]}, title="Squares",
    ...                  xlabel="n", ylabel="n^2")
    >>> svg.count("<polyline"), "Squares" in svg
    (1, True)

    Raises BackpropError for an empty series dict, an empty or non-finite
    series, or a value <= 0 with log_y.
    """
    if not isinstance(series, dict) or not series:
        raise BackpropError(f"line_chart requires series to be a non-empty "
                            f"dict of name -> list of numbers, got "
                            f"{series!r:.60}")
    for name, ys in series.items():
        _check_matrix("line_chart", f"series[{name!r}]", [ys])
        if log_y and min(ys) <= 0:
            raise BackpropError(f"line_chart requires values > 0 with "
                                f"log_y=True, got {min(ys)!r} in "
                                f"series[{name!r}]")
    f = math.log10 if log_y else float
    values = [f(v) for ys in series.values() for v in ys]
    lo, hi = min(values), max(values)
    if log_y:  # ticks at whole powers of ten, at least two of them
        k0 = math.floor(lo)
        yticks = [float(k) for k in range(k0, max(math.ceil(hi), k0 + 1) + 1)]
    else:
        pad = 0.0 if hi > lo else max(abs(lo) * 0.1, 1.0)  # a flat line
        yticks = _ticks(lo - pad, hi + pad)
    n = max(len(ys) for ys in series.values())
    xticks = _ticks(1, max(n, 2), integer=True)
    box = (LEFT, TOP, WIDTH - LEGEND, HEIGHT - BOTTOM)
    out, sx, sy = _frame(title, xlabel, ylabel, xticks, yticks, box, log_y)
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
    if _check_matrix("decision_boundary", "X", X) != 2:
        raise ShapeError(f"decision_boundary requires points with 2 "
                         f"coordinates, got X[0] = {X[0]!r}")
    _check_labels("decision_boundary", labels, len(X))
    _check_count("decision_boundary", "resolution", resolution, least=2)
    ranges = []
    for j in (0, 1):
        lo, hi = min(x[j] for x in X), max(x[j] for x in X)
        m = 0.1 * (hi - lo) if hi > lo else 1.0
        ranges.append(_ticks(lo - m, hi + m))
    side = HEIGHT - TOP - BOTTOM  # a square plot box keeps shapes round
    box = (LEFT, TOP, LEFT + side, TOP + side)
    out, sx, sy = _frame(title, "x1", "x2", ranges[0], ranges[1], box)
    (xa, xb), (ya, yb) = (ranges[0][0], ranges[0][-1]), (ranges[1][0],
                                                         ranges[1][-1])
    dx, dy = (xb - xa) / resolution, (yb - ya) / resolution
    centres = [[xa + (c + 0.5) * dx, ya + (r + 0.5) * dy]
               for r in range(resolution) for c in range(resolution)]
    outputs = predict_fn(centres)
    if len(outputs) != len(centres):
        raise ShapeError(f"decision_boundary requires predict_fn to return "
                         f"{len(centres)} outputs, got {len(outputs)}")
    cells = classify(outputs)
    out.append('<g class="regions" shape-rendering="crispEdges">')
    for r in range(resolution):  # one rect per run of equal cells in a row
        row = cells[r * resolution:(r + 1) * resolution]
        c = 0
        while c < resolution:
            end = c
            while end < resolution and row[end] == row[c]:
                end += 1
            x, y = sx(xa + c * dx), sy(ya + (r + 1) * dy)
            out.append(f'<rect x="{_f(x)}" y="{_f(y)}" '
                       f'width="{_f(sx(xa + end * dx) - x)}" '
                       f'height="{_f(sy(ya + r * dy) - y)}" '
                       f'fill="{_tint(_color(row[c]))}"/>')
            c = end
    out.append('</g>\n<g class="points" stroke="#222" stroke-width="0.8">')
    for x, k in zip(X, labels):
        out.append(f'<circle cx="{_f(sx(x[0]))}" cy="{_f(sy(x[1]))}" '
                   f'r="3.5" fill="{_color(k)}"/>')
    out.append("</g>")
    classes = sorted(set(labels) | set(cells))
    out += _legend([(f"class {k}", k) for k in classes], LEFT + side + 20,
                   TOP + 10)
    return "\n".join(out + ["</svg>"]) + "\n"


def save_svg(svg: str, path: str | os.PathLike) -> None:
    """Write svg to path atomically: a temporary file, then os.replace.

    The temporary file sits in the same folder (os.replace is atomic only
    within one file system), so a reader never sees a half-written file
    and a failed write leaves any old file at path untouched.

    Raises TypeError if svg is not a str, BackpropError if it does not
    start with "<svg".
    """
    if not isinstance(svg, str):
        raise TypeError(f"save_svg requires svg to be a str, got "
                        f"{type(svg).__name__}")
    if not svg.startswith("<svg"):
        raise BackpropError(f"save_svg requires svg to start with '<svg', "
                            f"got {svg!r:.40}")
    tmp = f"{os.fspath(path)}.{os.getpid()}.tmp"  # "x": never clobber
    f = open(tmp, "x", encoding="utf-8", newline="\n")
    try:
        with f:
            f.write(svg)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
