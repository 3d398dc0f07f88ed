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
import math
import os
import threading
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from . import claims as claims_mod
from .analysis import Analyzer
from .chunking import chunk
from .claims import pair as pair_mod
from .corpus import (
    CURATION_FILE,
    Document,
    data_path,
    load_document,
    load_documents,
    load_toml,
)
from .errors import CorpusError
from .index import LiveIndex, TfidfIndex, count_matrix, distinct
from .models import (
    Claim,
    Conflict,
    Issue,
    Passage,
    Progress,
    Source,
    claim_dict,
    claim_from_dict,
)
from .store import (
    FORMAT_VERSION,
    SEGMENT_FILE,
    LivePack,
    Pack,
    Strings,
    code_digest,
    pack_strings,
    read_meta,
    read_pack,
    write_pack,
)

Arrays = dict[str, np.ndarray[Any, Any]]
# p_span columns: start, end, line_start, line_end, page (0: none)
SPAN_COLUMNS = 5


def passage_document(passage: Passage) -> str:
    """The text a passage is indexed under: its heading path, then its text.

    The article title was measured and left out: repeated on every passage of an article it
    lowered nDCG@5 (see README, Evaluation).
    """
    return f"{passage.section}\n{passage.text}"


def load_vocabulary(corpus: Path, defaults: Path) -> Analyzer:
    """The analyzer for `corpus`: its `vocabulary.toml`, else the bundled corpus's."""
    path = data_path(corpus, defaults, "vocabulary.toml")
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


def make_part(
    doc: Document, analyzer: Analyzer, rules: claims_mod.Rules
) -> tuple[Arrays, list[Claim]]:
    """Parse, tag and count one article: its part, and the claims the part holds."""
    passages = chunk(doc.text, doc.id, doc.body_start, doc.body_line)
    claims = claims_mod.extract(doc, passages, rules)
    page_of = {p.id: p.page for p in passages if p.page is not None}
    if page_of:  # a claim lies in one passage: it is cited with that passage's page
        claims = [replace(c, page=page_of.get(c.passage)) for c in claims]
    position = {p.id: i for i, p in enumerate(passages)}
    counts = np.bincount([position[c.passage] for c in claims], minlength=len(passages))
    c_ptr = np.zeros(len(passages) + 1, dtype=np.int64)
    np.cumsum(counts, out=c_ptr[1:])
    issue_no = {r.issue.id: n for n, r in enumerate(rules.issues)}
    indptr, indices, term_counts, hashes = count_matrix(
        analyzer, [passage_document(p) for p in passages]
    )
    spans = [[p.start, p.end, p.line_start, p.line_end, p.page or 0] for p in passages]
    return {
        **_strings("p_id", [p.id for p in passages]),
        **_strings("p_section", [p.section for p in passages]),
        **_strings("p_text", [p.text for p in passages]),
        "p_span": np.array(spans, dtype=np.int64).reshape(-1, SPAN_COLUMNS),
        **_strings("c", [json.dumps(claim_dict(c), ensure_ascii=False) for c in claims]),
        "c_ptr": c_ptr,
        "c_issue": np.array([issue_no.get(c.issue or "", -1) for c in claims], dtype=np.int32),
        "t_hash": hashes,
        "t_indptr": indptr,
        "t_indices": indices,
        "t_counts": term_counts,
    }, claims


def rules_key(corpus: Path, defaults: Path, analyzer: Analyzer) -> str:
    """What every part depends on besides its article: rules, vocabulary and lrkb's own code."""
    h = hashlib.sha1(f"format {FORMAT_VERSION}\n".encode())
    h.update(json.dumps(analyzer.config(), sort_keys=True).encode())
    h.update(data_path(corpus, defaults, "issues.toml").read_bytes())
    h.update(code_digest().encode())
    return h.hexdigest()


def _part_key(doc: Document, key: str) -> str:
    return hashlib.sha1(f"{key}\n{doc.path.name}\n{doc.text}".encode()).hexdigest()


def part_path(doc: Document, directory: Path) -> Path:
    return directory / f"{doc.id}.pack"


