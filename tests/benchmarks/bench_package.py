"""The package's contender: ``backprop.training.train`` on the shared
starting weights, with the loss and batch size the config names."""

from __future__ import annotations

import time


def run(cfg):
    """Return {"loss", "elapsed", "W", "b"} after training the config's
    network with ``train`` (with the config's ``optimizer``, "gd" by
    default); only ``train`` is timed. The loss is the last epoch's
    reported mean squared error or, with ``final_mse`` in the config (to
    compare with the floor, which prints it so), the mean squared error
    of the trained network over all samples and outputs."""
    from backprop.network import Network
    from backprop.training import train
    X, Y = cfg["X"], cfg["Y"]
    net = Network.from_weights(cfg["W"], cfg["b"], activation="sigmoid")
    t0 = time.perf_counter()
    history = train(net, X, Y, epochs=cfg["epochs"], eta=cfg["eta"],
                    batch_size=cfg["batch_size"], loss=cfg["loss"],
                    report_loss="mse", optimizer=cfg.get("optimizer", "gd"))
    elapsed = time.perf_counter() - t0
    loss = history.losses[-1]
    if cfg.get("final_mse"):
        from backprop.losses import mse
        from backprop.matrix import total
        loss = total(mse(a, t) for a, t in zip(net.predict(X), Y)) / len(X)
    return {"loss": loss, "elapsed": elapsed,
            "W": net.W, "b": net.b}
