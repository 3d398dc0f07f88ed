"""The library API and index persistence, on the fixture corpus and the real corpus."""

import dataclasses
import os
from pathlib import Path

import pytest

import lrkb
from lrkb.errors import InputError, NotFoundError
from lrkb.models import Answer, Hit, Passage, Source

from .conftest import write_article


def test_open_search_and_ask_return_typed_frozen_results(tiny_kb: lrkb.KnowledgeBase) -> None:
    hits = tiny_kb.search("lactic acid", k=3)
    assert [type(h) for h in hits] == [Hit]
    assert hits[0].source == "jog-helps"
    assert hits[0].section == "Why jog"
    with pytest.raises(dataclasses.FrozenInstanceError):
        hits[0].score = 1.0  # type: ignore[misc]
    answer = tiny_kb.ask("does jogging blunt hypertrophy?")
    assert isinstance(answer, Answer) and not answer.abstained
    assert {h.source for h in answer.hits} == {"jog-helps", "jog-hurts"}


def test_hits_are_whole_hits(tiny_kb: lrkb.KnowledgeBase) -> None:
    # `_hits` fills each Hit's fields directly: a field added to Hit must be filled there too.
    for hit in tiny_kb.search("jog", k=4):
        values = {f.name: getattr(hit, f.name) for f in dataclasses.fields(Hit)}
        assert vars(hit) == values
        made = Hit(**values)
        assert made == hit and hash(made) == hash(hit) and repr(made) == repr(hit)
        passage = tiny_kb.passage(hit.id)
        assert (hit.source, hit.text, hit.start, hit.end) == (
            passage.source,
            passage.text,
            passage.start,
            passage.end,
        )


def test_hit_text_is_the_cited_span(tiny_corpus: Path, tiny_kb: lrkb.KnowledgeBase) -> None:
    hit = tiny_kb.search("AMPK", k=1)[0]
    text = (tiny_corpus / f"{hit.source}.md").read_text(encoding="utf-8")
    assert " ".join(text[hit.start : hit.end].split()) == hit.text


def test_sources_and_passages(tiny_kb: lrkb.KnowledgeBase, tiny_corpus: Path) -> None:
    assert [s.id for s in tiny_kb.sources] == ["jog-helps", "jog-hurts"]
    assert tiny_kb.sources[0] == Source(
        "jog-helps", "Jogging Helps Recovery", None, str(tiny_corpus / "jog-helps.md"), None, 2
    )
    assert all(isinstance(p, Passage) for p in tiny_kb.passages)
    assert len(tiny_kb.passages) == 4


def test_index_is_persisted_and_reused(tiny_corpus: Path) -> None:
    lrkb.open(tiny_corpus).search("water")
    pack = tiny_corpus / ".lrkb" / "index.pack"
    first = pack.stat().st_mtime_ns
    lrkb.open(tiny_corpus).search("water")
    assert pack.stat().st_mtime_ns == first


def test_index_is_rebuilt_when_an_article_changes(tiny_corpus: Path) -> None:
    assert lrkb.open(tiny_corpus).search("zucchini") == []
    article = tiny_corpus / "jog-helps.md"
    article.write_text(article.read_text() + "\nZucchini is not a recovery food.\n")
    os.utime(article, ns=(1, 1))  # a different mtime even on coarse clocks
    assert lrkb.open(tiny_corpus).search("zucchini")[0].source == "jog-helps"


def test_out_of_domain_questions_abstain(real_kb: lrkb.KnowledgeBase) -> None:
    for question in (
        "how do I renew my passport",
        "best pizza dough recipe",
        "what is the capital of France",
    ):
        assert real_kb.ask(question).hits == (), question


def test_real_question_gets_passages_from_several_sources(real_kb: lrkb.KnowledgeBase) -> None:
    answer = real_kb.ask("does running kill gains", k=5)
    assert len({h.source for h in answer.hits}) >= 2
    top = answer.hits[0].text.lower()
    # The top passage answers it: running can hinder or compromise gains.
    assert "hinder" in top or "compromise" in top
    assert answer.verdict is not None
    assert answer.verdict.issue.id == "running-muscle-size"


def test_neighbours_and_unknown_ids(real_kb: lrkb.KnowledgeBase) -> None:
    first = real_kb.passages[1]
    around = real_kb.neighbours(first.id, 1)
    assert [p.id for p in around] == [p.id for p in real_kb.passages[0:3]]
    with pytest.raises(NotFoundError, match="no passage with id 'nope'"):
        real_kb.passage("nope")


