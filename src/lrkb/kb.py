"""KnowledgeBase: opens a corpus, keeps its index cache fresh, and answers questions."""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .analysis import Analyzer, Speller, strip_control
from .cache import IndexCache
from .corpus import (
    CURATION_FILE,
    article_paths,
    bundled_corpus,
    check_corpus_dir,
    read_text,
)
from .errors import (
    CorpusError,
    CurationError,
    InputError,
    LrkbError,
    NotFoundError,
)
from .index import LiveIndex, Retriever, TfidfIndex
from .models import (
    Answer,
    Claim,
    Conflict,
    Hit,
    Issue,
    Passage,
    Progress,
    Source,
    claim_from_dict,
)
from .store import (
    Chain,
    LivePack,
    Pack,
    Strings,
)

if TYPE_CHECKING:
    from .answer import Nearby, Standing
    from .bottomline import Sentences
    from .importer import Dropped


MAX_QUESTION_CHARS = 2000
MAX_K = 1000


def clean_query(text: str) -> str:
    """`text` with control characters removed; empty or oversized questions are an InputError."""
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(
            f"question is too long: {len(text)} characters (the limit is {MAX_QUESTION_CHARS})"
        )
    cleaned = " ".join(strip_control(text).split())
    if not cleaned:
        raise InputError("the question is empty")
    return cleaned


def _check_k(k: int) -> int:
    if not 1 <= k <= MAX_K:
        raise InputError(f"k must be between 1 and {MAX_K}, got {k}")
    return k


@dataclass(frozen=True)
class Added:
    """What `KnowledgeBase.add` did: the new source, its file, the lines the importer dropped,
    and whether it replaced an article of the same id."""

    source: Source
    path: Path
    dropped: tuple[Dropped, ...]
    replaced: bool = False


@dataclass(frozen=True)
class AddedAll:
    """What `KnowledgeBase.add_all` did: each article added, and the files of other types it
    skipped in the directories it was given."""

    added: tuple[Added, ...]
    skipped: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Optimized:
    """What `KnowledgeBase.optimize` did: how many added articles it folded into the base, and
    the size of the index."""

    folded: int
    sources: int
    passages: int


