"""The micrograd contender: the network built from micrograd ``Value``s.

micrograd's PyPI release has only ``relu``, so this module adds a one-node
``sigmoid`` and ``log`` written the way micrograd writes ``relu``. Layers
are written like micrograd's ``nn.Neuron``: act = sum(w_i * x_i, b).
The loss is mean binary cross-entropy for full batch (its gradient at the
output pre-activation is seed 000's (a - y) / m) or half the sum of
squared errors per sample (seed 002's update).
"""

from __future__ import annotations

import math
import time

from micrograd.engine import Value


def _sigmoid(self):
    out = Value(1.0 / (1.0 + math.exp(-self.data)), (self,), 'sigmoid')

    def _backward():
        self.grad += out.data * (1.0 - out.data) * out.grad
    out._backward = _backward

    return out


def _log(self):
    out = Value(math.log(self.data), (self,), 'log')

    def _backward():
        self.grad += (1.0 / self.data) * out.grad
    out._backward = _backward

    return out


Value.sigmoid = _sigmoid
Value.log = _log


def forward(W, b, x):
    """Return the output Values of the network (W, b) on sample x."""
    a = x
    for W_l, b_l in zip(W, b):
        a = [sum((w_jk * a_k for w_jk, a_k in zip(W_j, a)), b_j).sigmoid()
             for W_j, b_j in zip(W_l, b_l)]
    return a


def bce_sum(a, y):
    """Return sum_j y_j log a_j + (1 - y_j) log(1 - a_j) (no minus)."""
    return sum(y_j * a_j.log() + (1 - y_j) * (1 - a_j).log()
               for a_j, y_j in zip(a, y))


def sse(a, y):
    """Return sum_j (a_j - y_j)^2."""
    return sum((a_j - y_j) ** 2 for a_j, y_j in zip(a, y))


def mse(a, y):
    """Return (1/n) sum_j (a_j - y_j)^2 on plain floats (reported only)."""
    return sum((a_j - y_j) ** 2 for a_j, y_j in zip(a, y)) / len(a)


def run(cfg):
    """Return {"loss", "elapsed", "W", "b"} after micrograd training;
    only the epochs are timed. The loss is the last epoch's mean squared
    error, each sample's taken on the forward pass of its step."""
    X, Y, eta = cfg["X"], cfg["Y"], cfg["eta"]
    W = [[[Value(w) for w in row] for row in W_l] for W_l in cfg["W"]]
    b = [[Value(v) for v in b_l] for b_l in cfg["b"]]
    params = [p for W_l in W for row in W_l for p in row]
    params += [p for b_l in b for p in b_l]
    if cfg["loss"] == "binary_cross_entropy":
        term, factor = bce_sum, -1.0
    elif cfg["loss"] == "half_sse":
        term, factor = sse, 0.5
    else:
        raise ValueError(f"micrograd: loss {cfg['loss']!r} not supported")
    n = len(X)
    if cfg["batch_size"] is None:
        batches = [list(range(n))]
    else:
        batches = [[i] for i in range(n)]
    t0 = time.perf_counter()
    for _epoch in range(cfg["epochs"]):
        report = 0.0
        for batch in batches:
            for p in params:
                p.grad = 0
            loss = 0
            for i in batch:
                a = forward(W, b, X[i])
                report += mse([a_j.data for a_j in a], Y[i])
                loss = loss + term(a, Y[i])
            loss = loss * (factor / len(batch))
            loss.backward()
            for p in params:
                p.data -= eta * p.grad
    elapsed = time.perf_counter() - t0
    return {"loss": report / n, "elapsed": elapsed,
            "W": [[[p.data for p in row] for row in W_l] for W_l in W],
            "b": [[p.data for p in b_l] for b_l in b]}
