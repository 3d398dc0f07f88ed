"""The TF-IDF index: fit with scikit-learn, search with NumPy alone.

`fit` uses scikit-learn's `TfidfVectorizer` with lrkb's `Analyzer`; the fitted vocabulary, idf and
the passage matrix (stored by term, so a query touches only its terms' postings) are kept as plain
arrays. `transform` re-implements `TfidfVectorizer.transform` for one query (a test proves the two
agree), which keeps scikit-learn's import cost off the query path.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .analysis import Analyzer
from .errors import NotFittedError
from .store import Strings, pack_strings

Array = npt.NDArray[Any]


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
        """Learn vocabulary and idf from `texts` and store their vectors; returns self."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = self.vectorizer()
        assert isinstance(vectorizer, TfidfVectorizer)
        matrix = vectorizer.fit_transform(texts).tocsc()
        matrix.sort_indices()
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        self.vocabulary_ = {t: i for i, t in enumerate(terms)}
        self.idf_ = np.asarray(vectorizer.idf_, dtype=np.float64)
        self.indptr_ = matrix.indptr.astype(np.int64)
        self.indices_ = matrix.indices.astype(np.int32)
        self.data_ = matrix.data.astype(np.float32)
        self.n_docs_ = matrix.shape[0]
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

    def transform(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The query vector of `text` as (term ids, weights), equal to scikit-learn's transform."""
        self._check_fitted()
        counts = Counter(t for t in self.analyzer(text) if t in self.vocabulary_)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        ids = np.fromiter((self.vocabulary_[t] for t in counts), dtype=np.int64, count=len(counts))
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
        for term, weight in zip(ids.tolist(), weights.tolist(), strict=True):
            a, b = self.indptr_[term], self.indptr_[term + 1]
            scores[self.indices_[a:b]] += np.float32(weight) * self.data_[a:b]
        return scores

    def search(self, text: str, k: int = 5) -> list[tuple[int, float]]:
        """The `k` best (passage number, score) pairs with a score above zero, best first."""
        scores = self.scores(text)
        candidates = np.flatnonzero(scores)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        ranked = sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
        return [(i, float(scores[i])) for i in ranked]

    def coverage(self, text: str) -> float:
        """Share of the query's term weight (unknown terms at the highest idf) the corpus knows."""
        self._check_fitted()
        terms = self.analyzer(text)
        if not terms:
            return 0.0
        top = float(self.idf_.max()) if len(self.idf_) else 1.0
        known = sum(float(self.idf_[self.vocabulary_[t]]) for t in terms if t in self.vocabulary_)
        unknown = sum(top for t in terms if t not in self.vocabulary_)
        return known / (known + unknown) if known + unknown else 0.0

    def to_arrays(self) -> dict[str, Array]:
        """The fitted state as named arrays, for `store.write_pack`."""
        self._check_fitted()
        blob, offsets = pack_strings(sorted(self.vocabulary_, key=self.vocabulary_.__getitem__))
        return {
            "vocab_blob": blob,
            "vocab_offsets": offsets,
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
        terms = Strings(arrays["vocab_blob"], arrays["vocab_offsets"])
        blob = arrays["vocab_blob"].tobytes().decode()
        # One decode of the whole vocabulary is much faster than one per term.
        offsets = arrays["vocab_offsets"]
        if blob.isascii():
            index.vocabulary_ = {
                blob[a:b]: i
                for i, (a, b) in enumerate(
                    zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
                )
            }
        else:
            index.vocabulary_ = {t: i for i, t in enumerate(terms)}
        index.idf_ = arrays["idf"]
        index.indptr_ = arrays["indptr"]
        index.indices_ = arrays["indices"]
        index.data_ = arrays["data"]
        index.n_docs_ = n_docs
        return index
