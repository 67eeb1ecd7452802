"""One training step written out number by number, as a textbook prints it.

``explain`` runs the package's own forward pass, backward pass and
gradient-descent update on one sample and writes every number down with
the terms that made it: each z = sum_k W[j][k] a[k] + b[j], each
a = f(z), the loss, each delta with its chain-rule factors, each gradient
and each updated weight. The text is for the terminal
(``python -m backprop explain``); the Markdown, with LaTeX, is what the
docs show, so their worked example is generated rather than typed.

===============  ======================================================
name             what it is
===============  ======================================================
explain          the worked example for any network and sample
default_network  the 2-2-2 network of Matt Mazur's worked example
default_example  explain() on that network with DEFAULT_X, DEFAULT_Y,
                 DEFAULT_ETA (0.5) and the half_sse loss
===============  ======================================================

Layers are numbered from 1 as in the math, so W1 is ``net.W[0]`` and a0
is the input x; neurons are numbered from 0 as in the code. Numbers are
shown to 6 significant digits.

>>> text = default_example()
>>> print(text.splitlines()[0])
One training step of a 2-2-2 network (sigmoid, sigmoid), loss half_sse
>>> print([line for line in text.splitlines() if "z1[0] =" in line][0])
  z1[0] = 0.15×0.05 + 0.2×0.1 + 0.35 = 0.3775
"""

from __future__ import annotations

import re
import textwrap
from operator import mul
from typing import Sequence

from .activations import get_activation
from .gradcheck import _check_positive, _check_sample
from .losses import get_loss
from .network import Network
from .optimizers import GradientDescent

__all__ = ["explain", "default_network", "default_example", "DEFAULT_X",
           "DEFAULT_Y", "DEFAULT_ETA"]

DEFAULT_X = [0.05, 0.10]
DEFAULT_Y = [0.01, 0.99]
DEFAULT_ETA = 0.5


