"""Rerank the index's candidates for a question (pure): by their best sentence, and by the issue.

The index scores a passage by the cosine of its whole text with the question. People's questions
are long and chatty ("So my question is, those of you who lift AND run, is there some trick …"),
so a passage that shares one rare word can outrank one that answers. Two signals correct that:

- sentence: a passage with one sentence holding many of the question's known words (and the
  agents and outcomes it names, in the claims' words: `answer.Lexicon.concepts`) is about the
  question, not just near it; its score is scaled by (1 - SENTENCE) + 2 * SENTENCE * that share,
  so a passage whose best sentence holds half the question's words keeps its cosine;
- topic: when the question's own words name what acts on what (`answer.choose_issue`), a passage
  with an asserted claim about the same agent family and outcome, whatever its direction, gains
  ISSUE times the best candidate's score (a claim about the family and another outcome, a share
  of it: `answer.topical`): it answers the question people are asking, in whatever words.

Before either, a question about when or how long ("how long should I wait between running and leg
day?", "same day or separate days?") is searched, reranked and quoted with WHEN_WORDS added
(`widened`): the passages that answer it give hours and days, in words the asker rarely uses.

Tuned with `lrkb eval` on the written and the real questions (README, Evaluation).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence

from .answer import condition
from .bottomline import ASIDE, Sentences, aside
from .models import Claim

SENTENCE = 0.5
ISSUE = 0.6
# How many of the index's best passages are reranked.
POOL = 20
# What a question about timing is retrieved with besides its own words, and what makes one.
WHEN_WORDS = "hours days separate"
_ASKS_WHEN = re.compile(
    r"\bhow (?:long|soon|many (?:hours|days|minutes|weeks))\b|\bwhen\b|\bwait\b|\bhours?\b"
    r"|\bsame (?:day|session|workout)\b|\b(?:separate|different|off|rest) days?\b"
    r"|\bbefore or after\b|\bafter or before\b|\bfirst\b",
    re.IGNORECASE,
)
_HOW_LONG = re.compile(r"\bhow (?:long|soon)\b", re.IGNORECASE)


def widened(query: str, question: str) -> str:
    """What the index is searched with, and a sentence must contain, to answer `question`
    (`query`: the question as the speller corrected it). A question that asks when, how long or
    in which order gets WHEN_WORDS, and loses "how long" / "how soon" (they ask for a duration:
    "long" is no word to find, and found "in the long run"); any other is `query` itself."""
    if not _ASKS_WHEN.search(question):
        return query
    return f"{_HOW_LONG.sub(' ', query)} {WHEN_WORDS}"


def best_sentence(sentences: Sentences, words: Collection[str]) -> float:
    """The largest share of `words` (the question's known terms) that one sentence holds; a
    sentence about the article itself ("In this article, we cover …") or a question answers
    nothing (`bottomline.aside`)."""
    if not words:
        return 0.0
    return max(
        (
            sum(w in terms for w in words) / len(words)
            for *_, terms in sentences
            if ASIDE not in terms
        ),
        default=0.0,
    )


def on_topic(claims: Sequence[Claim], issues: Mapping[str, float]) -> float:
    """How closely `claims` are about the question: the largest weight in `issues` of the issue
    of an asserted claim among them, whatever its direction (0 for none). A claim of a
    topical issue stated for a population the question names as its outcome (`condition`:
    "if your legs are sore" for "run with sore legs") counts that condition's weight. A
    sentence that answers nothing (`bottomline.aside`: "Let's take a closer look at the pros and
    cons of running after leg day") is no claim, whatever the extractor read in it."""
    return max(
        (
            max(w, issues.get(condition(c.scope.population), 0.0) if c.scope.population else 0.0)
            for c in claims
            if c.issue
            and c.attribution == "asserted"
            and (w := issues.get(c.issue, 0.0))
            and not aside(c.text)
        ),
        default=0.0,
    )


def rerank(
    ranked: Sequence[tuple[int, float]],
    sentences_of: Callable[[int], Sentences],
    words: Collection[str],
    issues: Mapping[str, float] | None = None,
    claims_of: Callable[[int], Sequence[Claim]] | None = None,
) -> list[tuple[int, float]]:
    """`ranked` (passage, cosine) pairs rescored and sorted, best first (ties: passage order).

    `sentences_of(i)` gives passage i's sentences with their terms (`bottomline.split`);
    `words` are the question's known terms, every one counting the same: the cosine has weighed
    them by rarity already, and weighing them again let one rare chatty word ("secret",
    "tonight") decide.
    """
    if not ranked:
        return []
    top = max(s for _, s in ranked)
    out = []
    for i, score in ranked:
        score *= (1 - SENTENCE) + 2 * SENTENCE * best_sentence(sentences_of(i), words)
        if issues and claims_of is not None:
            score += ISSUE * top * on_topic(claims_of(i), issues)
        out.append((i, score))
    return sorted(out, key=lambda p: (-p[1], p[0]))
