"""One training step written out number by number, as a textbook prints it.

``explain`` runs the package's own forward pass, backward pass and
gradient-descent update on one sample and writes every number down with
the terms that made it: each z = sum_k W[j][k] a[k] + b[j], each
a = f(z), the loss, each delta with its chain-rule factors, each gradient
and each updated weight. The text is for the terminal
(``python -m backprop explain``); the Markdown, with LaTeX, is what the
docs show, so their worked example is generated rather than typed.

===============  ======================================================
explain          the worked example for any network and sample
default_network  the 2-2-2 network of Matt Mazur's worked example
default_example  explain() on it: DEFAULT_X, DEFAULT_Y, eta 0.5, half_sse
===============  ======================================================

The text names each number as the code does (``W[0][0][1]`` is
``net.W[0][0][1]``, the math's w^1_01, which the Markdown writes);
numbers have 6 significant digits.

>>> text = default_example()
>>> print(text.splitlines()[0])
One training step of a 2-2-2 network (sigmoid, sigmoid), loss half_sse
>>> print([line for line in text.splitlines() if "z[0][0] =" in line][0])
  z[0][0] = 0.15×0.05 + 0.2×0.1 + 0.35 = 0.3775
"""

from __future__ import annotations

import copy
import re
import textwrap
from collections import namedtuple
from collections.abc import Iterable, Sequence

