"""Tests for backprop.explain: the worked example, number by number.

Independent sources: Matt Mazur's published numbers for his 2-2-2 example
("A Step by Step Backpropagation Example", 2015), the arithmetic of each
printed line redone from its own terms, and central differences computed
here for the gradients of other networks.
"""
from __future__ import annotations

import copy
import re

import pytest

from backprop.activations import Activation, sigmoid, sigmoid_prime
from backprop.errors import BackpropError, ShapeError
from backprop.explain import (
    DEFAULT_ETA,
    DEFAULT_X,
    DEFAULT_Y,
    default_example,
    default_network,
    explain,
)
from backprop.losses import Loss, get_loss, mse, mse_grad
from backprop.network import Network

# Mazur's published values (9 digits); the output shows 6 significant ones
# under the code's names: layer l is net.W[l-1], its output fwd.a[l]
MAZUR = {
    "a[1][0]": 0.593269992, "a[1][1]": 0.596884378,
    "a[2][0]": 0.75136507, "a[2][1]": 0.772928465,
    "L": 0.298371109,
    "∂L/∂W[1][0][0]": 0.082167041,
    # updated weights w5..w8 and w1..w4
    "W[1][0][0]": 0.35891648, "W[1][0][1]": 0.408666186,
    "W[1][1][0]": 0.511301270, "W[1][1][1]": 0.561370121,
    "W[0][0][0]": 0.149780716, "W[0][0][1]": 0.19956143,
    "W[0][1][0]": 0.24975114, "W[0][1][1]": 0.29950229,
}
NUMBER = r"\(?(-?\d+(?:\.\d*)?(?:e[-+]\d+)?)\)?"


def _value(text: str, lhs: str) -> float:
    """The number after the last '=' of the (indented) equation for lhs."""
    for line in text.splitlines():
        if not line.startswith("  "):
            continue                    # a section's formula, or prose
        s = line.strip()
        if s.startswith(lhs + " =") or s.startswith(lhs + " ←"):
            return float(s.rsplit("= ", 1)[1])
    raise AssertionError(f"no line for {lhs}")


def _close(shown: float, exact: float) -> bool:
    """shown is exact printed to 6 significant digits."""
    return abs(shown - exact) <= 5e-6 * abs(exact) + 1e-300


def test_mazur_published_numbers_appear():
    text = default_example()
    for name, exact in MAZUR.items():
        shown = _value(text, name)
        assert _close(shown, exact), (name, shown, exact)
        assert f"{exact:.6g}" in text


def test_mazur_lines_read_like_the_textbook():
    text = default_example()
    assert "z[0][0] = 0.15×0.05 + 0.2×0.1 + 0.35 = 0.3775" in text
    assert "W[1][0][0] ← 0.4 - 0.5×0.082167 = 0.358916" in text
    assert "with layer 2's old weights" in text   # Mazur: the old weights
    assert "biases are updated" in text        # ... but he keeps b fixed
    assert text == explain(default_network(), DEFAULT_X, DEFAULT_Y,
                           eta=DEFAULT_ETA)


def _results(lines):
    """The value after the last '= ' of each equation."""
    return [float(eq.rsplit("= ", 1)[1].rstrip("$ |")) for eq in lines]


def test_markdown_has_latex_and_the_same_numbers():
    text, md = default_example(), default_example(markdown=True)
    assert "$$" in md and r"\frac{\partial L}" in md and r"\times" in md
    assert r"\delta^{1}_{0}" in md and r"\sigma(" in md
    # the math's names: w^l_jk for net.W[l-1][j][k], a^l for fwd.a[l]
    assert r"{w^{1}_{01}} \leftarrow 0.2 - " in md.replace("  ", " ")
    assert r"{a^{1}_{0}} = \sigma(0.3775)" in md
    text_eqs = [ln.strip() for ln in text.splitlines()
                if ln.startswith("  ")]
    lines = md.splitlines() + [""]
    # table rows, less the separators and the headings just above them
    body = [ln for ln, below in zip(lines, lines[1:])
            if ln.startswith("| ") and not ln.startswith("| ---")
            and not below.startswith("| ---")]
    md_eqs = [cell for ln in body for cell in ln.strip("| ").split(" | ")]
    assert len(text_eqs) == len(md_eqs) == 45
    assert _results(text_eqs) == _results(md_eqs)
    assert "0.298371" in md and "0.149781" in md
    assert "biases are updated" in md


