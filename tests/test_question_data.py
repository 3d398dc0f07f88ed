"""The real-question sets (corpus/eval/real_questions.toml and real_questions_holdout.toml): real
people's questions, judged against the bundled corpus, sharing no question or page."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import tomllib

import lrkb
from lrkb.corpus import bundled_corpus
from lrkb.evaluation import _norm, load_judgments

EVAL = bundled_corpus() / "eval"

# name: (file, at least this many answered questions, at least this many that abstain)
# fmt: off
SETS = {
    "tuned":   ("real_questions.toml", 45, 5),
    "holdout": ("real_questions_holdout.toml", 25, 3),
}
# fmt: on


def path_of(name: str) -> Path:
    return EVAL / SETS[name][0]


@cache
def load(name: str) -> list[dict[str, Any]]:
    with path_of(name).open("rb") as f:
        return list(tomllib.load(f)["question"])


@pytest.fixture(scope="module", params=list(SETS), ids=list(SETS))
def question_set(request: pytest.FixtureRequest) -> str:
    return request.param


def test_the_evaluation_loader_reads_it(question_set: str) -> None:
    judged = load_judgments(path_of(question_set))
    assert judged.questions and all(q.kind == "real" for q in judged.questions)


def test_every_question_has_a_source_and_relevant_quotes_or_abstains(question_set: str) -> None:
    questions = load(question_set)
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


def test_the_set_is_big_enough(question_set: str) -> None:
    _, answered, abstaining = SETS[question_set]
    questions = load(question_set)
    assert sum(not q.get("abstain") for q in questions) >= answered
    assert sum(bool(q.get("abstain")) for q in questions) >= abstaining


def test_every_quote_matches_exactly_one_passage(
    question_set: str, real_kb: lrkb.KnowledgeBase
) -> None:
    texts = [_norm(p.text) for p in real_kb.passages]
    for q in load(question_set):
        for r in q.get("relevant", []):
            quote = _norm(r["quote"])
            matches = sum(quote in t for t in texts)
            assert matches == 1, f"{r['quote']!r} matches {matches} passages ({q['text']})"


def test_the_held_out_set_shares_no_question_or_page_with_the_tuned_set() -> None:
    tuned = load("tuned")
    tuned_texts = {_norm(q["text"]) for q in tuned}
    tuned_urls = {q["url"].rstrip("/") for q in tuned}
    for q in load("holdout"):
        assert _norm(q["text"]) not in tuned_texts, q["text"]
        assert q["url"].rstrip("/") not in tuned_urls, q["url"]