from . import _checks
from .activations import Activation, derivatives, get_activation
from .losses import Loss, get_loss
from .matrix import dot, total
from .network import Network, output_delta
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
      L = ½ Σ_j (a[2][j] - y[j])² = ½((0.751365 - 0.01)²
      + (0.772928 - 0.99)²) = 0.298371
    """
    return explain(default_network(), DEFAULT_X, DEFAULT_Y,
                   eta=DEFAULT_ETA, loss="half_sse", markdown=markdown)


def explain(net: Network, x: Sequence[float], y: Sequence[float], *,
            eta: float, loss: str | Loss = "half_sse",
            markdown: bool = False) -> str:
    """Return one gradient-descent step on the sample (x, y), written out.

    Forward z^l = W^l a^(l-1) + b^l, a^l = f(z^l); BP1 delta^L =
    dL/da^L * f'(z^L), BP2 delta^l_k = (sum_j w^(l+1)_jk delta^(l+1)_j)
    f'(z^l_k); dL/db = delta, dL/dw_jk = delta_j a_k; w <- w - eta dL/dw.
    The numbers come from ``net.forward``, ``net.deltas``,
    ``net.backward``, ``GradientDescent``, the activations' derivatives
    and the loss's gradient; this function lays them out (``net`` is
    unchanged). The text names each number as the code does
    (``W[l-1][j][k]``, ``z[l-1]``, ``a[l]`` for layer l); with
    ``markdown=True`` it is Markdown with plain-ASCII LaTeX in the math's
    names (w^l_jk, z^l, a^l), which the docs' latex2mathml renders.

    >>> net = Network.from_weights([[[0.5, -0.5]]], [[0.0]])
    >>> text = explain(net, [1.0, 2.0], [1.0], eta=1.0)
    >>> print(text[text.index("== Forward"):text.index("== Loss")].strip())
    == Forward pass ==
    z[j] = Σ_k W[j][k]·a[k] + b[j]
    a = f(z)
    Layer 1, sigmoid
      z[0][0] = 0.5×1 + (-0.5)×2 + 0 = -0.5
      a[1][0] = sigmoid(-0.5) = 0.377541
    >>> "W[0][0][1] ← -0.5 - 1×(-0.292561) = -0.207439" in text
    True

    A loss or activation of your own, with a new name, is shown with its
    numbers but not its formula. A sample of the wrong shape, a bad eta
    or an unknown loss raise BackpropError (ShapeError) or TypeError.
    """
    x, y = _checks.sample("explain", net, x, y)
    eta = _checks.positive("explain", "eta", eta)
    fit = get_loss(loss)
    fwd = net.forward(x, check=False)              # x, y checked above
    deltas = net.deltas(fwd, y, fit)               # BP1, BP2
    grads = net.backward(fwd, y, fit)              # BP3, BP4
    new = copy.deepcopy(net)                       # net stays as it is
    GradientDescent().step(new, grads, eta)        # w <- w - eta dL/dw
    s = _Step(net, x, y, eta, fit, fwd, deltas, grads, new,
              fit.f(fwd.a[-1], y))
    parts = (_header(s), [_forward(s), _loss(s), _backward(s), _update(s)],
             _footer(s))
    return _markdown(parts) if markdown else _text(parts)


# === Numbers as the reader sees them =======================================
# One step's numbers as explain computed them; L0 is the loss before it
_Step = namedtuple("_Step", "net x y eta fit fwd deltas grads new L0")
# the heading of a layer's deltas: one equation a row, to fit a page
_BY_NEURON = ["the chain rule, neuron by neuron"]


def _n(v: float) -> str:
    """6 significant digits; -0.0 (e.g. -0.4 x 0) is written 0."""
    return f"{v + 0.0:.6g}"


def _p(v: float) -> str:
    """6 significant digits, negatives in parentheses (for a factor)."""
    return f"({_n(v)})" if v < 0 else _n(v)


def _terms(pairs: Iterable[tuple[float, float]],
           bias: float | None = None) -> str:
    """'w×a + w×a (+ b)' for the weighted sum of pairs (w, a)."""
    parts = [f"{_p(w)}×{_p(a)}" for w, a in pairs]
    return " + ".join(parts + ([] if bias is None else [_p(bias)]))


# === The formulas as the reader sees them ==================================
# Each formula by name, then with numbers ({a}, {y} output and target, {n}
# outputs, {s} sum(y), {l}, {j} layer, neuron); other names: numbers only.
_FORMULAS: dict[str | tuple[str, str], tuple[str, ...]] = {
    # activation: f'(z) (softmax: its delta), then a's number filled in
    "sigmoid": ("a(1 - a)", "{a}×(1 - {a})"),
    "tanh": ("1 - a²", "1 - {a}²"),
    "relu": ("1 if z > 0, else 0", ""), "identity": ("1", ""),
    "leaky_relu": ("1 if z > 0, else 0.01", ""),
    "softmax": ("δ[k] = a[k](g[k] - Σ_i g[i]·a[i])", ""),
    # loss: L, outside the sum of its terms, one term; dL/da_j, numbers
    "half_sse": ("½ Σ_j (a{l}[j] - y[j])²", "½({})", "({a} - {y})²",
                 "a{l}[{j}] - y[{j}]", "{a} - {y}"),
    "mse": ("(1/n) Σ_j (a{l}[j] - y[j])²", "(1/{n})({})", "({a} - {y})²",
            "(2/n)(a{l}[{j}] - y[{j}])", "(2/{n})×({a} - {y})"),
    "binary_cross_entropy": (
        "-(1/n) Σ_j (y[j] log a{l}[j] + (1 - y[j]) log(1 - a{l}[j]))",
        "-(1/{n})({})", "{y}×log {a} + (1 - {y})×log(1 - {a})",
        "(1/n)(a{l}[{j}] - y[{j}])/(a{l}[{j}](1 - a{l}[{j}]))",
        "(1/{n})×({a} - {y})/({a}×(1 - {a}))"),
    "categorical_cross_entropy": ("-Σ_j y[j] log a{l}[j]", "-({})",
                                  "{y}×log {a}", "-y[{j}]/a{l}[{j}]",
                                  "-{y}/{a}"),
    # pairs whose BP1 simplifies (output_delta): why, delta, delta_j
    ("sigmoid", "binary_cross_entropy"): (
        "sigmoid: a(1 - a) cancels the denominator of ∂L/∂a",
        "δ = (a - y)/n", "(a{l}[{j}] - y[{j}])/n = ({a} - {y})/{n}"),
    ("softmax", "categorical_cross_entropy"): (
        "softmax and cross-entropy combine", "δ = a·Σy - y",
        "a{l}[{j}]×Σy - y[{j}] = {a}×{s} - {y}"),
}


# === The worked example as sections of equations ===========================
# A section is (title, formulas, groups), a group ((label, formula), heads,
# rows), a row equations with the math's layers (z2[0]: _code, _tex name it)


def _header(s: _Step) -> list[str]:
    """The title and the sample."""
    sizes = "-".join(map(str, s.net.sizes))
    return [f"One training step of a {sizes} network "
            f"({', '.join(s.net.activations)}), loss {s.fit.name}",
            f"x = a0 = [{', '.join(map(_n, s.x))}],  "
            f"y = [{', '.join(map(_n, s.y))}],  η = {_n(s.eta)}"]


def _forward(s: _Step) -> tuple:
    """The forward pass, layer by layer: each z with its terms, each a."""
    groups, plus_b = [], "" if s.net.b is None else " + b[j]"
    for l, (W, act) in enumerate(zip(s.net.W, s.net.act), start=1):
        z, a, a_prev = s.fwd.z[l - 1], s.fwd.a[l], s.fwd.a[l - 1]
        rows = []
        for j, W_j in enumerate(W):
            b = None if s.net.b is None else s.net.b[l - 1][j]
            f = (f"softmax(z{l})[{j}]" if act.prime is None   # a layer
                 else f"{act.name}({_n(z[j])})")
            rows.append([f"z{l}[{j}] = {_terms(zip(W_j, a_prev), b)} "
                         f"= {_n(z[j])}", f"a{l}[{j}] = {f} = {_n(a[j])}"])
        groups.append(((f"Layer {l}, {act.name}", ""),
                       ["weighted input", "activation"], rows))
    return ("Forward pass", ["z[j] = Σ_k W[j][k]·a[k]" + plus_b, "a = f(z)"],
            groups)


def _loss(s: _Step) -> tuple:
    """The loss, its terms written out when its formula is known."""
    L, a, y = len(s.net.W), s.fwd.a[-1], s.y
    if s.fit.name in _FORMULAS:
        formula, outer, term = _FORMULAS[s.fit.name][:3]
        formula = formula.format(l=L)
        terms = [term.format(a=_p(a_j), y=_p(y_j)) for a_j, y_j in zip(a, y)]
        numbers = f"{outer.format(' + '.join(terms), n=len(y))} = "
    else:
        formula, numbers = f"{s.fit.name}(a{L}, y)", ""
    row = [f"L = {formula} = {numbers}{_n(s.L0)}"]
    return "Loss", [f"L = {formula}"], [(("", ""), ["loss"], [row])]


def _backward(s: _Step) -> tuple:
    """The deltas: BP1 for the output layer, then BP2 back to layer 1."""
    groups = [_output_group(s)] + [_hidden_group(s, l) for l in
                                   range(len(s.net.W) - 1, 0, -1)]
    return ("Backward pass, output layer first",
            ["δ = ∂L/∂z", "δL = ∂L/∂aL·f'(zL)",
             "δl[k] = (Σ_j W(l+1)[j][k]·δ(l+1)[j])·f'(zl[k])"], groups)


def _update(s: _Step) -> tuple:
    """Each gradient (BP3, BP4) and updated parameter, output layer first."""
    eta, groups = _n(s.eta), []
    for l in range(len(s.net.W), 0, -1):
        delta, a_prev, rows = s.deltas[l - 1], s.fwd.a[l - 1], []
        for j, W_j in enumerate(s.net.W[l - 1]):
            for k, w in enumerate(W_j):
                g = s.grads.dW[l - 1][j][k]
                rows.append([
                    f"∂L/∂W{l}[{j}][{k}] = δ{l}[{j}]·a{l - 1}[{k}] = "
                    f"{_p(delta[j])}×{_p(a_prev[k])} = {_n(g)}",
                    f"W{l}[{j}][{k}] ← {_n(w)} - {eta}×{_p(g)} = "
                    f"{_n(s.new.W[l - 1][j][k])}"])
        for j, b in enumerate([] if s.net.b is None else s.net.b[l - 1]):
            g = s.grads.db[l - 1][j]
            rows.append([f"∂L/∂b{l}[{j}] = δ{l}[{j}] = {_n(g)}",
                         f"b{l}[{j}] ← {_n(b)} - {eta}×{_p(g)} = "
                         f"{_n(s.new.b[l - 1][j])}"])
        groups.append(((f"Layer {l}", ""), ["gradient", "updated value"],
                       rows))
    bp3 = ["∂L/∂b[j] = δ[j]"] if s.net.b is not None else []   # no biases
    return ("Gradients and update", bp3 + ["∂L/∂W[j][k] = δ[j]·a[k]",
            f"w ← w - η·∂L/∂w,  η = {eta}"], groups)


def _footer(s: _Step) -> list[str]:
    """The loss after the step, and what differs from Mazur's example."""
    after = s.fit.f(s.new.forward(s.x, check=False).a[-1], s.y)
    return [f"Loss after the step, on the same sample: {_n(after)} "
            f"(was {_n(s.L0)}).",
            "Every delta uses the weights from before the update, and the "
            "biases are updated like the weights (Mazur's worked example "
            "keeps its biases fixed)." if s.net.b is not None else
            "Every delta uses the weights from before the update."]


