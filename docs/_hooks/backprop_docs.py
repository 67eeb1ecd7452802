"""MkDocs hook for the backprop docs: math as MathML, doctest examples.

Two jobs, both at build time, so the site needs no JavaScript and no
network for them:

1. ``pymdownx.arithmatex`` (``generic: true``) leaves each formula as
   ``<span class="arithmatex">\\(...\\)</span>`` (inline) or
   ``<div class="arithmatex">\\[...\\]</div>`` (display).
   ``on_page_content`` replaces the TeX inside with MathML made by
   ``latex2mathml``; browsers render MathML natively.  A formula that
   does not convert, or that still has an unknown ``\\command`` or an
   ``&`` token in it, is logged as a warning, so ``mkdocs build
   --strict`` fails on it.  ``aligned`` (which latex2mathml does not
   know: it writes ``<mi>&</mi>`` and no table) is converted as
   ``align*``, which it lays out as an ``<mtable>``; and since Chromium
   implements MathML Core, which ignores the ``columnalign`` and
   ``columnspacing`` attributes, each table cell also gets them as CSS
   (``text-align``, padding).  The math font is STIX Two Math, served
   with the site (docs/assets/fonts/, selected in docs/assets/extra.css).
   Charts and diagrams (SVG from ``backprop.plot``) are put in a
   sideways-scrolling box and not shrunk below readable labels.
2. Docstrings rendered by mkdocstrings hold bare ``>>>`` examples (the
   stdlib style) and Sphinx roles such as ``:func:`total```, which
   mkdocstrings would show as raw text.  Markdown would read ``>>>``
   as nested block quotes, so a small preprocessor fences each bare
   ``>>>`` paragraph as ``pycon`` and turns each role into plain code.
   ``tests/test_docs_examples.py`` runs these paragraphs too, when they
   appear on a page.

Zensical does not run MkDocs hooks; docs/contributing.md says what a
move would take.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority, get_plugin_logger

log = get_plugin_logger(__name__)

_MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>',
    re.DOTALL,
)
_TOC_MATH = re.compile(r"\\\(.*?\\\)")
_WRAPS = (("\\(", "\\)"), ("\\[", "\\]"))
# latex2mathml passes an unknown command through as text, e.g.
# <mi>\foo</mi>; that must not reach a reader unnoticed.
_LEFTOVER = re.compile(r">[^<]*\\[A-Za-z]")
# latex2mathml writes an unknown environment's & as a token, unescaped.
_AMP_TOKEN = re.compile(r"<m[ion][^>]*>\s*&(?:amp;)?\s*</m[ion]>")
# Environments latex2mathml does not know, and the one it lays out the
# same way (right, left, right, left... columns; no equation numbers).
_ENVIRONMENTS = {"aligned": "align*"}
_BEGIN_END = re.compile(r"\\(?P<which>begin|end)\s*\{(?P<env>[A-Za-z*]+)\}")
_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_LENGTH = re.compile(r"^(?P<num>-?[0-9]*\.?[0-9]+)(?P<unit>[a-z%]*)$")
_ALIGN = {"left": "left", "right": "right", "center": "center"}
_PRIMES = "\u2032\u2033\u2034\u2057"  # ′ ″ ‴ ⁗
# A chart or diagram drawn by backprop.plot (no nested <svg> inside).
_SVG = re.compile(r"(?P<tag><svg\b[^>]*\bfont-family=[^>]*>).*?</svg>",
                  re.DOTALL)
_MIN_LABEL_PX = 9
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
# Sphinx roles in docstrings (:func:`~backprop.matrix.total`), which
# mkdocstrings leaves as text: shown as code, ~ keeping the last name.
_ROLE = re.compile(r":(?:func|meth|class|mod|attr|data|exc|obj):"
                   r"`(?P<tilde>~?)(?P<name>[\w.]+)(?:\(\))?`")


def _role(m: re.Match) -> str:
    name = m.group("name")
    return f"`{name.rsplit('.', 1)[-1] if m.group('tilde') else name}`"


def _environments(tex: str) -> str:
    """Rename environments latex2mathml lacks to ones it lays out alike."""
    def rename(m: re.Match) -> str:
        env = _ENVIRONMENTS.get(m.group("env"))
        return m.group(0) if env is None else f"\\{m.group('which')}{{{env}}}"
    return _BEGIN_END.sub(rename, tex)


def _half(length: str) -> str:
    m = _LENGTH.match(length.strip())
    if not m:
        return "0.4em"  # Chromium's default mtd padding
    return f"{float(m.group('num')) / 2:g}{m.group('unit') or 'em'}"


def _style_tables(root: ET.Element) -> None:
    """Give each <mtd> its alignment and column spacing as CSS.

    MathML Core (what Chromium implements) ignores ``columnalign`` and
    ``columnspacing``; latex2mathml relies on them for ``align*``,
    ``cases`` and ``array``.  The attributes stay for other browsers.
    """
    for table in root.iter(f"{{{_MATHML_NS}}}mtable"):
        spacing = table.get("columnspacing", "").split()
        table_align = table.get("columnalign", "").split()
        rows = [row for row in table if row.tag.endswith("}mtr")]
        ncols = max((len(row) for row in rows), default=0)
        for row in rows:
            for i, cell in enumerate(row):
                style = []
                align = cell.get("columnalign") or (
                    table_align[min(i, len(table_align) - 1)]
                    if table_align else None)
                if align in _ALIGN:
                    style.append(f"text-align: {_ALIGN[align]}")
                if spacing:
                    left = (_half(spacing[min(i - 1, len(spacing) - 1)])
                            if i > 0 else "0")
                    right = (_half(spacing[min(i, len(spacing) - 1)])
                             if i < ncols - 1 else "0")
                    style.append(f"padding-left: {left}; "
                                 f"padding-right: {right}")
                if style:
                    old = cell.get("style")
                    cell.set("style", "; ".join(([old] if old else [])
                                                + style))


def _primes(root: ET.Element) -> None:
    """Write f' as f followed by a prime, not as f to the power prime.

    latex2mathml writes ``f'`` as ``<msup><mi>f</mi><mi>′</mi></msup>``:
    the prime, already raised in a math font, is raised again and shrunk,
    and floats away from the f.  TeX's prime is a large glyph made for
    the superscript position; the OpenType math equivalent is U+2032 on
    the baseline, right after its base.
    """
    for el in root.iter():
        if el.tag != f"{{{_MATHML_NS}}}msup" or len(el) != 2:
            continue
        sup = el[1]
        if sup.tag.split("}")[-1] in ("mi", "mo") and len(sup) == 0 \
                and sup.text and set(sup.text.strip()) <= set(_PRIMES):
            el.tag = f"{{{_MATHML_NS}}}mrow"
            sup.tag = f"{{{_MATHML_NS}}}mi"
            sup.attrib.clear()


def _polish(mathml: str) -> str:
    """Fix, for Chromium's MathML Core, what latex2mathml leaves."""
    ET.register_namespace("", _MATHML_NS)
    root = ET.fromstring(mathml)
    _style_tables(root)
    _primes(root)
    for mo in root.iter(f"{{{_MATHML_NS}}}mo"):
        if (mo.text or "").strip() == "/":  # TeX's / is ordinary: no space
            mo.set("lspace", "0")
            mo.set("rspace", "0")
    return ET.tostring(root, encoding="unicode")


