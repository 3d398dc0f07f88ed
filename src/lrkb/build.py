"""Build the on-disk index of a corpus, reusing every article that has not changed.

Each article is parsed, tagged and counted once: its passages, claims and term counts are cached
as a part (`<cache>/sources/<id>.pack`), keyed by a hash of the article's text, of the rules and
vocabulary, and of the code that made it. A build then only combines parts: the vocabulary is
the union of their term hashes, scikit-learn's TfidfTransformer weights the combined counts, the
tagged claims of all articles are compared for conflicts and curated, and one pack is written.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from . import claims as claims_mod
from .analysis import Analyzer
from .chunking import chunk
from .corpus import Document, load_documents, load_toml
from .errors import CorpusError, IndexFormatError
from .index import TfidfIndex, count_matrix
from .models import Claim, Conflict, Passage, Progress, Source, claim_dict, claim_from_dict
from .store import FORMAT_VERSION, Pack, Strings, pack_strings, read_pack, write_pack

Arrays = dict[str, np.ndarray[Any, Any]]
_CODE = ("analysis.py", "build.py", "chunking.py", "claims.py", "index.py", "store.py")


def passage_document(passage: Passage) -> str:
    """The text a passage is indexed under: its heading path, then its text.

    The article title was measured and left out: repeated on every passage of an article it
    lowered nDCG@5 (see README, Evaluation).
    """
    return f"{passage.section}\n{passage.text}"


def load_vocabulary(corpus: Path, defaults: Path) -> Analyzer:
    """The analyzer for `corpus`: its `vocabulary.toml`, else the bundled corpus's."""
    path = corpus / "vocabulary.toml"
    if not path.exists():
        path = defaults / "vocabulary.toml"
    groups = load_toml(path).get("synonyms", [])
    if not isinstance(groups, list) or not all(
        isinstance(g, dict) and isinstance(g.get("words"), list) and g["words"] for g in groups
    ):
        raise CorpusError(f"{path}: each [[synonyms]] entry needs a non-empty 'words' list")
    return Analyzer([[str(w) for w in g["words"]] for g in groups])


def _strings(prefix: str, values: Sequence[str]) -> Arrays:
    blob, offsets = pack_strings(values)
    return {f"{prefix}_blob": blob, f"{prefix}_offsets": offsets}


def _column(arrays: Arrays, prefix: str) -> Strings:
    return Strings(arrays[f"{prefix}_blob"], arrays[f"{prefix}_offsets"])


def make_part(doc: Document, analyzer: Analyzer, rules: claims_mod.Rules) -> Arrays:
    """Parse, tag and count one article."""
    passages = chunk(doc.text, doc.id, doc.body_start, doc.body_line)
    claims = claims_mod.extract(doc, passages, rules)
    position = {p.id: i for i, p in enumerate(passages)}
    counts = np.bincount([position[c.passage] for c in claims], minlength=len(passages))
    c_ptr = np.zeros(len(passages) + 1, dtype=np.int64)
    np.cumsum(counts, out=c_ptr[1:])
    issue_no = {r.issue.id: n for n, r in enumerate(rules.issues)}
    indptr, indices, term_counts, hashes = count_matrix(
        analyzer, [passage_document(p) for p in passages]
    )
    spans = [[p.start, p.end, p.line_start, p.line_end] for p in passages]
    return {
        **_strings("p_id", [p.id for p in passages]),
        **_strings("p_section", [p.section for p in passages]),
        **_strings("p_text", [p.text for p in passages]),
        "p_span": np.array(spans, dtype=np.int64).reshape(-1, 4),
        **_strings("c", [json.dumps(claim_dict(c), ensure_ascii=False) for c in claims]),
        "c_ptr": c_ptr,
        "c_issue": np.array([issue_no.get(c.issue or "", -1) for c in claims], dtype=np.int32),
        "t_hash": hashes,
        "t_indptr": indptr,
        "t_indices": indices,
        "t_counts": term_counts,
    }


