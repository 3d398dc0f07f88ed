"""The held-out set (corpus/eval/claims_holdout.toml) parses and keeps the development set's schema.

Labels are people's judgments and cannot be checked by code; what can be checked is that every
label is one the annotation guide (docs/claim-model.md) allows, every quote is where it says it is,
every pair points at claims that exist, and the set shares no page with the development set, so
tuning on one says nothing about the other.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
import tomllib

from lrkb.corpus import bundled_corpus

HOLDOUT = bundled_corpus() / "eval" / "claims_holdout.toml"
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


def page_address(url: str) -> str:
    """A page's address without scheme, 'www.' or trailing slash, so one page has one address."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


@pytest.fixture(scope="module")
def held() -> dict:
    with HOLDOUT.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    return {
        path.stem: squash(path.read_text(encoding="utf-8"))
        for path in bundled_corpus().glob("*.md")
    }


def test_the_header_says_it_is_held_out() -> None:
    header = HOLDOUT.read_text(encoding="utf-8").split("[[page]]", 1)[0]
    assert "HELD OUT" in header and "claims_dev.toml" in header


def test_pages_have_unique_slugs_urls_and_known_kinds(held: dict) -> None:
    pages = held["page"]
    ids = [page["id"] for page in pages]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    addresses = [page_address(page["url"]) for page in pages]
    assert len(addresses) == len(set(addresses)), [
        a for a, n in Counter(addresses).items() if n > 1
    ]
    for page in pages:
        assert set(page) == {"id", "url", "title", "kind"}, page["id"]
        assert SLUG.fullmatch(page["id"]), page["id"]
        assert page["url"].startswith(("https://", "http://")), page["id"]
        assert page["title"].strip(), page["id"]
        assert page["kind"] in PAGE_KINDS, page["id"]
    assert set(ids) == {claim["page"] for claim in held["claim"]}, "a page without claims"


def test_no_page_or_quote_is_shared_with_the_development_set(held: dict) -> None:
    # The development set lives on another branch until the lead merges; once both are in
    # corpus/eval/, nothing the tagger was tuned on may reappear here.
    if not DEV.exists():
        dev: dict = {"page": [], "claim": []}
    else:
        with DEV.open("rb") as handle:
            dev = tomllib.load(handle)
    dev_addresses = {page_address(page["url"]) for page in dev["page"]}
    dev_ids = {page["id"] for page in dev["page"]}
    dev_texts = {squash(claim["text"]) for claim in dev["claim"]}
    for page in held["page"]:
        assert page_address(page["url"]) not in dev_addresses, page["id"]
        assert page["id"] not in dev_ids, page["id"]
    for claim in held["claim"]:
        assert squash(claim["text"]) not in dev_texts, claim["text"][:60]


def test_claims_are_located_and_labelled_from_the_guide(held: dict) -> None:
    pages = {page["id"] for page in held["page"]}
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
    for claim in held["claim"]:
        where = f"{claim['page']}: {claim['text'][:60]}"
        assert set(claim) <= allowed, where
        assert claim["page"] in pages, where
        assert claim["text"] == squash(claim["text"]), f"stray whitespace in {where}"
        assert claim.get("claim", claim["text"]) in claim["text"], where
        assert claim.get("claim") != claim["text"], f"claim repeats the whole text in {where}"
        assert claim["agent"].strip(), where
        assert claim["outcome"] in OUTCOMES, where
        assert claim["direction"] in DIRECTIONS, where
        assert claim["attribution"] in ATTRIBUTIONS, where
        assert set(claim.get("scope", {})) <= SCOPE_KEYS, where
        # A quote is one or two sentences, never a passage.
        assert len(claim["text"]) <= 600, where


def test_claims_sharing_a_sentence_are_distinct_frames(held: dict) -> None:
    frames = Counter(
        (c["page"], c["text"], c["agent"], c["outcome"], c["direction"]) for c in held["claim"]
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
    held: dict, corpus_texts: dict[str, str]
) -> None:
    pages = {page["id"] for page in held["page"]}
    assert not pages & set(corpus_texts), "a held-out page id shadows a corpus source id"
    for pair in held["pair"]:
        assert set(pair) <= {"a", "b", "conflict", "kind", "note"}
        assert isinstance(pair["conflict"], bool)
        assert pair.get("note", "").strip(), pair
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
            matched = _matches(side, held["claim"])
            # Exactly one frame, so the pair says which claim it judges.
            assert len(matched) == 1, (side, len(matched))


def test_each_pair_is_judged_once(held: dict) -> None:
    def key(side: dict) -> tuple:
        return (side["page"], squash(side["quote"]), *(side.get(k) for k in SELECTORS))

    seen = Counter(frozenset((key(pair["a"]), key(pair["b"]))) for pair in held["pair"])
    assert [pair for pair, n in seen.items() if n > 1] == []


def test_conflicting_pairs_are_between_asserted_claims_on_one_outcome(held: dict) -> None:
    # The guide: a claim and its rebuttal never conflict, nor do claims about different outcomes.
    for pair in held["pair"]:
        if not pair["conflict"]:
            continue
        matched = [_matches(side, held["claim"]) for side in (pair["a"], pair["b"])]
        for found in matched:
            if found:
                assert found[0]["attribution"] == "asserted", pair["note"]
        if all(matched):
            a, b = matched[0][0], matched[1][0]
            assert a["outcome"] == b["outcome"] != "none", pair["note"]
            assert a["direction"] != b["direction"], pair["note"]


def test_the_set_is_big_and_balanced_enough_to_measure(held: dict) -> None:
    pairs = held["pair"]
    conflicts = [pair for pair in pairs if pair["conflict"]]
    assert len(held["page"]) >= 10 and len(held["claim"]) >= 45 and len(pairs) >= 30
    assert 0.3 <= len(conflicts) / len(pairs) <= 0.7
    assert {pair["kind"] for pair in conflicts} == PAIR_KINDS
    assert {claim["attribution"] for claim in held["claim"]} == ATTRIBUTIONS
    pages = {page["id"] for page in held["page"]}
    against_corpus = [
        pair for pair in pairs if any(side["page"] not in pages for side in (pair["a"], pair["b"]))
    ]
    assert any(pair["conflict"] for pair in against_corpus)
    assert any(not pair["conflict"] for pair in against_corpus)
