"""Activation functions, each paired with its derivative.

A neuron computes a weighted input z and passes it through an activation
function f to give its output a = f(z). Backprop needs f'(z) too, so every
activation here comes with its derivative.

=========================  ===========================================
function                   formula
=========================  ===========================================
sigmoid                    sigma(z) = 1 / (1 + e^-z)
sigmoid_prime              sigma'(z) = sigma(z) (1 - sigma(z))
sigmoid_prime_from_output  sigma'(z) written with a = sigma(z): a (1 - a)
tanh, tanh_prime           tanh z, 1 - tanh^2 z
tanh_prime_from_output     tanh'(z) written with a = tanh z: 1 - a^2
relu, relu_prime           max(0, z), 1 if z > 0 else 0
leaky_relu(_prime)         z if z > 0 else alpha z, 1 or alpha
identity(_prime)           z, 1
softmax                    e^(z_i) / sum_j e^(z_j), on a whole layer
softmax_backward           delta_k = a_k (g_k - sum_i g_i a_i)
activate                   a layer's outputs, f applied to each z_j
derivatives                a layer's f'(z_j), from z or from a
get_activation             the Activation (f and f') called name
=========================  ===========================================

>>> sigmoid(0.0)
0.5
>>> sigmoid_prime(0.0)
0.25
>>> [round(p, 6) for p in softmax([1.0, 2.0, 3.0])]
[0.090031, 0.244728, 0.665241]
"""

from __future__ import annotations

import math
from collections import namedtuple

from . import _checks, elementary
from .elementary import exp
from .errors import BackpropError
from .matrix import dot, total

__all__ = [
    "sigmoid", "sigmoid_prime", "sigmoid_prime_from_output", "tanh",
    "tanh_prime", "tanh_prime_from_output", "relu", "relu_prime",
    "leaky_relu", "leaky_relu_prime", "identity", "identity_prime",
    "softmax", "softmax_backward", "Activation", "ACTIVATIONS", "activate",
    "derivatives", "get_activation",
]

# === The scalar functions ===================================================


def sigmoid(z: float) -> float:
    """Return the logistic sigmoid sigma(z) = 1 / (1 + e^-z).

    e^x (:func:`backprop.elementary.exp`, the same bits on every Python)
    overflows above 709.78, as ``math.exp`` does, so for very negative z,
    where e^-z would overflow, we use sigma(z) ~= e^z instead (the two agree to
    the last bit there, since 1 + e^-z == e^-z). The result is in [0, 1]
    for every float, infinities included.

    >>> sigmoid(0.0)
    0.5
    >>> round(sigmoid(2.0), 6)
    0.880797
    >>> sigmoid(-1e308), sigmoid(1e308), sigmoid(float("-inf"))
    (0.0, 1.0, 0.0)

    An int too large for a float (10**400) is taken as the infinity of
    its sign, as the largest floats are, and NaN gives NaN:

    >>> sigmoid(10 ** 400), sigmoid(-10 ** 400), sigmoid(float("nan"))
    (1.0, 0.0, nan)
    """
    return 1.0 / (1.0 + exp(-z)) if z > -700.0 else exp(z)


def sigmoid_prime(z: float) -> float:
    """Return sigma'(z) = sigma(z) (1 - sigma(z)), computed from z.

    >>> sigmoid_prime(0.0)
    0.25
    """
    return sigmoid_prime_from_output(sigmoid(z))


def sigmoid_prime_from_output(a: float) -> float:
    """Return sigma'(z) given the neuron's *output* a = sigma(z): a (1 - a).

    The seeds write ``sigmoid_derivative(x) = x * (1 - x)`` and call it on a
    layer's output, not on z. That is right because sigma'(z) =
    sigma(z)(1 - sigma(z)) and sigma(z) is exactly the output a: the
    derivative needs no exponential once the forward pass has run. Calling
    it on z instead is the classic bug.

    >>> sigmoid_prime_from_output(0.5)
    0.25
    >>> sigmoid_prime_from_output(sigmoid(2.0)) == sigmoid_prime(2.0)
    True
    """
    return a * (1.0 - a)


def tanh(z: float) -> float:
    """Return tanh z = (e^z - e^-z) / (e^z + e^-z), in [-1, 1].

    >>> tanh(0.0), round(tanh(1.0), 6)
    (0.0, 0.761594)
    >>> tanh(10 ** 400), tanh(-10 ** 400)    # an int beyond the floats
    (1.0, -1.0)
    """
    return elementary.tanh(z)          # the same bits on every Python


def tanh_prime(z: float) -> float:
    """Return tanh'(z) = 1 - tanh^2 z, computed from z.

    >>> tanh_prime(0.0)
    1.0
    """
    return tanh_prime_from_output(tanh(z))


def tanh_prime_from_output(a: float) -> float:
    """Return tanh'(z) given the neuron's *output* a = tanh z: 1 - a^2.

    >>> tanh_prime_from_output(0.0)
    1.0
    >>> tanh_prime_from_output(tanh(0.5)) == tanh_prime(0.5)
    True
    """
    return 1.0 - a * a


def relu(z: float) -> float:
    """Return the rectified linear unit max(0, z).

    A NaN stays NaN (``max(0.0, nan)`` would hide it as 0.0, and a
    diverged network would look healthy):

    >>> relu(-2.0), relu(3.0), relu(float("nan"))
    (0.0, 3.0, nan)
    """
    return 0.0 if z <= 0.0 else z


