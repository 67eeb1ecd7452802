"""The house rules of backprop/, checked by reading its source.

* One formula, one function: outside _fast.py each formula is written
  once (the sigmoid, its derivative, the outer product of BP4, the
  update), and train's chain of calls reaches forward, backward and
  optimizer.step.
* One summation: no builtin sum(), math.fsum or math.sumprod outside
  matrix.total (and _fast.py, which calls sum() with total's start value).
* No module imports another module's private names; only _checks.py,
  the one home of input checks, is a private module others import.
* Short functions, short modules: at most 40 lines of code per function
  (docstring and comments not counted) and 450 lines per module.
"""
import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "backprop"
MODULES = sorted(PACKAGE.glob("*.py"))
SOURCE = {p.name: p.read_text(encoding="utf-8") for p in MODULES}
TREES = {name: ast.parse(text) for name, text in SOURCE.items()}


def functions(tree):
    return [n for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def code_lines(fn, text):
    """Lines of fn's body that are code: no docstring, comment or blank."""
    body = fn.body
    if ast.get_docstring(fn) is not None:
        body = body[1:]
    if not body:
        return 0
    lines = text.splitlines()[body[0].lineno - 1:fn.end_lineno]
    return sum(1 for ln in lines
               if ln.strip() and not ln.strip().startswith("#"))


@pytest.mark.parametrize("name", sorted(SOURCE))
def test_modules_and_functions_are_short(name):
    text = SOURCE[name]
    assert text.count("\n") <= 450, f"{name} has {text.count(chr(10))} lines"
    long = {fn.name: code_lines(fn, text) for fn in functions(TREES[name])
            if code_lines(fn, text) > 40}
    assert not long, f"{name}: functions over 40 lines of code: {long}"


MODULE_NAMES = {p.stem for p in MODULES} | {"backprop"}


@pytest.mark.parametrize("name", sorted(SOURCE))
def test_no_private_names_cross_modules(name):
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.ImportFrom) and (
                node.level or (node.module or "").startswith("backprop")):
            module = node.module or ""
            private = [a.name for a in node.names if a.name.startswith("_")
                       and not a.name.startswith("__")
                       and a.name not in ("_checks", "_fast")]
            assert not private, f"{name} imports {private} from {module}"
            last = module.rsplit(".", 1)[-1]
            assert not last.startswith("_") or last == "_checks", \
                f"{name} imports from the private module {module}"
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__"):
            base = node.value
            if isinstance(base, ast.Name) and (
                    base.id in MODULE_NAMES or base.id in ("_checks",
                                                           "_fast")):
                pytest.fail(f"{name}:{node.lineno} uses "
                            f"{base.id}.{node.attr}")


SUMS = {"sum", "fsum", "sumprod"}


@pytest.mark.parametrize("name", sorted(set(SOURCE) - {"matrix.py"}))
def test_every_sum_goes_through_matrix_total(name):
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.Call):
            f = node.func
            called = f.id if isinstance(f, ast.Name) else \
                f.attr if isinstance(f, ast.Attribute) else None
            if called not in SUMS:
                continue
            # _fast.py: sum(..., START), START being total's start value
            start = node.args[1] if len(node.args) == 2 else None
            assert name == "_fast.py" and isinstance(start, ast.Name) \
                and start.id == "START", \
                f"{name}:{node.lineno} calls {called}(); use matrix.total"


# Each formula as its code writes it, and where it may appear.
FORMULAS = {
    "sigmoid": (r"1(\.0)? / \(1(\.0)? \+ (math\.)?exp\(-",
                {"activations.py"}),
    # losses.py: a(1 - a) is also the denominator of the cross-entropy's
    # gradient, d/da of -(y log a + (1 - y) log(1 - a))
    "sigmoid'(z) from a": (r"(\w+) \* \(1\.0 - \1\)",
                           {"activations.py", "losses.py"}),
    "BP4 outer product": (r"\[\[\w+ \* \w+ for \w+ in \w+\] for \w+ in",
                          {"matrix.py"}),
    "the update w - eta g": (r"- eta \* g", {"optimizers.py"}),
}


@pytest.mark.parametrize("formula", sorted(FORMULAS))
def test_each_formula_is_written_once_outside_the_fast_path(formula):
    pattern, homes = FORMULAS[formula]
    found = {name for name, text in SOURCE.items()
             if re.search(pattern, text)} - {"_fast.py"}
    assert found == homes


def calls(fn):
    return {n.func.attr if isinstance(n.func, ast.Attribute) else n.func.id
            for n in ast.walk(fn) if isinstance(n, ast.Call)
            and isinstance(n.func, (ast.Attribute, ast.Name))}


def function(module, name):
    return next(f for f in functions(TREES[module]) if f.name == name)


def test_train_runs_the_documented_chain():
    assert "update_batch" in calls(function("training.py", "train"))
    chain = calls(function("training.py", "update_batch"))
    assert {"forward", "backward", "mean_gradient", "step"} <= chain
    assert "deltas" in calls(function("network.py", "backward"))
    assert {"output_delta", "derivatives", "activation_gradient"} <= \
        calls(function("network.py", "deltas"))
    # BP2's sum, dL/da^l = (W^(l+1))^T delta^(l+1), written once
    assert {"dot", "transpose"} <= \
        calls(function("network.py", "activation_gradient"))
    assert {"matvec", "add", "activate"} <= \
        calls(function("network.py", "forward"))
    # the one dispatch line to the fast path
    code = SOURCE["training.py"]
    assert code.count("_fast.applies(") == code.count("_fast.epoch(") == 1
    assert "if _fast.applies(net, opt):" in code
