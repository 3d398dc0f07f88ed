"""corpus/eval/real_questions.toml: real people's questions, judged against the bundled corpus."""

from __future__ import annotations

from typing import Any

import pytest
import tomllib

import lrkb
from lrkb.corpus import bundled_corpus
from lrkb.evaluation import _norm, load_judgments

PATH = bundled_corpus() / "eval" / "real_questions.toml"


@pytest.fixture(scope="module")
def questions() -> list[dict[str, Any]]:
    with PATH.open("rb") as f:
        return list(tomllib.load(f)["question"])


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


def test_the_set_is_big_enough(
    questions: list[dict[str, Any]],
) -> None:
    answered = [q for q in questions if not q.get("abstain")]
    assert len(answered) >= 45
    assert sum(bool(q.get("abstain")) for q in questions) >= 5


def test_every_quote_matches_exactly_one_passage(
    questions: list[dict[str, Any]], real_kb: lrkb.KnowledgeBase
) -> None:
    texts = [_norm(p.text) for p in real_kb.passages]
    for q in questions:
        for r in q.get("relevant", []):
            quote = _norm(r["quote"])
            matches = sum(quote in t for t in texts)
            assert matches == 1, f"{r['quote']!r} matches {matches} passages ({q['text']})"
