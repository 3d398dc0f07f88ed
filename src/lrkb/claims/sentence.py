"""A sentence read into words, and what the lexicon names in it.

`split` gives a sentence's words, their stems and the clause breaks between them (a comma, colon,
dash or bracket); `mentions` finds the agents and outcomes the lexicon names there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..analysis import ASCII_WORD, ascii_words, stem, words
from .rules import Agent, Rules

# a comma, semicolon, colon, bracket or dash, or a hyphen between spaces: opening with one
# character class lets the engine skip to the next candidate (`[,;:()–—]|\s-\s` in 60 % of the time)
_CLAUSE_BREAK = re.compile(r"[,;:()–—\s](?:(?<=[,;:()–—])|-\s)")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    what: str  # the agent's name or the outcome
    phrase: str
    agent: Agent | None = None
    weak: bool = False
    covered: bool = False  # inside a condition on whom it is about ("if your legs are sore")
    harm: bool = False  # names the outcome's failure ("overtraining" for recovery)


@dataclass
class Sentence:
    tokens: list[str]
    stems: list[str]
    breaks: list[int]  # token indices that follow a comma, colon, dash or bracket
    text: str = ""


# A word (group 1) or a clause break (no group), in one scan of an ASCII sentence
_WORD_OR_BREAK = re.compile(f"({ASCII_WORD.pattern})|{_CLAUSE_BREAK.pattern}")


def split(text: str) -> Sentence:
    lowered = text.replace("’", "'").replace("‘", "'")
    if not lowered.isascii() or "'s" in (lowered := lowered.lower()):
        return _split_per_clause(text)
    # `words` folds the sentence to exactly `lowered` and removes no possessive, and no word
    # holds a break's characters: one scan finds what one `words` per clause finds
    tokens: list[str] = []
    breaks = []
    if not any(c in lowered for c in ",;:()-"):  # every ASCII clause break holds one of these
        tokens = ascii_words(lowered)
    else:
        for word in _WORD_OR_BREAK.findall(lowered):
            if word:
                tokens.append(word)
            elif tokens:
                breaks.append(len(tokens))
    return Sentence(tokens, list(map(stem, tokens)), breaks, text)


def _split_per_clause(text: str) -> Sentence:
    tokens: list[str] = []
    breaks = []
    for piece in _CLAUSE_BREAK.split(text):
        if tokens:
            breaks.append(len(tokens))
        tokens += words(piece)
    return Sentence(tokens, list(map(stem, tokens)), breaks, text)


def _overlaps(m: Mention, others: Sequence[Mention]) -> bool:
    return any(
        o.start < m.end and m.start < o.end and o.end - o.start > m.end - m.start for o in others
    )


def mentions(s: Sentence, rules: Rules) -> tuple[list[Mention], list[Mention], list[Mention]]:
    """(every agent mention, agents not inside a longer outcome phrase, outcome mentions)."""
    # One matcher for all agents (the longest phrase at each place), one for all outcomes.
    agent_cues, agent_of = rules.agent_words
    kept = [
        Mention(a, b, agent_of[phrase].name, phrase, agent_of[phrase])
        for a, b, phrase in agent_cues.find(s.stems)
        if not s.tokens[b - 1].endswith("trained")  # "strength-trained athletes" are people
    ]
    outcome_cues, outcome_of = rules.outcome_words
    named = outcome_cues.find(s.stems)
    population = [(a, b) for a, b, _ in rules.population_words.find(s.stems)] if named else []
    outcomes = [
        Mention(
            a,
            b,
            outcome_of[phrase],
            phrase,
            covered=any(pa <= a and b <= pb for pa, pb in population),
        )
        for a, b, phrase in named
        if not (b < len(s.tokens) and s.tokens[b].endswith("trained"))  # "strength-trained" people
    ]
    outcomes += _shared_heads(s, outcomes, rules)
    outcomes = [o for o in outcomes if not _overlaps(o, kept) and not _overlaps(o, outcomes)]
    weak = {(a, b) for a, b, _ in rules.weak.find(s.stems)} if outcomes else set()
    outcomes = [
        replace(o, weak=(o.start, o.end) in weak, harm=o.phrase in rules.harm) for o in outcomes
    ]
    free = [a for a in kept if not _overlaps(a, outcomes) and a.agent and not a.agent.background]
    return kept, free, sorted(outcomes, key=lambda m: m.start)


def _shared_heads(s: Sentence, outcomes: Sequence[Mention], rules: Rules) -> list[Mention]:
    """A word joined to an outcome phrase shares its head: "muscle and strength building" is
    muscle building and strength building."""
    cues, owner = rules.outcome_words
    taken = {i for o in outcomes for i in range(o.start, o.end)}
    out = []
    for o in outcomes:
        if o.end - o.start < 2 or o.start < 2 or s.tokens[o.start - 1] not in ("and", "or"):
            continue
        if o.start - 2 in taken:
            continue
        joined = (s.stems[o.start - 2], *s.stems[o.start + 1 : o.end])
        phrase = cues.phrases.get(joined)
        if phrase is not None:
            out.append(Mention(o.start - 2, o.start - 1, owner[phrase], phrase))
    return out


def clause_end(s: Sentence, start: int) -> int:
    """Where the clause holding the word at `start` ends: the next break after it, else the end."""
    return next((b for b in s.breaks if b > start), len(s.tokens))


Mentions = tuple[list[Mention], list[Mention], list[Mention]]
