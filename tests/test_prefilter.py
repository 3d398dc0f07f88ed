"""The build's shortcuts (speed only) never change what it reads.

`extract.may_claim` lets `extract` skip the frame machinery for a sentence; `Rules.find_cues`
finds every kind of cue in one pass; the sentence-boundary and clause-break patterns were
rewritten to open with one character class; `sentence.split` finds words and clause breaks in one
scan; the analyzer folds synonym phrases jumping between the terms that may begin one. All must
give exactly what the full extractor gives, on the real corpus, on the evaluation sets' quotes
(text nobody here wrote) and on random sentences made of lexicon words.
"""

from __future__ import annotations

import importlib
import random
import re
from dataclasses import replace

import pytest
import tomllib
from hypothesis import given, settings
from hypothesis import strategies as st

from lrkb import analysis
from lrkb.analysis import claim_spans
from lrkb.chunking import chunk
from lrkb.claims import frames, load_rules, read_text
from lrkb.claims import sentence as sentence_mod
from lrkb.claims.rules import Cues, Rules
from lrkb.corpus import load_documents

from .conftest import REAL

extract = importlib.import_module("lrkb.claims.extract")


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules(REAL, REAL)


def _sentences() -> list[str]:
    """Every sentence of the bundled corpus and of the evaluation sets' claim quotes."""
    out = []
    for doc in load_documents(REAL):
        for p in chunk(doc.text, doc.id, doc.body_start, doc.body_line):
            raw = doc.text[p.start : p.end]
            out += [raw[a:b] for a, b in claim_spans(raw)]
    for path in sorted((REAL / "eval").glob("claims_*.toml")):
        for claim in tomllib.loads(path.read_text(encoding="utf-8")).get("claim", []):
            out += [claim["text"][a:b] for a, b in claim_spans(claim["text"])]
    return list(dict.fromkeys(out))


SENTENCES = _sentences()


def _contexts(rules: Rules) -> list[tuple[object, str | None]]:
    return [(None, None), *((a, o) for a in rules.agents[:3] for o in (None, *rules.outcomes))]


def test_a_sentence_the_filter_skips_has_no_frame_in_any_context(rules: Rules) -> None:
    skipped = [q for q in SENTENCES if not extract.may_claim(sentence_mod.split(q), rules)]
    assert 20 < len(skipped) < len(SENTENCES) // 2  # it skips some, and far from all
    for q in skipped:
        for agent, outcome in _contexts(rules):
            assert frames(q, rules, agent, outcome) == [], q  # type: ignore[arg-type]


def test_extract_reads_the_same_claims_without_the_filter(rules: Rules, monkeypatch) -> None:
    texts = [d.text for d in load_documents(REAL)]

    def claims() -> list[object]:
        found: list[object] = []
        for doc in load_documents(REAL):
            passages = chunk(doc.text, doc.id, doc.body_start, doc.body_line)
            found += extract.extract(doc, passages, rules)
        # every quote as one text: a question and its answer, pronouns read from context
        found += [c for q in SENTENCES for c in read_text(q, rules)]
        found += [c for t in texts[:2] for c in read_text(t[:3000], rules)]
        return found

    filtered = claims()
    monkeypatch.setattr(extract, "may_claim", lambda s, r: True)
    full = claims()
    assert len(full) > 300
    assert filtered == full


def test_find_cues_equals_one_find_per_kind(rules: Rules) -> None:
    for q in SENTENCES:
        stems = sentence_mod.split(q).stems
        assert rules.find_cues(stems) == {k: c.find(stems) for k, c in rules.cues.items()}


def _lexicon(rules: Rules) -> list[str]:
    """Words a sentence about the corpus's question is made of, cue words left out half the
    time so that sentences the filter skips (agents with no cue) are common."""
    agents = [w for a in rules.agents for w in a.words.phrases.values()]
    outcomes = [w for c in rules.outcomes.values() for w in c.phrases.values()]
    cues = [w for c in rules.cues.values() for w in c.phrases.values()]
    filler = "the a it this you your after before leg day and but if when so that 48 hours".split()
    return sorted({*agents, *outcomes, *cues, *filler})


