"""What each ``python -m backprop`` subcommand does, once its arguments
are parsed.

`backprop.cli` reads the command line into an ``argparse.Namespace`` and
calls the function for the subcommand from COMMANDS; each function prints
its report and returns the exit status. The data come from
`backprop.datasets.load`, model files from `backprop.io`, so these
functions only put the pieces together and print.

============  ==========================================================
name          what it is
============  ==========================================================
COMMANDS      subcommand name (None: plain XOR run) -> function(args)
Progress      the train callback that prints loss lines and a status line
batch_mode    "full batch", "per-sample SGD" or "mini-batches of N"
NOT_GIVEN     the default of an option whose data-set default applies
============  ==========================================================

>>> batch_mode(None), batch_mode(1), batch_mode(10)
('full batch', 'per-sample SGD', 'mini-batches of 10')
>>> sorted(name for name in COMMANDS if name)
['compare', 'doctest', 'explain', 'gradcheck', 'predict', 'selftest', \
'train']
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import _checks, csvdata, datasets, io, prepare, shell
from .activations import ACTIVATIONS
from .datasets import DataSet
from .errors import BackpropError, DivergenceError
from .losses import LOSSES
from .network import Network
from .optimizers import OPTIMIZERS
from .shell import Progress
from .training import History, train

__all__ = ["COMMANDS", "Progress", "batch_mode", "NOT_GIVEN"]

NOT_GIVEN = object()
"""The default of ``--batch`` in train and compare: the data set's batch
size applies (``--batch full`` gives None, full batch)."""

_LOSS_FOR = {"sigmoid": "binary_cross_entropy",
             "softmax": "categorical_cross_entropy"}


def batch_mode(batch_size: int | None) -> str:
    """Return how a batch size trains, in words."""
    return {None: "full batch", 1: "per-sample SGD"}.get(
        batch_size, f"mini-batches of {batch_size}")


def _fit(net: Network, data: DataSet, args: argparse.Namespace, *,
         loss: str, report: str | None = None, label: str = "") -> History:
    """Train net as args say, reporting through a Progress line."""
    progress = Progress(args.epochs, args.print_every, label=label)
    try:
        return train(net, data.X, data.y, epochs=args.epochs, eta=args.eta,
                     batch_size=args.batch, loss=loss, report_loss=report,
                     optimizer=args.optimizer, callback=progress)
    finally:
        progress.close()


# === Before any work: names, output files, the data ===================

def _check_names(args: argparse.Namespace) -> None:
    """Refuse an unknown activation, loss or optimizer name before any
    work or output, suggesting the closest valid one."""
    names = [("activation", getattr(args, "activation", None)),
             ("activation", getattr(args, "output_activation", None)),
             ("loss", getattr(args, "loss", None)),
             ("optimizer", getattr(args, "optimizer", None))]
    if getattr(args, "what", None) == "optimizer":
        names += [("optimizer", n) for n in args.optimizers.split(",")]
    tables: dict[str, Any] = {"activation": ACTIVATIONS, "loss": LOSSES,
                              "optimizer": OPTIMIZERS}
    for kind, name in names:
        if name is not None:
            _checks.known(kind, name, list(tables[kind]))


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse --save and --plot paths that cannot be written, before
    training, so a finished run is never lost to a bad path."""
    shell.check_output("--save", getattr(args, "save", None), ".json",
                       "the model as JSON")
    shell.check_output("--plot", getattr(args, "plot", None), ".svg",
                       "an SVG chart")


def _data(args: argparse.Namespace) -> DataSet:
    """Return the data set of train and compare: a name or --csv FILE."""
    args.classes = None
    if args.csv is None:
        args.dataset = args.dataset or "xor"
        data = datasets.load(args.dataset)
        if data.labels is not None:     # class names, for predict
            k = len(data.y[0]) if len(data.y[0]) > 1 else 2
            args.classes = list(datasets.WHEAT_VARIETIES) \
                if args.dataset == "wheat-seeds" else list(map(str, range(k)))
        return data
    if args.dataset is not None:
        raise BackpropError(f"give a data set name or --csv FILE, not "
                            f"both (got {args.dataset} and --csv)")
    data, args.classes = csvdata.load_csv(args.csv, label=args.label,
                                          seed=args.seed)
    args.dataset = data.name
    return data


