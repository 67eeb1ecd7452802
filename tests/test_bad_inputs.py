"""Bad input, one table: every row is a test and a row of the docs page.

Each row of CASES is a mistake a learner makes (a ragged matrix, a
learning rate of 0, a truncated model file, ...), the call that makes it,
the exception it must raise and words its message must contain: the
argument's name, what was expected and what was given. Every exception
must be a ValueError (BackpropError and its subclasses) or a TypeError;
a command-line row must print exactly one line on stderr, no traceback,
and exit with status 2.

docs/guides/errors.md ("Common errors and what they mean") is generated
from the same table, with the messages the package really prints, and
test_page_matches_table checks it, so every page row is tested and every
tested row is on the page. After changing the table or a message, run

    python tests/test_bad_inputs.py

to rewrite the page. A row with ``fix`` set documents an error message
that is not yet clear enough: its test is xfail(strict=True), so it
starts failing (and must lose its ``fix``) once the message is fixed.
"""
from __future__ import annotations

import contextlib
import io as _io
import json
import math
import os
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple, Optional, Sequence, Union

import pytest

import backprop
from backprop import (
    Adam,
    BackpropError,
    DivergenceError,
    GradientDescent,
    Momentum,
    Network,
    ShapeError,
    get_activation,
    get_loss,
    get_optimizer,
    mse,
    softmax,
    train,
)
from backprop.cli import main as cli_main
from backprop.datasets import one_hot, train_test_split
from backprop.errors import ModelFileError
from backprop.io import load, save, to_dict
from backprop.matrix import add, dot, matmul, matvec, shape, transpose

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "guides" / "errors.md"
CLI = "exit 2"          # the "raises" of a command-line row


class Case(NamedTuple):
    id: str
    area: str           # the page's section
    what: str           # the mistake, in words
    call: str           # Python code (or `python -m backprop ...`)
    raises: type | str
    words: Sequence[str]
    fix: str | None = None   # what must change; the row is xfail


# === Helpers the calls use =================================================

XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_Y = [[0], [1], [1], [0]]


def net21() -> Network:
    """A 2-1 network with fixed weights."""
    return Network.from_weights([[[0.5, -0.5]]], [[0.0]])


def saved_dict() -> dict:
    """The dict that save writes for net21()."""
    return to_dict(net21())


def model_file(content: str | dict, name: str = "model.json") -> str:
    """Write content (text, or a dict as JSON) to name in the current
    folder and return name."""
    if isinstance(content, dict):
        content = json.dumps(content)
    Path(name).write_text(content, encoding="utf-8")
    return name


def saved(**changes) -> str:
    """Save net21() as model.json with the given top-level fields
    replaced, and return the file name."""
    return model_file(dict(saved_dict(), **changes))


def saved_text() -> str:
    """The text of a correct model file."""
    save(net21(), "good.json")
    return Path("good.json").read_text(encoding="utf-8")


class CliResult(NamedTuple):
    status: int
    stderr: str


def cli(command: str) -> CliResult:
    """Run ``python -m backprop`` with the words of command in-process;
    return its exit status and what it printed on stderr."""
    err = _io.StringIO()
    with contextlib.redirect_stderr(err), \
            contextlib.redirect_stdout(_io.StringIO()):
        try:
            status = cli_main(command.split())
        except SystemExit as e:          # argparse's own errors
            status = e.code
    return CliResult(status, err.getvalue())


def nan_weights_file() -> str:
    """Save net21() as model.json with its first weight made NaN."""
    d = saved_dict()
    text = json.dumps(d).replace(json.dumps(d["W"][0][0][0]), "NaN", 1)
    return model_file(text)


NAMESPACE = dict(globals())       # what the calls in the table can use

# === The table ==============================================================

MATRICES = "Vectors and matrices"
NET = "Building a network"
DATA = "Training data"
OPTIONS = "Training options"
LOSSES = "Activations, losses and optimizers"
FILES = "Saved model files"
DATASETS = "Data set helpers"
COMMAND = "The command line"

