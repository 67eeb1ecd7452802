"""MkDocs hook for the backprop docs: math as MathML, doctest examples.

Two jobs, both at build time, so the site needs no JavaScript and no
network for them:

1. ``pymdownx.arithmatex`` (``generic: true``) leaves each formula as
   ``<span class="arithmatex">\\(...\\)</span>`` (inline) or
   ``<div class="arithmatex">\\[...\\]</div>`` (display).
   ``on_page_content`` replaces the TeX inside with MathML made by
   ``latex2mathml``; browsers render MathML natively.  A formula that
   does not convert, or that still has an unknown ``\\command`` in it,
   is logged as a warning, so ``mkdocs build --strict`` fails on it.
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

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority, get_plugin_logger

log = get_plugin_logger(__name__)

_MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>',
    re.DOTALL,
)
_WRAPS = (("\\(", "\\)"), ("\\[", "\\]"))
# latex2mathml passes an unknown command through as text, e.g.
# <mi>\foo</mi>; that must not reach a reader unnoticed.
_LEFTOVER = re.compile(r">[^<]*\\[A-Za-z]")
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
# Sphinx roles in docstrings (:func:`~backprop.matrix.total`), which
# mkdocstrings leaves as text: shown as code, ~ keeping the last name.
_ROLE = re.compile(r":(?:func|meth|class|mod|attr|data|exc|obj):"
                   r"`(?P<tilde>~?)(?P<name>[\w.]+)(?:\(\))?`")


def _role(m: re.Match) -> str:
    name = m.group("name")
    return f"`{name.rsplit('.', 1)[-1] if m.group('tilde') else name}`"


def _to_mathml(match: re.Match, where: str) -> str:
    from latex2mathml.converter import convert

    tag = match.group("tag")
    tex = html.unescape(match.group("tex")).strip()
    for start, end in _WRAPS:
        if tex.startswith(start) and tex.endswith(end):
            tex = tex[len(start):-len(end)].strip()
    display = "block" if tag == "div" else "inline"
    try:
        mathml = convert(tex, display=display)
    except Exception as exc:  # latex2mathml raises many kinds
        log.warning("%s: cannot convert formula '%s': %s", where, tex, exc)
        return match.group(0)
    if _LEFTOVER.search(mathml):
        log.warning("%s: formula '%s' has a command latex2mathml does not "
                    "know", where, tex)
        return match.group(0)
    return f'<{tag} class="arithmatex">{mathml}</{tag}>'


def on_page_content(html_text, page, config, files):
    where = page.file.src_uri
    return _MATH.sub(lambda m: _to_mathml(m, where), html_text)


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
