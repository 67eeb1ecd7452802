"""SVG diagrams written with the standard library: graphs and networks.

Two pictures of the same chain rule. `graph` draws the computation graph
below a scalar `backprop.graph.Value` (micrograd's ``draw_dot`` without
graphviz): one box per node with its forward value and its gradient, the
operation that made it in a small circle, edges from the inputs of an
operation to its result. `network` draws a `Network` as neurons in layers,
every edge labelled with its weight ``W[l-1][j][k]`` (the math's
w^l_jk), optionally numbered w1, w2, ... as in Mazur's example, with
the activations and deltas inside the neurons when given. Both are
re-exported by `backprop.plot`; like its charts they are deterministic,
on a white background, in the Okabe-Ito colours.

=======  ============================================================
graph    the computation graph of a Value: op, data and grad per node
network  a network's neurons and weights, activations, deltas, grads
=======  ============================================================

>>> import xml.etree.ElementTree as ET
>>> from backprop import Network
>>> svg = network(Network([2, 2, 1], seed=0))
>>> ET.fromstring(svg).tag, svg.count('class="edge"')
('{http://www.w3.org/2000/svg}svg', 6)
>>> "W[1][0][1]" in svg
True
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from . import _checks
from .errors import BackpropError, ShapeError
from .matrix import total

__all__ = ["graph", "network", "MAX_NODES", "MAX_SHOWN"]

MAX_NODES = 120
"""The most nodes `graph` draws; a larger graph raises BackpropError."""
MAX_SHOWN = 10
"""The most neurons `network` draws in a layer; a larger layer shows its
first 4 and last 2 neurons and says how many it leaves out."""

POS, NEG = "#0072B2", "#D55E00"  # Okabe-Ito blue and vermillion: the sign
INK, PALE = "#222222", "#EAF2FA"  # text; the fill of a leaf or input
NUMBERINGS = ("index", "flat", "both")

# === SVG helpers ===


def _f(v: float) -> str:
    return f"{v:.2f}"  # fixed decimals keep the output byte-for-byte stable


def _num(v: float) -> str:
    """Return v with 4 significant digits: 0.5933, -4, 0.0004386."""
    return f"{v:.4g}"


def _text(x: float, y: float, s: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}"
                    for k, v in attrs.items())
    return f'<text x="{_f(x)}" y="{_f(y)}"{extra}>{escape(s)}</text>'


def _head(width: float, height: float, title: str) -> list[str]:
    """Return the opening of an SVG that scales down to its container."""
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" '
            f'height="{_f(height)}" viewBox="0 0 {_f(width)} {_f(height)}" '
            f'font-family="sans-serif" font-size="12" '
            f'style="max-width: 100%; height: auto">',
            f"<title>{escape(title)}</title>",
            '<rect width="100%" height="100%" fill="white"/>',
            _text(width / 2, 24, title, text_anchor="middle",
                  font_size="15", fill=INK)]


def _curve(x0: float, y0: float, x1: float, y1: float) -> str:
    """Return the path data of an S-curve from (x0, y0) to (x1, y1)."""
    m = (x0 + x1) / 2
    return (f"M{_f(x0)},{_f(y0)} C{_f(m)},{_f(y0)} {_f(m)},{_f(y1)} "
            f"{_f(x1)},{_f(y1)}")


# === The computation graph of a Value ===

BOX_W, BOX_H = 112, 54      # a node's box, px
COL, ROW = 180, 70          # distance between columns and between rows
MARGIN, TOP = 30, 50


def _children(v: Any) -> tuple:
    try:
        return tuple(v.children), str(v.op)
    except AttributeError:
        raise TypeError(f"graph: value must be a backprop.graph.Value "
                        f"(with .data, .grad, .op and .children), got "
                        f"{type(v).__name__}") from None


def _collect(root: Any) -> tuple[list, dict]:
    """Return the nodes below root in post-order (children first) and
    each node's children, walking iteratively (no recursion limit)."""
    order: list = []
    kids: dict = {}
    stack = [(root, False)]
    while stack:
        v, done = stack.pop()
        if done:
            order.append(v)
            continue
        if id(v) in kids:
            continue
        kids[id(v)] = _children(v)[0]
        if len(kids) > MAX_NODES:
            raise BackpropError(
                f"graph: the graph has more than {MAX_NODES} nodes, too "
                f"many to read in one picture; draw a smaller part of it "
                f"(one neuron, one gate), or use explain for a network")
        stack.append((v, True))
        stack.extend((c, False) for c in reversed(kids[id(v)])
                     if id(c) not in kids)
    return order, kids