CASES = [
    # --- Vectors and matrices ---
    Case("matmul-ragged", MATRICES, "a ragged matrix (rows of different "
         "lengths)", "matmul([[1.0, 2.0], [3.0]], [[1.0], [2.0]])",
         ShapeError, ["matmul", "ragged", "row 0 has 2", "row 1 has 1"]),
    Case("matmul-shapes", MATRICES, "matrices whose inner sizes differ",
         "matmul([[1.0, 2.0]], [[1.0, 2.0]])",
         ShapeError, ["matmul", "n x p", "1x2 and 1x2"]),
    Case("dot-lengths", MATRICES, "vectors of different lengths",
         "dot([1.0, 2.0], [1.0])",
         ShapeError, ["dot", "equal length", "(2,) and (1,)"]),
    Case("matvec-shapes", MATRICES, "a vector that does not fit the "
         "matrix", "matvec([[1.0, 2.0]], [1.0, 2.0, 3.0])",
         ShapeError, ["matvec", "length n", "1x2 and (3,)"]),
    Case("add-shapes", MATRICES, "adding vectors of different lengths",
         "add([1.0], [1.0, 2.0])",
         ShapeError, ["add", "same shape", "(1,) and (2,)"]),
    Case("shape-number", MATRICES, "a number where a vector belongs",
         "shape(3.0)", TypeError, ["shape", "list", "float"]),
    Case("transpose-ragged", MATRICES, "transposing a ragged matrix",
         "transpose([[1.0], [2.0, 3.0]])",
         ShapeError, ["transpose", "ragged", "row 1 has 2"]),
    # --- Building a network ---
    Case("sizes-zero", NET, "a layer of 0 neurons",
         "Network([2, 0, 1])",
         BackpropError, ["sizes[1]", "at least 1", "got 0"]),
    Case("sizes-negative", NET, "a negative layer size",
         "Network([2, -3, 1])",
         BackpropError, ["sizes[1]", "at least 1", "-3"]),
    Case("sizes-float", NET, "a layer size that is not a whole number",
         "Network([2, 2.5, 1])", TypeError, ["sizes[1]", "int", "2.5"]),
    Case("sizes-bool", NET, "True as a layer size",
         "Network([2, True, 1])", TypeError, ["sizes[1]", "int", "True"]),
    Case("sizes-one-layer", NET, "only one layer",
         "Network([3])",
         BackpropError, ["sizes", "at least two", "[3]"]),
    Case("sizes-string", NET, "the sizes as a string",
         "Network('2,4,1')",
         BackpropError, ["sizes", "list", "'2,4,1'"]),
    Case("activation-unknown", NET, "a misspelt activation",
         "Network([2, 1], 'sigmod')",
         BackpropError, ["activation", "'sigmod'", "sigmoid", "tanh"]),
    Case("activation-count", NET, "one activation name too few",
         "Network([2, 3, 1], ['tanh'])",
         BackpropError, ["activation", "one name per layer (2)", "got 1"]),
    Case("init-unknown", NET, "an unknown weight initialisation",
         "Network([2, 1], init='glorot')",
         BackpropError, ["init", "'glorot'", "xavier"]),
    Case("weights-ragged", NET, "a ragged weight matrix",
         "Network.from_weights([[[1.0, 2.0], [3.0]]])",
         ShapeError, ["W[0]", "ragged", "row 1"]),
    Case("weights-chain", NET, "layers whose sizes do not chain",
         "Network.from_weights([[[1.0, 2.0]], [[1.0, 2.0]]])",
         ShapeError, ["W[1]", "2 columns", "1 rows"]),
    Case("weights-nan", NET, "a NaN weight",
         "Network.from_weights([[[float('nan'), 1.0]]])",
         BackpropError, ["W[0][0][0]", "finite", "nan"]),
    Case("weights-string", NET, "a weight given as a string",
         "Network.from_weights([[['0.5', 1.0]]])",
         TypeError, ["W[0][0][0]", "number", "'0.5'"]),
    Case("biases-length", NET, "a bias vector of the wrong length",
         "Network.from_weights([[[1.0, 2.0]]], [[0.0, 0.0]])",
         ShapeError, ["b[0]", "1 values", "[0.0, 0.0]"]),
    Case("forward-length", NET, "an input of the wrong length",
         "net21().forward([1.0])",
         ShapeError, ["forward", "x must be a list of 2 numbers", "2 inputs",
                     "[1.0]"]),
    Case("backward-length", NET, "a target of the wrong length",
         "net21().backward(net21().forward([0.0, 1.0]), [1.0, 0.0])",
         ShapeError, ["backward", "y must be a list of 1 numbers",
                      "1 outputs"]),
    Case("backward-string", NET, "a target holding a string",
         "net21().backward(net21().forward([0.0, 1.0]), ['1'])",
         TypeError, ["backward", "y[0]", "number", "'1'"]),
    Case("backward-nan", NET, "a NaN target",
         "net21().backward(net21().forward([0.0, 1.0]), [float('nan')])",
         BackpropError, ["backward", "y[0]", "finite", "nan"]),
    Case("predict-ragged", NET, "one sample of the wrong length in a "
         "batch", "net21().predict([[0.0, 1.0], [1.0]])",
         ShapeError, ["predict", "X[1]", "2 inputs"]),
    Case("predict-strings", NET, "numbers given as strings",
         "net21().predict([['0', '1']])",
         TypeError, ["predict", "X[0][0]", "number", "'0'"]),
    Case("forward-string", NET, "a string inside one sample",
         "net21().forward([0.5, 'a'])",
         TypeError, ["forward", "x[1]", "number", "'a'"]),
    Case("activation-not-name", NET, "None as the activation",
         "Network.from_weights([[[1.0]]], None, None)",
         TypeError, ["activation", "name", "None"]),
    Case("weights-huge-int", NET, "an integer weight too large for a float",
         "Network.from_weights([[[10 ** 400]]])",
         BackpropError, ["W[0][0][0]", "finite", "too large"]),
    Case("sizes-too-many", NET, "a network too large for memory",
         "Network([100000, 100000])",
         BackpropError, ["Network", "10,000,100,000 weights",
                         "limit of 10,000,000", "GB"]),
    Case("softmax-one-neuron", NET, "softmax on a single output neuron",
         "Network([2, 1], 'softmax')",
         BackpropError, ["softmax", "1 neuron", "always outputs 1.0"]),
    Case("network-seed-type", NET, "a seed that is not a number",
         "Network([2, 1], seed=[1, 2])",
         TypeError, ["Network", "seed", "int or None", "[1, 2]"]),
    Case("forward-nan", NET, "a NaN input",
         "net21().forward([float('nan'), 0.0])",
         BackpropError, ["forward", "x[0]", "finite", "nan"]),
    Case("forward-dict", NET, "a dict as the input",
         "net21().forward({0: 1.0, 1: 2.0})",
         TypeError, ["forward", "x must be a list of 2 numbers",
                     "{0: 1.0"]),
    Case("forward-set", NET, "a set as the input",
         "net21().forward({1.0, 2.0})",
         TypeError, ["forward", "x must be a list", "{1.0, 2.0}"]),
    Case("forward-complex", NET, "a complex number in the input",
         "net21().forward([1j, 0.0])",
         TypeError, ["forward", "x[0]", "number", "1j"]),
    # --- Training data ---
    Case("data-lengths", DATA, "X and y of different lengths",
         "train(net21(), [[0, 0], [0, 1]], [[0]], epochs=1, eta=0.1)",
         ShapeError, ["X and y", "2 samples", "1 targets"]),
    Case("data-empty", DATA, "no samples at all",
         "train(net21(), [], [], epochs=1, eta=0.1)",
         BackpropError, ["X", "non-empty", "[]"]),
    Case("data-ragged", DATA, "a ragged X",
         "train(net21(), [[0, 0], [1]], [[0], [1]], epochs=1, eta=0.1)",
         ShapeError, ["X[1]", "2 numbers", "[1]"]),
    Case("data-width", DATA, "targets wider than the output layer",
         "train(net21(), [[0, 0]], [[0, 1]], epochs=1, eta=0.1)",
         ShapeError, ["y[0]", "1 numbers", "[0, 1]"]),
    Case("data-string", DATA, "a number read as a string",
         "train(net21(), [[0, '1']], [[0]], epochs=1, eta=0.1)",
         TypeError, ["X[0][1]", "number", "'1'"]),
    Case("data-none", DATA, "a missing value (None)",
         "train(net21(), [[0, None]], [[0]], epochs=1, eta=0.1)",
         TypeError, ["X[0][1]", "number", "None"]),
    Case("data-bool", DATA, "True/False as inputs",
         "train(net21(), [[True, 0]], [[0]], epochs=1, eta=0.1)",
         TypeError, ["X[0][0]", "number", "True"]),
    Case("data-nan", DATA, "a NaN input",
         "train(net21(), [[float('nan'), 0]], [[0]], epochs=1, eta=0.1)",
         BackpropError, ["X[0][0]", "finite", "nan"]),
    Case("data-inf", DATA, "an infinite target",
         "train(net21(), [[0, 0]], [[float('inf')]], epochs=1, eta=0.1)",
         BackpropError, ["y[0][0]", "finite", "inf"]),
    Case("data-no-network", DATA, "None where the network belongs",
         "train(None, XOR_X, XOR_Y, epochs=1, eta=0.1)",
         TypeError, ["train", "net", "Network", "NoneType"]),
    Case("data-bce-range", DATA, "a label of 2 for binary cross-entropy",
         "train(net21(), XOR_X, [[0], [1], [2], [0]], epochs=1, eta=0.1, "
         "loss='binary_cross_entropy')",
         BackpropError, ["y[2][0]", "between 0 and 1",
                         "binary_cross_entropy", "2.0"]),
    Case("data-cce-negative", DATA, "a negative target for categorical "
         "cross-entropy", "train(Network([2, 2], 'softmax', seed=0), "
         "[[0, 0]], [[2, -1]], epochs=1, eta=0.1, "
         "loss='categorical_cross_entropy')",
         BackpropError, ["y[0]", "no negative entry",
                         "categorical_cross_entropy", "[2.0, -1.0]"]),
    Case("data-cce-zero", DATA, "an all-zero target for categorical "
         "cross-entropy", "train(Network([2, 2], 'softmax', seed=0), "
         "[[0, 0], [1, 1]], [[1, 0], [0, 0]], epochs=1, eta=0.1, "
         "loss='categorical_cross_entropy')",
         BackpropError, ["y[1]", "not all zero", "categorical_cross_entropy",
                         "one-hot", "[0.0, 0.0]"]),
    Case("data-validation-width", DATA, "a validation set of the wrong "
         "width", "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, "
         "validation=([[0.0]], [[0.0]]))",
         ShapeError, ["X_val[0]", "2 numbers", "2 inputs", "[0.0]"]),
    # --- Training options ---
    Case("eta-zero", OPTIONS, "a learning rate of 0",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0)",
         BackpropError, ["eta", "positive", "got 0"]),
    Case("eta-negative", OPTIONS, "a negative learning rate",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=-0.5)",
         BackpropError, ["eta", "positive", "-0.5"]),
    Case("eta-nan", OPTIONS, "a NaN learning rate",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=float('nan'))",
         BackpropError, ["eta", "finite", "nan"]),
    Case("eta-string", OPTIONS, "the learning rate as a string",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta='0.1')",
         TypeError, ["eta", "number", "'0.1'"]),
    Case("epochs-zero", OPTIONS, "0 epochs",
         "train(net21(), XOR_X, XOR_Y, epochs=0, eta=0.1)",
         BackpropError, ["epochs", "at least 1", "got 0"]),
    Case("epochs-negative", OPTIONS, "a negative number of epochs",
         "train(net21(), XOR_X, XOR_Y, epochs=-5, eta=0.1)",
         BackpropError, ["epochs", "at least 1", "-5"]),
    Case("epochs-float", OPTIONS, "epochs that are not a whole number",
         "train(net21(), XOR_X, XOR_Y, epochs=10.5, eta=0.1)",
         TypeError, ["epochs", "int", "10.5"]),
    Case("batch-zero", OPTIONS, "a batch size of 0",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, batch_size=0)",
         BackpropError, ["batch_size", "at least 1", "got 0"]),
    Case("diverged", OPTIONS, "a learning rate so large the weights "
         "overflow", "train(Network.from_weights([[[1.0]]], [[0.0]], "
         "'identity'), [[1e3]], [[0.0]], epochs=5, eta=1e300, "
         "loss='half_sse')",
         DivergenceError, ["loss became inf", "epoch 1", "eta=1e+300",
                           "smaller"]),
    Case("diverged-overflow", OPTIONS, "a learning rate large enough for "
         "the squared error to overflow",
         "train(Network.from_weights([[[1.0]]], [[0.0]], 'identity'), "
         "[[1e3]], [[0.0]], epochs=50, eta=1e10, loss='half_sse')",
         DivergenceError, ["loss became", "eta=10000000000.0", "smaller"]),
    Case("diverged-weights", OPTIONS, "weights that overflow while the "
         "loss stays finite", "train(Network.from_weights([[[0.0]]], "
         "[[0.0]], 'sigmoid'), [[10.0]], [[0.0]], epochs=5, eta=1e308, "
         "loss='binary_cross_entropy')",
         DivergenceError, ["layer 1", "non-finite", "epoch 0",
                           "W[0][0][0] = -inf", "smaller"]),
    Case("eta-huge-int", OPTIONS, "a learning rate too large for a float",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=10 ** 400)",
         BackpropError, ["eta", "finite", "too large for a float"]),
    Case("print-every-string", OPTIONS, "print_every as a string",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, print_every='a')",
         TypeError, ["print_every", "int >= 1 or None", "'a'"]),
    Case("print-every-negative", OPTIONS, "a negative print_every",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, print_every=-1)",
         BackpropError, ["print_every", "at least 1", "-1"]),
    Case("print-every-float", OPTIONS, "a print_every of 0.5",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, print_every=0.5)",
         TypeError, ["print_every", "int >= 1 or None", "0.5"]),
    Case("shuffle-string", OPTIONS, "shuffle='no' (a string is not a "
         "bool)", "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, "
         "shuffle='no')",
         TypeError, ["shuffle", "True or False", "'no'"]),
    Case("seed-type", OPTIONS, "a seed that is not a number",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, shuffle=True, "
         "seed=[1])",
         TypeError, ["train", "seed", "int or None", "[1]"]),
    # --- Activations, losses and optimizers ---
    Case("loss-unknown", LOSSES, "an unknown loss name",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, "
         "loss='cross_entropy')",
         BackpropError, ["loss", "'cross_entropy'", "binary_cross_entropy"]),
    Case("optimizer-unknown", LOSSES, "an unknown optimizer name",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, optimizer='sgd')",
         BackpropError, ["optimizer", "'sgd'", "adam"]),
    Case("activation-none", LOSSES, "None as an activation name",
         "get_activation(None)",
         BackpropError, ["activation", "None", "sigmoid"]),
    Case("softmax-empty", LOSSES, "softmax of nothing",
         "softmax([])",
         BackpropError, ["softmax", "at least one", "[]"]),
    Case("loss-lengths", LOSSES, "output and target of different lengths",
         "mse([0.5], [1.0, 0.0])",
         ShapeError, ["mse", "a and y", "(1,) and (2,)"]),
    Case("loss-empty", LOSSES, "the loss of an empty output",
         "mse([], [])",
         BackpropError, ["mse", "at least one", "[]"]),
    Case("momentum-mu", LOSSES, "a momentum of 1.5",
         "Momentum(mu=1.5)",
         BackpropError, ["mu", "[0.0, 1.0)", "1.5"]),
    Case("adam-beta", LOSSES, "a negative Adam beta1",
         "Adam(beta1=-0.1)",
         BackpropError, ["beta1", "[0.0, 1.0)", "-0.1"]),
    Case("weight-decay", LOSSES, "a negative weight decay",
         "GradientDescent(weight_decay=-1)",
         BackpropError, ["weight_decay", ">= 0.0", "-1"]),
    Case("adam-eps", LOSSES, "an Adam epsilon of 0 (a division by zero)",
         "Adam(eps=0)",
         BackpropError, ["Adam", "eps", "> 0.0", "0"]),
    Case("loss-not-lists", LOSSES, "plain numbers given to a loss",
         "mse(0.5, 1.0)",
         TypeError, ["mse", "lists", "float"]),
    Case("optimizer-reused", LOSSES, "one Adam() for two networks",
         "[train(Network([2, n, 1], seed=0), XOR_X, XOR_Y, epochs=1, "
         "eta=0.1, optimizer=opt) for opt in [Adam()] for n in (2, 5)]",
         BackpropError, ["Adam.step", "belongs to another network",
                         "new Adam() per network", "opt.reset()"]),
    Case("step-db-none", LOSSES, "a step with no bias gradients for a "
         "network with biases",
         "GradientDescent().step(net21(), "
         "backprop.Gradients([[[0.1, 0.2]]], None), 0.1)",
         ShapeError, ["GradientDescent.step", "grads.db is None",
                      "[(1,)]", "update_biases=False"]),
    Case("step-dW-shape", LOSSES, "a step with gradients shaped unlike "
         "the network",
         "Adam().step(net21(), backprop.Gradients([[[0.1], [0.2]]], "
         "[[0.0]]), 0.1)",
         ShapeError, ["Adam.step", "grads.dW", "[1x2]", "got [2x1]"]),
    Case("update-biases-string", OPTIONS, "update_biases as a string",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, "
         "update_biases='no')",
         TypeError, ["train", "update_biases", "'no'"]),
    Case("output-loss-j", LOSSES, "the loss output(j) of an output j the "
         "network does not have",
         "backprop.losses.output(2).f([0.5], [0.0])",
         ShapeError, ["output[2]", "at least 3 outputs", "(1,)"]),
    Case("validation-not-pair", OPTIONS, "validation data that is not a "
         "pair (X_val, y_val)",
         "train(net21(), XOR_X, XOR_Y, epochs=1, eta=0.1, "
         "validation=[[0, 1]])",
         BackpropError, ["validation", "pair", "[[0, 1]]"]),
    # --- Saved model files ---
    Case("file-not-json", FILES, "a model file that is not JSON",
         "load(model_file('weights: 0.5, 0.25'))",
         ModelFileError, ["model.json", "not valid JSON"]),
    Case("file-truncated", FILES, "a truncated model file",
         "load(model_file(saved_text()[:60]))",
         ModelFileError, ["model.json", "truncated"]),
    Case("file-empty", FILES, "an empty model file",
         "load(model_file(''))",
         ModelFileError, ["model.json", "JSON object", "empty file"]),
    Case("file-future", FILES, "a file from a newer backprop",
         "load(saved(version=3))",
         ModelFileError, ["model.json", "version 3", "versions 1 to 2",
                          "upgrade"]),
    Case("file-format", FILES, "some other program's JSON file",
         "load(saved(format='keras'))",
         ModelFileError, ["model.json", "format", "backprop-network",
                          "keras"]),
    Case("file-shapes", FILES, "weights whose shape does not match "
         "sizes", "load(saved(sizes=[3, 1]))",
         ModelFileError, ["model.json", "W[0][0]", "3"]),
    Case("file-nan", FILES, "a NaN weight in the file",
         "load(nan_weights_file())",
         ModelFileError, ["model.json", "W[0][0][0]", "finite", "NaN"]),
    Case("file-activation", FILES, "an unknown activation in the file",
         "load(saved(activations=['sigmod']))",
         ModelFileError, ["model.json", "activations[0]", "sigmod"]),
    Case("file-deep", FILES, "a file of 100,000 nested brackets",
         "load(model_file('[' * 100000))",
         ModelFileError, ["model.json", "nested too deeply"]),
    Case("file-huge-int", FILES, "a 5000-digit integer in the file",
         "load(model_file(saved_text().replace('0.5', '9' * 5000, 1)))",
         ModelFileError, ["model.json", "W[0][0][0]", "5000 digits",
                          "too large"]),
    Case("file-endless", FILES, "a file too large to be a model",
         "load('/dev/zero')",
         ModelFileError, ["/dev/zero", "larger than 64 MiB",
                          "MAX_BYTES"]),
    Case("file-preprocessing", FILES, "a mean for the wrong number of "
         "inputs", "load(saved(preprocessing={'standardize': "
         "{'mean': [0.0], 'std': [1.0]}}))",
         ModelFileError, ["model.json", "preprocessing.standardize.mean",
                          "a list of 2 numbers", "a list of 1"]),
    Case("save-none", FILES, "saving something that is not a network",
         "save(None, 'model.json')",
         TypeError, ["save", "net must be a Network", "NoneType"]),
    Case("save-cycle", FILES, "metadata that contains itself",
         "save(net21(), 'model.json', "
         "metadata=[m := {}, m.update(me=m)][0])",
         ModelFileError, ["save", "metadata['me']", "contains itself"]),
    Case("save-set", FILES, "metadata that JSON cannot hold",
         "save(net21(), 'model.json', metadata={'layers': {1, 2}})",
         ModelFileError, ["save", "metadata['layers']", "a JSON value",
                          "{1, 2}"]),
    Case("save-no-folder", FILES, "saving into a folder that does not "
         "exist", "python -m backprop train xor --epochs 1 "
         "--save nodir/m.json",
         CLI, ["cannot write 'nodir/m.json'",
               "the folder 'nodir' does not exist"]),
    Case("save-not-folder", FILES, "saving into a file as if it were a "
         "folder", "python -m backprop train xor --epochs 1 "
         "--save good.json/m.json",
         CLI, ["cannot write 'good.json/m.json'",
               "'good.json' is a file, not a folder"]),
    Case("cli-endless-file", FILES, "predicting with an endless file",
         "python -m backprop predict /dev/zero --input 0,1",
         CLI, ["/dev/zero", "larger than 64 MiB"]),
    # --- Data set helpers ---
    Case("one-hot-range", DATASETS, "a label too large for one-hot",
         "one_hot([0, 3], 3)",
         BackpropError, ["one_hot", "label < n_classes", "3"]),
    Case("one-hot-negative", DATASETS, "a negative label",
         "one_hot([0, -1], 3)",
         BackpropError, ["one_hot", "labels[1]", "at least 0", "-1"]),
    Case("split-lengths", DATASETS, "splitting X and y of different "
         "lengths", "train_test_split([[0], [1], [2]], [0, 1])",
         ShapeError, ["train_test_split", "len(X) == len(y)", "3", "2"]),
    # --- The command line ---
    Case("cli-eta", COMMAND, "a learning rate of 0",
         "python -m backprop --eta 0",
         CLI, ["--eta", "positive", "'0'"]),
    Case("cli-epochs", COMMAND, "epochs that are not a number",
         "python -m backprop --epochs many",
         CLI, ["--epochs", "whole number", "'many'"]),
    Case("cli-dataset", COMMAND, "an unknown data set",
         "python -m backprop train nosuch",
         CLI, ["DATASET", "'nosuch'", "xor"]),
    Case("cli-activation", COMMAND, "a misspelt activation",
         "python -m backprop train xor --activation sigmod --epochs 1",
         CLI, ["activation", "'sigmod'", "sigmoid"]),
    Case("cli-layers", COMMAND, "a layer of 0 neurons",
         "python -m backprop train xor --layers 2,0,1 --epochs 1",
         CLI, ["sizes[1]", "at least 1", "got 0"]),
    Case("cli-missing-file", COMMAND, "a model file that does not exist",
         "python -m backprop predict missing.json --input 0,1",
         CLI, ["missing.json", "no such file"]),
    Case("cli-bad-file", COMMAND, "a model file that is not JSON",
         "python -m backprop predict notes.txt --input 0,1",
         CLI, ["notes.txt", "not valid JSON"]),
    Case("cli-input-length", COMMAND, "an input of the wrong length",
         "python -m backprop predict good.json --input 0",
         CLI, ["input 1", "1 values", "2 inputs"]),
    Case("cli-plot-extension", COMMAND, "a chart file that is not .svg",
         "python -m backprop train xor --plot loss.png",
         CLI, ["--plot", "SVG", ".svg", "'loss.png'"]),
    Case("cli-save-extension", COMMAND, "a model file that is not .json",
         "python -m backprop train xor --save model.txt",
         CLI, ["--save", ".json", "'model.txt'"]),
    Case("cli-save-folder", COMMAND, "saving into a folder that does not "
         "exist (refused before training)",
         "python -m backprop train xor --save nodir/m.json",
         CLI, ["--save", "nodir", "does not exist"]),
    Case("cli-loss-typo", COMMAND, "a loss name that is almost right",
         "python -m backprop train xor --loss cross_entropy",
         CLI, ["'cross_entropy'", "did you mean 'binary_cross_entropy'"]),
    Case("cli-optimizers", COMMAND, "an unknown optimizer among several "
         "(refused before any training)",
         "python -m backprop compare --what optimizer --optimizers "
         "gd,adam,sgd",
         CLI, ["optimizer", "'sgd'", "did you mean 'gd'"]),
    Case("cli-csv-as-dataset", COMMAND, "a CSV file given as the data set",
         "python -m backprop train my.csv",
         CLI, ["'my.csv'", "--csv my.csv"]),
    Case("cli-option-typo", COMMAND, "a misspelt option of a subcommand",
         "python -m backprop train xor --epocs 3",
         CLI, ["--epocs", "did you mean --epochs", "train --help"]),
    Case("cli-huge-network", COMMAND, "a hidden layer too large to build",
         "python -m backprop train xor --hidden 100000000",
         CLI, ["100000000", "10,000,000"]),
    Case("cli-csv-row", COMMAND, "a CSV row that is not numbers",
         "python -m backprop predict good.json --csv notes.txt",
         CLI, ["notes.txt", "line 1", "'weights: 0.5'"]),
]


