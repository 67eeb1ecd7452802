"""The site's live parts in headless Chromium: Run buttons and playground.

The site is built and served as in ``tests/test_site.py`` (its fixtures
and its ``Watched`` page, which records console errors and requests to
other hosts, are reused). The build copies the pinned Pyodide runtime in
(docs/_hooks/live.py, docs/_hooks/pyodide_runtime.py), so:

- on tutorial page 1, Run on the first example shows the page's own
  output and a pass mark; an edited input changes the output; a wrong
  expected output gives a fail mark with doctest's difference;
- running a page's later block first runs the blocks before it, and a
  block that makes a chart shows it;
- the playground trains XOR with its defaults to a loss below 0.05 with
  at least 10 chart updates, and the Python it shows, run here with
  CPython, prints the very same weights (float repr round-trips, so equal
  text is equal bits); its command line saves the same weights too;
- Stop halts a run within a second; a click on the navigation is
  handled within 200 ms while it trains;
- opened from ``file://`` the Run button and the playground say how to
  serve the site;
- built with no npm on PATH (and an empty cache), the site still builds
  with ``--strict``, says once why, and has no live parts.

Timings (first Run result; the playground's XOR run against the same run
in CPython) go to ``tests/artifacts/live_timings.json``.

Without the runtime (no npm and no cached copy) the browser tests are
skipped, except when ``CI=true``: then they fail.
"""
from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from backprop import Network, datasets, io, train
import test_site
from test_site import ARTIFACTS, IN_CI, ROOT, Watched, _env

# test_site.py's fixtures: the built site, its server, the browser.
site, base_url, browser = test_site.site, test_site.base_url, \
    test_site.browser

RUNTIME = ROOT / "docs" / "_hooks" / "pyodide_runtime.py"
START = 180_000        # ms: starting Python on a busy machine
TIMINGS = ARTIFACTS / "live_timings.json"


def _runtime_module():
    spec = importlib.util.spec_from_file_location("pyodide_runtime", RUNTIME)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def live(site):
    """The built site, if the build copied the runtime in."""
    if not (site / "assets" / "pyodide" / "backprop.zip").is_file():
        _, why = _runtime_module().runtime()
        reason = f"the build has no Pyodide runtime: {why}"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true)", pytrace=False)
        pytest.skip(reason)
    return site


@pytest.fixture
def watched(browser, base_url, live):
    w = Watched(browser, "127.0.0.1")
    yield w
    w.close()


def _record(**timings: float) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    old = json.loads(TIMINGS.read_text()) if TIMINGS.is_file() else {}
    old.update({k: round(v, 3) for k, v in timings.items()})
    TIMINGS.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n")
    print(f"timings: {old}")


def _clean(w: Watched) -> None:
    assert not w.errors, f"console errors: {w.errors}"
    assert not w.foreign, f"requests to other hosts: {w.foreign}"


# === Examples ==============================================================

def _run(page, index: int):
    """Click Run on example block index; return its status element."""
    page.locator("button.bp-run").nth(index).click()
    status = page.locator(".bp-bar .bp-status").nth(index)
    page.wait_for_function(
        "(el) => el.dataset.outcome", arg=status.element_handle(),
        timeout=START)
    return status


def _rows(page, index: int) -> list[dict]:
    return page.locator(".bp-result").nth(index).evaluate(
        """(r) => [...r.querySelectorAll('.bp-example')].map((e) => ({
            ok: e.classList.contains('bp-pass'),
            source: e.querySelector('.bp-source').textContent,
            want: e.querySelector('.bp-expected').textContent,
            got: e.querySelector('.bp-got').textContent,
            diff: e.querySelector('.bp-diff')?.textContent ?? ''}))""")


def _static_outputs(page, index: int) -> list[str]:
    """The output lines the static page shows in block index (Pygments'
    "go" tokens), before the block became editable."""
    return page.locator("div.highlight:has(span.gp)").nth(index).evaluate(
        "(d) => [...d.querySelectorAll('span.go')].map((s) => s.textContent)")


def test_first_example_of_tutorial_page_1(watched, base_url):
    page = watched.page
    watched.check(base_url + "tutorial/01-neuron.html")
    static = _static_outputs(page, 0)
    assert static, "no output in the first example"
    started = time.monotonic()
    status = _run(page, 0)
    _record(first_run_seconds=time.monotonic() - started)
    assert status.get_attribute("data-outcome") == "pass", status.inner_text()
    assert status.inner_text().startswith("✓")
    rows = _rows(page, 0)
    assert [r["got"].rstrip("\n") for r in rows] == static
    assert all(r["ok"] for r in rows)

    # Edit the input: the output changes to sigmoid(1) = 1/(1 + e^-1).
    editor = page.locator("textarea.bp-editor").first
    text = editor.input_value()
    assert text.startswith(">>> sigmoid(0.0)\n0.5\n"), text
    editor.fill(text.replace("sigmoid(0.0)", "sigmoid(1.0)", 1))
    _run(page, 0)
    got = _rows(page, 0)[0]["got"].strip()
    assert float(got) == pytest.approx(1 / (1 + math.exp(-1)), abs=1e-15)
    assert got != "0.5"

    # A wrong expected output: a fail mark and doctest's difference.
    editor.fill(text.replace("\n0.5\n", "\n0.25\n", 1))
    status = _run(page, 0)
    assert status.get_attribute("data-outcome") == "fail"
    assert status.inner_text().startswith("✗")
    row = _rows(page, 0)[0]
    assert not row["ok"]
    assert "Expected:" in row["diff"] and "0.25" in row["diff"]
    assert "Got:" in row["diff"] and "0.5" in row["diff"]
    _clean(watched)