def _columns(order: list, kids: dict) -> dict:
    """Return each node's column: the root in the last one, every other
    node one column left of its leftmost parent, so that an input sits
    just before the operation that first needs it."""
    depth = {id(order[-1]): 0}
    for v in reversed(order):           # parents before their children
        for c in kids[id(v)]:
            depth[id(c)] = max(depth.get(id(c), 0), depth[id(v)] + 1)
    last = max(depth.values())
    return {key: last - d for key, d in depth.items()}


def _rows(order: list, col: dict, kids: dict) -> dict:
    """Return each node's row (a float): the root at 0, each input near
    its place among its parent's inputs (the mean over its parents),
    then pushed apart to one row or more between neighbours."""
    want: dict = {id(order[-1]): [0.0]}
    row: dict = {}
    rank = {id(v): i for i, v in enumerate(reversed(order))}
    for c in range(max(col.values()), -1, -1):
        nodes = sorted((v for v in order if col[id(v)] == c),
                       key=lambda v: (total(want[id(v)]) / len(want[id(v)]),
                                      rank[id(v)]))
        desired = [total(want[id(v)]) / len(want[id(v)]) for v in nodes]
        placed = desired[:1]
        for d in desired[1:]:
            placed.append(max(d, placed[-1] + 1.0))
        shift = total([d - p for d, p in zip(desired, placed)]) / len(nodes)
        for v, p in zip(nodes, placed):
            row[id(v)] = p + shift
            ks = kids[id(v)]
            for i, k in enumerate(ks):
                spread = (i - (len(ks) - 1) / 2) * 1.0
                want.setdefault(id(k), []).append(row[id(v)] + spread)
    top = min(row.values())
    return {key: r - top for key, r in row.items()}


def _node(v: Any, x: float, y: float, root: bool) -> list[str]:
    """Return one node: its box (label, data, grad) and its op circle."""
    children, op = _children(v)
    label = str(getattr(v, "label", "") or "")
    fill = PALE if not children else "white"
    out = [f'<g class="node"><title>{escape(label or op or "value")}: '
           f'data {v.data!r}, grad {v.grad!r}</title>',
           f'<rect x="{_f(x)}" y="{_f(y)}" width="{BOX_W}" height="{BOX_H}"'
           f' rx="6" fill="{fill}" stroke="{INK}" '
           f'stroke-width="{2.5 if root else 1}"/>']
    lines = ([label] if label else []) + [f"data {_num(v.data)}",
                                          f"grad {_num(v.grad)}"]
    y0 = y + BOX_H / 2 - 8 * (len(lines) - 1) + 4
    for i, s in enumerate(lines):
        bold = {"font_weight": "bold"} if label and i == 0 else {}
        colour = NEG if s.startswith("grad") else INK
        out.append(_text(x + BOX_W / 2, y0 + 16 * i, s,
                         text_anchor="middle", fill=colour, **bold))
    if op:
        r = max(13.0, 3.6 * len(op) + 6)
        cx = x - r - 14
        out.append(f'<ellipse class="op" cx="{_f(cx)}" cy="{_f(y + BOX_H / 2)}'
                   f'" rx="{_f(r)}" ry="13" fill="#FFF4E0" stroke="{INK}"/>')
        out.append(_text(cx, y + BOX_H / 2 + 4, op, text_anchor="middle",
                         fill=INK))
        out.append(f'<line x1="{_f(cx + r)}" y1="{_f(y + BOX_H / 2)}" '
                   f'x2="{_f(x)}" y2="{_f(y + BOX_H / 2)}" stroke="{INK}"/>')
    return out + ["</g>"]


