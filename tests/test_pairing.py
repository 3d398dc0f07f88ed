"""Conflicts on `add`: only the issues the new claims touch are paired again (issue 12), and the
conflicts then equal a full `detect` over every claim of the corpus, in the same order."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import lrkb
from lrkb import claims as claims_mod
from lrkb.build import base_tagged
from lrkb.claims import pair
from lrkb.claims.group import issues_of
from lrkb.corpus import CURATION_FILE, bundled_corpus
from lrkb.index import LiveIndex
from lrkb.models import Claim, Conflict, Issue, Scope, claim_from_dict

from .conftest import REAL

# Articles written for these tests: advice that names no outcome (it pairs with every issue of
# its family), claims on one outcome, and another family.
EXTRA = {
    "rest-first": "# Rest First\n\nRunning the day after heavy squats is a bad idea: rest "
    "instead.\n\n## Recovery\n\nA light jog after leg day improves recovery, studies show.\n",
    "gains-myth": "# The Gains Myth\n\nRunning after leg day does not hurt muscle growth.\n\n"
    "## Soreness\n\nRunning after squats makes soreness worse.\n",
    "walk-it-off": "# Walk It Off\n\nWalking after leg day is a good idea.\n\n## Injury\n\n"
    "Sprinting on sore legs causes injury.\n",
    "next-day-recovery": "# The Next Day\n\nRunning the next day worsens recovery.\n",
    # General advice added after a claim on one outcome: it pairs with that claim's issue.
    "next-day-run": "# Run the Next Day\n\nRunning the next day is a good idea.\n",
}


def copy_corpus(tmp_path: Path, curation: bool = True) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(REAL, target, ignore=shutil.ignore_patterns(".lrkb"))
    if not curation:
        (target / CURATION_FILE).unlink()
    return target


def conflicts(pack_kb: lrkb.KnowledgeBase) -> list[Conflict]:
    out = []
    for text in pack_kb._pack.strings("x"):
        d = json.loads(text)
        out.append(Conflict(**{**d, "a": claim_from_dict(d["a"]), "b": claim_from_dict(d["b"])}))
    return out


def lists(kb: lrkb.KnowledgeBase) -> list[tuple[str, float, str]]:
    """Every issue's stored list, as (issue, score, conflict id)."""
    pack = kb._pack
    ids = pack.meta["issue_ids"]
    return sorted(
        (ids[int(n)], float(score), json.loads(text)["id"])
        for n, score, text in zip(
            pack.arrays["y_issue"], pack.arrays["y_score"], pack.strings("y"), strict=True
        )
    )


def assert_equals_full_detect(kb: lrkb.KnowledgeBase) -> None:
    """The stored conflicts, issue lists and bars equal `detect`, `by_issue` and `bars` over
    every tagged claim of the corpus as `kb` holds it."""
    rules = claims_mod.load_rules(kb.corpus, bundled_corpus())
    tagged, _ = base_tagged(kb._pack)
    issues = issues_of(tagged, rules)
    found = claims_mod.by_issue(tagged, issues, rules)
    assert conflicts(kb) == claims_mod.detect(tagged, issues, rules)
    assert lists(kb) == sorted((i, s, x.id) for i, ranked in found.items() for s, x in ranked)
    stored = kb._pack.meta["standing"]
    full = claims_mod.standing(tagged, issues, rules)
    assert stored.keys() == full.keys()
    for issue_id, (count, last) in full.items():
        assert stored[issue_id][0] == count
        # Of the last candidates, an add keeps those at or after the first it knew.
        kept = stored[issue_id][1]
        assert (kept is None) == (last is None), issue_id
        if last is not None:
            assert kept and [list(x) for x in last[-len(kept) :]] == kept, issue_id


def add(kb: lrkb.KnowledgeBase, tmp_path: Path, source_id: str, text: str) -> None:
    path = tmp_path / "incoming" / f"{source_id}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    kb.add(path, source_id=source_id)


