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

from backprop.errors import BackpropError, ShapeError
from backprop.explain import (
    DEFAULT_ETA, DEFAULT_X, DEFAULT_Y, default_example, default_network,
    explain,
)
from backprop.losses import get_loss
from backprop.network import Network

# Mazur's published values (9 digits); the output shows 6 significant ones
MAZUR = {
    "a1[0]": 0.593269992, "a1[1]": 0.596884378,
    "a2[0]": 0.75136507, "a2[1]": 0.772928465,
    "L": 0.298371109,
    "∂L/∂W2[0][0]": 0.082167041,
    # updated weights w5..w8 and w1..w4
    "W2[0][0]": 0.35891648, "W2[0][1]": 0.408666186,
    "W2[1][0]": 0.511301270, "W2[1][1]": 0.561370121,
    "W1[0][0]": 0.149780716, "W1[0][1]": 0.19956143,
    "W1[1][0]": 0.24975114, "W1[1][1]": 0.29950229,
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
    assert "z1[0] = 0.15×0.05 + 0.2×0.1 + 0.35 = 0.3775" in text
    assert "W2[0][0] ← 0.4 - 0.5×0.082167 = 0.358916" in text
    assert "with the old W2" in text          # Mazur: use the old weights
    assert "biases are updated" in text        # ... but he keeps b fixed
    assert text == explain(default_network(), DEFAULT_X, DEFAULT_Y,
                           eta=DEFAULT_ETA)


def _results(lines):
    """The value after the last '= ' of each equation."""
    return [float(eq.rsplit("= ", 1)[1].rstrip("$ |")) for eq in lines]


def test_markdown_has_latex_and_the_same_numbers():
    text, md = default_example(), default_example(markdown=True)
    assert "$$" in md and r"\frac{\partial L}" in md and r"\times" in md
    assert r"\delta^{(1)}_{0}" in md and r"\sigma(" in md
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
    pattern = re.compile(r"^  z\d+\[\d+\] = (.*) = " + NUMBER + "$")
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
                shown = _value(text, f"∂L/∂W{l + 1}[{j}][{k}]")
                n = _numeric_gradient(net, x, y, loss, row, k)
                assert abs(shown - n) <= 5e-6 * abs(n) + 1e-9
        if net.b is not None:
            for j in range(len(net.b[l])):
                shown = _value(text, f"∂L/∂b{l + 1}[{j}]")
                n = _numeric_gradient(net, x, y, loss, net.b[l], j)
                assert abs(shown - n) <= 5e-6 * abs(n) + 1e-9
    assert _close(_value(text, "L"), get_loss(loss).f(
        net.forward(x).a[-1], y))


def test_branches_are_written_out():
    texts = list(_all_texts())
    assert "δ2[0] = (a2[0] - y[0])/n" in texts[2]       # sigmoid + BCE
    assert "δ2[0] = a2[0]×Σy - y[0]" in texts[3]        # softmax + CCE
    assert "Σ_i g[i]·a2[i]" in texts[4]                 # softmax + mse
    assert "b1[0]" not in texts[5] and "biases are" not in texts[5]
    assert "f'(z1[0]) = 1 - a1[0]² = " in texts[1]      # tanh


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
