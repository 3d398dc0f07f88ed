"""Split an article's Markdown into passages with markdown-it-py (pure: text in, passages out).

A passage is a paragraph, a list, or a short run of them, at most about `MAX_WORDS` words, that
never crosses a heading. Longer blocks are split at list items or sentence ends. Each passage keeps
its heading path, its line span and its character span in the source file.

Page markers: a paragraph that is exactly `<!-- page N -->` (the PDF importer writes one before the
first paragraph of each page) is never passage text; the passages after it record `page=N`, and
a passage never joins paragraphs from two pages. Only a paragraph that runs over a page break
reaches the next page: its passage records the page it starts on. Markdown viewers hide the marker
(an HTML comment), and any Markdown article may use it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .analysis import sentence_spans
from .models import Passage

MAX_WORDS = 150
MIN_WORDS = 40
SECTION_SEP = " > "

# Line breaks as markdown-it counts them: \r\n, a lone \r, or \n.
_BREAK = re.compile("\r\n|\r|\n")
_md = MarkdownIt("commonmark", {"html": False})


# What stops markdown-it's text rule (its inline rules act only at these), but line breaks
_INLINE_MARK = re.compile(r"[!#$%&*+\-:<=>@\[\\\]^_`{}~]")


def _inline(state: StateCore) -> None:
    """markdown-it's core rule `inline`, except that a text holding no character an inline rule
    acts on becomes one text token: parsed, it would be text and soft or hard line breaks,
    which `_inline_text` joins into the same words (a seventh of the parse of plain prose)."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if _INLINE_MARK.search(token.content) is None:
            token.children.append(Token("text", "", 0, content=token.content))
        else:
            state.md.inline.parse(token.content, state.md, state.env, token.children)


_md.core.ruler.at("inline", _inline)

PAGE_MARKER = re.compile(r"<!-- page (\d{1,6}) -->")


def page_marker(page: int) -> str:
    """The marker line that starts page `page` (see the module docstring)."""
    return f"<!-- page {page} -->"


@dataclass
class _Block:
    text: str
    start: int
    end: int
    line_start: int
    line_end: int
    words: int
    page: int | None = None


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for m in _BREAK.finditer(text):
        offsets.append(m.end())
    offsets.append(len(text) + 1)
    return offsets


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type in ("text", "code_inline", "html_inline") or child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())


def _span(offsets: list[int], text: str, line_a: int, line_b: int) -> tuple[int, int]:
    start = offsets[line_a]
    end = min(offsets[line_b] - 1, len(text))
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _plain(text: str) -> str:
    return " ".join(text.split())


def _split_long(block: _Block, source: str) -> list[_Block]:
    """Split a paragraph of more than MAX_WORDS words at sentence ends."""
    raw = source[block.start : block.end]
    out: list[_Block] = []
    group: list[tuple[int, int]] = []
    words = 0
    for a, b in sentence_spans(raw):
        n = len(raw[a:b].split())
        if group and words + n > MAX_WORDS:
            out.append(_make(group, raw, block, source))
            group, words = [], 0
        group.append((a, b))
        words += n
    if group:
        out.append(_make(group, raw, block, source))
    return out


def _make(group: list[tuple[int, int]], raw: str, block: _Block, source: str) -> _Block:
    start, end = block.start + group[0][0], block.start + group[-1][1]
    line_a = block.line_start + len(_BREAK.findall(source, block.start, start))
    line_b = line_a + len(_BREAK.findall(source, start, end)) + 1
    text = _plain(raw[group[0][0] : group[-1][1]])
    return _Block(text, start, end, line_a, line_b, len(text.split()), block.page)


def _blocks(
    tokens: list[Token], i: int, close: str, source: str, offsets: list[int], base_line: int
) -> tuple[list[_Block], int]:
    """The list items from tokens[i] up to its `close` token, each a block."""
    items: list[_Block] = []
    depth = 0
    ordered = tokens[i].type == "ordered_list_open"
    number = int(tokens[i].attrGet("start") or 1) if ordered else 0
    j = i + 1
    while j < len(tokens):
        tok = tokens[j]
        if tok.type == close and tok.level == tokens[i].level:
            break
        if tok.type == "list_item_open" and tok.level == tokens[i].level + 1 and tok.map:
            a, b = tok.map
            depth = 0
            texts = []
            k = j + 1
            while not (tokens[k].type == "list_item_close" and tokens[k].level == tok.level):
                if tokens[k].type == "inline":
                    texts.append(_inline_text(tokens[k]))
                k += 1
            marker = f"{number}." if ordered else "-"
            number += 1
            text = f"{marker} {' '.join(t for t in texts if t)}"
            start, end = _span(offsets, source, base_line + a, base_line + b)
            items.append(
                _Block(text, start, end, base_line + a, base_line + b, len(text.split()) - 1)
            )
            j = k
        j += 1
    del depth
    return items, j