@pytest.mark.parametrize(("candidates", "per_issue"), [(300, 50), (8, 50), (300, 1), (8, 2)])
def test_adds_without_curation_equal_a_full_detect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, candidates: int, per_issue: int
) -> None:
    # With 8 candidates an issue, most new claims rank after their issue's bar; with 1 or 2
    # conflicts an issue, a new pair must displace an earlier one exactly.
    monkeypatch.setattr(pair, "CANDIDATES", candidates)
    monkeypatch.setattr(pair, "MAX_PER_ISSUE", per_issue)
    corpus = copy_corpus(tmp_path, curation=False)
    kb = lrkb.open(corpus)
    assert kb.conflicts()
    for source_id, text in EXTRA.items():
        add(kb, tmp_path, source_id, text)
        assert isinstance(kb._index, LiveIndex)  # a real add: a segment, not a build
        assert_equals_full_detect(kb)
    # The added articles took part: some of their claims conflict with the corpus's.
    assert {s for x in conflicts(kb) for s in (x.a.source, x.b.source)} & set(EXTRA)


def test_adds_with_curation_equal_a_fresh_build(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    kb = lrkb.open(corpus)
    kb.search("water")
    for source_id, text in EXTRA.items():
        add(kb, tmp_path, source_id, text)
        fresh = lrkb.KnowledgeBase(corpus, cache_dir=tmp_path / f"fresh-{source_id}")
        assert not isinstance(fresh._index, LiveIndex)
        assert conflicts(kb) == conflicts(fresh)
        assert lists(kb) == lists(fresh)
        assert kb.issues == fresh.issues


@pytest.mark.parametrize(
    ("seed", "candidates", "tail", "per_issue"),
    [
        (1, 300, 64, 50),
        (2, 300, 64, 50),
        (3, 3, 2, 50),
        (4, 1, 1, 50),
        (5, 8, 3, 50),
        (6, 300, 64, 1),
        (7, 5, 2, 2),
        (8, 300, 64, 3),
    ],
)
def test_random_subsets_added_in_random_order_equal_a_full_detect(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    candidates: int,
    tail: int,
    per_issue: int,
) -> None:
    """A base of some of the real articles; the others and the extra ones added one or two at a
    time, in a random order."""
    monkeypatch.setattr(pair, "CANDIDATES", candidates)
    monkeypatch.setattr(pair, "TAIL", tail)
    monkeypatch.setattr(pair, "MAX_PER_ISSUE", per_issue)
    rng = random.Random(seed)
    corpus = copy_corpus(tmp_path, curation=False)
    articles = sorted(corpus.glob("*.md"))
    rng.shuffle(articles)
    base = rng.randint(1, 3)
    held = tmp_path / "held"
    held.mkdir()
    incoming = [(p.stem, p.read_text()) for p in articles[base:]] + list(EXTRA.items())
    for p in articles[base:]:
        p.rename(held / p.name)
    rng.shuffle(incoming)
    kb = lrkb.open(corpus)
    kb.search("water")
    while incoming:
        batch = incoming[: rng.randint(1, 2)]
        incoming = incoming[len(batch) :]
        paths = []
        for source_id, text in batch:
            path = tmp_path / "incoming" / f"{source_id}.md"
            path.parent.mkdir(exist_ok=True)
            path.write_text(text)
            paths.append(path)
        kb.add_all(paths)
        assert isinstance(kb._index, LiveIndex)
        assert_equals_full_detect(kb)


# Sentences whose claims name no outcome: most pair with none (an effect with no outcome).
GENERAL = [
    "Running after leg day helps.",
    "Running after squats hurts.",
    "Running after leg day is harmful according to research.",
    "A run after leg day helps most lifters.",
    "Running after leg day is beneficial, a 2019 study found.",
    "Running after leg day hinders progress.",
]


@pytest.mark.parametrize(("seed", "candidates", "tail"), [(1, 2, 2), (2, 3, 1), (3, 2, 4)])
def test_claims_that_pair_with_none_pushing_out_others_equal_a_full_detect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, candidates: int, tail: int
) -> None:
    """Issues past CANDIDATES whose last candidates pair with none, and adds of such claims:
    the standing is carried forward without pairing again, and must stay exact."""
    monkeypatch.setattr(pair, "CANDIDATES", candidates)
    monkeypatch.setattr(pair, "TAIL", tail)
    rng = random.Random(seed)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        body = " ".join(rng.choices(GENERAL, k=3))
        (corpus / f"base-{n}.md").write_text(f"# Base {n}\n\n{body}\n")
    kb = lrkb.open(corpus)
    kb.search("running")
    for n in range(8):
        add(kb, tmp_path, f"more-{n}", f"# More {n}\n\n{' '.join(rng.choices(GENERAL, k=2))}\n")
        assert isinstance(kb._index, LiveIndex)
        assert_equals_full_detect(kb)


