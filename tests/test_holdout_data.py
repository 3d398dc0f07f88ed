"""corpus/eval/real_questions_holdout.toml: held-out real questions, judged against the corpus."""

from __future__ import annotations

from typing import Any

import pytest
import tomllib

import lrkb
from lrkb.corpus import bundled_corpus
from lrkb.evaluation import _norm, load_judgments

PATH = bundled_corpus() / "eval" / "real_questions_holdout.toml"
TUNED = bundled_corpus() / "eval" / "real_questions.toml"


def _questions(path: Any) -> list[dict[str, Any]]:
    with path.open("rb") as f:
        return list(tomllib.load(f)["question"])


@pytest.fixture(scope="module")
def questions() -> list[dict[str, Any]]:
    return _questions(PATH)


def test_the_evaluation_loader_reads_it() -> None:
    judged = load_judgments(PATH)
    assert judged.questions and all(q.kind == "real" for q in judged.questions)


def test_every_question_has_a_source_and_relevant_quotes_or_abstains(
    questions: list[dict[str, Any]],
) -> None:
    texts = [q["text"] for q in questions]
    assert len(set(texts)) == len(texts), "a question is listed twice"
    for q in questions:
        assert q["kind"] == "real", q["text"]
        assert q["url"].startswith(("https://", "http://")), q["text"]
        relevant = q.get("relevant", [])
        assert bool(relevant) != bool(q.get("abstain")), f"relevant xor abstain: {q['text']}"
        quotes = [r["quote"] for r in relevant]
        assert len(set(quotes)) == len(quotes), f"a quote repeats: {q['text']}"
        assert all(r["grade"] in (1, 2) for r in relevant), q["text"]
        assert all(len(quote) <= 100 for quote in quotes), q["text"]


def test_the_set_is_big_enough(questions: list[dict[str, Any]]) -> None:
    assert sum(not q.get("abstain") for q in questions) >= 25
    assert sum(bool(q.get("abstain")) for q in questions) >= 3


def test_it_shares_no_question_or_page_with_the_tuned_set(
    questions: list[dict[str, Any]],
) -> None:
    tuned = _questions(TUNED)
    tuned_texts = {_norm(q["text"]) for q in tuned}
    tuned_urls = {q["url"].rstrip("/") for q in tuned}
    for q in questions:
        assert _norm(q["text"]) not in tuned_texts, q["text"]
        assert q["url"].rstrip("/") not in tuned_urls, q["url"]


def test_every_quote_matches_exactly_one_passage(
    questions: list[dict[str, Any]], real_kb: lrkb.KnowledgeBase
) -> None:
    texts = [_norm(p.text) for p in real_kb.passages]
    for q in questions:
        for r in q.get("relevant", []):
            quote = _norm(r["quote"])
            matches = sum(quote in t for t in texts)
            assert matches == 1, f"{r['quote']!r} matches {matches} passages ({q['text']})"