def test_bad_queries_are_input_errors(tiny_kb: lrkb.KnowledgeBase) -> None:
    with pytest.raises(InputError, match="empty"):
        tiny_kb.search("   \t ")
    with pytest.raises(InputError, match="too long"):
        tiny_kb.ask("x" * 1_000_000)
    with pytest.raises(InputError, match="k must be between"):
        tiny_kb.search("water", k=0)


def test_add_markdown_and_text(tiny_corpus: Path, tmp_path: Path) -> None:
    kb = lrkb.open(tiny_corpus)
    txt = tmp_path / "new.txt"
    txt.write_text(
        "Walking After Leg Day\n\nWalking is gentle.\n\nWhy Walk\n\nIt helps recovery a lot.\n"
    )
    added = kb.add(txt)
    assert added.source.id == "walking-after-leg-day"
    assert added.path.read_text().startswith("---\nid: walking-after-leg-day\n")
    assert kb.search("gentle walking")[0].source == "walking-after-leg-day"
    md = tmp_path / "other.md"
    md.write_text("# Swimming\n\nSwimming is low impact.\n")
    assert kb.add(md, url="https://example.org/swim").source.url == "https://example.org/swim"
    with pytest.raises(InputError, match="exists already"):
        kb.add(md)


def test_new_article_in_corpus_dir_is_picked_up(tiny_corpus: Path) -> None:
    kb = lrkb.open(tiny_corpus)
    assert kb.search("rowing") == []
    write_article(tiny_corpus, "rowing", "Rowing", "Rowing machines are easy on the knees.")
    assert lrkb.open(tiny_corpus).search("rowing")[0].source == "rowing"


def test_index_built_from_cached_parts_equals_scikit_learn(real_kb: lrkb.KnowledgeBase) -> None:
    # The real index is assembled from per-article parts; it must equal one TfidfVectorizer
    # fitted on every passage at once.
    from lrkb.build import passage_document

    from .test_index import assert_same_vectors

    texts = [passage_document(p) for p in real_kb.passages]
    queries = [
        "does running kill gains",
        "interference effect AMPK",
        "lactic acid jog",
        "how soon can I sprint after squats",
        "protein",
    ]
    assert_same_vectors(real_kb._index, texts, queries)


def test_adding_an_article_reuses_the_other_articles_parts(tiny_corpus: Path) -> None:
    kb = lrkb.open(tiny_corpus)
    kb.search("water")
    parts = tiny_corpus / ".lrkb" / "sources"
    before = {p.name: p.stat().st_mtime_ns for p in parts.glob("*.pack")}
    assert set(before) == {"jog-helps.pack", "jog-hurts.pack"}
    write_article(tiny_corpus, "rowing", "Rowing", "Rowing machines are easy on the knees.")
    lrkb.open(tiny_corpus).search("rowing")
    after = {p.name: p.stat().st_mtime_ns for p in parts.glob("*.pack")}
    assert {k: after[k] for k in before} == before  # untouched: not parsed or tagged again
    assert "rowing.pack" in after
    (tiny_corpus / "rowing.md").unlink()
    lrkb.open(tiny_corpus).search("water")
    assert not (parts / "rowing.pack").exists()


def test_after_add_spelling_correction_knows_the_new_words(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    kb = lrkb.open(tiny_corpus)
    assert kb.search("zuchini") == []  # warms every cached part of the old index
    article = tmp_path / "z.md"
    article.write_text("# Zucchini\n\nZucchini is a fine recovery vegetable.\n")
    kb.add(article)
    assert kb.search("zuchini")[0].source == "zucchini"


def test_a_change_of_build_code_rebuilds_the_index(
    tiny_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An upgraded lrkb must not answer from an index the old code built.
    import lrkb.cache as cache_module

    lrkb.open(tiny_corpus).search("water")
    pack = tiny_corpus / ".lrkb" / "index.pack"
    before = pack.stat().st_mtime_ns
    lrkb.open(tiny_corpus).search("water")
    assert pack.stat().st_mtime_ns == before
    monkeypatch.setattr(cache_module, "code_digest", lambda: "another version")
    lrkb.open(tiny_corpus).search("water")
    assert pack.stat().st_mtime_ns != before