def graph(value: Any, *, title: str = "Computation graph") -> str:
    """Return an SVG of the computation graph below ``value``.

    Every node is a box with its label (if any), its forward value
    ``data`` and its gradient ``grad`` = dL/d(node) after ``backward()``;
    the operation that produced it (``+``, ``*``, ``exp``, ...) sits in a
    small circle on its left, and an edge runs from each input of that
    operation to it. Leaves (inputs and parameters, ``op == ''``) are
    shaded, the root has a thick border. Columns are depths: a leaf is in
    column 0, any other node one column right of its highest input, so
    the forward pass reads left to right and the backward pass right to
    left. A node used twice (fan-out) is drawn once, with two edges out.

    ``value`` is a `backprop.graph.Value`, or anything with ``data``,
    ``grad``, ``op`` and ``children``. Graphs of up to about 50 nodes
    stay readable; more than `MAX_NODES` (120) raise.

    >>> from backprop.graph import Value
    >>> x, y = Value(-2.0, label="x"), Value(5.0, label="y")
    >>> f = (x + y) * Value(-4.0, label="z")
    >>> f.backward()
    >>> svg = graph(f)
    >>> svg.count('class="node"'), "grad -4" in svg
    (5, True)

    Raises TypeError if value is not a Value, BackpropError if its graph
    has more than MAX_NODES nodes.
    """
    order, kids = _collect(value)
    col = _columns(order, kids)
    row = _rows(order, col, kids)
    ncols = max(col.values()) + 1
    nrows = max(row.values()) + 1
    width = MARGIN * 2 + 60 + (ncols - 1) * COL + BOX_W
    height = TOP + nrows * ROW + MARGIN
    pos = {id(v): (MARGIN + 60 + col[id(v)] * COL, TOP + row[id(v)] * ROW)
           for v in order}
    out = _head(width, height, title)
    out.append('<g class="edges" fill="none" stroke="#777" '
               'stroke-width="1.3">')
    for v in order:
        x1, y1 = pos[id(v)]
        op = _children(v)[1]
        r = max(13.0, 3.6 * len(op) + 6) if op else 0
        ks = kids[id(v)]
        for i, c in enumerate(ks):
            x0, y0 = pos[id(c)]
            dy = (i - (len(ks) - 1) / 2) * 6  # fan-in spread at the op
            path = _curve(x0 + BOX_W, y0 + BOX_H / 2, x1 - 14 - 2 * r,
                          y1 + BOX_H / 2 + dy)
            out.append(f'<path d="{path}"/>')
    out.append("</g>")
    for v in order:
        out += _node(v, *pos[id(v)], root=v is value)
    return "\n".join(out + ["</svg>"]) + "\n"


# === A network's neurons and weights ===

R = 34                      # a neuron's radius, px
GAP_Y = 120                 # between neurons of a layer
FULL_LABELS = 9             # the most edges between two layers to label


def _shown(n: int) -> list[int | None]:
    """Return the neurons drawn in a layer of n: all up to MAX_SHOWN,
    else the first 4, None (the gap), the last 2."""
    if n <= MAX_SHOWN:
        return list(range(n))
    return [0, 1, 2, 3, None, n - 2, n - 1]


def _layers(name: str, vs: Any, sizes: list[int], first: int) -> list:
    """Check that vs holds one vector per layer from ``first`` on, shaped
    like the network's layers; return it."""
    func = "network"
    if not isinstance(vs, (list, tuple)) or len(vs) != len(sizes) - first:
        raise ShapeError(f"{func}: {name} must hold one list per layer "
                         f"from layer {first} ({len(sizes) - first}), got "
                         f"{vs!r:.60}")
    for li, v in enumerate(vs):
        _checks.vector(func, f"{name}[{li}]", v, sizes[li + first],
                       f"neurons in layer {li + first}")
    return list(vs)


def _weight_label(li: int, j: int, k: int, flat: int, numbering: str,
                  w: float, g: float | None) -> str:
    name = {"index": f"W[{li}][{j}][{k}]", "flat": f"w{flat}",
            "both": f"w{flat} W[{li}][{j}][{k}]"}[numbering]
    grad = "" if g is None else f"\ndW = {_num(g)}"
    return f"{name} = {_num(w)}{grad}"