def relu_prime(z: float) -> float:
    """Return relu'(z): 1 for z > 0, else 0 (we take 0 at z = 0).

    At a NaN the slope is NaN too, so that a NaN keeps spreading through
    backprop and training stops with a DivergenceError instead of
    quietly zeroing the gradient.

    >>> relu_prime(-2.0), relu_prime(3.0), relu_prime(float("nan"))
    (0.0, 1.0, nan)
    """
    return 1.0 if z > 0.0 else 0.0 if z <= 0.0 else z


def leaky_relu(z: float, alpha: float = 0.01) -> float:
    """Return z for z > 0, else alpha z: a ReLU whose negative side still
    passes a small gradient.

    >>> leaky_relu(3.0), leaky_relu(-2.0), leaky_relu(float("nan"))
    (3.0, -0.02, nan)
    """
    return z if z > 0.0 else alpha * z


def leaky_relu_prime(z: float, alpha: float = 0.01) -> float:
    """Return the leaky ReLU's slope: 1 for z > 0, else alpha (NaN at
    a NaN, as for :func:`relu_prime`).

    >>> leaky_relu_prime(3.0), leaky_relu_prime(-2.0)
    (1.0, 0.01)
    """
    return 1.0 if z > 0.0 else alpha if z <= 0.0 else z


def identity(z: float) -> float:
    """Return z unchanged (a linear output, for regression).

    >>> identity(-1.5)
    -1.5
    """
    return z


def identity_prime(z: float) -> float:
    """Return 1, the identity's slope.

    >>> identity_prime(-1.5)
    1.0
    """
    return 1.0


def softmax(z: list[float]) -> list[float]:
    """Return softmax(z)_i = e^(z_i) / sum_j e^(z_j) for a whole layer.

    Subtracting m = max(z) from every z_i first changes nothing
    mathematically (the factor e^-m cancels) but keeps every exponent <= 0,
    so nothing overflows. Entries are in [0, 1] and sum to 1.

    >>> [round(p, 6) for p in softmax([1.0, 2.0, 3.0])]
    [0.090031, 0.244728, 0.665241]
    >>> softmax([1000.0, 1000.0])
    [0.5, 0.5]

    An empty z raises BackpropError.
    """
    if not z:
        raise BackpropError("softmax requires at least one value, got []")
    m = max(z)
    if math.isinf(m):  # +inf entries share all the mass; all -inf: uniform
        top = [1.0 if v == m else 0.0 for v in z]
        return [t / total(top) for t in top]
    e = [exp(v - m) for v in z]
    s = total(e)
    return [v / s for v in e]


# === Layers: the functions above, applied neuron by neuron =================


class Activation(namedtuple("Activation", "name f prime prime_of")):
    """A layer's activation: its function ``f`` and derivative ``prime``.

    ``prime_of`` says what ``prime`` takes: ``"a"``, the neuron's output
    a = f(z), where f' can be written with it (sigmoid: a (1 - a), tanh:
    1 - a^2; no exponential to recompute), else ``"z"``. Softmax mixes a
    whole layer, so its ``f`` takes the layer and its ``prime`` is None:
    see :func:`softmax_backward`.
    """

    __slots__ = ()


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime_from_output, "a"),
    "tanh": Activation("tanh", tanh, tanh_prime_from_output, "a"),
    "relu": Activation("relu", relu, relu_prime, "z"),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_prime,
                             "z"),
    "identity": Activation("identity", identity, identity_prime, "z"),
    "softmax": Activation("softmax", softmax, None, "a"),
}


def activate(act: Activation, z: list[float]) -> list[float]:
    """Return a layer's outputs a_j = f(z_j), one neuron at a time
    (softmax: the whole layer at once).

    >>> activate(ACTIVATIONS["relu"], [-1.0, 2.0])
    [0.0, 2.0]
    """
    if act.prime is None:                     # softmax
        return act.f(z)
    return [act.f(z_j) for z_j in z]


def derivatives(act: Activation, z: list[float],
                a: list[float]) -> list[float]:
    """Return f'(z_j) for every neuron j of a layer, from z or from the
    outputs a as ``act.prime_of`` says.

    >>> derivatives(ACTIVATIONS["sigmoid"], [0.0, 0.0], [0.5, 0.5])
    [0.25, 0.25]
    >>> derivatives(ACTIVATIONS["relu"], [-1.0, 2.0], [0.0, 2.0])
    [0.0, 1.0]
    """
    return [act.prime(v) for v in (a if act.prime_of == "a" else z)]


def softmax_backward(a: list[float], g: list[float]) -> list[float]:
    """Return delta = dL/dz for a softmax layer with outputs a, given
    g = dL/da.

    Softmax mixes its inputs: da_i/dz_k = a_i (1[i == k] - a_k), where
    1[i == k] is 1 if i == k and 0 otherwise, so by the chain rule summed
    over every output (g times the Jacobian, the matrix of da_i/dz_k)
    delta_k = sum_i g_i a_i (1[i == k] - a_k) = a_k (g_k - sum_i g_i a_i).

    >>> softmax_backward([0.5, 0.5], [1.0, 0.0])
    [0.25, -0.25]
    """
    ga = dot(g, a)
    return [a_k * (g_k - ga) for a_k, g_k in zip(a, g)]


def get_activation(name: str | Activation) -> Activation:
    """Return the :class:`Activation` called ``name``.

    >>> act = get_activation("sigmoid")
    >>> activate(act, [0.0, 0.0])
    [0.5, 0.5]
    >>> act.prime(0.5)          # sigma'(z) from the output a = 0.5
    0.25

    An unknown name raises BackpropError listing the known ones.
    """
    if isinstance(name, Activation):
        return name
    return _checks.lookup("activation", name, ACTIVATIONS)
