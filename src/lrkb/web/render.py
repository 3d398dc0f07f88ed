"""HTML for article text: escaped always, Markdown rendered by markdown-it-py with raw HTML off.

Pure formatting: text and spans in, `Markup` out. Nothing here decides what is relevant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from ..models import Passage

# Private-use characters mark a quoted span inside Markdown source; they survive parsing as text.
OPEN, CLOSE = "\ue000", "\ue001"
# Block markup a span must not start inside of (a list marker, heading hashes, a quote bar).
_LEAD = re.compile(r"[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+|#{1,6}[ \t]+|>[ \t]*)*")


def _markdown() -> MarkdownIt:
    # Raw HTML in an article is shown as text; images are not fetched (the page loads nothing
    # from elsewhere), their Markdown is shown as written.
    md = MarkdownIt("commonmark", {"html": False}).disable("image")

    def text(
        self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
    ) -> str:
        # A quote may cross inline markup (bold, links): close and reopen <mark> per text token,
        # so the tags always nest.
        out, inside = [], env.get("inside", False)
        if inside:
            out.append("<mark>")
        for piece in re.split(f"([{OPEN}{CLOSE}])", tokens[idx].content):
            if piece == OPEN and not inside:
                out.append('<mark id="quote">' if not env.get("opened") else "<mark>")
                inside = env["opened"] = True
            elif piece == CLOSE and inside:
                out.append("</mark>")
                inside = False
            elif piece not in (OPEN, CLOSE):
                out.append(str(escape(piece)))
        if inside:
            out.append("</mark>")
        env["inside"] = inside
        return "".join(out)

    md.add_render_rule("text", text)
    return md


_md = _markdown()


def markdown(source: str, env: dict[str, Any] | None = None) -> Markup:
    """Markdown source as safe HTML; stray span markers are dropped."""
    html = _md.render(source, env if env is not None else {})
    return Markup(html.replace(OPEN, "").replace(CLOSE, ""))


def article(
    text: str, body_start: int, passages: Sequence[Passage], span: tuple[int, int] | None = None
) -> Markup:
    """An article file rendered block by block, each passage wrapped in an anchor of its id.

    `span` (character offsets into `text`, as claims and hits carry them) is highlighted with
    `<mark>`, the first one `id="quote"` so a link to `#quote` scrolls to it.
    """
    text = text.replace(OPEN, "\ufffd").replace(CLOSE, "\ufffd")  # same length: spans hold
    marks: tuple[int, int] | None = None
    if span is not None and body_start <= span[0] < span[1] <= len(text):
        lead = _LEAD.match(text, span[0], span[1])
        start, end = lead.end() if lead else span[0], span[1]
        text = text[:start] + OPEN + text[start:end] + CLOSE + text[end:]
        marks = (start, end)

    def at(offset: int) -> int:
        # Where `offset` of the file lies once the two markers are in.
        return offset if marks is None else offset + (offset > marks[0]) + (offset >= marks[1])

    env: dict[str, Any] = {}
    parts: list[str] = []
    cursor = body_start
    for p in sorted(passages, key=lambda p: p.start):
        a, b = at(p.start), at(p.end)
        if a < cursor:
            continue
        parts.append(markdown(text[cursor:a], env))
        anchor = escape(p.id)
        cited = " cited" if marks and a <= marks[0] < b else ""
        parts.append(
            f'<section class="passage{cited}" id="{anchor}">'
            f'<a class="anchor" href="#{anchor}" title="passage {anchor}">¶</a>'
            f"{markdown(text[a:b], env)}</section>"
        )
        cursor = b
    parts.append(markdown(text[cursor:], env))
    return Markup("".join(parts))


def highlight(text: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """Plain passage text, escaped, with `spans` in `<mark>` and blank lines as paragraph breaks."""
    out: list[str] = []
    cursor = 0
    for a, b in spans:
        out.append(str(escape(text[cursor:a])))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    out.append(str(escape(text[cursor:])))
    paragraphs = "".join(out).split("\n\n")
    return Markup("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip()))
