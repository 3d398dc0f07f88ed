"""One sentence to claim frames: what acts (agent), on what (outcome), which way (direction).

A sentence is split into clauses first: an opening condition ("if your legs are sore,") or
concession ("although it clears lactate,") and whatever comes before a "but" give way to the main
clause, which carries the claim; a relative clause on an agent ("lactic acid that causes
soreness") adds a second frame. Negation, hedges, rebuttals and null statistics then decide the
direction, and `Claim.why` records every word that decided something. A view the sentence goes
on to deny ("there is no research to back up the claim that X") is read as reported, then denied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from . import tag
from .rules import Agent, Cues, Rules
from .sentence import Mention, Mentions, Sentence, clause_end, mentions, split

_CONDITION = {"if", "when", "whenever", "once", "unless", "whether", "after", "before"}
_CONCESSION = {
    "although",
    "though",
    "while",
    "whilst",
    "despite",
    "granted",
    "even",
    "instead",
    "rather",
    "unlike",
}
_CONTRAST = {"but", "however", "yet"}
_RELATIVE = {"that", "which", "that's", "who", "thats"}
_PREPOSITION = {"after", "before", "following", "post", "from", "than", "on", "between", "since"}
_POLAR = ("cause", "improve", "worsen", "increase", "decrease")
# the cue kinds that can give a clause its direction
_DIRECTED = (*_POLAR, "good", "bad", "no_effect", "not_cause", "separate", "advise", "discourage")
NEGATED = {
    "improves": "no effect",
    "worsens": "no effect",
    "causes": "does not cause",
    "no effect": "no effect",
    "does not cause": "does not cause",
}
_SKIP = {"skip", "miss", "stop", "quit", "avoid", "ditch", "drop", "postpone"}
_OTHER_VERB = {
    "expect",
    "want",
    "feel",
    "think",
    "know",
    "forget",
    "worry",
    "need",
    "have",
    "like",
    "get",
    "hit",
    "make",
    "keep",
    "warm",
}
INVERSE = {"improves": "worsens", "worsens": "improves"}
_LESSER = {
    "lower",
    "smaller",
    "less",
    "lesser",
    "reduced",
    "slower",
    "weaker",
    "diminished",
    "fewer",
}
_BASELINE = {"compared", "versus", "vs", "than", "relative", "instead"}
_BALANCE = {"whether", "either", "depends", "depend", "depending"}
_IF = {"if", "when", "whenever", "once", "unless"}  # "when you run, you flush out ..."
_LIKE = {"like", "unlike", "as"}
_OPENERS = {"but", "and", "so", "yet", "still", "however"}
_JOIN = {"and", "or", "nor", "as", "well", "both"}
_CORRECTS = {"it", "they", "this", "actually", "instead", "even", "rather", "fact"}
_THING = {"it"}
_PRONOUN = {"it", "this", "these", "they", "you", "you're", "doing", "either"}
_IT = {"it", "this", "that", "them"}
_NOT = {"not", "isn't", "aren't", "wasn't", "weren't", "isnt", "arent"}
_WHEREAS = {"whereas", "while", "whilst"}
_CONDITIONAL = {"if", "unless", "when", "provided", "long"}  # a condition inside the sentence


def _bad(o: Mention, rules: Rules) -> bool:
    """True when more of what `o` names is worse: soreness, injury, and the failure of a good
    outcome ("overtraining", "muscle loss")."""
    return (o.what in rules.bad) != o.harm


@dataclass(frozen=True)
class Frame:
    """What one clause of a sentence claims."""

    agent: Agent | None
    outcome: str | None
    direction: str | None
    kind: str
    why: tuple[str, ...]
    rebuts: bool = False
    also: tuple[tuple[str, str], ...] = ()  # further outcomes the clause names, each its way
    avoids: str | None = None  # the timing advice to wait advises against
    reported: bool = False  # a view the sentence itself goes on to deny
    words: tuple[int, int] | None = None  # the tokens whose conditions it carries, if not all


_AT_TIME = {"by", "at", "within", "after", "over", "to", "and", "up", "until", "post"}


def _time_point(s: Sentence, cue: tuple[int, int, str]) -> bool:
    """True when a duration cue ("72 hours") dates a measurement ("by 72 hours post-workout",
    "at 24, 48 and 72 hours") rather than advising to wait that long."""
    return cue[2][:1].isdigit() and cue[0] > 0 and s.tokens[cue[0] - 1] in _AT_TIME


def _masked(s: Sentence, spans: Sequence[Mention]) -> list[str]:
    stems = list(s.stems)
    for m in spans:
        for i in range(m.start, m.end):
            stems[i] = ""
    return stems


_LIGHT_VERB = {"provide", "provides", "offer", "offers", "give", "gives", "bring", "brings",
               "yield", "yields", "deliver", "delivers", "have", "has"}  # fmt: skip


def _negated(s: Sentence, at: int, lo: int, rules: Rules) -> str | None:
    """The negation before the cue at `at`; a negated light verb covers the noun it takes ("does
    not provide a high level of benefit")."""
    start = max(lo, at - 4)
    light = next((j for j in range(max(lo, at - 6), at) if s.tokens[j] in _LIGHT_VERB), None)
    if light is not None and not any(b in range(light + 1, at + 1) for b in s.breaks):
        start = max(lo, min(start, light - 2))
    for i in range(start, at):
        t = s.tokens[i]
        if i and s.tokens[i - 1] == "than":
            continue  # "more often than not"
        # the word itself, not its stem: "hardly" and "hard" share one
        if t.endswith("n't") or t in rules.cues["negation"].phrases.values():
            return t
    return None


def _opening(s: Sentence, lo: int) -> str:
    """The clause's first word after a linking word ("But they ..." opens with "they")."""
    i = lo
    while i + 1 < len(s.tokens) and s.tokens[i] in _OPENERS:
        i += 1
    return s.tokens[i] if s.tokens else ""


_PARTICLE = {"away", "off"}
_DETERMINERS = {"the", "your", "all", "of", "those", "these", "any", "my", "that", "some"}


def _cleared(s: Sentence, outcomes: Sequence[Mention], rules: Rules) -> dict[Mention, int]:
    """A bad outcome done away with by a phrasal verb ("run the soreness away", "walk off the
    stiffness"): the outcome and where its verb stands (the first word of the clause's verb
    phrase before it), read as a "decrease" cue."""
    out: dict[Mention, int] = {}
    for o in outcomes:
        if not _bad(o, rules):
            continue
        after = o.end < len(s.tokens) and s.tokens[o.end] in _PARTICLE
        i = o.start - 1  # "work out all of those kinks": the particle, then a determiner or two
        while i > 0 and o.start - i <= 3 and s.tokens[i] in _DETERMINERS:
            i -= 1
        before = (
            i >= 1
            and s.tokens[i] in _PARTICLE | {"out"}
            and not any(i < b <= o.start for b in s.breaks)  # "as X points out, overtraining …"
        )
        if after or before:
            start = max((b for b in s.breaks if b <= o.start), default=0)
            verb = next(
                (i for i in range(start, o.start) if s.tokens[i] not in _NOT_A_VERB), o.start
            )
            out[o] = verb
    return out


_NOT_A_VERB = {"you", "i", "we", "they", "it", "can't", "cannot", "can", "won't", "will", "not",
               "don't", "and", "but", "so", "believe", "me", "just", "simply", "really"}  # fmt: skip


def _blamed(s: Sentence, found: Mentions, rules: Rules) -> list[Frame]:
    """A bad outcome put down to a cause by "from" ("sore from lactic acid"): the cause causes
    it, or does not when the outcome is negated ("your legs are not sore from lactic acid")."""
    every_agent, _, outcomes = found
    out = []
    for o in outcomes:
        if not _bad(o, rules) or o.end >= len(s.tokens) or s.tokens[o.end] != "from":
            continue
        cause = next((m for m in every_agent if m.start in (o.end + 1, o.end + 2)), None)
        if cause is None or cause.agent is None or not cause.agent.cause:
            continue
        start = max((b for b in s.breaks if b <= o.start), default=0)
        neg = _negated(s, o.start, start, rules)
        direction = "does not cause" if neg else "causes"
        out.append(
            Frame(
                cause.agent,
                o.what,
                direction,
                "mechanism",
                (
                    f"agent {cause.agent.name}: '{cause.phrase}', blamed by 'from'",
                    f"outcome {o.what}: '{o.phrase}'",
                    f"direction {direction}: '{o.phrase} from'"
                    + (f", negated by '{neg}'" if neg else ""),
                ),
                rebuts=bool(neg),
            )
        )
    return out


_KEEP = {"preserve", "preserved", "preserving", "maintain", "maintained", "maintaining",
         "retain", "retained", "retaining", "keep", "kept", "keeping", "spare", "spared"}  # fmt: skip
_ALONGSIDE = {"during", "while", "alongside", "despite", "throughout", "through", "with", "when"}
_BETWEEN = {"can", "be", "is", "are", "was", "were", "will", "still", "largely", "easily", "well",
            "your", "the", "all", "most", "of", "hard-earned", "hard", "earned", "been"}  # fmt: skip


def _kept(s: Sentence, found: Mentions, rules: Rules) -> list[Frame]:
    """Outcomes kept up alongside an activity ("muscle mass and strength can be preserved even
    during marathon training", "you can keep your gains while running"): the activity has no
    effect on each of them (it worsens them when the keeping is denied)."""
    if _KEEP.isdisjoint(s.tokens):
        return []
    _, agents, outcomes = found
    outcomes = [o for o in outcomes if not o.covered]
    for i, t in enumerate(s.tokens):
        if t not in _KEEP:
            continue
        end = clause_end(s, i)
        doer = next(
            (
                m
                for m in agents
                if i < m.start < min(end, i + 9)
                and m.agent is not None
                and _ALONGSIDE.intersection(s.tokens[max(i + 1, m.start - 2) : m.start])
            ),
            None,
        )
        if doer is None or doer.agent is None:
            continue
        # the outcomes kept: the list just before a passive verb, or just after an active one
        kept = [o for o in outcomes if o.end <= i and _BETWEEN.issuperset(s.tokens[o.end : i])]
        kept += [o for o in outcomes if i < o.start < doer.start
                 and _BETWEEN.issuperset(s.tokens[i + 1 : o.start])]  # fmt: skip
        for k in list(kept):  # the rest of the list: "muscle mass and strength"
            for o in outcomes:
                gap = s.tokens[min(o.end, k.end) : max(o.start, k.start)]
                if (
                    o not in kept
                    and len(gap) <= 2
                    and _JOIN.issuperset(gap)
                    and o.start < doer.start
                ):
                    kept.append(o)
        if not kept:
            continue
        neg = _negated(s, i, max((b for b in s.breaks if b <= i), default=0), rules)
        direction = "worsens" if neg else "no effect"
        return [
            Frame(
                doer.agent,
                o.what,
                direction,
                "effect",
                (
                    f"agent {doer.what}: '{doer.phrase}', alongside which it is kept",
                    f"outcome {o.what}: '{o.phrase}'",
                    f"direction {direction}: '{o.phrase}' {t}"
                    + (f", negated by '{neg}'" if neg else ""),
                ),
                rebuts=not neg,
            )
            for o in sorted(kept, key=lambda m: m.start)
        ]
    return []


_ALTHOUGH = {"although", "though"}
_DURING = {"you", "your", "you're", "we", "i", "they", "it", "sore", "still", "on", "in", "at",
           "under", "being", "also", "fatigued", "tired", "recovering", "doing"}  # fmt: skip


def _contrasted(s: Sentence, agents: Sequence[Mention], lo: int) -> int | None:
    """Where a clause set against the main one begins ("…, while there was no change for the
    others", "… whereas HIIT spares it"), or None. A "while" that means "during" ("while you
    run", "while running", "while sore") begins none."""
    if _WHEREAS.isdisjoint(s.tokens) and _ALTHOUGH.isdisjoint(s.tokens):
        return None  # (most sentences: the loops below would only look)
    for i in range(lo + 3, len(s.tokens) - 2):
        t = s.tokens[i]
        if t not in _WHEREAS:
            continue
        after = s.tokens[i + 1]
        if t != "whereas" and (after in _DURING or after.endswith("ing")):
            continue
        named = any(i < m.start <= i + 3 for m in agents)
        if t == "whereas" or i in s.breaks or named:
            return i
    for i in range(lo + 3, len(s.tokens) - 2):  # "…, although no difference was found in some"
        if s.tokens[i] in _ALTHOUGH:
            at = i - 1 if s.tokens[i - 1] == "even" else i
            if at in s.breaks:
                return at
    return None


def _there_is(s: Sentence, lo: int, hi: int) -> bool:
    """True when the clause says "there is / were …" (an existential: it names no doer)."""
    return any(
        s.tokens[i] == "there" and s.tokens[i + 1] in ("is", "are", "was", "were", "has", "have")
        for i in range(lo, min(hi, len(s.tokens)) - 1)
    )


def _turned(f: Frame, said: str) -> Frame:
    """`f` the other way round (improves <-> worsens), saying why."""
    direction = INVERSE[f.direction or ""]
    return replace(f, direction=direction, why=(*f.why, f"direction {direction}: {said}"))


def _first_agent(ms: Sequence[Mention], s: Sentence, lo: int, hi: int) -> Mention | None:
    """The first agent in [lo, hi) that is not a time ("after leg day") or a baseline
    ("compared with strength training alone")."""
    for m in ms:
        if not lo <= m.start < hi:
            continue
        if m.start and s.tokens[m.start - 1] in _PREPOSITION:
            continue
        if m.start and s.tokens[m.start - 1] in _AMONG and s.tokens[m.end - 1].endswith(_PEOPLE):
            continue  # "not observed in runners": whom it is about, not what acts
        if "without" in s.tokens[max(lo, m.start - 2) : m.start]:
            continue  # "without adequate rest": what is missing does not act
        if _BASELINE.intersection(s.tokens[max(0, m.start - 3) : m.start]):
            continue
        return m
    return None


_AMONG = {"in", "among", "amongst"}
_PEOPLE = ("ers", "ists")  # runners, cyclists, swimmers


_COMBINED = {"with", "and", "plus", "alongside", "to"}
_ORDER = {"first", "before", "then", "prior"}


def _put_second(
    s: Sentence, agents: Sequence[Mention], base: Mention, hi: int, context: Agent | None
) -> Agent | None:
    """The activity lifting is put before ("weights before cardio", "strength training first,
    then cardio", "lifting should be done first" in a text about running), or None."""
    if base.agent is None or not base.agent.baseline:
        return None
    near = s.tokens[base.end : min(hi, base.end + 6)]
    if not _ORDER.intersection(near) or "after" in near:
        return None
    for m in agents:
        if (
            base.end <= m.start < hi
            and m.agent is not None
            and not (m.agent.baseline or m.agent.cause or m.agent.background or m.agent.opposes)
        ):
            return m.agent
    if context is not None and not (context.baseline or context.cause or context.background):
        return context
    return None


def _added(s: Sentence, agents: Sequence[Mention], base: Mention, hi: int) -> Mention:
    """The activity combined with the baseline (lifting) that opens a clause: "combining
    resistance training with HIIT", "squats and running in one session" are about the HIIT and
    the running; `base` itself when nothing is combined with it."""
    for m in agents:
        gap = s.tokens[base.end : m.start]
        if (
            base.end <= m.start < hi
            and m.agent is not None
            and not m.agent.baseline
            and not m.agent.cause
            and 1 <= len(gap) <= 2
            and gap[-1] in _COMBINED
            and not any(base.end < b <= m.start for b in s.breaks)
        ):
            return m
    return base


def context_agent(text: str, rules: Rules) -> Agent | None:
    """The agent a heading, title or sentence is about (its first agent not after "after" /
    "before"), for the sentences near it that name none. Lifting, the baseline, is only the
    setting when anything else is named there ("Lifting or cardio?"): it is taken only when
    nothing else is."""
    s = split(text)
    _, free, _ = mentions(s, rules)
    return setting_free(s, free)


def setting_free(s: Sentence, free: Sequence[Mention]) -> Agent | None:
    """The agent `s` sets for the sentences after it, from its `free` agent mentions (as
    `context_agent` says); None when it names none."""
    found = [m.agent for m in free if m.agent and _first_agent([m], s, 0, len(s.tokens))]
    return next((a for a in found if not a.baseline), found[0] if found else None)


def frames(
    text: str, rules: Rules, context: Agent | None = None, context_outcome: str | None = None
) -> list[Frame]:
    """The frames of one sentence, the main clause's first; [] when it claims nothing."""
    s = split(text)
    return sentence_frames(s, mentions(s, rules), rules, context, context_outcome)


_EVIDENCE = r"(?:research|evidence|proof|data|studies|science|support)"
# "there is no research to back up the claim that X", "there's little evidence that X"
_NO_EVIDENCE_FOR = re.compile(
    # "Smith disagrees and says there is no research …": the denial may be someone's words
    r"^(?:[\w' ]{0,60}? (?:says|said|argues|argued|notes|noted|adds|added|points out|pointed"
    r" out|explains|explained|writes|wrote|insists|insisted|concludes|concluded) (?:that )?)?"
    r"(?:(?:but|however|yet|still|so|and) )?there (?:is |are |was |has been |have been )?"
    r"(?:still |really |simply )?"
    r"(?:no|little|not much|not enough|not any|(?:is|are)n['’]t (?:any|much|enough)|(?:only )?"
    r"(?:limited|scant|scarce|insufficient|weak|inconclusive|mixed|conflicting)) "
    r"(?:good |real |scientific |solid |strong |hard |clear |convincing |reliable |actual )?"
    rf"{_EVIDENCE} "
    r"(?:(?:to|that) (?:back up|backs up|support|supports|suggest|suggests|show|shows|prove"
    r"|proves) |backing up |supporting |showing |proving |behind |for |(?=that ))"
    r"(?:(?:the|this|that|these|those|any) (?:claim|claims|idea|ideas|notion|belief|theory"
    r"|assertion) (?:s )?)?"
)
# "X is unclear at best", "the evidence for X is weak", "X is not as compelling as once thought"
_UNSUPPORTED = re.compile(
    r" (?:is|are|was|were|remains|remain|seems|seem|appears|appear)(?: to be)?(?: still)?"
    r"(?: (?:rather|quite|very|fairly|pretty|at best))? (?:unclear|uncertain|weak|lacking|mixed"
    r"|inconclusive|limited|unproven|questionable|overstated|exaggerated|overblown|not"
    r"(?: as| that| so)? (?:compelling|convincing|strong|clear|clear-cut|impressive)"
    r"(?: as (?:\w+ )?(?:thought|believed|assumed|claimed))?)(?: at best)?$"
)


# "the notion that lactic acid causes soreness has been debunked"
_DEBUNKED = re.compile(
    r" (?:has|have|had|was|were|is|are)(?: long| since| now| already| largely| widely)?"
    r"(?: been)? (?:debunked|disproven|disproved|refuted|discredited)\b"
)


# "the idea that cardio burns muscle is quite wrong": only a view that is named as one
_WRONG = re.compile(
    r"^(?:the|this|that|a|any) (?:\w+ )?(?:idea|notion|concept|belief|claim|assumption|theory"
    r"|premise|myth|view)s? that .+ (?:is|are|was|were)(?: (?:simply|just|quite|completely|totally"
    r"|dead|plain|flat|entirely|all))? (?:wrong|false|untrue|incorrect|mistaken|a myth|nonsense)$"
)


def _shifted(s: Sentence, found: Mentions, lo: int, hi: int) -> tuple[Sentence, Mentions]:
    """The words `s.tokens[lo:hi]` as a sentence of their own, with their mentions."""
    part = Sentence(
        s.tokens[lo:hi], s.stems[lo:hi], [b - lo for b in s.breaks if lo < b < hi], s.text
    )
    every, free, outcomes = (
        [replace(m, start=m.start - lo, end=m.end - lo) for m in ms if lo <= m.start <= m.end <= hi]
        for ms in found
    )
    return part, (every, free, outcomes)


def _unsupported(
    s: Sentence, found: Mentions, rules: Rules, context: Agent | None
) -> list[Frame] | None:
    """A view the sentence says the evidence does not bear out ("there is no research to back up
    the claim that X", "the evidence that X is weak", "X is unclear at best"): the view as
    reported, then the author's `no effect` for it; None when the sentence is no such denial."""
    joined = " ".join(s.tokens)
    if m := _NO_EVIDENCE_FOR.match(joined):
        lo, hi = len(joined[: m.end()].split()), len(s.tokens)
    elif (m := _UNSUPPORTED.search(joined)) or (m := _DEBUNKED.search(joined)):
        lo, hi = 0, len(joined[: m.start()].split())
    elif m := _WRONG.match(joined):
        verb = max(i for i, t in enumerate(s.tokens) if t in ("is", "are", "was", "were"))
        lo, hi = 0, verb
    else:
        return None
    if hi - lo < 3:
        return None
    part, kept = _shifted(s, found, lo, hi)
    view = [f for f in sentence_frames(part, kept, rules, context) if f.direction and not f.rebuts]
    if not view:
        return None
    said = f"not borne out: '{m.group(0).strip()}'"
    # the author's denial first: it is what the sentence asserts
    return [
        replace(
            f,
            direction=NEGATED[f.direction or "no effect"],
            rebuts=True,
            why=(*f.why, f"direction {NEGATED[f.direction or 'no effect']}: {said}"),
        )
        for f in view
    ] + [replace(f, reported=True, why=(*f.why, f"reported: {said}")) for f in view]


def _denied(
    s: Sentence, found: Mentions, rules: Rules, context: Agent | None
) -> list[Frame] | None:
    """A view and its denial in one sentence ("the label suggests a jog enhances recovery - but
    I do not think that is the case", "if you think X, you're mistaken"): the view as reported,
    then the author's denial of it; None when the sentence does not end in such a denial."""
    if (unsupported := _unsupported(s, found, rules, context)) is not None:
        return unsupported
    n = len(s.tokens)
    splits = list(s.breaks)
    if not _CONTRAST.isdisjoint(s.tokens):
        splits += [i + 1 for i in range(1, n) if s.tokens[i] in _CONTRAST]
    for k in sorted(set(splits)):
        if not 3 <= k < n or not rules.rebuttal.match(" ".join(s.tokens[k:]) + "."):
            continue
        head = Sentence(s.tokens[:k], s.stems[:k], [b for b in s.breaks if b < k], s.text)
        if head.tokens[-1] in _CONTRAST:
            head = Sentence(head.tokens[:-1], head.stems[:-1], head.breaks, s.text)
        every, free, outcomes = ([m for m in ms if m.end <= len(head.tokens)] for ms in found)
        view = sentence_frames(head, (every, free, outcomes), rules, context)
        view = [f for f in view if f.direction and not f.rebuts]
        if not view:
            return None
        said = f"denied by '{' '.join(s.tokens[k:])}'"
        return [replace(f, reported=True, why=(*f.why, f"reported: {said}")) for f in view] + [
            replace(
                f,
                direction=NEGATED[f.direction or "no effect"],
                rebuts=True,
                also=(),
                why=(*f.why, f"direction {NEGATED[f.direction or 'no effect']}: {said}"),
            )
            for f in view
        ]
    return None


def sentence_frames(
    s: Sentence,
    found: Mentions,
    rules: Rules,
    context: Agent | None = None,
    context_outcome: str | None = None,
) -> list[Frame]:
    """The frames of sentence `s` with its mentions `found`, the main clause's first (`frames`
    splits a text and finds its mentions first)."""
    text = s.text
    n = len(s.tokens)
    if n < 4 or n > 90:
        return []
    if (denial := _denied(s, found, rules, context)) is not None:
        return denial
    blamed = _kept(s, found, rules) + _blamed(s, found, rules)
    if (
        rules.claim_words.isdisjoint(s.stems)
        and not tag.null_statistic(text)
        and not tag.signed_interval(text)
        and not _cleared(s, found[2], rules)
        and not any(o.harm for o in found[2])
    ):
        return blamed
    every_agent, agents, outcomes = found
    # A weak outcome word inside a longer cue phrase is the cue's ("speeds up recovery").
    # (a kind none of whose longer cues begins with two stems of the sentence has none there)
    pairs = set(pairwise(s.stems))
    phrases = [
        (a, b) for kind in (*_POLAR, "no_effect", "not_cause")
        if not rules.cues[kind].pairs.isdisjoint(pairs)
        for a, b, _ in rules.cues[kind].find(s.stems)
        if b - a > 1 and s.tokens[a] != "results"  # "Results of the study showed …" is a noun
    ]  # fmt: skip
    # (and so is a one-word outcome that only begins one: "the most powerful technique")
    outcomes = [
        o for o in outcomes
        if not ((o.weak or o.end - o.start == 1) and any(a <= o.start < b for a, b in phrases))
    ]  # fmt: skip
    # and a one-word agent inside one is the cue's too ("eats into lean mass" is no eating)
    inside = [
        m for m in every_agent if m.end - m.start == 1 and any(a <= m.start < b for a, b in phrases)
    ]
    if inside:
        every_agent = [m for m in every_agent if m not in inside]
        agents = [m for m in agents if m not in inside]
    stems = _masked(s, [*every_agent, *outcomes])
    # A cause being removed ("flushing out metabolic byproducts") is the object, not the agent.
    removal = rules.cues["remove"].find(s.stems)
    removed = [
        m for m in every_agent
        if m.agent and m.agent.cause and any(0 <= m.start - e <= 2 for _, e, _ in removal)
    ]  # fmt: skip
    agents = [m for m in agents if m not in removed]
    # "clear metabolites from muscle tissue": where a removed cause is taken from is a place
    outcomes = [
        o for o in outcomes
        if not any(0 <= o.start - m.end <= 2 and "from" in s.tokens[m.end : o.start] for m in removed)
    ]  # fmt: skip
    cues = rules.find_cues(stems)
    for o, cue in _cleared(s, outcomes, rules).items():
        cues["decrease"] = sorted([*cues["decrease"], (cue, o.end + 1, f"{o.phrase} away")])
    # "Results of the study showed …" is a noun, no cause
    cues["cause"] = [c for c in cues["cause"] if s.tokens[c[0]] != "results"]
    if not any(cues[k] for k in (*_POLAR, "good", "bad", "no_effect", "not_cause", "separate")):
        # a failure named with no verb acting on it ("makes you lose muscle") is itself the harm
        cues["worsen"] = [(o.start, o.end, o.phrase) for o in outcomes if o.harm]
    why: list[str] = []

    # Clauses: an opening condition or concession gives way to the main clause, and so does
    # whatever comes before a "but".
    lo, hi = 0, n
    condition = (0, 0)
    earlier = (0, 0)  # a concession or what came before "but": its subject may be the claim's
    before_but: tuple[int, int] | None = None
    first = s.tokens[0]
    # "as long as / so long as / provided (that) …," open a condition as "if" does; with no
    # comma, "then" ends it ("As long as you eat enough then you will be fine")
    provided = first in ("provided", "providing") or (
        first in ("as", "so") and n > 2 and s.tokens[1] == "long"
    )
    then = s.tokens.index("then", 2, n - 1) if "then" in s.tokens[2 : n - 1] else None
    end = s.breaks[0] if s.breaks else then
    if (first in _CONDITION or first in _CONCESSION or provided) and end is not None:
        condition = (0, end) if first in _CONDITION or provided else (0, 0)
        lo = end
        if first in _CONCESSION:
            earlier = (0, end)
        why.append(f"main clause after the opening '{first} …'")
        if first in _IF or provided:
            why.append(f"condition: '{' '.join(s.tokens[:end])}'")
    for i in range(n - 1, lo, -1) if not _CONTRAST.isdisjoint(s.tokens) else ():
        if s.tokens[i] in _CONTRAST and (s.tokens[i] == "but" or i in s.breaks):
            if any(
                lo <= i < c[0]
                for kind in (*_POLAR, "no_effect", "not_cause", "advise", "discourage", "separate")
                for c in cues[kind]
                if c[0] > i
            ):
                before_but = (lo, i)
                earlier = (0, i)
                lo = i + 1
                why.append(f"main clause after '{s.tokens[i]}'")
            break
    for i in range(lo, n) if not _CONDITIONAL.isdisjoint(s.tokens) else ():
        long_as = s.tokens[i : i + 3] in (["as", "long", "as"], ["so", "long", "as"])
        if (s.tokens[i] in ("if", "unless", "when", "provided") or long_as) and i > 0:
            condition = (i, clause_end(s, i))
            # with no comma to end it, a condition ends where a clause of agent and verb begins
            # ("… found that when done together cardio can stunt your gains")
            acting = [
                m.start for m in agents
                if i + 1 < m.start < condition[1]
                and any(m.end <= c[0] < condition[1] for k in (*_POLAR, "no_effect") for c in cues[k])
            ]  # fmt: skip
            if condition[1] == n and acting:
                condition = (i, acting[0])
            why.append(f"condition: '{' '.join(s.tokens[i : condition[1]])}'")
            break

    # "X reduced soreness, while there was no change for the others", "X causes muscle loss
    # whilst Y leads to gains": what follows a contrasting "while" / "whereas" is a clause of
    # its own, read by itself when it names an agent of its own
    tail = _contrasted(s, agents, lo)
    if tail is not None:
        hi = tail
        outcomes = [o for o in outcomes if o.start < tail]
        why.append(f"main clause before '{s.tokens[tail]}'")

    # A relative clause on an agent ("lactic acid that causes soreness") is a frame of its own.
    relative: tuple[int, Mention] | None = None
    relatives = not _RELATIVE.isdisjoint(s.tokens) or "caus" in s.stems
    # (only the words the loop acts on: a relative pronoun, or a "caus…" after a break)
    marks = range(lo + 1, hi) if relatives else ()
    for i in [i for i in marks if s.tokens[i] in _RELATIVE or s.stems[i] == "caus"]:
        if s.tokens[i] in _RELATIVE:
            before = [m for m in every_agent if m.end in (i, i - 1) and m.start >= lo]
            after = [c for kind in (*_POLAR, "not_cause") for c in cues[kind] if i < c[0] <= i + 4]
            whole = _first_agent(agents, s, lo, i)
            last = next((m for m in reversed(every_agent) if lo <= m.start and m.end < i), None)
            # ", which limits growth" after a clause with no agent at its end ("runs increase
            # muscle breakdown, which ...") says more about the clause's subject, unless a
            # cause sits in its object ("reducing lactic acid in your legs, which")
            cause_before = last is not None and last.agent is not None and last.agent.cause
            if not before and after and i in s.breaks and whole is not None and not cause_before:
                relative = (i + 1, whole)
                hi = i
                break
            if before and after:
                near = before[-1]
                # ", which ..." mostly says more about the whole clause (its subject), "that"
                # about the noun before it; a cause ("lactic acid, which causes soreness") is
                # the noun.
                whole = _first_agent(agents, s, lo, near.start)
                people = s.tokens[i] == "who"  # "the runners, who had …" are the runners
                if i in s.breaks and whole and not (near.agent and near.agent.cause) and not people:
                    near = whole
                relative = (i + 1, near)
                hi = i
                break
        if i in s.breaks and s.stems[i] == "caus":  # "..., causing soreness"
            before = [
                m for m in every_agent if m.end <= i and m.start >= lo and m.agent and m.agent.cause
            ]
            if before:
                relative = (i, before[-1])
                hi = i
                break

    # the main clause's outcome is its own, not the relative clause's ("increase muscle
    # breakdown, which can limit growth" is about growth only through the relative clause)
    of_subject = relative is not None and relative[1] in agents and relative[1].start == lo
    mine = [o for o in outcomes if o.start < hi and not o.weak] if of_subject else outcomes
    main = _frame(
        s, rules, cues, agents, mine, lo, hi, condition, context, why, context_outcome,
        earlier=earlier,
    )  # fmt: skip
    out = [main]
    if (
        before_but is not None
        and main.outcome is None
        and not any(lo <= m.start < hi for m in agents)
        and not any(lo <= o.start < hi and not o.covered for o in outcomes)
    ):
        # "endurance training reduces strength—but for those already trained, the effect is
        # smaller": a "but" clause naming neither agent nor outcome only qualifies the claim
        qualified = _frame(s, rules, cues, agents, outcomes, *before_but, condition, context,
                       [f"clause before '{s.tokens[before_but[1]]}': the rest only qualifies it"],
                       context_outcome)  # fmt: skip
        if qualified.direction is not None and qualified.outcome is not None:
            main = qualified
            out = [main]
    if before_but is not None:
        # "might not necessarily obstruct muscle growth, but instead foster fitness": a denial
        # before "but" stands beside the main clause, about its own outcome
        denied = _frame(s, rules, cues, agents, outcomes, *before_but, condition, context,
                        [f"clause before '{s.tokens[before_but[1]]}'"], context_outcome)  # fmt: skip
        if (
            denied.rebuts
            and denied.outcome is not None
            and denied.outcome != main.outcome
            and denied.agent is not None
            and denied.agent == main.agent
        ):
            out.append(replace(denied, also=()))
    out += [
        replace(
            main, outcome=o, direction=d, why=(*main.why, f"outcome {o} ({d}): named beside it")
        )
        for o, d in main.also
    ]
    if relative is not None:
        i, antecedent = relative
        end = clause_end(s, i)
        sub = _frame(
            s, rules, cues, [antecedent], outcomes, i, end, (0, 0), None,
            [f"relative clause on '{antecedent.phrase}'"], None, antecedent,
        )  # fmt: skip
        doer = _first_agent(agents, s, lo, antecedent.start) or (
            antecedent if antecedent in agents else None
        )
        if s.tokens[i - 1] == "who" and antecedent in agents:
            doer = antecedent  # "the runners, who had a harder time" are the ones who did
        if (
            (main.direction is None or (main.outcome is None and sub.outcome is not None))
            and sub.direction
            and doer
            and doer.agent
            and not sub.rebuts
        ):
            # "Running activates AMPK, which blunts hypertrophy": running blunts it, through AMPK.
            out = [
                replace(
                    sub,
                    agent=doer.agent,
                    why=(
                        *why,
                        f"agent {doer.what}: '{doer.phrase}'"
                        + (f", through '{antecedent.phrase}'" if doer is not antecedent else ""),
                        *[w for w in sub.why[1:] if not w.startswith("agent ")],
                    ),
                )
            ]
        if (
            sub.direction
            and sub.agent is not None
            and (sub.agent, sub.outcome) != (main.agent, main.outcome)
        ):
            out.append(sub)
    # "flush out the lactic acid, reducing soreness": removing a cause to ease an outcome says
    # the cause causes it.
    cleared = next((m for m in removed if m.start >= lo), None)
    if out[0] is main and main.direction == "improves" and main.outcome is None and cleared:
        # "helps flush out metabolic waste": clearing a cause, with no outcome named, is recovery
        main = replace(
            main,
            outcome="recovery",
            why=(*main.why, f"outcome recovery: clears '{cleared.phrase}'"),
        )
        out[0] = main
    eased = [o for o in outcomes if _bad(o, rules)]
    if main.direction == "improves" and eased:
        for m in removed:
            if m.agent and s.tokens[m.end : eased[0].start] not in ([], ["and"], ["or"]):
                out.append(
                    Frame(
                        m.agent,
                        eased[0].what,
                        "causes",
                        "mechanism",
                        (
                            f"agent {m.agent.name}: '{m.phrase}', removed to ease "
                            f"'{eased[0].phrase}'",
                            "direction causes: implied by removing it",
                        ),
                    )
                )
                break
    # "SMD −0.06 (95% CI −0.20 to 0.09) and −0.01 (…) for strength and hypertrophy, respectively"
    spans = tag.intervals(text)
    named = list(dict.fromkeys(o.what for o in outcomes if not o.weak))
    if "respectively" in s.tokens and spans and len(spans) == len(named):
        agent = main.agent or context
        out = [
            Frame(
                agent,
                o,
                "no effect" if low < 0 < high else ("improves" if low > 0 else "worsens"),
                "effect",
                (f"direction from its interval {low} to {high}, '{o}' respectively",)
                + ((f"agent {agent.name}: from the sentences around it",) if agent else ()),
                rebuts=low < 0 < high,
            )
            for o, (low, high) in zip(named, spans, strict=True)
        ]
    if s.tokens[:2] in (["by", "not"], ["by", "never"]):  # ("by skipping" is advice already)
        # "By not running before squat day, the soreness was reduced": what the agent does
        # is the other way round
        said = f"'{' '.join(s.tokens[:2])} …': the other way for doing it"
        out = [_turned(f, said) if f.direction in INVERSE else f for f in out]
    if tail is not None and any(m.start > tail for m in agents):
        # each side of "X helps, while Y hurts" carries its own conditions
        out = [f if f.words else replace(f, words=(0, tail)) for f in out]
        part, kept = _shifted(s, found, tail + 1, n)
        for f in sentence_frames(part, kept, rules, None, main.outcome):
            a, b = f.words or (0, n - tail - 1)
            f = replace(f, words=(a + tail + 1, b + tail + 1))
            if f.agent is not None and f.outcome is None and main.outcome is not None:
                # "…, while there was no change with stretching": the change in the same thing
                f = replace(f, outcome=main.outcome, why=(*f.why, f"outcome {main.outcome}: "
                            "the main clause's, set against it"))  # fmt: skip
            if f.agent is not None:
                out.append(f)
    out = _but_not(s, outcomes, main, out)
    out += _compared(s, agents, main, lo, hi, rules)
    out += blamed
    seen = set()
    unique = []
    for f in out:
        if f.direction is not None and (f.agent, f.outcome, f.reported) not in seen:
            seen.add((f.agent, f.outcome, f.reported))
            unique.append(f)
    return unique


def _but_not(
    s: Sentence, outcomes: Sequence[Mention], main: Frame, out: list[Frame]
) -> list[Frame]:
    """What "but not" excepts ("X blunts hypertrophy but not strength") is unaffected by the
    agent (`no effect`, denying the main clause's direction), never a further outcome of it."""
    if main.direction not in INVERSE or main.agent is None:
        return out
    excepts = [j + 1 for j in range(len(s.tokens) - 1) if s.tokens[j : j + 2] == ["but", "not"]]
    spared = [
        o for o in outcomes
        if (not o.weak or o.end - o.start > 1) and any(j < o.start <= j + 3 for j in excepts)
    ]  # fmt: skip
    named = {o.what for o in spared} - {main.outcome}
    if not named:
        return out
    kept = tuple(w for w in main.why if not w.startswith(("direction ", "outcome ")))
    said = ("direction no effect: excepted by 'but not'", f"denies {main.direction}: 'but not'")
    return [f for f in out if f.outcome not in named] + [
        replace(main, outcome=o, direction="no effect", rebuts=True, also=(), why=(*kept, *said))
        for o in sorted(named)
    ]


_BE = {"be", "is", "are", "was", "were", "been", "being"}
_GOAL = {"goal", "goals", "want", "aim", "looking", "trying", "seeking", "hoping", "interested"}


def _intensity(s: Sentence, m: Mention, rules: Rules) -> str | None:
    """The intensity an agent's own words state ("HIIT", "low-intensity cardio")."""
    return tag.scope(s.stems[max(0, m.start - 2) : m.end], rules).intensity


_JUDGED = {"effective", "better", "best", "preferable", "smarter", "safer", "wiser"}
_THAN = {"than", "superior", "inferior", "preferable"}


def _compared(
    s: Sentence, agents: Sequence[Mention], main: Frame, lo: int, hi: int, rules: Rules
) -> list[Frame]:
    """What the main clause is weighed against ("cyclists had less soreness than the runners",
    "cycling is better than running for leg size") fares the other way on the same outcome.
    Lifting as the control ("than RT alone") and the same agent again are no such claim."""
    if main.direction not in INVERSE or main.outcome is None or main.agent is None or main.rebuts:
        return []
    for i in range(lo, hi):
        word, following = s.tokens[i], s.tokens[i + 1 : i + 2]
        if word not in _THAN or (word != "than" and following != ["to"]):
            continue
        if i and s.tokens[i - 1] in ("rather", "other"):  # an alternative, not a degree
            return []
        other = next((m for m in agents if i < m.start <= i + 4 and m.end <= hi), None)
        if other is None or other.agent is None or other.agent.baseline:
            return []
        # two intensities of one activity judged for efficacy ("HIIT is more effective for fat
        # loss than low-intensity cardio") weigh a condition, not the activity: no claim
        judged = _JUDGED.intersection(s.tokens[lo:i]) or word != "than"
        mine = next((m for m in agents if lo <= m.start < i and m.agent == main.agent), None)
        if (
            judged
            and mine is not None
            and other.agent.family == main.agent.family
            and all(_intensity(s, m, rules) for m in (mine, other))
        ):
            return []
        timed = s.tokens[other.start - 1] in _PREPOSITION - {"than"}  # "than after leg day"
        if other.agent.name == main.agent.name or timed:
            return []
        said = f"direction {INVERSE[main.direction]}: weighed against it with '{s.tokens[i]}'"
        return [
            Frame(
                other.agent,
                main.outcome,
                INVERSE[main.direction],
                main.kind,
                (f"agent {other.agent.name}: '{other.phrase}'", said),
                words=(i + 1, clause_end(s, i + 1)),  # "than the runners" states its own
            )
        ]
    return []


def _frame(
    s: Sentence,
    rules: Rules,
    cues: dict[str, list[tuple[int, int, str]]],
    agents: Sequence[Mention],
    outcomes: Sequence[Mention],
    lo: int,
    hi: int,
    condition: tuple[int, int],
    context: Agent | None,
    why: list[str],
    context_outcome: str | None = None,
    antecedent: Mention | None = None,
    earlier: tuple[int, int] = (0, 0),
) -> Frame:
    why = list(why)
    # a condition after the main verb ("… is okay as long as your stride isn't compromised")
    # lends its words to the claim only when the main clause has no cue of its own
    after = condition if lo < condition[0] < hi else (0, 0)
    main_cue = any(
        lo <= c[0] < hi and not after[0] <= c[0] < after[1]
        for kind in _DIRECTED
        for c in cues[kind]
    )  # fmt: skip
    if (
        not main_cue
        and not any(lo <= c[0] < hi for kind in _DIRECTED for c in cues[kind])
        and tag.null_statistic(s.text) is None
        and tag.signed_interval(s.text) is None
    ):
        return Frame(None, None, None, "effect", tuple(why))  # no cue: what the end gives (speed)

    def within(kind: str) -> list[tuple[int, int, str]]:
        return [
            c for c in cues[kind]
            if lo <= c[0] < hi and not (main_cue and after[0] <= c[0] < after[1])
        ]  # fmt: skip

    # the clause after a contrasting "but" / "however" ("not only … but" adds; "it" points back)
    contrast = (
        lo > 0
        and s.tokens[lo - 1] in _CONTRAST
        and "only" not in s.tokens[:lo]
        and _THING.isdisjoint(s.tokens[lo:hi])
    )
    covered = [o for o in outcomes if o.covered]
    outcomes = [o for o in outcomes if not o.covered]
    own = [o for o in outcomes if lo <= o.start < hi and not condition[0] <= o.start < condition[1]]

    besides: list[str] = []  # an outcome read together with the one chosen

    def outcome_at(cue: tuple[int, int, str]) -> Mention | None:
        """The outcome a cue acts on: the nearest after it in the clause, else before it; a
        weak outcome word ("your muscles") only when no other is there."""
        if contrast and not own and cue in cues["improve"]:
            # "was very sore today, but now after the run I feel much better": a bad state
            # before "but", relieved after it
            relieved = [o for o in outcomes if o.start < lo and _bad(o, rules)]
            if relieved:
                return relieved[-1]
        # never from what comes before "but" ("… to burn fat, but it stunts your gains")
        rest = [
            o for o in outcomes
            if not condition[0] <= o.start < condition[1] and not o.weak
            and not (contrast and o.start < lo)
        ]  # fmt: skip
        # "if your goal is leg size, X is superior": the goal a condition states is what the
        # judgement is about when the clause names no outcome of its own
        goal = [
            o for o in outcomes
            if condition[0] <= o.start < condition[1] and not o.weak
            and not _GOAL.isdisjoint(s.tokens[condition[0] : o.start])
        ][:1]  # fmt: skip
        # a correction after a denial, opening with its own subject or an "actually" ("doesn't
        # kill gains; it speeds up recovery", "won't hurt gains and even helps recovery"), says
        # its own thing: its outcomes are not the denied cue's
        cut = len(s.tokens)
        if cue in cues["no_effect"] or _negated(s, cue[0], lo, rules):
            cut = next(
                (
                    j for j in range(cue[1], len(s.tokens))
                    if s.tokens[j] in _CORRECTS
                    and (j in s.breaks or s.tokens[j - 1] == "and")
                ),
                cut,
            )  # fmt: skip
        for pool in ([o for o in own if not o.weak], own, rest, goal):
            pool = [o for o in pool if o.start < cut]
            after = [o for o in pool if o.start >= cue[0]]
            if after or pool:
                found = after[0] if after else pool[-1]
                # "restoration of performance": the outcome after "of" is the one meant;
                # "recovery from DOMS" is about both
                head = next((o for o in own if o.start == found.end + 1), None)
                if head is not None and found.end < len(s.tokens):
                    if s.tokens[found.end] == "from":
                        besides.append(found.what)
                        return head
                    if s.tokens[found.end] == "of":
                        return head
                return found
        return None

    subject = _first_agent(agents, s, lo, hi)
    if subject is None and condition != (0, 0) and s.tokens[condition[0]] in _IF:
        subject = _first_agent(agents, s, *condition)
    if subject is None and earlier != (0, 0):  # "X clears lactate, but that does not ..."
        subject = _first_agent(agents, s, *earlier)
    if subject is None and antecedent is not None:
        subject = antecedent  # a relative clause's: "lactic acid that causes soreness"
    if subject is not None and subject.agent is not None and subject.agent.baseline:
        subject = _added(s, agents, subject, hi)
    # "lift first, then do cardio, to maximize strength": the order is the claim, and the
    # activity put second would be worse first
    second = _put_second(s, agents, subject, hi, context) if subject is not None else None
    direction: str | None = None
    cue: tuple[int, int, str] | None = None
    avoids: str | None = None
    kind = "effect"
    rebuts = False
    target: Mention | None = None  # the agent advice is about
    if found := within("not_cause"):
        cue, direction, rebuts, kind = found[0], "does not cause", True, "mechanism"
    elif found := within("no_effect"):
        cue, direction, rebuts = found[0], "no effect", True
        for k, said in (("worsen", "worsens"), ("improve", "improves")):
            if any(cue[1] <= c[0] <= cue[1] + 2 for c in cues[k]):
                why.append(f"denies {said}: '{cue[2]}' on a '{k}' word")
    elif found := [c for c in within("separate") if not _time_point(s, c)]:
        cue, direction, kind = found[0], "worsens", "recommendation"
        # the time it advises against: "on a separate day" avoids the same day, "wait 48 hours"
        # the next one
        avoids = "same-session" if "day" in cue[2] else "next-day"
    else:
        polar = sorted((c[0], k, c) for k in (*_POLAR, "good", "bad") for c in within(k))
        for n, (_, k, c) in enumerate(polar):
            if k == "cause" and any(
                c[1] <= p[0] <= c[1] + 5
                and p[1] in ("increase", "decrease")
                and (p[0] <= c[1] + 2 or not any(c[1] <= o.start < p[0] for o in outcomes))
                for p in polar[n + 1 :]
            ):
                continue  # "leads to less soreness", "induced a small decrease": the word after
            if k == "increase" and any(
                p[1] == "decrease" and c[1] <= p[0] <= c[1] + 1 for p in polar[n + 1 :]
            ):
                continue  # "the greatest reduction in soreness": how much it went down
            if k in ("increase", "decrease") and polar[n + 1 :]:
                mark = len(besides)
                acted_on = outcome_at(c)
                del besides[mark:]  # only a look: the cue chosen reads its outcome again
                if acted_on is None:
                    continue  # "slower cardio to loosen things up": nothing to act on, no way
            if k == "cause":
                o = outcome_at(c)
                mechanism = (
                    subject is not None and subject.agent is not None and subject.agent.cause
                )
                if not ((o is not None and _bad(o, rules)) or mechanism):
                    continue  # "due to", "results in" on a good outcome: no direction
                kind = "mechanism"
            cue = c
            direction = {
                "improve": "improves", "good": "improves",
                "worsen": "worsens", "bad": "worsens", "cause": "causes",
            }.get(k)  # fmt: skip
            if k in ("good", "bad"):
                kind = "recommendation"
            break
        if cue is None:
            for k in ("discourage", "advise"):
                for c in within(k):
                    target = next((m for m in agents if c[1] <= m.start < min(hi, c[1] + 5)), None)
                    passive = not _BE.isdisjoint(s.tokens[max(lo, c[0] - 2) : c[0]])
                    if passive and s.tokens[c[1] - 1].endswith("ed"):
                        # "sprints should be (best) avoided the day after squats": the subject
                        # ("it is recommended to stretch": the agent after, as before)
                        target = _first_agent(agents, s, lo, c[0]) or target
                    at = c[1] + 1 if c[1] < hi and s.tokens[c[1]] == "doing" else c[1]
                    if target is None and context is not None and at < hi and s.tokens[at] in _IT:
                        # "I'd say skip it", "advise against doing that": the activity the
                        # sentences around are about
                        target = Mention(at, at + 1, context.name, s.tokens[at], context)
                    between = set(s.tokens[c[1] : target.start]) if target else set()
                    if target is not None and not between & _OTHER_VERB:
                        cue, kind = c, "recommendation"
                        direction = "worsens" if k == "discourage" else "improves"
                        if between & _SKIP:  # "no excuse to skip the run"
                            direction = "improves" if k == "discourage" else "worsens"
                            why.append(f"advice to skip: '{' '.join(sorted(between & _SKIP))}'")
                        if c[0] > lo and s.tokens[c[0] - 1] in _NOT:
                            # "the key isn't avoiding cardio": advice denied
                            direction = INVERSE[direction]
                            why.append(f"advice denied: '{s.tokens[c[0] - 1]}'")
                        break
                if cue:
                    break
    null = tag.null_statistic(s.text)
    if cue is None and null:
        cue, direction, rebuts = (lo, lo, null), "no effect", True
    signed = tag.signed_interval(s.text) if cue is None else None
    if signed is not None:  # "SMD −0.23 (95% CI −0.46 to −0.00)": a measured decrease
        cue = (lo, lo, f"interval {signed[0]} to {signed[1]}")
    if cue is None:
        return Frame(None, None, None, kind, tuple(why))
    weighed = [  # "of either" is a pronoun ("too much of either"), not "either … or"
        t
        for i, t in enumerate(s.tokens[lo:hi], lo)
        if t in _BALANCE and not (t == "either" and s.tokens[i - 1] == "of")
    ]
    if balance := set(weighed):
        why.append(f"no direction: it weighs both ways ('{sorted(balance)[0]}')")
        return Frame(None, None, None, kind, tuple(why))
    outcome = outcome_at(cue)
    if outcome is None and (cue in cues["worsen"] or cue in cues["no_effect"]):
        # "won't interfere with your strength training": what the training builds, strength
        trained = next(
            (m for m in agents if m.agent and m.agent.baseline and 0 <= m.start - cue[1] <= 3
             and m is not subject),
            None,
        )  # fmt: skip
        if trained is not None:
            outcome = Mention(trained.start, trained.end, "strength", trained.phrase)
            why.append(f"outcome strength: what '{trained.phrase}' builds")
    if outcome is None and kind == "mechanism" and covered:
        outcome = covered[0]  # "lactate isn't the reason your legs are sore"
    if direction is None:  # increase / decrease: which way depends on the outcome
        bad = outcome is not None and _bad(outcome, rules)
        increase = signed[0] > 0 if signed is not None else cue in cues["increase"]
        direction = "worsens" if increase == bad else "improves"
    why.append(f"direction {direction}: '{cue[2]}'")
    before = s.tokens[cue[0] - 1] if cue[0] else ""
    if (
        direction in INVERSE
        and (cue in cues["increase"] or cue in cues["improve"])
        and (before in _LESSER or any(c[1] == cue[0] for c in cues["decrease"]))
    ):  # "a lower increase in strength than RT alone": a smaller gain is a loss
        direction = INVERSE[direction]
        why.append(f"direction {direction}: a '{before}' {cue[2]}")
    if (not rebuts and kind != "recommendation") or cue in cues["good"] or cue in cues["bad"]:
        if (neg := _negated(s, cue[0], lo, rules)) and kind == "recommendation":
            direction = INVERSE[direction]  # "not a good idea"
            why.append(f"negated by '{neg}'")
        elif neg:
            if direction in ("improves", "worsens"):
                why.append(f"denies {direction}: negated by '{neg}'")
            else:
                why.append(f"negated by '{neg}'")
            direction = NEGATED[direction]
            rebuts = True
        elif direction == "worsens" and any(
            c[1] <= cue[0] <= c[1] + 2 for c in cues["reducer"] if lo <= c[0] < hi
        ):
            spared = (
                outcome is not None
                and not _bad(outcome, rules)
                and "without" in s.tokens[lo : cue[0]]
            )
            if outcome is not None and ((outcome.harm and cue[0] == outcome.start) or spared):
                # "run a lot without losing muscle", "without sacrificing gains": the harm does
                # not follow (a bad outcome avoided, "without risking injury", is one eased)
                direction, rebuts = "no effect", True
                why.append("denies worsens: the failure comes 'without'")
            else:
                direction = "improves"
                why.append("reversed by 'without' / 'instead of'")
    if null and direction != "no effect":
        direction, rebuts = "no effect", True
        why.append(f"direction no effect: {null}")

    if (
        subject is not None
        and subject.start > cue[0]
        and _LIKE.intersection(s.tokens[max(lo, subject.start - 2) : subject.start])
        and {"do", "does", "did"}.intersection(s.tokens[subject.end :])
    ):  # "they don't speed up recovery like rest does": what it is compared with does not act
        # ("risk increases with sequences like running" has no verb of its own: "such as")
        why.append(f"'{subject.phrase}' is only compared with")
        subject = None
    agent: Agent | None = None
    if second is not None and target is None:
        agent = second
        why.append(f"agent {second.name}: what '{subject.phrase if subject else ''}' is put before")
        if direction in INVERSE:
            direction = INVERSE[direction]
            why.append(f"direction {direction}: for {second.name} done first")
    elif target is not None:
        agent = target.agent
        why.append(f"agent {target.what}: '{target.phrase}' (advised on)")
    elif (
        subject is not None
        and _opening(s, lo) in _PRONOUN
        and subject.start > cue[0]
        and context is not None
    ):  # "This leads to fatigue, limiting the ability to lift": "this" is what came before
        agent = context
        why.append(f"agent {context.name}: from the sentences around it ('{s.tokens[lo]}')")
    elif subject is not None:
        agent = subject.agent
        why.append(f"agent {subject.what}: '{subject.phrase}'")
        skipped = s.stems[subject.start - 1] if subject.start > lo else ""
        if skipped in _SKIP and direction in INVERSE and kind != "recommendation":
            # "Skipping rest days is a fast track to overtraining": going without it worsens
            direction = INVERSE[direction]
            why.append(
                f"direction {direction}: for doing what '{s.tokens[subject.start - 1]}' leaves out"
            )
    elif context is not None and _PRONOUN.intersection(s.tokens[lo:hi]):
        agent = context
        why.append(f"agent {context.name}: from the sentences around it")
    elif context is not None and direction == "no effect" and _there_is(s, lo, hi):
        # "There were no significant differences in hypertrophy": between what the text is about
        agent = context
        why.append(f"agent {context.name}: from the sentences around it (a null result)")
    elif kind == "effect" and (named := _own_words(s, lo, cue[0], outcomes)):
        agent = Agent(named, named, Cues([]))
        why.append(f"agent '{named}': not in the lexicon, named by its own words")
    if (
        outcome is None
        and context_outcome is not None
        and _THING.intersection(s.tokens[lo + 1 : hi])
        and target is None  # advice: "it" is the activity ("skip it", "space it out")
    ):
        outcome = Mention(0, 0, context_outcome, "it")
        why.append(f"outcome {context_outcome}: from the sentence before")
        if (cue in cues["increase"] or cue in cues["decrease"]) and direction in INVERSE:
            # "hard sprints increased it": more of a bad outcome worsens it
            turned = INVERSE[direction] if _bad(outcome, rules) else direction
            if turned != direction:
                direction = turned
                lines = [k for k, w in enumerate(why) if w.startswith("direction ")]
                if lines:
                    why[lines[-1]] = f"direction {direction}: '{cue[2]}'"
    if agent is None and outcome is None:
        return Frame(None, None, None, kind, tuple(why))  # says nothing about anything named
    if direction == "causes" and agent is not None and not agent.cause:
        direction = "worsens"
    if cue in cues["separate"] and agent is not None and agent.opposes:
        direction = "improves"  # "give your legs time to recover": waiting is what helps
    if outcome is not None and outcome.phrase != "it":
        why.append(f"outcome {outcome.what}: '{outcome.phrase}'")
    if hedge := within("hedge"):
        why.append(f"hedged: '{hedge[0][2]}'")
    # "does not interfere with strength and hypertrophy": one frame per outcome it names; a list
    # whose items have their own verbs ("reduce the risk of injury, prevent soreness, or enhance
    # performance") gives each outcome the way its own verb says.
    more: dict[str, str] = {
        b: direction for b in besides if outcome and b != outcome.what and direction
    }
    if outcome is not None and direction is not None:
        last = outcome
        for o in own:
            if o.start < last.end or o.weak:
                continue
            way = _listed(s, cues, rules, last, o, agents, direction, rebuts)
            if way is None:
                break
            if o.what != outcome.what:
                more.setdefault(o.what, way)
            last = o
    if agent is not None and agent.opposes:
        avoids = None
    return Frame(
        agent,
        outcome.what if outcome else None,
        direction,
        kind,
        tuple(why),
        rebuts,
        tuple(more.items()),
        avoids,
    )


_VERB_WAY = {"improve": "improves", "worsen": "worsens"}
_DETERMINER = {"the", "a", "an", "some", "your", "my", "our", "their", "any", "regular", "daily"}
_AUXILIARY = {
    "is", "are", "was", "were", "be", "can", "could", "may", "might", "will", "would", "should",
    "does", "do", "did", "has", "have", "had", "also", "actually", "really", "greatly", "often",
}  # fmt: skip
_NOT_A_THING = {
    "it", "this", "that", "these", "those", "they", "you", "we", "i", "he", "she", "there",
    "which", "who", "what", "research", "studies", "study", "evidence", "science", "data",
}  # fmt: skip


_DISCOURSE = {
    "however", "another", "one", "result", "also", "so", "then", "thus", "therefore", "but",
    "and", "or", "while", "yes", "no", "well", "still", "overall", "instead", "first", "finally",
}  # fmt: skip


def _own_words(s: Sentence, lo: int, cue: int, outcomes: Sequence[Mention]) -> str | None:
    """The words of a subject the lexicon does not know ("sauna sessions help recovery"): the
    one to four words that open the clause before its verb; None when there is no such noun."""
    if any(lo < b <= cue for b in s.breaks) or any(lo <= o.start < cue for o in outcomes):
        return None
    span = s.tokens[lo:cue]
    while span and span[0] in _DETERMINER:
        span = span[1:]
    if span and (span[0] in _DISCOURSE or _DETERMINER.intersection(span)):
        return None
    end = next((i for i, t in enumerate(span) if t in _AUXILIARY or "'" in t), len(span))
    if end != len(span) and not _AUXILIARY.issuperset(span[end:]):
        return None  # something other than auxiliaries between the subject and its verb
    span = span[:end]
    if not 1 <= len(span) <= 4 or _NOT_A_THING.intersection(span):
        return None
    if not all(t.isalpha() for t in span):
        return None
    return " ".join(span)


def _listed(
    s: Sentence,
    cues: dict[str, list[tuple[int, int, str]]],
    rules: Rules,
    last: Mention,
    o: Mention,
    agents: Sequence[Mention],
    direction: str,
    rebuts: bool,
) -> str | None:
    """The direction of outcome `o` when it continues the list `last` ends ("strength and
    hypertrophy", "…, prevent soreness, or enhance performance"); None when it does not."""
    gap = s.tokens[last.end : o.start]
    if len(gap) <= 2 and _JOIN.issuperset(gap):
        return direction
    if (  # "maximal strength and muscle hypertrophy": a modifier of the next item, no verb
        2 <= len(gap) <= 3
        and gap[0] in ("and", "or", "nor")
        and not any(last.end <= c[0] < o.start for k in (*_POLAR, "no_effect") for c in cues[k])
        and not any(last.end <= m.start < o.start for m in agents)
        and not any(last.end < b <= o.start for b in s.breaks)
    ):
        return direction
    listed = {"and", "or", "nor"}.intersection(gap) or any(
        last.end <= b <= o.start for b in s.breaks
    )
    if (
        len(gap) > 7
        or not listed
        or _CONTRAST.intersection(gap)
        or any(last.end <= m.start < o.start for m in agents)
        or direction not in ("improves", "worsens", "no effect")
    ):
        return None
    verbs = sorted(
        (c[0], k) for k in ("improve", "worsen", "increase", "decrease") for c in cues[k]
        if last.end <= c[0] and c[1] <= o.start
    )  # fmt: skip
    # the item's verb opens it ("…, or enhance performance"), not a noun inside an object phrase
    # ("reduced DOMS and associated decrements in performance")
    opens = [last.end + i for i, t in enumerate(gap) if t in ("and", "or", "nor")]
    opens += [b for b in s.breaks if last.end <= b <= o.start]
    if not verbs or verbs[0][0] - max(opens) > 1 + sum(
        t in _CORRECTS for t in s.tokens[max(opens) : verbs[0][0]]
    ):
        return None
    # "does not reduce soreness or improve performance": the denial covers the list, but not an
    # item that corrects it with a subject or an "actually" of its own ("doesn't hurt your gains;
    # it improves endurance", "won't hurt gains and actually speeds up recovery")
    if rebuts and _CORRECTS.isdisjoint(s.tokens[max(opens) : verbs[0][0]]):
        return direction
    kind = verbs[0][1]
    way = _VERB_WAY.get(kind) or (
        "worsens" if (kind == "increase") == _bad(o, rules) else "improves"
    )
    if any(0 <= last.start - c[1] <= 3 for c in cues["reducer"]) and way == "worsens":
        way = "improves"  # "without risking injury or prolonging soreness"
    return way
