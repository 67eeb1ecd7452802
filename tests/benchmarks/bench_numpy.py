"""NumPy contenders: seed 000's class and seed 002's functions, as written
in the seeds, with the shared starting weights loaded instead of drawn.

Seed 000 stores weights as (in, out), the transpose of the package's
W[j][k], and biases as rows (1, out); seed 002 stores W as (out, in) like
the package and biases as columns (out, 1). Each loader converts once,
before the timed region, and each contender converts back when it
returns W and b.
"""

from __future__ import annotations

import time

import numpy as np

# === Seed 000: full batch, X is (m, in) ===

class NeuralNetwork:
    """Seed 000's two-layer network, weights given instead of drawn.

    *output_delta* is seed 000's ``"a - y"`` (sigmoid + binary
    cross-entropy) or ``"half_sse"``, (a - y) * a * (1 - a), for the
    64-32-10 full-batch row, whose ten outputs make the cross-entropy
    convention ambiguous.
    """

    def __init__(self, W1, b1, W2, b2, output_delta="a - y"):
        self.W1 = np.array(W1, dtype=float).T      # (in, hidden)
        self.b1 = np.array([b1], dtype=float)      # (1, hidden)
        self.W2 = np.array(W2, dtype=float).T      # (hidden, out)
        self.b2 = np.array([b2], dtype=float)      # (1, out)
        self.half_sse = output_delta == "half_sse"

    def sigmoid(self, z):
        return 1 / (1 + np.exp(-np.clip(z, -500, 500)))

    def sigmoid_derivative(self, z):
        return z * (1 - z)

    def forward(self, X):
        # Hidden layer
        self.z1 = np.dot(X, self.W1) + self.b1
        self.a1 = self.sigmoid(self.z1)
        # Output layer
        self.z2 = np.dot(self.a1, self.W2) + self.b2
        self.a2 = self.sigmoid(self.z2)
        return self.a2

    def backward(self, X, y, output, learning_rate=0.1):
        m = X.shape[0]
        # Output layer gradients
        dz2 = output - y
        if self.half_sse:
            dz2 = dz2 * self.sigmoid_derivative(output)
        dW2 = (1/m) * np.dot(self.a1.T, dz2)
        db2 = (1/m) * np.sum(dz2, axis=0, keepdims=True)
        # Hidden layer gradients
        dz1 = np.dot(dz2, self.W2.T) * self.sigmoid_derivative(self.a1)
        dW1 = (1/m) * np.dot(X.T, dz1)
        db1 = (1/m) * np.sum(dz1, axis=0, keepdims=True)
        # Update weights
        self.W2 -= learning_rate * dW2
        self.b2 -= learning_rate * db2
        self.W1 -= learning_rate * dW1
        self.b1 -= learning_rate * db1

    def train(self, X, y, epochs=1000, learning_rate=0.1):
        for epoch in range(epochs):
            # Forward pass
            output = self.forward(X)
            # Backward pass
            self.backward(X, y, output, learning_rate)
            if epoch % 100 == 0 or epoch == epochs - 1:
                # the seed prints this every 100 epochs; here it is kept,
                # and the last epoch's is kept too: the final loss
                self.loss = np.mean(np.square(output - y))


def run_seed000(cfg):
    """Return {"loss", "elapsed", "W", "b", "numpy"}: seed 000's class
    trained full batch; only ``train`` is timed."""
    if cfg["batch_size"] is not None:
        raise ValueError("numpy_seed000 is full batch only")
    (W1, W2), (b1, b2) = cfg["W"], cfg["b"]
    delta = "half_sse" if cfg["loss"] == "half_sse" else "a - y"
    nn = NeuralNetwork(W1, b1, W2, b2, output_delta=delta)
    X = np.array(cfg["X"], dtype=float)
    y = np.array(cfg["Y"], dtype=float)
    t0 = time.perf_counter()
    nn.train(X, y, epochs=cfg["epochs"], learning_rate=cfg["eta"])
    elapsed = time.perf_counter() - t0
    return {"loss": float(nn.loss), "elapsed": elapsed,
            "W": [nn.W1.T.tolist(), nn.W2.T.tolist()],
            "b": [nn.b1[0].tolist(), nn.b2[0].tolist()],
            "numpy": numpy_info()}


# === Seed 002: per-sample SGD, column vectors ===

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1 - x)  # Derivative of the sigmoid function


def forward_pass(x, W1, b1, W2, b2):
    # x is a column vector (d, 1)
    z1 = np.dot(W1, x) + b1  # (h, d) * (d, 1) + (h, 1) => (h, 1)
    v1 = sigmoid(z1)  # Apply activation function (h, 1)
    z2 = np.dot(W2, v1) + b2  # (o, h) * (h, 1) + (o, 1) => (o, 1)
    y_hat = sigmoid(z2)  # Apply activation function (o, 1)
    return v1, y_hat


