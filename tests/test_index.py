import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from lrkb.analysis import Analyzer, Speller
from lrkb.errors import IndexFormatError, NotFittedError
from lrkb.index import LiveIndex, TfidfIndex, count_matrix, norm_sums
from lrkb.store import Chain, Strings, pack_strings, read_pack, write_pack

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


def test_strings_read_back_from_a_mapped_pack(tmp_path) -> None:
    words = ["", "légère", "run 🏃", "x" * 5000]
    blob, offsets = pack_strings(words)
    write_pack(tmp_path / "s.pack", {}, {"s_blob": blob, "s_offsets": offsets})
    strings = read_pack(tmp_path / "s.pack").strings("s")
    assert list(strings) == words and len(strings) == 4
    assert strings[-1] == words[-1] and strings[1] == "légère"
    with pytest.raises(IndexError):
        strings[4]
    # Offsets of another integer type (a joined column) read the same.
    assert Strings(blob, offsets.astype(np.int32))[2] == "run 🏃"


def test_a_chain_reads_two_columns_as_one() -> None:
    first, second = ["", "légère", "run 🏃"], ["x" * 5000, "squat", ""]
    chain = Chain(Strings(*pack_strings(first)), Strings(*pack_strings(second)))
    both = first + second
    assert len(chain) == 6 and list(chain) == both
    assert [chain[i] for i in range(-6, 6)] == both + both
    with pytest.raises(IndexError):
        chain[6]


def exhaustive(index: TfidfIndex, query: str, k: int) -> list[tuple[int, float]]:
    """The reference: every passage scored, best first, equal scores in passage order."""
    scores = index.scores(query)
    ranked = sorted((i for i in range(len(scores)) if scores[i] > 0), key=lambda i: (-scores[i], i))
    return [(i, float(scores[i])) for i in ranked[:k]]


def assert_same_results(got: list[tuple[int, float]], want: list[tuple[int, float]]) -> None:
    assert [i for i, _ in got] == [i for i, _ in want]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], rtol=0, atol=1e-6)


