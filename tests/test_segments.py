"""Segments: `add` writes a small segment beside the index; reads see one corpus; a build or
`optimize` folds it in. Every state must answer exactly as a fresh build of the same files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.feature_extraction.text import TfidfVectorizer

import lrkb
from lrkb.build import passage_document
from lrkb.cli import cli
from lrkb.index import LiveIndex
from lrkb.store import SEGMENT_FILE

from .conftest import REAL

QUERIES = [
    "does running kill gains",
    "can I sprint the day after heavy squats",
    "protein and sleep for recovery",
    "lactic acid",
    "rowing machine knees",
    "interference effect AMPK mTOR",
]
ARTICLES = {
    "rowing": "# Rowing After Legs\n\nRowing machines are easy on the knees, and a light row "
    "after leg day helps recovery.\n\n## Caution\n\nSkip hard intervals while your legs are sore.\n",
    "sleep": "# Sleep and Gains\n\nSleep is when muscle protein synthesis does its work; running "
    "does not kill gains if you sleep eight hours.\n",
    "sprints": "# Sprints\n\nSprint the day after heavy squats only if your legs feel fresh; "
    "otherwise wait 48 hours.\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(REAL, target, ignore=shutil.ignore_patterns(".lrkb"))
    return target


def add_articles(kb: lrkb.KnowledgeBase, tmp_path: Path, names: list[str]) -> None:
    for name in names:
        path = tmp_path / f"{name}.md"
        path.write_text(ARTICLES[name])
        kb.add(path, source_id=name)


def fresh(corpus: Path, tmp_path: Path) -> lrkb.KnowledgeBase:
    """The same corpus built from scratch in a cache of its own."""
    return lrkb.KnowledgeBase(corpus, cache_dir=tmp_path / "fresh-cache")


def assert_same_answers(kb: lrkb.KnowledgeBase, other: lrkb.KnowledgeBase) -> None:
    for query in QUERIES:
        ours = {h.id: h.score for h in kb.search(query, k=8)}
        theirs = {h.id: h.score for h in other.search(query, k=8)}
        assert ours.keys() == theirs.keys(), query
        for pid in ours:
            assert ours[pid] == pytest.approx(theirs[pid], abs=1e-4)
        assert [h.id for h in kb.ask(query).hits] == [h.id for h in other.ask(query).hits]
    assert sorted(c.id for c in kb.claims) == sorted(c.id for c in other.claims)
    assert sorted((c.a.id, c.b.id) for c in kb.conflicts()) == sorted(
        (c.a.id, c.b.id) for c in other.conflicts()
    )
    assert {s.id: s.passages for s in kb.sources} == {s.id: s.passages for s in other.sources}


def test_add_writes_a_segment_and_leaves_the_index_file_alone(corpus: Path, tmp_path: Path) -> None:
    kb = lrkb.open(corpus)
    kb.search("water")
    index = corpus / ".lrkb" / "index.pack"
    before = index.stat().st_mtime_ns, index.stat().st_ino
    add_articles(kb, tmp_path, ["rowing", "sleep", "sprints"])
    assert (index.stat().st_mtime_ns, index.stat().st_ino) == before
    assert (corpus / ".lrkb" / SEGMENT_FILE).exists()
    assert isinstance(kb._index, LiveIndex)
    assert kb.search("rowing machine")[0].source == "rowing"
    # Another process opening the corpus reads base and segment as one, without a build.
    reader = lrkb.open(corpus)
    assert isinstance(reader._index, LiveIndex)
    assert_same_answers(reader, fresh(corpus, tmp_path))


def test_segmented_index_weights_equal_scikit_learn_on_the_whole_corpus(
    corpus: Path, tmp_path: Path
) -> None:
    kb = lrkb.open(corpus)
    kb.search("water")
    add_articles(kb, tmp_path, ["rowing", "sleep"])
    index = kb._index
    assert isinstance(index, LiveIndex)
    vectorizer = TfidfVectorizer(
        analyzer=index.analyzer, sublinear_tf=True, norm="l2", smooth_idf=True
    )
    matrix = vectorizer.fit_transform([passage_document(p) for p in kb.passages])
    for query in QUERIES:
        expected = (matrix @ vectorizer.transform([query]).T).toarray()[:, 0]
        np.testing.assert_allclose(index.scores(query), expected, rtol=1e-5, atol=1e-6)


def test_optimize_folds_the_segment_and_answers_the_same(corpus: Path, tmp_path: Path) -> None:
    kb = lrkb.open(corpus)
    kb.search("water")
    add_articles(kb, tmp_path, ["rowing", "sleep", "sprints"])
    before = {q: [(h.id, h.score) for h in kb.search(q)] for q in QUERIES}
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), "optimize", "--json"])
    assert result.exit_code == 0, result.output
    assert '"folded": 3' in result.output
    assert not (corpus / ".lrkb" / SEGMENT_FILE).exists()
    reopened = lrkb.open(corpus)
    assert not isinstance(reopened._index, LiveIndex)
    after = {q: [(h.id, h.score) for h in reopened.search(q)] for q in QUERIES}
    for q in QUERIES:
        assert [i for i, _ in after[q]] == [i for i, _ in before[q]], q
        np.testing.assert_allclose([s for _, s in after[q]], [s for _, s in before[q]], atol=1e-4)
    assert_same_answers(reopened, fresh(corpus, tmp_path))


def test_a_manual_deletion_after_an_add_is_noticed(corpus: Path, tmp_path: Path) -> None:
    kb = lrkb.open(corpus)
    kb.search("water")
    add_articles(kb, tmp_path, ["rowing", "sleep"])
    (corpus / "rowing.md").unlink()
    (corpus / "sleep.md").write_text((corpus / "sleep.md").read_text().replace("eight", "nine"))
    reopened = lrkb.open(corpus)
    assert "rowing" not in {s.id for s in reopened.sources}
    assert "nine hours" in reopened.search("sleep hours")[0].text
    assert_same_answers(reopened, fresh(corpus, tmp_path))


def test_replacing_through_apply_rebuilds_and_restores_files_on_failure(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = lrkb.open(corpus)
    kb.search("water")
    add_articles(kb, tmp_path, ["rowing"])
    original = (corpus / "rowing.md").read_text()
    kb._apply([("rowing", original.replace("knees", "elbows"))], remove=["rowing"])
    assert "elbows" in kb.search("rowing machine elbows")[0].text
    assert_same_answers(kb, fresh(corpus, tmp_path))

    import lrkb.build as build_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("build failed")

    monkeypatch.setattr(build_module, "add_segment", broken)
    text = (corpus / "rowing.md").read_text()
    with pytest.raises(RuntimeError, match="build failed"):
        kb._apply([("sprints", ARTICLES["sprints"])], remove=[])
    assert not (corpus / "sprints.md").exists()
    assert (corpus / "rowing.md").read_text() == text


def test_removal_and_a_grown_segment_fold_into_a_new_base(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = lrkb.open(corpus)
    kb.search("water")
    add_articles(kb, tmp_path, ["rowing", "sleep"])
    kb._apply([], remove=["rowing"])
    assert not (corpus / "rowing.md").exists()
    assert not (corpus / ".lrkb" / SEGMENT_FILE).exists()  # folded by the build
    assert "rowing" not in {s.id for s in kb.sources}
    assert_same_answers(kb, fresh(corpus, tmp_path))

    import lrkb.build as build_module

    monkeypatch.setattr(build_module, "FOLD_MIN", 0)  # any segment is past the limit
    monkeypatch.setattr(build_module, "FOLD_SHARE", 10**9)
    add_articles(kb, tmp_path, ["sprints"])
    assert not (corpus / ".lrkb" / SEGMENT_FILE).exists()
    assert not isinstance(kb._index, LiveIndex)
    assert kb.search("sprint squats fresh")[0].source == "sprints"


def test_a_damaged_segment_is_noticed_and_rebuilt(corpus: Path, tmp_path: Path) -> None:
    kb = lrkb.open(corpus)
    kb.search("water")
    add_articles(kb, tmp_path, ["rowing"])
    expected = [(h.id, h.score) for h in kb.search("rowing machine knees")]
    segment = corpus / ".lrkb" / SEGMENT_FILE
    raw = bytearray(segment.read_bytes())
    raw[-3] ^= 0xFF
    segment.write_bytes(bytes(raw))
    told: list[str] = []
    reopened = lrkb.KnowledgeBase(corpus, notify=told.append)
    assert [(h.id, h.score) for h in reopened.search("rowing machine knees")] == expected
    assert any("segment is damaged" in m for m in told)
    assert not segment.exists()  # the build folded the article into a new base


def _damage(pack: Path, array: str) -> None:
    """Flip a byte inside one array of a pack."""
    raw = bytearray(pack.read_bytes())
    header_len = int.from_bytes(raw[8:16], "little")
    entry = json.loads(raw[16 : 16 + header_len])["arrays"][array]
    data_start = -(-(16 + header_len) // 64) * 64
    raw[data_start + entry["offset"] + entry["nbytes"] // 2] ^= 0xFF
    pack.write_bytes(bytes(raw))


@pytest.mark.parametrize("array", ["data", "indices", "p_text_blob"])
def test_an_add_to_a_damaged_base_is_noticed_and_rebuilt(
    corpus: Path, tmp_path: Path, array: str
) -> None:
    """An add checks the base's arrays it reads (`data`, `indices`) as it reads them; the others
    (`p_text_blob`) are checked by the next open. Either way the answers are a fresh build's."""
    lrkb.open(corpus).search("water")
    _damage(corpus / ".lrkb" / "index.pack", array)
    told: list[str] = []
    kb = lrkb.KnowledgeBase(corpus, notify=told.append)
    add_articles(kb, tmp_path, ["rowing"])
    assert any(f"checksum mismatch in '{array}'" in m for m in told) == (array != "p_text_blob")
    reopened = lrkb.KnowledgeBase(corpus, notify=told.append)
    assert_same_answers(reopened, fresh(corpus, tmp_path))
    assert any(f"checksum mismatch in '{array}'" in m and "rebuilding" in m for m in told)