def _output_group(s: _Step) -> tuple:
    """BP1 for the output layer, with dL/da and f'(z) (or the shortcut
    network.output_delta takes for sigmoid + BCE and softmax + CCE)."""
    L, act, y = len(s.net.W), s.net.act[-1], s.y
    z, a, n = s.fwd.z[-1], s.fwd.a[-1], len(s.y)
    delta = output_delta(act, s.fit, z, a, y)      # BP1, as deltas has it
    if (act.name, s.fit.name) in _FORMULAS and act == get_activation(
            act.name) and s.fit == get_loss(s.fit.name):  # BP1 simplified
        what, formula, eq = _FORMULAS[act.name, s.fit.name]
        rows = [[f"δ{L}[{j}] = " + eq.format(
            l=L, j=j, a=_p(a[j]), y=_p(y[j]), n=n, s=_n(total(y)))
            + f" = {_n(delta[j])}"] for j in range(n)]
        return (f"Layer {L}, output, {what}", formula), _BY_NEURON, rows
    g = s.fit.grad(a, y)                           # dL/da_j
    formula, numbers = _FORMULAS.get(s.fit.name, ("", "", "", "", ""))[3:]
    rows = [[f"∂L/∂a{L}[{j}] = " + (
        f"{formula.format(l=L, j=j)} = "
        f"{numbers.format(a=_p(a[j]), y=_p(y[j]), n=n)} = " if formula
        else "") + _n(g[j])] for j in range(n)]
    return (_caption(f"Layer {L}, output", act), _BY_NEURON,
            _chain(rows, L, act, z, a, g, delta, lambda k: f"∂L/∂a{L}[{k}]"))