# A small vocabulary drawn with Zipf-like weights: a few words in most passages, as in real text.
WORDS = [f"w{n}x" for n in range(60)]
ZIPF = [1.0 / (n + 1) for n in range(len(WORDS))]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_docs=st.integers(1, 3000),
    k=st.integers(1, 30),
    duplicates=st.booleans(),
)
def test_search_equals_exhaustive_scoring(seed, n_docs, k, duplicates, monkeypatch) -> None:
    import random

    import lrkb.index as index_mod

    # Small corpora: best postings for most terms, and a probe of a few of them.
    monkeypatch.setattr(index_mod, "IMPACT_MIN_DF", 1 + seed % 50)
    monkeypatch.setattr(index_mod, "IMPACT_SHARE", 1 + seed % 8)
    monkeypatch.setattr(index_mod, "PROBE", 1 + seed % 16)
    # Candidates selected by postings, by the default rule, or by a pass over every passage.
    monkeypatch.setattr(index_mod, "DENSE_SHARE", (0, 8, 1 << 30)[seed % 3])
    # Postings' passage numbers kept for none, a few or every term.
    monkeypatch.setattr(index_mod, "DOCS_CACHE", (0, 50, 1 << 22)[seed // 3 % 3])
    rng = random.Random(seed)
    texts = [" ".join(rng.choices(WORDS, ZIPF, k=rng.randint(1, 12))) for _ in range(n_docs)]
    if duplicates:  # many equal scores: ties must fall in passage order, as exhaustively
        texts = [texts[i % 7] for i in range(n_docs)]
    index = TfidfIndex(Analyzer()).fit(texts)
    for _ in range(10):
        query = " ".join(rng.choices(WORDS, ZIPF, k=rng.randint(1, 6)))
        assert_same_results(index.search(query, k), exhaustive(index, query, k))
        # Two words, common or rare (a path of their own), and one of them twice.
        two = rng.choices(WORDS, ZIPF, k=2) + rng.sample(WORDS, 2)
        for query in (" ".join(two[:2]), " ".join(two[2:]), " ".join([two[0], *two[2:3] * 2])):
            assert_same_results(index.search(query, k), exhaustive(index, query, k))


def live_index(base_texts: list[str], added: list[str], analyzer: Analyzer) -> LiveIndex:
    base = TfidfIndex(analyzer).fit(base_texts)
    indptr, indices, counts, hashes = count_matrix(analyzer, added)
    return LiveIndex(base, hashes, indptr, indices, counts)


@pytest.mark.parametrize("shared", [False, True])
def test_base_factors_equal_the_ratio_of_scikit_learn_norms(shared: bool) -> None:
    """Each base passage's old norm / new norm (`LiveIndex.base_factor`, from the sums stored at
    build) equals the ratio of the norms of scikit-learn's fits on the base and on the whole
    corpus: to 1e-12 when the segment shares no term with the base (every ratio comes from the
    stored sums), to float32 precision when it does (those terms' stored weights are read)."""
    import random

    rng = random.Random(11)
    base = [" ".join(rng.choices(WORDS, ZIPF, k=rng.randint(1, 12))) for _ in range(400)]
    base.append("")  # a passage with no term: its factor is 0
    if shared:
        added = [" ".join(rng.choices(WORDS, ZIPF, k=rng.randint(1, 8))) for _ in range(30)]
    else:
        added = [f"zqx{i} vorp{i % 3} blen" for i in range(30)]
    live = live_index(base, added, Analyzer())
    assert bool((live.seg_base_ >= 0).any()) == shared
    vectorizer = TfidfVectorizer(analyzer=Analyzer(), sublinear_tf=True, norm=None, smooth_idf=True)

    def norms(texts: list[str]) -> np.ndarray:
        matrix = vectorizer.fit_transform(texts)
        return np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))[: len(base), 0])

    old, new = norms(base), norms(base + added)
    expected = np.divide(old, new, out=np.zeros_like(old), where=new > 0)
    assert expected[-1] == 0 and (expected[:-1] != 1).all()
    np.testing.assert_allclose(live.base_factor(), expected, rtol=1e-6 if shared else 1e-12)
    # The sums are the same whether a build adds them up in one block of terms or in many.
    b = live.base
    blocks = norm_sums(b.indptr_, b.indices_, b.data_, b.idf_, b.n_docs_, chunk=7)
    whole = norm_sums(b.indptr_, b.indices_, b.data_, b.idf_, b.n_docs_)
    np.testing.assert_allclose(blocks, whole, rtol=1e-13, atol=0)


def test_segmented_index_equals_scikit_learn_fit_on_the_whole_corpus() -> None:
    analyzer = Analyzer([["hypertrophy", "gains"], ["run", "running", "jog"]])
    added = ["Running kills gains, or so they say.", "Recovery: sleep, water and protein."]
    index = live_index(TEXTS, added, analyzer)
    vectorizer = TfidfIndex(analyzer).vectorizer()
    assert isinstance(vectorizer, TfidfVectorizer)
    matrix = vectorizer.fit_transform(TEXTS + added)
    for query in [*QUERIES, "protein sleep", "say"]:
        expected = (matrix @ vectorizer.transform([query]).T).toarray()[:, 0]
        np.testing.assert_allclose(index.scores(query), expected, rtol=1e-5, atol=1e-6)
        assert_same_results(index.search(query, 3), exhaustive(index, query, 3))
    assert index.document_frequency("recoveri") == 3  # two in the base, one added
    # Abstention reads the same share of known weight as a fit on the whole corpus.
    whole = TfidfIndex(analyzer).fit(TEXTS + added)
    for query in [*QUERIES, "protein sleep", "say", "qwertyuiop running", "zzzz xxxx", ""]:
        assert index.coverage(query) == pytest.approx(whole.coverage(query), rel=0, abs=1e-12)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32 - 1), n_base=st.integers(1, 800), n_added=st.integers(1, 60))
