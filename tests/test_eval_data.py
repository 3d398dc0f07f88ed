"""The development set (corpus/eval/claims_dev.toml) parses and keeps its own schema.

Labels are people's judgments and cannot be checked by code; what can be checked is that every
label is one the annotation guide (docs/claim-model.md) allows, every quote is where it says it is,
and every pair points at claims that exist.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import tomllib

from lrkb.corpus import bundled_corpus

DEV = bundled_corpus() / "eval" / "claims_dev.toml"

PAGE_KINDS = {"blog", "forum", "science-news", "review", "coaching", "abstract"}
OUTCOMES = {
    "soreness", "recovery", "muscle size", "strength", "power", "endurance", "fat loss", "injury",
    "performance", "none",
}  # fmt: skip
DIRECTIONS = {"improves", "worsens", "causes", "does not cause", "no effect"}
ATTRIBUTIONS = {"asserted", "reported"}
SCOPE_KEYS = {"intensity", "timing", "modality", "goal", "population"}
PAIR_KINDS = {"direct", "scope"}
SELECTORS = ("agent", "outcome", "direction")  # pick one frame among claims sharing a sentence
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def squash(text: str) -> str:
    """Quotes normalise nothing but whitespace."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def dev() -> dict:
    with DEV.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    return {
        path.stem: squash(path.read_text(encoding="utf-8"))
        for path in bundled_corpus().glob("*.md")
    }


def test_pages_have_unique_slugs_urls_and_known_kinds(dev: dict) -> None:
    pages = dev["page"]
    ids = [page["id"] for page in pages]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert len({page["url"] for page in pages}) == len(pages)
    for page in pages:
        assert set(page) == {"id", "url", "title", "kind"}, page["id"]
        assert SLUG.fullmatch(page["id"]), page["id"]
        assert page["url"].startswith(("https://", "http://")), page["id"]
        assert page["title"].strip(), page["id"]
        assert page["kind"] in PAGE_KINDS, page["id"]
    assert set(ids) == {claim["page"] for claim in dev["claim"]}, "a page without claims"


def test_claims_are_located_and_labelled_from_the_guide(dev: dict) -> None:
    pages = {page["id"] for page in dev["page"]}
    allowed = {
        "page",
        "text",
        "claim",
        "agent",
        "outcome",
        "direction",
        "attribution",
        "scope",
        "note",
    }
    for claim in dev["claim"]:
        where = f"{claim['page']}: {claim['text'][:60]}"
        assert set(claim) <= allowed, where
        assert claim["page"] in pages, where
        assert claim["text"] == squash(claim["text"]), f"stray whitespace in {where}"
        assert claim.get("claim", claim["text"]) in claim["text"], where
        assert claim["agent"].strip(), where
        assert claim["outcome"] in OUTCOMES, where
        assert claim["direction"] in DIRECTIONS, where
        assert claim["attribution"] in ATTRIBUTIONS, where
        assert set(claim.get("scope", {})) <= SCOPE_KEYS, where
        # A quote is one or two sentences, never a passage.
        assert len(claim["text"]) <= 600, where


def test_claims_sharing_a_sentence_are_distinct_frames(dev: dict) -> None:
    frames = Counter(
        (c["page"], c["text"], c["agent"], c["outcome"], c["direction"]) for c in dev["claim"]
    )
    assert [frame for frame, n in frames.items() if n > 1] == []


def _matches(side: dict, claims: list[dict]) -> list[dict]:
    """The claims a pair side judges: the one whose text or judged sentence is the quote, else the
    ones the quote contains or is part of; agent/outcome/direction on the side pick among the
    frames of one sentence."""
    quote = squash(side["quote"])
    same_page = [c for c in claims if c["page"] == side["page"]]
    found = [c for c in same_page if quote in (c["text"], c.get("claim"))] or [
        c for c in same_page if c["text"] in quote or quote in c["text"]
    ]
    return [c for c in found if all(c[key] == side[key] for key in SELECTORS if key in side)]


def test_pair_sides_point_at_claims_or_corpus_sentences(
    dev: dict, corpus_texts: dict[str, str]
) -> None:
    pages = {page["id"] for page in dev["page"]}
    assert not pages & set(corpus_texts), "a dev page id shadows a corpus source id"
    for pair in dev["pair"]:
        assert set(pair) <= {"a", "b", "conflict", "kind", "note"}
        assert isinstance(pair["conflict"], bool)
        if pair["conflict"]:
            assert pair["kind"] in PAIR_KINDS, pair
        else:
            assert "kind" not in pair, pair
        assert pair["a"] != pair["b"]
        for side in (pair["a"], pair["b"]):
            assert set(side) <= {"page", "quote", *SELECTORS}, side
            if side["page"] in corpus_texts:
                assert squash(side["quote"]) in corpus_texts[side["page"]], side
                continue
            assert side["page"] in pages, side
            matched = _matches(side, dev["claim"])
            # Exactly one frame, so the pair says which claim it judges.
            assert len(matched) == 1, (side, len(matched))


def test_each_pair_is_judged_once(dev: dict) -> None:
    def key(side: dict) -> tuple:
        return (side["page"], squash(side["quote"]), *(side.get(k) for k in SELECTORS))

    seen = Counter(frozenset((key(pair["a"]), key(pair["b"]))) for pair in dev["pair"])
    assert [pair for pair, n in seen.items() if n > 1] == []


def test_conflicting_pairs_are_between_asserted_claims(dev: dict) -> None:
    # The guide: a claim and its rebuttal never conflict; a conflict needs two asserted claims.
    for pair in dev["pair"]:
        for side in (pair["a"], pair["b"]):
            matched = _matches(side, dev["claim"])
            if pair["conflict"] and matched:
                assert matched[0]["attribution"] == "asserted", (side, pair["note"])


def test_the_set_is_big_and_balanced_enough_to_measure(dev: dict) -> None:
    pairs = dev["pair"]
    conflicts = sum(pair["conflict"] for pair in pairs)
    assert len(dev["page"]) >= 5 and len(dev["claim"]) >= 25 and len(pairs) >= 15
    assert 0.3 <= conflicts / len(pairs) <= 0.7
    assert {claim["attribution"] for claim in dev["claim"]} == ATTRIBUTIONS
    assert any(
        side["page"] not in {p["id"] for p in dev["page"]}
        for pair in pairs
        for side in (pair["a"], pair["b"])
    )
