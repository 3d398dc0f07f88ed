"""The TF-IDF index: fit with scikit-learn, search with NumPy alone.

Terms are identified by a stable 64-bit hash (`term_hash`), so the vocabulary is a sorted integer
array: merging per-article counts is vectorised and a query term is found by binary search.
`fit_counts` weights a passage-by-term count matrix with scikit-learn's `TfidfTransformer` (what
`TfidfVectorizer` does after counting); the passage matrix is stored by term, so a query touches
only its terms' postings. `transform` re-implements the transform for one query (a test proves it
equals `TfidfVectorizer.transform`), which keeps scikit-learn's import cost off the query path.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .analysis import Analyzer, Cache
from .errors import NotFittedError

Array = npt.NDArray[Any]

# A term in at least IMPACT_MIN_DF passages also keeps its best postings (the top
# 1/IMPACT_SHARE by weight) in weight order: the answer to a one-word query, and the passages
# that give a multi-word query a first lower bound on its k-th score.
IMPACT_MIN_DF = 1024
IMPACT_SHARE = 8
PROBE = 64  # best postings of each term whose passages give that bound
# A query whose terms have at least one posting per DENSE_SHARE passages selects and clears its
# candidates by one pass over the score buffer (about 0.6 ns a passage) rather than by gathering
# and scattering each posting (about 6.5 ns a posting).
DENSE_SHARE = 8
# Passage numbers of the postings queries touch, kept as intp up to this many postings (8 bytes
# each): NumPy scatters and gathers by intp indices a third faster than by the stored int32.
DOCS_CACHE = 1 << 22
# Up to this many candidates are sorted whole: a partition first (four more NumPy calls) pays
# only on more (bench queries leave 10 to 90 candidates after the k-th-score bound).
SORT_ALL = 128


def distinct(values: Array) -> Array:
    """The distinct `values`, sorted, as np.unique gives them: NumPy 2's hash table costs three
    to five times a sort on the few hundred passage numbers a query gathers, and more on the
    vocabulary of a build."""
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _top(candidates: Array, values: Array, k: int) -> list[tuple[int, float]]:
    """The `k` best of distinct `candidates` by `values` above zero, best first, ties by number."""
    if len(candidates) > max(k, SORT_ALL):
        floor = np.partition(values, len(values) - k)[len(values) - k]
        keep = values >= floor
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))[:k]
    return [
        (c, v)
        for c, v in zip(candidates.take(order).tolist(), values.take(order).tolist(), strict=True)
        if v > 0
    ]


def impact_order(indptr: Array, indices: Array, data: Array) -> dict[str, Array]:
    """The best postings of every term in at least IMPACT_MIN_DF passages, by weight (then
    passage number): `imp_terms` (columns), `imp_ptr` (where each term's run starts),
    `imp_docs` and `imp_data`."""
    df = np.diff(indptr)
    terms = np.flatnonzero(df >= IMPACT_MIN_DF).astype(np.int32)
    lengths = -(-df[terms] // IMPACT_SHARE)
    ptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    docs = np.empty(int(ptr[-1]), dtype=np.int32)
    weights = np.empty(int(ptr[-1]), dtype=np.float32)
    for r, t in enumerate(terms.tolist()):
        a, b, n = int(indptr[t]), int(indptr[t + 1]), int(lengths[r])
        rows, values = indices[a:b], data[a:b]
        # Only the postings at least as heavy as the n-th heaviest can be among the best n:
        # those are sorted, not all the term's postings (an eighth of them, and the ties)
        floor = np.partition(values, len(values) - n)[len(values) - n]
        chosen = np.flatnonzero(values >= floor)
        order = chosen[np.lexsort((rows[chosen], -values[chosen]))[:n]]
        docs[ptr[r] : ptr[r + 1]] = rows[order]
        weights[ptr[r] : ptr[r + 1]] = values[order]
    return {"imp_terms": terms, "imp_ptr": ptr, "imp_docs": docs, "imp_data": weights}


@functools.lru_cache(maxsize=1 << 18)
def term_hash(term: str) -> int:
    """A stable signed 64-bit id for a term (BLAKE2b; collisions are vanishingly unlikely)."""
    return int.from_bytes(
        hashlib.blake2b(term.encode(), digest_size=8).digest(), "little", signed=True
    )


def find(sorted_hashes: Array, hashes: Array) -> Array:
    """Where each of `hashes` is in `sorted_hashes`, or -1 where it is not."""
    if len(sorted_hashes) == 0:
        return np.full(len(hashes), -1, dtype=np.int64)
    at = np.searchsorted(sorted_hashes, hashes)
    at[at >= len(sorted_hashes)] = 0
    return np.where(sorted_hashes[at] == hashes, at, -1)


def hashes_of(terms: Sequence[str]) -> Array:
    """`term_hash` of each of `terms`, uncached: a speller's hundreds of candidates would only
    push known terms out of the cache."""
    digests = b"".join(hashlib.blake2b(t.encode(), digest_size=8).digest() for t in terms)
    return np.frombuffer(digests, dtype="<i8").astype(np.int64)


def count_matrix(analyzer: Analyzer, texts: Iterable[str]) -> tuple[Array, Array, Array, Array]:
    """Term counts of `texts` as CSR (indptr, local column, count) plus each column's term hash,
    columns sorted by hash."""
    lengths, terms = [], []
    for text in texts:
        found = analyzer(text)
        lengths.append(len(found))
        terms += found
    # Every term by its hash (a build hashes each word of each passage: a dict lookup, not
    # an lru_cache call), then one sort gives the vocabulary and each term's column.
    hashes, column = np.unique(
        np.fromiter(map(_HASHES.__getitem__, terms), dtype=np.int64, count=len(terms)),
        return_inverse=True,
    )
    width = max(len(hashes), 1)
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    # One sort counts every (passage, term) pair.
    keys, counts = np.unique(rows * width + column.reshape(-1), return_counts=True)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // width, minlength=len(lengths)), out=indptr[1:])
    return indptr, (keys % width).astype(np.int32), counts.astype(np.int32), hashes


_HASHES = Cache(term_hash)  # term -> `term_hash(term)`, forgotten all at once past 2**18


class Retriever(Protocol):
    """What `KnowledgeBase` needs from a retrieval backend: `TfidfIndex`, or an adapter over an
    external engine (see docs/scaling.md). Passages are numbered in corpus order."""

    analyzer: Analyzer

    def search(self, text: str, k: int = 5) -> list[tuple[int, float]]:
        """The `k` best (passage number, score) pairs, best first, scores in [0, 1]."""
        ...

    def coverage(self, text: str) -> float:
        """Share of the query's weight the corpus knows (0 to 1), for abstention."""
        ...

    def document_frequency(self, term: str) -> int:
        """In how many passages an analysed term occurs, for spelling correction."""
        ...

    def document_frequencies(self, terms: Sequence[str]) -> list[int]:
        """`document_frequency` of each of `terms`: the speller asks for hundreds at once."""
        ...


class TfidfIndex:
    """Cosine-similarity search over L2-normalised TF-IDF vectors.

    Parameters:
        analyzer: turns text into terms, at fit and at query time alike.
        sublinear_tf: use 1 + log(tf) instead of raw counts.

    Example:
        >>> index = TfidfIndex(Analyzer()).fit(["light jog after squats", "AMPK blunts mTOR"])
        >>> index.search("jogging", k=1)
        [(0, 0.5773502588272095)]
    """

    # Set by `LiveIndex` when other segments changed idf: each passage's weights times its
    # factor (old norm / new norm), and the largest factor, for bounds.
    doc_factor_: npt.NDArray[np.float32] | None = None
    max_factor_ = 1.0

    def __init__(self, analyzer: Analyzer, sublinear_tf: bool = True) -> None:
        self.analyzer = analyzer
        self.sublinear_tf = sublinear_tf

    def fit(self, texts: Sequence[str]) -> TfidfIndex:
        """Count terms in `texts`, then `fit_counts`; returns self."""
        indptr, indices, counts, hashes = count_matrix(self.analyzer, texts)
        return self.fit_counts(indptr, indices, counts, hashes)

    def fit_counts(self, indptr: Array, indices: Array, counts: Array, hashes: Array) -> TfidfIndex:
        """Weight a passage-by-term count matrix (CSR, columns `hashes`, sorted) with
        scikit-learn's TfidfTransformer and keep it by term; returns self."""
        from scipy.sparse import csr_matrix
        from sklearn.feature_extraction.text import TfidfTransformer

        if len(hashes) == 0:
            raise NotFittedError("empty vocabulary: the texts contain no indexable words")
        # float64 counts, as TfidfVectorizer uses: idf then matches it to the last bit.
        matrix = csr_matrix(
            (np.asarray(counts, dtype=np.float64), indices, indptr),
            shape=(len(indptr) - 1, len(hashes)),
        )
        transformer = TfidfTransformer(sublinear_tf=self.sublinear_tf, norm="l2", smooth_idf=True)
        weighted = transformer.fit_transform(matrix).tocsc()
        weighted.sort_indices()
        self.terms_ = np.asarray(hashes, dtype=np.int64)
        self.idf_ = np.asarray(transformer.idf_, dtype=np.float64)
        self.indptr_ = weighted.indptr.astype(np.int64)
        self.indices_ = weighted.indices.astype(np.int32)
        self.data_ = weighted.data.astype(np.float32)
        self.n_docs_ = weighted.shape[0]
        self.norm_sums_ = norm_sums(
            weighted.indptr, weighted.indices, weighted.data, self.idf_, self.n_docs_
        )
        for cache in ("_columns", "_doc_cache", "_docs_size", "_probes"):  # refit: new terms
            self.__dict__.pop(cache, None)
        self._set_impacts(impact_order(self.indptr_, self.indices_, self.data_))
        return self

    def vectorizer(self) -> object:
        """A scikit-learn `TfidfVectorizer` configured exactly like this index."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(
            analyzer=self.analyzer, sublinear_tf=self.sublinear_tf, norm="l2", smooth_idf=True
        )

    def _check_fitted(self) -> None:
        if not hasattr(self, "idf_"):
            raise NotFittedError("this TfidfIndex is not fitted yet: call fit() or load() first")

    def column(self, term: str) -> int | None:
        """The column of `term`, or None when the corpus does not have it."""
        self._check_fitted()
        cache = self.__dict__.setdefault("_columns", {})
        if term not in cache:
            h = term_hash(term)
            i = int(np.searchsorted(self.terms_, h))
            cache[term] = i if i < len(self.terms_) and int(self.terms_[i]) == h else None
            if len(cache) > 100_000:  # bounded: a long-running process sees many terms
                cache.clear()
        column: int | None = cache[term]
        return column

    def transform(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The query vector of `text` as (columns, weights), equal to scikit-learn's transform."""
        self._check_fitted()
        known = self.__dict__.get("_columns", {})
        counts: dict[int, int] = {}
        for term in self.analyzer(text):
            col = known[term] if term in known else self.column(term)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        n = len(counts)
        ids = np.fromiter(counts, dtype=np.int64, count=n)
        weights = self.idf_[ids]
        if n < sum(counts.values()):  # a repeated term (else every tf weight is 1)
            tf = np.fromiter(counts.values(), dtype=np.float64, count=n)
            weights *= np.log(tf) + 1.0 if self.sublinear_tf else tf
        # The norm in the order the terms came (summed in another order it may differ in the
        # last bit), then the terms sorted.
        weights /= math.sqrt(float(weights @ weights))
        if n > 1 and list(counts) != sorted(counts):
            order = np.argsort(ids)
            return ids[order], weights[order]
        return ids, weights

    def scores(self, text: str) -> npt.NDArray[np.float32]:
        """Cosine similarity of `text` with every indexed passage."""
        ids, weights = self.transform(text)
        return self.vector_scores(ids, weights)

    def vector_scores(
        self, ids: npt.NDArray[np.int64], weights: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float32]:
        """The score of every passage for the query vector (`ids`, `weights`)."""
        scores = np.zeros(self.n_docs_, dtype=np.float32)
        self._accumulate(self._spans(ids), weights, scores)
        if self.doc_factor_ is not None:
            scores *= self.doc_factor_
        return scores

    def _spans(self, ids: npt.NDArray[np.int64]) -> list[tuple[int, int]]:
        """Where each term's postings lie in `indices_` and `data_`."""
        return [(int(self.indptr_[t]), int(self.indptr_[t + 1])) for t in ids.tolist()]

    def _docs(self, a: int, b: int) -> npt.NDArray[np.intp]:
        """The passage numbers of postings `a:b` (one term's) as intp, remembered while they fit
        in DOCS_CACHE: common terms recur across queries."""
        cache: dict[int, npt.NDArray[np.intp]] | None = self.__dict__.get("_doc_cache")
        docs = None if cache is None else cache.get(a)
        if docs is None:
            cache = self.__dict__.setdefault("_doc_cache", {})
            docs = self.indices_[a:b].astype(np.intp)
            size = self.__dict__.get("_docs_size", 0) + len(docs)
            if size > DOCS_CACHE:
                cache.clear()
                size = len(docs)
            cache[a] = docs
            self.__dict__["_docs_size"] = size
        return docs

    def _accumulate(
        self,
        spans: list[tuple[int, int]],
        weights: npt.NDArray[np.float64],
        scores: npt.NDArray[np.float32],
    ) -> None:
        """Add each term's weighted postings into `scores` (zero on entry)."""
        data = self.data_
        for n, ((a, b), weight) in enumerate(zip(spans, weights.tolist(), strict=True)):
            if n == 0:  # into zeros: setting is adding, and a fifth cheaper
                scores[self._docs(a, b)] = np.float32(weight) * data[a:b]
            else:  # ufunc.at is the fast scatter-add since NumPy 1.25 (2x fancy indexing's +=)
                np.add.at(scores, self._docs(a, b), np.float32(weight) * data[a:b])

    def _scores(self) -> npt.NDArray[np.float32]:
        """This thread's zeroed score buffer: a fresh one per query costs a page fault per 4 KiB."""
        local = self.__dict__.get("_local") or self.__dict__.setdefault("_local", threading.local())
        buffer: npt.NDArray[np.float32] | None = getattr(local, "scores", None)
        if buffer is None or len(buffer) != self.n_docs_:
            buffer = local.scores = np.zeros(self.n_docs_, dtype=np.float32)
        return buffer

    def search(self, text: str, k: int = 5) -> list[tuple[int, float]]:
        """The `k` best (passage number, score) pairs with a score above zero, best first; equal
        scores in passage order.

        Only the query terms' postings are touched. One common word is answered from its best
        postings, stored in weight order. Several words are scored into a dense buffer; a lower
        bound on the k-th score (`_floor`) then keeps only the passages that can reach it, so
        the selection touches few of the candidates: exact, not an approximation.
        """
        ids, weights = self.transform(text)
        return self.search_vector(ids, weights, k)

    def search_vector(
        self, ids: npt.NDArray[np.int64], weights: npt.NDArray[np.float64], k: int
    ) -> list[tuple[int, float]]:
        """`search` for a query vector: columns `ids` (sorted) and their `weights`."""
        if len(ids) == 0:
            return []
        spans = self._spans(ids)
        factor = self.doc_factor_
        if len(spans) == 1:
            return self._one_term(int(ids[0]), spans[0], np.float32(weights[0]), k)
        scores = self._scores()
        self._accumulate(spans, weights, scores)
        floor = self._floor(ids, spans, scores, k)
        if sum(b - a for a, b in spans) * DENSE_SHARE >= self.n_docs_:
            # Many postings: a pass over the buffer beats gathering and scattering each one.
            candidates = np.flatnonzero(scores >= floor if floor > 0 else scores > 0)
            values = scores.take(candidates)
            scores.fill(0)  # ready for the next query
        else:
            kept = []
            for a, b in spans:
                docs = self._docs(a, b)
                kept.append(docs.compress(scores.take(docs) >= floor))
            candidates = distinct(np.concatenate(kept))
            values = scores.take(candidates)
            for a, b in spans:
                scores[self._docs(a, b)] = 0  # ready for the next query, without clearing all
        if factor is not None:
            values *= factor[candidates]
        return _top(candidates, values, k)

    def _one_term(
        self, term: int, span: tuple[int, int], weight: np.float32, k: int
    ) -> list[tuple[int, float]]:
        """`search_vector` for one term: from its best postings when it has them."""
        a, b = span
        factor = self.doc_factor_
        row = int(np.searchsorted(self.imp_terms_, term))
        if row < len(self.imp_terms_) and self.imp_terms_[row] == term:
            start, end = int(self.imp_ptr_[row]), int(self.imp_ptr_[row + 1])
            docs, data = self.imp_docs_[start:end], self.imp_data_[start:end]
            if k <= len(docs) and factor is None:
                return _top(docs[:k], data[:k] * weight, k)  # best first, ties in passage order
            if k <= len(docs) and factor is not None:
                top = _top(docs, data * weight * factor[docs], k)
                # Any other posting weighs at most the last best one, and no factor exceeds the
                # largest (float32 rounding is monotone): a k-th score above that bound is final.
                bound = data[-1] * weight * np.float32(self.max_factor_)
                if len(top) == k and top[-1][1] > float(bound):
                    return top
        docs, data = self.indices_[a:b], self.data_[a:b]
        values = data * weight if factor is None else data * weight * factor[docs]
        return _top(docs, values, k)

    def _floor(
        self,
        ids: npt.NDArray[np.int64],
        spans: list[tuple[int, int]],
        scores: npt.NDArray[np.float32],
        k: int,
    ) -> float:
        """A lower bound on the k-th best score, from the accumulated `scores` (before passage
        factors) of a few probable passages: each term's best postings, else its first ones.
        Every passage of the top k, ties included, scores at least this."""
        probe = distinct(
            np.concatenate(
                [self._probe(t, a, b) for t, (a, b) in zip(ids.tolist(), spans, strict=True)]
            )
        )
        if len(probe) < k:
            return 0.0
        values = scores.take(probe)
        if self.doc_factor_ is not None:
            # Bound the unfactored score: a passage below floor / max factor cannot reach it.
            values = values * self.doc_factor_[probe]
            kth = float(np.partition(values, len(values) - k)[len(values) - k])
            return float(kth / self.max_factor_ * (1 - 1e-6))
        return float(np.partition(values, len(values) - k)[len(values) - k])

    def _probe(self, term: int, a: int, b: int) -> npt.NDArray[np.intp]:
        """The passages `_floor` reads for column `term` (postings `a:b`): its PROBE best
        postings, else its first; remembered (bounded), as the same terms recur."""
        probes: dict[int, npt.NDArray[np.intp]] = self.__dict__.setdefault("_probes", {})
        found = probes.get(term)
        if found is None:
            row = int(np.searchsorted(self.imp_terms_, term))
            if row < len(self.imp_terms_) and int(self.imp_terms_[row]) == term:
                start = int(self.imp_ptr_[row])
                docs = self.imp_docs_[start : min(start + PROBE, int(self.imp_ptr_[row + 1]))]
            else:
                docs = self.indices_[a : min(b, a + PROBE)]
            if len(probes) >= 1 << 14:  # at most 8 MiB
                probes.clear()
            found = probes[term] = docs.astype(np.intp)
        return found

    def _set_impacts(self, arrays: Mapping[str, Array]) -> None:
        self.imp_terms_ = arrays["imp_terms"]
        self.imp_ptr_ = arrays["imp_ptr"]
        self.imp_docs_ = arrays["imp_docs"]
        self.imp_data_ = arrays["imp_data"]

    def document_frequency(self, term: str) -> int:
        """In how many passages `term` occurs (0 when it does not)."""
        col = self.column(term)
        return 0 if col is None else int(self.indptr_[col + 1] - self.indptr_[col])

    def document_frequencies(self, terms: Sequence[str]) -> list[int]:
        """`document_frequency` of each of `terms`, by one binary search for all."""
        self._check_fitted()
        at = find(self.terms_, hashes_of(terms))
        return np.where(at >= 0, self.indptr_[at + 1] - self.indptr_[at], 0).tolist()  # type: ignore[no-any-return]

    def coverage(self, text: str) -> float:
        """Share of the query's term weight (unknown terms at the highest idf) the corpus knows."""
        self._check_fitted()
        terms = self.analyzer(text)
        if not terms:
            return 0.0
        top = float(self.idf_.max()) if len(self.idf_) else 1.0
        known = unknown = 0.0
        for t in terms:
            col = self.column(t)
            if col is None:
                unknown += top
            else:
                known += float(self.idf_[col])
        return known / (known + unknown) if known + unknown else 0.0

    def to_arrays(self) -> dict[str, Array]:
        """The fitted state as named arrays, for `store.write_pack`."""
        self._check_fitted()
        return {
            "terms": self.terms_,
            "idf": self.idf_,
            "indptr": self.indptr_,
            "indices": self.indices_,
            "data": self.data_,
            "imp_terms": self.imp_terms_,
            "imp_ptr": self.imp_ptr_,
            "imp_docs": self.imp_docs_,
            "imp_data": self.imp_data_,
            "norm_sums": self.norm_sums_,
        }

    @classmethod
    def from_arrays(
        cls, analyzer: Analyzer, arrays: Mapping[str, Array], n_docs: int, sublinear_tf: bool = True
    ) -> TfidfIndex:
        """Rebuild a fitted index from `to_arrays` output."""
        index = cls(analyzer, sublinear_tf=sublinear_tf)
        index.terms_ = arrays["terms"]
        index.idf_ = arrays["idf"]
        index.indptr_ = arrays["indptr"]
        index.indices_ = arrays["indices"]
        index.data_ = arrays["data"]
        index._set_impacts(arrays)
        index.n_docs_ = n_docs
        index.norm_sums_ = arrays["norm_sums"]
        return index


def norm_sums(
    indptr: Array, indices: Array, weights: Array, idf: Array, n_docs: int, chunk: int = 1 << 22
) -> npt.NDArray[np.float64]:
    """For each passage, the sums of w² / idf and of w² / idf² over its terms (`weights`
    normalised, by term as CSC): what `LiveIndex.base_factor` needs to find each passage's norm
    once idf changed, without a pass over every posting. Summed a block of terms at a time, so
    a build of a million passages holds no more than `chunk` postings' temporaries."""
    sums = np.zeros((2, n_docs))
    cuts = np.searchsorted(indptr, np.arange(chunk, len(indices), chunk, dtype=np.int64))
    for t0, t1 in itertools.pairwise([0, *sorted(set(cuts.tolist()) - {0, len(idf)}), len(idf)]):
        p0, p1 = int(indptr[t0]), int(indptr[t1])
        inverse = np.repeat(1.0 / np.asarray(idf[t0:t1], np.float64), np.diff(indptr[t0 : t1 + 1]))
        part = np.square(np.asarray(weights[p0:p1], np.float64)) * inverse
        sums[0] += np.bincount(indices[p0:p1], part, minlength=n_docs)
        part *= inverse
        sums[1] += np.bincount(indices[p0:p1], part, minlength=n_docs)
    return sums


def smooth_idf(n_docs: int, df: Array) -> npt.NDArray[np.float64]:
    """scikit-learn's smooth idf: ln((1 + n) / (1 + df)) + 1."""
    return np.log((1.0 + n_docs) / (1.0 + np.asarray(df, dtype=np.float64))) + 1.0


class LiveIndex:
    """A base `TfidfIndex` and a segment of passages added after it was built, searched as one
    corpus whose weights equal scikit-learn's fit on all of it.

    Adding passages changes every idf, and so every passage's norm. The base's stored weights
    stay as they are; at query time each base term's weight is scaled by new idf / old idf, and
    each base passage's score by its old norm / new norm (`base_factor`, computed when the
    segment is written). The segment (small: articles added since the last build) is weighted
    from its raw counts and scored exhaustively. Passages are numbered base first.

    Parameters:
        base: the index of the last build.
        terms, indptr, indices, counts: the segment's term counts, CSR by passage, columns
            `terms` (sorted term hashes).
        base_factor: from `base_factor`; computed when not given.
    """

    def __init__(
        self,
        base: TfidfIndex,
        terms: Array,
        indptr: Array,
        indices: Array,
        counts: Array,
        base_factor: Array | None = None,
    ) -> None:
        self.analyzer = base.analyzer
        self.base = base
        self.seg_terms_ = np.asarray(terms, dtype=np.int64)
        n_seg = len(indptr) - 1
        self.n_docs_ = base.n_docs_ + n_seg
        seg_df = np.bincount(indices, minlength=len(terms))
        at = np.searchsorted(base.terms_, self.seg_terms_)
        at[at >= len(base.terms_)] = 0
        shared = base.terms_[at] == self.seg_terms_ if len(base.terms_) else at < 0
        self.seg_base_ = np.where(shared, at, -1)  # each segment term's base column, or -1
        df = np.diff(base.indptr_)
        df[at[shared]] += seg_df[shared]
        self.idf_ = smooth_idf(self.n_docs_, df)  # the base terms' idf over the whole corpus
        self.ratio_ = self.idf_ / base.idf_
        self.seg_df_ = np.where(shared, df[at], seg_df)  # over the whole corpus
        self.seg_idf_ = smooth_idf(self.n_docs_, self.seg_df_)
        # Per term, remembered (bounded, as `TfidfIndex.column`): its columns, and its idf.
        self._columns: Callable[[str], tuple[int, int] | None]
        self._columns = Cache(self._find_columns, 100_000).__getitem__
        self._idf: Callable[[str], float | None] = Cache(self._find_idf, 100_000).__getitem__
        # The weight of a word no passage has, for `coverage`: the corpus's largest idf.
        self.top_idf_ = max(
            float(self.idf_.max(initial=1.0)), float(self.seg_idf_.max(initial=1.0))
        )
        # The segment's weights, as TfidfTransformer computes them, stored by term.
        rows = np.repeat(np.arange(n_seg), np.diff(indptr))
        tf = np.asarray(counts, dtype=np.float64)
        if base.sublinear_tf:
            tf = np.log(tf) + 1.0
        weight = tf * self.seg_idf_[indices]
        norms = np.sqrt(np.bincount(rows, weight * weight, minlength=n_seg))
        weight /= np.where(norms > 0, norms, 1.0)[rows]
        order = np.lexsort((rows, indices))
        self.seg_ptr_ = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(seg_df, out=self.seg_ptr_[1:])
        self.seg_rows_ = rows[order].astype(np.int32)
        self.seg_data_ = weight[order].astype(np.float32)
        factor = base_factor if base_factor is not None else self.base_factor()
        base.doc_factor_ = np.asarray(factor, dtype=np.float32)
        base.max_factor_ = float(base.doc_factor_.max()) if base.n_docs_ else 1.0

    def base_factor(self) -> npt.NDArray[np.float64]:
        """Each base passage's old norm / new norm: 1 / |its stored weights w scaled by idf ratio|.

        A term the segment lacks keeps its df, so its idf grows by d = ln((1 + n') / (1 + n)) and
        its ratio is 1 + d / idf: its part of the new squared norm, w² (1 + d / idf)², sums over
        the passage to 1 + 2d·Σ w²/idf + d²·Σ w²/idf² (`norm_sums`, stored at build). Only the
        postings of the segment's terms are read, to replace their part by w² · ratio²."""
        b = self.base
        n = b.n_docs_
        d = math.log((1.0 + self.n_docs_) / (1.0 + n))
        inverse, inverse2 = b.norm_sums_[0, :n], b.norm_sums_[1, :n]
        squares = (inverse2 > 0) + (2 * d) * inverse + (d * d) * inverse2
        cols = self.seg_base_[self.seg_base_ >= 0]
        if len(cols):
            # Slices joined, not gathered by an index: a fresh process pays for every page it
            # allocates, and an index of a third of the postings costs more than the sums.
            starts, ends = b.indptr_[cols].tolist(), b.indptr_[cols + 1].tolist()
            weights = np.concatenate([b.data_[i:j] for i, j in zip(starts, ends, strict=True)])
            rows = np.concatenate([b.indices_[i:j] for i, j in zip(starts, ends, strict=True)])
            change = self.ratio_[cols] ** 2 - (1.0 + d / b.idf_[cols]) ** 2
            weights *= weights  # float32, as the stored weights are
            weights *= np.repeat(change.astype(np.float32), np.subtract(ends, starts))
            squares += np.bincount(rows, weights, minlength=n)
        return np.where(squares > 0, 1.0 / np.sqrt(np.where(squares > 0, squares, 1.0)), 0.0)

    def _vector(self, text: str) -> tuple[list[int], list[int], npt.NDArray[np.float64]]:
        """The query vector: for each known term its base column and segment column (-1 where
        absent) and its weight, equal to scikit-learn's transform over the whole corpus."""
        counts = Counter(c for c in map(self._columns, self.analyzer(text)) if c is not None)
        keys = sorted(counts)
        tf = np.array([counts[key] for key in keys], dtype=np.float64)
        if self.base.sublinear_tf:
            tf = np.log(tf) + 1.0
        idf = np.array(
            [self.idf_[c] if c >= 0 else self.seg_idf_[s] for c, s in keys], dtype=np.float64
        )
        weights = tf * idf
        if len(weights):
            weights /= math.sqrt(float(weights @ weights))
        return [c for c, _ in keys], [s for _, s in keys], weights

    def _find_columns(self, term: str) -> tuple[int, int] | None:
        """`term`'s base and segment columns (-1 where absent), None when neither part has it
        (remembered by `_columns`)."""
        col = self.base.column(term)
        h = term_hash(term)
        seg = int(np.searchsorted(self.seg_terms_, h))
        if seg >= len(self.seg_terms_) or int(self.seg_terms_[seg]) != h:
            seg = -1
        return None if col is None and seg < 0 else (-1 if col is None else col, seg)

    def _parts(self, text: str) -> tuple[Array, Array, npt.NDArray[np.float32]]:
        """The base query vector (columns, weights scaled by idf ratio) and segment scores."""
        cols, segs, weights = self._vector(text)
        base = [
            (c, w * float(self.ratio_[c]))
            for c, w in zip(cols, weights.tolist(), strict=True)
            if c >= 0
        ]
        base.sort()
        ids = np.array([c for c, _ in base], dtype=np.int64)
        base_weights = np.array([w for _, w in base], dtype=np.float64)
        seg_scores = np.zeros(self.n_docs_ - self.base.n_docs_, dtype=np.float32)
        for s, w in sorted(zip(segs, weights.tolist(), strict=True)):
            if s >= 0:
                a, b = int(self.seg_ptr_[s]), int(self.seg_ptr_[s + 1])
                seg_scores[self.seg_rows_[a:b]] += np.float32(w) * self.seg_data_[a:b]
        return ids, base_weights, seg_scores

    def scores(self, text: str) -> npt.NDArray[np.float32]:
        """Cosine similarity of `text` with every passage, base then segment."""
        ids, weights, seg_scores = self._parts(text)
        return np.concatenate([self.base.vector_scores(ids, weights), seg_scores])

    def search(self, text: str, k: int = 5) -> list[tuple[int, float]]:
        """As `TfidfIndex.search`, over both: the base's top k (pruned as usual) and every
        segment passage."""
        ids, weights, seg_scores = self._parts(text)
        found = self.base.search_vector(ids, weights, k) if len(ids) else []
        # Only a segment passage that beats the base's k-th can be among the k best (on a
        # tie the base's passage, numbered first, wins): mostly none.
        hits = np.flatnonzero(seg_scores > (found[-1][1] if len(found) == k else 0.0))
        if not len(hits):
            return found
        candidates = np.concatenate(
            [np.array([i for i, _ in found], dtype=np.int64), hits + self.base.n_docs_]
        )
        values = np.concatenate(
            [np.array([v for _, v in found], dtype=np.float32), seg_scores[hits]]
        )
        return _top(candidates, values, k)

    def document_frequency(self, term: str) -> int:
        """In how many passages of either part `term` occurs."""
        cols = self._columns(term)
        if cols is None:
            return 0
        col, seg = cols
        df = int(self.base.indptr_[col + 1] - self.base.indptr_[col]) if col >= 0 else 0
        return df + (int(self.seg_ptr_[seg + 1] - self.seg_ptr_[seg]) if seg >= 0 else 0)

    def document_frequencies(self, terms: Sequence[str]) -> list[int]:
        """In how many passages of either part each of `terms` occurs."""
        seg = find(self.seg_terms_, hashes_of(terms))
        df = np.where(seg >= 0, self.seg_ptr_[seg + 1] - self.seg_ptr_[seg], 0)
        df += np.array(self.base.document_frequencies(terms), dtype=np.int64)
        return df.tolist()  # type: ignore[no-any-return]

    def coverage(self, text: str) -> float:
        """As `TfidfIndex.coverage`, with idf over the whole corpus."""
        terms = self.analyzer(text)
        if not terms:
            return 0.0
        known = unknown = 0.0
        for term in terms:
            idf = self._idf(term)
            if idf is None:
                unknown += self.top_idf_
            else:
                known += idf
        return known / (known + unknown) if known + unknown else 0.0

    def _find_idf(self, term: str) -> float | None:
        """The idf of `term` over the whole corpus, None when no passage has it (remembered by
        `_idf`)."""
        df = self.document_frequency(term)
        return float(smooth_idf(self.n_docs_, np.array([df]))[0]) if df else None