def _prepare(args: argparse.Namespace) -> tuple[DataSet, Network]:
    """Check every option, load the data and build the network, before
    anything is printed."""
    _check_names(args)
    _check_outputs(args)
    data = _data(args)
    return data, _network(args, data)


def _network(args: argparse.Namespace, data: DataSet) -> Network:
    """Return the seeded network for train and compare, with the data
    set's input and output sizes; fill in the data set's recipe for the
    options not given (args.loss, epochs, eta, batch)."""
    recipe = data.recipe
    n_in, n_out = len(data.X[0]), len(data.y[0])
    sizes = args.layers or [n_in, *(args.hidden or recipe.hidden), n_out]
    if len(sizes) < 2 or sizes[0] != n_in or sizes[-1] != n_out:
        raise BackpropError(
            f"--layers must start with {n_in} (inputs) and end with "
            f"{n_out} (outputs) for {args.dataset}, got "
            f"{','.join(map(str, sizes))}")
    hidden = args.activation or recipe.activation
    out = args.output_activation or recipe.output
    args.loss = args.loss or _LOSS_FOR.get(out, "mse")
    args.epochs = args.epochs or recipe.epochs
    args.eta = args.eta or recipe.eta
    if args.batch is NOT_GIVEN:
        args.batch = recipe.batch_size
    return Network(sizes, [hidden] * (len(sizes) - 2) + [out],
                   seed=args.seed)


def _fmt(v: Sequence[float]) -> str:
    return "[" + ", ".join(f"{x:g}" for x in v) + "]"


def _print_predictions(net: Network, data: DataSet) -> None:
    print("\nPredictions:")
    for x, t, p in zip(data.X, data.y, net.predict(data.X)):
        print(f"Input: {_fmt(x)} -> Predicted: {p[0]:.4f}, Actual: {t[0]:g}")


# === The subcommands ========================================================