def rules_key(corpus: Path, defaults: Path, analyzer: Analyzer) -> str:
    """What every part depends on besides its article: rules, vocabulary and lrkb's own code."""
    h = hashlib.sha1(f"format {FORMAT_VERSION}\n".encode())
    h.update(json.dumps(analyzer.config(), sort_keys=True).encode())
    issues = corpus / "issues.toml"
    h.update((issues if issues.exists() else defaults / "issues.toml").read_bytes())
    here = Path(__file__).parent
    for name in _CODE:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _part_key(doc: Document, key: str) -> str:
    return hashlib.sha1(f"{key}\n{doc.path.name}\n{doc.text}".encode()).hexdigest()


def cached_part(doc: Document, key: str, directory: Path) -> Arrays | None:
    """The cached part of `doc` when it is intact and its key matches, else None."""
    try:
        pack = read_pack(directory / f"{doc.id}.pack")
    except IndexFormatError:
        return None
    return pack.arrays if pack.meta.get("key") == _part_key(doc, key) else None


# The job of forked workers: set just before the pool starts, read by `_make_and_write`.
_JOB: tuple[Sequence[Document], Analyzer, claims_mod.Rules, str, Path] | None = None
PARALLEL_MIN = 16  # below this many articles to parse, worker start-up costs more than it saves


def _make_and_write(n: int) -> None:
    assert _JOB is not None
    documents, analyzer, rules, key, directory = _JOB
    doc = documents[n]
    write_pack(
        directory / f"{doc.id}.pack", {"key": _part_key(doc, key)}, make_part(doc, analyzer, rules)
    )