def _to_mathml(match: re.Match, where: str) -> str:
    from latex2mathml.converter import convert

    tag = match.group("tag")
    tex = html.unescape(match.group("tex")).strip()
    for start, end in _WRAPS:
        if tex.startswith(start) and tex.endswith(end):
            tex = tex[len(start):-len(end)].strip()
    display = "block" if tag == "div" else "inline"
    try:
        mathml = convert(_environments(tex), display=display)
    except Exception as exc:  # latex2mathml raises many kinds
        log.warning("%s: cannot convert formula '%s': %s", where, tex, exc)
        return match.group(0)
    if _LEFTOVER.search(mathml):
        log.warning("%s: formula '%s' has a command latex2mathml does not "
                    "know", where, tex)
        return match.group(0)
    if _AMP_TOKEN.search(mathml):
        log.warning("%s: formula '%s' has an & that latex2mathml did not "
                    "lay out as a table column (an environment it does "
                    "not know?)", where, tex)
        return match.group(0)
    try:
        mathml = _polish(mathml)
    except ET.ParseError as exc:
        log.warning("%s: formula '%s' gave MathML that does not parse: %s",
                    where, tex, exc)
        return match.group(0)
    return f'<{tag} class="arithmatex">{mathml}</{tag}>'


def _figure(match: re.Match) -> str:
    """Wrap a chart or diagram in a scroll box, never shrunk unreadable.

    backprop.plot draws at a fixed width with 10-12 px labels and lets
    the SVG shrink to the column (``max-width: 100%``): on a phone the
    labels end up ~5 px.  The SVG keeps shrinking to fit, but not below
    the width at which its smallest label is ``_MIN_LABEL_PX``; a
    narrower column scrolls it sideways (``.bp-figure`` in extra.css).
    A span, not a div: the SVG sits in a <p>.
    """
    svg = match.group(0)
    tag = match.group("tag")
    width = re.search(r'\swidth="(?P<w>[0-9.]+)"', tag)
    sizes = [float(v) for v in re.findall(r'font-size="([0-9.]+)"', svg)]
    if not width or not sizes:
        return svg
    min_width = min(float(width.group("w")),
                    float(width.group("w")) * _MIN_LABEL_PX / min(sizes))
    extra = f"min-width: {min_width:.0f}px"
    style = re.search(r'\sstyle="(?P<css>[^"]*)"', tag)
    if style:
        css = style.group("css").rstrip("; ")
        new_tag = (tag[:style.start("css")] + f"{css}; {extra}"
                   + tag[style.end("css"):])
    else:
        new_tag = (tag[:-1]
                   + f' style="max-width: 100%; height: auto; {extra}">')
    return f'<span class="bp-figure">{new_tag}{svg[len(tag):]}</span>'


