"""Claim frames, issues and conflicts: sentences read one by one, fixtures, and the real corpus."""

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

import lrkb
from lrkb.claims import compare, frames, load_rules, read_text
from lrkb.claims.rules import Rules
from lrkb.corpus import bundled_corpus
from lrkb.errors import CurationError

from .conftest import REAL, write_article


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules(bundled_corpus(), bundled_corpus())


def _frame(rules: Rules, text: str) -> tuple[str | None, str | None, str | None]:
    found = frames(text, rules)
    assert found, text
    f = found[0]
    return (f.agent.name if f.agent else None, f.outcome, f.direction)


def _claim(kb: lrkb.KnowledgeBase, fragment: str) -> lrkb.Claim:
    found = [c for c in kb.claims if fragment in c.text]
    assert found, fragment
    return found[0]


# --- one sentence at a time ---------------------------------------------------------------------


def test_negation_turns_a_direction_into_no_effect(rules: Rules) -> None:
    assert _frame(rules, "Cardio blunts muscle growth after a heavy leg day.") == (
        "cardio",
        "muscle size",
        "worsens",
    )
    assert _frame(rules, "Cardio does not blunt muscle growth after a heavy leg day.") == (
        "cardio",
        "muscle size",
        "no effect",
    )
    # A hedge keeps the direction.
    assert _frame(rules, "A slow jog may reduce soreness the day after squats.")[2] == "improves"


def test_rebuttals_deny_a_cause(rules: Rules) -> None:
    for text in (
        "Lactic acid has nothing to do with muscle soreness after exercise.",
        "Lactate isn't the reason your legs are sore two days after squats.",
        "Lactic acid build up in the muscle does not cause muscle soreness.",
    ):
        assert _frame(rules, text) == ("lactic acid", "soreness", "does not cause"), text


def test_a_common_misunderstanding_is_reported(rules: Rules) -> None:
    (claim,) = [
        c
        for c in read_text(
            "A common misunderstanding is that such soreness is due to lactic acid build-up.", rules
        )
        if c.direction
    ]
    assert (claim.agent, claim.outcome, claim.direction) == ("lactic acid", "soreness", "causes")
    assert claim.attribution == "reported"
    assert any(w.startswith("reported:") for w in claim.why)


def test_a_view_denied_in_the_same_sentence_is_reported_and_denied(rules: Rules) -> None:
    for text in (
        "Some coaches say that cycling aids recovery, but I don't think that is true.",
        "If you think an easy swim improves your endurance, you're wrong.",
        "Stretching is said to prevent injuries - but that is not the case.",
    ):
        read = {(c.agent, c.outcome, c.direction, c.attribution) for c in read_text(text, rules)}
        ((agent, outcome, said, _),) = [r for r in read if r[3] == "reported"]
        assert said == "improves", text
        assert (agent, outcome, "no effect", "asserted") in read, text
    # no denial, no split: the view stays the author's
    read = read_text("Cycling aids recovery, but only when it is easy.", rules)
    assert {c.attribution for c in read} == {"asserted"}


def test_a_list_of_outcomes_gives_one_frame_each_its_own_way(rules: Rules) -> None:
    text = (
        "Massage may lower the risk of injury, prevent soreness after hard sessions, or boost "
        "sports performance."
    )
    found = {(f.outcome, f.direction) for f in frames(text, rules)}
    assert found == {("injury", "improves"), ("soreness", "improves"), ("performance", "improves")}
    mixed = "Heavy cardio can raise injury risk and impair strength."
    assert {(f.outcome, f.direction) for f in frames(mixed, rules)} == {
        ("injury", "worsens"),
        ("strength", "worsens"),
    }
    denied = "Swimming did not reduce soreness or improve strength."
    assert {f.direction for f in frames(denied, rules)} == {"no effect"}
    inside = "Massage reduced soreness and associated decrements in performance."
    assert ("performance", "worsens") not in {
        (f.outcome, f.direction) for f in frames(inside, rules)
    }
    spared = "You can jog without risking injury or prolonging soreness."
    assert {(f.outcome, f.direction) for f in frames(spared, rules)} == {
        ("injury", "improves"),
        ("soreness", "improves"),
    }


def test_a_comparison_with_a_baseline_reads_for_the_added_agent(rules: Rules) -> None:
    lower = "Concurrent training produced a smaller increase in strength than lifting alone."
    assert _frame(rules, lower) == ("cardio", "strength", "worsens")
    plain = "Concurrent training produced an increase in strength."
    assert _frame(rules, plain) == ("cardio", "strength", "improves")
    same = "Compared with lifting alone, cycling led to similar changes in muscle size."
    assert _frame(rules, same) == ("cardio", "muscle size", "no effect")


def test_a_sentence_without_an_agent_takes_the_activity_not_lifting_from_around(
    rules: Rules,
) -> None:
    def agents(title: str, text: str) -> list[str | None]:
        return [c.agent for c in read_text(text, rules, "p", title) if c.outcome]

    # Lifting is the setting; the other activity the title or the sentence before names acts.
    both = "I do weight training and cardio most days. I feel it helps flush the lactic acid."
    assert agents("Training log", both)[-1] == "cardio"
    assert agents("Lifting or swimming after a workout?", "It WILL make your legs less sore.") == [
        "cardio"
    ]
    # With nothing else at hand, lifting is still the agent.
    assert agents("Weight training tips", "It WILL make your legs less sore.") == [
        "weight training"
    ]


def test_the_effect_of_an_activity_has_the_activity_as_its_agent(rules: Rules) -> None:
    text = "The interference effect of concurrent training on muscle growth is well documented."
    assert _frame(rules, text) == ("cardio", "muscle size", "worsens")
    doubted = "The interference effect of cycling on strength is not as compelling as once thought."
    assert ("cardio", "strength", "no effect") in {
        (c.agent, c.outcome, c.direction) for c in read_text(doubted, rules)
    }
    # The pathway named as acting is still the agent.
    assert _frame(rules, "AMPK activation blunts muscle growth.") == (
        "AMPK",
        "muscle size",
        "worsens",
    )


def test_running_is_named_by_its_kinds_and_places(rules: Rules) -> None:
    kinds = [
        "Downhill running", "Down-hills", "Uphill runs", "Hill running", "The treadmill",
        "Trail runs", "Track sessions", "Tempo runs", "A fartlek", "Easy running", "10K runs",
    ]  # fmt: skip
    for kind in kinds:
        text = f"{kind} can hurt recovery."
        assert _frame(rules, text) == ("running", "recovery", "worsens"), text
    assert _frame(rules, "Walking on a treadmill can help recovery.")[0] == "walking"
    # The same words in their other senses name no activity.
    for text in (
        "Your gains go downhill when you skip sleep, which hurts recovery.",
        "Recovering is an uphill battle that hurts recovery.",
        "Staying on track with sleep helps recovery.",
    ):
        assert all(c.agent != "running" for c in read_text(text, rules)), text


def test_an_agent_the_lexicon_does_not_know_is_named_by_its_own_words(rules: Rules) -> None:
    (claim,) = read_text("Tart cherry juice can reduce soreness.", rules)
    assert (claim.agent, claim.outcome, claim.direction) == (
        "tart cherry juice",
        "soreness",
        "improves",
    )
    assert claim.issue is None  # no lexicon family, so no issue and no conflict
    for text in ("Research shows soreness is reduced.", "However, the risk of injury rises."):
        assert all(c.agent is None for c in read_text(text, rules)), text


def test_a_weak_outcome_word_inside_a_cue_phrase_is_the_cues(rules: Rules) -> None:
    assert _frame(rules, "Easy cycling speeds up recovery.") == ("cardio", "recovery", "improves")
    assert _frame(rules, "Heavy squats improve sprint speed.")[1:] == ("power", "improves")


def test_the_clause_after_but_carries_the_claim(rules: Rules) -> None:
    text = (
        "Active recovery's strongest documented benefit is faster blood lactate clearance, but "
        "that does not reliably translate into better next-session performance."
    )
    agent, outcome, direction = _frame(rules, text)
    assert (agent, outcome, direction) == ("active recovery", "performance", "no effect")


