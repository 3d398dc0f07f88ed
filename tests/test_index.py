import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from lrkb.analysis import Analyzer
from lrkb.errors import IndexFormatError, NotFittedError
from lrkb.index import TfidfIndex
from lrkb.store import read_pack, write_pack

TEXTS = [
    "A light jog after leg day can flush lactic acid and speed recovery.",
    "Endurance running activates AMPK which blunts mTOR and hypertrophy gains.",
    "Drink plenty of water; hydration matters for recovery recovery recovery.",
    "Sprints the day after heavy squats? Wait 48 hours.",
]
QUERIES = [
    "does running kill gains",
    "lactic acid jog",
    "recovery recovery water",
    "48 hours sprint",
    "passport renewal",
]


def assert_same_vectors(index: TfidfIndex, texts: list[str], queries: list[str]) -> None:
    """Our query vectors equal scikit-learn's TfidfVectorizer fitted on the same texts."""
    vectorizer = index.vectorizer()
    assert isinstance(vectorizer, TfidfVectorizer)
    vectorizer.fit(texts)
    names = vectorizer.get_feature_names_out()
    columns = [index.column(t) for t in names]
    assert sorted(c for c in columns if c is not None) == list(range(len(names)))  # one vocabulary
    for query in queries:
        expected = vectorizer.transform([query]).toarray()[0]
        ids, weights = index.transform(query)
        ours = np.zeros(len(names))
        ours[ids] = weights
        np.testing.assert_allclose(ours[columns], expected, rtol=1e-12, atol=1e-12)


def test_query_vector_equals_scikit_learn_transform() -> None:
    analyzer = Analyzer([["hypertrophy", "gains"], ["run", "running", "jog"]])
    assert_same_vectors(TfidfIndex(analyzer).fit(TEXTS), TEXTS, QUERIES)


def test_scores_equal_cosine_similarity() -> None:
    index = TfidfIndex(Analyzer()).fit(TEXTS)
    vectorizer = index.vectorizer()
    assert isinstance(vectorizer, TfidfVectorizer)
    matrix = vectorizer.fit_transform(TEXTS)
    for query in QUERIES:
        expected = (matrix @ vectorizer.transform([query]).T).toarray()[:, 0]
        np.testing.assert_allclose(index.scores(query), expected, rtol=1e-5, atol=1e-6)


def test_search_ranks_and_cuts_at_k() -> None:
    index = TfidfIndex(Analyzer()).fit(TEXTS)
    hits = index.search("lactic acid recovery", k=2)
    assert [i for i, _ in hits] == [0, 2]
    assert hits[0][1] > hits[1][1] > 0
    assert index.search("passport renewal", k=3) == []


def test_unfitted_index_raises_named_error() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        TfidfIndex(Analyzer()).search("x")


def test_arrays_round_trip_through_a_pack(tmp_path) -> None:
    analyzer = Analyzer()
    index = TfidfIndex(analyzer).fit(TEXTS)
    write_pack(tmp_path / "i.pack", {"n": len(TEXTS)}, index.to_arrays())
    pack = read_pack(tmp_path / "i.pack")
    loaded = TfidfIndex.from_arrays(analyzer, pack.arrays, pack.meta["n"])
    for query in QUERIES:
        assert loaded.search(query, 4) == index.search(query, 4)


def test_damaged_pack_is_refused(tmp_path) -> None:
    path = tmp_path / "i.pack"
    write_pack(path, {}, {"a": np.arange(1000, dtype=np.int64)})
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(IndexFormatError, match="checksum"):
        read_pack(path)
    path.write_bytes(bytes(raw[: len(raw) // 2]))
    with pytest.raises(IndexFormatError, match="truncated"):
        read_pack(path)
    path.write_bytes(b"\x80\x04\x95pickle payload")
    with pytest.raises(IndexFormatError, match="not an lrkb index"):
        read_pack(path)