def _hidden_group(s: _Step, l: int) -> tuple:
    """BP2 for hidden layer l, from the old weights of layer l + 1."""
    z, a, act = s.fwd.z[l - 1], s.fwd.a[l], s.net.act[l - 1]
    W_next, delta_next = s.net.W[l], s.deltas[l]
    rows, g = [], []
    for k in range(len(z)):
        col = [W_next[j][k] for j in range(len(W_next))]
        g.append(dot(col, delta_next))      # as Network.deltas adds it
        rows.append([f"Σ_j W{l + 1}[j][{k}]·δ{l + 1}[j] = "
                     f"{_terms(zip(col, delta_next))} = {_n(g[k])}"])
    where = f"Layer {l}, hidden, with layer {l + 1}'s old weights"
    return (_caption(where, act), _BY_NEURON, _chain(
        rows, l, act, z, a, g, s.deltas[l - 1],
        lambda k: f"(Σ_j W{l + 1}[j][{k}]·δ{l + 1}[j])"))


def _caption(where: str, act: Activation) -> tuple[str, str]:
    """Return (label, formula) for a layer's group of deltas."""
    formula = _FORMULAS.get(act.name, ("",))[0]
    if act.prime is None:                   # softmax
        return f"{where}, softmax, with g[k] each neuron's first", formula
    return f"{where}, {act.name}", formula and f"f'(z) = {formula}"