def test_network_is_unchanged():
    net = default_network()
    W, b = copy.deepcopy(net.W), copy.deepcopy(net.b)
    explain(net, DEFAULT_X, DEFAULT_Y, eta=0.5)
    explain(net, DEFAULT_X, DEFAULT_Y, eta=0.5, markdown=True)
    assert net.W == W and net.b == b


NETS = [
    (Network([3, 4, 2], ["tanh", "sigmoid"], seed=1), "mse"),
    (Network([2, 3, 1], ["leaky_relu", "sigmoid"], seed=2),
     "binary_cross_entropy"),
    (Network([2, 3, 3], ["sigmoid", "softmax"], seed=3),
     "categorical_cross_entropy"),
    (Network([2, 3, 3], ["tanh", "softmax"], seed=4), "mse"),
    (Network([2, 2, 2, 1], ["softmax", "tanh", "identity"], seed=5,
             bias=False), "half_sse"),
]


def _sample(net):
    x = [0.3, -0.7, 0.5][:net.sizes[0]]
    y = [0.0] * net.sizes[-1]
    y[-1] = 1.0
    return x, y


def _all_texts():
    yield default_example()
    for net, loss in NETS:
        x, y = _sample(net)
        yield explain(net, x, y, eta=0.1, loss=loss)


def _parse_terms(expr):
    """'0.15×0.05 + (-0.2)×0.1 + 0.35' -> [[0.15, 0.05], [-0.2, 0.1],
    [0.35]]"""
    return [[float(f.strip("()")) for f in term.split("×")]
            for term in expr.split(" + ")]


def test_every_z_line_adds_up():
    pattern = re.compile(r"^  z\[\d+\]\[\d+\] = (.*) = " + NUMBER + "$")
    checked = 0
    for text in _all_texts():
        for line in text.splitlines():
            m = pattern.match(line)
            if not m:
                continue
            terms = _parse_terms(m.group(1))
            z = sum(t[0] * t[1] if len(t) == 2 else t[0] for t in terms)
            # each printed factor is off by up to 5e-6 of itself
            slack = sum(5e-6 * 2 * abs(t[0] * (t[1] if len(t) == 2 else 1))
                        for t in terms)
            stated = float(m.group(2))
            assert abs(z - stated) <= slack + 5e-6 * abs(stated), line
            checked += 1
    assert checked == 4 + 6 + 4 + 6 + 6 + 5


def test_every_product_and_update_line_adds_up():
    product = re.compile(NUMBER + "×" + NUMBER + " = " + NUMBER + "$")
    update = re.compile(r"← " + NUMBER + " - " + NUMBER + "×" + NUMBER
                        + " = " + NUMBER + "$")
    n_products = n_updates = 0
    for text in _all_texts():
        for line in text.splitlines():
            m = update.search(line)
            if m:
                w, eta, g, new = map(float, m.groups())
                slack = 5e-6 * (abs(w) + abs(eta * g) + abs(new))
                assert abs(w - eta * g - new) <= slack, line
                n_updates += 1
            elif product.search(line) and " + " not in line:
                A, B, C = map(float, product.search(line).groups())
                assert abs(A * B - C) <= 1.5e-5 * abs(A * B) + 1e-12, line
                n_products += 1
    assert n_updates == 12 + 26 + 13 + 21 + 21 + 10
    assert n_products > 100


def _numeric_gradient(net, x, y, loss, row, k, h=1e-6):
    f = get_loss(loss).f
    w = row[k]
    row[k] = w + h
    up = f(net.forward(x).a[-1], y)
    row[k] = w - h
    down = f(net.forward(x).a[-1], y)
    row[k] = w
    return (up - down) / (2 * h)


@pytest.mark.parametrize("net, loss", NETS)
def test_gradients_match_central_differences(net, loss):
    x, y = _sample(net)
    text = explain(net, x, y, eta=0.1, loss=loss)
    L = len(net.W)
    for l in range(L):
        for j, row in enumerate(net.W[l]):
            for k in range(len(row)):
                shown = _value(text, f"∂L/∂W[{l}][{j}][{k}]")
                n = _numeric_gradient(net, x, y, loss, row, k)
                assert abs(shown - n) <= 5e-6 * abs(n) + 1e-9
        if net.b is not None:
            for j in range(len(net.b[l])):
                shown = _value(text, f"∂L/∂b[{l}][{j}]")
                n = _numeric_gradient(net, x, y, loss, net.b[l], j)
                assert abs(shown - n) <= 5e-6 * abs(n) + 1e-9
    assert _close(_value(text, "L"), get_loss(loss).f(
        net.forward(x).a[-1], y))


