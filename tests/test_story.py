"""Seed 003's story, tutorial pages 8-10: the claims too slow for a page.

Pages: tutorial/08-softmax.md (softmax and the categorical cross-entropy
on three spirals, predictions on a held-out split),
tutorial/09-overfitting.md (train/validation curves, L2 and early
stopping) and tutorial/10-optimizers.md (gradient descent, momentum,
Adagrad and Adam on the deep sigmoid network of the vanishing-gradients
guide).

Every number those pages state is printed by a ``>>>`` example on the
page (tests/test_docs_examples.py runs them), except the learning-rate
grid of page 10, which takes too long for a page and is asserted here.
The tests below also check the pages' shape: the learner's boxes at the
top, two or three exercises with collapsible solutions that run, and
their place in the navigation.
"""
import re
from pathlib import Path

import pytest

from backprop import Momentum, Network, train
from backprop.datasets import accuracy, two_moons

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial"
PAGES = ["08-softmax.md", "09-overfitting.md", "10-optimizers.md"]


# === Page 10: no learning rate rescues gradient descent or momentum ===

def deep_sigmoid_run(optimizer, eta):
    """Page 10's race, one optimizer: return the accuracy after 100
    epochs of mini-batches of 8 on 64 points of two_moons."""
    X, labels = two_moons(64, seed=0)
    y = [[float(k)] for k in labels]
    net = Network([2] + [16] * 7 + [1], "sigmoid", init="xavier", seed=0)
    train(net, X, y, epochs=100, eta=eta, batch_size=8, shuffle=True,
          seed=0, loss="binary_cross_entropy", optimizer=optimizer)
    return accuracy(net.predict(X), labels)


# The page runs eta = 0.1 for both; these are the rest of its grid.
@pytest.mark.parametrize("eta", [0.001, 0.01, 1.0, 10.0])
@pytest.mark.parametrize("name", ["gd", "momentum"])
def test_page10_no_eta_gets_gd_or_momentum_off_a_coin_toss(name, eta):
    # "on the grid 0.001, 0.01, 0.1, 1, 10, no learning rate gets
    # gradient descent or momentum off 50% within these 100 epochs"
    optimizer = Momentum() if name == "momentum" else "gd"
    assert deep_sigmoid_run(optimizer, eta) == 0.5


def test_page10_grid_is_the_one_the_page_names():
    text = (TUTORIAL / "10-optimizers.md").read_text(encoding="utf-8")
    assert "grid 0.001, 0.01, 0.1, 1, 10, no learning rate" in " ".join(
        text.split())


# === The pages' shape ===

def solution_blocks(text):
    """Return the body of each '??? success "Solution"' box."""
    boxes = re.split(r'^\?\?\? success "Solution"\n', text, flags=re.M)
    out = []
    for box in boxes[1:]:
        body = []
        for line in box.splitlines():
            if line and not line.startswith("    "):
                break
            body.append(line)
        out.append("\n".join(body))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_page_opens_with_what_you_learn_and_need(page):
    text = (TUTORIAL / page).read_text(encoding="utf-8")
    head = text[:3000]
    assert '!!! abstract "What you will learn"' in head
    assert '!!! info "What you need"' in head


@pytest.mark.parametrize("page", PAGES)
def test_page_ends_with_exercises_whose_solutions_run(page):
    text = (TUTORIAL / page).read_text(encoding="utf-8")
    exercises = text.split("## Exercises", 1)[1]
    solutions = solution_blocks(exercises)
    assert 2 <= len(solutions) <= 3
    for body in solutions:   # a pycon block: test_docs_examples runs it
        assert "    ```pycon" in body and "    >>> " in body


@pytest.mark.parametrize("page", PAGES)
def test_page_is_in_the_nav_after_page_7(page):
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert nav.index("tutorial/07-batch-vs-sgd.md") < nav.index(
        f"tutorial/{page}")


def test_public_sources_are_linked():
    text = {p: (TUTORIAL / p).read_text(encoding="utf-8") for p in PAGES}
    nielsen3 = "http://neuralnetworksanddeeplearning.com/chap3.html"
    assert nielsen3 in text["09-overfitting.md"]
    assert "https://cs231n.github.io/neural-networks-3/" in text[
        "10-optimizers.md"]