def _chain(rows: list[list[str]], l: int, act: Activation, z: list[float],
           a: list[float], g: list[float], delta: list[float],
           gname) -> list[list[str]]:
    """Follow each neuron's g (rows, gname(k) names g_k) by f'(z) and
    delta = g f'(z); return one equation a row. Softmax is not elementwise:
    delta_k = a_k (g_k - sum_i g_i a_i)."""
    if act.prime is None:                   # softmax
        ga = dot(g, a)                      # as softmax_backward adds it
        for k, row in enumerate(rows):
            row.append(f"Σ_i g[i]·a{l}[i] = {_terms(zip(g, a))} = {_n(ga)}")
            row.append(f"δ{l}[{k}] = a{l}[{k}]×(g[{k}] - Σ_i g[i]·a{l}[i])"
                       f" = {_p(a[k])}×({_p(g[k])} - {_p(ga)}) = "
                       f"{_n(delta[k])}")
        return [[eq] for row in rows for eq in row]
    f_prime = derivatives(act, z, a)        # f'(z_k), from z or from a
    formula, how = _FORMULAS.get(act.name, ("", ""))
    for k, row in enumerate(rows):
        mid = "" if not how else (
            f"{formula.replace('a', f'a{l}[{k}]')} = "
            f"{how.format(a=_p(a[k]))} = ")
        row.append(f"f'(z{l}[{k}]) = {mid}{_n(f_prime[k])}")
        row.append(f"δ{l}[{k}] = {gname(k)}·f'(z{l}[{k}]) = "
                   f"{_p(g[k])}×{_p(f_prime[k])} = {_n(delta[k])}")
    return [[eq] for row in rows for eq in row]


# === Rendering: plain text, or Markdown with LaTeX =========================

_INDEXING = ("Names as in the code: layer l has W[l-1], b[l-1], z[l-1], "
             "δ[l-1] and output a[l]; a[0] = x. W[l-1][j][k] links neuron k "
             "of layer l-1 to neuron j of layer l (the math's w^l_jk).")
_INDEXING_MD = (r"$w^l_{jk}$ links neuron $k$ of layer $l-1$ to neuron $j$ "
                r"of layer $l$ (`net.W[l-1][j][k]`); $z^l$, $\delta^l$, $a^l$"
                " are `fwd.z[l-1]`, `deltas[l-1]`, `fwd.a[l]` ($a^0 = x$).")


def _text(parts) -> str:
    (title, sample), sections, footer = parts
    lines = [title, _code(sample), *textwrap.wrap(_INDEXING, 79)]
    for name, formulas, groups in sections:
        lines += ["", f"== {name} ==", *map(_code, formulas)]
        for (label, formula), _, rows in groups:
            if label:
                lines.append(f"{label}: {formula}" if formula else label)
            lines += ["  " + _code(eq) for row in rows for eq in row]
    lines += ["", *(ln for par in footer for ln in textwrap.wrap(par, 79))]
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
            out += ["", "| " + " | ".join(heads) + " |",
                    "|" + " --- |" * len(heads)]
            out += ["| " + " | ".join(f"${_tex(eq)}$" for eq in row) + " |"
                    for row in rows]
    return "\n".join(out + [""] + [" ".join(footer)]) + "\n"