def test_later_block_runs_the_earlier_ones_first(watched, base_url):
    page = watched.page
    watched.check(base_url + "tutorial/02-forward.html")
    # The page's own blocks (not docstrings): they share one namespace.
    own = page.evaluate("""() => [...document.querySelectorAll(
        'div.highlight:has(span.gp)')].map((d, i) => [i,
        !d.closest('.doc-object') && !d.closest('.mkdocstrings-source')])
        .filter(([i, own]) => own).map(([i]) => i)""")
    assert len(own) >= 3, own
    status = _run(page, own[2])
    assert status.get_attribute("data-outcome") == "pass", status.inner_text()
    for index in own[:2]:
        earlier = page.locator(".bp-bar .bp-status").nth(index)
        assert earlier.get_attribute("data-outcome") == "pass"
    _clean(watched)


def test_chart_appears_inline(watched, base_url):
    page = watched.page
    watched.check(base_url + "reference/plot.html")
    index = page.evaluate("""() => [...document.querySelectorAll(
        'div.highlight:has(span.gp)')].findIndex(
        (d) => d.textContent.includes('svg = loss_chart('))""")
    assert index >= 0
    status = _run(page, index)
    assert status.get_attribute("data-outcome") == "pass", status.inner_text()
    svg = page.locator(".bp-result").nth(index).locator(".bp-svg svg")
    assert svg.count() >= 1
    assert svg.first.locator("polyline").count() == 2   # two series
    _clean(watched)


# === The playground =========================================================

def _ready(page) -> None:
    page.wait_for_selector("#bp-playground[data-state=ready]", timeout=START)


def _train(page) -> None:
    page.locator("#bp-playground button[type=submit]").click()


def _state(page) -> str:
    return page.locator("#bp-playground").get_attribute("data-state")


@pytest.fixture(scope="module")
def xor_run(browser, base_url, live):
    """Train XOR with the playground's defaults; return what it shows."""
    w = Watched(browser, "127.0.0.1")
    page = w.page
    try:
        w.check(base_url + "playground.html")
        _ready(page)
        _train(page)
        page.wait_for_selector("#bp-playground:is([data-state=done], "
                               "[data-state=error])", timeout=START)
        root = page.locator("#bp-playground")
        run = {key: root.get_attribute(f"data-{key}")
               for key in ("state", "loss", "updates", "seconds",
                           "train-seconds")}
        run["status"] = page.locator("#bp-playground > .bp-status"
                                     ).inner_text()
        run["pictures"] = [page.locator(f".bp-{name} svg {what}").count()
                           for name, what in (("chart", "polyline"),
                                              ("regions", "rect"),
                                              ("network", "circle"))]
        run["api"] = page.locator(".bp-code-api").inner_text()
        run["cli"] = page.locator(".bp-code-cli").inner_text()
        run["shown"] = page.locator(".bp-final").inner_text()
        # Explain one step of the trained network on sample 1 (x = [0, 1]).
        page.locator(".bp-explain input").fill("1")
        page.locator(".bp-explain button").click()
        text = page.locator(".bp-explain-text")
        page.wait_for_function("(el) => el.textContent.length > 100",
                               arg=text.element_handle(), timeout=START)
        run["explain"] = text.inner_text()
        run["errors"], run["foreign"] = w.errors, w.foreign
    finally:
        w.close()
    return run


def test_playground_trains_xor(xor_run):
    assert xor_run["state"] == "done", xor_run["status"]
    assert float(xor_run["loss"]) < 0.05
    assert int(xor_run["updates"]) >= 10
    chart, regions, neurons = xor_run["pictures"]
    assert chart == 1 and regions > 1 and neurons >= 7    # 2 + 4 + 1
    # XOR's sample 1: x = [0, 1], y = [1] (datasets.xor).
    assert re.search(r"^x = .*\[0, 1\],\s+y = \[1\]", xor_run["explain"],
                     re.MULTILINE), xor_run["explain"][:300]
    assert "network as it starts" not in xor_run["explain"]
    assert not xor_run["errors"], xor_run["errors"]
    assert not xor_run["foreign"], xor_run["foreign"]


