"""The package reproduces the four seeds' numbers and updates.

Seed code is transcribed from ../shared/seeds/ into NumPy below, so every
expected number comes either from a seed's printout or from running the
seed's own update rule independently of the package.
"""

import pytest

import backprop as bp

# The expected values are computed in NumPy (the helpers use it too).
np = pytest.importorskip("numpy")

X = [[0, 0], [0, 1], [1, 0], [1, 1]]
Y = [[0], [1], [1], [0]]


# === Seed 002: column vectors, per-sample SGD, printed digits ============

def seed002_net():
    np.random.seed(42)  # the seed's own draws, in its order
    W1 = np.random.rand(2, 2)
    b1 = np.random.rand(2, 1)
    W2 = np.random.rand(1, 2)
    b2 = np.random.rand(1, 1)
    # Seed 002's W is (out, in): exactly our W[j][k] convention.
    return bp.Network.from_weights(
        [W1.tolist(), W2.tolist()], [b1.ravel().tolist(), b2.ravel().tolist()])


def test_seed002_initial_loss_matches_printout():
    net = seed002_net()
    y_hat = net.forward([0, 1]).a[-1]
    assert bp.mse(y_hat, [1]) == pytest.approx(0.05084754666230897, rel=1e-15)


# "Epoch 1, Loss: ..." etc. as printed by seed 002 (epoch+1 labels).
SEED002_PRINTED = [
    0.3239537158130419, 0.24817211793449434, 0.21459076862934467,
    0.15936526038440854, 0.04888994977531156, 0.016090123221200778,
    0.00861826270292999, 0.005697165950060215, 0.00419533701162551,
    0.0032952036447040957,
]


def test_seed002_training_matches_printout():
    net = seed002_net()
    # It steps along (y_hat - y) * sigma' -- the half_sse gradient -- one
    # sample at a time, and reports the MSE averaged over the epoch.
    h = bp.train(net, X, Y, epochs=10000, eta=0.1, batch_size=1,
                 loss="half_sse", report_loss="mse")
    got = h.losses[::1000]
    assert got == pytest.approx(SEED002_PRINTED, rel=1e-12)
    final = [p[0] for p in net.predict(X)]
    printed = [0.05464331, 0.95032601, 0.95006665, 0.05336686]
    assert [round(p, 8) for p in final] == printed


# === Seed 000: row vectors (W is (in, out)), full batch, output - y ======

class Seed000:
    """Seed 000's NeuralNetwork class, transcribed."""

    def __init__(self, W1, b1, W2, b2):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2

    def sigmoid(self, z):
        return 1 / (1 + np.exp(-np.clip(z, -500, 500)))

    def forward(self, X):
        self.z1 = np.dot(X, self.W1) + self.b1
        self.a1 = self.sigmoid(self.z1)
        self.z2 = np.dot(self.a1, self.W2) + self.b2
        self.a2 = self.sigmoid(self.z2)
        return self.a2

    def backward(self, X, y, output, learning_rate=0.1):
        m = X.shape[0]
        dz2 = output - y
        dW2 = (1 / m) * np.dot(self.a1.T, dz2)
        db2 = (1 / m) * np.sum(dz2, axis=0, keepdims=True)
        dz1 = np.dot(dz2, self.W2.T) * (self.a1 * (1 - self.a1))
        dW1 = (1 / m) * np.dot(X.T, dz1)
        db1 = (1 / m) * np.sum(dz1, axis=0, keepdims=True)
        self.W2 -= learning_rate * dW2
        self.b2 -= learning_rate * db2
        self.W1 -= learning_rate * dW1
        self.b1 -= learning_rate * db1

    def step(self, X, y):
        output = self.forward(X)
        self.backward(X, y, output)
        return np.mean(np.square(output - y))


def seed000_pair(scale):
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((2, 4)) * scale
    W2 = rng.standard_normal((4, 1)) * scale
    b1 = rng.standard_normal((1, 4)) * scale
    b2 = rng.standard_normal((1, 1)) * scale
    ours = bp.Network.from_weights(
        [W1.T.tolist(), W2.T.tolist()],   # (in, out) -> W[j][k]
        [b1.ravel().tolist(), b2.ravel().tolist()])
    return Seed000(W1, b1, W2, b2), ours


@pytest.mark.parametrize("scale", [0.01, 1.0])
def test_seed000_full_batch_steps_agree(scale):
    seed, net = seed000_pair(scale)
    Xa, Ya = np.array(X, float), np.array(Y, float)
    for _ in range(5):
        ref_loss = seed.step(Xa, Ya)
        h = bp.train(net, X, Y, epochs=1, eta=0.1,
                     loss="binary_cross_entropy", report_loss="mse")
        assert h.losses[0] == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(net.W[0], seed.W1.T, rtol=1e-12, atol=0)
    np.testing.assert_allclose(net.W[1], seed.W2.T, rtol=1e-12, atol=0)
    np.testing.assert_allclose(net.b[0], seed.b1.ravel(), rtol=1e-12)
    np.testing.assert_allclose(net.b[1], seed.b2.ravel(), rtol=1e-12)


def test_seed000_as_written_sits_on_the_plateau():
    # weights x 0.01, learning rate 0.1, 1000 epochs: the code as written
    # never leaves loss ~0.25 (the printout in the seed is not from it).
    seed, net = seed000_pair(0.01)
    h = bp.train(net, X, Y, epochs=1000, eta=0.1,
                 loss="binary_cross_entropy", report_loss="mse")
    Xa, Ya = np.array(X, float), np.array(Y, float)
    ref = [seed.step(Xa, Ya) for _ in range(1000)]
    assert h.losses == pytest.approx(ref, rel=1e-10)
    assert all(abs(v - 0.25) < 0.001 for v in h.losses)


# === Seed 001: no biases, U[0,1) weights, adds (y - output) ==============

def seed001_steps(w1, w2, steps, learning_rate=0.1):
    Xa, y = np.array(X, float), np.array(Y, float)

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    for _ in range(steps):
        layer1_output = sigmoid(np.dot(Xa, w1))
        output = sigmoid(np.dot(layer1_output, w2))
        error = y - output
        output_delta = error * (output * (1 - output))
        layer1_error = output_delta.dot(w2.T)
        layer1_delta = layer1_error * (layer1_output * (1 - layer1_output))
        w2 += layer1_output.T.dot(output_delta) * learning_rate
        w1 += Xa.T.dot(layer1_delta) * learning_rate
    return w1, w2


def test_seed001_steps_agree():
    rng = np.random.default_rng(1)
    w1, w2 = rng.uniform(size=(2, 4)), rng.uniform(size=(4, 1))
    net = bp.Network.from_weights([w1.T.tolist(), w2.T.tolist()], b=None)
    # Seed 001 *sums* the half_sse gradient over the batch: the same as our
    # mean with the learning rate times the batch size (4).
    bp.train(net, X, Y, epochs=5, eta=0.1 * 4, loss="half_sse")
    w1, w2 = seed001_steps(w1, w2, 5)
    np.testing.assert_allclose(net.W[0], w1.T, rtol=1e-12)
    np.testing.assert_allclose(net.W[1], w2.T, rtol=1e-12)
    assert net.b is None


def test_seed001_network_without_biases_has_no_bias_gradient():
    net = bp.Network([2, 4, 1], init="uniform", seed=3, bias=False)
    g = net.backward(net.forward([1.0, 0.0]), [1.0], "half_sse")
    assert g.db is None and net.b is None
