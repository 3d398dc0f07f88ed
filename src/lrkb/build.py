"""Build the on-disk index of a corpus: documents -> passages -> claims -> TF-IDF -> one pack file."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from . import claims as claims_mod
from .analysis import Analyzer, words
from .chunking import chunk
from .corpus import Document, load_documents, load_toml
from .errors import CorpusError
from .index import TfidfIndex
from .models import Claim, Conflict, Issue, Passage, Progress, Source
from .store import FORMAT_VERSION, pack_strings, write_pack


def passage_document(passage: Passage) -> str:
    """The text a passage is indexed under: its heading path, then its text.

    The article title was measured and left out: repeated on every passage of an article it
    lowered nDCG@5 (see README, Evaluation).
    """
    return f"{passage.section}\n{passage.text}"


def load_vocabulary(corpus: Path, defaults: Path) -> Analyzer:
    """The analyzer for `corpus`: its `vocabulary.toml`, else the bundled corpus's."""
    path = corpus / "vocabulary.toml"
    data = load_toml(path if path.exists() else defaults / "vocabulary.toml")
    groups = data.get("synonyms", [])
    if not isinstance(groups, list) or not all(
        isinstance(g, dict) and isinstance(g.get("words"), list) and g["words"] for g in groups
    ):
        raise CorpusError(f"{path}: each [[synonyms]] entry needs a non-empty 'words' list")
    return Analyzer([[str(w) for w in g["words"]] for g in groups])


def build(
    corpus: Path, defaults: Path, fingerprint: str, out: Path, progress: Progress | None = None
) -> None:
    """Parse every article of `corpus`, extract claims, fit the index and write it to `out`."""
    documents = load_documents(corpus)
    if not documents:
        raise CorpusError(f"corpus {corpus} has no articles (*.md); add one with `lrkb add FILE`")
    analyzer = load_vocabulary(corpus, defaults)
    passages: list[Passage] = []
    by_source: dict[str, list[Passage]] = {}
    for n, doc in enumerate(documents):
        found = chunk(doc.text, doc.id, doc.body_start, doc.body_line)
        by_source[doc.id] = found
        passages.extend(found)
        if progress:
            progress("parsing", n + 1, len(documents))
    if not passages:
        raise CorpusError(f"corpus {corpus} has articles but no text to index")
    rules = claims_mod.load_rules(corpus, defaults)
    analysis = claims_mod.analyse(documents, by_source, rules, corpus, progress)
    texts = [passage_document(p) for p in passages]
    index = TfidfIndex(analyzer).fit(texts)
    counts = Counter(w for text in texts for w in words(text))
    if progress:
        progress("indexing", 1, 1)
    write_pack(
        out,
        _meta(documents, by_source, analysis.issues, analyzer, fingerprint),
        {
            **index.to_arrays(),
            **_passage_arrays(passages, documents),
            **_claim_arrays(passages, analysis.issues, analysis.claims, analysis.conflicts),
            **_word_arrays(counts),
        },
    )


def _meta(
    documents: Sequence[Document],
    by_source: dict[str, list[Passage]],
    issues: Sequence[Issue],
    analyzer: Analyzer,
    fingerprint: str,
) -> dict[str, Any]:
    sources = [
        asdict(Source(d.id, d.title, d.url, str(d.path), d.added, len(by_source[d.id])))
        for d in documents
    ]
    return {
        "format": FORMAT_VERSION,
        "fingerprint": fingerprint,
        "analyzer": analyzer.config(),
        "sources": sources,
        "issues": [asdict(i) for i in issues],
    }


def _passage_arrays(
    passages: Sequence[Passage], documents: Sequence[Document]
) -> dict[str, np.ndarray[Any, Any]]:
    source_no = {d.id: i for i, d in enumerate(documents)}
    out: dict[str, np.ndarray[Any, Any]] = {}
    for name in ("id", "section", "text"):
        blob, offsets = pack_strings([getattr(p, name) for p in passages])
        out[f"p_{name}_blob"], out[f"p_{name}_offsets"] = blob, offsets
    out["p_source"] = np.array([source_no[p.source] for p in passages], dtype=np.int32)
    out["p_span"] = np.array(
        [[p.start, p.end, p.line_start, p.line_end] for p in passages], dtype=np.int64
    ).reshape(-1, 4)
    return out


def _word_arrays(counts: Counter[str]) -> dict[str, np.ndarray[Any, Any]]:
    """The corpus's words and their counts, for spelling correction of queries."""
    vocabulary = sorted(counts)
    blob, offsets = pack_strings(vocabulary)
    return {
        "w_blob": blob,
        "w_offsets": offsets,
        "w_counts": np.array([counts[w] for w in vocabulary], dtype=np.int64),
    }


def claim_json(claim: Claim) -> str:
    return json.dumps(asdict(claim), ensure_ascii=False)


def _claim_arrays(
    passages: Sequence[Passage],
    issues: Sequence[Issue],
    claims: Sequence[Claim],
    conflicts: Sequence[Conflict],
) -> dict[str, np.ndarray[Any, Any]]:
    position = {p.id: i for i, p in enumerate(passages)}
    ordered = sorted(claims, key=lambda c: (position[c.passage], c.start))
    counts = np.bincount([position[c.passage] for c in ordered], minlength=len(passages))
    ptr = np.zeros(len(passages) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    c_blob, c_offsets = pack_strings([claim_json(c) for c in ordered])
    issue_no = {i.id: n for n, i in enumerate(issues)}
    c_issue = np.array([issue_no.get(c.issue or "", -1) for c in ordered], dtype=np.int32)
    x_blob, x_offsets = pack_strings(
        [
            json.dumps({**asdict(x), "a": asdict(x.a), "b": asdict(x.b)}, ensure_ascii=False)
            for x in conflicts
        ]
    )
    return {
        "c_blob": c_blob,
        "c_offsets": c_offsets,
        "c_ptr": ptr,
        "c_issue": c_issue,
        "x_blob": x_blob,
        "x_offsets": x_offsets,
    }