def compute_loss(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)


def backpropagation(x, v1, y_hat, y, W1, b1, W2, b2, learning_rate):
    # 1. Output layer error
    error_output = y_hat - y  # Shape: (o, 1)
    d_output = error_output * sigmoid_derivative(y_hat)  # (o, 1)
    # 2. Hidden layer error (backpropagate)
    error_hidden = np.dot(W2.T, d_output)  # (h, 1)
    d_hidden = error_hidden * sigmoid_derivative(v1)  # (h, 1)
    # 3. Update weights and biases for output layer
    W2 -= learning_rate * np.dot(d_output, v1.T)  # (o, h)
    b2 -= learning_rate * d_output  # (o, 1)
    # 4. Update weights and biases for hidden layer
    W1 -= learning_rate * np.dot(d_hidden, x.T)  # (h, d)
    b1 -= learning_rate * d_hidden  # (h, 1)
    return W1, b1, W2, b2


def train_seed002(inputs, outputs, W1, b1, W2, b2, epochs, learning_rate):
    """Seed 002's training loop; returns the weights and the last
    epoch's loss, which the seed prints every 1000 epochs."""
    for _epoch in range(epochs):
        total_loss = 0
        for i in range(len(inputs)):
            x = inputs[i].reshape(-1, 1)
            y = outputs[i].reshape(-1, 1)
            v1, y_hat = forward_pass(x, W1, b1, W2, b2)
            W1, b1, W2, b2 = backpropagation(x, v1, y_hat, y, W1, b1, W2,
                                             b2, learning_rate)
            total_loss += compute_loss(y, y_hat)
    return W1, b1, W2, b2, total_loss / len(inputs)


def run_seed002(cfg):
    """Return {"loss", "elapsed", "W", "b", "numpy"}: seed 002's
    per-sample loop; only the loop is timed."""
    if cfg["batch_size"] != 1 or cfg["loss"] != "half_sse":
        raise ValueError("numpy_seed002 is per-sample half_sse only")
    (W1, W2), (b1, b2) = cfg["W"], cfg["b"]
    W1 = np.array(W1, dtype=float)                  # (h, d)
    W2 = np.array(W2, dtype=float)                  # (o, h)
    b1 = np.array(b1, dtype=float).reshape(-1, 1)   # (h, 1)
    b2 = np.array(b2, dtype=float).reshape(-1, 1)   # (o, 1)
    inputs = np.array(cfg["X"], dtype=float)
    outputs = np.array(cfg["Y"], dtype=float)
    t0 = time.perf_counter()
    W1, b1, W2, b2, loss = train_seed002(inputs, outputs, W1, b1, W2,
                                         b2, cfg["epochs"], cfg["eta"])
    elapsed = time.perf_counter() - t0
    return {"loss": float(loss), "elapsed": elapsed,
            "W": [W1.tolist(), W2.tolist()],
            "b": [b1[:, 0].tolist(), b2[:, 0].tolist()],
            "numpy": numpy_info()}


# === Context ===

def numpy_info():
    """Return NumPy's version and BLAS kernel (threadpoolctl if
    installed)."""
    info = {"version": np.__version__}
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        info["blas"] = "threadpoolctl not installed: kernel not recorded"
        return info
    info["blas"] = "; ".join(
        "{} {} {}, {} threads".format(p.get("internal_api"), p.get("version"),
                                 p.get("architecture"),
                                 p.get("num_threads"))
        for p in threadpool_info() if p.get("user_api") == "blas")
    return info


def run_overhead(cfg):
    """Return {"loss", "elapsed", "overhead"}: microseconds per call of
    tiny operations on a 2-4-1 layer, NumPy against pure Python."""
    import timeit
    from operator import mul
    W = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]])
    x = np.array([1.0, 2.0])
    a = np.array([0.1, 0.2, 0.3, 0.4])
    W_list, x_list, a_list = W.tolist(), x.tolist(), a.tolist()
    cases = {
        "numpy W @ x (4x2)": lambda: np.dot(W, x),
        "python W @ x (4x2)": lambda: [sum(map(mul, row, x_list))
                                       for row in W_list],
        "numpy a * (1 - a) (4)": lambda: a * (1 - a),
        "python a * (1 - a) (4)": lambda: [v * (1 - v) for v in a_list],
    }
    n = cfg.get("number", 100000)
    t0 = time.perf_counter()
    overhead = {k: min(timeit.repeat(f, number=n, repeat=3)) / n * 1e6
                for k, f in cases.items()}
    elapsed = time.perf_counter() - t0
    return {"loss": 0.0, "elapsed": elapsed, "overhead": overhead,
            "numpy": numpy_info()}


CONTENDERS = {"numpy_seed000": run_seed000, "numpy_seed002": run_seed002,
              "numpy_overhead": run_overhead}