class KnowledgeBase:
    """A corpus of articles, its passages, claims and conflicts, and a TF-IDF index over them.

    Parameters:
        corpus: the corpus directory; by default `$LRKB_CORPUS`, else the bundled corpus.
        cache_dir: where the index cache lives; by default `<corpus>/.lrkb`, or a folder under the
            user's cache directory when the corpus is read-only.
        progress: called as `progress(stage, done, total)` during long builds.
        notify: told, as one line, when a damaged or outdated cache is rebuilt.

    Example:
        >>> kb = KnowledgeBase()
        >>> kb.ask("does running kill gains").hits[0].source  # doctest: +SKIP
        'concurrent-training-interference'
    """

    def __init__(
        self,
        corpus: str | Path | None = None,
        cache_dir: str | Path | None = None,
        progress: Progress | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        chosen = corpus or os.environ.get("LRKB_CORPUS") or bundled_corpus()
        self.corpus = Path(chosen).expanduser().resolve()
        check_corpus_dir(self.corpus)
        self.progress = progress
        self.notify = notify or _warn
        self._cache = IndexCache(
            self.corpus, Path(cache_dir) if cache_dir else None, progress, self.notify
        )

    @property
    def cache_dir(self) -> Path:
        """Where the index cache lives: `<corpus>/.lrkb`, or the user's cache for a read-only
        corpus."""
        return self._cache.dir

    def fingerprint(self) -> str:
        """Changes whenever an article or data file of the corpus, or lrkb's build code, changes."""
        return self._cache.fingerprint()

    @cached_property
    def _pack(self) -> Pack:
        return self._cache.load()

    # --- the cache -----------------------------------------------------------------------------

    def _reset(self, pack: Pack | None = None) -> None:
        """Forget everything read from the old pack (every cached property but the cache dir)."""
        for name, attribute in vars(type(self)).items():
            if isinstance(attribute, cached_property):
                self.__dict__.pop(name, None)
        if pack is not None:
            self.__dict__["_pack"] = pack

    # --- reading the pack ----------------------------------------------------------------------

    @cached_property
    def _index(self) -> Retriever:
        pack = self._pack
        analyzer = Analyzer.from_config(pack.meta["analyzer"])
        if not isinstance(pack, LivePack):
            return TfidfIndex.from_arrays(analyzer, pack.arrays, len(pack.arrays["p_source"]))
        base = TfidfIndex.from_arrays(analyzer, pack.base.arrays, len(pack.base.arrays["p_source"]))
        a = pack.segment.arrays
        return LiveIndex(
            base, a["t_hash"], a["t_indptr"], a["t_indices"], a["t_counts"], a["base_factor"]
        )

    @cached_property
    def _speller(self) -> Speller:
        index = self._index

        def frequencies(words: list[str]) -> list[int | None]:
            found = index.analyzer.word_terms(words)
            terms = list({t: None for ts in found for t in ts})
            if len(terms) < 3:  # a query word: its column is remembered for the query vector
                df = {t: index.document_frequency(t) for t in terms}
            else:
                df = dict(zip(terms, index.document_frequencies(terms), strict=True))
            return [
                (df[ts[0]] if len(ts) == 1 else min(df[t] for t in ts)) if ts else None
                for ts in found
            ]

        return Speller(frequencies)

    def _query(self, text: str) -> str:
        """A cleaned query with words the corpus does not know corrected where one edit fixes them."""
        return self._speller.correct(clean_query(text))

    @cached_property
    def _columns(self) -> dict[str, Strings | Chain]:
        """The passages' ids, sections and texts, and the claims' JSON ("c"), read once."""
        return {
            name: self._pack.strings(column)
            for name, column in (
                ("id", "p_id"),
                ("section", "p_section"),
                ("text", "p_text"),
                ("c", "c"),
            )
        }

    @cached_property
    def sources(self) -> tuple[Source, ...]:
        """The articles of the corpus, in file-name order."""
        return tuple(Source(**s) for s in self._pack.meta["sources"])

    @cached_property
    def issues(self) -> tuple[Issue, ...]:
        """The contested questions claims are tagged with."""
        return tuple(Issue(**i) for i in self._pack.meta["issues"])

    def _passage(self, i: int) -> Passage:
        cols = self._columns
        start, end, line_start, line_end, page = self._pack.arrays["p_span"][i].tolist()
        return Passage(
            cols["id"][i],
            self.sources[int(self._pack.arrays["p_source"][i])].id,
            cols["section"][i],
            cols["text"][i],
            start,
            end,
            line_start,
            line_end,
            page or None,
        )

    @property
    def passages(self) -> tuple[Passage, ...]:
        """Every passage of the corpus, in source order."""
        return tuple(self._passage(i) for i in range(len(self._pack.arrays["p_source"])))

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {pid: i for i, pid in enumerate(self._columns["id"])}

    def _position(self, passage_id: str) -> int:
        i = self._positions.get(passage_id)
        if i is None:
            raise NotFoundError(f"no passage with id {passage_id!r} (see `lrkb passages`)")
        return i

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id; `NotFoundError` if there is none."""
        return self._passage(self._position(passage_id))

    def neighbours(self, passage_id: str, n: int = 1) -> list[Passage]:
        """The passage and up to `n` passages either side of it in the same source."""
        i = self._position(passage_id)
        source = self._pack.arrays["p_source"]
        return [
            self._passage(j)
            for j in range(max(0, i - n), min(len(source), i + n + 1))
            if source[j] == source[i]
        ]

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise NotFoundError(f"no source with id {source_id!r} (see `lrkb sources`)")

    @cached_property
    def _curated(self) -> dict[str, Claim]:
        """Claims the curator corrected or added, by id; they replace the detected ones."""
        return {c.id: c for c in map(claim_from_dict, self._pack.meta.get("curated", []))}

    def _decode_claims(self, rows: Iterable[int]) -> list[Claim]:
        strings = self._columns["c"]
        curated = self._curated
        out = [claim_from_dict(json.loads(strings[int(j)])) for j in rows]
        return [curated.get(c.id, c) for c in out]

    def _added(self, seen: list[Claim]) -> list[Claim]:
        ids = {c.id for c in seen}
        return [c for c in self._curated.values() if c.id not in ids]

    def _claims_of(self, i: int) -> list[Claim]:
        ptr = self._pack.arrays["c_ptr"]
        found = self._decode_claims(range(int(ptr[i]), int(ptr[i + 1])))
        pid = self._columns["id"][i]
        return found + [c for c in self._added(found) if c.passage == pid]

    @cached_property
    def _issue_claims(self) -> dict[str, list[Claim]]:
        """Claims by issue, decoded once per issue asked about (the verdict needs them all)."""
        return {}

    def _claims_on(self, issue: str) -> list[Claim]:
        """The claims tagged with `issue`: only those are decoded, curated ones applied."""
        if issue not in self._issue_claims:
            number = self._pack.meta.get("issue_ids", [i.id for i in self.issues]).index(issue)
            rows = np.flatnonzero(self._pack.arrays["c_issue"] == number).tolist()
            found = self._decode_claims(rows)
            found += self._added(found)
            self._issue_claims[issue] = [c for c in found if c.issue == issue]
        return self._issue_claims[issue]

    @cached_property
    def _nearby(self) -> Nearby:
        """The corpus's conflicts by issue and passage (`answer.Nearby`)."""
        from .answer import Nearby

        return Nearby(self._conflicts)

    @cached_property
    def _standings(self) -> dict[str, Standing | None]:
        """How the sources stand on each issue asked about (`answer.standing`), made once."""
        return {}

    def _standing_on(
        self, tagged: frozenset[str] | None, sources: Sequence[Source]
    ) -> Callable[[Issue], Standing | None]:
        """`answer.standing` of an issue over the corpus, or over the sources `tagged` only
        (`sources`, in file order)."""
        from .answer import standing

        if tagged is not None:
            return lambda issue: standing(
                issue, [c for c in self._claims_on(issue.id) if c.source in tagged], sources
            )

        def whole(issue: Issue) -> Standing | None:
            if issue.id not in self._standings:
                self._standings[issue.id] = standing(issue, self._claims_on(issue.id), self.sources)
            return self._standings[issue.id]

        return whole

    @cached_property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim of the corpus, in source order, curated ones in place."""
        found = self._decode_claims(range(len(self._pack.arrays["c_offsets"]) - 1))
        return tuple(found + self._added(found))

    @cached_property
    def _conflicts(self) -> tuple[Conflict, ...]:
        out = []
        for s in self._pack.strings("x"):
            d = json.loads(s)
            out.append(
                Conflict(**{**d, "a": claim_from_dict(d["a"]), "b": claim_from_dict(d["b"])})
            )
        return tuple(out)

    def _check_issue(self, issue: str | None) -> None:
        if issue is not None and issue not in {i.id for i in self.issues}:
            raise NotFoundError(f"no issue with id {issue!r} (see `lrkb claims --json`)")

    def conflicts(
        self, issue: str | None = None, detected_only: bool = False, tag: str | None = None
    ) -> list[Conflict]:
        """The conflicts of the corpus, optionally for one issue, only the detected ones, or only
        between sources tagged `tag`."""
        self._check_issue(issue)
        tagged = self.tagged(tag)
        return [
            c
            for c in self._conflicts
            if (issue is None or c.issue == issue)
            and (not detected_only or c.origin == "detected")
            and (tagged is None or (c.a.source in tagged and c.b.source in tagged))
        ]

    def claims_for(
        self, source: str | None = None, issue: str | None = None, tag: str | None = None
    ) -> list[Claim]:
        """Claims filtered by source id, issue id and/or the tag of their source."""
        if source is not None:
            self.source(source)
        self._check_issue(issue)
        tagged = self.tagged(tag)
        return [
            c
            for c in self.claims
            if (source is None or c.source == source)
            and (issue is None or c.issue == issue)
            and (tagged is None or c.source in tagged)
        ]

    def tagged(self, tag: str | None) -> frozenset[str] | None:
        """The ids of the sources whose front matter `tags` hold `tag` (case-insensitive; an
        Obsidian nested tag `running/recovery` is also under `running`); None for no tag.
        `NotFoundError` when no source has it."""
        if tag is None:
            return None
        from .corpus import tags_of

        want = tag.strip().lstrip("#").lower()
        found = frozenset(
            s.id
            for s in self.sources
            if any(t == want or t.startswith(want + "/") for t in tags_of(s.meta))
        )
        if not found:
            raise NotFoundError(f"no source is tagged {tag!r} (see `lrkb sources`)")
        return found

    def _ranked(self, query: str, k: int, tag: str | None) -> list[tuple[int, float]]:
        """The index's `k` best passages, only among the sources tagged `tag` when one is given."""
        tagged = self.tagged(tag)
        if tagged is None:
            return self._index.search(query, k)
        numbers = [n for n, s in enumerate(self.sources) if s.id in tagged]
        allowed = np.isin(self._pack.arrays["p_source"], numbers)
        every = self._index.search(query, len(allowed))
        return [(i, score) for i, score in every if allowed[i]][:k]

    # --- asking --------------------------------------------------------------------------------

    def search(self, query: str, k: int = 5, tag: str | None = None) -> list[Hit]:
        """The `k` passages most similar to `query`, best first (score > 0 only), from the
        sources tagged `tag` when one is given."""
        query, k = self._query(query), _check_k(k)
        return self._hits(self._ranked(query, k, tag))

    def _hits(self, ranked: list[tuple[int, float]]) -> list[Hit]:
        # Read from the columns, not through `_passage`, and every hit's span and source in one
        # NumPy call each. A Hit's frozen `__init__` sets its 11 fields by as many
        # `object.__setattr__` calls (1.2 us a hit); filling its `__dict__` at once makes the
        # same object in 0.5 us: 10 hits in 23 us, not 32.
        cols, sources, arrays = self._columns, self.sources, self._pack.arrays
        rows = [i for i, _ in ranked]
        spans = arrays["p_span"].take(rows, axis=0).tolist()
        numbers = arrays["p_source"].take(rows).tolist()
        ids, sections, texts = cols["id"], cols["section"], cols["text"]
        new = object.__new__
        out = []
        for (i, score), (start, end, line_start, line_end, page), n in zip(
            ranked, spans, numbers, strict=True
        ):
            source = sources[n]
            hit = new(Hit)
            hit.__dict__.update(
                {
                    "id": ids[i],
                    "source": source.id,
                    "title": source.title,
                    "section": sections[i],
                    "text": texts[i],
                    "score": round(score, 4),
                    "start": start,
                    "end": end,
                    "line_start": line_start,
                    "line_end": line_end,
                    "page": page or None,
                }
            )
            out.append(hit)
        return out

    def ask(self, question: str, k: int = 5, tag: str | None = None) -> Answer:
        """Answer `question`: relevant passages, the sources' verdict, and the conflicts; only
        from the sources tagged `tag` when one is given.

        An answer with no hits means nothing in the corpus is relevant (see `Answer.abstained`).
        """
        # Imported here: `add`, `search` and the other commands never compose an answer.
        from . import answer as answer_mod
        from . import bottomline, rerank

        question, k = clean_query(question), _check_k(k)
        tagged = self.tagged(tag)
        corrected = self._query(question)
        searched = rerank.widened(corrected, question)
        ranked = self._ranked(searched, max(3 * k, rerank.POOL), tag)
        # The speller's guesses ("cured" -> "care") are no evidence the question is on topic.
        coverage = self._index.coverage(question)
        weights, analyze = self._weights(searched), self._index.analyzer
        topics = self._pack.meta.get("issue_topics", {})
        lexicon = answer_mod.lexicon(self.issues, topics)
        asked = answer_mod.choose_issue(question, (), (), self.issues, topics)
        framed = answer_mod.framed(*lexicon.frame(corrected))
        ranked = rerank.rerank(
            answer_mod.relevant(ranked, coverage, framed),
            self._framed_sentences,
            weights.keys() | lexicon.concepts(corrected),
            answer_mod.topical(asked, self.issues),
            self._claims_of,
        )
        sources = self._pack.arrays["p_source"]
        kept = answer_mod.diversify(ranked, lambda i: int(sources[i]), k)
        hits = tuple(self._hits(kept))
        if not hits:
            return Answer(question, ())
        hit_claims = [c for i, _ in kept for c in self._claims_of(i)]
        shown = self.sources if tagged is None else [s for s in self.sources if s.id in tagged]
        answer = answer_mod.compose(
            question,
            hits,
            hit_claims,
            self.issues,
            self._nearby if tagged is None else answer_mod.Nearby(self.conflicts(tag=tag)),
            self._standing_on(tagged, shown),
            shown,
            topics,
        )
        candidates = bottomline.sentences(hits, self._file_text, hit_claims)
        if answer.verdict:
            candidates += bottomline.from_leans(answer.verdict.leans, hits)
        return dataclasses.replace(
            answer,
            bottom_line=bottomline.bottom_line(
                candidates, weights, analyze, answer.verdict.issue.id if answer.verdict else None
            ),
            snippets=tuple(
                bottomline.snippet(h, self._sentences(i), weights, analyze)
                for h, (i, _) in zip(hits, kept, strict=True)
            ),
        )

    @cached_property
    def _sentence_cache(self) -> dict[int, Sentences]:
        return {}

    def _sentences(self, i: int) -> Sentences:
        """Passage i's sentences with their terms, cached (bounded) across questions."""
        from .bottomline import split

        cache = self._sentence_cache
        if i not in cache:
            if len(cache) >= 4096:
                cache.clear()
            cache[i] = split(self._columns["text"][i], self._index.analyzer)
        return cache[i]

    def _framed_sentences(self, i: int) -> Sentences:
        """Passage i's sentences, each with the agents and outcomes it names among its terms
        (`answer.Lexicon.concepts`), for the rerank; cached with them."""
        cache = self._framed_cache
        if i not in cache:
            if len(cache) >= 4096:
                cache.clear()
            text = self._columns["text"][i]
            from .answer import lexicon as make_lexicon

            lexicon = make_lexicon(self.issues, self._pack.meta.get("issue_topics", {}))
            cache[i] = tuple(
                (a, b, terms | lexicon.concepts(text[a:b])) for a, b, terms in self._sentences(i)
            )
        return cache[i]

    @cached_property
    def _framed_cache(self) -> dict[int, Sentences]:
        return {}

    def _weights(self, query: str) -> dict[str, float]:
        """The query's known terms and their idf (as the index computes it): what a sentence
        must contain to answer it, rarer words counting more."""
        n = len(self._pack.arrays["p_source"])
        out = {}
        for term in self._index.analyzer(query):
            df = self._index.document_frequency(term)
            if df:
                out[term] = math.log((1 + n) / (1 + df)) + 1
        return out

    @cached_property
    def _source_paths(self) -> dict[str, str]:
        return {s.id: s.path for s in self.sources}

    def _file_text(self, source_id: str) -> str | None:
        """An article file's text, to locate quotes; None when it cannot be read as text."""
        path = self._source_paths.get(source_id)
        try:
            return read_text(Path(path)) if path else None
        except LrkbError:
            return None

    # --- adding and removing ------------------------------------------------------------------

    def add(
        self,
        path: str | Path,
        title: str | None = None,
        url: str | None = None,
        source_id: str | None = None,
        replace: bool = False,
    ) -> Added:
        """Add one article file (Markdown, plain text, HTML or PDF) and rebuild the index.

        Plain text, HTML and PDF go through the importer (headings, lists, boilerplate dropped
        and reported). The file is written atomically; an id that exists already is refused,
        never overwritten, unless `replace` is set.
        """
        if Path(path).is_dir():
            raise InputError(f"{path}: is a directory, not an article file (see add_all)")
        return self.add_all([path], title, url, source_id, replace).added[0]

    def add_all(
        self,
        paths: Sequence[str | Path],
        title: str | None = None,
        url: str | None = None,
        source_id: str | None = None,
        replace: bool = False,
    ) -> AddedAll:
        """Add files and the article files under directories in one build, all or nothing: if
        one file cannot be read or imported, or the build fails, nothing is added (the error
        names the file). With `replace`, an article whose id exists is replaced."""
        from .ingest import prepare_all

        prepared, skipped = prepare_all(paths, title, url, source_id, self.progress)
        ids = [p.source_id for p in prepared]
        existing = self._files(ids)
        clash = next((p for p in prepared if p.source_id in existing), None)
        if clash and not replace:  # `_apply` checks again under the lock; this names the file
            raise InputError(
                f"{clash.path}: a source with id {clash.source_id!r} exists already "
                f"({existing[clash.source_id].name}); choose another with --id, or replace it "
                "with --replace"
            )
        self._apply([(p.source_id, p.text) for p in prepared], [i for i in ids if i in existing])
        added = tuple(
            Added(
                self.source(p.source_id),
                self.corpus / f"{p.source_id}.md",
                p.dropped,
                p.source_id in existing,
            )
            for p in prepared
        )
        return AddedAll(added, tuple(skipped))

    def remove(self, source_ids: Sequence[str]) -> list[Source]:
        """Remove articles by id and rebuild the index; returns what was removed.

        Refused (`CurationError`) while `curation.toml` has entries that name one of them: the
        curator's work is never dropped silently.
        """
        from .corpus import curated_mentions

        gone = [self.source(i) for i in dict.fromkeys(source_ids)]
        mentions = curated_mentions(self.corpus / CURATION_FILE, [s.id for s in gone])
        if mentions:
            raise CurationError(
                f"{CURATION_FILE} names the article{'s' if len(gone) > 1 else ''} to remove in "
                f"{len(mentions)} entr{'ies' if len(mentions) > 1 else 'y'} ({'; '.join(mentions)}): "
                "edit or delete them first"
            )
        self._apply([], [s.id for s in gone])
        return gone

    def _files(self, source_ids: Iterable[str], scan: bool = False) -> dict[str, Path]:
        """The article files of those of `source_ids` that exist: `<id>.md`, else the file the
        loaded index names, else (with `scan`) a file whose front matter has the id. Without
        `scan`, a clash with an id in another file's front matter is left to the build."""
        from .corpus import load_document

        known = {s.id: Path(s.path) for s in self.sources} if "_pack" in self.__dict__ else {}
        found: dict[str, Path] = {}
        missing = []
        for source_id in source_ids:
            path = self.corpus / f"{source_id}.md"
            if not path.exists():
                path = known.get(source_id, path)
            if path.exists():
                found[source_id] = path
            else:
                missing.append(source_id)
        if missing and scan:
            for path in article_paths(self.corpus):
                try:
                    doc_id = load_document(path).id
                except CorpusError:
                    continue  # the build reports a broken file
                if doc_id in missing:
                    found[doc_id] = path
        return found

    def _apply(self, add: Sequence[tuple[str, str]], remove: Sequence[str] = ()) -> Pack:
        """Write each (source id, file text) as `<id>.md`, delete each removed id's file and
        bring the index up to date, all or nothing (see `IndexCache.apply`)."""
        pack = self._cache.apply(add, remove, self._files)
        self._reset(pack)
        return pack

    def optimize(self) -> Optimized:
        """Fold the segment of added articles into a new base index (a build that reuses every
        cached part): the same answers, read faster."""
        pack, folded = self._cache.optimize()
        self._reset(pack)
        return Optimized(folded, len(self.sources), len(pack.arrays["p_source"]))


def _warn(message: str) -> None:
    import warnings

    warnings.warn(f"lrkb: {message}", RuntimeWarning, stacklevel=3)


def open(
    corpus: str | Path | None = None,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
) -> KnowledgeBase:
    """Open a corpus (default: `$LRKB_CORPUS`, else the bundled one).

    `progress(stage, done, total)` is called during long builds; `notify(message)` is told when
    a damaged cache is rebuilt (default: a `RuntimeWarning`).

    Example:
        >>> import lrkb
        >>> kb = lrkb.open()
        >>> [h.source for h in kb.search("interference effect", k=1)]  # doctest: +SKIP
        ['concurrent-training-interference']
    """
    return KnowledgeBase(corpus, progress=progress, notify=notify)
