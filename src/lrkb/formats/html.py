"""The main text of a saved web page, with trafilatura: headings, paragraphs and lists, without
navigation, comments, share bars, cookie notices, scripts or styles; and its title, author,
date, canonical URL and tags."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import InputError
from ..importer import Block
from . import Extracted

# trafilatura's XML tree: <head rend="h2">, <p>, <list rend="ol"><item>, <quote>, <code>.
_TEXT_TAGS = {"p": "p", "quote": "p", "code": "p"}


def extract(raw: bytes, name: str) -> Extracted:
    """The article in the HTML `raw` (any encoding trafilatura detects); `name` is for errors."""
    import trafilatura

    logger = logging.getLogger("trafilatura")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its warnings are about pages, not for lrkb's user
    try:
        doc: Any = trafilatura.bare_extraction(
            raw,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_formatting=True,
            favor_precision=True,
        )
    finally:
        logger.setLevel(level)
    if doc is None or doc.body is None:
        raise InputError(f"{name}: no article text found in this HTML page")
    for br in doc.body.iter("lb"):  # a line break inside a paragraph separates two words
        br.tail = " " + (br.tail or "")
    blocks: list[Block] = []
    _walk(doc.body, blocks)
    if not blocks:
        raise InputError(f"{name}: no article text found in this HTML page")
    meta: dict[str, Any] = {}
    for key, value in (("author", doc.author), ("date", doc.date), ("site", doc.sitename)):
        if value:
            meta[key] = value
    tags = [t.strip() for raw_tags in (doc.tags or []) for t in raw_tags.split(",") if t.strip()]
    if tags:
        meta["tags"] = tags
    url = doc.url if doc.url and doc.url.startswith(("http://", "https://")) else None
    return Extracted(blocks, doc.title or None, url, meta)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _walk(element: Any, out: list[Block]) -> None:
    for child in element:
        tag = child.tag
        if tag == "head":
            rend = child.get("rend") or "h2"
            level = rend[1] if len(rend) == 2 and rend[0] == "h" and rend[1] in "123456" else "2"
            out.append(Block(f"h{level}", _text(child)))
        elif tag == "list":
            kind = "ol" if child.get("rend") == "ol" else "li"
            for item in child.iter("item"):
                # A nested list's items come as items of their own, after their parent's text.
                own = (item.text or "") + "".join(
                    "".join(c.itertext()) + (c.tail or "") if c.tag != "list" else (c.tail or "")
                    for c in item
                )
                if own.strip():
                    out.append(Block(kind, " ".join(own.split())))
        elif tag in _TEXT_TAGS:
            out.append(Block(_TEXT_TAGS[tag], _text(child)))
        elif tag in ("div", "section", "main", "body") or len(child):
            _walk(child, out)
        elif _text(child):
            out.append(Block("p", _text(child)))