def test_an_interval_spanning_zero_and_p_above_005_say_no_effect(rules: Rules) -> None:
    both = (
        "Concurrent training changed hypertrophy by −0.01 (95% CI −0.16 to 0.18) and strength "
        "by −0.28 (95% CI −0.48 to −0.08), respectively."
    )
    found = {(f.outcome, f.direction) for f in frames(both, rules)}
    assert found == {("muscle size", "no effect"), ("strength", "worsens")}
    p_value = "Running after squats did not change strength gains in the trial (p = 0.44)."
    assert _frame(rules, p_value)[2] == "no effect"


def test_a_relative_clause_adds_a_second_frame(rules: Rules) -> None:
    text = "A light jog helps flush out the lactic acid that causes soreness."
    found = [
        (f.agent.name if f.agent else None, f.outcome, f.direction) for f in frames(text, rules)
    ]
    assert found[0] == ("running", "recovery", "improves")  # the main clause first
    assert ("lactic acid", "soreness", "causes") in found


def test_claims_about_different_outcomes_are_not_paired(rules: Rules) -> None:
    # "recover from DOMS" is read as both soreness and recovery (two frames, one span)
    both = read_text("Cardio helps you recover from DOMS faster.", rules, "a")
    assert {c.outcome for c in both} == {"soreness", "recovery"}
    assert len({c.id for c in both}) == 2 and len({(c.start, c.end) for c in both}) == 1
    helps = next(c for c in both if c.outcome == "recovery")
    (hurts,) = read_text("Cardio after leg day blunts muscle growth.", rules, "b")
    assert hurts.outcome == "muscle size"
    assert all(compare(c, hurts, rules) is None for c in both)
    assert compare(helps, hurts, rules) is None
    (slows,) = read_text("Cardio after leg day delays recovery.", rules, "c")
    assert compare(helps, slows, rules) == (
        "direct",
        "cardio improves recovery vs cardio worsens recovery, under the same stated conditions",
    )


def test_conflict_why_reads_as_plain_english(rules: Rules) -> None:
    (null,) = read_text("Running after leg day does not affect muscle growth.", rules, "a")
    (blunts,) = read_text("Cardio after leg day blunts muscle growth.", rules, "b")
    result = compare(null, blunts, rules)
    assert result is not None
    assert result[1].startswith(
        "running has no effect on muscle size vs cardio worsens muscle size"
    )
    (go,) = read_text("If your legs are sore, go for an easy run.", rules, "c")
    (skip,) = read_text("If your legs are sore, skip the run.", rules, "d")
    advice = compare(go, skip, rules)
    assert advice is not None
    assert advice[1].startswith("running is a good idea vs running is a bad idea")
    assert advice[1].endswith("under the same stated conditions")


def test_claims_that_agree_are_not_paired(rules: Rules) -> None:
    (a,) = read_text("Lactic acid does not cause muscle soreness.", rules, "a")
    (b,) = read_text("Lactate isn't the reason you're sore a few days after lifting.", rules, "b")
    assert compare(a, b, rules) is None


def test_a_yes_or_no_answer_asserts_the_question_before_it(rules: Rules) -> None:
    def read(text: str) -> set[tuple[str | None, str | None, str | None]]:
        claims = read_text(text, rules)
        assert all(text[c.start : c.end] == c.text for c in claims), text
        return {(c.agent, c.outcome, c.direction) for c in claims}

    no_effect = {("cardio", "muscle size", "no effect")}
    assert read("Will cardio kill my gains? The short answer is no.") == no_effect
    assert read("Will cardio kill my gains?\nNope, not at all.") == no_effect
    assert read("Will cardio kill my gains? Yes.") == {("cardio", "muscle size", "worsens")}
    assert read("Is it OK to run on sore legs? Yes, as long as you keep it easy.") == {
        ("running", None, "improves")
    }
    assert read("Is it OK to run on sore legs? No.") == {("running", None, "worsens")}
    (claim,) = read_text("Does cycling help recovery? No, sadly.", rules)
    assert (claim.agent, claim.outcome, claim.direction) == ("cardio", "recovery", "no effect")
    assert claim.text == "Does cycling help recovery? No, sadly."  # the quote reads whole
    # an answer that is no yes or no, a "no" that opens a sentence, and no answer at all
    assert read("Will cardio kill my gains? It depends on how much you do.") == set()
    assert read("Will cardio kill my gains? Not necessarily, but balance matters.") == set()
    assert read("Will cardio kill my gains? No amount of jogging is free.") == set()
    assert read("Will cardio kill my gains?") == set()
    # an answer with no question before it
    assert read("Yes, of course.") == set()


# --- the real corpus ----------------------------------------------------------------------------


def test_claim_spans_round_trip_and_ids_are_unique(real_kb: lrkb.KnowledgeBase) -> None:
    texts = {s.id: Path(s.path).read_text(encoding="utf-8") for s in real_kb.sources}
    assert len(real_kb.claims) > 50
    for c in real_kb.claims:
        assert texts[c.source][c.start : c.end] == c.text
        assert real_kb.passage(c.passage).start <= c.start < c.end <= real_kb.passage(c.passage).end
    ids = [c.id for c in real_kb.claims]
    assert len(ids) == len(set(ids))


def test_design_card_claims_carry_frames(real_kb: lrkb.KnowledgeBase) -> None:
    jog = _claim(real_kb, "A light jog or even just a brisk walk")
    assert (jog.agent, jog.outcome, jog.direction, jog.scope.intensity) == (
        "running",
        "recovery",
        "improves",
        "light",
    )
    assert (jog.issue, jog.stance) == ("running-recovery", "helps")
    flush = [c for c in real_kb.claims if "that’s causing muscle soreness" in c.text]
    assert {(c.agent, c.outcome, c.direction) for c in flush} == {
        ("running", "recovery", "improves"),
        ("lactic acid", "soreness", "causes"),
    }
    sprint = _claim(real_kb, "100-200m sprint could be a good compromise")
    assert (sprint.agent, sprint.direction, sprint.scope.timing) == (
        "running",
        "improves",
        "next-day",
    )


def test_attribution_and_evidence(real_kb: lrkb.KnowledgeBase) -> None:
    assert _claim(real_kb, "Journal of Strength and Conditioning Research").evidence == "named"
    assert _claim(real_kb, "scientific studies have found").evidence == "vague"
    assert (
        _claim(real_kb, "removing the metabolic waste products [source needed]").evidence
        == "source-needed"
    )


def _found(kb: lrkb.KnowledgeBase, a: str, b: str) -> lrkb.Conflict | None:
    for x in kb.conflicts():
        texts = {kb.passage(x.a.passage).text, kb.passage(x.b.passage).text}
        if any(a in t for t in texts) and any(b in t for t in texts):
            return x
    return None


def test_the_four_disagreements_of_issue_9_are_found(real_kb: lrkb.KnowledgeBase) -> None:
    assert len(real_kb.conflicts()) <= 15
    # The design card's: the article that has a jog flush out lactic acid, "really beneficial for
    # your muscles", against the interference effect (shown by its clearest pair of claims).
    design = [
        x
        for x in real_kb.conflicts(issue="running-muscle-size")
        if {x.a.source, x.b.source} == {"running-after-leg-day", "concurrent-training-interference"}
    ]
    assert len(design) == 1 and "endurance training can compromise gains" in design[0].why + (
        design[0].a.text + design[0].b.text
    )
    sprint = _found(real_kb, "100-200m sprint", "scheduled on a separate day")
    assert sprint is not None and sprint.kind == "scope" and "timing" in sprint.why
    recovery = _found(real_kb, "speed up the recovery process", "obstructing the recovery process")
    assert recovery is not None and recovery.issue == "running-recovery"
    sore = _found(real_kb, "shouldn’t be your excuse to skip the run", "okay to take a break")
    assert sore is not None and sore.a.source == sore.b.source == "running-after-leg-day"
    assert "rest" in sore.why and "running" in sore.why


def test_why_reads_the_sides_in_the_order_shown(real_kb: lrkb.KnowledgeBase) -> None:
    # `why` names side a's agent before side b's, as every face prints a then b.
    for x in real_kb.conflicts():
        if " blamed on " in x.why:
            continue
        first, second = x.why.split(" vs ", 1)
        assert first.startswith(f"{x.a.agent} ") and second.startswith(f"{x.b.agent} "), x.why


