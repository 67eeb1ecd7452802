"""docs/guides/outgrow.md: the same step in backprop, NumPy and PyTorch.

The page's code blocks are run here as written (each block's first line
names it). backprop's numbers are checked against a hand derivation, the
NumPy block's against backprop's to 1e-12, and, where PyTorch is
installed, the PyTorch block's and a model carried over from a saved
file. PyTorch is never a dependency: those tests skip without it.
"""
import math
import re
from pathlib import Path

import pytest

import backprop as bp

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGE = DOCS / "guides" / "outgrow.md"
BLOCKS = {m.group(2): m.group(1) for m in re.finditer(
    r"```python\n(# (\w[\w ]*)\n.*?)```", PAGE.read_text(encoding="utf-8"),
    re.S)}


def run(*names):
    """Run the page's blocks *names* in one namespace (print silenced)."""
    ns = {"print": lambda *args: None}
    for name in names:
        exec(compile(BLOCKS[name], f"outgrow.md: {name}", "exec"), ns)
    return ns


def flat(rows):
    """A matrix's entries, row after row (pytest.approx takes flat lists)."""
    return [v for row in rows for v in row]


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_the_page_has_its_four_blocks():
    assert set(BLOCKS) == {"backprop", "NumPy", "PyTorch", "carry over"}


def test_backprop_block_against_a_hand_derivation():
    ns = run("backprop")
    # by hand: h = sigma(W1 x + b1), out = sigma(W2 h + b2)
    x = [1.0, 0.5]
    h = [sig(0.5 - 0.25 + 0.1), sig(0.25 + 0.375 - 0.1), sig(-1.0 + 0.25)]
    out = sig(h[0] - h[1] + 0.5 * h[2] + 0.2)
    d2 = (out - 1.0) * out * (1.0 - out)                  # BP1
    assert ns["fwd"].a[-1][0] == pytest.approx(out, abs=1e-15)
    assert ns["grads"].db[1][0] == pytest.approx(d2, abs=1e-15)
    d1 = [w * d2 * a * (1 - a) for w, a in zip([1.0, -1.0, 0.5], h)]
    assert ns["deltas"][0] == pytest.approx(d1, abs=1e-15)
    assert ns["grads"].dW[0][2] == pytest.approx([d1[2] * x[0],
                                                  d1[2] * x[1]], abs=1e-15)
    assert ns["net"].W[1][0] == pytest.approx(
        [w - 0.5 * d2 * a for w, a in zip([1.0, -1.0, 0.5], h)], abs=1e-15)
    # the page's prose quotes these digits
    assert f"{out:.5f}" == "0.57901" and f"{d2:.5f}" == "-0.10262"


def test_numpy_block_computes_what_backprop_computes():
    pytest.importorskip("numpy")
    ns = run("backprop", "NumPy")
    assert float(ns["out"][0]) == pytest.approx(ns["fwd"].a[-1][0],
                                                abs=1e-12)
    for mine, theirs in zip(ns["grads"].dW, ns["dWs"]):
        assert flat(theirs.tolist()) == pytest.approx(flat(mine), abs=1e-12)
    for mine, theirs in zip(ns["deltas"], ns["dbs"]):
        assert theirs.tolist() == pytest.approx(mine, abs=1e-12)
    for mine, theirs in zip(ns["net"].W, ns["Ws"]):
        assert flat(theirs.tolist()) == pytest.approx(flat(mine), abs=1e-12)


def test_pytorch_block_computes_what_backprop_computes():
    pytest.importorskip("torch")
    ns = run("backprop", "PyTorch")
    model = ns["model"]
    assert ns["out"].item() == pytest.approx(ns["fwd"].a[-1][0], abs=1e-12)
    for i, layer in enumerate(model[::2]):
        assert layer.bias.grad.tolist() == pytest.approx(
            ns["grads"].db[i], abs=1e-12)
        assert flat(layer.weight.grad.tolist()) == pytest.approx(
            flat(ns["grads"].dW[i]), abs=1e-12)
        assert flat(layer.weight.tolist()) == pytest.approx(
            flat(ns["net"].W[i]), abs=1e-12)


@pytest.mark.parametrize("acts,bias", [
    (["sigmoid", "sigmoid"], True), (["tanh", "relu", "softmax"], True),
    (["leaky_relu", "identity"], False)])
def test_a_saved_model_carried_over_predicts_the_same(tmp_path, acts, bias):
    torch = pytest.importorskip("torch")
    sizes = [3] + [4] * (len(acts) - 1) + [2]
    net = bp.Network(sizes, acts, seed=4, bias=bias)
    X = [[0.5, -1.0, 2.0], [0.0, 0.25, -0.75]]
    bp.train(net, X, [[1.0, 0.0], [0.0, 1.0]], epochs=3, eta=0.1,
             loss="categorical_cross_entropy" if acts[-1] == "softmax"
             else "mse")
    path = tmp_path / "net.json"
    bp.io.save(net, path)
    model = run("carry over")["to_torch"](str(path))
    with torch.no_grad():
        theirs = model(torch.tensor(X, dtype=torch.float64)).tolist()
    for mine, row in zip(net.predict(X), theirs):
        assert row == pytest.approx(mine, abs=1e-12)
