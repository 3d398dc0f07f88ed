"""The text of a PDF with pypdf, page by page, as paragraphs, headings and list items that know
their page.

Lines repeated at the top or bottom of most pages (running headers, footers, page numbers) are
dropped and reported; a word hyphenated at a line end is joined ("recov-" + "ery"); lines wrapped
by the layout are re-flowed into paragraphs, and a paragraph that runs over a page break is kept
whole, on the page it starts on. A PDF with no text layer, an encrypted one and a damaged one
are refused, each with its own message.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import warnings
from collections import Counter
from typing import Any

from ..errors import InputError
from ..importer import Block, Dropped
from . import Extracted

EDGE_LINES = 3  # lines at the top and at the bottom of a page where headers and footers sit
_PAGE_NUMBER = re.compile(r"^\W*(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?\W*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·\-–*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(\S.*)$")
_ENDS = re.compile(r"[.!?:;][\"'”’)\]]*$")
_HYPHEN = re.compile(r"[A-Za-z][-\u00ad\u2010]$")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_JUNK_TITLE = re.compile(r"^(untitled|microsoft word|document\d*|\S+\.(docx?|pdf|tex|indd))", re.I)


def extract(raw: bytes, name: str) -> Extracted:
    """The text of the PDF `raw`; `name` is for errors. Raises `InputError` for a PDF without a
    text layer, an encrypted one (one that opens with an empty password is read), a damaged one."""
    if b"%PDF-" not in raw[:1024]:
        raise InputError(f"{name}: is not a PDF (no %PDF- header): damaged or mislabelled")
    pages, info = _read(raw, name)
    if not any(p.strip() for p in pages):
        raise InputError(
            f"{name}: has no text layer (a scanned PDF?); run OCR on it first, e.g. ocrmypdf"
        )
    lines, dropped = _strip_edges([p.translate(_LIGATURES).split("\n") for p in pages])
    blocks = _paragraphs(lines)
    title = _title(info.get("/Title"))
    if title is None and blocks and blocks[0].kind in ("h2", "p") and blocks[0].page == 1:
        first = blocks[0].text
        if len(first.split()) <= 20 and not _ENDS.search(first):
            blocks[0] = Block("h1", first, 1, blocks[0].line)
    meta: dict[str, Any] = {}
    author = info.get("/Author")
    if isinstance(author, str) and author.strip():
        meta["author"] = " ".join(author.split())
    created = info.get("created")
    if created:
        meta["date"] = created
    meta["pages"] = len(pages)
    return Extracted(blocks, title, None, meta, dropped)


def _read(raw: bytes, name: str) -> tuple[list[str], dict[str, Any]]:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # pypdf logs every repair it makes; the user needs none
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(raw), strict=False)
            if reader.is_encrypted:
                opened: Any
                try:
                    opened = reader.decrypt("")
                except DependencyError:
                    opened = 0
                if not opened:
                    raise InputError(
                        f"{name}: is an encrypted PDF (it needs a password); "
                        "add an unencrypted copy"
                    )
            pages = [page.extract_text() or "" for page in reader.pages]
            info: dict[str, Any] = {}
            metadata = reader.metadata
            if metadata is not None:
                for key in ("/Title", "/Author"):
                    value = metadata.get(key)
                    if isinstance(value, str):
                        info[key] = value
                try:
                    created = metadata.creation_date
                except Exception:  # a malformed date string is not worth refusing the PDF
                    created = None
                if created is not None:
                    info["created"] = created.date().isoformat()
    except InputError:
        raise
    except FileNotDecryptedError:
        raise InputError(f"{name}: is an encrypted PDF (it needs a password)") from None
    except Exception as e:  # pypdf raises many kinds of error on damaged files
        raise InputError(
            f"{name}: is a damaged PDF that cannot be read ({type(e).__name__}: {e})"[:200]
        ) from None
    finally:
        logger.setLevel(level)
    return pages, info


def _title(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    title = " ".join(value.split())
    return title if title and not _JUNK_TITLE.match(title) else None


def _key(line: str) -> str:
    """A line with its digits blanked, so "Page 3" and "Page 4" repeat as one header."""
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _strip_edges(
    pages: list[list[str]],
) -> tuple[list[list[tuple[int, str]]], list[Dropped]]:
    """Each page's (line number, line) without its running headers, footers and page numbers."""
    numbered = [[(n, ln.strip()) for n, ln in enumerate(p, 1) if ln.strip()] for p in pages]
    edges = [p[:EDGE_LINES] + p[-EDGE_LINES:] for p in numbered]
    seen = Counter(k for edge in edges for k in {_key(ln) for _, ln in edge})
    need = max(2, (len([p for p in numbered if p]) + 1) // 2)
    repeated = {k for k, n in seen.items() if n >= need}
    kept: list[list[tuple[int, str]]] = []
    dropped: list[Dropped] = []
    for page_no, lines in enumerate(numbered, 1):
        edge = {n for n, _ in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
        out = []
        for n, ln in lines:
            if n in edge and (_key(ln) in repeated or _PAGE_NUMBER.match(ln)):
                dropped.append(Dropped(n, ln, "running header or footer", page_no))
            else:
                out.append((n, ln))
        kept.append(out)
    return kept, dropped


def _paragraphs(pages: list[list[tuple[int, str]]]) -> list[Block]:
    """Re-flow wrapped lines into paragraphs, headings and list items, each with its page."""
    lengths = [len(ln) for page in pages for _, ln in page if len(ln) >= 20]
    width = statistics.quantiles(lengths, n=10)[7] if len(lengths) >= 2 else 80.0
    short = 0.75 * width
    blocks: list[Block] = []
    kind, page, line = "", 0, 0
    parts: list[str] = []
    ended = True  # the previous line closed its paragraph

    def flush() -> None:
        nonlocal parts
        if parts:
            blocks.append(Block(kind, " ".join(parts), page, line))
        parts = []

    for page_no, lines in enumerate(pages, 1):
        for i, (n, ln) in enumerate(lines):
            bullet = _BULLET.match(ln)
            continues = (
                parts
                and not ended
                and not bullet
                and (kind != "h2")
                and (ln[0].islower() or not _ENDS.search(parts[-1]))
            )
            if continues and i == 0 and not ln[0].islower():
                continues = False  # a new page starts a new paragraph unless mid-sentence
            if continues:
                if _HYPHEN.search(parts[-1]) and ln[0].islower():
                    parts[-1] = parts[-1][:-1] + ln  # "recov-" + "ery"
                else:
                    parts[-1] += " " + ln
            else:
                flush()
                page, line = page_no, n
                nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
                starts_section = not nxt or (nxt[0].isupper() and not _BULLET.match(nxt))
                numbered_heading = bullet and ln[0].isdigit() and bullet.group(1)[0].isupper()
                if numbered_heading and _heading(ln, short) and starts_section:
                    kind, parts = "h2", [ln]  # "2. Methods"
                elif bullet:
                    kind, parts = (
                        ("ol" if bullet.group(0).lstrip()[0].isdigit() else "li"),
                        [bullet.group(1)],
                    )
                elif _heading(ln, short) and (not nxt or nxt[0].isupper() or _BULLET.match(nxt)):
                    kind, parts = "h2", [ln]
                else:
                    kind, parts = "p", [ln]
            ended = kind == "h2" or (len(ln) < short and bool(_ENDS.search(ln)))
    flush()
    return blocks


def _heading(line: str, short: float) -> bool:
    words = line.split()
    return (
        len(line) < short
        and 0 < len(words) <= 12
        and not _ENDS.search(line)
        and not line.endswith(",")
        and (line[0].isupper() or line[0].isdigit())
    )
