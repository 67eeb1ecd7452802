"""Build the docs site and check it in headless Chromium.

The site is built with ``mkdocs build --strict`` into a temporary folder,
served on 127.0.0.1 by ``http.server`` in a thread, and every page is
opened in Debian's ``chromium`` driven by Playwright (no ``playwright
install``: the browser is the system one).  Each page must render, every
formula must have become laid-out MathML with no raw TeX left in the
visible text, the console must stay free of errors, and no request may
go to any host but the local one.  Search must find a known term, the
site must work from ``file://``, and ``mkdocs serve`` must serve it too.
Every page is checked at 1280 and 390 px: no ``&`` left as a token in a
formula (an environment not laid out as a table), no formula wider than
its column at 1280 px, nothing of the article sticking out sideways unless
a scroll box around it can scroll (and no table of the worked example on
reference/explain scrolling at 1280 px), and the math font served with the site
(STIX Two Math) selected and loaded.  Screenshots of two pages, of three
wide pages at both widths, of one computation graph and one network
diagram are kept in ``tests/artifacts/``.

Without the docs-test extra (``pip install -e ".[docs-test]"``) or without a
``chromium`` binary the module is skipped, except when ``CI=true``: then
it fails.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"
SEARCH_TERM = "sigmoid"  # on docs/index.md
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)",
                    pytrace=False)
    pytest.skip(reason, allow_module_level=True)


for _module in ("mkdocs", "material", "mkdocstrings", "latex2mathml",
                "markdown_exec", "playwright"):
    try:
        __import__(_module)
    except ImportError:
        _unavailable(f"docs-test extra not installed (no {_module}); "
                     'pip install -e ".[docs-test]"')
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    _unavailable("no chromium on PATH; apt-get install -y chromium")

from playwright.sync_api import sync_playwright  # noqa: E402

# Raw TeX that must not survive into visible text.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\$[^$\s][^$]*\$"
                     r"|\\[A-Za-z]+")

# A Sphinx role (:func:`name`) that reached the reader as text.
RAW_ROLE = re.compile(r":(?:func|meth|class|mod|attr|data|exc|obj):")

# Viewport widths every page is checked at: a laptop and a phone.
WIDTHS = (1280, 390)
# The math font served with the site (docs/assets/fonts/, extra.css).
MATH_FONT = "STIX Two Math"

# Visible text of the page body outside code, the layout of its math
# (after the web fonts have loaded: the math font changes the layout),
# and what sticks out sideways.  Called with MATH_FONT.
PAGE_FACTS_JS = """async (mathFont) => {
  await document.fonts.ready;
  const skip = "pre, code, script, style, kbd, samp";
  const walker = document.createTreeWalker(document.body,
                                           NodeFilter.SHOW_TEXT);
  const text = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip) || !el.checkVisibility()) continue;
    text.push(n.textContent);
  }
  const formulas = [...document.querySelectorAll(".arithmatex")];
  const bad = formulas.filter((f) => {
    const m = f.querySelector(":scope > math");
    if (!m) return true;
    // Outside the article (a heading's formula in the table of contents,
    // in a closed drawer on a phone) it may be laid out at no size.
    if (!f.closest("article")) return false;
    const r = m.getBoundingClientRect();
    return r.width <= 0 || r.height <= 0;
  }).map((f) => f.textContent.slice(0, 80));
  // A fraction laid out as MathML has its numerator above its denominator.
  const flat = [...document.querySelectorAll("mfrac")].filter((f) => {
    const [num, den] = f.children;
    return num.getBoundingClientRect().bottom >
           den.getBoundingClientRect().top + 1;
  }).length;
  // An & that became a token: an environment laid out as one line.
  const amps = [...document.querySelectorAll("math mi, math mo, math mtext")]
    .filter((t) => t.textContent.trim() === "&")
    .map((t) => t.closest("math").textContent.slice(0, 60));
  // A formula wider than the box it sits in (its column, cell, ...).
  const column = (el) => {
    let a = el.parentElement;
    while (a && /^(inline|contents)/.test(getComputedStyle(a).display))
      a = a.parentElement;
    return a;
  };
  const wide = [...document.querySelectorAll("article math")].filter((m) => {
    if (!m.checkVisibility()) return false;
    const c = column(m);
    return c && m.getBoundingClientRect().width > c.clientWidth + 1;
  }).map((m) => m.textContent.slice(0, 60));
  // The math font: selected, and loaded from the site.
  const firstMath = document.querySelector("article math");
  const font = firstMath ? {
    family: getComputedStyle(firstMath).fontFamily,
    check: document.fonts.check(`16px "${mathFont}"`),
    status: [...document.fonts]
      .filter((f) => f.family.replace(/["']/g, "") === mathFont)
      .map((f) => f.status),
  } : null;
  // Anything of the article that sticks out of the main column or the
  // viewport, unless a sideways-scrolling box around it can show it.
  const out = [];
  const html = document.documentElement;
  const vw = html.clientWidth;
  if (html.scrollWidth > vw + 1)
    out.push(`the page scrolls sideways (${html.scrollWidth} > ${vw})`);
  const main = document.querySelector(".md-content");
  const article = document.querySelector("article.md-content__inner");
  if (main && article) {
    const box = main.getBoundingClientRect();
    const left = Math.max(0, box.left) - 1;
    const right = Math.min(vw, box.right) + 1;
    const scrolls = (a) => {
      const o = getComputedStyle(a).overflowX;
      return (o === "auto" || o === "scroll") && a.scrollWidth > a.clientWidth;
    };
    const scrolled = (el) => {
      for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
        if (!scrolls(a)) continue;
        // It can scroll: fine if it is in the column itself, or if a
        // scroll box further out can bring it into view.
        const r = a.getBoundingClientRect();
        if (r.left >= left && r.right <= right) return true;
      }
      return false;
    };
    const reported = new Set();
    for (const el of article.querySelectorAll("*")) {
      if (!el.checkVisibility()) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || (r.left >= left && r.right <= right)) continue;
      if (scrolled(el)) continue;
      reported.add(el);
      let a = el.parentElement;
      while (a && !reported.has(a)) a = a.parentElement;
      if (a) continue;  // its parent is reported already
      out.push(`<${el.tagName.toLowerCase()}> "` +
               `${el.textContent.trim().slice(0, 40)}" spans ` +
               `${Math.round(r.left)}..${Math.round(r.right)} px, ` +
               `column ${Math.round(left)}..${Math.round(right)}`);
    }
  }
  return {
    text: text.join(" "),
    formulas: formulas.length,
    untypeset: bad,
    flatFractions: flat,
    ampTokens: amps,
    wideMath: wide,
    mathFont: font,
    overflow: out,
    h1: document.querySelector("article h1")?.textContent ?? "",
    contentHeight: article ? article.getBoundingClientRect().height : 0,
  };
}"""


def _pages() -> list[str]:
    """Return the built page of each docs/**/*.md, as a site path."""
    pages = []
    for md in sorted(DOCS.rglob("*.md")):
        rel = md.relative_to(DOCS)
        if rel.parts[0].startswith(("_", ".")):
            continue
        pages.append(rel.with_suffix(".html").as_posix())
    return pages


PAGES = _pages()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict:
    # The Material end-of-life notice is printed, not logged: it does not
    # affect --strict; silence it here only to keep test output short.
    return dict(os.environ, NO_MKDOCS_2_WARNING="1")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
         "-d", str(out)],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, \
        f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture(scope="module")
def base_url(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        yield context
        context.close()


class Watched:
    """A page that records console errors and requests to other hosts."""

    def __init__(self, context, local_host: str | None):
        self.page = context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.local_host = local_host
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)
        self.page.route("**/*", self._route)

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append(msg.text)

    def _is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        if parts.scheme == "file":
            return self.local_host is None
        return parts.hostname == self.local_host

    def _request(self, request):
        if not self._is_local(request.url):
            self.foreign.append(request.url)

    def _route(self, route):
        if self._is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    def check(self, url: str, width: int = WIDTHS[0]) -> dict:
        """Open ``url`` at ``width`` px; return its facts, fail on any
        problem."""
        self.page.set_viewport_size({"width": width, "height": 900})
        response = self.page.goto(url, wait_until="load")
        if response is not None:  # file:// has no response
            assert response.ok, f"{url}: HTTP {response.status}"
        self.page.wait_for_load_state("networkidle")
        facts = self.page.evaluate(PAGE_FACTS_JS, MATH_FONT)
        url = f"{url} at {width} px"
        problems = []
        if not self.page.title().strip() or not facts["h1"].strip():
            problems.append("no title or no h1")
        if facts["contentHeight"] <= 0:
            problems.append("content not rendered")
        if facts["untypeset"]:
            problems.append(f"formulas not MathML: {facts['untypeset']}")
        if facts["flatFractions"]:
            problems.append(f"{facts['flatFractions']} fractions not laid "
                            "out as MathML")
        raw = sorted(set(RAW_TEX.findall(facts["text"])))
        if raw:
            problems.append(f"raw TeX in visible text: {raw}")
        roles = sorted(set(RAW_ROLE.findall(facts["text"])))
        if roles:
            problems.append(f"raw Sphinx roles in visible text: {roles}")
        if facts["ampTokens"]:
            problems.append("& as a token in math (an environment not laid "
                            f"out as a table): {facts['ampTokens']}")
        if facts["wideMath"] and width >= 1000:
            problems.append("formulas wider than their column: "
                            f"{facts['wideMath']}")
        font = facts["mathFont"]
        if font is not None and not (
                font["family"].strip().strip("\"'").startswith(MATH_FONT)
                and font["check"] and "loaded" in font["status"]):
            problems.append(f"math font {MATH_FONT!r} not used: {font}")
        if facts["overflow"]:
            problems.append("sticks out sideways with no scroll box: "
                            f"{facts['overflow'][:5]}")
        if self.errors:
            problems.append(f"console errors: {self.errors}")
        if self.foreign:
            problems.append(f"requests to other hosts: {self.foreign}")
        assert not problems, f"{url}: " + "; ".join(problems)
        return facts

    def search(self, term: str) -> list[str]:
        """Type ``term`` into the search box; return the result titles."""
        box = self.page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(term, delay=20)  # search listens to keys
        items = self.page.locator(".md-search-result__item")
        items.first.wait_for(state="attached", timeout=15000)
        return items.all_inner_texts()

    def close(self):
        self.page.close()


@pytest.fixture
def watched(browser, base_url):
    w = Watched(browser, urlsplit(base_url).hostname)
    yield w
    w.close()


def test_site_has_pages():
    assert "index.html" in PAGES


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES + ["404.html"])
def test_page_renders_with_typeset_math(watched, base_url, page, width):
    watched.check(base_url + page, width)


def test_math_font_is_used(watched, base_url):
    facts = watched.check(base_url + "reference/network.html")
    font = facts["mathFont"]
    assert font is not None, "no formula on reference/network"
    assert font["family"].strip().strip("\"'").startswith(MATH_FONT), font
    assert font["check"] and font["status"] == ["loaded"], font


def test_formulas_present_on_index(watched, base_url):
    facts = watched.check(base_url + "index.html")
    assert facts["formulas"] >= 2


def test_search_finds_known_term(watched, base_url):
    watched.check(base_url + "index.html")
    results = watched.search(SEARCH_TERM)
    assert any(SEARCH_TERM in r.lower() for r in results), results


def test_screenshots(watched, base_url, site):
    # The home page and the page with the most formulas besides it.
    counts = {p: (site / p).read_text(encoding="utf-8").count("<math")
              for p in PAGES if p != "index.html"}
    shots = ["index.html"]
    if counts:
        shots.append(max(counts, key=lambda p: (counts[p], p)))
    ARTIFACTS.mkdir(exist_ok=True)
    for page in shots:
        watched.check(base_url + page)
        path = ARTIFACTS / (page.replace("/", "_") + ".png")
        watched.page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        assert path.stat().st_size > 0


# Pages with wide tables, multi-line formulas and diagrams, at each width.
WIDE_PAGES = ("tutorial/04-backward.html", "reference/network.html",
              "reference/explain.html")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", WIDE_PAGES)
def test_wide_page_screenshots(watched, base_url, page, width):
    if page not in PAGES:
        pytest.skip(f"no {page}")
    watched.check(base_url + page, width)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{page.replace('/', '_')[:-5]}_{width}.png"
    watched.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0


# Each table on the page: its first row's text, its columns, and whether
# the box around it has to scroll sideways to show all of it.
TABLES_JS = """async () => {
  await document.fonts.ready;
  return [...document.querySelectorAll("article table")].map((t) => {
    const box = t.closest(".md-typeset__scrollwrap") || t.parentElement;
    return {head: t.rows[0].textContent.trim().slice(0, 40),
            columns: t.rows[0].cells.length,
            width: Math.round(t.getBoundingClientRect().width),
            room: box.clientWidth,
            scrolls: box.scrollWidth > box.clientWidth + 1};
  });
}"""


def test_explain_tables_fit_at_1280(watched, base_url):
    # The worked example's tables (generated by explain) show every
    # column, the deltas and the updated values included, without
    # scrolling on a laptop; on a phone they may scroll (check() above
    # holds them to a visible scroll box).
    watched.check(base_url + "reference/explain.html", 1280)
    tables = watched.page.evaluate(TABLES_JS)
    heads = ("weighted input", "loss", "the chain rule", "gradient")
    step = [t for t in tables if t["head"].startswith(heads)]
    # Mazur's 2-2-2 step: 2 forward layers, the loss, 2 layers of deltas,
    # 2 layers of gradients and updates
    assert len(step) == 7, tables
    wide = [t for t in tables if t["scrolls"]]
    assert not wide, f"tables wider than the column at 1280 px: {wide}"


# One computation graph and one network diagram, drawn by backprop.plot.
DIAGRAMS = {"graph": ("tutorial/03b-chain-rule.html", 0),
            "network": ("reference/explain.html", 0)}


@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_diagram_screenshots(watched, base_url, name):
    page, index = DIAGRAMS[name]
    watched.check(base_url + page)
    svg = watched.page.locator("article svg[font-family]").nth(index)
    box = svg.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100, box
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"diagram_{name}.png"
    svg.screenshot(path=str(path))
    assert path.stat().st_size > 0


def test_file_url_works(browser, site):
    # Opened from disk: pages, math, links and (via our Worker shim,
    # docs/assets/javascripts/iframe-worker.js) search.
    w = Watched(browser, None)
    try:
        w.check((site / "index.html").as_uri())
        results = w.search(SEARCH_TERM)
        assert any(SEARCH_TERM in r.lower() for r in results), results
        for page in PAGES:
            w.check((site / page).as_uri())
    finally:
        w.close()


def test_mkdocs_serve(browser):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload",
         "-a", f"127.0.0.1:{port}"],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "mkdocs serve did not come up:\n"
                        + (proc.stdout.read() if proc.poll() is not None
                           else "(timed out)")) from None
                time.sleep(0.5)
        w = Watched(browser, "127.0.0.1")
        try:
            w.check(url + "index.html")
            results = w.search(SEARCH_TERM)
            assert any(SEARCH_TERM in r.lower() for r in results), results
        finally:
            w.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
