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
import math
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .analysis import Analyzer
from .errors import NotFittedError

Array = npt.NDArray[Any]


@functools.lru_cache(maxsize=1 << 18)
def term_hash(term: str) -> int:
    """A stable signed 64-bit id for a term (BLAKE2b; collisions are vanishingly unlikely)."""
    return int.from_bytes(
        hashlib.blake2b(term.encode(), digest_size=8).digest(), "little", signed=True
    )


def count_matrix(analyzer: Analyzer, texts: Iterable[str]) -> tuple[Array, Array, Array, Array]:
    """Term counts of `texts` as CSR (indptr, local column, count) plus each column's term hash,
    columns sorted by hash."""
    counters = [Counter(analyzer(text)) for text in texts]
    terms = sorted({t for c in counters for t in c})
    hashes = np.array([term_hash(t) for t in terms], dtype=np.int64)
    order = np.argsort(hashes, kind="stable")
    column = {terms[j]: n for n, j in enumerate(order.tolist())}
    indptr = np.zeros(len(counters) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in counters], out=indptr[1:])
    indices = np.fromiter(
        (column[t] for c in counters for t in c), dtype=np.int32, count=int(indptr[-1])
    )
    counts = np.fromiter(
        (n for c in counters for n in c.values()), dtype=np.int32, count=int(indptr[-1])
    )
    return indptr, indices, counts, hashes[order]


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


class TfidfIndex:
    """Cosine-similarity search over L2-normalised TF-IDF vectors.

    Parameters:
        analyzer: turns text into terms, at fit and at query time alike.
        sublinear_tf: use 1 + log(tf) instead of raw counts.

    Example:
        >>> index = TfidfIndex(Analyzer()).fit(["light jog after squats", "AMPK blunts mTOR"])
        >>> index.search("jogging", k=1)
        [(0, 1.0)]
    """

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
        counts: Counter[int] = Counter()
        for term in self.analyzer(text):
            col = self.column(term)
            if col is not None:
                counts[col] += 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        weights = tf * self.idf_[ids]
        weights /= math.sqrt(float(weights @ weights))
        order = np.argsort(ids)
        return ids[order], weights[order]

    def scores(self, text: str) -> npt.NDArray[np.float32]:
        """Cosine similarity of `text` with every indexed passage."""
        ids, weights = self.transform(text)
        scores = np.zeros(self.n_docs_, dtype=np.float32)
        self._accumulate(self._spans(ids), weights, scores)
        return scores

    def _spans(self, ids: npt.NDArray[np.int64]) -> list[tuple[int, int]]:
        """Where each term's postings lie in `indices_` and `data_`."""
        return [(int(self.indptr_[t]), int(self.indptr_[t + 1])) for t in ids.tolist()]

    def _accumulate(
        self,
        spans: list[tuple[int, int]],
        weights: npt.NDArray[np.float64],
        scores: npt.NDArray[np.float32],
    ) -> None:
        """Add each term's weighted postings into `scores`."""
        for (a, b), weight in zip(spans, weights.tolist(), strict=True):
            scores[self.indices_[a:b]] += np.float32(weight) * self.data_[a:b]

    def _scores(self) -> npt.NDArray[np.float32]:
        """This thread's zeroed score buffer: a fresh one per query costs a page fault per 4 KiB."""
        local = self.__dict__.setdefault("_local", threading.local())
        buffer: npt.NDArray[np.float32] | None = getattr(local, "scores", None)
        if buffer is None or len(buffer) != self.n_docs_:
            buffer = local.scores = np.zeros(self.n_docs_, dtype=np.float32)
        return buffer

    def search(self, text: str, k: int = 5) -> list[tuple[int, float]]:
        """The `k` best (passage number, score) pairs with a score above zero, best first.

        Only the query terms' postings are touched: scores accumulate in a dense array, and the
        top k is chosen among the postings (partial selection), never over every passage.
        """
        ids, weights = self.transform(text)
        if len(ids) == 0:
            return []
        spans = self._spans(ids)
        if len(spans) == 1:
            a, b = spans[0]
            candidates = self.indices_[a:b]
            values = self.data_[a:b] * np.float32(weights[0])
        else:
            scores = self._scores()
            self._accumulate(spans, weights, scores)
            # A passage appears once per term it contains, so the best k * terms postings hold
            # every passage of the true top k.
            candidates = np.concatenate([self.indices_[a:b] for a, b in spans])
            values = scores[candidates]
            scores[candidates] = 0  # ready for the next query, without clearing every passage
            k_all = k * len(spans)
            if len(candidates) > k_all:
                top = np.argpartition(-values, k_all - 1)[:k_all]
                candidates, values = candidates[top], values[top]
        if len(candidates) > k and len(spans) == 1:
            top = np.argpartition(-values, k - 1)[:k]
            candidates, values = candidates[top], values[top]
        ranked = sorted(
            set(zip(values.tolist(), candidates.tolist(), strict=True)),
            key=lambda vc: (-vc[0], vc[1]),
        )
        return [(int(c), float(v)) for v, c in ranked[:k] if v > 0]

    def document_frequency(self, term: str) -> int:
        """In how many passages `term` occurs (0 when it does not)."""
        col = self.column(term)
        return 0 if col is None else int(self.indptr_[col + 1] - self.indptr_[col])

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
        }

    @classmethod
    def from_arrays(
        cls, analyzer: Analyzer, arrays: dict[str, Array], n_docs: int, sublinear_tf: bool = True
    ) -> TfidfIndex:
        """Rebuild a fitted index from `to_arrays` output."""
        index = cls(analyzer, sublinear_tf=sublinear_tf)
        index.terms_ = arrays["terms"]
        index.idf_ = arrays["idf"]
        index.indptr_ = arrays["indptr"]
        index.indices_ = arrays["indices"]
        index.data_ = arrays["data"]
        index.n_docs_ = n_docs
        return index