def _python(args: list[str], folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=folder,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_shown_python_gives_the_same_weights(xor_run, tmp_path):
    # float repr round-trips: the same text is the same bits.
    (tmp_path / "run.py").write_text(xor_run["api"])
    proc = _python(["run.py"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == xor_run["shown"].strip()


def test_xor_timings(xor_run):
    """The playground's XOR training in Pyodide, beside CPython's."""
    data = datasets.load("xor")
    net = Network([2, 4, 1], seed=0)
    started = time.perf_counter()
    history = train(net, data.X, data.y, epochs=5000, eta=1.0,
                    loss="binary_cross_entropy")
    cpython = time.perf_counter() - started
    _record(playground_xor_seconds=float(xor_run["seconds"]),
            playground_xor_train_seconds=float(xor_run["train-seconds"]),
            cpython_xor_train_seconds=cpython)
    # The run timed here is the playground's default run: the same final
    # loss to the bit, as on every Python (the page's last progress
    # message carries it as JSON, which writes a float exactly).
    assert history.losses[-1].hex() == float(xor_run["loss"]).hex()


def test_shown_command_gives_the_same_weights(xor_run, tmp_path):
    cli = xor_run["cli"].split()
    assert cli[:4] == ["python", "-m", "backprop", "train"], cli
    proc = _python([*cli[1:], "--save", "net.json"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    net = io.load(str(tmp_path / "net.json"))
    assert f"net.W = {net.W!r}" in xor_run["shown"]
    assert f"net.b = {net.b!r}" in xor_run["shown"]


def _long_run(page) -> None:
    """Start XOR for 200000 epochs and wait for its first chart."""
    _ready(page)
    page.locator("#bp-playground input[name=epochs]").fill("200000")
    _train(page)
    page.wait_for_function(
        "() => Number(document.querySelector('#bp-playground')"
        ".dataset.updates) >= 1", timeout=START)


def test_stop_halts_within_a_second(watched, base_url):
    page = watched.page
    watched.check(base_url + "playground.html")
    _long_run(page)
    assert _state(page) == "training"
    started = time.monotonic()
    page.locator("#bp-playground button:text('Stop')").click()
    page.wait_for_selector("#bp-playground[data-state=stopped]",
                           timeout=1000)
    assert time.monotonic() - started < 1.0
    updates = page.locator("#bp-playground").get_attribute("data-updates")
    page.wait_for_timeout(1500)         # no progress arrives after Stop
    assert page.locator("#bp-playground").get_attribute(
        "data-updates") == updates
    _clean(watched)


def test_navigation_responds_while_training(watched, base_url):
    page = watched.page
    watched.check(base_url + "playground.html")
    _long_run(page)
    # Each click's delay: from the input event to its handler running.
    page.evaluate("""() => {
        window.bpDelays = [];
        document.querySelector('.md-nav').addEventListener('click', (e) => {
            window.bpDelays.push(performance.now() - e.timeStamp);
            e.preventDefault();
        }, true);
    }""")
    link = page.locator(".md-nav--primary a.md-nav__link[href]").first
    for _ in range(5):
        link.click()
        page.wait_for_timeout(300)
    delays = page.evaluate("window.bpDelays")
    print(f"click-to-handler delays while training (ms): {delays}")
    assert _state(page) == "training"
    assert len(delays) == 5 and max(delays) < 200, delays
    page.locator("#bp-playground button:text('Stop')").click()
    _clean(watched)


# === Without a server, without npm ==========================================

def test_file_url_says_how_to_serve(browser, live):
    w = Watched(browser, None)
    try:
        w.check((live / "tutorial" / "01-neuron.html").as_uri())
        w.page.locator("button.bp-run").first.click()
        note = w.page.locator(".bp-result .bp-file").first
        assert "mkdocs serve" in note.inner_text()
        assert "python -m http.server" in note.inner_text()
        w.check((live / "playground.html").as_uri())
        note = w.page.locator("#bp-playground .bp-file")
        assert "WebAssembly" in note.inner_text()
        _clean(w)
    finally:
        w.close()


def test_build_without_npm_is_static(tmp_path):
    python_only = Path(sys.executable).parent
    assert not (python_only / "npm").exists()
    env = dict(_env(), PATH=str(python_only),
               BACKPROP_DOCS_CACHE=str(tmp_path / "cache"))
    out = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    said = [line for line in proc.stderr.splitlines()
            if "live examples and playground off" in line]
    assert len(said) == 1 and said[0].startswith("INFO"), proc.stderr
    assert "npm is not on PATH" in said[0]
    assert not (out / "assets" / "pyodide").exists()
    page = (out / "tutorial" / "01-neuron.html").read_text("utf-8")
    assert "live.js" not in page
    playground = (out / "playground.html").read_text("utf-8")
    assert "not available on this copy" in playground


def test_tampered_tarball_is_refused(tmp_path, monkeypatch):
    runtime = _runtime_module()
    if not runtime.shutil.which("npm"):
        pytest.skip("no npm on PATH")
    monkeypatch.setattr(runtime, "INTEGRITY", "sha512-" + "A" * 86 + "==")
    folder, why = runtime.runtime(tmp_path)
    assert folder is None
    assert "not the pinned" in why
    assert not any(tmp_path.glob("pyodide-*"))
