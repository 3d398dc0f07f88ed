"""An article's passages to claims: each sentence's frames, with their scope, attribution,
evidence, issue and stance, and a span into the article's file.

The sentences of a passage are read in order, each in the context of the ones before it (the
agent they were about, the outcome they named); a yes / no answer asserts the frames of the
question before it, and the two are quoted together.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace

from ..analysis import claim_spans, stem, words
from ..corpus import Document
from ..models import Claim, Passage, Scope
from . import tag
from .frame import INVERSE, NEGATED, Frame, context_agent, frames, sentence_frames, setting_free
from .group import stance
from .rules import Agent, Rules
from .sentence import Sentence, clause_end, mentions, split

_DIGIT = re.compile(r"\d")


def may_claim(s: Sentence, rules: Rules) -> bool:
    """False when `s` yields no frame in any context: it has under 4 or over 90 words, or holds
    no direction cue, no outcome word and no number (what `sentence_frames` opens with, taken from
    the lexicon, so a new cue is covered). `extract` skips the frame machinery for those
    sentences."""
    return 4 <= len(s.tokens) <= 90 and (
        _DIGIT.search(s.text) is not None
        or rules.outcome_words[0].occurs(s.stems)
        or rules.claim_cues.occurs(s.stems)
    )


def claim_id(source: str, quote: str, n: int = 0) -> str:
    base = f"{source}:c{hashlib.sha1(quote.encode()).hexdigest()[:7]}"
    return base if n == 0 else f"{base}.{n + 1}"


def extract(doc: Document, passages: Sequence[Passage], rules: Rules) -> list[Claim]:
    """The claims of one article's passages, with spans into the article's file."""
    title_agent = context_agent(doc.title, rules)
    heading_agent: dict[str, Agent | None] = {}
    claims: list[Claim] = []
    for passage in passages:
        raw = doc.text[passage.start : passage.end]
        spans = claim_spans(raw)
        quotes = [raw[a:b] for a, b in spans]
        asks = [q.rstrip("\"'”’)").endswith("?") for q in quotes]
        read = [None if ask else split(q) for q, ask in zip(quotes, asks, strict=True)]
        may = [s is not None and may_claim(s, rules) for s in read]
        # Sentences after the last one that may claim (or answer a question) only set the
        # context of the sentences after them, which claim nothing: they are not read at all.
        last = max((n for n in range(len(spans)) if may[n] or (n and asks[n - 1])), default=-1)
        if last < 0:
            continue  # nothing to read: the heading's agent is not needed either
        heading = passage.section.rsplit(">", 1)[-1] if passage.section else ""
        if heading not in heading_agent:
            heading_agent[heading] = context_agent(heading, rules)
        context = heading_agent[heading] or title_agent
        around: Scope | None = None
        context_outcome: str | None = None
        question: tuple[int, int] | None = None
        for n, (a, b) in enumerate(spans[: last + 1]):
            quote = quotes[n]
            asked, question = question, None
            s = read[n]
            if s is None:
                question = (a, b)
                continue  # a question asks, it does not claim: its answer may
            parsed = mentions(s, rules)
            found = sentence_frames(s, parsed, rules, context, context_outcome) if may[n] else []
            scoped = s  # the words whose conditions the claims carry
            if asked is not None and (
                carried := _answered(
                    raw[asked[0] : asked[1]], quote, found, rules, context, context_outcome
                )
            ):
                found = [*found, *carried]
                a, quote = asked[0], raw[asked[0] : b]  # the question and its answer, read together
                scoped = split(quote)
            _, free, named = parsed
            context = setting_free(s, free) or context
            if found and found[0].outcome:
                context_outcome = found[0].outcome
            elif named:
                context_outcome = named[0].what
            if not found:
                continue
            following = raw[spans[n + 1][0] : spans[n + 1][1]] if n + 1 < len(spans) else None
            stated: list[str] = []  # the sentence's own conditions and evidence, once
            own_scope = tag.scope(_asserted_stems(scoped), rules, stated)
            said: list[str] = []
            evidence = tag.evidence(quote, rules, said)
            if around is None:
                around = tag.scope(words_stems(raw), rules)
            for k, frame in enumerate(found):
                why = [*frame.why, *stated]
                scope = own_scope
                if frame.words is not None:  # its own words' conditions, not the sentence's
                    why = list(frame.why)
                    own = _open_times(s.tokens, s.stems)[slice(*frame.words)]
                    scope = tag.scope(own, rules, why)
                # a clause of its own takes nothing from the passage that its sentence states
                # for the other clause ("light movement helps more than complete rest")
                kept = around if frame.words is None else tag.unstated(around, own_scope)
                scope = tag.inherit(scope, kept, why)
                if frame.avoids:
                    scope = replace(scope, timing=frame.avoids)
                    why.append(f"timing {frame.avoids}: the time it advises against")
                attribution = (
                    "reported"
                    if frame.reported
                    else tag.attribution(quote, following, frame.rebuts, rules, why)
                )
                why += said
                issue = None
                if frame.agent is not None:
                    issue = rules.issue_by_id.get(rules.issue_of(frame.agent, frame.outcome))
                    if issue is not None:
                        why.append(f"issue {issue.id}")
                claims.append(
                    Claim(
                        id=claim_id(doc.id, quote, k),
                        source=doc.id,
                        passage=passage.id,
                        text=quote,
                        start=passage.start + a,
                        end=passage.start + b,
                        kind=frame.kind,
                        issue=issue.id if issue else None,
                        stance=stance(frame.direction, issue, frame.agent),
                        scope=scope,
                        attribution=attribution,
                        evidence=evidence,
                        why=tuple(why),
                        agent=frame.agent.name if frame.agent else None,
                        outcome=frame.outcome,
                        direction=frame.direction,
                    )
                )
    return claims


# An answer to the question before it: "Yes, ...", "No.", "The short answer is no." The word must
# stand alone ("No amount of running ..." answers nothing). "Not necessarily" is a hedge (it can,
# but need not), not a denial: read as no effect it set "does running kill gains? Not necessarily"
# against "running can build on your gains", a conflict the bundled judgments reject.
_ANSWER = re.compile(
    r"(?:(?:so|well|honestly|in short)[,.]?\s+)?(?:the\s+(?:short\s+|simple\s+|quick\s+|honest\s+)?"
    r"answer\s+(?:is|would be)\s*:?\s+)?"
    r"(yes|yeah|yep|yup|absolutely not|of course not|definitely not|certainly not|absolutely"
    r"|of course|definitely|certainly|not really|not at all|nope|no)"
    r"(?=\s*(?:[,.!;:—–]|-\s|$))",
    re.IGNORECASE,
)
_YES = {"yes", "yeah", "yep", "yup", "absolutely", "of course", "definitely", "certainly"}


def _answered(
    question: str,
    answer: str,
    own: Sequence[Frame],
    rules: Rules,
    context: Agent | None,
    context_outcome: str | None,
) -> list[Frame]:
    """The question's frames asserted by a yes / no answer ("Will cardio kill my gains? The short
    answer is no."): "yes" keeps each direction, "no" negates it as a reader does; [] when the
    sentence is no such answer, or already says it."""
    m = _ANSWER.match(answer.strip())
    if m is None:
        return []
    said = m.group(1).lower()
    known = {(f.agent.name if f.agent else None, f.outcome) for f in own}
    out = []
    for f in frames(question, rules, context, context_outcome):
        if f.agent is None or f.direction is None or (f.agent.name, f.outcome) in known:
            continue
        if said in _YES:
            out.append(
                replace(f, why=(*f.why, f"asserted by the answer '{m.group(0)}'"), words=None)
            )
            continue
        elif f.kind == "recommendation":
            if f.direction not in INVERSE:
                continue
            direction, rebuts = INVERSE[f.direction], f.rebuts
        elif f.direction in ("improves", "worsens", "causes"):
            direction, rebuts = NEGATED[f.direction], True
        else:
            continue  # "no" to a denial ("does it not help?") says nothing clear
        why = (*f.why, f"direction {direction}: the answer '{m.group(0)}'")
        out.append(
            replace(
                f, direction=direction, rebuts=rebuts, why=why, also=(), avoids=None, words=None
            )
        )
    return out


def _asserted_stems(s: Sentence) -> list[str]:
    """The sentence's stems without what it sets aside ("instead of high-intensity runs"),
    compares with ("safer than cardio before weights") or leaves open ("before or after")."""
    stems = _open_times(s.tokens, s.stems)
    for i, t in enumerate(s.tokens):
        if t == "than" or (
            t in ("instead", "rather")
            and i + 1 < len(s.tokens)
            and s.tokens[i + 1] in ("of", "than")
        ):
            for j in range(i, clause_end(s, i)):
                stems[j] = ""
    return stems


def _open_times(tokens: Sequence[str], stems: Sequence[str]) -> list[str]:
    """`stems` without "before or after" / "before and after": any time, so none is stated."""
    out = list(stems)
    if "before" not in tokens or "after" not in tokens:
        return out
    for i, t in enumerate(tokens[:-2]):
        if {t, tokens[i + 2]} == {"before", "after"} and tokens[i + 1] in ("or", "and"):
            out[i : i + 3] = ["", "", ""]
    return out


def words_stems(text: str) -> list[str]:
    tokens = words(text)
    return _open_times(tokens, [stem(t) for t in tokens])


def read_text(text: str, rules: Rules, source: str = "text", title: str = "") -> list[Claim]:
    """The claims of a short text read as a one-passage article titled `title` (for judging
    quoted claims)."""
    from pathlib import Path

    doc = Document(source, title, None, None, Path(f"{source}.md"), text, 0, 1)
    passage = Passage(f"{source}:p0", source, "", text, 0, len(text), 1, 1)
    return extract(doc, [passage], rules)