def _toc_math(items, where: str) -> None:
    """Typeset ``$...$`` in headings in the table of contents too: its
    titles are text, where arithmatex left ``\\(...\\)``."""
    for item in items:
        if "\\(" in item.title:
            item.title = _TOC_MATH.sub(
                lambda m: _to_mathml(_MATH.fullmatch(
                    f'<span class="arithmatex">{m.group(0)}</span>'),
                    where),
                item.title)
        _toc_math(item.children, where)


def on_page_content(html_text, page, config, files):
    where = page.file.src_uri
    html_text = _MATH.sub(lambda m: _to_mathml(m, where), html_text)
    _toc_math(page.toc.items, where)
    return _SVG.sub(_figure, html_text)


class _PyconPreprocessor(Preprocessor):
    """Fence each bare ``>>>`` paragraph (outside code fences) as pycon,
    and show Sphinx roles outside them as code."""

    def run(self, lines):
        out = []
        fence = None
        i = 0
        while i < len(lines):
            line = lines[i]
            m = _FENCE.match(line)
            if fence is not None:
                if m and m.group("fence")[0] == fence[0] and \
                        len(m.group("fence")) >= len(fence) and \
                        not line.strip().strip(fence[0]):
                    fence = None
                out.append(line)
                i += 1
            elif m:
                fence = m.group("fence")
                out.append(line)
                i += 1
            elif line.startswith(">>>") and (not out or not out[-1].strip()):
                out.append("```pycon")
                while i < len(lines) and lines[i].strip():
                    out.append(lines[i])
                    i += 1
                out.append("```")
            else:
                out.append(_ROLE.sub(_role, line))
                i += 1
        return out


class _PyconExtension(Extension):
    def extendMarkdown(self, md):
        # After whitespace normalisation (30), before pymdownx.superfences
        # (25), so superfences highlights the new fence.
        md.preprocessors.register(_PyconPreprocessor(md), "bare_pycon", 29)


@event_priority(100)  # before mkdocstrings copies the extension list
def on_config(config):
    config.markdown_extensions.append(_PyconExtension())
    return config