def test_segmented_search_equals_scikit_learn_and_exhaustive(
    seed, n_base, n_added, monkeypatch
) -> None:
    import random

    import lrkb.index as index_mod

    monkeypatch.setattr(index_mod, "IMPACT_MIN_DF", 1 + seed % 30)  # bounds with factors
    monkeypatch.setattr(index_mod, "IMPACT_SHARE", 1 + seed % 8)
    monkeypatch.setattr(index_mod, "PROBE", 1 + seed % 16)
    # Candidates selected by postings, by the default rule, or by a pass over every passage.
    monkeypatch.setattr(index_mod, "DENSE_SHARE", (0, 8, 1 << 30)[seed % 3])

    rng = random.Random(seed)
    texts = [" ".join(rng.choices(WORDS, ZIPF, k=rng.randint(1, 12))) for _ in range(n_base)]
    added = [" ".join(rng.choices(WORDS[10:], k=rng.randint(1, 8))) for _ in range(n_added)]
    index = live_index(texts, added, Analyzer())
    vectorizer = TfidfIndex(Analyzer()).vectorizer()
    assert isinstance(vectorizer, TfidfVectorizer)
    matrix = vectorizer.fit_transform(texts + added)
    for _ in range(5):
        query = " ".join(rng.choices(WORDS, ZIPF, k=rng.randint(1, 6)))
        expected = (matrix @ vectorizer.transform([query]).T).toarray()[:, 0]
        np.testing.assert_allclose(index.scores(query), expected, rtol=1e-5, atol=1e-6)
        k = rng.randint(1, 20)
        assert_same_results(index.search(query, k), exhaustive(index, query, k))
        # One word: answered from its best postings when the passage factors allow.
        word = rng.choice(WORDS[:12])
        assert_same_results(index.search(word, k), exhaustive(index, word, k))


def test_segment_passages_tied_with_the_base_rank_after_it_at_every_k() -> None:
    import random

    # Half the segment repeats base passages (equal scores across the two parts: the base's
    # passage ranks first); the other half ranks anywhere among the base's.
    rng = random.Random(5)
    texts = [" ".join(rng.choices(WORDS[:20], ZIPF[:20], k=rng.randint(1, 8))) for _ in range(60)]
    added = rng.sample(texts, 10) + [" ".join(rng.choices(WORDS[:20], k=3)) for _ in range(10)]
    index = live_index(texts, added, Analyzer())
    for _ in range(30):
        query = " ".join(rng.choices(WORDS[:20], ZIPF[:20], k=rng.randint(1, 4)))
        for k in (1, 2, 3, 5, 10, 20):
            assert_same_results(index.search(query, k), exhaustive(index, query, k))


def test_a_refit_index_answers_from_its_new_terms() -> None:
    index = TfidfIndex(Analyzer()).fit(TEXTS)
    assert index.search("jog", k=1) != [(0, 1.0)]
    index.fit(["a jog", "acid rain", "lactic acid"])
    assert index.search("jog", k=1) == [(0, 1.0)]


def test_document_frequencies_equal_one_term_at_a_time() -> None:
    analyzer = Analyzer([["run", "running", "jog"]])
    added = ["Running kills gains, or so they say.", "A brand new word: zyzzyva."]
    terms = ["recoveri", "run", "zyzzyva", "gain", "absent", "recoveri", ""]
    for index in (TfidfIndex(analyzer).fit(TEXTS), live_index(TEXTS, added, analyzer)):
        assert index.document_frequencies(terms) == [index.document_frequency(t) for t in terms]
        assert index.document_frequencies([]) == []


def test_word_terms_equal_the_analyzer_word_by_word() -> None:
    analyzer = Analyzer([["hypertrophy", "gains"], ["run", "running", "jog"], ["leg day"]])
    plain = ["gains", "running", "jogs", "the", "legs", "leg", "day", "hypertrophies", "zyzzyva"]
    assert analyzer.word_terms(plain) == [analyzer(w) for w in plain]
    mixed = [*plain, "café", "Running", "it's", "x2", "über", ""]
    assert analyzer.word_terms(mixed) == [analyzer(w) for w in mixed]
    assert analyzer.word_terms([]) == []