# a symbol: base letter, optional layer (digits, L, l or (l+1)), indices
_SYMBOL = re.compile(r"(?<![A-Za-z])([zaWbδyg])(\d+|L|l|\(l\+1\))?"
                     r"((?:\[[0-9a-z]+\])*)(?![A-Za-z])")
# a name of 2+ letters, whole (relu not inside leaky_relu): a function, aL...
_NAME = re.compile(r"(?<![A-Za-z_])[A-Za-z][A-Za-z_]*[A-Za-z](?![A-Za-z_])")
_NAMES = {"sigmoid": r"\sigma", "tanh": r"\tanh", "log": r"\log\,",
          "relu": r"\operatorname{relu}", "identity": r"\operatorname{id}",
          # \text: latex2mathml garbles an \operatorname that holds \_
          "leaky_relu": r"\text{leaky_relu}",
          "softmax": r"\operatorname{softmax}"}
# dL/d of a letter, of \delta or of a braced symbol such as {a^{2}_{0}}
_PARTIAL = re.compile(r"∂L/∂(\\delta|[A-Za-z]|\{(?:[^{}]|\{[^{}]*\})*\})")
_SIGNS = [("×", r" \times "), ("·", r" \cdot "), ("²", "^2"),
          ("½", r"\frac{1}{2}"), ("←", r" \leftarrow "), ("η", r"\eta"),
          ("Σ", r"\sum "), (",  ", r",\quad ")]
_EXPONENT = re.compile(r"(\d)e([-+])0*(\d+)")       # 1.5e-05


def _name(m) -> str:
    word = m.group()
    if word in _NAMES:
        return _NAMES[word]
    return word if _SYMBOL.fullmatch(word) else rf"\text{{ {word} }}"


def _symbol(m) -> str:
    """W2[0][1] -> w^{2}_{01} (a weight is a lowercase w), z2 -> z^{2}."""
    base, layer, idx = m.groups()
    tex = {"δ": r"\delta", "W": "w" if idx else "W"}.get(base, base)
    if layer:
        tex += f"^{{{layer.strip('()')}}}"
    if idx:
        ids = idx[1:-1].split("][")
        tex += f"_{{{('' if max(map(len, ids)) == 1 else ',').join(ids)}}}"
    return f"{{{tex}}}" if layer or idx else tex   # so that x^2 works


# the code's index of layer l: l-1, except fwd.a[l] (a[0] is the input x)
_CODE_LAYER = {"L": ("-1", "-1"), "l": ("l-1", "l"), "(l+1)": ("l", "l+1")}


def _code(eq: str) -> str:
    """Return one equation with its symbols named as in the code: z2[0] ->
    z[1][0], a2[0] -> a[2][0], δL -> δ[-1]."""
    def name(m) -> str:
        base, layer, idx = m.groups()
        a = base == "a"
        i = (_CODE_LAYER[layer][a] if layer in _CODE_LAYER
             else int(layer) - 1 + a)
        return f"{base}[{i}]{idx}"
    return _SYMBOL.sub(lambda m: name(m) if m.group(2) else m.group(), eq)


def _tex(eq: str) -> str:
    """Return the LaTeX for one equation written in the text notation:
    plain ASCII, words in \\text, 1.5e-05 as 1.5 \\times 10^{-5}."""
    eq = _NAME.sub(_name, eq)
    eq = _SYMBOL.sub(_symbol, eq)
    eq = _PARTIAL.sub(r"\\frac{\\partial L}{\\partial \1}", eq)
    for old, new in _SIGNS:
        eq = eq.replace(old, new)
    return _EXPONENT.sub(lambda m: rf"{m.group(1)} \times 10^{{"
                         rf"{m.group(2).strip('+')}{m.group(3)}}}", eq)
