"""Claims, stances, scopes and conflicts on the real corpus and on fixtures."""

import json
from pathlib import Path

import pytest

import lrkb
from lrkb.errors import CurationError

from .conftest import write_article


def _claim(kb: lrkb.KnowledgeBase, fragment: str) -> lrkb.Claim:
    found = [c for c in kb.claims if fragment in c.text]
    assert len(found) == 1, (fragment, [c.text for c in found])
    return found[0]


def test_claim_spans_round_trip(real_kb: lrkb.KnowledgeBase) -> None:
    texts = {s.id: Path(s.path).read_text(encoding="utf-8") for s in real_kb.sources}
    assert len(real_kb.claims) > 50
    for c in real_kb.claims:
        assert texts[c.source][c.start : c.end] == c.text
        assert real_kb.passage(c.passage).start <= c.start < c.end <= real_kb.passage(c.passage).end


def test_design_card_claims_are_tagged(real_kb: lrkb.KnowledgeBase) -> None:
    jog = _claim(real_kb, "A light jog or even just a brisk walk")
    assert (jog.source, jog.issue, jog.stance, jog.scope.intensity) == (
        "running-after-leg-day",
        "running-after-legs",
        "helps",
        "light",
    )
    ampk = _claim(real_kb, "AMPK activation signals the cell")
    assert (ampk.issue, ampk.stance, ampk.kind) == ("running-after-legs", "hurts", "mechanism")
    assert ampk.scope.intensity == "high-volume"
    sprint = _claim(real_kb, "100-200m sprint could be a good compromise")
    assert (sprint.issue, sprint.stance, sprint.scope.timing) == (
        "sprint-timing",
        "soon is fine",
        "next-day",
    )


def test_attribution_and_evidence(real_kb: lrkb.KnowledgeBase) -> None:
    rebutted = _claim(real_kb, "it can actually worsen muscle soreness")
    assert rebutted.attribution == "reported"
    assert _claim(real_kb, "Journal of Strength and Conditioning Research").evidence == "named"
    assert _claim(real_kb, "scientific studies have found").evidence == "vague"
    assert (
        _claim(real_kb, "removing the metabolic waste products [source needed]").evidence
        == "source-needed"
    )


def test_design_card_conflict_is_detected(real_kb: lrkb.KnowledgeBase) -> None:
    pairs = {(x.a.source, x.b.source, x.issue) for x in real_kb.conflicts()}
    assert (
        "running-after-leg-day",
        "concurrent-training-interference",
        "running-after-legs",
    ) in pairs
    design = next(
        x
        for x in real_kb.conflicts()
        if x.a.source == "running-after-leg-day"
        and x.b.source == "concurrent-training-interference"
    )
    assert "lactic acid" in design.a.text and "AMPK" in design.b.text
    sprint = next(x for x in real_kb.conflicts(issue="sprint-timing"))
    assert sprint.kind == "scope" and "timing" in sprint.why
    assert {sprint.a.source, sprint.b.source} == {
        "can-you-run-after-leg-day",
        "concurrent-training-interference",
    }


def test_agreeing_and_different_goal_pairs_are_not_conflicts(real_kb: lrkb.KnowledgeBase) -> None:
    conflicts = real_kb.conflicts()
    assert len(conflicts) <= 15
    texts = [(x.a.text, x.b.text) for x in conflicts]
    for a, b in texts:
        # Hydration tips agree; calorie figures are compatible.
        assert "water" not in a.lower() + b.lower()
        assert "calories" not in a.lower() + b.lower()
    # Bodybuilders vs endurance athletes: different goals, not a conflict.
    assert not any(
        "Bodybuilders might" in a + b and "endurance athletes" in a + b for a, b in texts
    )
    # "Running is a great alternative (for abs)" vs "won't build your leg muscles": different goals.
    assert not any("great alternative" in a + b and "won’t build" in a + b for a, b in texts)


def test_unseen_contradicting_article_makes_a_new_conflict(tiny_corpus: Path) -> None:
    before = lrkb.open(tiny_corpus).conflicts()
    write_article(
        tiny_corpus,
        "lactic-myth",
        "The Lactic Acid Myth",
        (
            "## Soreness\n\nA jog after leg day does not flush out lactic acid, and it does not speed up "
            "recovery from soreness; lactic acid has nothing to do with soreness."
        ),
    )
    after = lrkb.open(tiny_corpus).conflicts()
    new = [x for x in after if "lactic-myth" in (x.a.source, x.b.source)]
    assert new and not any("lactic-myth" in (x.a.source, x.b.source) for x in before)
    assert {new[0].a.stance, new[0].b.stance} == {"helps", "hurts"}


def test_curation_corrects_adds_and_vetoes(tiny_corpus: Path) -> None:
    kb = lrkb.open(tiny_corpus)
    detected = kb.conflicts()
    assert len(detected) == 1 and detected[0].origin == "detected"
    (tiny_corpus / "curation.toml").write_text("""
[[veto]]
a = { source = "jog-helps", quote = "flush out lactic acid" }
b = { source = "jog-hurts", quote = "blunt muscle hypertrophy" }
reason = "test veto"

[[claim]]
source = "jog-helps"
quote = "Drink plenty of water after training to stay hydrated."
issue = "running-after-legs"
stance = "depends"
reason = "test correction"

[[conflict]]
issue = "running-after-legs"
kind = "scope"
why = "curated for the test"
a = { source = "jog-helps", quote = "A light jog after leg day" }
b = { source = "jog-hurts", quote = "High-volume endurance running activates AMPK" }
reason = "test addition"
""")
    kb = lrkb.open(tiny_corpus)
    conflicts = kb.conflicts()
    assert [(x.origin, x.kind, x.why) for x in conflicts] == [
        ("curated", "scope", "curated for the test")
    ]
    assert kb.conflicts(detected_only=True) == []
    water = next(c for c in kb.claims if c.text.startswith("Drink plenty of water after"))
    assert (water.origin, water.issue, water.stance) == ("curated", "running-after-legs", "depends")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[[claim]]\nsource = "jog-helps"\nquote = "not in the text"\nreason = "r"\n',
            r"quote not found in jog-helps\.md: 'not in the text'",
        ),
        ('[[claim]]\nsource = "nope"\nquote = "x"\nreason = "r"\n', "unknown source 'nope'"),
        ('[[claim]]\nsource = "jog-helps"\nquote = "A light jog"\n', r"needs a 'reason'"),
        (
            '[[claim]]\nsource = "jog-helps"\nquote = "A light jog"\nissue = "running-after-legs"\n'
            'stance = "great"\nreason = "r"\n',
            "stance 'great'",
        ),
        ("[[claim]\nbroken", "invalid TOML"),
    ],
)
def test_curation_errors_name_the_file_and_problem(
    tiny_corpus: Path, toml: str, message: str
) -> None:
    (tiny_corpus / "curation.toml").write_text(toml)
    with pytest.raises(CurationError, match=message) as info:
        lrkb.open(tiny_corpus).conflicts()
    assert "curation.toml" in str(info.value) or "jog-helps" in str(info.value)


def test_claim_dict_equals_asdict(real_kb: lrkb.KnowledgeBase) -> None:
    import dataclasses

    from lrkb.models import claim_dict

    for claim in real_kb.claims[:50]:
        assert json.dumps(claim_dict(claim)) == json.dumps(dataclasses.asdict(claim))