def test_agreeing_and_different_goal_pairs_are_not_conflicts(real_kb: lrkb.KnowledgeBase) -> None:
    texts = [(x.a.text, x.b.text) for x in real_kb.conflicts()]
    for a, b in texts:
        assert "water" not in a.lower() + b.lower()
        assert "calories" not in a.lower() + b.lower()
    assert not any(
        "Bodybuilders might" in a + b and "endurance athletes" in a + b for a, b in texts
    )
    # A claim and the view it rebuts are never paired.
    assert all(x.a.attribution == x.b.attribution == "asserted" for x in real_kb.conflicts())


# ScienceAlert, "Lactic acid isn't making your muscles sore: here's what's really behind it"
# https://sciencealert.com/lactic-acid-isnt-making-your-muscles-sore-heres-whats-really-behind-it
REBUTTAL = (
    "A common misunderstanding is that such soreness is due to lactic acid build-up in the "
    "muscles. We've known for decades that lactic acid has nothing to do with muscle soreness "
    "after exercise."
)


def test_a_real_rebuttal_added_as_an_article_makes_its_conflict(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REAL, corpus, ignore=shutil.ignore_patterns(".lrkb"))
    before = lrkb.open(corpus).conflicts()
    write_article(corpus, "lactic-rebuttal", "Lactic acid isn't making your muscles sore", REBUTTAL)
    after = lrkb.open(corpus).conflicts()
    new = [x for x in after if "lactic-rebuttal" in (x.a.source, x.b.source)]
    assert not any("lactic-rebuttal" in (x.a.source, x.b.source) for x in before)
    assert new and all(x.issue == "cause-soreness" for x in new)
    x = new[0]
    sides = {x.a.source: x.a, x.b.source: x.b}
    assert sides["lactic-rebuttal"].direction == "does not cause"
    assert "nothing to do with" in sides["lactic-rebuttal"].text
    other = next(c for s, c in sides.items() if s != "lactic-rebuttal")
    assert (other.agent, other.direction) == ("lactic acid", "causes")


def test_an_article_contradicting_itself_is_flagged(tiny_corpus: Path) -> None:
    write_article(
        tiny_corpus,
        "two-causes",
        "What makes legs sore",
        (
            "## Lactic acid\n\nLactic acid causes the soreness you feel after squats.\n\n"
            "## Micro-tears\n\nMuscle soreness is caused by micro-tears in the muscle fibres."
        ),
    )
    own = [x for x in lrkb.open(tiny_corpus).conflicts() if x.a.source == x.b.source]
    assert [(x.issue, x.kind) for x in own] == [("cause-soreness", "direct")]
    assert "lactic acid" in own[0].why and "muscle damage" in own[0].why


# --- curation -----------------------------------------------------------------------------------