# === One index scheme: the printed names are the code's ==================
# layer l (1..L) is at index l-1 in net.W, net.b, fwd.z, deltas, grads; the
# one list that starts with the input is fwd.a: fwd.a[0] = x, fwd.a[l] = a^l

NAME = re.compile(r"^  (∂L/∂)?([zaδWb])((?:\[-?\d+\])+) [=←] .* = "
                  + NUMBER + "$")


def _listed(net, x, y, loss, eta):
    """Each printed symbol -> the code's list it is read from."""
    fit = get_loss(loss)
    fwd = net.forward(x)
    grads = net.backward(fwd, y, fit)
    new = copy.deepcopy(net)
    for W, dW in zip(new.W, grads.dW):          # one step of plain GD
        for row, g_row in zip(W, dW):
            row[:] = [w - eta * g for w, g in zip(row, g_row)]
    for b, db in zip(new.b or [], grads.db or []):
        b[:] = [v - eta * g for v, g in zip(b, db)]
    dLda = [None] * len(net.W) + [fit.grad(fwd.a[-1], y)]   # at a[L]
    return {("", "z"): fwd.z, ("", "a"): fwd.a, ("∂L/∂", "a"): dLda,
            ("", "δ"): net.deltas(fwd, y, fit), ("∂L/∂", "W"): grads.dW,
            ("∂L/∂", "b"): grads.db, ("", "W"): new.W, ("", "b"): new.b}


def test_every_printed_name_is_the_codes_index():
    seen = set()
    cases = [(default_network(), DEFAULT_X, DEFAULT_Y, "half_sse",
              DEFAULT_ETA)] + [(net, *_sample(net), loss, 0.1)
                               for net, loss in NETS]
    for net, x, y, loss, eta in cases:
        text = explain(net, x, y, eta=eta, loss=loss)
        lists = _listed(net, x, y, loss, eta)
        for line in text.splitlines():
            m = NAME.match(line)
            if not m:
                continue
            partial, base, idx, shown = m.groups()
            value = lists[partial or "", base]
            for i in map(int, idx[1:-1].split("][")):
                value = value[i]
            assert _close(float(shown), value), line
            seen.add((partial or "", base, idx.count("[")))
    assert seen == {("", "z", 2), ("", "a", 2), ("", "δ", 2),
                    ("∂L/∂", "a", 2),
                    ("∂L/∂", "W", 3), ("∂L/∂", "b", 2), ("", "W", 3),
                    ("", "b", 2)}


def test_explain_and_gradcheck_name_each_weight_alike():
    # gradcheck's rows (its own names, central differences) against the
    # text explain prints under the same names
    from backprop.gradcheck import gradcheck
    net, loss = NETS[0]
    x, y = _sample(net)
    text = explain(net, x, y, eta=0.1, loss=loss)
    rows = gradcheck(net, x, y, loss=loss).rows
    assert [r.name for r in rows][:2] == ["W[0][0][0]", "W[0][0][1]"]
    for r in rows:
        shown = _value(text, "∂L/∂" + r.name)
        assert abs(shown - r.numeric) <= 5e-6 * abs(r.numeric) + 1e-9, r


def test_branches_are_written_out():
    texts = list(_all_texts())
    assert "δ[1][0] = (a[2][0] - y[0])/n" in texts[2]   # sigmoid + BCE
    assert "δ[1][0] = a[2][0]×Σy - y[0]" in texts[3]    # softmax + CCE
    assert "Σ_i g[i]·a[2][i]" in texts[4]               # softmax + mse
    assert "b[0][0]" not in texts[5] and "biases are" not in texts[5]
    assert "f'(z[0][0]) = 1 - a[1][0]² = " in texts[1]  # tanh


def test_bad_input_says_what_is_wrong():
    net = default_network()
    with pytest.raises(ShapeError, match=r"^explain: x must be a list of 2"):
        explain(net, [1.0], DEFAULT_Y, eta=0.5)
    with pytest.raises(ShapeError, match=r"^explain: y must"):
        explain(net, DEFAULT_X, [1.0, 2.0, 3.0], eta=0.5)
    with pytest.raises(BackpropError, match=r"^explain: eta must be a "
                       "positive finite number, got 0"):
        explain(net, DEFAULT_X, DEFAULT_Y, eta=0)
    with pytest.raises(TypeError, match=r"^explain: eta must be a number"):
        explain(net, DEFAULT_X, DEFAULT_Y, eta="0.5")
    with pytest.raises(TypeError, match=r"^explain: x\[1\] must be a num"):
        explain(net, [0.1, None], DEFAULT_Y, eta=0.5)
    with pytest.raises(BackpropError, match="unknown loss"):
        explain(net, DEFAULT_X, DEFAULT_Y, eta=0.5, loss="l1")