def is_current(doc: Document, key: str, directory: Path) -> bool:
    """True when the cached part of `doc` exists and was made from this text and these rules."""
    meta = read_meta(part_path(doc, directory))
    return meta is not None and meta.get("key") == _part_key(doc, key)


def read_part(path: Path) -> Arrays:
    """A part read into memory: a build reads thousands, and each map would hold a descriptor."""
    return dict(read_pack(path, in_memory=True).arrays)


# The job of forked workers: set just before the pool starts, read by `_write_job_part`.
_JOB: tuple[Sequence[Document], Analyzer, claims_mod.Rules, str, Path] | None = None
PARALLEL_MIN = 16  # below this many articles to parse, worker start-up costs more than it saves


def write_part(
    doc: Document, analyzer: Analyzer, rules: claims_mod.Rules, key: str, directory: Path
) -> Sizes:
    """Make the part of `doc` and write it under its key; returns what a merge needs first."""
    arrays, claims = make_part(doc, analyzer, rules)
    write_pack(part_path(doc, directory), {"key": _part_key(doc, key)}, arrays)
    return sizes(arrays, claims)


def _write_job_part(n: int) -> tuple[int, Sizes]:
    assert _JOB is not None
    documents, analyzer, rules, key, directory = _JOB
    return n, write_part(documents[n], analyzer, rules, key, directory)


def _import_weighting() -> None:
    """Import what `TfidfIndex.fit_counts` weights with (scikit-learn: about a second)."""
    import scipy.sparse  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401


