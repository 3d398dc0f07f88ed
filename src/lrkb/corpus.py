"""Reading and writing corpus files: Markdown articles with `---` front matter, and TOML data.

This module does I/O only; parsing the article body into passages is `chunking`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CorpusError, InputError

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
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
    meta: dict[str, Any] = field(default_factory=dict)


def bundled_corpus() -> Path:
    """The corpus shipped with lrkb: inside the wheel, or at the top of a source checkout."""
    packaged = Path(__file__).parent / "bundled_corpus"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "corpus"


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


# Front matter keys lrkb reads itself; every other key is kept as the source's `meta`.
OWN_KEYS = ("id", "title", "url", "added")
MAX_FRONT_MATTER = 64_000  # characters: a note's metadata, not a data dump
_MAX_NODES = 5_000  # values in the front matter once aliases are expanded (no "billion laughs")
_MAX_DEPTH = 20
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_CLOSE_TOML = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)


def parse_front_matter(text: str, name: str) -> tuple[dict[str, Any], int, int]:
    """Split YAML front matter (between `---` lines) from `text`: (fields, body start, body line).

    The YAML is read with PyYAML's safe loader, so nothing in it is executed. Hugo's TOML front
    matter (between `+++` lines) is read too. Values are made JSON-able: dates become ISO
    strings, sets sorted lists. `CorpusError` names `name` and the line of invalid YAML, a front
    matter that is not a mapping, or one that is not closed.
    """
    first = text.split("\n", 1)[0].rstrip("\r")
    if first not in ("---", "+++"):
        return {}, 0, 0
    start = text.index("\n") + 1
    close = (_CLOSE if first == "---" else _CLOSE_TOML).search(text, start)
    if close is None:
        raise CorpusError(f"{name}: front matter is not closed by a '{first}' line")
    raw = text[start : close.start()]
    if len(raw) > MAX_FRONT_MATTER:
        raise CorpusError(f"{name}: front matter is over {MAX_FRONT_MATTER:,} characters")
    data = _yaml(raw, name) if first == "---" else _toml(raw, name)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CorpusError(f"{name}: front matter must be a mapping of keys to values")
    budget = [_MAX_NODES]
    fields = {str(k): _jsonable(v, name, budget, 0) for k, v in data.items()}
    for key in OWN_KEYS:
        value = fields.get(key)
        if isinstance(value, (dict, list)):
            raise CorpusError(f"{name}: front matter {key!r} must be a single value")
        if value is not None and not isinstance(value, str):
            fields[key] = str(value).lower() if isinstance(value, bool) else str(value)
    body = close.end() + 1 if close.end() < len(text) else close.end()
    return fields, body, text.count("\n", 0, body)


def _toml(raw: str, name: str) -> Any:
    import tomllib

    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"{name}: invalid TOML in front matter: {e}") from None


def _yaml(raw: str, name: str) -> Any:
    import yaml  # the build and `add` read front matter; queries never do

    # libyaml's safe loader when PyYAML has it: the same safe constructor, five times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader)  # a safe loader: never the full one
    except yaml.MarkedYAMLError as e:
        # Where the broken construct starts (an unclosed '[' or quote) is the line to fix.
        mark = e.context_mark or e.problem_mark
        line = f" at line {mark.line + 2}" if mark else ""  # +1 for the opening '---', +1 1-based
        raise CorpusError(f"{name}: invalid YAML in front matter{line}: {e.problem}") from None
    except yaml.YAMLError as e:
        raise CorpusError(f"{name}: invalid YAML in front matter: {e}") from None


def _jsonable(value: Any, name: str, budget: list[int], depth: int) -> Any:
    """`value` from YAML as JSON-able data; bounded, so aliases cannot blow it up."""
    import datetime

    budget[0] -= 1
    if budget[0] < 0 or depth > _MAX_DEPTH:
        raise CorpusError(f"{name}: front matter is too large or too deeply nested")
    if isinstance(value, dict):
        return {str(k): _jsonable(v, name, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, name, budget, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(str(_jsonable(v, name, budget, depth + 1)) for v in value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        raise CorpusError(f"{name}: front matter holds binary data (!!binary)")
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def format_front_matter(fields: dict[str, Any]) -> str:
    """YAML front matter for `fields` (None values left out), read back by `parse_front_matter`
    as the same values."""
    import yaml

    kept = {k: v for k, v in fields.items() if v is not None}
    dumped = yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=1_000_000)
    if yaml.safe_load(dumped) != kept:
        # PyYAML writes some characters (U+0085, U+2028) raw that it then reads as line breaks;
        # escaped as ASCII, every string reads back as it was.
        dumped = yaml.safe_dump(kept, sort_keys=False, allow_unicode=False, width=1_000_000)
    return f"---\n{dumped}---\n"


def tags_of(meta: dict[str, Any]) -> list[str]:
    """The tags in front matter `meta`: a YAML list, or a string of words separated by spaces
    or commas (Jekyll), lower-cased, without Obsidian's leading '#'."""
    raw = meta.get("tags")
    if isinstance(raw, str):
        raw = re.split(r"[\s,]+", raw)
    if not isinstance(raw, list):
        return []
    found = (str(t).strip().lstrip("#").lower() for t in raw if isinstance(t, (str, int)))
    return [t for t in found if t]


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
    return decode_text(raw, path)


def decode_text(raw: bytes, path: Path) -> str:
    """`raw` as UTF-8 text with `\n` line ends; binary or non-UTF-8 bytes are an `InputError`."""
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
        meta={k: v for k, v in fields.items() if k not in OWN_KEYS},
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


def curated_mentions(path: Path, source_ids: list[str]) -> list[str]:
    """The entries of the curation file `path` that quote one of `source_ids`, as
    "[[veto]] 1 (source: quote…)"; [] when there is no file."""
    data = load_toml(path)
    wanted = set(source_ids)
    found = []
    for table in ("claim", "conflict", "veto"):
        entries = data.get(table, [])
        for n, entry in enumerate(entries if isinstance(entries, list) else [], 1):
            quoted = [entry] if table == "claim" else [entry.get("a"), entry.get("b")]
            for q in quoted:
                if isinstance(q, dict) and q.get("source") in wanted:
                    quote = " ".join(str(q.get("quote", "")).split())
                    found.append(f"[[{table}]] {n}: {q['source']}: {quote[:40]!r}")
                    break
    return found
