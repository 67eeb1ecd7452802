"""backward() agrees with a central-difference numerical gradient."""

import math
import random

import pytest

import backprop as bp

PAIRS = [  # (hidden activation, output activation, loss)
    ("sigmoid", "sigmoid", "mse"),
    ("sigmoid", "sigmoid", "half_sse"),
    ("sigmoid", "sigmoid", "binary_cross_entropy"),
    ("tanh", "sigmoid", "binary_cross_entropy"),
    ("tanh", "identity", "mse"),
    ("relu", "identity", "half_sse"),
    ("leaky_relu", "tanh", "mse"),
    ("identity", "sigmoid", "half_sse"),
    ("sigmoid", "softmax", "categorical_cross_entropy"),
    ("tanh", "softmax", "mse"),   # softmax's full Jacobian, not the shortcut
    ("sigmoid", "relu", "mse"),
    ("tanh", "leaky_relu", "half_sse"),
    ("softmax", "sigmoid", "mse"),  # a softmax hidden layer, unusual but valid
]


def loss_at(net, x, y, loss):
    return bp.get_loss(loss).f(net.forward(x).a[-1], y)


def numerical(net, x, y, loss, h=1e-6):
    """Perturb every parameter in place: (L(w + h) - L(w - h)) / 2h."""
    params = [row for W in net.W for row in W] + list(net.b or [])
    grads = []
    for row in params:
        g = []
        for k in range(len(row)):
            w = row[k]
            row[k] = w + h
            up = loss_at(net, x, y, loss)
            row[k] = w - h
            down = loss_at(net, x, y, loss)
            row[k] = w
            g.append((up - down) / (2 * h))
        grads.append(g)
    return grads


def flat(grads):
    return [v for M in grads.dW for row in M for v in row] + \
        [v for d in (grads.db or []) for v in d]


@pytest.mark.parametrize("hidden,out,loss", PAIRS)
@pytest.mark.parametrize("trial", range(3))
def test_backward_matches_numerical_gradient(hidden, out, loss, trial):
    rng = random.Random(f"{hidden}{out}{loss}{trial}")
    n_out = rng.randint(2, 3) if out == "softmax" else rng.randint(1, 3)
    sizes = [rng.randint(1, 4), rng.randint(2, 5), rng.randint(2, 4), n_out]
    net = bp.Network(sizes, [hidden, hidden, out], init="normal",
                     seed=rng.random(), bias=trial != 1)
    def near_kink(x):                      # ReLU has no slope at z = 0
        zs = net.forward(x).z
        return "relu" in hidden + out and any(
            abs(z) < 1e-3 for zl in zs for z in zl)

    for _ in range(1000):                  # a sample away from the kink
        x = [rng.uniform(-1, 1) for _ in range(sizes[0])]
        if not near_kink(x):
            break
    assert not near_kink(x), "no sample away from the ReLU kink"
    if out == "softmax":
        y = [0.0] * n_out
        y[rng.randrange(n_out)] = 1.0
    else:
        y = [rng.uniform(0.05, 0.95) for _ in range(n_out)]
    analytic = flat(net.backward(net.forward(x), y, loss))
    numeric = [v for row in numerical(net, x, y, loss) for v in row]
    assert len(analytic) == len(numeric)
    for a, n in zip(analytic, numeric):
        assert abs(a - n) <= 1e-6 * max(abs(a), abs(n)) + 1e-9, (a, n)


def test_numerical_check_catches_a_wrong_gradient():
    """The comparison above would fail for a wrong derivative."""
    net = bp.Network([2, 3, 1], seed=5, init="normal")
    x, y = [0.3, -0.7], [0.8]
    analytic = flat(net.backward(net.forward(x), y, "mse"))
    # the mse gradient is twice the half_sse one: a factor-2 bug
    numeric = [v for row in numerical(net, x, y, "half_sse") for v in row]
    assert not all(math.isclose(a, n, rel_tol=1e-6)
                   for a, n in zip(analytic, numeric))