def _xor(args: argparse.Namespace) -> int:
    """Plain ``python -m backprop``: seed 000's XOR run."""
    args.optimizer, args.print_every = "gd", \
        args.print_every or max(1, args.epochs // 10)
    data = datasets.load("xor")
    net = Network([2, *args.hidden, 1], seed=args.seed)
    shape = "-".join(map(str, net.sizes))
    print(f"Training a {shape} sigmoid network on XOR "
          f"({batch_mode(args.batch)}, eta={args.eta}, seed={args.seed})\n"
          "  stepping along the binary cross-entropy gradient; the loss "
          "shown is the mean squared error")
    # Seed 000's update: delta = output - y (binary cross-entropy through
    # a sigmoid), reported as the mean squared error.
    _fit(net, data, args, loss="binary_cross_entropy", report="mse")
    _print_predictions(net, data)
    return 0


def _train(args: argparse.Namespace) -> int:
    data, net = _prepare(args)
    args.print_every = args.print_every or max(1, args.epochs // 10)
    print(f"Training a {'-'.join(map(str, net.sizes))} network on "
          f"{args.dataset}: {len(data.X)} samples, {batch_mode(args.batch)}"
          f", {args.epochs} epochs\n  activations "
          f"{' -> '.join(net.activations)}, loss {args.loss}, "
          f"{args.optimizer}, eta={args.eta}, seed={args.seed}")
    history = _fit(net, data, args, loss=args.loss)
    if data.labels is None:
        _print_predictions(net, data)
    else:
        print()
        for name, X, labels in (("training", data.X, data.labels),
                                ("test", data.X_test, data.labels_test)):
            if X:
                acc = prepare.accuracy(net.predict(X), labels)
                print(f"Accuracy on the {len(X)} {name} samples: "
                      f"{acc:.1%}")
    return _write_outputs(args, net, data, history)


def _write_outputs(args: argparse.Namespace, net: Network, data: DataSet,
                   history: History) -> int:
    """Save the model, then draw the chart; a failure of one is reported
    on its own line and does not stop the other. Return 2 if any
    failed, else 0."""
    jobs = []
    if args.save:
        jobs.append((lambda: _save(args, net, data),
                     f"Saved the network to {args.save}"))
    if args.plot:
        jobs.append((lambda: _plot({args.loss: history.losses}, args.plot,
                                   f"Training loss on {args.dataset}"),
                     f"Wrote the loss chart to {args.plot}"))
    status = 0
    for write, done in jobs:
        try:
            write()
            print(done)
        except (BackpropError, OSError) as exc:
            print(f"python -m backprop {args.command}: error: "
                  f"{shell.message(exc)}", file=sys.stderr)
            status = 2
    return status


def _save(args: argparse.Namespace, net: Network, data: DataSet) -> None:
    """Save net with its training settings and the data's preprocessing
    (the standardization that predict must apply to new inputs)."""
    metadata: dict[str, Any] = {
        "dataset": args.dataset, "epochs": args.epochs, "eta": args.eta,
        "loss": args.loss, "seed": args.seed}
    if args.classes is not None:
        metadata["classes"] = args.classes
    io.save(net, args.save, metadata=metadata,
            preprocessing=io.standardization(data.mean, data.std))


def _plot(curves: dict[str, Sequence[float]], path: str, title: str
          ) -> None:
    from .plot import loss_chart, save_svg  # only when asked for
    save_svg(loss_chart(curves, title=title), path)


def _predict(args: argparse.Namespace) -> int:
    model = io.load_model(args.model)
    net = model.net
    X = list(args.input)
    if args.csv:
        X += csvdata.read_rows(args.csv)
    if not X:
        raise BackpropError("give inputs with --input 0,1 or --csv FILE")
    for i, x in enumerate(X):
        if len(x) != net.sizes[0]:
            raise BackpropError(
                f"input {i + 1} {_fmt(x)} has {len(x)} values but the "
                f"network has {net.sizes[0]} inputs")
    classes = (model.metadata or {}).get("classes")
    for x, a in zip(X, model.predict(X)):
        name = f"  class {classes[prepare.classify([a])[0]]}" \
            if classes else ""
        print(f"Input: {_fmt(x)} -> Output: "
              f"[{', '.join(f'{v:.4f}' for v in a)}]{name}")
    return 0


# explain writes about 140 bytes per parameter (784-128-10: 14 MB);
# gradcheck runs two forward passes per parameter (that net: minutes).
EXPLAIN_LIMIT = 2000
GRADCHECK_WARN = 5000


def _explain(args: argparse.Namespace) -> int:
    from . import explain as ex
    _check_names(args)
    net = _weights(args.weights) if args.weights else ex.default_network()
    n = _parameters(net)
    if n > EXPLAIN_LIMIT and not args.force:
        raise BackpropError(
            f"a {'-'.join(map(str, net.sizes))} network has {n:,} weights "
            f"and biases; its step would be about {n * 140 // 1000:,} kB "
            f"of text (the limit is {EXPLAIN_LIMIT:,} parameters). Give "
            "--force to write it anyway, or explain a smaller network")
    y = args.target
    if y is None and args.weights:      # say which target is used
        y = ex.DEFAULT_Y if net.sizes[-1] == 2 else [0.0] * net.sizes[-1]
        print(f"explain: no --target given; using y = {_fmt(y)} (give "
              "--target to choose)", file=sys.stderr)
    print(ex.explain(net, args.input or ex.DEFAULT_X, y or ex.DEFAULT_Y,
                     eta=args.eta or ex.DEFAULT_ETA, loss=args.loss,
                     markdown=args.markdown))
    return 0


def _weights(path: str) -> Network:
    """Return io.load_weights(path); its errors name the file."""
    try:
        return io.load_weights(path)
    except (BackpropError, TypeError) as exc:
        if path in str(exc) or not shell.is_user_error(exc):
            raise
        raise BackpropError(f"{path}: {exc}") from None


def _parameters(net: Network) -> int:
    """Return the number of weights and biases of net."""
    n = 0
    for W_l in net.W:           # n_out x n_in weights, n_out biases
        n += len(W_l) * (len(W_l[0]) + 1)
    return n


def _gradcheck(args: argparse.Namespace) -> int:
    from .gradcheck import gradcheck
    _check_names(args)
    rng = random.Random(args.seed)
    if args.model:
        net = io.load(args.model)
    else:
        acts = [args.activation] * (len(args.layers) - 2) + [
            args.output_activation or args.activation]
        net = Network(args.layers, acts, seed=args.seed)
    n_in, n_out = net.sizes[0], net.sizes[-1]
    x = args.input or [rng.uniform(-1, 1) for _ in range(n_in)]
    if args.target:
        y = args.target
    elif net.activations[-1] == "softmax" or n_out > 1 and \
            args.loss == "categorical_cross_entropy":
        y = prepare.one_hot([rng.randrange(n_out)], n_out)[0]
    else:
        y = [rng.random() for _ in range(n_out)]
    n = _parameters(net)
    if n > GRADCHECK_WARN:
        print(f"gradcheck: {n:,} parameters, two forward passes each; "
              "this can take minutes (Ctrl-C stops it)", file=sys.stderr)
    report = gradcheck(net, x, y, loss=args.loss, tol=args.tol)
    print(f"Gradient check of a {'-'.join(map(str, net.sizes))} network "
          f"({', '.join(net.activations)}), loss {args.loss}, x = {_fmt(x)}"
          f", y = {_fmt(y)}")
    print(report)
    return 0 if report.ok else 1


def _compare(args: argparse.Namespace) -> int:
    data, start = _prepare(args)
    m = len(data.X)
    what = "batch modes" if args.what == "batch" else "optimizers"
    print(f"Comparing {what} on {args.dataset}, from one starting "
          f"{'-'.join(map(str, start.sizes))} network (seed {args.seed})\n"
          f"  loss {args.loss}, eta={args.eta}, {args.epochs} epochs")
    args.print_every = None
    curves: dict[str, Sequence[float]] = {}
    for name, batch, optimizer in _runs(args, m):
        net = Network.from_weights(start.W, start.b, start.activations)
        args.batch, args.optimizer = batch, optimizer
        steps = args.epochs * -(-m // (batch or m))     # ceil(m / batch)
        try:
            losses = _fit(net, data, args, loss=args.loss,
                          label=f"{name}: ").losses
            result = f"final loss {losses[-1]:.6g}  ({steps} steps)"
        except DivergenceError as exc:
            h = exc.history
            losses = h.losses if isinstance(h, History) else []
            result = f"diverged after {len(losses)} epochs"
        print(f"  {name:<22} {result}")
        if losses:
            curves[name] = losses
    if args.plot:
        _plot(curves, args.plot,
              f"Loss on {args.dataset}: {args.what} compared")
        print(f"Wrote the chart to {args.plot}")
    return 0


def _runs(args: argparse.Namespace, m: int
          ) -> list[tuple[str, int | None, str]]:
    """Return the (name, batch size, optimizer) of each run to compare."""
    if args.what == "batch":
        k = args.batch_size or max(2, m // 4)
        return [("full batch", None, args.optimizer),
                ("per-sample SGD", 1, args.optimizer),
                (f"mini-batches of {k}", k, args.optimizer)]
    return [(name, args.batch, name) for name in args.optimizers.split(",")]


def _selftest(args: argparse.Namespace) -> int:
    from .selftest import selftest
    passed, failed = selftest()
    return 1 if failed else 0


def _doctest(args: argparse.Namespace) -> int:
    from .pagetest import pagetest
    passed, failed, skipped = pagetest(args.paths)
    return 1 if failed else 0


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: _xor, "train": _train, "predict": _predict, "explain": _explain,
    "gradcheck": _gradcheck, "compare": _compare, "selftest": _selftest,
    "doctest": _doctest}
"""The function that runs each subcommand (None: no subcommand)."""