def _edges(net: Any, ys: list[dict], xs: list[float],
           dW: Any, numbering: str) -> list[str]:
    """Return the edges, one per weight between drawn neurons: colour the
    sign and width the size of the weight (or of its gradient dW)."""
    out = ['<g class="edges" fill="none">']
    labels = ['<g class="edge-labels" font-size="11">']
    size = dW if dW is not None else net.W
    top = max(abs(v) for M in size for row in M for v in row) or 1.0
    flat, nl = 0, "\n"
    for li, W in enumerate(net.W):
        full = len(ys[li]) * len(ys[li + 1]) <= FULL_LABELS
        rows_to = ys[li + 1]
        for j, row in enumerate(W):
            for k, w in enumerate(row):
                flat += 1
                if j not in rows_to or k not in ys[li]:
                    continue
                v = size[li][j][k]
                g = None if dW is None else dW[li][j][k]
                text = _weight_label(li, j, k, flat, numbering, w, g)
                x0, y0, x1, y1 = xs[li] + R, ys[li][k], xs[li + 1] - R, \
                    rows_to[j]
                out.append(
                    f'<line class="edge" x1="{_f(x0)}" y1="{_f(y0)}" '
                    f'x2="{_f(x1)}" y2="{_f(y1)}" '
                    f'stroke="{POS if v >= 0 else NEG}" stroke-width='
                    f'"{_f(0.6 + 3.4 * abs(v) / top)}" stroke-opacity='
                    f'"0.75"><title>{escape(text.replace(nl, ", "))}</title>'
                    f'</line>')
                if full:
                    js = sorted(i for i in rows_to if i >= 0)
                    t = 0.3 + 0.4 * (js.index(j) / (len(js) - 1)
                                     if len(js) > 1 else 0.5)
                    labels += _label(x0 + t * (x1 - x0), y0 + t * (y1 - y0),
                                     text)
    return out + ["</g>"] + labels + ["</g>"]


def _label(x: float, y: float, text: str) -> list[str]:
    """Return an edge label centred at (x, y), one line or two, on a
    white halo so that it reads across the edges behind it."""
    lines = text.split("\n")
    return [_text(x, y + 4 + 13 * (i - (len(lines) - 1) / 2), s,
                  text_anchor="middle", fill=INK, stroke="white",
                  stroke_width="4", paint_order="stroke")
            for i, s in enumerate(lines)]


def _neuron(x: float, y: float, li: int, j: int, a: float | None,
            d: float | None, b: float | None) -> list[str]:
    """Return one neuron: a circle with a (and delta) inside, its name
    above and its bias below."""
    out = [f'<g class="neuron"><circle cx="{_f(x)}" cy="{_f(y)}" '
           f'r="{R}" fill="{PALE if li == 0 else "white"}" stroke="{INK}"/>',
           _text(x, y - R - 5, f"x[{j}]" if li == 0 else f"a[{li}][{j}]",
                 text_anchor="middle", fill=INK, font_size="11")]
    inside = ([] if a is None else [_num(a)]) + \
        ([] if d is None else [f"δ {_num(d)}"])
    inside = inside or [str(j)]
    for i, s in enumerate(inside):
        dy = 4 + 14 * (i - (len(inside) - 1) / 2)
        out.append(_text(x, y + dy, s, text_anchor="middle", font_size="11",
                         fill=NEG if s.startswith("δ") else INK))
    if b is not None:
        out.append(_text(x, y + R + 14, f"b[{li - 1}][{j}] = {_num(b)}",
                         text_anchor="middle", fill="#555",
                         font_size="10"))
    return out + ["</g>"]


