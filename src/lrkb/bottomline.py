"""The bottom line of an answer, and the sentences of each passage that matter (pure).

A bottom line is two or three sentences quoted exactly from the retrieved passages (or from the
claim of a source's lean in the verdict), each located in its file (`file_text[start:end] ==
text`). They are chosen to answer the question (the question's words, weighted by rarity, that a
sentence contains) and to cover the sides that disagree: a sentence whose claim leans another
way, or comes from another source, or states another condition (timing, intensity), is preferred
to one more like those already chosen. A claim's side is read through `side`, one adapter.

`snippet` picks, for each passage shown, the sentences that matter and the words it matched.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .analysis import WORD, claim_spans, sentence_spans
from .models import Claim, Hit, Lean, Quote, Snippet

Analyze = Callable[[str], list[str]]  # text -> index terms (the index's analyzer)

# A sentence opening with one of these leans on the one before it ("This is why …"), so it reads
# badly alone. Lower-cased first words.
_DANGLING = frozenset(
    "this that these those it they such so thus hence also however but and".split()
)
# A sentence about the article itself ("In this article, we cover …", "drop them in the comments
# below", "Let's take a closer look") answers nothing.
_META = re.compile(
    r"\b(?:this|our|the following) (?:article|post|guide|blog|page)\b|\bread on\b"
    r"|\bwe(?:'ll| will)? (?:cover|discuss|explore|look at|dive)\b"
    r"|\b(?:in the |leave a |drop (?:them|it|a \w+) in (?:the )?)comments?\b"
    # Signposts: the text announcing itself, not saying anything ("Let's take a closer look at
    # …", "In this section, …", "After understanding the implications of …, it's crucial …").
    r"|\blet(?:'|’)?s (?:take a (?:closer |quick )?look|look|dive|explore|discuss|break)"
    r"|\b(?:in|throughout) this (?:section|chapter)\b|\b(?:now that|after) (?:we(?:'ve| have)? )?"
    r"(?:understand(?:ing)?|explor(?:ed|ing)|discuss(?:ed|ing)|look(?:ed|ing) at|cover(?:ed|ing))\b"
    r"|\bis the first step\b",
    re.IGNORECASE,
)
MIN_CHARS, MAX_CHARS = 40, 320
# A sentence joins the bottom line only when it scores, with what it adds to the quotes chosen
# (another side, source or condition), at least RELATIVE of the best one. Quotes beyond the
# second must add a side or a condition (timing, intensity) not yet quoted.
RELATIVE = 0.45
LIMIT = 3
MINIMUM = 2
# A claim from the verdict's leans, outside the passages shown, joins the candidates only when it
# holds at least this share of the question's term weight.
LEAN_MATCH = 0.4
# Any other sentence must hold at least this share: one that holds too little of the question
# answers nothing, whatever side it takes.
MATCH = 0.15


def side(claim: Claim | None) -> str | None:
    """A claim's polarity, the one place the bottom line reads it.

    `direction` (improves / worsens / causes / does not cause / no effect, docs/claim-model.md)
    when the claim has one, else its issue stance (helps / hurts / depends, …).
    """
    if claim is None:
        return None
    direction = getattr(claim, "direction", None)
    if isinstance(direction, str) and direction:
        return {"causes": "worsens", "does not cause": "no effect"}.get(direction, direction)
    return claim.stance


@dataclass(frozen=True)
class Sentence:
    """A located sentence that may join the bottom line, with the claim it makes when it makes
    one, and the passage it comes from (its score and rank in the answer)."""

    source: str
    title: str
    passage: str
    score: float
    rank: int
    text: str
    start: int
    end: int
    claim: Claim | None
    shown: bool = True  # from a passage of the answer, not only from the verdict's leans


def sentences(
    hits: Sequence[Hit], file_text: Callable[[str], str | None], claims: Sequence[Claim]
) -> list[Sentence]:
    """The sentences of `hits`, located in their files; `file_text(source)` gives a file's text.

    A source whose file cannot be read contributes its claims only (they are located already).
    """
    by_span = {(c.source, c.start, c.end): c for c in claims}
    out = []
    for rank, hit in enumerate(hits):
        text = file_text(hit.source)
        raw = text[hit.start : hit.end] if text is not None else None
        where = (hit.source, hit.title, hit.id, hit.score, rank)
        if raw is None or not raw.strip():
            own = [c for c in claims if c.passage == hit.id]
            out += [Sentence(*where, c.text, c.start, c.end, c) for c in own]
            continue
        for a, b in claim_spans(raw):
            start, end = hit.start + a, hit.start + b
            claim = by_span.get((hit.source, start, end))
            out.append(Sentence(*where, raw[a:b], start, end, claim))
    return out


# Lean claims per stance that may join the candidates: on a corpus of thousands of articles the
# verdict has thousands of leans, and a side needs only a few quotes to choose from.
LEANS_PER_SIDE = 5


def from_leans(leans: Sequence[Lean], hits: Sequence[Hit]) -> list[Sentence]:
    """The verdict's lean claims outside the passages shown (at most LEANS_PER_SIDE per stance,
    in the verdict's order), as candidates that rank after every passage: they let the bottom
    line quote a side the passages shown do not take."""
    shown = {h.id for h in hits}
    low = min((h.score for h in hits), default=0.0)
    taken: dict[str, int] = {}
    out = []
    for lean in leans:
        c = lean.claim
        if c.passage in shown or taken.get(lean.stance, 0) >= LEANS_PER_SIDE:
            continue
        taken[lean.stance] = taken.get(lean.stance, 0) + 1
        out.append(
            Sentence(
                c.source, lean.title, c.passage, low, len(hits), c.text, c.start, c.end, c, False
            )
        )
    return out


# A passage's sentences: (start, end) spans into its text, each with its set of index terms.
Sentences = Sequence[tuple[int, int, frozenset[str]]]


# The term a sentence that answers nothing (about the article itself, or a question) carries
# besides its words (`split`): no analysed word looks like it, so it never matches a question.
ASIDE = "meta:aside"


def split(text: str, analyze: Analyze) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """The sentences of `text` with their terms (what `rerank` and `snippet` read); a sentence
    that answers nothing also carries ASIDE (`aside`)."""
    return tuple(
        (a, b, frozenset(analyze(text[a:b])) | aside(text[a:b])) for a, b in sentence_spans(text)
    )


@functools.lru_cache(maxsize=1 << 16)
def aside(text: str) -> frozenset[str]:
    """{ASIDE} for a sentence that answers nothing: about the article or page itself ("drop
    them in the comments below"), or a question ("So, does running kill your gains?"); else
    nothing. Cached: the verdict asks it of every claim on an issue at every question."""
    plain = " ".join(text.split())
    asks = plain.rstrip("\"'”’)*_").endswith("?")
    return frozenset({ASIDE}) if asks or _META.search(plain) else frozenset()


def _terms(text: str, analyze: Analyze) -> set[str]:
    return set(analyze(text))


def share(terms: frozenset[str] | set[str], weights: Mapping[str, float]) -> float:
    """Share of the question's term weight found in `terms` (0 to 1)."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in terms) / total if total else 0.0


def _quality(text: str) -> float:
    """How well a sentence stands alone: whole, neither a fragment nor a wall, not a question."""
    plain = " ".join(text.split())
    q = 1.0
    if len(plain) < MIN_CHARS or plain.rstrip("\"'”’)*_").endswith(("?", ":")):
        q *= 0.4
    if len(plain) > MAX_CHARS:
        q *= MAX_CHARS / len(plain)
    if _META.search(plain):
        q *= 0.3
    first = WORD.match(plain.lstrip("*_\"“'"))
    if first and first.group(0).lower() in _DANGLING:
        q *= 0.7
    return q


def _score(s: Sentence, match: float, best: float, issue: str | None) -> float:
    """A sentence's worth as a quote; `match` is the share of the question's weight it holds."""
    claim = s.claim
    claimed = claim is not None and claim.attribution == "asserted"
    weight = (s.score / best if best else 0.0) * (1 / (1 + 0.15 * s.rank))
    on_issue = claim is not None and (issue is None or claim.issue == issue)
    stance = 0.25 if claimed and side(claim) and on_issue else 0.1 if claimed else 0.0
    reported = 0.5 if claim is not None and claim.attribution == "reported" else 1.0
    return (0.4 * weight + match + stance) * _quality(s.text) * reported


def _similar(a: set[str], b: set[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _conditions(s: Sentence) -> set[str]:
    scope = s.claim.scope if s.claim else None
    return {c for c in (scope.timing, scope.intensity) if c} if scope else set()


def _gain(
    item: tuple[Sentence, float, set[str]], chosen: Sequence[tuple[Sentence, set[str]]]
) -> float:
    """A candidate's score, plus what it adds to the quotes already chosen: another side (0.3),
    another source (0.15), another condition (0.1), less its word overlap with them."""
    s, value, terms = item
    if not chosen:
        return value
    own = side(s.claim)
    sides = {side(c.claim) for c, _ in chosen}
    conditions = set().union(*(_conditions(c) for c, _ in chosen))
    value += 0.3 if own and own not in sides else 0.0
    value += 0.15 if s.source not in {c.source for c, _ in chosen} else 0.0
    value += 0.1 if _conditions(s) - conditions else 0.0
    return value - 0.6 * max(_similar(terms, t) for _, t in chosen)


def _adds_side_or_condition(s: Sentence, chosen: Sequence[tuple[Sentence, set[str]]]) -> bool:
    own = side(s.claim)
    if own and own not in {side(c.claim) for c, _ in chosen}:
        return True
    return bool(_conditions(s) - set().union(*(_conditions(c) for c, _ in chosen)))


def bottom_line(
    candidates: Sequence[Sentence],
    weights: Mapping[str, float],
    analyze: Analyze,
    issue: str | None = None,
    limit: int = LIMIT,
) -> tuple[Quote, ...]:
    """Up to `limit` quotes that answer the question and cover the sides that disagree.

    Only sentences holding MATCH of the question's weight (a lean's claim: LEAN_MATCH) compete,
    and never one that answers nothing (`aside`: about the article itself, or a question).
    A sentence scores by its passage's rank, the question's words it holds, and the claim it
    makes (most for one taking a side on `issue`, the answer's issue when known). Greedy: the
    best first, then each time the one whose score, plus a bonus for a side, a source and a
    condition not yet quoted, less its word overlap with the quotes chosen, is highest, while
    that stays above RELATIVE of the best score.
    """
    if not candidates:
        return ()
    best_hit = max(s.score for s in candidates)
    terms = {s.text: _terms(s.text, analyze) for s in candidates}  # each sentence analysed once
    holding = [
        s for s in candidates if share(terms[s.text], weights) >= (MATCH if s.shown else LEAN_MATCH)
    ]
    candidates = holding or [s for s in candidates if s.shown]
    # A sentence that answers nothing (about the article, or a question) is never quoted.
    candidates = [s for s in candidates if not aside(s.text)]
    scored = [(s, _score(s, share(terms[s.text], weights), best_hit, issue)) for s in candidates]
    scored = [(s, v) for s, v in scored if v > 0]
    if not scored:
        return ()
    top = max(v for _, v in scored)
    pool = [(s, v, terms[s.text]) for s, v in scored]
    chosen: list[tuple[Sentence, set[str]]] = []
    while pool and len(chosen) < limit:
        item = max(pool, key=lambda p: (_gain(p, chosen), -p[0].start))
        pool.remove(item)
        if chosen and _gain(item, chosen) < RELATIVE * top:
            break
        if len(chosen) >= MINIMUM and not _adds_side_or_condition(item[0], chosen):
            break
        chosen.append((item[0], item[2]))
        # One quote per passage: a second sentence of it adds less than another passage.
        pool = [p for p in pool if p[0].passage != item[0].passage]
    return tuple(
        Quote(s.source, s.title, s.passage, s.text, s.start, s.end, side(s.claim))
        for s, _ in chosen
    )


def snippet(
    hit: Hit,
    sentences: Sentences,
    weights: Mapping[str, float],
    analyze: Analyze,
    budget: int = 220,
) -> Snippet:
    """The sentences of `hit.text` that matter to the question, within about `budget` characters,
    and the words of the whole text it matched (both as spans into `hit.text`: the terminal marks
    those in the sentences it shows, the web page those of the whole passage).

    `sentences` is `split(hit.text, analyze)`.
    """
    text = hit.text
    spans = [(a, b) for a, b, _ in sentences]
    keep = list(range(len(spans)))
    if sum(b - a for a, b in spans) > budget:
        score = {n: share(terms, weights) for n, (_, _, terms) in enumerate(sentences)}
        keep, used = [], 0
        for n in sorted(score, key=lambda n: (-score[n], n)):
            a, b = spans[n]
            if keep and (used + (b - a) > budget or not score[n]):
                continue
            keep.append(n)
            used += b - a
        keep.sort()
    known: dict[str, bool] = {}

    def matches(word: str) -> bool:
        if word not in known:
            known[word] = any(t in weights for t in analyze(word))
        return known[word]

    matched = tuple(
        (m.start(), m.end()) for m in WORD.finditer(text) if matches(m.group(0).lower())
    )
    return Snippet(hit.id, tuple(spans[n] for n in keep), matched)