def chunk(source: str, source_id: str, body_start: int = 0, body_line: int = 0) -> list[Passage]:
    """Passages of the Markdown in `source[body_start:]`, with spans into the whole `source`.

    Parameters:
        source: the whole file text (front matter included), so spans index the file.
        source_id: the id every passage records, and the prefix of its id.
        body_start, body_line: where the Markdown body starts (after front matter).
    """
    body = source[body_start:]
    tokens = _md.parse(body)
    offsets = _line_offsets(source)
    headings: dict[int, str] = {}
    sections: list[tuple[str, list[_Block]]] = []
    current: list[_Block] = []

    def section_path() -> str:
        return SECTION_SEP.join(headings[level] for level in sorted(headings) if level > 1)

    sections.append((section_path(), current))
    page: int | None = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            text = _inline_text(tokens[i + 1])
            for deeper in [lv for lv in headings if lv >= level]:
                del headings[deeper]
            headings[level] = text
            current = []
            sections.append((section_path(), current))
            i += 3
            continue
        if tok.level == 0 and tok.map and tok.type in ("bullet_list_open", "ordered_list_open"):
            close = tok.type.replace("_open", "_close")
            items, i = _blocks(tokens, i, close, source, offsets, body_line)
            for item in items:
                item.page = page
            # A list is one block unless it is too long; then its items are grouped.
            total = sum(b.words for b in items)
            if items and total <= MAX_WORDS:
                first, last = items[0], items[-1]
                current.append(
                    _Block(
                        "\n".join(b.text for b in items),
                        first.start,
                        last.end,
                        first.line_start,
                        last.line_end,
                        total,
                        page,
                    )
                )
            else:
                current.extend(items)
            i += 1
            continue
        if (
            tok.level == 0
            and tok.map
            and tok.type
            in ("paragraph_open", "blockquote_open", "fence", "code_block", "html_block")
        ):
            a, b = tok.map
            start, end = _span(offsets, source, body_line + a, body_line + b)
            if tok.type == "paragraph_open":
                text = _inline_text(tokens[i + 1])
            elif tok.type == "blockquote_open":
                text = _plain(
                    " ".join(
                        t.content
                        for t in tokens[i:]
                        if t.type == "inline" and t.map and t.map[1] <= b
                    )
                )
            else:
                text = _plain(tok.content)
            marker = PAGE_MARKER.fullmatch(text) if tok.type == "paragraph_open" else None
            if marker:
                page = int(marker.group(1))
            elif text:
                block = _Block(
                    text, start, end, body_line + a, body_line + b, len(text.split()), page
                )
                if block.words > MAX_WORDS and tok.type == "paragraph_open":
                    current.extend(_split_long(block, source))
                else:
                    current.append(block)
        # Skip to the end of this top-level block.
        if tok.nesting == 1 and tok.level == 0:
            close = tok.type.replace("_open", "_close")
            while i < len(tokens) and not (tokens[i].type == close and tokens[i].level == 0):
                i += 1
        i += 1

    passages: list[Passage] = []
    seen: set[str] = set()
    for section, blocks in sections:
        for group in _group(blocks):
            text = "\n\n".join(b.text for b in group)
            digest = hashlib.sha1(f"{section}\n{text}".encode()).hexdigest()
            pid = f"{source_id}:{digest[:6]}"
            n = 2
            while pid in seen:
                pid = f"{source_id}:{digest[:6]}-{n}"
                n += 1
            seen.add(pid)
            passages.append(
                Passage(
                    id=pid,
                    source=source_id,
                    section=section,
                    text=text,
                    start=group[0].start,
                    end=group[-1].end,
                    line_start=group[0].line_start + 1,
                    line_end=group[-1].line_end,
                    page=group[0].page,
                )
            )
    return passages


def _group(blocks: list[_Block]) -> list[list[_Block]]:
    """Runs of blocks: a short block joins its neighbour while the run stays within MAX_WORDS."""
    groups: list[list[_Block]] = []
    words = 0
    for block in blocks:
        if (
            groups
            and block.page == groups[-1][0].page
            and (words < MIN_WORDS or block.words < MIN_WORDS // 2)
            and words + block.words <= MAX_WORDS
        ):
            groups[-1].append(block)
            words += block.words
        else:
            groups.append([block])
            words = block.words
    return groups