def test_a_loss_and_activation_of_your_own_show_their_numbers():
    # no formula to write for them, but every number is still there
    swish = Activation("swish", lambda z: z * sigmoid(z),
                       lambda z: sigmoid(z) + z * sigmoid_prime(z), "z")
    net = Network.from_weights([[[0.5, -0.5], [0.1, 0.2]], [[1.0, 2.0]]],
                               [[0.0, 0.1], [0.2]], [swish, "sigmoid"])
    mine = Loss("my_mse", mse, mse_grad)
    x, y = [1.0, 2.0], [1.0]
    text = explain(net, x, y, eta=0.5, loss=mine)
    fwd = net.forward(x)
    assert f"  L = my_mse(a[2], y) = {mse(fwd.a[-1], y):.6g}\n" in text
    dLda = mse_grad(fwd.a[-1], y)[0]
    assert f"  ∂L/∂a[2][0] = {dLda:.6g}\n" in text
    assert "Layer 1, hidden, with layer 2's old weights, swish\n" in text
    fprime = sigmoid(-0.5) + -0.5 * sigmoid_prime(-0.5)
    assert f"  f'(z[0][0]) = {fprime:.6g}\n" in text
    for j, row in enumerate(net.W[0]):
        for k in range(len(row)):
            shown = _value(text, f"∂L/∂W[0][{j}][{k}]")
            n = _numeric_gradient(net, x, y, mine, row, k)
            assert abs(shown - n) <= 5e-6 * abs(n) + 1e-9
    md = explain(net, x, y, eta=0.5, loss=mine, markdown=True)
    assert r"L = \text{ my_mse }({a^{2}}, y)" in md


# === Markdown: every formula is LaTeX that the site can render ============
# The rule: inside $...$ and $$...$$ the Markdown is plain ASCII LaTeX
# (so no raw ∂, δ, ×, ·, Σ, ², ½, ←, η is left for the reader), names of
# two or more letters are commands (\sigma, \log, \operatorname{relu})
# or \text{...}, never a run of italic letters, and latex2mathml (which
# renders the site's math, docs/_hooks/backprop_docs.py) converts each.

MD_NETS = [
    (Network([2, 3, 1], ["relu", "sigmoid"], seed=6),
     "binary_cross_entropy"),
    (Network([2, 3, 2], ["leaky_relu", "softmax"], seed=2),
     "categorical_cross_entropy"),
    (Network([2, 2, 1], ["tanh", "identity"], seed=7), "mse"),
    (Network([2, 3, 3], ["tanh", "softmax"], seed=4), "half_sse"),
] + NETS
MD_IDS = ["relu", "leaky_relu", "identity", "tanh-softmax", "tanh",
          "leaky_relu-bce", "softmax-cce", "softmax-mse", "no-bias"]


def _markdowns():
    yield "default", default_example(markdown=True)
    for name, (net, loss) in zip(MD_IDS, MD_NETS):
        x, y = _sample(net)
        yield name, explain(net, x, y, eta=0.1, loss=loss, markdown=True)


MARKDOWNS = dict(_markdowns())
DISPLAY = re.compile(r"^\$\$\n(.*?)\n\$\$$", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"\$([^$\n]+)\$")


def _split(md):
    """Return (math segments, the Markdown outside them)."""
    display = DISPLAY.findall(md)
    rest = DISPLAY.sub("", md)
    return display + INLINE.findall(rest), INLINE.sub("", rest)


def test_markdown_networks_cover_the_activations():
    acts = {a for net, _ in MD_NETS for a in net.activations}
    assert acts == {"sigmoid", "tanh", "relu", "leaky_relu", "identity",
                    "softmax"}
    relu = MD_NETS[0][0]
    zs = relu.forward(_sample(relu)[0]).z[0]
    assert min(zs) < 0 < max(zs)        # both branches of relu'


@pytest.mark.parametrize("name", MARKDOWNS)
def test_markdown_math_is_ascii_latex_and_text_has_no_latex(name):
    math_, text = _split(MARKDOWNS[name])
    assert len(math_) > 20
    for tex in math_:
        assert tex.isascii(), tex
        # two or more letters in a row only as a command, in \text or as
        # the indices of a subscript (w_{jk}: one letter each)
        bare = re.sub(r"\\text\{[^}]*\}|\\operatorname\{[^}]*\}|"
                      r"\\[A-Za-z]+|_\{[a-z0-9]+\}", "", tex)
        assert not re.search(r"[A-Za-z]{2,}", bare), tex
        assert not re.search(r"\de[-+]?\d", tex), tex
    assert "$" not in text and "\\" not in text


