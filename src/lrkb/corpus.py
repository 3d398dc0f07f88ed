"""Reading and writing corpus files: Markdown articles with `---` front matter, and TOML data.

This module does I/O only; parsing the article body into passages is `chunking`'s job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CorpusError, InputError

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_KEY = re.compile(r"([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")
# Data files beside the articles: rules with a bundled default, and the corpus's own curation.
DEFAULTED_FILES = ("vocabulary.toml", "issues.toml")
CURATION_FILE = "curation.toml"


@dataclass(frozen=True)
class Document:
    """An article file as read from disk: its metadata, its whole text, and where the body starts."""

    id: str
    title: str
    url: str | None
    added: str | None
    path: Path
    text: str
    body_start: int
    body_line: int


def data_path(corpus: Path, defaults: Path, name: str) -> Path:
    """`corpus/name` when the corpus has it, else the bundled corpus's (`defaults/name`)."""
    own = corpus / name
    return own if own.exists() else defaults / name


def check_id(source_id: str) -> str:
    """Return `source_id` if it is a safe file name stem, else raise `InputError`."""
    if not ID_PATTERN.fullmatch(source_id):
        raise InputError(
            f"invalid source id {source_id!r}: use 1-80 lowercase letters, digits and hyphens"
        )
    return source_id


def slugify(title: str, max_words: int = 8) -> str:
    """A source id made from a title: "Can You Run After Leg Day?" -> "can-you-run-after-leg-day"."""
    import unicodedata

    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower().replace("'", ""))
    return "-".join(words[:max_words])[:80].strip("-")


def parse_front_matter(text: str, name: str) -> tuple[dict[str, str | None], int, int]:
    """Split `---` front matter from `text`: (fields, body start offset, body start line).

    Values are plain scalars or JSON-style double-quoted strings (valid YAML either way).
    """
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return {}, 0, 0
    fields: dict[str, str | None] = {}
    offset = text.index("\n") + 1
    line_no = 1
    while True:
        end = text.find("\n", offset)
        if end == -1:
            raise CorpusError(f"{name}: front matter is not closed by a '---' line")
        line = text[offset:end].rstrip("\r")
        line_no += 1
        offset = end + 1
        if line == "---":
            return fields, offset, line_no
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY.match(line)
        if not m:
            raise CorpusError(f"{name}: malformed front matter at line {line_no}: {line[:60]!r}")
        key, value = m.group(1), (m.group(2) or "").strip()
        if value.startswith('"'):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise CorpusError(
                    f"{name}: malformed quoted value for {key!r} at line {line_no}"
                ) from None
            if not isinstance(value, str):
                raise CorpusError(f"{name}: {key!r} at line {line_no} is not a string")
        fields[key] = value or None


def format_front_matter(fields: dict[str, str | None]) -> str:
    """Front matter for `fields`, quoting values that YAML could misread."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        plain = re.fullmatch(r"[A-Za-z0-9][\w./-]*(?: [\w./-]+)*", value) and ": " not in value
        lines.append(f"{key}: {value if plain else json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def read_text(path: Path) -> str:
    """The UTF-8 text of `path`, with a clear error for anything that is not a readable text file."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not an article file")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from e
    if b"\0" in raw:
        raise InputError(f"{path}: is a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: is not UTF-8 text (bad byte at offset {e.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_corpus_dir(corpus: Path) -> None:
    """Raise `CorpusError` unless `corpus` is an existing directory."""
    if not corpus.exists():
        raise CorpusError(f"corpus directory not found: {corpus}")
    if not corpus.is_dir():
        raise CorpusError(f"corpus path is a file, not a directory: {corpus}")


def article_paths(corpus: Path) -> list[Path]:
    """The article files of `corpus`, in a stable order."""
    check_corpus_dir(corpus)
    return sorted(p for p in corpus.glob("*.md") if p.is_file() and not p.name.startswith("."))


def load_document(path: Path) -> Document:
    """Read one article: front matter, title (front matter, else first `# ` heading, else id)."""
    try:
        text = read_text(path)
    except InputError as e:
        raise CorpusError(str(e)) from None
    fields, body_start, body_line = parse_front_matter(text, path.name)
    source_id = fields.get("id") or path.stem
    if not ID_PATTERN.fullmatch(source_id):
        raise CorpusError(f"{path.name}: invalid id {source_id!r}")
    title = fields.get("title")
    if not title:
        m = re.search(r"^# +(.+?)\s*#*$", text[body_start:], re.MULTILINE)
        title = m.group(1) if m else source_id
    return Document(
        id=source_id,
        title=title,
        url=fields.get("url"),
        added=fields.get("added"),
        path=path,
        text=text,
        body_start=body_start,
        body_line=body_line,
    )


def load_documents(corpus: Path) -> list[Document]:
    """Every article of `corpus`; two articles with one id are an error naming both files."""
    documents = [load_document(p) for p in article_paths(corpus)]
    seen: dict[str, Path] = {}
    for doc in documents:
        if doc.id in seen:
            raise CorpusError(
                f"duplicate source id {doc.id!r} in {seen[doc.id].name} and {doc.path.name}"
            )
        seen[doc.id] = doc.path
    return documents


def load_toml(path: Path, error: type[CorpusError] = CorpusError) -> dict[str, Any]:
    """A TOML data file, or {} when it does not exist; bad TOML raises `error` naming the file."""
    import tomllib  # only the build reads TOML; keeps it off the query path

    if not path.exists():
        return {}
    try:
        return tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as e:
        raise error(f"{path}: invalid TOML: {e}") from None
    except InputError as e:
        raise error(str(e)) from None
