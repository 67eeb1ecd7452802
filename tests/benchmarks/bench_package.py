"""The package's contender: ``backprop.training.train`` on the shared
starting weights, with the loss and batch size the config names."""

from __future__ import annotations

import time


def run(cfg):
    """Return {"loss", "elapsed", "W", "b"} after training the config's
    network with ``train``; only ``train`` is timed. The loss is the
    last epoch's reported mean squared error."""
    from backprop.network import Network
    from backprop.training import train
    X, Y = cfg["X"], cfg["Y"]
    net = Network.from_weights(cfg["W"], cfg["b"], activation="sigmoid")
    t0 = time.perf_counter()
    history = train(net, X, Y, epochs=cfg["epochs"], eta=cfg["eta"],
                    batch_size=cfg["batch_size"], loss=cfg["loss"],
                    report_loss="mse")
    elapsed = time.perf_counter() - t0
    return {"loss": history.losses[-1], "elapsed": elapsed,
            "W": net.W, "b": net.b}