def make_parts(
    documents: Sequence[Document],
    analyzer: Analyzer,
    rules: claims_mod.Rules,
    key: str,
    directory: Path,
    progress: Progress | None,
) -> tuple[list[Path], list[Sizes | None]]:
    """The part file of every article: current ones reused, the rest made (in parallel when
    many) and written; with the sizes of each part made (None for those reused)."""
    global _JOB
    todo = [n for n, d in enumerate(documents) if not is_current(d, key, directory)]
    made: list[Sizes | None] = [None] * len(documents)
    workers = min(os.cpu_count() or 1, len(todo) // PARALLEL_MIN)
    if workers > 1:
        import multiprocessing  # only a build of many articles forks workers
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _JOB = (documents, analyzer, rules, key, directory)
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                # Once the workers are forked, this process would only wait: it imports the
                # weighting meanwhile (a thread started before the fork could hold an import
                # lock the workers inherit).
                weighting = threading.Thread(target=_import_weighting, daemon=True)
                weighting.start()
                results = pool.imap_unordered(_write_job_part, todo, 8)
                for done, (n, part) in enumerate(results, 1):
                    made[n] = part
                    if progress:
                        progress("articles", done, len(todo))
                weighting.join()
        finally:
            _JOB = None
    else:
        for done, n in enumerate(todo, 1):
            made[n] = write_part(documents[n], analyzer, rules, key, directory)
            if progress:
                progress("articles", done, len(todo))
    return [part_path(d, directory) for d in documents], made


def _claims(arrays: Arrays, which: Sequence[int] | None = None) -> list[Claim]:
    column = _column(arrays, "c")
    rows = range(len(column)) if which is None else which
    return [claim_from_dict(json.loads(column[int(j)])) for j in rows]


def _passages(arrays: Arrays, source: str) -> list[Passage]:
    ids, sections, texts = (_column(arrays, c) for c in ("p_id", "p_section", "p_text"))
    spans = arrays["p_span"].tolist()
    return [
        Passage(ids[i], source, sections[i], texts[i], a, b, c, d, page or None)
        for i, (a, b, c, d, page) in enumerate(spans)
    ]


_STRINGS = ("p_id", "p_section", "p_text", "c")


@dataclass
class Sizes:
    """What the first pass of a merge needs of one part: made by the worker that wrote the part,
    so a build reads each new part once."""

    passages: int
    claims: int
    nnz: int
    hashes: np.ndarray[Any, Any]
    blobs: dict[str, int]
    tagged: list[Claim]  # its claims that carry an issue
    sections: dict[str, str]  # the heading path of their passages


def sizes(part: Arrays, claims: Sequence[Claim] | None = None) -> Sizes:
    """The sizes of `part`; `claims`: its claims as made (else decoded from it again: equal)."""
    rows = np.flatnonzero(part["c_issue"] >= 0)
    found = _claims(part, rows.tolist()) if claims is None else [claims[j] for j in rows.tolist()]
    section = _column(part, "p_section")
    passage_of = np.searchsorted(part["c_ptr"], rows, side="right") - 1
    return Sizes(
        len(part["p_span"]),
        len(part["c_issue"]),
        len(part["t_indices"]),
        part["t_hash"].copy(),
        {col: len(part[f"{col}_blob"]) for col in _STRINGS},
        found,
        {c.passage: section[i] for c, i in zip(found, passage_of.tolist(), strict=True)},
    )


@dataclass
class Merged:
    """Every part's passages, claims and term counts in one set of arrays."""

    arrays: Arrays
    terms: np.ndarray[Any, Any]  # sorted term hashes: the vocabulary
    tagged: list[Claim]  # claims that carry an issue, for conflicts and curation
    sections: dict[str, str]  # the heading path of the tagged claims' passages
    n_passages: list[int]


def merge_parts(paths: Sequence[Path], known: Sequence[Sizes | None] = ()) -> Merged:
    """Combine parts in two passes, one part in memory at a time: sizes, vocabulary and tagged
    claims first (from `known` where given, else read), then each part copied into arrays
    allocated once."""
    n_passages, n_claims, nnz, hashes = [], [], [], []
    blob_size: dict[str, int] = dict.fromkeys(_STRINGS, 0)
    tagged: list[Claim] = []
    sections: dict[str, str] = {}
    for number, path in enumerate(paths):
        given = known[number] if number < len(known) else None
        size = given or sizes(read_part(path))
        n_passages.append(size.passages)
        n_claims.append(size.claims)
        nnz.append(size.nnz)
        hashes.append(size.hashes)
        for col in _STRINGS:
            blob_size[col] += size.blobs[col]
        tagged.extend(size.tagged)
        sections.update(size.sections)
    terms = distinct(np.concatenate(hashes)) if hashes else np.zeros(0, np.int64)
    n, c, z = sum(n_passages), sum(n_claims), sum(nnz)
    out: Arrays = {
        "p_span": np.empty((n, SPAN_COLUMNS), np.int64),
        "c_ptr": np.empty(n + 1, np.int64),
        "c_issue": np.empty(c, np.int32),
        "t_indptr": np.empty(n + 1, np.int64),
        "t_indices": np.empty(z, np.int32),
        "t_counts": np.empty(z, np.int32),
        "p_source": np.repeat(np.arange(len(paths), dtype=np.int32), n_passages),
    }
    for col in _STRINGS:
        out[f"{col}_blob"] = np.empty(blob_size[col], np.uint8)
        out[f"{col}_offsets"] = np.empty((c if col == "c" else n) + 1, np.int64)
    p = k = t = 0
    byte = dict.fromkeys(_STRINGS, 0)
    for number, path in enumerate(paths):
        part = read_part(path)
        dp, dk, dt = n_passages[number], n_claims[number], nnz[number]
        for col in _STRINGS:
            blob, at = part[f"{col}_blob"], k if col == "c" else p
            out[f"{col}_blob"][byte[col] : byte[col] + len(blob)] = blob
            out[f"{col}_offsets"][at : at + len(part[f"{col}_offsets"]) - 1] = (
                part[f"{col}_offsets"][:-1] + byte[col]
            )
            byte[col] += len(blob)
        out["p_span"][p : p + dp] = part["p_span"]
        out["c_ptr"][p : p + dp] = part["c_ptr"][:-1] + k
        out["c_issue"][k : k + dk] = part["c_issue"]
        out["t_indptr"][p : p + dp] = part["t_indptr"][:-1] + t
        out["t_indices"][t : t + dt] = np.searchsorted(terms, part["t_hash"])[part["t_indices"]]
        out["t_counts"][t : t + dt] = part["t_counts"]
        p, k, t = p + dp, k + dk, t + dt
    for col in _STRINGS:
        out[f"{col}_offsets"][-1] = byte[col]
    out["c_ptr"][-1], out["t_indptr"][-1] = k, t
    return Merged(out, terms, tagged, sections, n_passages)


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
    rules = claims_mod.load_rules(corpus, defaults, cache_dir)
    key = rules_key(corpus, defaults, analyzer)
    directory = cache_dir / "sources"
    paths, made = make_parts(documents, analyzer, rules, key, directory, progress)
    known = {p.name for p in paths}
    for stale in directory.glob("*.pack"):
        if stale.name not in known:
            stale.unlink(missing_ok=True)
    merged = merge_parts(paths, made)
    if not sum(merged.n_passages):
        raise CorpusError(f"corpus {corpus} has articles but no text to index")
    index = TfidfIndex(analyzer).fit_counts(
        merged.arrays.pop("t_indptr"),
        merged.arrays.pop("t_indices"),
        merged.arrays.pop("t_counts"),
        merged.terms,
    )

    pairing = Pairing(rules)
    analysis = _resolve(
        documents, merged.tagged, merged.sections, rules, corpus, directory, pairing
    )
    if progress:
        progress("indexing", 1, 1)
    sources = [
        asdict(Source(d.id, d.title, d.url, str(d.path), d.added, n, d.meta))
        for d, n in zip(documents, merged.n_passages, strict=True)
    ]
    meta = {
        "format": FORMAT_VERSION,
        "id": uuid.uuid4().hex,  # a segment names the base it extends
        "fingerprint": fingerprint,
        "analyzer": analyzer.config(),
        "sources": sources,
        "issues": [asdict(i) for i in analysis.issues],
        "issue_ids": [rule.issue.id for rule in rules.issues],  # what c_issue numbers
        "curated": [claim_dict(c) for c in analysis.curated],
        "standing": pairing.standing,
        "issue_topics": {
            rule.issue.id: [[list(stems) for stems in group.phrases] for group in rule.topic]
            for rule in rules.issues
        },
    }
    arrays: Arrays = {
        **index.to_arrays(),
        **merged.arrays,
        **pairing.arrays([rule.issue.id for rule in rules.issues]),
        **_strings("x", [_conflict_json(x) for x in analysis.conflicts]),
        "c_strength": _strengths(merged),
    }
    write_pack(out, meta, arrays)
    # Its segment is folded in now; a reader that still finds it sees it names the old base.
    (out.parent / SEGMENT_FILE).unlink(missing_ok=True)
    return read_pack(out, verify=False)  # just written and fsynced by this process


def _resolve(
    documents: Sequence[Document],
    tagged: list[Claim],
    sections: dict[str, str],
    rules: claims_mod.Rules,
    corpus: Path,
    directory: Path,
    pairing: Pairing,
) -> claims_mod.Analysis:
    """Issues, curated claims and conflicts over every article's tagged claims: the one place a
    build or a segment calls the claims package. Curation may need every claim and passage of
    the articles it names: their parts are read again."""
    decoded: dict[str, list[Claim]] = {}
    by_id = {d.id: d for d in documents}

    def claims_of(source: str) -> list[Claim]:
        if source not in decoded:
            decoded[source] = _claims(read_part(part_path(by_id[source], directory)))
        return decoded[source]

    def passages_of(source: str) -> list[Passage]:
        return _passages(read_part(part_path(by_id[source], directory)), source)

    return claims_mod.resolve(
        documents, tagged, claims_of, passages_of, sections.get, rules, corpus, pairing
    )


# A segment is folded into a new base (a full merge of the cached parts) once it holds more
# passages than this share of the base, or this many.
FOLD_SHARE = 10
FOLD_MIN = 2000


def add_segment(
    corpus: Path,
    defaults: Path,
    fingerprint: str,
    base: Pack,
    added: Sequence[str],
    cache_dir: Path,
) -> Pack | None:
    """Write the segment of `added` articles (with those the base's segment held) beside
    `base`, and return base and segment as one pack; the base file is not touched. None when
    the segment has grown past the fold limit: then the caller builds, folding it in."""
    # The caller checked that `base` was current before `added` were written: the base's
    # articles are as it has them, and only the segment's need reading.
    base_sources = [s["id"] for s in base.meta["sources"]][: _base_source_count(base)]
    if any(i in base_sources for i in added):
        return None  # a replaced article: a build handles it
    in_segment = [s["id"] for s in base.meta["sources"][len(base_sources) :]]
    ids = [*in_segment, *(i for i in added if i not in in_segment)]
    by_id = {i: load_document(corpus / f"{i}.md") for i in ids}
    if any(d.id != i for i, d in by_id.items()):
        return None  # a file whose front matter names another id: a build reports it
    # The base is current, so its vocabulary is the corpus's: no TOML read, no synonym stemmed.
    analyzer = Analyzer.from_config(base.meta["analyzer"])
    rules = claims_mod.load_rules(corpus, defaults, cache_dir)
    key = rules_key(corpus, defaults, analyzer)
    directory = cache_dir / "sources"
    paths, made = make_parts([by_id[i] for i in ids], analyzer, rules, key, directory, None)
    merged = merge_parts(paths, made)
    n_base = len(base_pack(base).arrays["p_source"])
    if sum(merged.n_passages) > max(FOLD_MIN, n_base // FOLD_SHARE):
        return None
    arrays = base_pack(base).arrays
    index = LiveIndex(
        TfidfIndex.from_arrays(analyzer, arrays, n_base),
        merged.terms,
        merged.arrays["t_indptr"],
        merged.arrays["t_indices"],
        merged.arrays["t_counts"],
    )
    new = [c for c in merged.tagged if c.source in added]
    curation = (corpus / CURATION_FILE).exists()
    # Conflicts are paired again only for the issues the new claims touch; the other issues'
    # lists are read from the base as they were (see `Pairing`).
    pairing = Pairing(rules, base, new)
    if new and curation:
        # Curation may move any article's claim to another issue, and checks its quotes
        # against every article: every tagged claim and every article are read.
        tagged, sections = base_tagged(base_pack(base))
        analysis = _resolve(
            load_documents(corpus),
            tagged + merged.tagged,
            {**sections, **merged.sections},
            rules,
            corpus,
            directory,
            pairing,
        )
        issues = [asdict(i) for i in analysis.issues]
        curated = [claim_dict(c) for c in analysis.curated]
        conflicts = [_conflict_json(x) for x in analysis.conflicts]
    elif new:
        # Without curation a claim's issue is the one it was tagged with, so only the claims
        # of the issues that pairing reads are decoded.
        present = {i["id"] for i in base.meta["issues"]} | {c.issue for c in new}
        found = [r.issue for r in rules.issues if r.issue.id in present]
        read = claims_mod.read_by(pairing.touched(found)[0], found)
        tagged, skipped = base_candidates(base_pack(base), read)
        tagged += [c for c in merged.tagged if c.issue in read]
        conflicts = [row.json for row in pairing.rows(tagged, found, skipped)]
        issues, curated = [asdict(i) for i in found], []
    else:  # no claim to pair: the conflicts and curation of the last state stand
        issues, curated = base.meta["issues"], base.meta["curated"]
        conflicts = list(base.strings("x"))
        pairing.keep()
    sources = [
        asdict(Source(d.id, d.title, d.url, str(d.path), d.added, n, d.meta))
        for d, n in zip((by_id[i] for i in ids), merged.n_passages, strict=True)
    ]
    merged.arrays["p_source"] = merged.arrays["p_source"] + np.int32(len(base_sources))
    merged.arrays["c_strength"] = _strengths(merged)
    meta = {  # read over the base's meta (`LivePack`)
        "fingerprint": fingerprint,
        "base": base_pack(base).meta["id"],
        "base_sources": len(base_sources),
        "sources": sources,  # the segment's own
        "issues": issues,
        "curated": curated,
        "standing": pairing.standing,
    }
    out = cache_dir / SEGMENT_FILE
    assert index.base.doc_factor_ is not None
    write_pack(
        out,
        meta,
        {
            **merged.arrays,
            "t_hash": merged.terms,
            "base_factor": index.base.doc_factor_,
            **pairing.arrays(base.meta["issue_ids"]),
            **_strings("x", conflicts),
        },
    )
    return LivePack(base_pack(base), read_pack(out, verify=False))


def base_pack(pack: Pack) -> Pack:
    """The base of a live pack, or the pack itself."""
    return pack.base if isinstance(pack, LivePack) else pack


def _base_source_count(pack: Pack) -> int:
    return int(pack.meta.get("base_sources", len(pack.meta["sources"])))


def base_tagged(pack: Pack) -> tuple[list[Claim], dict[str, str]]:
    """The claims of a base pack that carry an issue, and their passages' heading paths."""
    a = pack.arrays
    rows = np.flatnonzero(a["c_issue"] >= 0)
    column = pack.strings("c")
    found = [claim_from_dict(json.loads(column[int(j)])) for j in rows.tolist()]
    section = pack.strings("p_section")
    passage_of = np.searchsorted(a["c_ptr"], rows, side="right") - 1
    return found, {c.passage: section[int(i)] for c, i in zip(found, passage_of, strict=True)}


def base_candidates(pack: Pack, issues: Collection[str]) -> tuple[list[Claim], dict[str, int]]:
    """The claims of a base pack on `issues` that can be among their issue's candidates (those
    that pair at all and are at least as strong as the CANDIDATES-th: `claims.strength`), and
    for each issue how many that pair were left undecoded (decoding is most of an add's
    pairing: 25 ms for 1,200 claims)."""
    a = pack.arrays
    ids = pack.meta["issue_ids"]
    numbers = [n for n, i in enumerate(ids) if i in issues]
    if not numbers:
        return [], {}
    rows = np.flatnonzero(np.isin(a["c_issue"], numbers))
    rows = rows[~np.isnan(a["c_strength"][rows])]  # the claims that pair at all
    keep, skipped = [], {}
    for n in distinct(a["c_issue"][rows]).tolist():  # np.unique imports numpy.ma: 7 ms
        members = rows[a["c_issue"][rows] == n]
        strength = a["c_strength"][members]
        bar = -math.inf
        if len(members) > pair_mod.CANDIDATES:
            k = len(members) - pair_mod.CANDIDATES
            bar = float(np.partition(strength, k)[k])  # the CANDIDATES-th strongest
        keep.append(members[strength >= bar])
        if len(members) > len(keep[-1]):
            skipped[ids[n]] = len(members) - len(keep[-1])
    if not keep:
        return [], skipped
    column = pack.strings("c")
    chosen = np.sort(np.concatenate(keep))
    return [claim_from_dict(json.loads(column[int(j)])) for j in chosen.tolist()], skipped


def _strengths(merged: Merged) -> np.ndarray[Any, Any]:
    """Per claim: `claims.strength` of the tagged ones, NaN for the others."""
    issue = merged.arrays["c_issue"]
    out = np.full(len(issue), np.nan)
    out[np.flatnonzero(issue >= 0)] = [claims_mod.strength(c) for c in merged.tagged]
    return out


def _conflict_json(x: Conflict) -> str:
    fields = {**x.__dict__, "a": claim_dict(x.a), "b": claim_dict(x.b)}
    return json.dumps(fields, ensure_ascii=False)


class _Row(NamedTuple):
    """One conflict of an issue's list (`claims.pair.by_issue`), as stored in a pack."""

    score: float
    id: str
    a: str  # the passages of its sides
    b: str
    issue: str
    json: str
    conflict: Conflict | None  # None when read from a pack and not yet decoded


class Pairing:
    """Conflict detection (`claims.detect`) that keeps each issue's list, to be stored in the
    pack (`y_*` arrays) and reused by the next add.

    Parameters:
        earlier: the pack before an add; None pairs every issue.
        new: the claims the add brings; with `earlier`, only the issues they touch
            (`claims.pair.touched`) are paired, the others' lists read from `earlier`; of
            those, where no candidate that could pair is pushed out, only the pairs with a new
            claim, merged into the issue's list from `earlier`.
    """

    def __init__(
        self, rules: claims_mod.Rules, earlier: Pack | None = None, new: Sequence[Claim] = ()
    ) -> None:
        self.rules, self.earlier, self.new = rules, earlier, new
        self.lists: list[_Row] = []
        # How many claims each issue ranks, and its last candidate's rank (`claims.standing`).
        self.standing: dict[str, Any] = {} if earlier is None else earlier.meta["standing"]

    def rows(
        self,
        claims: Sequence[Claim],
        issues: Sequence[Issue],
        skipped: Mapping[str, int] | None = None,
    ) -> list[_Row]:
        """The conflicts `claims.detect` finds, as rows; every issue's list is kept. `skipped`:
        for each issue, how many of its claims that pair `claims` leaves out (ranked after its
        candidates: `base_candidates`)."""
        if self.earlier is None:
            only = None
            self.lists = []
            self.standing = dict(claims_mod.standing(claims, issues, self.rules))
        else:
            only, whole = self.touched(issues)
            self.lists = _stored(self.earlier, whole)
            self.standing = claims_mod.joined(
                self.standing, self.new, claims, issues, self.rules, only, skipped
            )
        partial = set() if only is None else only - whole
        new = {c.source for c in self.new}
        found = claims_mod.by_issue(claims, issues, self.rules, only, partial, new)
        made = {
            issue: [
                _Row(score, x.id, x.a.passage, x.b.passage, x.issue, _conflict_json(x), x)
                for score, x in ranked
            ]
            for issue, ranked in found.items()
        }
        earlier = [r for r in self.lists if r.issue in partial]
        self.lists = [r for r in self.lists if r.issue not in partial]
        for issue, rows in made.items():
            if issue in partial:
                before = [(r.score, r.id, r) for r in earlier if r.issue == issue]
                rows = claims_mod.merge(before, [(r.score, r.id, r) for r in rows])
            self.lists += rows
        return claims_mod.once_per_pair((r.score, r.id, r.a, r.b, r) for r in self.lists)

    def touched(self, issues: Sequence[Issue]) -> tuple[set[str], set[str]]:
        """The issues the new claims touch, and those to pair whole (`claims.touched`)."""
        return claims_mod.touched(self.new, issues, self.rules, self.standing)

    def keep(self) -> None:
        """Nothing to pair: every list stands as `earlier` has it."""
        assert self.earlier is not None
        self.lists = _stored(self.earlier, ())

    def __call__(self, claims: Sequence[Claim], issues: Sequence[Issue]) -> list[Conflict]:
        """`claims.detect(claims, issues, rules)`, for `claims.resolve`."""
        return [r.conflict or _conflict_from_json(r.json) for r in self.rows(claims, issues)]

    def arrays(self, issue_ids: Sequence[str]) -> Arrays:
        """The kept lists as pack arrays: conflict JSON, score and issue number."""
        number = {i: n for n, i in enumerate(issue_ids)}
        return {
            **_strings("y", [r.json for r in self.lists]),
            # What the next add reads of each row without decoding its JSON (see `_stored`).
            **_strings("y_id", [r.id for r in self.lists]),
            **_strings("y_a", [r.a for r in self.lists]),
            **_strings("y_b", [r.b for r in self.lists]),
            "y_score": np.array([r.score for r in self.lists], dtype=np.float64),
            "y_issue": np.array([number[r.issue] for r in self.lists], dtype=np.int32),
        }


def _stored(pack: Pack, skip: Collection[str]) -> list[_Row]:
    """The issue lists stored in `pack`, but those of the `skip` issues."""
    numbers = [n for n, i in enumerate(pack.meta["issue_ids"]) if i in skip]
    keep = np.flatnonzero(~np.isin(pack.arrays["y_issue"], numbers))
    column, scores, issues = pack.strings("y"), pack.arrays["y_score"], pack.arrays["y_issue"]
    ids, a, b = (pack.strings(p) for p in ("y_id", "y_a", "y_b"))
    issue_ids = pack.meta["issue_ids"]
    # The row's JSON stays undecoded (23 µs a row, 19 ms for the 100k corpus's 813).
    return [
        _Row(float(scores[j]), ids[j], a[j], b[j], issue_ids[issues[j]], column[j], None)
        for j in keep.tolist()
    ]


def _conflict_from_json(text: str) -> Conflict:
    d = json.loads(text)
    return Conflict(**{**d, "a": claim_from_dict(d["a"]), "b": claim_from_dict(d["b"])})