def network(net: Any, fwd: Any = None, deltas: Any = None,
            gradients: Any = None, *, numbering: str = "index",
            title: str = "Network") -> str:
    """Return an SVG of a network: neurons in layers, weights on edges.

    Each layer is a column, input on the left. Every edge is the weight
    ``net.W[l-1][j][k]``, from neuron k of layer l-1 to neuron j of layer
    l (the math's w^l_jk), and is labelled with it:
    ``numbering="index"`` writes ``W[0][0][1] = 0.2``, ``"flat"``
    numbers the weights w1, w2, ... layer by layer and row by row (so
    w1..w8 are Mazur's, for his 2-2-2 network), ``"both"`` writes both.
    Blue is a positive weight and vermillion a negative one, and the
    width grows with its size; given ``gradients`` (a `Gradients`), the
    colour and width show dW instead and the label adds it. Given
    ``fwd`` (from `Network.forward`) each neuron shows its activation a,
    given ``deltas`` (from `Network.deltas`) also its delta; the bias
    ``b[l-1][j]`` is written under neuron j of layer l.

    Up to `MAX_SHOWN` (10) neurons a layer are drawn; a larger layer
    shows its first 4 and last 2 and says how many it leaves out. Labels
    are written on the edges between two layers of at most 9 edges in
    all; on larger ones each edge keeps its label as a tooltip.

    >>> from backprop.explain import default_network
    >>> svg = network(default_network(), numbering="both")
    >>> "w5 W[1][0][0] = 0.4" in svg, svg.count('class="neuron"')
    (True, 6)

    Raises TypeError if net is not a Network; ShapeError if fwd, deltas
    or gradients are not shaped like its layers; BackpropError for an
    unknown numbering.
    """
    _checks.network("network", net)
    _checks.one_of("network", "numbering", numbering, NUMBERINGS)
    sizes = net.sizes
    a = None if fwd is None else _layers("fwd.a", getattr(fwd, "a", fwd),
                                         sizes, 0)
    d = None if deltas is None else _layers("deltas", deltas, sizes, 1)
    dW = None if gradients is None else _gradients(gradients, net)
    shown = [_shown(n) for n in sizes]
    tall = max(len(s) for s in shown)
    longest = max(len(line) for line in _weight_label(
        len(sizes), 9, 9, 99, numbering, -0.1234, -0.01234).split("\n"))
    full = any(len(s) * len(t) <= FULL_LABELS for s, t in zip(shown,
                                                              shown[1:]))
    # labels 0.3 and 0.7 of the way along: 0.4 gap apart, 6.2 px a char
    gap = max(220.0, 2.5 * 6.2 * longest + 30) if full else 220.0
    xs = [70 + i * gap for i in range(len(sizes))]
    ys = [{-1 if j is None else j:                  # -1: the gap
           TOP + 70 + (tall - len(s)) * GAP_Y / 2 + i * GAP_Y
           for i, j in enumerate(s)} for s in shown]
    height = TOP + 70 + (tall - 1) * GAP_Y + R + 60
    out = _head(xs[-1] + 70, height, title)
    out += _edges(net, ys, xs, dW, numbering)
    for li, col in enumerate(ys):
        out.append(_text(xs[li], TOP + 12, _layer_name(net, li),
                         text_anchor="middle", fill="#555"))
        for j, y in col.items():
            if j < 0:
                out.append(_text(xs[li], y + 4, f"… {sizes[li] - 6} more …",
                                 text_anchor="middle", fill="#555"))
                continue
            b = None if li == 0 or net.b is None else net.b[li - 1][j]
            out += _neuron(xs[li], y, li, j, None if a is None else a[li][j],
                           None if d is None or li == 0 else d[li - 1][j], b)
    what = "weight" if dW is None else "gradient dW"
    out.append(_text(xs[-1] + 70 - 10, height - 12,
                     f"blue > 0, vermillion < 0, width ~ |{what}|",
                     text_anchor="end", fill="#555", font_size="11"))
    return "\n".join(out + ["</svg>"]) + "\n"


def _layer_name(net: Any, li: int) -> str:
    if li == 0:
        return "layer 0: input"
    return f"layer {li}: {net.activations[li - 1]}"


def _gradients(g: Any, net: Any) -> list:
    """Check that g.dW is shaped like net.W; return it."""
    dW = getattr(g, "dW", None)
    if not isinstance(dW, (list, tuple)) or len(dW) != len(net.W) or any(
            not isinstance(M, (list, tuple)) or len(M) != len(W)
            for M, W in zip(dW, net.W)):
        raise ShapeError(f"network: gradients.dW must be shaped like the "
                         f"network's W (sizes {net.sizes}), got "
                         f"{dW!r:.60}")
    for li, (M, W) in enumerate(zip(dW, net.W)):
        for j, row in enumerate(M):
            _checks.vector("network", f"gradients.dW[{li}][{j}]", row,
                           len(W[j]), f"inputs to layer {li + 1}")
    return list(dW)