def default_network() -> Network:
    """Return the 2-2-2 sigmoid network of Mazur's "A Step by Step
    Backpropagation Example": w1..w4 = 0.15, 0.20, 0.25, 0.30 into the
    hidden layer, w5..w8 = 0.40, 0.45, 0.50, 0.55 into the output, and
    biases 0.35 (hidden) and 0.60 (output).

    >>> net = default_network()
    >>> net.W[0], net.b
    ([[0.15, 0.2], [0.25, 0.3]], [[0.35, 0.35], [0.6, 0.6]])
    """
    return Network.from_weights(
        [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        [[0.35, 0.35], [0.60, 0.60]], "sigmoid")


def default_example(*, markdown: bool = False) -> str:
    """Return :func:`explain` for :func:`default_network` on x =
    DEFAULT_X, y = DEFAULT_Y, eta = DEFAULT_ETA with the half_sse loss.

    >>> print([ln for ln in default_example().splitlines()
    ...        if ln.startswith("  L =")][0])
    ... # doctest: +NORMALIZE_WHITESPACE
      L = ½ Σ_j (a2[j] - y[j])² = ½((0.751365 - 0.01)²
      + (0.772928 - 0.99)²) = 0.298371
    """
    return explain(default_network(), DEFAULT_X, DEFAULT_Y,
                   eta=DEFAULT_ETA, loss="half_sse", markdown=markdown)


def explain(net: Network, x: Sequence[float], y: Sequence[float], *,
            eta: float, loss: str = "half_sse",
            markdown: bool = False) -> str:
    """Return one gradient-descent step on the sample (x, y), written out.

    Forward: z^l = W^l a^(l-1) + b^l, a^l = f(z^l). Backward: BP1
    delta^L = dL/da^L * f'(z^L), BP2 delta^l_k = (sum_j W^(l+1)_jk
    delta^(l+1)_j) f'(z^l_k), then dL/db = delta, dL/dW_jk = delta_j
    a_k. Update: w <- w - eta dL/dw for every weight and bias. All
    numbers come from ``net.forward``, ``net.backward`` and
    ``GradientDescent``; this function only lays them out. ``net`` is not
    changed. With ``markdown=True`` the result is Markdown with LaTeX:
    inline math in tables, one display formula per section. The LaTeX is
    plain ASCII (partial derivatives as fractions, words as text, 1e-05
    as a power of ten) that the docs' latex2mathml renders.

    >>> net = Network.from_weights([[[0.5, -0.5]]], [[0.0]])
    >>> text = explain(net, [1.0, 2.0], [1.0], eta=1.0)
    >>> print(text[text.index("== Forward"):text.index("== Loss")].strip())
    == Forward pass ==
    z[j] = Σ_k W[j][k]·a[k] + b[j]
    a = f(z)
    Layer 1, sigmoid
      z1[0] = 0.5×1 + (-0.5)×2 + 0 = -0.5
      a1[0] = sigmoid(-0.5) = 0.377541
    >>> "W1[0][1] ← -0.5 - 1×(-0.292561) = -0.207439" in text
    True

    A sample of the wrong shape, a bad eta or an unknown loss raise
    BackpropError (ShapeError) or TypeError.
    """
    x, y = _check_sample("explain", net, x, y)
    eta = _check_positive("explain", "eta", eta)
    fit = get_loss(loss)
    sections = _sections(net, x, y, eta, fit)
    return _markdown(sections) if markdown else _text(sections)


# === Numbers as the reader sees them =======================================


def _n(v: float) -> str:
    """6 significant digits; -0.0 (e.g. -0.4 x 0) is written 0."""
    return f"{v + 0.0:.6g}"


def _p(v: float) -> str:
    """6 significant digits, negatives in parentheses (for a factor)."""
    return f"({_n(v)})" if v < 0 else _n(v)


def _terms(pairs, bias=None) -> str:
    """'w×a + w×a (+ b)' for the weighted sum of pairs (w, a)."""
    parts = [f"{_p(w)}×{_p(a)}" for w, a in pairs]
    if bias is not None:
        parts.append(_p(bias))
    return " + ".join(parts)


# f'(z) per activation: (formula, the same with a's number filled in)
_PRIME = {
    "sigmoid": ("a(1 - a)", lambda z, a: f"{_p(a)}×(1 - {_p(a)})"),
    "tanh": ("1 - a²", lambda z, a: f"1 - {_p(a)}²"),
    "relu": ("1 if z > 0, else 0", None),
    "leaky_relu": ("1 if z > 0, else 0.01", None),
    "identity": ("1", None),
}

# dL/da_j and L written with the numbers, per loss: (formula, numbers)
_GRAD = {
    "half_sse": ("a{l}[{j}] - y[{j}]", "{a} - {y}"),
    "mse": ("(2/n)(a{l}[{j}] - y[{j}])", "(2/{n})×({a} - {y})"),
    "binary_cross_entropy": ("(1/n)(a{l}[{j}] - y[{j}])/(a{l}[{j}]"
                             "(1 - a{l}[{j}]))",
                             "(1/{n})×({a} - {y})/({a}×(1 - {a}))"),
    "categorical_cross_entropy": ("-y[{j}]/a{l}[{j}]", "-{y}/{a}"),
}
_LOSS = {
    "half_sse": ("½ Σ_j (a{l}[j] - y[j])²", "½({})", "({a} - {y})²"),
    "mse": ("(1/n) Σ_j (a{l}[j] - y[j])²", "(1/{n})({})", "({a} - {y})²"),
    "binary_cross_entropy": (
        "-(1/n) Σ_j (y[j] log a{l}[j] + (1 - y[j]) log(1 - a{l}[j]))",
        "-(1/{n})({})", "{y}×log {a} + (1 - {y})×log(1 - {a})"),
    "categorical_cross_entropy": ("-Σ_j y[j] log a{l}[j]", "-({})",
                                  "{y}×log {a}"),
}


# === The worked example as sections of equations ===========================


def _sections(net, x, y, eta, fit):
    """Return (header, sections, footer). A section is (title, formulas,
    groups), a group ((label, formula), column headings, rows), a row a
    list of equations in the text notation (see _tex)."""
    L = len(net.W)
    acts = [get_activation(name) for name in net.activations]
    fwd = net.forward(x)
    a_out = fwd.a[-1]
    grads = net.backward(fwd, y, fit)
    # BP3 says db = delta, so a twin with zero biases (same z, same
    # gradients) hands us every delta when net has no biases
    twin = net if net.b is not None else Network.from_weights(
        net.W, [[0.0] * len(W) for W in net.W], net.activations)
    deltas = twin.backward(twin.forward(x), y, fit).db
    new = Network.from_weights(net.W, net.b, net.activations)
    GradientDescent().step(new, grads, eta)

    sizes = "-".join(map(str, net.sizes))
    header = [
        f"One training step of a {sizes} network "
        f"({', '.join(net.activations)}), loss {fit.name}",
        f"x = a0 = [{', '.join(map(_n, x))}],  "
        f"y = [{', '.join(map(_n, y))}],  η = {_n(eta)}",
    ]
    forward = []
    for l in range(1, L + 1):
        W, z, a = net.W[l - 1], fwd.z[l - 1], fwd.a[l]
        rows = []
        for j in range(len(W)):
            b = None if net.b is None else net.b[l - 1][j]
            f = (f"softmax(z{l})[{j}]" if acts[l - 1].name == "softmax"
                 else f"{acts[l - 1].name}({_n(z[j])})")
            rows.append([
                f"z{l}[{j}] = {_terms(zip(W[j], fwd.a[l - 1]), b)} "
                f"= {_n(z[j])}",
                f"a{l}[{j}] = {f} = {_n(a[j])}"])
        forward.append(((f"Layer {l}, {acts[l - 1].name}", ""),
                        ["z = Σ_k W[j][k]·a[k] + b[j]", "a = f(z)"], rows))

    formula, outer, term = _LOSS[fit.name]
    terms = [term.format(a=_p(aj), y=_p(yj)) for aj, yj in zip(a_out, y)]
    value = fit.f(a_out, y)
    loss_rows = [[f"L = {formula.format(l=L)} = "
                  f"{outer.format(' + '.join(terms), n=len(y))} = "
                  f"{_n(value)}"]]

    backward = [_output_group(L, acts[-1], fit, fwd, y, deltas[-1])]
    for l in range(L - 1, 0, -1):
        backward.append(_hidden_group(l, acts[l - 1], net.W[l], fwd,
                                      deltas[l], deltas[l - 1]))

    updates = []
    for l in range(L, 0, -1):
        rows = []
        for j, row in enumerate(net.W[l - 1]):
            for k, w in enumerate(row):
                g = grads.dW[l - 1][j][k]
                rows.append([
                    f"∂L/∂W{l}[{j}][{k}] = δ{l}[{j}]·a{l - 1}[{k}] = "
                    f"{_p(deltas[l - 1][j])}×{_p(fwd.a[l - 1][k])} = "
                    f"{_n(g)}",
                    f"W{l}[{j}][{k}] ← {_n(w)} - {_n(eta)}×{_p(g)} = "
                    f"{_n(new.W[l - 1][j][k])}"])
        if net.b is not None:
            for j, b in enumerate(net.b[l - 1]):
                g = grads.db[l - 1][j]
                rows.append([
                    f"∂L/∂b{l}[{j}] = δ{l}[{j}] = {_n(g)}",
                    f"b{l}[{j}] ← {_n(b)} - {_n(eta)}×{_p(g)} = "
                    f"{_n(new.b[l - 1][j])}"])
        updates.append(((f"Layer {l}", ""), ["gradient", "updated value"],
                        rows))

    after = fit.f(new.forward(x).a[-1], y)
    footer = [
        f"Loss after the step, on the same sample: {_n(after)} "
        f"(was {_n(value)}).",
        "Every delta uses the weights from before the update, and the "
        "biases are updated like the weights (Mazur's worked example "
        "keeps its biases fixed)." if net.b is not None else
        "Every delta uses the weights from before the update.",
    ]
    return header, [
        ("Forward pass", ["z[j] = Σ_k W[j][k]·a[k] + b[j]", "a = f(z)"],
         forward),
        ("Loss", [f"L = {formula.format(l=L)}"],
         [(("", ""), ["loss"], loss_rows)]),
        ("Backward pass, output layer first",
         ["δ = ∂L/∂z", "δL = ∂L/∂aL·f'(zL)",
          "δl[k] = (Σ_j W(l+1)[j][k]·δ(l+1)[j])·f'(zl[k])"], backward),
        ("Gradients and update",
         ["∂L/∂b[j] = δ[j]", "∂L/∂W[j][k] = δ[j]·a[k]",
          f"w ← w - η·∂L/∂w,  η = {_n(eta)}"], updates),
    ], footer


def _output_group(L, act, fit, fwd, y, delta):
    """BP1 for the output layer, with dL/da and f'(z) (or the shortcut
    network.backward takes for sigmoid + BCE and softmax + CCE)."""
    z, a = fwd.z[-1], fwd.a[-1]
    n = len(a)
    pair = (act.name, fit.name)
    if pair == ("sigmoid", "binary_cross_entropy"):
        rows = [[f"δ{L}[{j}] = (a{L}[{j}] - y[{j}])/n = ({_p(a[j])} - "
                 f"{_p(y[j])})/{n} = {_n(delta[j])}"] for j in range(n)]
        return ((f"Layer {L}, output, sigmoid: a(1 - a) cancels the "
                 "denominator of ∂L/∂a", "δ = (a - y)/n"), ["δ"], rows)
    if pair == ("softmax", "categorical_cross_entropy"):
        s = sum(y)
        rows = [[f"δ{L}[{j}] = a{L}[{j}]×Σy - y[{j}] = {_p(a[j])}×{_n(s)}"
                 f" - {_p(y[j])} = {_n(delta[j])}"] for j in range(n)]
        return ((f"Layer {L}, output, softmax and cross-entropy combine",
                 "δ = a·Σy - y"), ["δ"], rows)
    g = fit.grad(a, y)
    formula, numbers = _GRAD[fit.name]
    rows = [[f"∂L/∂a{L}[{j}] = {formula.format(l=L, j=j)} = "
             f"{numbers.format(a=_p(a[j]), y=_p(y[j]), n=n)} = {_n(g[j])}"]
            for j in range(n)]
    heads = _chain(rows, L, act, z, a, g, delta,
                   lambda k: f"∂L/∂a{L}[{k}]")
    return _caption(f"Layer {L}, output", act), ["∂L/∂a"] + heads, rows


def _hidden_group(l, act, W_next, fwd, delta_next, delta):
    """BP2 for hidden layer l, from the old weights of layer l + 1."""
    z, a = fwd.z[l - 1], fwd.a[l]
    rows, g = [], []
    for k in range(len(z)):
        col = [W_next[j][k] for j in range(len(W_next))]
        g.append(sum(map(mul, col, delta_next)))
        rows.append([f"Σ_j W{l + 1}[j][{k}]·δ{l + 1}[j] = "
                     f"{_terms(zip(col, delta_next))} = {_n(g[k])}"])
    heads = _chain(rows, l, act, z, a, g, delta,
                   lambda k: f"(Σ_j W{l + 1}[j][{k}]·δ{l + 1}[j])")
    return (_caption(f"Layer {l}, hidden, with the old W{l + 1}", act),
            ["Σ_j W[j][k]·δ[j]"] + heads, rows)


def _caption(where: str, act):
    """Return (label, formula) for a layer's group of deltas."""
    if act.name == "softmax":
        return (f"{where}, softmax, with g the first column",
                "δ[k] = a[k](g[k] - Σ_i g[i]·a[i])")
    return f"{where}, {act.name}", f"f'(z) = {_PRIME[act.name][0]}"


def _chain(rows, l, act, z, a, g, delta, gname):
    """Append f'(z) and delta = g f'(z) to each row (gname(k) names g_k);
    return their column headings. Softmax is not elementwise:
    delta_k = a_k (g_k - sum_i g_i a_i)."""
    if act.name == "softmax":
        s = sum(map(mul, g, a))
        for k, row in enumerate(rows):
            row.append(f"Σ_i g[i]·a{l}[i] = {_terms(zip(g, a))} = {_n(s)}")
            row.append(f"δ{l}[{k}] = a{l}[{k}]×(g[{k}] - Σ_i g[i]·a{l}[i])"
                       f" = {_p(a[k])}×({_p(g[k])} - {_p(s)}) = "
                       f"{_n(delta[k])}")
        return ["Σ_i g[i]·a[i]", "δ"]
    fprime = act.backward(z, a, [1.0] * len(z))   # g = 1 gives f'(z)
    formula, how = _PRIME[act.name]
    for k, row in enumerate(rows):
        mid = "" if how is None else (
            f"{formula.replace('a', f'a{l}[{k}]')} = {how(z[k], a[k])} = ")
        row.append(f"f'(z{l}[{k}]) = {mid}{_n(fprime[k])}")
        row.append(f"δ{l}[{k}] = {gname(k)}·f'(z{l}[{k}]) = "
                   f"{_p(g[k])}×{_p(fprime[k])} = {_n(delta[k])}")
    return ["f'(z)", "δ"]


# === Rendering: plain text, or Markdown with LaTeX =========================

_INDEXING = ("Layer l has weights Wl (net.W[l-1]) and biases bl; Wl[j][k] "
             "links neuron k of layer l-1 to neuron j of layer l.")
_INDEXING_MD = ("Layer $l$ has weights $W^{(l)}$ (`net.W[l-1]`) and biases "
                "$b^{(l)}$; $W^{(l)}_{j,k}$ links neuron $k$ of layer "
                "$l-1$ to neuron $j$ of layer $l$.")


def _text(parts) -> str:
    (title, sample), sections, footer = parts
    lines = [title, sample, *textwrap.wrap(_INDEXING, 79)]
    for name, formulas, groups in sections:
        lines += ["", f"== {name} ==", *formulas]
        for (label, formula), _, rows in groups:
            if label:
                lines.append(f"{label}: {formula}" if formula else label)
            lines += ["  " + eq for row in rows for eq in row]
    lines.append("")
    for paragraph in footer:
        lines += textwrap.wrap(paragraph, 79)
    return "\n".join(lines) + "\n"


def _markdown(parts) -> str:
    (title, sample), sections, footer = parts
    out = [f"**{title}**", "", f"${_tex(sample)}$", "", _INDEXING_MD]
    for name, formulas, groups in sections:
        out += ["", f"**{name}**", "", "$$",
                r",\quad ".join(map(_tex, formulas)), "$$"]
        for (label, formula), heads, rows in groups:
            if label:
                out += ["", f"*{label}*" + (f": ${_tex(formula)}$"
                                            if formula else "")]
            width = len(heads)
            out += ["", "| " + " | ".join(map(_head, heads)) + " |",
                "|" + " --- |" * width]
            out += ["| " + " | ".join(f"${_tex(eq)}$" for eq in row) + " |"
                    for row in rows]
    return "\n".join(out + [""] + [" ".join(footer)]) + "\n"


def _head(h: str) -> str:
    """A column heading: words stay words, anything else is math."""
    plain = h.replace(" ", "")
    return h if plain.isalpha() and plain.isascii() else f"${_tex(h)}$"


# a symbol: base letter, optional layer (digits, L, l or (l+1)), indices
_SYMBOL = re.compile(r"(?<![A-Za-z])([zaWbδyg])(\d+|L|l|\(l\+1\))?"
                     r"((?:\[[0-9a-z]+\])*)(?![A-Za-z])")
# a name of two or more letters, matched whole (so relu is never found
# inside leaky_relu): a function, log, a symbol like aL, or a word
_NAME = re.compile(r"(?<![A-Za-z_])[A-Za-z][A-Za-z_]*[A-Za-z](?![A-Za-z_])")
_NAMES = {"sigmoid": r"\sigma", "tanh": r"\tanh", "log": r"\log\,",
          "relu": r"\operatorname{relu}",
          # \text: latex2mathml, which renders the site's math, garbles
          # an \operatorname that holds \_
          "leaky_relu": r"\text{leaky_relu}",
          "identity": r"\operatorname{id}",
          "softmax": r"\operatorname{softmax}"}
# dL/d of a letter, of \delta or of a braced symbol such as {a^{(2)}_{0}}
_PARTIAL = re.compile(r"∂L/∂(\\delta|[A-Za-z]|\{(?:[^{}]|\{[^{}]*\})*\})")
_SIGNS = [("×", r" \times "), ("·", r" \cdot "), ("²", "^2"),
          ("½", r"\frac{1}{2}"), ("←", r" \leftarrow "), ("η", r"\eta"),
          ("Σ", r"\sum "), (",  ", r",\quad ")]
_EXPONENT = re.compile(r"(\d)e([-+])0*(\d+)")       # 1.5e-05


def _name(m) -> str:
    word = m.group()
    if word in _NAMES:
        return _NAMES[word]
    return word if _SYMBOL.fullmatch(word) else r"\text{ %s }" % word


def _symbol(m) -> str:
    base, layer, idx = m.groups()
    tex = r"\delta" if base == "δ" else base
    if layer:
        tex += "^{(%s)}" % layer.strip("()")
    if idx:
        tex += "_{%s}" % ",".join(idx[1:-1].split("]["))
    return "{%s}" % tex if layer or idx else tex   # so that x^2 works


def _tex(eq: str) -> str:
    """Return the LaTeX for one equation written in the text notation:
    plain ASCII, words in \\text, 1.5e-05 as 1.5 \\times 10^{-5}."""
    eq = _NAME.sub(_name, eq)
    eq = _SYMBOL.sub(_symbol, eq)
    eq = _PARTIAL.sub(r"\\frac{\\partial L}{\\partial \1}", eq)
    for old, new in _SIGNS:
        eq = eq.replace(old, new)
    return _EXPONENT.sub(lambda m: r"%s \times 10^{%s%s}" % (
        m.group(1), m.group(2).strip("+"), m.group(3)), eq)