def make_parts(
    documents: Sequence[Document],
    analyzer: Analyzer,
    rules: claims_mod.Rules,
    key: str,
    directory: Path,
    progress: Progress | None,
) -> list[Arrays]:
    """Every article's part: cached ones reused, the rest made (in parallel when many)."""
    global _JOB
    parts: list[Arrays | None] = [cached_part(d, key, directory) for d in documents]
    todo = [n for n, p in enumerate(parts) if p is None]
    workers = min(os.cpu_count() or 1, len(todo) // PARALLEL_MIN)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _JOB = (documents, analyzer, rules, key, directory)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for done, _ in enumerate(pool.imap_unordered(_make_and_write, todo, 8), 1):
                    if progress:
                        progress("articles", done, len(todo))
        finally:
            _JOB = None
        for n in todo:
            parts[n] = read_pack(directory / f"{documents[n].id}.pack").arrays
    else:
        for done, n in enumerate(todo, 1):
            doc = documents[n]
            made = make_part(doc, analyzer, rules)
            write_pack(directory / f"{doc.id}.pack", {"key": _part_key(doc, key)}, made)
            parts[n] = made
            if progress:
                progress("articles", done, len(todo))
    return [p for p in parts if p is not None]


def _claims(arrays: Arrays, which: Sequence[int] | None = None) -> list[Claim]:
    column = _column(arrays, "c")
    rows = range(len(column)) if which is None else which
    return [claim_from_dict(json.loads(column[int(j)])) for j in rows]


def _passages(arrays: Arrays, source: str) -> list[Passage]:
    ids, sections, texts = (_column(arrays, c) for c in ("p_id", "p_section", "p_text"))
    return [
        Passage(ids[i], source, sections[i], texts[i], *(int(v) for v in arrays["p_span"][i]))
        for i in range(len(ids))
    ]


def _concat_strings(parts: Sequence[Arrays], prefix: str) -> Arrays:
    blobs = [p[f"{prefix}_blob"] for p in parts]
    bases = np.cumsum([0] + [len(b) for b in blobs])
    offsets = [p[f"{prefix}_offsets"][:-1] + base for p, base in zip(parts, bases, strict=False)]
    return {
        f"{prefix}_blob": np.concatenate(blobs) if blobs else np.zeros(0, np.uint8),
        f"{prefix}_offsets": np.concatenate([*offsets, np.array([bases[-1]], dtype=np.int64)]),
    }


def _concat_csr(parts: Sequence[Arrays], ptr: str, values: Sequence[str]) -> Arrays:
    sizes = [int(p[ptr][-1]) for p in parts]
    bases = np.cumsum([0, *sizes])
    indptr = [p[ptr][:-1] + base for p, base in zip(parts, bases, strict=False)]
    out = {ptr: np.concatenate([*indptr, np.array([bases[-1]], dtype=np.int64)])}
    for name in values:
        out[name] = np.concatenate([p[name] for p in parts])
    return out


def build(
    corpus: Path,
    defaults: Path,
    fingerprint: str,
    out: Path,
    cache_dir: Path,
    progress: Progress | None = None,
) -> Pack:
    """Build `corpus` into the pack `out`, reusing parts cached under `cache_dir`; returns the pack."""
    documents = load_documents(corpus)
    if not documents:
        raise CorpusError(f"corpus {corpus} has no articles (*.md); add one with `lrkb add FILE`")
    analyzer = load_vocabulary(corpus, defaults)
    rules = claims_mod.load_rules(corpus, defaults)
    key = rules_key(corpus, defaults, analyzer)
    directory = cache_dir / "sources"
    parts = make_parts(documents, analyzer, rules, key, directory, progress)
    known = {f"{d.id}.pack" for d in documents}
    for stale in directory.glob("*.pack"):
        if stale.name not in known:
            stale.unlink(missing_ok=True)
    n_passages = [len(p["p_span"]) for p in parts]
    if not sum(n_passages):
        raise CorpusError(f"corpus {corpus} has articles but no text to index")

    # The vocabulary: every part's term hashes, merged; each part's columns mapped onto it.
    terms = np.unique(np.concatenate([p["t_hash"] for p in parts]))
    counts = _concat_csr(parts, "t_indptr", ["t_counts"])
    counts["t_indices"] = np.concatenate(
        [np.searchsorted(terms, p["t_hash"])[p["t_indices"]] for p in parts]
    ).astype(np.int32)
    index = TfidfIndex(analyzer).fit_counts(
        counts["t_indptr"], counts["t_indices"], counts["t_counts"], terms
    )

    # Claims: conflicts and curation need only the tagged claims and the articles curated.
    by_id = {d.id: (d, part) for d, part in zip(documents, parts, strict=True)}
    tagged: list[Claim] = []
    sections: dict[str, str] = {}
    for part in parts:
        rows = np.flatnonzero(part["c_issue"] >= 0)
        found = _claims(part, rows.tolist())
        tagged.extend(found)
        passage_of = np.searchsorted(part["c_ptr"], rows, side="right") - 1
        section = _column(part, "p_section")
        for claim, i in zip(found, passage_of.tolist(), strict=True):
            sections[claim.passage] = section[i]

    decoded: dict[str, list[Claim]] = {}

    def claims_of(source: str) -> list[Claim]:
        if source not in decoded:
            decoded[source] = _claims(by_id[source][1])
        return decoded[source]

    def passages_of(source: str) -> list[Passage]:
        return _passages(by_id[source][1], source)

    analysis = claims_mod.resolve(
        documents, tagged, claims_of, passages_of, sections.get, rules, corpus
    )
    if progress:
        progress("indexing", 1, 1)
    sources = [
        asdict(Source(d.id, d.title, d.url, str(d.path), d.added, n))
        for d, n in zip(documents, n_passages, strict=True)
    ]
    meta = {
        "format": FORMAT_VERSION,
        "fingerprint": fingerprint,
        "analyzer": analyzer.config(),
        "sources": sources,
        "issues": [asdict(i) for i in analysis.issues],
        "curated": [claim_dict(c) for c in analysis.curated],
        "issue_topics": {
            rule.issue.id: [[list(stems) for stems in group.phrases] for group in rule.topic]
            for rule in rules.issues
        },
    }
    arrays: Arrays = {
        **index.to_arrays(),
        **_concat_strings(parts, "p_id"),
        **_concat_strings(parts, "p_section"),
        **_concat_strings(parts, "p_text"),
        "p_span": np.concatenate([p["p_span"] for p in parts]),
        "p_source": np.repeat(np.arange(len(parts), dtype=np.int32), n_passages),
        **_concat_strings(parts, "c"),
        **_concat_csr(parts, "c_ptr", ["c_issue"]),
        **_strings("x", [_conflict_json(x) for x in analysis.conflicts]),
    }
    write_pack(out, meta, arrays)
    return read_pack(out, verify=False)  # just written and fsynced by this process


def _conflict_json(x: Conflict) -> str:
    fields = {**x.__dict__, "a": claim_dict(x.a), "b": claim_dict(x.b)}
    return json.dumps(fields, ensure_ascii=False)
