"""Turn an article copied from a web page as plain text into a corpus Markdown file.

It finds the title, headings and lists, and drops what is not the author's content (SEO keyword
lines, comment forms, affiliate disclosures, image captions that repeat the title), reporting each
line it dropped and why. Pure: text in, Markdown out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_BULLET = re.compile(r"^(\s*)([•●▪◦‣∙·\-*–+]|\d{1,3}[.)])\s+(.*)$")
_ENDS_SENTENCE = re.compile(r"[.,;:…]$")
_TRAILING_QUOTES = re.compile(r"[\"'”’)\]]+$")
_BLOCK_MARKER = re.compile(
    r"^(#{1,6}(\s|$)|>|[-+*](\s|$)|\d{1,9}[.)](\s|$)|=+\s*$|`{3}|~{3}|\s{4})"
)
_FAQ = re.compile(r"\b(faq|frequently asked questions|questions and answers)\b", re.IGNORECASE)

BOILERPLATE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^(leave a (reply|comment)|post comment|submit comment|add comment)\b", re.I),
        "comment form",
    ),
    (
        re.compile(
            r"your email address will not be published|required fields are marked|"
            r"save my name, email",
            re.I,
        ),
        "comment form",
    ),
    (
        re.compile(
            r"\baffiliate (links?|commission|program)|earn a commission|as an amazon associate",
            re.I,
        ),
        "affiliate disclosure",
    ),
    (
        # Short, no full stop, with a year or a "by": "Posted on March 3, 2024 by Coach Dana".
        re.compile(
            r"^(posted|published|updated|last updated|written|reviewed)\b(?=.*\b(\d{4}|by)\b)"
            r"(?!.*[.!?]$)(\s+\S+){1,11}$",
            re.I,
        ),
        "byline",
    ),
    (re.compile(r"^(subscribe to our newsletter|click to share)\b", re.I), "share links"),
    (
        re.compile(
            r"^(facebook|twitter|x|pinterest|linkedin|reddit|whatsapp|telegram|email|print|"
            r"tumblr|pocket)$",
            re.I,
        ),
        "share links",
    ),
)
# A header that starts a block of navigation: it and the lines right under it, up to a blank
# line, are dropped together.
BLOCKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^(table of contents|contents|in this article|jump to|on this page)\s*:?$", re.I
        ),
        "table of contents",
    ),
    (re.compile(r"^(share this( article| post)?|share on)\s*:?$", re.I), "share links"),
    (
        re.compile(
            r"^(related posts?|related articles?|you may also like|read more|more from [\w ]{1,30})"
            r"\s*:?$",
            re.I,
        ),
        "related posts",
    ),
)


@dataclass(frozen=True)
class Dropped:
    """A line the importer left out, with its 1-based line number and the reason.

    For HTML and PDF, `line` numbers the extracted blocks (one per line, a blank line between
    groups), and `page` is the PDF page.
    """

    line: int
    text: str
    reason: str
    page: int | None = None


@dataclass(frozen=True)
class Imported:
    """The result of importing: the title, the Markdown body, and what was dropped."""

    title: str | None
    markdown: str
    dropped: tuple[Dropped, ...]


@dataclass(frozen=True)
class Block:
    """A block whose kind an extractor knows: `h1`..`h6`, `p`, `li` (bulleted) or `ol` (numbered)."""

    kind: str
    text: str
    page: int | None = None
    line: int | None = None  # where it starts in the extractor's text (a PDF page's line)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _is_seo_line(line: str) -> bool:
    parts = [p.strip() for p in line.split("|")]
    return len(parts) >= 3 and all(p and len(p.split()) <= 10 for p in parts)


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _heading_like(line: str, faq: bool) -> bool:
    text = _TRAILING_QUOTES.sub("", line.strip())
    n_words = len(text.split())
    if not text or n_words > 14 or len(text) > 100 or not (text[0].isupper() or text[0].isdigit()):
        return False
    if _ENDS_SENTENCE.search(text):
        return False
    if text.endswith(("?", "!")):
        return _title_case(text) or (faq and text.endswith("?"))
    return True


def _hard_wrapped(lines: list[str]) -> bool:
    """True when the text is wrapped at a fixed width rather than one line per paragraph."""
    body = [ln for ln in lines if ln.strip()]
    if len(body) < 4:
        return False
    long_lines = sum(len(ln) > 100 for ln in body)
    return long_lines / len(body) < 0.05 and sum(len(ln) >= 55 for ln in body) / len(body) > 0.4


def _escape(text: str) -> str:
    """Keep a paragraph from being read as a Markdown block marker."""
    return "\\" + text if _BLOCK_MARKER.match(text) else text


def _drop_noise(
    numbered: list[tuple[int, str]], title_key: str | None
) -> tuple[list[tuple[int, str]], list[Dropped]]:
    """The lines worth keeping (blank ones too), and the dropped lines with the reason."""
    dropped: list[Dropped] = []
    kept: list[tuple[int, str]] = []
    after_comment_form = False
    in_block: str | None = None
    previous_line = ""
    for no, ln in numbered:
        stripped = ln.strip()
        reason = None
        if not stripped:
            kept.append((no, ""))
            previous_line = ""
            in_block = None
            continue
        follows_seo = _is_seo_line(previous_line)
        previous_line = stripped
        header = next((why for pattern, why in BLOCKS if pattern.match(stripped)), None)
        if header is None and in_block and (len(stripped.split()) > 12 or stripped[-1] in ".!?…:"):
            in_block = None  # prose: the navigation block has ended
        in_block = header or in_block
        if in_block:
            dropped.append(Dropped(no, stripped, in_block))
            continue
        if after_comment_form:
            reason = "comment form"
        elif _is_seo_line(stripped):
            reason = "SEO keyword line"
        elif follows_seo and len(stripped.split()) <= 30:
            reason = "image caption (follows an SEO keyword line)"
        elif title_key and _norm(stripped) == title_key:
            reason = "repeats the title (image caption)"
        else:
            for pattern, why in BOILERPLATE:
                if pattern.search(stripped):
                    reason = why
                    break
        if reason:
            dropped.append(Dropped(no, stripped, reason))
            if reason == "comment form" and re.match(r"leave a (reply|comment)", stripped, re.I):
                after_comment_form = True
            continue
        kept.append((no, ln))
    return kept, dropped


def _render(
    title: str | None, blocks: list[tuple[str, str, bool, int | None]], guess: bool = True
) -> str:
    """Markdown for (kind, text, ordered, page) blocks; a page marker starts each new page.

    With `guess`, for plain text, a question under an FAQ heading and a heading right under
    another go one level down; an extractor that knows the levels passes `guess=False`.
    """
    from .chunking import page_marker

    out: list[str] = []
    if title:
        out += [f"# {title}", ""]
    in_faq = False
    previous = ""
    page: int | None = None
    number = 0  # of the item in its numbered list: the file reads as the chunker cites it
    for kind, content, ordered, block_page in blocks:
        if block_page is not None and block_page != page:
            out += [page_marker(block_page), ""]
            page, previous = block_page, "page"
        if not guess:
            pass
        elif kind == "p" and in_faq and content.endswith("?") and len(content.split()) <= 16:
            kind = "h3"
        elif kind == "h2":
            in_faq = bool(_FAQ.search(content))
            if previous == "h2":
                kind = "h3"
        if kind in ("h2", "h3", "h4", "h5", "h6"):
            out += [f"{'#' * int(kind[1])} {content}", ""]
        elif kind == "li":
            number = number + 1 if previous == "li" and ordered else 1
            marker = f"{number}." if ordered else "-"
            if previous == "li" and out and out[-1] == "":
                out.pop()
            out += [f"{marker} {_escape(content)}", ""]
        else:
            out += [_escape(content), ""]
        previous = kind
    return "\n".join(out).rstrip("\n") + "\n"


def import_blocks(blocks: list[Block], title: str | None = None) -> Imported:
    """Convert blocks whose kinds an extractor found (HTML, PDF) to Markdown, dropping the same
    noise as `import_text` does and reporting it.

    Parameters:
        blocks: the document's headings, paragraphs and list items, in order.
        title: the title; by default the first block when it is a heading. A first heading that
            repeats the title is not kept twice.

    Example:
        >>> import_blocks([Block("h1", "T"), Block("p", "Text."), Block("li", "a")]).markdown
        '# T\\n\\nText.\\n\\n- a\\n'
    """
    blocks = [Block(b.kind, " ".join(b.text.split()), b.page, b.line) for b in blocks]
    blocks = [b for b in blocks if b.text]
    if (
        blocks
        and blocks[0].kind[0] == "h"
        and (title is None or _norm(title) == _norm(blocks[0].text))
    ):
        title = title or blocks[0].text
        blocks = blocks[1:]
    # One line per block, a blank line between blocks except between items of one list, so the
    # line filter sees navigation blocks (a header and the list under it) as plain text shows them.
    numbered: list[tuple[int, str]] = []
    kind_of: dict[int, Block] = {}
    for n, b in enumerate(blocks):
        if n and not (b.kind in ("li", "ol") and blocks[n - 1].kind in ("li", "ol")):
            numbered.append((len(numbered) + 1, ""))
        numbered.append((len(numbered) + 1, b.text))
        kind_of[len(numbered)] = b
    kept, dropped = _drop_noise(numbered, _norm(title) if title else None)
    # Heading levels: the title is the only `#`; the body's headings start at `##`.
    levels = [int(b.kind[1]) for b in blocks if b.kind[0] == "h"]
    shift = max(0, 2 - min(levels)) if levels else 0
    out: list[tuple[str, str, bool, int | None]] = []
    for no, text in kept:
        block = kind_of.get(no)
        if block is None or not text:
            continue
        kind = f"h{min(6, int(block.kind[1]) + shift)}" if block.kind[0] == "h" else block.kind
        if kind == "ol":
            out.append(("li", text, True, block.page))
        else:
            out.append((kind, text, False, block.page))
    return Imported(
        title=title,
        markdown=_render(title, out, guess=False),
        dropped=tuple(_located(d, kind_of.get(d.line)) for d in dropped),
    )


def _located(dropped: Dropped, block: Block | None) -> Dropped:
    """A dropped block with the page and line the extractor gave it, when it gave them."""
    if block is None or block.line is None:
        return replace(dropped, page=block.page if block else None)
    return replace(dropped, line=block.line, page=block.page)


def import_text(text: str, title: str | None = None) -> Imported:
    """Convert plain article text to Markdown.

    Parameters:
        text: the article as copied from a web page (headings are bare lines).
        title: the title to use; by default the first line, when it reads as a title.

    Example:
        >>> import_text("My Title\\n\\nIntro text.\\n\\nA Heading\\n\\nBody.").markdown
        '# My Title\\n\\nIntro text.\\n\\n## A Heading\\n\\nBody.\\n'
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(i + 1, ln.rstrip()) for i, ln in enumerate(lines)]

    # The title: the first non-blank line, when it looks like one.
    first = next((i for i, (_, ln) in enumerate(numbered) if ln.strip()), None)
    if first is not None and title is None:
        candidate = numbered[first][1].strip()
        if _heading_like(candidate, faq=False) or (
            len(candidate.split()) <= 16 and candidate.endswith("?")
        ):
            title = _TRAILING_QUOTES.sub("", candidate) if candidate.endswith("”") else candidate
            numbered = numbered[first + 1 :]
    title_key = _norm(title) if title else None

    kept, dropped = _drop_noise(numbered, title_key)

    # Group lines into blocks: paragraphs, list items, headings.
    wrapped = _hard_wrapped([ln for _, ln in kept])
    blocks: list[tuple[str, str, bool]] = []  # (kind, text, ordered)
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("p", " ".join(paragraph), False))
            paragraph.clear()

    for i, (_, ln) in enumerate(kept):
        stripped = ln.strip()
        if not stripped:
            flush()
            continue
        bullet = _BULLET.match(ln)
        prev_blank = i == 0 or not kept[i - 1][1].strip()
        next_blank = i + 1 >= len(kept) or not kept[i + 1][1].strip()
        if bullet:
            indent, marker, item = bullet.groups()
            ordered = marker[0].isdigit()
            standalone = prev_blank and next_blank
            if ordered and not indent and standalone and len(item.split()) <= 14:
                flush()
                blocks.append(("h3", item.rstrip(".").strip(), False))
                continue
            flush()
            blocks.append(("li", item.strip(), ordered))
            continue
        if wrapped and paragraph:
            paragraph.append(stripped)
            continue
        if (not wrapped or (prev_blank and next_blank)) and _heading_like(stripped, faq=False):
            flush()
            blocks.append(("h2", stripped, False))
            continue
        if wrapped:
            paragraph.append(stripped)
        else:
            blocks.append(("p", stripped, False))
    flush()

    # Headings: FAQ questions and a heading right under another go one level down.
    markdown = _render(title, [(kind, text, ordered, None) for kind, text, ordered in blocks])
    return Imported(title=title, markdown=markdown, dropped=tuple(dropped))