def test_curation_corrects_adds_and_vetoes(tiny_corpus: Path) -> None:
    kb = lrkb.open(tiny_corpus)
    detected = kb.conflicts()
    assert [(x.origin, x.issue) for x in detected] == [("detected", "running-recovery")]
    (tiny_corpus / "curation.toml").write_text("""
[[veto]]
a = { source = "jog-helps", quote = "flush out lactic acid" }
b = { source = "jog-hurts", quote = "Hard running after leg day also delays recovery." }
reason = "test veto"

[[claim]]
source = "jog-helps"
quote = "Drink plenty of water after training to stay hydrated."
issue = "running-recovery"
stance = "no effect"
reason = "test correction"

[[conflict]]
issue = "running-muscle-size"
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
    assert (water.origin, water.issue, water.stance) == ("curated", "running-recovery", "no effect")


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
            '[[claim]]\nsource = "jog-helps"\nquote = "A light jog"\nissue = "running-recovery"\n'
            'stance = "great"\nreason = "r"\n',
            "stance 'great'",
        ),
        (
            '[[claim]]\nsource = "jog-helps"\nquote = "A light jog"\ndirection = "sideways"\n'
            'reason = "r"\n',
            "direction must be one of",
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


def test_a_bad_lexicon_is_a_named_error(tiny_corpus: Path) -> None:
    (tiny_corpus / "issues.toml").write_text('[[issue]]\nagent = "unicycling"\nquestion = "?"\n')
    with pytest.raises(CurationError, match=r"issues\.toml: \[\[issue\]\] needs a known agent"):
        lrkb.open(tiny_corpus).conflicts()


def test_claim_dict_equals_asdict(real_kb: lrkb.KnowledgeBase) -> None:
    from lrkb.models import claim_dict

    for claim in real_kb.claims[:50]:
        assert json.dumps(claim_dict(claim)) == json.dumps(dataclasses.asdict(claim))


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("agent = 5\n", r"every \[\[agent\]\] must be a table"),
        ('[[agent]]\nname = "x"\nwords = ["x"]\nmodality = ["a"]\n', "'modality' must be a table"),
        ("[scope]\ntiming = 3\n", "'timing' must be a table"),
        ('[attribution]\nreported = ["(unclosed"]\n', r"bad pattern '\(unclosed'"),
    ],
)
def test_a_malformed_lexicon_is_a_one_line_error(
    tiny_corpus: Path, toml: str, message: str
) -> None:
    (tiny_corpus / "issues.toml").write_text(toml)
    with pytest.raises(CurationError, match=message):
        lrkb.open(tiny_corpus).conflicts()


def test_an_activity_combined_with_lifting_is_the_agent(rules: Rules) -> None:
    (combined,) = read_text(
        "Combining resistance training with interval running does not suppress muscle growth.",
        rules,
        "a",
    )
    assert (combined.agent, combined.outcome, combined.direction) == (
        "running",
        "muscle size",
        "no effect",
    )
    (alone,) = read_text("Resistance training increases muscle growth.", rules, "b")
    assert alone.agent == "weight training"


def test_which_after_a_clause_says_more_about_its_subject(rules: Rules) -> None:
    # the main clause names no outcome of its own: growth is the relative clause's, and it
    # shrinks; before, the "increases" of the main clause was read on growth (improves)
    (claim,) = read_text(
        "Marathon training increases protein breakdown, which may reduce muscle growth.",
        rules,
        "a",
    )
    assert (claim.agent, claim.outcome, claim.direction) == ("running", "muscle size", "worsens")
    # a cause in the object stays the relative clause's antecedent
    frames = read_text(
        "Stretching helps by reducing lactic acid in your legs, which can cause soreness.",
        rules,
        "b",
    )
    assert ("lactic acid", "soreness", "causes") in {
        (c.agent, c.outcome, c.direction) for c in frames
    }
    assert ("stretching", "soreness", "improves") in {
        (c.agent, c.outcome, c.direction) for c in frames
    }


def test_what_a_claim_compares_with_is_not_its_agent(rules: Rules) -> None:
    text = "Short jogs are pleasant. But they will not improve recovery like sleep does."
    frames = [c for c in read_text(text, rules, "a") if c.outcome == "recovery"]
    assert [(c.agent, c.direction) for c in frames] == [("running", "no effect")]
    # "like" meaning "such as" names the agent
    (such,) = read_text("Risk of injury increases with hard sessions like sprinting.", rules, "b")
    assert (such.agent, such.outcome, such.direction) == ("running", "injury", "worsens")


def test_a_phrasal_verb_clears_a_bad_outcome(rules: Rules) -> None:
    (clears,) = read_text("An easy jog helps you walk off the stiffness.", rules, "a")
    assert (clears.agent, clears.outcome, clears.direction) == ("running", "soreness", "improves")
    (denied,) = read_text("Sadly, you cannot jog the soreness away.", rules, "b")
    assert (denied.agent, denied.outcome, denied.direction) == ("running", "soreness", "no effect")
    assert compare(clears, denied, rules) is not None


def test_a_cause_blamed_with_from(rules: Rules) -> None:
    (blamed,) = read_text("Your calves are sore from lactic acid after a hard run.", rules, "a")
    assert (blamed.agent, blamed.outcome, blamed.direction) == ("lactic acid", "soreness", "causes")
    (denied,) = read_text("Your legs are not stiff from lactate, they are damaged.", rules, "b")
    assert (denied.agent, denied.direction) == ("lactic acid", "does not cause")
    assert compare(blamed, denied, rules) is not None


def test_words_naming_an_outcomes_failure_read_the_other_way(rules: Rules) -> None:
    (leads,) = read_text("Daily hard intervals can lead to overtraining.", rules, "a")
    assert (leads.agent, leads.outcome, leads.direction) == ("running", "recovery", "worsens")
    (prevents,) = read_text("Easy jogs prevent overtraining.", rules, "b")
    assert (prevents.outcome, prevents.direction) == ("recovery", "improves")
    (loss,) = read_text("Long runs increase muscle breakdown.", rules, "c")
    assert (loss.outcome, loss.direction) == ("muscle size", "worsens")
    (kept,) = read_text("Light cycling prevents strength loss after squats.", rules, "d")
    assert (kept.outcome, kept.direction) == ("strength", "improves")


def test_of_either_is_a_pronoun_and_what_is_missing_does_not_act(rules: Rules) -> None:
    text = "Easy runs are fine. Too much of either without enough sleep can lead to overtraining."
    frames = [c for c in read_text(text, rules, "a") if c.outcome == "recovery"]
    assert [(c.agent, c.direction) for c in frames] == [("running", "worsens")]


def test_hard_is_no_negation(rules: Rules) -> None:
    # "hardly" is a negation; "hard" (its stem) is not
    (hard,) = read_text("Hard intervals after squats impair muscle growth.", rules, "a")
    assert hard.direction == "worsens"
    (hardly,) = read_text("Easy jogs hardly impair muscle growth.", rules, "b")
    assert hardly.direction == "no effect"


def test_a_flat_denial_of_benefit_meets_the_same_agents_claims(rules: Rules) -> None:
    (flat,) = read_text("Ice baths are popular but do not offer much real benefit.", rules, "a")
    assert (flat.agent, flat.outcome, flat.direction) == ("cold exposure", None, "no effect")
    (helps,) = read_text("Ice baths after a hard session reduce muscle soreness.", rules, "b")
    result = compare(flat, helps, rules)
    assert result is not None and result[0] == "direct"
    # only the very same agent: a denial about jogging says nothing about cardio in general
    (jog,) = read_text("Jogging is popular but does not offer much real benefit.", rules, "c")
    (cardio,) = read_text("Cardio after a hard session reduces muscle soreness.", rules, "d")
    assert jog.direction == "no effect" and cardio.direction == "improves"
    assert compare(jog, cardio, rules) is None


def test_before_or_after_states_no_timing(rules: Rules) -> None:
    (any_time,) = read_text("Cardio before or after lifting will limit your gains.", rules, "a")
    assert any_time.scope.timing is None and any_time.direction == "worsens"
    (before,) = read_text("Cardio before lifting will limit your gains.", rules, "b")
    assert before.scope.timing is not None and "before" in before.scope.timing


def test_recovering_sooner_is_recovery(rules: Rules) -> None:
    (back,) = read_text("A short jog helps your legs bounce back.", rules, "a")
    assert (back.agent, back.outcome, back.direction) == ("running", "recovery", "improves")


def test_a_word_joined_to_an_outcome_phrase_shares_its_head(rules: Rules) -> None:
    frames = read_text("Marathon running can hinder muscle and strength building.", rules, "a")
    assert {(c.outcome, c.direction) for c in frames} == {
        ("muscle size", "worsens"),
        ("strength", "worsens"),
    }


def test_a_duration_that_dates_a_measurement_is_no_advice_to_wait(rules: Rules) -> None:
    (measured,) = read_text(
        "Easy cycling led to a large increase in leg strength by 72 hours after the workout.",
        rules,
        "a",
    )
    assert (measured.outcome, measured.direction, measured.kind) == (
        "strength",
        "improves",
        "effect",
    )
    (wait,) = read_text("Give it 72 hours between heavy squats and sprints.", rules, "b")
    assert (wait.kind, wait.direction) == ("recommendation", "worsens")


def test_why_of_an_outcome_where_more_is_worse(rules: Rules) -> None:
    (eases,) = read_text("Stretching after squats reduces muscle soreness.", rules, "a")
    (null,) = read_text("Stretching after squats does not affect muscle soreness.", rules, "b")
    result = compare(eases, null, rules)
    assert result is not None
    assert result[1].startswith(
        "stretching reduces soreness vs stretching has no effect on soreness"
    )


def test_a_failure_named_without_a_verb_is_the_harm(rules: Rules) -> None:
    (loses,) = read_text("Marathon training makes you lose muscle.", rules, "a")
    assert (loses.agent, loses.outcome, loses.direction) == ("running", "muscle size", "worsens")
    (keeps,) = read_text("Many runners jog daily without losing muscle.", rules, "b")
    assert (keeps.outcome, keeps.direction) == ("muscle size", "no effect")
    assert compare(loses, keeps, rules) is not None


def test_effect_size_intervals_in_every_usual_form(rules: Rules) -> None:
    # Unicode minus, a labelled estimate with its interval in brackets, "<" on both sides
    for text in (
        "Concurrent training changed hypertrophy, g = −0.5 [−0.9, −0.1].",
        "Concurrent training changed lower-body power (−2.26 < g < −0.40).",
        "Concurrent training changed muscle size, SMD − 0.23 (95% CI − 0.46 to − 0.01).",
    ):
        assert _frame(rules, text)[0] == "cardio", text
        assert _frame(rules, text)[2] == "worsens", text
    # the same forms spanning zero are a null; a decrease in a bad outcome is an improvement
    assert _frame(rules, "Concurrent training and hypertrophy: ES = −0.2 [−0.6, 0.1].")[2] == (
        "no effect"
    )
    assert _frame(rules, "Concurrent training and strength: (−0.3 < WMD < 0.4).")[2] == "no effect"
    assert _frame(rules, "Cold water immersion changed soreness (d = −0.6 [−1.0, −0.2]).")[2] == (
        "improves"
    )


def test_the_clause_after_but_takes_no_outcome_from_before_it(rules: Rules) -> None:
    text = (
        "You lift to build mass and do cardio to burn fat, but done together cardio can stunt you."
    )
    assert _frame(rules, text) == ("cardio", None, "worsens")
    with_gains = text.replace("stunt you", "stunt your gains")
    assert _frame(rules, with_gains) == ("cardio", "muscle size", "worsens")
    # "not only … but" adds, and "it" points back to the outcome before
    added = "Cardio will not only not destroy muscle growth, but will even help build it."
    assert _frame(rules, added)[1] == "muscle size"
    # a denial before "but" stands beside the main clause, about its own outcome
    both = read_text(
        "A light jog might not obstruct muscle growth, but instead improves stamina.", rules, "a"
    )
    assert {(c.agent, c.outcome, c.direction) for c in both} == {
        ("running", "endurance", "improves"),
        ("running", "muscle size", "no effect"),
    }


def test_interfering_with_training_names_what_the_training_builds(rules: Rules) -> None:
    assert _frame(rules, "A light jog won't interfere with your strength training.") == (
        "running",
        "strength",
        "no effect",
    )
    assert _frame(rules, "Hard sprints can get in the way of your squats.") == (
        "running",
        "strength",
        "worsens",
    )
    assert _frame(rules, "Running won't interfere with your gains.")[1] == "muscle size"


def test_a_view_the_evidence_does_not_bear_out(rules: Rules) -> None:
    for text, frame in (
        ("There's no research to back up the claim that cardio kills your gains.",
         ("cardio", "muscle size")),
        ("The evidence that running blunts hypertrophy is weak.", ("running", "muscle size")),
        ("The effectiveness of foam rolling for reducing soreness is unclear at best.",
         ("foam rolling", "soreness")),
        ("The idea that sprints hurt your strength is overstated.", ("running", "strength")),
    ):  # fmt: skip
        found = {(c.agent, c.outcome, c.direction, c.attribution) for c in read_text(text, rules)}
        assert (*frame, "no effect", "asserted") in found, text
        assert not any(d == "no effect" and a == "reported" for *_, d, a in found), text
        assert any(a == "reported" and d != "no effect" for *_, d, a in found), text
    # the author's no effect meets an asserted claim of the view; the reported view meets nothing
    (*_, kills), (denied, *_) = (
        read_text("Cardio kills your gains.", rules, "a"),
        read_text("There is no evidence that cardio kills your gains.", rules, "b"),
    )
    assert compare(kills, denied, rules) is not None


def test_outcomes_kept_alongside_an_activity(rules: Rules) -> None:
    kept = read_text(
        "Muscle mass and strength can be preserved even during marathon training.", rules
    )
    assert {(c.agent, c.outcome, c.direction) for c in kept} == {
        ("running", "muscle size", "no effect"),
        ("running", "strength", "no effect"),
    }
    assert _frame(rules, "You can keep your gains while running.") == (
        "running",
        "muscle size",
        "no effect",
    )
    lost = "You can't maintain your muscle mass while running 100 miles a week."
    assert _frame(rules, lost) == ("running", "muscle size", "worsens")
    # keeping with no activity alongside claims nothing about one
    assert not frames("Keep lifting so your body gets what it needs to maintain muscle.", rules)


def test_views_held_by_others_in_any_tense_are_reported(rules: Rules) -> None:
    for text in (
        "Among lifters it has become axiomatic that cardio shrinks your muscles.",
        "Some said that an easy jog speeds up recovery after squats.",
        "Bodybuilders believe that running burns muscle.",
        "There are plenty of claims that a recovery run flushes out soreness.",
    ):
        read = read_text(text, rules)
        assert read, text
        assert {c.attribution for c in read} == {"reported"}, text
    # the author's own view stays asserted
    assert {c.attribution for c in read_text("An easy jog speeds up recovery.", rules)} == {
        "asserted"
    }


def test_cardio_that_burns_or_eats_muscle_worsens_muscle_size(rules: Rules) -> None:
    assert _frame(rules, "Long marathon blocks eat muscle.")[1:] == ("muscle size", "worsens")
    assert _frame(rules, "Three short HIIT sessions a week will not burn muscle.") == (
        "running",
        "muscle size",
        "no effect",
    )
    assert _frame(rules, "My coach says too much cardio will make you skinny.")[1:] == (
        "muscle size",
        "worsens",
    )


def test_training_phases_and_light_workouts_are_agents(rules: Rules) -> None:
    kept = read_text("Strength can be kept up even during endurance blocks.", rules)
    assert {(c.agent, c.outcome, c.direction) for c in kept} == {
        ("cardio", "strength", "no effect")
    }
    assert _frame(rules, "A light workout the day after can relieve soreness.") == (
        "active recovery",
        "soreness",
        "improves",
    )


def test_a_clause_set_against_the_main_one_by_while_or_whereas(rules: Rules) -> None:
    # the trailing clause's "no change" is about other methods, not the main clause's agent
    text = (
        "Massage produced a moderate decrease in DOMS, while there was no change with stretching."
    )
    assert {(c.agent, c.outcome, c.direction) for c in read_text(text, rules)} >= {
        ("foam rolling", "soreness", "improves"),
        ("stretching", "soreness", "no effect"),
    }
    text = "Long slow cardio eats into lean mass whereas short sprints can boost muscle growth."
    assert {(c.agent, c.outcome, c.direction) for c in read_text(text, rules)} == {
        ("cardio", "muscle size", "worsens"),
        ("running", "muscle size", "improves"),
    }
    # "while" meaning "during" opens no clause of its own
    assert _frame(rules, "You can keep your gains while running three times a week.") == (
        "running",
        "muscle size",
        "no effect",
    )
    assert _frame(rules, "Jogging while sore reduces stiffness the next day.") == (
        "running",
        "soreness",
        "improves",
    )


def test_a_cue_phrase_keeps_its_words_from_agents_and_causes(rules: Rules) -> None:
    # "eats into" is no eating (nutrition), and a decrease a few words after "induced" decides
    assert _frame(rules, "Too much cardio eats into your recovery.") == (
        "cardio",
        "recovery",
        "worsens",
    )
    assert _frame(rules, "Cold water immersion induced a small but clear decrease in DOMS.") == (
        "cold exposure",
        "soreness",
        "improves",
    )
    assert _frame(rules, "Eating enough protein speeds up recovery.")[0] == "nutrition"


def test_lifting_put_first_is_a_claim_about_the_activity_put_second(rules: Rules) -> None:
    for text, outcome in (
        ("Do your squats before cardio to maximize your strength.", "strength"),
        (
            "It is better to do weight training first, then run, to help muscle growth.",
            "muscle size",
        ),
    ):
        found = read_text(text, rules)
        assert found, text
        assert (found[0].agent, found[0].outcome, found[0].direction) == (
            "cardio" if "cardio" in text else "running",
            outcome,
            "worsens",
        ), text
    # lifting after the other activity, or lifting alone, stays lifting
    assert _frame(rules, "Squats improve your strength.")[0] == "weight training"
    # a concession after a comma is no part of the main clause
    assert _frame(rules, "Lifting first, then cycling, led to greater strength gains, although "
                  "no difference was seen in older adults.") == ("cardio", "strength", "worsens")  # fmt: skip


def test_judging_an_agent_effective_for_an_outcome_improves_it(rules: Rules) -> None:
    assert _frame(rules, "Sprint intervals are more effective for fat loss than long jogs.") == (
        "running",
        "fat loss",
        "improves",
    )
    assert _frame(rules, "A sports massage may be the best technique for relieving DOMS.")[:2] == (
        "foam rolling",
        "soreness",
    )
    # "effective" stems like "effects": "effects in response to" is no judgement
    found = read_text("Soreness is a result of the effects in response to muscle damage.", rules)
    assert all(c.direction == "causes" for c in found)


def test_a_goal_that_is_only_the_claims_own_outcome_is_no_condition(rules: Rules) -> None:
    (blunts,) = read_text("Concurrent training can blunt strength gains.", rules, "a")
    (spared,) = read_text("Lean sprinters say sprinting won't hurt your strength.", rules, "b")
    assert blunts.scope.goal == "strength"
    assert compare(blunts, spared, rules) is not None
    # goals stated apart from the outcome still keep two claims apart
    (lifter,) = read_text("For bodybuilders, cardio blunts muscle growth.", rules, "c")
    (marathoner,) = read_text(
        "For marathon runners, cardio does not blunt muscle growth.", rules, "d"
    )
    assert (lifter.scope.goal, marathoner.scope.goal) == ("hypertrophy", "hypertrophy/endurance")
    assert compare(lifter, marathoner, rules) is None


def test_a_denial_of_evidence_in_someones_words(rules: Rules) -> None:
    text = "The coach disagrees and says there is no evidence that an easy jog speeds up recovery."
    found = {(c.agent, c.outcome, c.direction, c.attribution) for c in read_text(text, rules)}
    assert ("running", "recovery", "no effect", "asserted") in found
    assert ("running", "recovery", "improves", "reported") in found


def test_a_condition_with_no_comma_ends_where_its_main_clause_begins(rules: Rules) -> None:
    text = "Several trials found that when done in one session cardio can blunt your gains."
    assert _frame(rules, text) == ("cardio", "muscle size", "worsens")
    # a condition that holds no clause of its own stays whole
    conditional = read_text("Running hurts your gains if you run hard.", rules)
    assert any(w.startswith("condition: 'if you run hard'") for w in conditional[0].why)


def test_by_not_doing_it_reads_the_other_way_for_doing_it(rules: Rules) -> None:
    assert _frame(rules, "By not jogging the day after squats, my soreness lasted longer and "
                  "got worse.") == ("running", "soreness", "improves")  # fmt: skip
    assert _frame(rules, "By skipping cardio, I kept more of my muscle gains.")[::2] == (
        "cardio",
        "worsens",
    )


def test_taking_longer_limbering_up_and_giving_the_body_time(rules: Rules) -> None:
    assert _frame(rules, "Hard intervals make your legs take longer to recover.") == (
        "running",
        "recovery",
        "worsens",
    )
    assert _frame(rules, "My legs were stiff, and an easy jog limbered them up.")[::2] == (
        "running",
        "improves",
    )
    wait = "Leave a few hours between lifting and your run to give your body time to recover."
    assert _frame(rules, wait) == ("running", "recovery", "worsens")


def test_advice_on_it_is_advice_on_what_the_text_is_about(rules: Rules) -> None:
    text = "Sprints after leg day? If you're so sore you can barely stand, I'd skip it."
    last = [
        c for c in read_text(text, rules, "forum", "Sprinting after leg day") if "skip" in c.text
    ]
    assert [(c.agent, c.outcome, c.direction, c.scope.population) for c in last] == [
        ("running", None, "worsens", "sore")
    ]


def test_advice_to_ramp_down_an_activity_discourages_it(rules: Rules) -> None:
    text = "For the two days after heavy squats, dial back the intervals."
    assert _frame(rules, text)[::2] == ("running", "worsens")
    assert _frame(rules, "Scale back on long runs the day after leg day.")[::2] == (
        "running",
        "worsens",
    )


def test_a_condition_after_the_main_verb_lends_it_no_cue(rules: Rules) -> None:
    text = "Jogging with sore legs is okay as long as your stride isn't compromised."
    (claim,) = read_text(text, rules)
    assert (claim.agent, claim.outcome, claim.direction, claim.scope.population) == (
        "running",
        None,
        "improves",
        "sore",
    )
    # with no cue of its own the main clause still reads the condition's
    assert _frame(rules, "Cardio blunts growth only if it is too long.")[::2] == (
        "cardio",
        "worsens",
    )


def test_a_null_result_with_no_doer_is_about_what_the_text_studies(rules: Rules) -> None:
    text = "At the whole-muscle level, there were no significant differences in hypertrophy."
    (claim,) = read_text(text, rules, "study", "Concurrent training and muscle growth")
    assert (claim.agent, claim.outcome, claim.direction) == ("cardio", "muscle size", "no effect")
    # with no subject of study around, no agent is made up
    assert all(c.agent is None for c in read_text(text, rules))


def test_comparisons_and_sparing_read_as_the_guide_says(rules: Rules) -> None:
    # "no more effective than rest" is a null, not a benefit
    assert _frame(rules, "An easy spin was no more effective than rest at reducing DOMS.")[1:] == (
        "soreness",
        "no effect",
    )
    # judging the agent: easier on / harder on your legs
    assert _frame(rules, "Cycling is easier on your legs than sprinting.")[::2] == (
        "cardio",
        "improves",
    )
    assert _frame(rules, "Downhill running is rough on sore quads.")[::2] == ("running", "worsens")
    # a good outcome spared is no effect, a bad one avoided is eased
    assert _frame(rules, "You can run after leg day without sacrificing your gains.") == (
        "running",
        "muscle size",
        "no effect",
    )
    assert _frame(rules, "Metcon sessions after leg day will sap your strength.") == (
        "cardio",
        "strength",
        "worsens",
    )


def test_hard_earned_muscle_while_sore_and_what_they_fear(rules: Rules) -> None:
    assert _frame(rules, "Too much running will eat away at your hard-earned muscle.") == (
        "running",
        "muscle size",
        "worsens",
    )
    (safe,) = read_text("Jogging while sore is perfectly safe for most people.", rules)
    assert (safe.outcome, safe.direction, safe.scope.population) == (None, "improves", "sore")
    feared = read_text(
        "Lots of lifters skip cardio because they fear it will shrink their gains.", rules
    )
    assert {c.attribution for c in feared} == {"reported"}


def test_going_without_an_agent_and_weak_evidence_for_it(rules: Rules) -> None:
    assert _frame(rules, "Skipping rest days is a fast track to overtraining.") == (
        "rest",
        "recovery",
        "improves",
    )
    weak = read_text("There is only limited evidence that massage reduces DOMS.", rules)
    assert {(c.direction, c.attribution) for c in weak} == {
        ("no effect", "asserted"),
        ("improves", "reported"),
    }
    small = "The effect of stretching on soreness was small and not clinically meaningful."
    assert _frame(rules, small) == ("stretching", "soreness", "no effect")
    (choice,) = read_text("If your legs are really sore, a rest day is the smarter choice.", rules)
    assert (choice.agent, choice.direction) == ("rest", "improves")


def test_denied_advice_and_advice_on_it_take_no_outcome_from_before(rules: Rules) -> None:
    (key,) = read_text("The trick isn't avoiding cardio; it's spacing it out.", rules)
    assert (key.agent, key.outcome, key.direction) == ("cardio", None, "improves")
    text = "Intervals after squats wreck your recovery. If you're too sore to walk, skip it."
    last = [
        c for c in read_text(text, rules, "forum", "Intervals after leg day") if "skip" in c.text
    ]
    assert [(c.agent, c.outcome, c.direction) for c in last] == [("running", None, "worsens")]


def test_denying_one_cause_and_blaming_another_agree(rules: Rules) -> None:
    (denied,) = read_text(
        "Lactic acid does not cause the soreness you feel two days later.", rules, "a"
    )
    (blamed,) = read_text("Soreness is caused by microscopic tears in the muscle.", rules, "b")
    (claimed,) = read_text("Lactic acid buildup causes muscle soreness.", rules, "c")
    assert (denied.agent, blamed.agent, claimed.agent) == (
        "lactic acid",
        "muscle damage",
        "lactic acid",
    )
    assert compare(denied, blamed, rules) is None
    assert compare(denied, claimed, rules) is not None


def test_a_but_clause_that_only_qualifies_keeps_the_claim(rules: Rules) -> None:
    text = "Endurance training blunts hypertrophy in novices, but in strength-trained lifters the effect is smaller."
    assert _frame(rules, text) == ("cardio", "muscle size", "worsens")
    # a "but" clause with a claim of its own is still the main one
    assert _frame(rules, "Running helps recovery, but it does not reduce soreness.")[1:] == (
        "soreness",
        "no effect",
    )
    # people described as trained are not the training
    assert _frame(rules, "Cycling reduced soreness in strength-trained men.") == (
        "cardio",
        "soreness",
        "improves",
    )


def test_an_outcome_word_that_begins_a_cue_phrase_is_the_cues(rules: Rules) -> None:
    found = read_text("Massage is the most powerful technique for recovering from DOMS.", rules)
    assert {(c.agent, c.outcome, c.direction) for c in found} >= {
        ("foam rolling", "soreness", "improves")
    }
    # the word alone is still the outcome
    assert _frame(rules, "Heavy squats improve power.") == ("weight training", "power", "improves")


def test_compare_applies_the_same_article_rule_itself(rules: Rules) -> None:
    hard = read_text("Long runs can blunt muscle growth.", rules, "blog")[0]
    easy = read_text("Easy jogging does not hurt muscle growth.", rules, "blog")[0]
    other = read_text("Easy jogging does not hurt muscle growth.", rules, "forum")[0]
    assert (hard.scope.intensity, easy.scope.intensity) == ("high-volume", "light")
    assert compare(hard, other, rules) is not None  # two articles: a scope conflict
    assert compare(hard, easy, rules) is None  # one article stating its conditions


def test_advising_against_discourages(rules: Rules) -> None:
    assert _frame(rules, "Most coaches advise against sprinting the day after heavy squats.")[
        ::2
    ] == (
        "running",
        "worsens",
    )
    text = "Intervals the day after squats? I would advise against doing that."
    last = [
        c for c in read_text(text, rules, "forum", "Intervals after leg day") if "advise" in c.text
    ]
    assert [(c.agent, c.direction) for c in last] == [("running", "worsens")]


def test_a_bad_state_before_but_is_what_the_clause_after_relieves(rules: Rules) -> None:
    text = "I was really sore on Monday, but after an easy jog my legs felt much better."
    assert _frame(rules, text) == ("running", "soreness", "improves")
    # an outcome of its own after the "but" is still the one meant
    other = "I was sore for days, but cycling helps burn fat."
    assert _frame(rules, other) == ("cardio", "fat loss", "improves")


def test_a_catabolic_state_is_muscle_lost(rules: Rules) -> None:
    assert _frame(rules, "Hours of cardio put your body in a catabolic state.") == (
        "cardio",
        "muscle size",
        "worsens",
    )


def test_working_out_the_kinks_clears_them(rules: Rules) -> None:
    assert _frame(rules, "An easy jog will work out all of those kinks.") == (
        "running",
        "soreness",
        "improves",
    )
    # "points out, overtraining …" clears nothing
    text = "As my coach points out, overtraining will increase your risk of injury."
    assert _frame(rules, text)[1:] == ("injury", "worsens")


def test_a_debunked_view_is_denied_by_the_author(rules: Rules) -> None:
    found = read_text(
        "The notion that lactic acid is the reason your legs ache has been debunked.", rules
    )
    assert {(c.agent, c.outcome, c.direction, c.attribution) for c in found} == {
        ("lactic acid", "soreness", "does not cause", "asserted"),
        ("lactic acid", "soreness", "causes", "reported"),
    }


def test_a_result_of_names_a_cause_and_results_of_a_study_do_not(rules: Rules) -> None:
    text = "Research suggests soreness is a result of small tears sustained during hard exercise."
    assert _frame(rules, text) == ("muscle damage", "soreness", "causes")
    study = "Results of the study showed that DOMS was significantly reduced when massage was used."
    assert _frame(rules, study) == ("foam rolling", "soreness", "improves")


def test_nothing_wrong_with_it_and_a_minimal_effect(rules: Rules) -> None:
    (fine,) = read_text("There's nothing wrong with a light jog after squats.", rules)
    assert (fine.agent, fine.direction) == ("running", "improves")
    small = "The interference effect of cycling on hypertrophy appears to be minimal."
    assert _frame(rules, small) == ("cardio", "muscle size", "no effect")


def test_a_list_item_with_a_modifier_shares_the_verb(rules: Rules) -> None:
    found = read_text(
        "Concurrent training did not hinder maximal strength or quadriceps hypertrophy.", rules
    )
    assert {(c.outcome, c.direction) for c in found} == {
        ("strength", "no effect"),
        ("muscle size", "no effect"),
    }


def test_a_more_or_less_word_with_nothing_to_act_on_gives_way(rules: Rules) -> None:
    text = "When my legs are sore, slower cardio the next day helps loosen them up."
    assert _frame(rules, text)[::2] == ("cardio", "improves")


def test_more_ways_of_reporting_a_view(rules: Rules) -> None:
    for text in (
        "Gym bros will tell you that cardio kills gains.",
        "The old advice was that running after squats hurts your recovery.",
        "According to one popular theory, foam rolling speeds up recovery.",
    ):
        assert {c.attribution for c in read_text(text, rules)} == {"reported"}, text
    own = read_text("I used to think cardio would eat into my gains, but I was wrong.", rules)
    assert {(c.direction, c.attribution) for c in own} == {
        ("worsens", "reported"),
        ("no effect", "asserted"),
    }


def test_lower_as_a_result_and_creatine_kinase_as_damage(rules: Rules) -> None:
    text = "Perceived soreness was lower in the light cycling group at 48 hours."
    assert _frame(rules, text)[1:] == ("soreness", "improves")
    # "lower" alone is still no cue ("lower limb"), and creatine kinase is no supplement
    assert not frames("Lower limb strength was measured before and after.", rules)
    ck = frames("Creatine kinase levels were unaffected by an easy spin.", rules)
    assert all(f.agent is None or f.agent.name != "nutrition" for f in ck)


def test_views_others_argue_or_told_us_are_reported(rules: Rules) -> None:
    for text in (
        "Some coaches argue that a hard run the day after squats slows your recovery.",
        "Others, however, suggest that an easy jog speeds up recovery after leg day.",
        "She told me cycling would shrink my quads.",
        "“Cardio will kill your gains,” they say.",
        "They believed that long runs would blunt muscle growth.",
    ):
        read = read_text(text, rules)
        assert read, text
        assert {c.attribution for c in read} == {"reported"}, text
    # a study's finding, and advice in the author's voice, stay asserted
    for text in (
        "Some studies suggest that an easy jog speeds up recovery after leg day.",
        "Others have found that easy cycling reduces soreness.",
    ):
        assert {c.attribution for c in read_text(text, rules)} == {"asserted"}, text


def test_what_a_claim_is_weighed_against_fares_the_other_way(rules: Rules) -> None:
    def read(text: str) -> set[tuple[str | None, str | None, str | None]]:
        return {
            (f.agent.name if f.agent else None, f.outcome, f.direction) for f in frames(text, rules)
        }

    assert ("running", "soreness", "worsens") in read(
        "In the trial, the swimmers reported less soreness than the runners."
    )
    assert ("running", "muscle size", "worsens") in read(
        "For bigger quads, cycling is superior to pounding the pavement."
    )
    # the same agent again, and lifting as the control group, are no such claim
    same = read("An easy jog helps recovery more than a hard run.")
    assert not any(d == "worsens" for *_, d in same), same
    # the one weighed against carries its own words' conditions, not the other side's
    (runners,) = [
        c for c in read_text("The cyclists reported less soreness than the runners.", rules)
        if c.agent == "running"
    ]  # fmt: skip
    assert (runners.direction, runners.scope.modality) == ("worsens", None)
    assert ("running", "muscle size", "worsens") in read(
        "Swimming is better than hard running for leg size."
    )
    # two forms of one activity judged for efficacy weigh conditions, not the activity
    forms = read("Sprint intervals are more effective for fat loss than slow cardio.")
    assert not any(d == "worsens" for *_, d in forms), forms
    # "rather than" names an alternative, not a degree
    other = read(
        "The soreness in my legs was probably generated by the squats rather than the run."
    )
    assert not any(a == "running" and d == "improves" for a, _, d in other), other
    control = read("Concurrent training produced less muscle growth than lifting alone.")
    assert ("weight training", "muscle size", "improves") not in control, control


def test_a_goal_in_the_condition_is_what_a_judgement_is_about(rules: Rules) -> None:
    for text in (
        "If your goal is leg size, the bike is superior to running.",
        "Swimming is a better choice than running if you want bigger legs.",
    ):
        found = {
            (f.agent.name if f.agent else None, f.outcome, f.direction) for f in frames(text, rules)
        }
        assert ("running", "muscle size", "worsens") in found, (text, found)
    # a condition on whom it is for still names no outcome
    assert _frame(rules, "If you are sore, a light jog helps.")[1] is None


def test_breaking_down_muscle_is_muscle_sizes_failure(rules: Rules) -> None:
    assert _frame(rules, "Marathon training can break down muscle tissue.")[1:] == (
        "muscle size",
        "worsens",
    )
    assert _frame(rules, "Long slow runs can burn up muscle.")[1:] == ("muscle size", "worsens")
    # raising what breaks muscle down worsens it, even with "increase" as the verb
    text = "Long cardio sessions increase cortisol, a hormone that breaks down muscle."
    assert _frame(rules, text) == ("cardio", "muscle size", "worsens")


def test_muscle_amounts_and_getting_weaker_are_outcome_words(rules: Rules) -> None:
    def read(text: str) -> set[tuple[str | None, str | None]]:
        return {(f.outcome, f.direction) for f in frames(text, rules)}

    # a longer muscle phrase keeps the list that follows it together
    assert read("Hill sprints help you build lean muscle mass and strength.") == {
        ("muscle size", "improves"),
        ("strength", "improves"),
    }
    assert read("Cold plunges reduce the amount of muscle and strength you gain.") == {
        ("muscle size", "worsens"),
        ("strength", "worsens"),
    }
    assert read("Pile on the miles and you may get weaker under the bar.") == {
        ("strength", "worsens")
    }
    # "weaker" alone has other senses
    assert not frames("The case for static stretching is weaker than it looks.", rules)


def test_no_interaction_is_a_null_and_csa_is_muscle_size(rules: Rules) -> None:
    text = "Sprint intervals after lifting showed no interaction effects for quadriceps CSA."
    assert _frame(rules, text) == ("running", "muscle size", "no effect")


def test_but_not_excepts_an_outcome_from_the_effect(rules: Rules) -> None:
    found = {
        (f.agent.name if f.agent else None, f.outcome, f.direction)
        for f in frames("Evening runs blunted hypertrophy but not strength in the trial.", rules)
    }
    assert found == {("running", "muscle size", "worsens"), ("running", "strength", "no effect")}
    # the excepted outcome denies only the main clause's direction
    (spared,) = [
        f for f in frames("Massage relieved soreness but not the risk of injury.", rules)
        if f.outcome == "injury"
    ]  # fmt: skip
    assert (spared.direction, "denies improves: 'but not'" in spared.why) == ("no effect", True)


def test_a_view_called_wrong_is_denied_by_the_author(rules: Rules) -> None:
    read = {
        (f.outcome, f.direction, f.attribution)
        for f in read_text("The notion that a slow jog speeds up recovery is simply false.", rules)
    }
    assert read == {("recovery", "no effect", "asserted"), ("recovery", "improves", "reported")}
    # an activity called wrong states no view to deny
    assert not read_text("Sprinting on sore legs the day after squats is wrong.", rules)


def test_difficulty_worsens_and_who_is_the_people_before_it(rules: Rules) -> None:
    text = "Lifters who sprint the next day have more difficulty recovering from squats."
    assert _frame(rules, text)[1:] == ("recovery", "worsens")
    text = "Cyclists trained longer than the runners, who had a harder time recovering afterwards."
    found = {
        (f.agent.name if f.agent else None, f.outcome, f.direction) for f in frames(text, rules)
    }
    assert ("running", "recovery", "worsens") in found, found
    assert ("cardio", "recovery", "worsens") not in found, found


def test_clearing_a_cause_with_no_outcome_named_is_recovery(rules: Rules) -> None:
    text = "A short spin on the bike helps flush out the metabolic waste left by squats."
    assert _frame(rules, text) == ("cardio", "recovery", "improves")
    # an outcome the sentence names still wins
    text = "An easy jog helps flush out lactic acid, reducing soreness."
    assert ("running", "soreness", "improves") in {
        (f.agent.name if f.agent else None, f.outcome, f.direction) for f in frames(text, rules)
    }


def test_weight_bearing_and_body_weight_are_no_lifting(rules: Rules) -> None:
    text = "As a weight-bearing exercise, jogging helps build lean muscle in the legs."
    assert _frame(rules, text) == ("running", "muscle size", "improves")
    # lifting weights still is
    assert _frame(rules, "Lifting weights helps build lean muscle.")[0] == "weight training"


def test_cant_beat_judges_an_agent_good_for_the_goal_named(rules: Rules) -> None:
    text = "If you're interested in losing body fat without losing muscle, you can't beat sprints."
    assert _frame(rules, text) == ("running", "fat loss", "improves")
    assert _frame(rules, "For recovery, it is hard to beat an easy swim.")[1:] == (
        "recovery",
        "improves",
    )


def test_passive_advice_is_about_its_subject(rules: Rules) -> None:
    assert _frame(rules, "Hill sprints are best avoided the day after heavy squats.")[::2] == (
        "running",
        "worsens",
    )
    assert _frame(rules, "An easy spin is recommended the day after heavy squats.")[::2] == (
        "active recovery",
        "improves",
    )
    # the active form still advises on what follows the verb
    assert _frame(rules, "After heavy squats, avoid hill sprints.")[::2] == ("running", "worsens")


def test_positively_affecting_improves(rules: Rules) -> None:
    assert _frame(rules, "Squats contribute positively to sprint speed.") == (
        "weight training",
        "power",
        "improves",
    )
    assert _frame(rules, "An easy swim positively affected recovery.")[1:] == (
        "recovery",
        "improves",
    )


def test_not_usually_seen_is_a_null(rules: Rules) -> None:
    text = (
        "While sprint work can raise cortisol, leading to an increase in muscle breakdown, "
        "this effect is not usually seen in trained lifters."
    )
    assert {f.direction for f in frames(text, rules)} == {"no effect"}


def test_people_after_in_are_whom_a_claim_is_about(rules: Rules) -> None:
    text = (
        "While lifting can build size, leading to a gain in body mass, "
        "this is not usually seen in runners."
    )
    assert _frame(rules, text) == ("weight training", "muscle size", "no effect")
    # the activity after "in" is still the agent ("engaging in light cardio")
    text = "Engaging in light cardio after squats helps recovery."
    assert _frame(rules, text)[::2] == ("active recovery", "improves")


def test_each_side_of_whereas_carries_its_own_conditions(rules: Rules) -> None:
    read = {
        (c.agent, c.direction, c.scope.intensity)
        for c in read_text(
            "Light cycling reduced soreness, whereas hard sprints increased it.", rules
        )
    }
    assert read == {("cardio", "improves", "light"), ("running", "worsens", "hard")}


def test_more_or_less_of_it_reads_by_the_outcome_it_stands_for(rules: Rules) -> None:
    text = "Hard sprints after squats increase soreness. Easy jogs reduce it."
    (easy,) = [c for c in read_text(text, rules) if c.text.startswith("Easy")]
    assert (easy.outcome, easy.direction) == ("soreness", "improves")


def test_bundled_sentences_the_new_cues_must_not_misread(rules: Rules) -> None:
    # a hard time walking is a symptom, not advice against walking; "maximum difficulty" is a load
    read = frames("So when you're struggling to walk after squats, go for an easy spin.", rules)
    assert all(f.agent is None or f.agent.name != "walking" for f in read), read
    assert not frames("Don't train at maximum difficulty every single day.", rules)
    # "it is recommended to …" is extraposed: the advice is on what follows
    text = "It is recommended to stretch for 20 seconds after squats."
    assert _frame(rules, text)[::2] == ("stretching", "improves")


def test_greatest_and_a_greater_decrease(rules: Rules) -> None:
    text = "Of all the cardio options, swimming has the greatest hypertrophic effect."
    assert _frame(rules, text)[1:] == ("muscle size", "improves")
    # how much something went down: the decrease decides
    assert _frame(rules, "Light cycling produced a greater decrease in DOMS.")[1:] == (
        "soreness",
        "improves",
    )


def test_low_impact_movement_and_a_clause_of_its_own_inherits_nothing_stated(rules: Rules) -> None:
    text = (
        "While a day off can help, light, low-impact movement accelerates recovery more than rest."
    )
    read = {(c.agent, c.direction, c.scope.intensity) for c in read_text(text, rules)}
    assert read == {("active recovery", "improves", "light"), ("rest", "worsens", None)}


def test_where_a_removed_cause_is_taken_from_is_no_outcome(rules: Rules) -> None:
    text = "An easy spin helps flush lactate from muscle tissue after squats."
    assert _frame(rules, text) == ("active recovery", "recovery", "improves")


def test_contrary_to_popular_belief_opens_the_authors_correction(rules: Rules) -> None:
    for text in (
        "Contrary to popular belief, an easy jog the day after squats speeds up recovery.",
        "Despite common belief, cycling does not blunt muscle growth.",
    ):
        assert {c.attribution for c in read_text(text, rules)} == {"asserted"}, text
    # the belief itself, named as one, stays reported
    assert {
        c.attribution for c in read_text("A popular belief is that cardio kills gains.", rules)
    } == {"reported"}


def test_a_correction_after_a_denial_says_its_own_thing(rules: Rules) -> None:
    def read(text: str) -> set[tuple[str | None, str | None, str | None]]:
        return {(c.agent, c.outcome, c.direction) for c in read_text(text, rules)}

    corrected = {("running", "muscle size", "no effect"), ("running", "recovery", "improves")}
    for text in (
        "Running doesn't kill gains; it speeds up recovery.",
        "An easy jog won't ruin your gains - it actually helps you recover.",
        "Jogging does not hurt your gains and actually speeds up recovery.",
        "A slow run will not hinder muscle growth, and it even helps recovery.",
    ):
        assert read(text) == corrected, text
    # a denial with no correction still covers every item of its list
    assert read("Cycling does not hurt muscle growth or improve endurance.") == {
        ("cardio", "muscle size", "no effect"),
        ("cardio", "endurance", "no effect"),
    }
    # and an item with its own subject after an affirmed claim is read as before
    assert read("Cycling reduces soreness, and it even improves endurance.") == {
        ("cardio", "soreness", "improves"),
        ("cardio", "endurance", "improves"),
    }


def test_clearing_waste_is_no_harm_and_reducing_a_bad_outcome_flips_once(rules: Rules) -> None:
    # "waste" shares its stem with the harm word "wasting"; clearing it worsens nothing
    for text in (
        "Foam rolling eliminates waste and reduces soreness.",
        "Cycling removes waste and lessens soreness.",
        "Light jogging gets rid of waste and reduces stiffness.",
    ):
        assert [(c.outcome, c.direction) for c in read_text(text, rules)] == [
            ("soreness", "improves")
        ], text
    # muscle wasting is still muscle lost
    assert _frame(rules, "Endless long runs can cause muscle wasting.") == (
        "running",
        "muscle size",
        "worsens",
    )


def test_as_long_as_and_provided_open_a_condition(rules: Rules) -> None:
    def read(text: str) -> set[tuple[str | None, str | None, str | None]]:
        return {(c.agent, c.outcome, c.direction) for c in read_text(text, rules)}

    # what the condition names is not what the main clause acts on
    for text in (
        "Provided you sleep well and recover, a jog is fine.",
        "So long as your recovery is good, sprinting is fine.",
        "Providing that you refuel, an easy run after squats is okay.",
    ):
        assert read(text) == {("running", None, "improves")}, text
    # with no comma, "then" ends the condition
    assert read("As long as you eat enough calories then running will not hurt your gains.") == {
        ("running", "muscle size", "no effect")
    }
    assert (
        read("As long as you eat enough calories to cover the jogging then you will be fine.")
        == set()
    )