def test_speller_corrects_the_first_unknown_words_of_a_text_only() -> None:
    counts = {"running": 9, "gains": 4}
    speller = Speller(lambda ws: [counts.get(w, 0) for w in ws])
    junk = [f"qqqq{c}" for c in "abcdefgh"]  # eight unknown words with no correction
    assert speller.correct("runing gainz") == "running gains"
    # The same word past the eighth unknown one is left as it is, remembered or not.
    assert speller.correct(" ".join([*junk, "runing"])) == " ".join([*junk, "runing"])
    assert speller.correct(" ".join([*junk[:7], "runing"])) == " ".join([*junk[:7], "running"])
    # Known words and short words do not count.
    assert speller.correct(" ".join(["gains", "run", *junk[:7], "runing"])).endswith("running")


@pytest.mark.parametrize("sublinear", [True, False])
def test_fit_counts_weights_equal_scikit_learn_to_the_last_bit(sublinear: bool) -> None:
    # idf and every stored weight are scikit-learn's TfidfTransformer's, bit for bit (float32),
    # on short and long rows, an empty row and one column.
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(7)
    for n, m, density in [(1, 1, 1.0), (40, 7, 0.5), (300, 400, 0.3), (2000, 60, 0.05)]:
        counts = (rng.random((n, m)) < density) * rng.zipf(1.6, (n, m)).clip(max=40)
        counts[:, counts.sum(axis=0) == 0] = 1  # every column occurs
        counts[n // 2] = 0  # a passage with no term
        if not counts.any(axis=0).all():
            counts[0] = 1
        matrix = csr_matrix(counts.astype(np.int32))
        index = TfidfIndex(Analyzer(), sublinear_tf=sublinear).fit_counts(
            matrix.indptr.astype(np.int64), matrix.indices, matrix.data, np.arange(m)
        )
        transformer = TfidfTransformer(sublinear_tf=sublinear, norm="l2", smooth_idf=True)
        expected = transformer.fit_transform(matrix.astype(np.float64)).tocsc()
        expected.sort_indices()
        assert np.array_equal(index.idf_, transformer.idf_)
        assert np.array_equal(index.indptr_, expected.indptr)
        assert np.array_equal(index.indices_, expected.indices)
        assert index.data_.dtype == np.float32
        assert np.array_equal(index.data_, expected.data.astype(np.float32))


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # each example sets both
)
@given(seed=st.integers(0, 2**32 - 1), share=st.integers(1, 9))
def test_impact_order_keeps_each_terms_heaviest_postings_by_weight_then_passage(
    seed: int, share: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`impact_order` sorts only the postings that can be among a term's best; the result is
    the first share of a full sort by (weight descending, passage), ties included."""
    import lrkb.index as index_mod

    monkeypatch.setattr(index_mod, "IMPACT_MIN_DF", 3)
    monkeypatch.setattr(index_mod, "IMPACT_SHARE", share)
    rng = np.random.default_rng(seed)
    df = rng.integers(0, 40, size=12)
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    indices = np.concatenate([np.sort(rng.choice(60, d, replace=False)) for d in df])
    # few distinct weights, so many postings tie at the cut
    data = rng.choice(np.array([0.1, 0.25, 0.5, 1.0], np.float32), len(indices))
    got = index_mod.impact_order(indptr, indices.astype(np.int32), data)
    terms = [t for t in range(len(df)) if df[t] >= 3]
    assert got["imp_terms"].tolist() == terms
    for r, t in enumerate(terms):
        a, b = indptr[t], indptr[t + 1]
        order = np.lexsort((indices[a:b], -data[a:b]))[: -(-df[t] // share)]
        run = slice(got["imp_ptr"][r], got["imp_ptr"][r + 1])
        assert got["imp_docs"][run].tolist() == indices[a:b][order].tolist()
        assert got["imp_data"][run].tolist() == data[a:b][order].tolist()
