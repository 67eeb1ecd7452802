"""backprop: how neural networks learn, in plain Python.

A small, standard-library-only package that implements backpropagation the
way the docs derive it: every formula has one function behind it.

>>> import backprop
>>> net = backprop.Network([2, 4, 1], seed=0)
>>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
>>> y = [[0], [1], [1], [0]]
>>> history = backprop.train(net, X, y, epochs=2000, eta=2.0,
...                          loss="binary_cross_entropy")
>>> [round(p[0]) for p in net.predict(X)]
[0, 1, 1, 0]

The toolkit modules load on first use:

>>> from backprop.gradcheck import gradcheck
>>> gradcheck(net, X[1], y[1], loss="binary_cross_entropy").ok
True
"""

from __future__ import annotations

from .activations import (
    activate, derivatives, get_activation, identity, identity_prime,
    leaky_relu, leaky_relu_prime, relu, relu_prime, sigmoid, sigmoid_prime,
    sigmoid_prime_from_output, softmax, softmax_backward, tanh, tanh_prime,
    tanh_prime_from_output,
)
from .errors import (
    BackpropError, DivergenceError, ModelFileError, ShapeError,
)
from .losses import (
    Loss, binary_cross_entropy, binary_cross_entropy_grad,
    categorical_cross_entropy, categorical_cross_entropy_grad, get_loss,
    half_sse, half_sse_grad, mse, mse_grad,
)
from .network import Forward, Gradients, Network, output_delta
from .optimizers import (
    Adagrad, Adam, GradientDescent, Momentum, RMSProp, get_optimizer,
)
from .training import History, mean_gradient, train, update_batch

__version__ = "0.1.0"

# The toolkit modules load on first use (PEP 562), so that `import backprop`
# stays a few milliseconds: backprop.datasets, backprop.prepare,
# backprop.plot, backprop.io (and its save/load/load_model), backprop.explain,
# backprop.gradcheck, backprop.graph.
_LAZY = {"datasets": None, "prepare": None, "plot": None, "io": None,
         "explain": None, "gradcheck": None, "graph": None, "save": "io",
         "load": "io", "load_model": "io"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'backprop' has no attribute {name!r}")
    from importlib import import_module
    module = import_module(f".{_LAZY[name] or name}", __name__)
    return module if _LAZY[name] is None else getattr(module, name)

__all__ = [
    # errors
    "BackpropError", "ShapeError", "DivergenceError", "ModelFileError",
    # activations
    "sigmoid", "sigmoid_prime", "sigmoid_prime_from_output", "tanh",
    "tanh_prime", "tanh_prime_from_output", "relu", "relu_prime",
    "leaky_relu", "leaky_relu_prime", "identity", "identity_prime",
    "softmax", "softmax_backward", "activate", "derivatives",
    "get_activation",
    # losses
    "mse", "mse_grad", "half_sse", "half_sse_grad", "binary_cross_entropy",
    "binary_cross_entropy_grad", "categorical_cross_entropy",
    "categorical_cross_entropy_grad", "get_loss", "Loss",
    # network
    "Network", "Forward", "Gradients", "output_delta",
    # optimizers
    "GradientDescent", "Momentum", "Adagrad", "RMSProp", "Adam",
    "get_optimizer",
    # training
    "train", "update_batch", "mean_gradient", "History",
    # the toolkit, loaded on first use
    "datasets", "prepare", "plot", "io", "explain", "gradcheck", "graph",
    "save", "load", "load_model",
]
