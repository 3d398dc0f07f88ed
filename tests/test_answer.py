"""The answer: a bottom line of exact quotes, one screen by default, each source once, and the
reranking of candidates, on the real corpus with real people's questions and on small cases."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import lrkb
from lrkb import answer, bottomline, rerank
from lrkb.cli import cli
from lrkb.corpus import load_toml
from lrkb.models import Claim, Conflict, Hit, Issue, Lean, Scope
from lrkb.textout import SCREEN_LINES

REAL_QUESTIONS = Path(__file__).parents[1] / "corpus" / "eval" / "real_questions.toml"


def real_questions(n: int = 12) -> list[str]:
    """The first `n` in-domain questions of the real-question set (copied from the web)."""
    data = load_toml(REAL_QUESTIONS)
    return [q["text"] for q in data["question"] if not q.get("abstain")][:n]


def run(corpus: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), *args])
    assert result.exit_code == code, (result.output, result.exception)
    return result.output


@pytest.fixture
def columns_100(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 100-column terminal, whatever terminal runs the tests."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "40")


# --- the bottom line -----------------------------------------------------------------------


@pytest.mark.parametrize("question", [*real_questions(8), "does running kill gains"])
def test_bottom_line_is_exact_located_quotes(real_kb: lrkb.KnowledgeBase, question: str) -> None:
    ans = real_kb.ask(question)
    assert 2 <= len(ans.bottom_line) <= 3, question
    hits = {h.id: h for h in ans.hits}
    leans = {lean.claim.passage: lean.claim for lean in ans.verdict.leans} if ans.verdict else {}
    for q in ans.bottom_line:
        file_text = Path(real_kb.source(q.source).path).read_text(encoding="utf-8")
        assert file_text[q.start : q.end] == q.text
        if q.passage in hits:  # quoted from a passage of the answer, inside its span
            hit = hits[q.passage]
            assert hit.start <= q.start < q.end <= hit.end and hit.source == q.source
        else:  # or the claim of a source's lean in the verdict
            claim = leans[q.passage]
            assert (claim.source, claim.start, claim.end) == (q.source, q.start, q.end)
    assert len({q.passage for q in ans.bottom_line}) == len(ans.bottom_line)


def test_bottom_line_covers_both_sides_when_the_sources_disagree(
    real_kb: lrkb.KnowledgeBase,
) -> None:
    ans = real_kb.ask("does running kill gains")
    sides = {q.side for q in ans.bottom_line} - {None}
    assert len(sides) >= 2, ans.bottom_line
    assert len({q.source for q in ans.bottom_line}) >= 2


def test_side_reads_direction_when_a_claim_has_one() -> None:
    assert bottomline.side(stand_in()) == "helps"
    assert bottomline.side(None) is None

    @dataclass(frozen=True)
    class Directed:
        stance: str
        direction: str

    assert bottomline.side(Directed("helps", "worsens")) == "worsens"  # type: ignore[arg-type]
    assert bottomline.side(Directed("hurts", "does not cause")) == "no effect"  # type: ignore[arg-type]


def hit(pid: str, source: str, text: str, score: float, start: int = 0) -> Hit:
    return Hit(pid, source, source.title(), "", text, score, start, start + len(text), 1, 1)


def stand_in(text: str = "t", **fields: object) -> Claim:
    """A claim of issue "i" whose stance helps, with whatever `fields` a test needs."""
    claim = Claim(
        "c", "s", "p", text, 0, len(text), "effect", "i", "helps", Scope(), "asserted", "none", ()
    )
    return dataclasses.replace(claim, **fields)  # type: ignore[arg-type]


def test_bottom_line_prefers_another_side_to_a_repeat() -> None:
    text = {
        "a": "Running after squats can blunt muscle growth. Running after squats blunts muscle growth.",
        "b": "Running after squats does not hurt muscle growth at all for most lifters.",
    }
    hits = [
        hit("a:1", "a", text["a"], 0.5),
        hit("a:2", "a", text["a"], 0.45),
        hit("b:1", "b", text["b"], 0.4),
    ]
    claim = stand_in(text["b"], source="b", passage="b:1")
    analyze = lrkb.analysis.Analyzer()
    weights = {t: 1.0 for t in analyze("does running after squats blunt muscle growth")}
    quotes = bottomline.bottom_line(
        bottomline.sentences(hits, text.get, [claim]), weights, analyze, limit=2
    )
    assert [q.source for q in quotes] == ["a", "b"]
    assert [text[q.source][q.start : q.end] == q.text for q in quotes] == [True, True]


@pytest.mark.parametrize(
    "aside",
    [
        "Let's take a closer look at whether running after squats blunts muscle growth.",
        "After understanding how running after squats affects muscle growth, plan your week.",
        "In this section, running after squats and muscle growth are covered.",
        "So, does running after squats blunt muscle growth?",
    ],
)
def test_bottom_line_never_quotes_a_sentence_that_answers_nothing(aside: str) -> None:
    text = {
        "a": aside,
        "b": "Easy running after squats is fine for most lifters, whatever their goal.",
    }
    hits = [hit("a:1", "a", text["a"], 0.5), hit("b:1", "b", text["b"], 0.2)]
    analyze = lrkb.analysis.Analyzer()
    weights = {t: 1.0 for t in analyze("does running after squats blunt muscle growth")}
    quotes = bottomline.bottom_line(bottomline.sentences(hits, text.get, []), weights, analyze)
    assert [q.source for q in quotes] == ["b"]


def test_no_bottom_line_when_abstaining(real_kb: lrkb.KnowledgeBase) -> None:
    ans = real_kb.ask("how do I renew my passport")
    assert ans.abstained and ans.bottom_line == () and ans.snippets == ()


# --- one screen, --full, --json --------------------------------------------------------------


def test_default_answer_fits_one_screen(real_corpus: Path, columns_100: None) -> None:
    for question in [*real_questions(100), "does running kill gains"]:
        out = run(real_corpus, "ask", question)
        lines = out.rstrip("\n").split("\n")
        assert len(lines) <= SCREEN_LINES, (question, len(lines))
        assert max(len(line) for line in lines) <= 100, question
        assert lines[0] == "Bottom line"


def sources_section(out: str) -> list[str]:
    return out.split("\nSources\n", 1)[1].rstrip("\n").split("\n")


def test_each_source_is_named_once_with_its_passages(real_corpus: Path, columns_100: None) -> None:
    kb = lrkb.open(real_corpus)
    titles = {s.title for s in kb.sources}
    out = run(real_corpus, "ask", "does running kill gains")
    # Each line: the references, the title (cut to the width), the site of its address.
    named = [re.sub(r"^  (\[\d+\] )+(.*) \([a-z0-9.-]+\)$", r"\2", x) for x in sources_section(out)]
    assert named and len(named) == len(set(named))
    assert all(
        t in titles or (t.endswith("…") and any(x.startswith(t[:-1]) for x in titles))
        for t in named
    )
    cited = [int(n) for line in sources_section(out) for n in re.findall(r"\[(\d+)\]", line)]
    assert sorted(cited) == list(range(1, len(cited) + 1))  # every reference once
    full = sources_section(run(real_corpus, "ask", "does running kill gains", "--full"))
    articles = [
        re.sub(r" <https://[^>]+>$", "", x.strip()) for x in full if not x.startswith("    ")
    ]
    assert len(articles) == len(set(articles)) and set(articles) <= titles
    assert all(
        re.match(r"    \[\d+\] [a-z0-9-]+:[0-9a-f]+$", line)
        for line in full
        if line.startswith("    ")
    )


def test_scores_fall_in_the_order_shown(real_kb: lrkb.KnowledgeBase) -> None:
    for question in real_questions(8):
        scores = [h.score for h in real_kb.ask(question).hits]
        assert scores == sorted(scores, reverse=True), question


def test_full_and_json_carry_everything(real_corpus: Path, columns_100: None) -> None:
    question = "does running kill gains"
    data = json.loads(run(real_corpus, "ask", question, "--json"))
    assert [set(q) for q in data["bottom_line"]] == [
        {"source", "title", "passage", "text", "start", "end", "side"}
    ] * len(data["bottom_line"])
    assert len(data["snippets"]) == len(data["hits"])
    full = " ".join(run(real_corpus, "ask", question, "--full").split())
    for h in data["hits"]:
        assert " ".join(h["text"].split()) in full  # every passage in full
    for x in data["conflicts"]:
        assert x["why"] in full
    short = run(real_corpus, "ask", question)
    assert len(short.split("\n")) < len(run(real_corpus, "ask", question, "--full").split("\n"))


def test_conflicts_are_listed_once_per_issue_and_source_pair(real_kb: lrkb.KnowledgeBase) -> None:
    for question in ["does running kill gains", *real_questions(6)]:
        pairs = [
            (x.issue, frozenset((x.a.source, x.b.source))) for x in real_kb.ask(question).conflicts
        ]
        assert len(pairs) == len(set(pairs)), question


def test_bear_ranks_conflicts_on_shown_passages_first() -> None:
    def claim(source: str, passage: str) -> Claim:
        return stand_in(id=f"{passage}-c", source=source, passage=passage)

    far = Conflict("x1", "i", "direct", "detected", "why", claim("a", "a:9"), claim("b", "b:9"))
    near = Conflict("x2", "i", "direct", "detected", "why", claim("a", "a:1"), claim("b", "b:1"))
    same_pair = Conflict(
        "x3", "i", "scope", "detected", "why", claim("a", "a:2"), claim("b", "b:1")
    )
    other = Conflict("x4", "j", "direct", "detected", "why", claim("c", "c:1"), claim("d", "d:9"))
    out = answer.bear([far, same_pair, near, other], "i", ["a:1", "b:1", "c:1"])
    assert [x.id for x in out] == ["x2", "x4"]
    # The index an ask reads gives bear the conflicts on the issue or a shown passage, in order.
    nearby = answer.Nearby([far, same_pair, near, other])
    assert [x.id for x in nearby.near("i", ["c:1"])] == ["x1", "x3", "x2", "x4"]
    assert [x.id for x in nearby.near("j", ["b:1"])] == ["x3", "x2", "x4"]
    assert [x.id for x in nearby.near(None, ["a:9"])] == ["x1"]
    shown = ["a:1", "b:1", "c:1"]
    assert answer.bear(nearby.near("i", shown), "i", shown) == out


# --- retrieval ---------------------------------------------------------------------------


def test_rerank_prefers_a_passage_whose_sentence_holds_the_question() -> None:
    analyze = lrkb.analysis.Analyzer()
    texts = {
        0: "Sprints are fun. Weights are heavy. Order matters for some people.",
        1: "Do your weights before your sprints, not after.",
    }
    words = set(analyze("weights before or after sprints"))
    sentences = {i: bottomline.split(t, analyze) for i, t in texts.items()}
    ranked = rerank.rerank([(0, 0.5), (1, 0.45)], sentences.__getitem__, words)
    assert [i for i, _ in ranked] == [1, 0]


def test_rerank_lifts_passages_whose_claims_are_on_the_question_topic() -> None:
    analyze = lrkb.analysis.Analyzer()
    texts = {0: "Cardio is fun.", 1: "Cardio can hurt your gains.", 2: "Cardio helps recovery."}

    def claim(issue: str, direction: str) -> Claim:
        return stand_in("", end=1, issue=issue, stance=None, agent="cardio", direction=direction)

    sentences = {i: bottomline.split(t, analyze) for i, t in texts.items()}
    claims = {
        0: [],
        1: [claim("running-muscle-size", "worsens")],
        2: [claim("running-recovery", "improves")],
    }
    words = set(analyze("cardio"))
    ranked = [(0, 0.6), (1, 0.5), (2, 0.55)]
    on = {"running-muscle-size": 1.0, "running-recovery": 0.3}
    lifted = rerank.rerank(ranked, sentences.__getitem__, words, on, claims.__getitem__)
    assert [i for i, _ in lifted] == [1, 2, 0]
    plain = rerank.rerank(ranked, sentences.__getitem__, words)
    assert [i for i, _ in plain] == [0, 2, 1]


def test_topical_weighs_the_question_issue_and_its_family() -> None:
    issues = [
        Issue("running-muscle-size", "q", agent="running", outcome="muscle size"),
        Issue("running-recovery", "q", agent="running", outcome="recovery"),
        Issue("running", "q", agent="running"),
        Issue("stretching-recovery", "q", agent="stretching", outcome="recovery"),
    ]
    assert answer.topical(issues[0], issues) == {
        "running-muscle-size": 1.0,
        "running-recovery": answer.AFIELD,
        "running": answer.AFIELD,
        answer.condition("muscle size"): 1.0,
    }
    # A question naming the agent alone: every outcome of its family is on topic.
    assert answer.topical(issues[2], issues) == {
        "running-muscle-size": 1.0,
        "running-recovery": 1.0,
        "running": answer.AFIELD,
    }
    assert answer.topical(None, issues) == {}


def test_a_claim_for_the_condition_the_question_names_is_on_topic() -> None:
    """ "Should I run with sore legs?" names soreness; the runner is sore: a running claim
    stated "if your legs are sore" answers it, whatever outcome it is about."""
    issues = [
        Issue("running-soreness", "q", agent="running", outcome="soreness"),
        Issue("running", "q", agent="running"),
    ]
    weights = answer.topical(issues[0], issues)
    sore = stand_in(
        "Run easy if your legs are sore.",
        passage="s:1",
        kind="recommendation",
        issue="running",
        stance=None,
        scope=Scope(population="sore"),
        agent="running",
    )
    plain = dataclasses.replace(sore, scope=Scope())
    assert rerank.on_topic([sore], weights) == 1.0
    assert rerank.on_topic([plain], weights) == answer.AFIELD
    # A signpost the extractor read as a claim is no claim.
    signpost = dataclasses.replace(sore, text="Let's take a closer look at running when sore.")
    assert rerank.on_topic([signpost], weights) == 0.0
    # The condition alone, on a claim of no topical issue, is not enough.
    other = dataclasses.replace(sore, issue="stretching")
    assert rerank.on_topic([other], weights) == 0.0


@pytest.mark.parametrize(
    ("question", "widened"),
    [
        ("how long should I wait between running and leg day?", True),
        ("Same day or separate days?", True),
        ("should I run or lift first", True),
        ("does running kill gains", False),
        ("will running make my legs smaller", False),
    ],
)
def test_a_question_about_timing_is_searched_for_hours_and_days(
    question: str, widened: bool
) -> None:
    query = rerank.widened(question, question)
    assert (query != question) == widened
    if widened:
        assert query.endswith(rerank.WHEN_WORDS)
        assert "long" not in query.split()  # "how long" asks for a duration: no word to find


def test_how_long_to_wait_is_answered_with_the_hours_the_articles_give(
    real_kb: lrkb.KnowledgeBase,
) -> None:
    """Before the timing words, the question found neither passage that gives a wait (they say
    "separation" and "allow 48 hours", never "wait" or "how long")."""
    hits = real_kb.ask("how long should I wait between running and leg day?").hits
    assert any("six to eight hours" in h.text or "48 hours" in h.text for h in hits)


def test_legs_growing_smaller_is_read_as_muscle_lost(real_kb: lrkb.KnowledgeBase) -> None:
    """ "Will running make my legs smaller?" asks about muscle size in words the articles never
    use (corpus/vocabulary.toml's muscle-loss group): the bottom line quotes what running does to
    muscle gains, not the sentence that holds "smaller" ("a smaller muscle group, such as arms")."""
    quotes = [q.text for q in real_kb.ask("will running make my legs smaller").bottom_line]
    assert any("muscle gains" in q or "hypertrophy" in q for q in quotes)
    assert not any("smaller muscle group" in q for q in quotes)


def test_snippet_keeps_the_sentences_holding_the_question_and_marks_its_words() -> None:
    analyze = lrkb.analysis.Analyzer()
    text = (
        "Leg day is hard work for everyone who trains. "
        "Hydration matters too and you should drink water often during the day. "
        "A light jog after squats can speed up recovery. "
        "Many people enjoy music for recovery while they train at the gym in the evening."
    )
    h = hit("x:1", "x", text, 0.5)
    weights = {t: 1.0 for t in analyze("does a light jog speed recovery")}
    snip = bottomline.snippet(h, bottomline.split(text, analyze), weights, analyze, budget=60)
    assert [text[a:b] for a, b in snip.sentences] == [
        "A light jog after squats can speed up recovery."
    ]
    # the words matched in the whole passage: the terminal marks those of the sentences it shows
    assert [text[a:b] for a, b in snip.matched] == ["light", "jog", "speed", "recovery", "recovery"]
    assert snip.matched[-1][0] > snip.sentences[-1][1]


def test_a_framed_question_is_in_scope() -> None:
    ranked = [(0, 0.3), (1, 0.05)]
    assert answer.relevant(ranked, 0.4) == []
    assert answer.relevant(ranked, 0.4, framed=True) == [(0, 0.3)]
    assert answer.relevant(ranked, 0.9) == [(0, 0.3)]


def test_real_in_domain_questions_are_answered(real_kb: lrkb.KnowledgeBase) -> None:
    for question in real_questions(100):
        assert not real_kb.ask(question).abstained, question


def test_a_lean_outside_the_passages_joins_only_when_it_holds_the_question() -> None:
    analyze = lrkb.analysis.Analyzer()
    text = "Running after squats can blunt muscle growth for most lifters who train hard."
    shown = [hit("a:1", "a", text, 0.5)]
    weights = {t: 1.0 for t in analyze("does running after squats blunt muscle growth")}

    def lean_of(sentence: str, passage: str, stance: str) -> Lean:
        claim = stand_in(
            sentence,
            source=passage[0],
            passage=passage,
            start=10,
            end=10 + len(sentence),
            stance=stance,
        )
        return Lean(passage[0], passage[0].upper(), stance, claim)

    on_topic = lean_of(
        "Running after squats does not blunt muscle growth in most studies.", "b:7", "helps"
    )
    # Another source and another side, but nothing of the question: never quoted.
    off_topic = lean_of("A brisk walk is pleasant and flushes out lactic acid.", "c:8", "depends")
    candidates = bottomline.sentences(shown, {"a": text}.get, [])
    candidates += bottomline.from_leans([on_topic, off_topic], shown)
    quotes = bottomline.bottom_line(candidates, weights, analyze)
    assert sorted((q.passage, q.side) for q in quotes) == [("a:1", None), ("b:7", "helps")]


def test_frame_reads_the_longest_phrases_without_overlap() -> None:
    issues = [
        Issue("running-strength", "q", agent="running", outcome="strength"),
        Issue("weight-training-strength", "q", agent="weight training", outcome="strength"),
    ]
    running = [["run"], ["cardio"]]
    lifting = [["strength", "train"], ["squat"]]
    topics = {
        "running-strength": [running, [["strength"], ["stronger"]]],
        "weight-training-strength": [lifting, [["strength"], ["stronger"]]],
    }
    # "strength training" names the agent only; "stronger" names the outcome.
    assert answer.frame("Can I run after strength training?", issues, topics) == (
        frozenset({"running", "weight training"}),
        frozenset(),
    )
    assert answer.frame("Will cardio make me stronger?", issues, topics) == (
        frozenset({"running"}),
        frozenset({"strength"}),
    )


def test_framed_needs_what_acts_on_what() -> None:
    assert answer.framed({"running"}, {"muscle size"})
    assert answer.framed({"running", "weight training"}, set())
    assert not answer.framed({"running"}, set())
    assert not answer.framed(set(), {"soreness"})


def test_off_topic_questions_sharing_one_common_word_abstain(real_kb: lrkb.KnowledgeBase) -> None:
    # "running" alone does not make a question about running after leg day, and the speller's
    # guesses ("leash" -> "least") are no evidence that the corpus knows the question's words.
    for question in (
        "Which running watch has the best GPS?",
        "What running shoes are best for flat feet?",
        "How do I stop my dog from pulling on the leash during walks?",
    ):
        assert real_kb.ask(question).abstained, question


def test_chatty_in_domain_questions_are_answered(real_kb: lrkb.KnowledgeBase) -> None:
    # Misspelt and full of words the corpus does not know, but they name what acts on what.
    for question in (
        "shud i jog aftr leg day",
        "is cardio bad 4 gainz",
        "runing after squats ok??",
    ):
        assert not real_kb.ask(question).abstained, question


def test_sentences_naming_the_question_outcome_in_other_words_hold_it() -> None:
    issues = [Issue("running-muscle-size", "q", agent="running", outcome="muscle size")]
    topics = {"running-muscle-size": [[["cardio"], ["run"]], [["hypertrophi"], ["muscl", "mass"]]]}
    lexicon = answer.Lexicon(issues, topics)
    asked = lexicon.concepts("will cardio affect my muscle mass?")
    assert asked == {"agent:running", "outcome:muscle size"}
    analyze = lrkb.analysis.Analyzer()
    texts = {0: "Many people enjoy cardio.", 1: "Cardio can blunt hypertrophy."}
    sentences = {
        i: tuple(
            (a, b, terms | lexicon.concepts(t[a:b])) for a, b, terms in bottomline.split(t, analyze)
        )
        for i, t in texts.items()
    }
    words = set(analyze("will cardio affect my muscle mass?")) | asked
    ranked = rerank.rerank([(0, 0.5), (1, 0.45)], sentences.__getitem__, words)
    assert [i for i, _ in ranked] == [1, 0]
    # Read word for word, both sentences hold only "cardio".
    plain = {i: bottomline.split(t, analyze) for i, t in texts.items()}
    ranked = rerank.rerank([(0, 0.5), (1, 0.45)], plain.__getitem__, words - asked)
    assert [i for i, _ in ranked] == [0, 1]


def test_a_sentence_that_answers_nothing_does_not_make_a_passage_relevant() -> None:
    """A sentence about the article itself, or a question, holds the question's words without
    answering it: the rerank's best sentence is another one."""
    analyze = lrkb.analysis.Analyzer()
    words = set(analyze("does running after leg day kill gains"))
    for aside in (
        "Does running after leg day kill gains? ",
        "In this article, we cover whether running after leg day kills gains. ",
    ):
        text = aside + "Easy runs are fine after legs."
        sentences = bottomline.split(text, analyze)
        assert bottomline.ASIDE in sentences[0][2]
        assert bottomline.ASIDE not in sentences[1][2]
        assert rerank.best_sentence(sentences, words) == rerank.best_sentence(sentences[1:], words)
        assert rerank.best_sentence(sentences[1:], words) < 1.0


def test_verdict_counts_each_source_once_and_shows_a_lean_by_a_shown_claim() -> None:
    issue = Issue("i", "Does running help?")
    sources = [lrkb.Source(s, f"Title {s}", None, f"{s}.md", None, 3) for s in ("a", "b", "c", "d")]
    claims = [
        # a: two helps claims; the longer reason is its quote unless the other one is shown.
        stand_in("helps, briefly", id="a1", source="a", passage="a:1", why=("one",)),
        stand_in(
            "helps, with reasons", id="a2", source="a", passage="a:2", start=9, why=("one", "two")
        ),
        stand_in("hurts", id="b1", source="b", passage="b:1", stance="hurts"),
        # c: as many helps as hurts, so it depends, shown by a claim that states a condition.
        stand_in("helps", id="c1", source="c", passage="c:1"),
        stand_in("hurts", id="c2", source="c", passage="c:2", stance="hurts"),
        stand_in(
            "when light",
            id="c3",
            source="c",
            passage="c:3",
            stance="hurts",
            scope=Scope(intensity="light"),
        ),
        stand_in("helps", id="c4", source="c", passage="c:4"),
        # d: reported, and another issue's: no lean.
        stand_in("helps", id="d1", source="d", passage="d:1", attribution="reported"),
        stand_in("helps", id="d2", source="d", passage="d:2", issue="other"),
    ]
    standing = answer.standing(issue, claims, sources)
    assert standing is not None
    meter = answer.verdict(standing, set())
    assert meter is not None
    assert (
        meter.summary
        == "Contested: 1 source leans helps, 1 source says it depends, 1 source leans hurts."
    )
    assert [(lean.source, lean.stance, lean.claim.id) for lean in meter.leans] == [
        ("a", "helps", "a2"),
        ("c", "depends", "c3"),
        ("b", "hurts", "b1"),
    ]
    shown = answer.verdict(standing, {"a:1", "x:9"})
    assert shown is not None
    assert [lean.claim.id for lean in shown.leans] == ["a1", "c3", "b1"]
    assert shown.summary == meter.summary and shown.counts == meter.counts
    assert answer.standing(issue, claims[-2:], sources) is None


def _frame_every_span(lexicon: answer.Lexicon, text: str) -> tuple[frozenset[str], frozenset[str]]:
    """`Lexicon.frame` as it was first written: every span of every length looked up."""
    stems = lrkb.analysis.stems(text)
    families: set[str] = set()
    outcomes: set[str] = set()
    taken: set[int] = set()
    for n in range(lexicon.longest, 0, -1):
        for i in range(len(stems) - n + 1):
            named = lexicon.table.get(tuple(stems[i : i + n]))
            if named and not taken.intersection(range(i, i + n)):
                taken.update(range(i, i + n))
                for agent, name in named:
                    (families if agent else outcomes).add(name)
    return frozenset(families), frozenset(outcomes)


def test_frame_looks_only_where_a_phrase_may_begin_and_finds_the_same(
    real_kb: lrkb.KnowledgeBase,
) -> None:
    import random

    lexicon = answer.lexicon(real_kb.issues, real_kb._pack.meta.get("issue_topics", {}))
    texts = [s.text for s in real_kb.claims] + real_questions(200)
    # Texts made of the lexicon's own words, so phrases overlap and nest.
    words = sorted({w for phrase in lexicon.table for w in phrase} | {"the", "after", "not"})
    rng = random.Random(3)
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(0, 25))) for _ in range(2000)]
    named = 0
    for text in texts:
        found = lexicon.frame(text)
        assert found == _frame_every_span(lexicon, text), text
        named += bool(found[0] or found[1])
    assert named > len(texts) // 2