@settings(max_examples=150, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 16), cues=st.booleans())
def test_random_sentences_the_filter_skips_have_no_frame(rules: Rules, seed, n, cues) -> None:
    rng = random.Random(seed)
    words = _lexicon(rules)
    if not cues:
        claim = {p for c in rules.claim_cues.phrases.values() for p in c.split()}
        words = [w for w in words if not claim.intersection(w.split())]
    sentence = " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."
    for q in (sentence, sentence.replace(" ", ", ", 1)):
        s = sentence_mod.split(q)
        assert rules.find_cues(s.stems) == {k: c.find(s.stems) for k, c in rules.cues.items()}
        if not extract.may_claim(s, rules):
            for agent, outcome in _contexts(rules)[:4]:
                assert frames(q, rules, agent, outcome) == [], q  # type: ignore[arg-type]


def test_occurs_is_whether_find_finds_any(rules: Rules) -> None:
    """`Cues.occurs` (what `may_claim` asks) answers as `find` does, on real and random text."""
    matchers = [rules.claim_cues, rules.outcome_words[0], rules.weak, *rules.cues.values()]
    words = [*_lexicon(rules), "of", "x"]
    rng = random.Random(12)
    texts = SENTENCES + [
        " ".join(rng.choice(words) for _ in range(rng.randint(0, 12))) for _ in range(3000)
    ]
    found = 0
    for q in texts:
        stems = sentence_mod.split(q).stems
        for cues in matchers:
            assert cues.occurs(stems) == bool(cues.find(stems)), q
            found += cues.occurs(stems)
    assert 0 < found < len(texts) * len(matchers)


def test_a_number_or_an_outcome_word_keeps_a_sentence(rules: Rules) -> None:
    def may(text: str) -> bool:
        return extract.may_claim(sentence_mod.split(text), rules)

    assert not may("We went for a walk in the park after lunch today.")
    assert may("The results were 0.2 to 0.4 across the six groups.")  # an interval may be one
    assert may("My soreness lasted well into the following week.")  # an outcome word
    assert may("Running after leg day will hurt your progress.")  # a direction cue
    assert not may("Running hurts.")  # too short to be read


def test_the_filter_follows_the_lexicon(rules: Rules) -> None:
    """A cue a curator adds is covered at once: the filter is made from the rules."""
    sentence = "Walking on the beach zorbifies everything about the legs for days."
    assert not extract.may_claim(sentence_mod.split(sentence), rules)
    improve = Cues([*rules.cues["improve"].phrases.values(), "zorbifies"])
    more = replace(rules, cues={**rules.cues, "improve": improve})
    assert extract.may_claim(sentence_mod.split(sentence), more)


def _split_per_clause(text: str) -> sentence_mod.Sentence:
    """`sentence.split` as it was: one `words` per clause."""
    tokens: list[str] = []
    breaks = []
    for piece in sentence_mod._CLAUSE_BREAK.split(text):
        if tokens:
            breaks.append(len(tokens))
        tokens += analysis.words(piece)
    return sentence_mod.Sentence(tokens, [analysis.stem(t) for t in tokens], breaks, text)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(text=st.text(alphabet=" \t\n\u00a0,;:()–—-'’‘sS_aBé\u0301İﬁ⑴1.", max_size=16))
def test_split_in_one_scan_equals_split_per_clause(text: str) -> None:
    assert sentence_mod.split(text) == _split_per_clause(text)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=24))
def test_the_ascii_word_pattern_finds_what_word_finds_in_ascii_text(text: str) -> None:
    assert analysis.ASCII_WORD.findall(text) == analysis.WORD.findall(text)
    assert analysis.ASCII_WORD.findall(text.lower()) == analysis.WORD.findall(text.lower())
    # and `ascii_words` (runs of letters and digits when no apostrophe) finds what both find
    assert analysis.ascii_words(text) == analysis.WORD.findall(text)
    assert analysis.words(text) == analysis.WORD.findall(re.sub(r"'s\b", "", text.lower()))


def test_split_in_one_scan_on_every_sentence() -> None:
    for q in SENTENCES:
        assert sentence_mod.split(q) == _split_per_clause(q), q


def _folded_one_by_one(analyzer: analysis.Analyzer, terms: list[str]) -> list[str]:
    """The analyzer's phrase folding as it was: a loop over every term."""
    out, i = [], 0
    while i < len(terms):
        for n in range(min(analyzer._longest, len(terms) - i), 0, -1):
            target = analyzer._phrases.get(tuple(terms[i : i + n]))
            if target is not None:
                out.append(target)
                i += n
                break
        else:
            out.append(terms[i])
            i += 1
    return out


