"""Turn files into corpus articles without touching the corpus: read each file, detect its
format, extract and import its text, and check it.

`prepare` gives the whole text an article will be stored as (YAML front matter, then Markdown);
`KnowledgeBase.add` writes everything it prepared in one step, so a file that fails adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .corpus import (
    OWN_KEYS,
    check_id,
    decode_text,
    format_front_matter,
    parse_front_matter,
    slugify,
)
from .errors import CorpusError, InputError

if TYPE_CHECKING:
    from .importer import Dropped

# Formats by file suffix; a file of another suffix is read as plain text when named on its own,
# and skipped when it is found in a directory.
SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
MAX_FILE_BYTES = 200_000_000


@dataclass(frozen=True)
class Prepared:
    """An article ready to be written as `<source_id>.md`: its id, title, whole file text, the
    file it came from, and the lines the importer dropped."""

    source_id: str
    title: str
    text: str
    path: Path
    dropped: tuple[Dropped, ...]


def expand(paths: Sequence[str | Path]) -> tuple[list[Path], list[Path]]:
    """The files to import: each file named, and the article files under each directory named
    (recursively, in name order, hidden ones left out); and the files of other types skipped."""
    files: list[Path] = []
    skipped: list[Path] = []
    for given in map(Path, paths):
        if not given.is_dir():
            files.append(given)
            continue
        found = sorted(
            p
            for p in given.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(given).parts)
        )
        for p in found:
            (files if p.suffix.lower() in SUFFIXES else skipped).append(p)
        if not any(p.suffix.lower() in SUFFIXES for p in found):
            raise InputError(f"{given}: has no article files (.md, .txt, .html, .pdf)")
    return files, skipped


def detect(path: Path, raw: bytes) -> str:
    """The format of a file: a PDF by its first bytes whatever its name, else by its suffix,
    else HTML by its first bytes, else text."""
    head = raw[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    known = SUFFIXES.get(path.suffix.lower())
    if known:
        return known
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_bytes(path: Path) -> bytes:
    """The bytes of `path`, with one-line errors for a missing file, a directory, a huge file."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an article file")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"{path}: is over {MAX_FILE_BYTES // 1_000_000} MB")
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from e


def prepare(
    path: str | Path,
    title: str | None = None,
    url: str | None = None,
    source_id: str | None = None,
    today: str | None = None,
) -> Prepared:
    """Read and import one file (Markdown, plain text, HTML or PDF) as an article; no side
    effects. `title`, `url` and `source_id` override what is found in the file."""
    path = Path(path)
    raw = read_bytes(path)
    kind = detect(path, raw)
    meta: dict[str, Any] = {}
    dropped: tuple[Dropped, ...] = ()
    if kind in ("html", "pdf"):
        from .importer import import_blocks

        extract: Callable[..., Any]
        if kind == "html":
            from .formats.html import extract
        else:
            from .formats.pdf import extract
        found = extract(raw, str(path))
        imported = import_blocks(found.blocks, title or found.title)
        body, title = imported.markdown, title or imported.title
        url = url or found.url
        meta = found.meta
        dropped = tuple(found.dropped) + imported.dropped
    else:
        text = decode_text(raw, path)
        if not text.strip():
            raise InputError(f"{path}: is empty")
        if kind == "markdown":
            try:
                fields, body_start, _ = parse_front_matter(text, str(path))
            except CorpusError as e:
                raise InputError(str(e)) from None
            body = text[body_start:]
            heading = re.search(r"^# +(.+?)\s*#*$", body, re.MULTILINE)
            # Obsidian's notes have no title line: the file name is the title.
            title = title or fields.get("title") or (heading.group(1) if heading else path.stem)
            url = url or fields.get("url")
            source_id = source_id if source_id is not None else fields.get("id")
            meta = {k: v for k, v in fields.items() if k not in OWN_KEYS}
        else:
            from .importer import import_text

            imported = import_text(text, title)
            body, dropped = imported.markdown, imported.dropped
            title = title or imported.title
    if not title:
        raise InputError(f"{path}: no title found; give one with --title")
    title = " ".join(title.split())
    source_id = check_id(
        source_id if source_id is not None else slugify(title) or slugify(path.stem)
    )
    if not body.strip():
        raise InputError(f"{path}: has no article text after import")
    fields_out: dict[str, Any] = {
        "id": source_id,
        "title": title,
        "url": url,
        "added": today or date.today().isoformat(),
        **meta,
    }
    content = format_front_matter(fields_out) + "\n" + body.lstrip("\n")
    return Prepared(source_id, title, content, path, dropped)


def prepare_all(
    paths: Sequence[str | Path],
    title: str | None = None,
    url: str | None = None,
    source_id: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[Prepared], list[Path]]:
    """`prepare` every file named or found in a directory named, and the files skipped; two
    files that would get one id are an error naming both. The first file that fails raises,
    with its name in the message."""
    files, skipped = expand(paths)
    if not files:
        raise InputError("no files to add")
    if len(files) > 1 and (title or url or source_id):
        raise InputError(
            f"--title, --url and --id apply to one file, and {len(files)} files were given"
        )
    out: list[Prepared] = []
    seen: dict[str, Path] = {}
    for n, path in enumerate(files, 1):
        prepared = prepare(path, title, url, source_id)
        if prepared.source_id in seen:
            raise InputError(
                f"{seen[prepared.source_id]} and {path} would both get the id "
                f"{prepared.source_id!r}; add one of them with --id"
            )
        seen[prepared.source_id] = path
        out.append(prepared)
        if progress and len(files) > 1:
            progress("importing", n, len(files))
    return out, skipped