# === Running a row ==========================================================

def _files_for_cli() -> None:
    """The files the command-line rows read, in the current folder."""
    save(net21(), "good.json")
    Path("notes.txt").write_text("weights: 0.5\n", encoding="utf-8")


def outcome(case: Case):
    """Run case.call in the current folder; return (exception type name
    or exit status, message)."""
    if case.raises == CLI:
        _files_for_cli()
        r = cli(case.call[len("python -m backprop "):])
        return r.status, r.stderr
    try:
        eval(case.call, dict(NAMESPACE))
    except Exception as exc:      # noqa: BLE001 - the test judges it
        return exc, str(exc)
    return None, "(no exception)"


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.fix)] \
            if case.fix else []
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", list(_params()))
def test_bad_input(case: Case, in_tmp) -> None:
    got, message = outcome(case)
    if case.raises == CLI:
        assert got == 2, f"exit status {got}, stderr: {message!r}"
        assert "Traceback" not in message
        lines = message.strip().splitlines()
        assert len(lines) == 1, f"{len(lines)} lines on stderr: {message}"
    else:
        assert isinstance(got, case.raises), \
            f"expected {case.raises.__name__}, got {got!r}"
        assert isinstance(got, (ValueError, TypeError))
    missing = [w for w in case.words if w not in message]
    assert not missing, f"message {message!r} lacks {missing}"