def test_the_analyzer_folds_phrases_as_the_loop_over_every_term_did() -> None:
    groups = [["leg day", "lower body day"], ["run", "running", "jog"], ["leg"], ["day off"]]
    analyzer = analysis.Analyzer(groups)
    vocabulary = "leg day lower body off run running jog the legs a".split()
    rng = random.Random(4)
    texts = SENTENCES + [
        " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 14))) for _ in range(3000)
    ]
    folded = 0
    for text in texts:
        terms = [t for t in map(analysis._term, analysis.words(text)) if t]
        assert analyzer(text) == _folded_one_by_one(analyzer, terms), text
        folded += analyzer(text) != terms
    assert folded > 100


# The patterns as they were before they were rewritten to open with one character class: the
# rewritten ones must match exactly the same spans.
_OLD_BOUNDARY = re.compile(
    r"[.!?…]+[\"'”’)\]]*(?=[ \t]+[\"'“‘(\[]?[A-Z0-9])|[.!?…:][\"'”’)\]]*[ \t]*\n|\n"
)
_OLD_CLAUSE_BREAK = re.compile(r"[,;:()–—]|\s-\s")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(text=st.text(alphabet=" \t\n\u00a0.!?…:;,()–—-\"'”’“‘[]Aa0_", max_size=16))
def test_rewritten_patterns_match_the_same_spans(text: str) -> None:
    assert _spans(analysis._BOUNDARY, text) == _spans(_OLD_BOUNDARY, text)
    assert _spans(sentence_mod._CLAUSE_BREAK, text) == _spans(_OLD_CLAUSE_BREAK, text)


def test_rewritten_patterns_on_every_article() -> None:
    for doc in load_documents(REAL):
        assert _spans(analysis._BOUNDARY, doc.text) == _spans(_OLD_BOUNDARY, doc.text)
        assert _spans(sentence_mod._CLAUSE_BREAK, doc.text) == _spans(_OLD_CLAUSE_BREAK, doc.text)


def _patterns(rules: Rules) -> list[re.Pattern[str]]:
    reported = [re.compile(p, re.IGNORECASE) for p in rules.reported_patterns]
    named = (rules.any_reported, rules.rebuttal, rules.evidence_named, rules.evidence_vague)
    return [*named, rules.evidence_missing, *reported]


# Patterns IGNORECASE matches differently in lowercased text: the shortcut must refuse them
_CASED = [r"[A-Z]\w+ university", r"[0-_]+", r"(?-i:Run)", r"(?i)r\u0130n", r"\u212aeto", r"ſet"]


def test_rule_patterns_search_the_same_without_case_folding(rules: Rules) -> None:
    from lrkb.claims.rules import _casefree, search

    patterns = _patterns(rules)
    assert _casefree(rules.any_reported) is not None  # the shortcut serves the real rules
    for p in [re.compile(c, re.IGNORECASE) for c in _CASED]:
        assert _casefree(p) is None, p.pattern
    texts = [*SENTENCES, *(q.upper() for q in SENTENCES), *(q.swapcase() for q in SENTENCES)]
    for p in patterns:
        for text in texts:
            m = p.search(text)
            assert search(p, text) == (m.span() if m else None), (p.pattern, text)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12))
def test_rule_patterns_search_the_same_in_random_text(rules: Rules, seed: int, n: int) -> None:
    """Random texts of the patterns' own words in random case, with the refused patterns."""
    from lrkb.claims.rules import search

    rng = random.Random(seed)
    patterns = [*_patterns(rules), *(re.compile(c, re.IGNORECASE) for c in _CASED)]
    vocabulary = sorted({w for p in patterns for w in re.findall(r"[a-zA-Z]+", p.pattern)})
    pieces = [rng.choice(vocabulary) for _ in range(n)]
    cased = [w.upper() if rng.random() < 0.3 else w.capitalize() if rng.random() < 0.3 else w
             for w in pieces]  # fmt: skip
    text = rng.choice([" ", "  ", "-", ", ", "'"]).join(cased) + rng.choice([".", "", " 95% CI"])
    for p in patterns:
        m = p.search(text)
        assert search(p, text) == (m.span() if m else None), (p.pattern, text)
