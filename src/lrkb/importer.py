"""Turn an article copied from a web page as plain text into a corpus Markdown file.

It finds the title, headings and lists, and drops what is not the author's content (SEO keyword
lines, comment forms, affiliate disclosures, image captions that repeat the title), reporting each
line it dropped and why. Pure: text in, Markdown out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    """A line the importer left out, with its 1-based line number and the reason."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Imported:
    """The result of importing: the title, the Markdown body, and what was dropped."""

    title: str | None
    markdown: str
    dropped: tuple[Dropped, ...]


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
    dropped: list[Dropped] = []
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

    # Drop noise line by line, recording why.
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
    out: list[str] = []
    if title:
        out += [f"# {title}", ""]
    in_faq = False
    previous = ""
    for kind, content, ordered in blocks:
        if kind == "p" and in_faq and content.endswith("?") and len(content.split()) <= 16:
            kind = "h3"
        if kind == "h2":
            in_faq = bool(_FAQ.search(content))
            if previous == "h2":
                kind = "h3"
        if kind in ("h2", "h3"):
            out += [f"{'#' * int(kind[1])} {content}", ""]
        elif kind == "li":
            marker = "1." if ordered else "-"
            if previous == "li" and out and out[-1] == "":
                out.pop()
            out += [f"{marker} {content}", ""]
        else:
            out += [_escape(content), ""]
        previous = kind
    return Imported(
        title=title, markdown="\n".join(out).rstrip("\n") + "\n", dropped=tuple(dropped)
    )