def test_table_is_big_and_ids_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 40
    documented = {BackpropError, ShapeError, DivergenceError,
                  ModelFileError, TypeError, CLI}
    assert {c.raises for c in CASES} <= documented


# === The docs page ==========================================================

INTRO = """\
# Common errors and what they mean

When backprop refuses an input it raises a `BackpropError` (a
`ValueError`), one of its subclasses `ShapeError`, `DivergenceError` and
`ModelFileError`, or a `TypeError`. The message starts with the function
that refused the input, then names the argument, what was expected and
what was given. The command line prints the same message on one line and
exits with status 2.

Each message below is the one the package prints today, word for word:
every row is a call that is run, and checked, each time the package's
tests run. If a message you see differs from this page, your version of
backprop is older or newer than the site's.
"""


def _cell(text: str) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_page() -> str:
    """Return docs/guides/errors.md as the table says it should be."""
    out = [INTRO]
    with tempfile.TemporaryDirectory() as folder:
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            for area in dict.fromkeys(c.area for c in CASES):
                out.append(f"\n## {area}\n\n"
                           "| mistake | call | raises | message |\n"
                           "| --- | --- | --- | --- |\n")
                for c in (c for c in CASES if c.area == area):
                    raises = c.raises if c.raises == CLI \
                        else c.raises.__name__
                    if c.fix:
                        message = "*unclear today; being fixed*"
                    else:
                        message = _cell(outcome(c)[1])
                    out.append(f"| {c.what} | {_cell(c.call)} | {raises} "
                               f"| {message} |\n")
        finally:
            os.chdir(cwd)
    return "".join(out)


def test_page_matches_table() -> None:
    assert PAGE.exists(), "run: python tests/test_bad_inputs.py"
    assert PAGE.read_text(encoding="utf-8") == render_page(), \
        "docs/guides/errors.md is out of date: python tests/test_bad_inputs.py"


if __name__ == "__main__":
    PAGE.write_text(render_page(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}: {len(CASES)} rows")