def claim(issue: str, evidence: str = "none", kind: str = "recommendation") -> Claim:
    return Claim(
        "c1",
        "s",
        "s:p1",
        "text",
        0,
        4,
        kind,
        issue,
        None,
        Scope(),
        "asserted",
        evidence,
        (),
        agent="running",
        direction="improves",
    )


ISSUES = [
    Issue("running-recovery", "?", agent="running", outcome="recovery"),
    Issue("running-injury", "?", agent="running", outcome="injury"),
    Issue("running", "?", agent="running", outcome=None),
    Issue("walking-recovery", "?", agent="walking", outcome="recovery"),
    Issue("walking", "?", agent="walking", outcome=None),
]
FAMILY = {"running-recovery", "running-injury", "running"}


@pytest.fixture
def rules() -> claims_mod.Rules:
    return claims_mod.load_rules(REAL, REAL)


def test_a_claim_touches_its_issue_and_advice_with_no_outcome_touches_its_family(
    rules: claims_mod.Rules,
) -> None:
    def touched(*args: object) -> set[str]:
        only, whole = claims_mod.touched(*args)  # type: ignore[arg-type]
        assert not whole  # every claim is a candidate: no pair of earlier claims changes
        return only

    assert touched([claim("running-recovery")], ISSUES, rules, {}) == {"running-recovery"}
    assert touched([claim("running")], ISSUES, rules, {}) == FAMILY
    # A claim that pairs with none ("running is effective", no outcome named) changes nothing
    # while every claim of its issue is a candidate.
    assert touched([claim("running", kind="effect")], ISSUES, rules, {}) == set()
    reported = replace(claim("running-recovery"), attribution="reported")
    assert touched([reported], ISSUES, rules, {}) == set()  # reported claims are never paired
    # Pairing an issue reads the advice of its family that names no outcome too.
    assert claims_mod.read_by({"running-injury"}, ISSUES) == {"running-injury", "running"}
    assert claims_mod.read_by({"walking"}, ISSUES) == {"walking"}


def test_past_candidates_claims_count_by_their_rank(
    rules: claims_mod.Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pair, "CANDIDATES", 5)
    touched = claims_mod.touched
    nothing: tuple[set[str], set[str]] = (set(), set())
    # The last two candidates of each issue: strength 1 (ids c4, c5), the last one can pair.
    last = [(-1.0, "c4", False), (-1.0, "c5", True)]
    full = {"running-recovery": (5, last), "running": (5, last)}
    assert touched([claim("running-recovery")], ISSUES, rules, full) == nothing  # strength 0
    assert touched([claim("running")], ISSUES, rules, full) == nothing
    # Named evidence gives strength 1, and "c1" sorts before "c5": a candidate now, and it
    # pushes out c5, which can pair: the issue is paired whole.
    named = claim("running-recovery", "named")
    recovery = {"running-recovery"}
    assert touched([named], ISSUES, rules, full) == (recovery, recovery)
    assert touched([claim("running", "named", "effect")], ISSUES, rules, full) == (FAMILY, FAMILY)
    # When the one pushed out can pair with none, only a newcomer that can pair counts, and
    # only its own pairs are made.
    quiet = {"running": (5, [(-1.0, "c4", True), (-1.0, "c5", False)])}
    assert touched([claim("running", "named", "effect")], ISSUES, rules, quiet) == nothing
    assert touched([claim("running", "named")], ISSUES, rules, quiet) == (FAMILY, set())
    # The fifth claim of an issue makes a last candidate whose rank is not known yet; nothing
    # is pushed out until the sixth.
    four = {"running": (4, None)}
    assert touched([claim("running", kind="effect")], ISSUES, rules, four) == (FAMILY, set())
    two = [claim("running", kind="effect"), replace(claim("running", kind="effect"), id="c2")]
    assert touched(two, ISSUES, rules, four) == (FAMILY, FAMILY)