@pytest.mark.parametrize("name", MARKDOWNS)
def test_markdown_math_converts_with_latex2mathml(name):
    convert = pytest.importorskip("latex2mathml.converter").convert
    math_, _ = _split(MARKDOWNS[name])
    for tex in math_:
        mathml = convert(tex)
        # an unknown command comes through as text, e.g. <mi>\foo</mi>
        assert "\\" not in mathml, tex
        assert "\u2202" not in tex


def test_markdown_writes_the_activations_names():
    md = MARKDOWNS
    assert r"\operatorname{relu}(" in md["relu"]
    assert "leaky_" not in md["relu"].replace(r"\text{leaky_relu}", "")
    assert r"f'(z) = 1 \text{ if } z > 0, \text{ else } 0$" in md["relu"]
    for name in ("leaky_relu", "leaky_relu-bce"):
        assert r"\text{leaky_relu}(" in md[name]
        assert "leaky_\\operatorname" not in md[name]
        assert r"f'(z) = 1 \text{ if } z > 0, \text{ else } 0.01$" in \
            md[name]
    assert r"\operatorname{id}(" in md["identity"]
    assert r"\tanh(" in md["tanh"] and r"f'(z) = 1 - a^2$" in md["tanh"]
    assert r"\operatorname{softmax}({z^{2}})[0]" in md["tanh-softmax"]
    assert r"\log\, {a^{2}_{j}}" in md["softmax-cce"]


def test_markdown_writes_every_partial_derivative_as_a_fraction():
    md = MARKDOWNS["default"]
    assert "∂" not in md
    assert (r"$\frac{\partial L}{\partial {a^{2}_{0}}} = {a^{2}_{0}}"
            r" - {y_{0}} = 0.751365 - 0.01 = 0.741365$") in md
    assert (r"{\delta^{L}} = \frac{\partial L}{\partial {a^{L}}} "
            r"\cdot f'({z^{L}})") in md
    assert r"\frac{\partial L}{\partial {w^{2}_{00}}} = " in md
    # section formulas 1 + 1 + 3, dL/da twice for each output neuron,
    # 8 dW and 4 db
    assert md.count(r"\frac{\partial L}") == 1 + 1 + 3 + 2 * 2 + 12


def _md_number(s):
    """A result as the Markdown shows it: 0.5, (-0.5), 1.5 \\times 10^{-5}"""
    m = re.fullmatch(r"(-?[\d.]+) \\times 10\^\{(-?\d+)\}", s)
    return float(f"{m.group(1)}e{m.group(2)}" if m else s)


@pytest.mark.parametrize("k", range(len(MD_NETS)))
def test_markdown_has_the_numbers_of_the_text(k):
    net, loss = MD_NETS[k]
    x, y = _sample(net)
    text = explain(net, x, y, eta=0.1, loss=loss)
    md = MARKDOWNS[MD_IDS[k]]
    text_eqs = [ln.strip() for ln in text.splitlines()
                if ln.startswith("  ")]
    lines = md.splitlines() + [""]
    md_eqs = [cell.strip("$") for ln, below in zip(lines, lines[1:])
              if ln.startswith("| ") and not ln.startswith("| ---")
              and not below.startswith("| ---")
              for cell in ln.strip("| ").split(" | ")]
    assert len(md_eqs) == len(text_eqs)
    for t, m in zip(text_eqs, md_eqs):
        shown = _md_number(m.rsplit("= ", 1)[1])
        assert shown == float(t.rsplit("= ", 1)[1]), (t, m)


def test_markdown_writes_powers_of_ten():
    md = MARKDOWNS["leaky_relu"]
    assert "= -6.17767e-05" in explain(MD_NETS[1][0], *_sample(
        MD_NETS[1][0]), eta=0.1, loss=MD_NETS[1][1])
    assert r"= -6.17767 \times 10^{-5}$" in md


def test_a_dead_relu_gives_0_not_minus_0():
    # -0.44 x 0 is -0.0 in floating point; the reader should see 0
    net, loss = MD_NETS[0]
    x, y = _sample(net)
    text = explain(net, x, y, eta=0.1, loss=loss)
    assert "×0 = 0\n" in text
    assert not re.search(r"(?<![\d.])-0(?![.\d])", text)
    assert not re.search(r"(?<![\d.])-0(?![.\d])", MARKDOWNS["relu"])
