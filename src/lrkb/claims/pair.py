"""Conflicts: two asserted claims on one issue whose directions disagree (pure).

`direct` when their conditions agree (or are unstated), `scope` when one differs (light vs hard,
next-day vs separate-day). Claims about different goals or outcomes never conflict, nor do a claim
and the view it reports. Claims that name no outcome ("run on sore legs", "sprint the next day")
are compared with the advice of every outcome of their family. Each pair of passages is shown
once; a large corpus is bounded by comparing only within an issue, at most CANDIDATES claims of
each side, and keeping MAX_PER_ISSUE conflicts.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence

from ..models import Claim, Conflict, Issue
from .group import agent_named, normalized
from .rules import Rules

CANDIDATES = 300
MAX_PER_ISSUE = 50
_AGAINST = {
    "improves": {"worsens", "causes", "no effect"},
    "worsens": {"improves", "no effect", "does not cause"},
    "causes": {"improves", "no effect", "does not cause"},
    "no effect": {"improves", "worsens", "causes"},
    "does not cause": {"worsens", "causes"},
}
_CONDITIONS = ("intensity", "timing", "modality", "population")


def _flat_denial(c: Claim) -> bool:
    """A denial that names no outcome ("foam rolling doesn't provide much benefit"): it denies
    every benefit its own agent is said to have."""
    return (
        c.outcome is None
        and c.kind == "effect"
        and c.direction == "no effect"
        and any(w.startswith("denies improves") for w in c.why)
    )


def _goal(c: Claim) -> str | None:
    """The goal a claim is stated for, unless its words are only the claim's own outcome
    ("blunts strength gains" is about strength, for anyone; "if your goal is size" is a goal)."""
    named = {w.split(": ", 1)[1] for w in c.why if w.startswith("outcome ") and ": " in w}
    goals = [
        g for g in (c.scope.goal or "").split("/")
        if g and not any(w.startswith(f"goal {g}: ") and w.split(": ", 1)[1] in named
                         for w in c.why)
    ]  # fmt: skip
    return "/".join(goals) or None


def _differs(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and not set(a.split("/")) & set(b.split("/"))


def compare(a: Claim, b: Claim, rules: Rules) -> tuple[str, str] | None:
    """(kind, why) when `a` and `b` conflict, else None."""
    if a.attribution != "asserted" or b.attribution != "asserted":
        return None
    if a.outcome != b.outcome and a.outcome is not None and b.outcome is not None:
        return None  # different outcomes never conflict
    if _family(a, rules) is None or _family(a, rules) != _family(b, rules):
        return None
    da, db = normalized(a, rules), normalized(b, rules)
    if da is None or db is None:
        return None
    if _differs(_goal(a), _goal(b)):
        return None
    if ("before" in (a.scope.timing or "")) != ("before" in (b.scope.timing or "")):
        return None  # running before leg day is another question than running after it
    flat = [x for x in (a, b) if _flat_denial(x)]
    if any(x.outcome is None and x.kind != "recommendation" and x not in flat for x in (a, b)):
        return None  # "it is fine" with nothing named: only advice says enough without one
    if flat and (len(flat) == 2 or a.agent != b.agent):
        return None  # a flat denial answers only a claim about the very same agent
    opposed = [x for x in (a, b) if _opposes(x, rules)]
    general = (a.outcome is None or b.outcome is None or len(opposed) == 1) and not flat
    if general:
        # Advice on one outcome meets general advice, and resting meets running, only for the
        # same people or the same time ("if you are sore"); two pieces of general advice also
        # when they name different times ("sprint the next day" vs "on a separate day").
        same = any(
            _stated(a, dim) and getattr(a.scope, dim) == getattr(b.scope, dim) and _stated(b, dim)
            for dim in ("timing", "population")
        )
        both = a.outcome is None and b.outcome is None
        if not both and any(
            c.outcome is None and any(w.startswith("condition:") for w in c.why) for c in (a, b)
        ):
            return None  # "as long as you plan, squeeze in a run" says nothing on injury
        if not same and not (both and _differs(a.scope.timing, b.scope.timing)):
            return None
    competing = (  # an article blaming one outcome on two causes contradicts itself
        a.source == b.source
        and da == db == "causes"
        and a.agent != b.agent
        and _is_cause(a, rules)
        and _is_cause(b, rules)
    )
    if competing:
        said = f"{a.outcome} blamed on {a.agent} vs on {b.agent}"
    elif a.agent != b.agent and _is_cause(a, rules) and _is_cause(b, rules):
        return None  # "lactic acid does not cause it" and "micro-tears cause it" agree
    elif db in _AGAINST.get(da, ()) and not _compatible(a, da, b, db):
        said = f"{_says(a, rules)} vs {_says(b, rules)}"
    else:
        return None
    differences = [
        f"{dim} ({getattr(a.scope, dim)} vs {getattr(b.scope, dim)})"
        for dim in _CONDITIONS
        if _differs(getattr(a.scope, dim), getattr(b.scope, dim))
    ]
    if differences:
        kind, why = "scope", f"{said}, but they differ in {' and '.join(differences)}"
    else:
        kind, why = "direct", f"{said}, under the same stated conditions"
    if a.source == b.source and (kind != "direct" or not _same_case(a, b)):
        return None  # an article that states its conditions does not contradict itself
    return kind, why


_SAYS = {  # how a direction reads with an outcome, and without one (general advice)
    "improves": ("improves {}", "is a good idea"),
    "worsens": ("worsens {}", "is a bad idea"),
    "causes": ("causes {}", "causes it"),
    "no effect": ("has no effect on {}", "makes no difference"),
    "does not cause": ("does not cause {}", "does not cause it"),
}


def _says(c: Claim, rules: Rules) -> str:
    """A claim's frame in plain English: "running has no effect on muscle size", "rest is a
    good idea", "stretching reduces soreness" (an outcome where more is worse)."""
    with_outcome, without = _SAYS.get(c.direction or "", ("{}", "says so"))
    if c.outcome in rules.bad and c.direction in ("improves", "worsens"):
        with_outcome = "reduces {}" if c.direction == "improves" else "increases {}"
    said = with_outcome.format(c.outcome) if c.outcome else without
    return f"{c.agent} {said}"


def normalized_direction(c: Claim) -> str | None:
    return {"causes": "worsens", "does not cause": "no effect"}.get(c.direction or "", c.direction)


def _gist(c: Claim) -> tuple[str | None, ...]:
    """What tells two disagreements on one issue apart: the articles, which way each side goes,
    the outcome each names (general advice or a named outcome) and whom the advice is for."""
    return (c.source, normalized_direction(c), c.outcome, c.scope.population)


def _denied(c: Claim) -> str | None:
    """What a negated claim denies: "does not hurt gains" denies harm, not benefit."""
    if c.direction != "no effect":
        return None
    denial = next((w for w in c.why if w.startswith("denies ")), None)
    return denial.split(":")[0].removeprefix("denies ") if denial else None


def _compatible(a: Claim, da: str, b: Claim, db: str) -> bool:
    """True when one side only denies what the other does not claim: "it won't hurt your
    gains" and "it builds your gains" agree; a measured null ("no difference") denies both."""
    for x, dy in ((a, db), (b, da)):
        denied = _denied(x)
        if denied is not None and denied != dy and not (denied == "worsens" and dy == "causes"):
            return True
    return False


def _same_case(a: Claim, b: Claim) -> bool:
    """True when two claims of one article are about the same case: no condition clause, and
    the same stated population and timing ("if you are sore" on both sides counts)."""
    conditional = [any(w.startswith("condition:") for w in c.why) for c in (a, b)]
    same = all(getattr(a.scope, d) == getattr(b.scope, d) for d in ("population", "timing"))
    shared = a.scope.population is not None or a.scope.timing is not None
    return same and (shared or not any(conditional))


def _stated(c: Claim, dim: str) -> bool:
    """True when the claim's own sentence states `dim` (not only its passage)."""
    value = getattr(c.scope, dim)
    return value is not None and f"{dim} {value}: from its passage" not in c.why


def _is_cause(c: Claim, rules: Rules) -> bool:
    agent = agent_named(rules, c.agent)
    return agent is not None and agent.cause


def _opposes(c: Claim, rules: Rules) -> bool:
    agent = agent_named(rules, c.agent)
    return agent is not None and agent.opposes is not None


def _family(c: Claim, rules: Rules) -> str | None:
    agent = agent_named(rules, c.agent)
    return None if agent is None else agent.opposes or agent.family


def _strength(c: Claim) -> float:
    """How central and clear a claim is: evidence, a stated outcome and conditions."""
    stated = sum(v is not None for v in vars(c.scope).values())
    return (
        (c.evidence in ("named", "vague"))
        + (c.outcome is not None)
        + 0.25 * stated
        + (c.origin == "curated") * 5
        - 0.5 * any(w.startswith("agent ") and "from the sentences" in w for w in c.why)
    )


def _agent_stated(c: Claim) -> bool:
    """True unless the claim's agent was only inferred from the sentences around it."""
    return c.origin == "curated" or not any("from the sentences around" in w for w in c.why)


def _key(c: Claim, rules: Rules) -> tuple[str, bool] | None:
    """Two claims can conflict (`compare`) only when both have a key and the keys are equal: the
    family of their agents, and whether they speak of before leg day."""
    family = _family(c, rules)
    if family is None or normalized(c, rules) is None:
        return None
    if c.outcome is None and c.kind != "recommendation":
        return None
    return family, "before" in (c.scope.timing or "")


def conflict_id(issue: str, a: Claim, b: Claim) -> str:
    return "x" + hashlib.sha1(f"{issue}|{a.id}|{b.id}".encode()).hexdigest()[:7]


def detect(
    claims: Sequence[Claim],
    issues: Sequence[Issue],
    rules: Rules,
    section_of: Callable[[str], str | None] = lambda passage: None,
) -> list[Conflict]:
    """Every distinct conflict among asserted claims, strongest first, each pair of passages once.

    Within one article, only direct conflicts between different passages count: an article that
    weighs "on one hand ... on the other" in one paragraph, or states its conditions, is balanced.
    """
    by_issue = {i.id: i for i in issues}
    family_of = {i.id: i.agent for i in issues}
    groups: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.issue in by_issue and c.attribution == "asserted" and c.direction and _agent_stated(c):
            groups[c.issue].append(c)
    general: dict[str | None, list[Claim]] = defaultdict(list)  # claims naming no outcome
    for issue_id, members in groups.items():
        if by_issue[issue_id].outcome is None:
            general[family_of[issue_id]] = members
    # What `compare` first checks of each claim alone, once per claim: pairs whose keys differ
    # (or lack one) never conflict.
    keys = {id(c): _key(c, rules) for members in groups.values() for c in members}
    found: list[tuple[float, Conflict]] = []
    for issue_id, members in groups.items():
        issue = by_issue[issue_id]
        ranked = sorted(members, key=lambda c: (-_strength(c), c.id))[:CANDIDATES]
        pairs = list(itertools.combinations(ranked, 2))
        if issue.outcome is not None:
            advice = [c for c in ranked if c.kind == "recommendation"]
            others = sorted(general.get(issue.agent, []), key=lambda c: (-_strength(c), c.id))
            pairs += [(g, c) for g in others[:CANDIDATES] for c in advice]
            pairs += [
                (g, c)
                for g in others[:CANDIDATES]
                if g.kind == "recommendation" or _flat_denial(g)
                for c in ranked
                if c.kind != "recommendation"
            ]
        pairs = [(a, b) for a, b in pairs if keys[id(a)] is not None and keys[id(a)] == keys[id(b)]]
        best: dict[frozenset[tuple[str | None, ...]], tuple[float, Conflict]] = {}
        for a, b in pairs:
            if a.passage == b.passage:
                continue  # "on one hand ... on the other" in one passage is balance
            # The sides in the order shown, so `why` reads them in that order too.
            first, second = sorted((a, b), key=lambda c: (c.source, c.start))
            result = compare(first, second, rules)
            if result is None:
                continue
            kind, why = result
            if a.source == b.source and (kind != "direct" or not _same_case(a, b)):
                continue  # an article that states its conditions does not contradict itself
            if a.source == b.source:
                why += " (the same article)"
            # Each distinct disagreement once: two articles disagreeing about one outcome in
            # several sentences are shown by their clearest pair.
            key = frozenset((_gist(a), _gist(b)))
            score = _strength(a) + _strength(b) + 0.25 * (kind == "direct")
            if key not in best or score > best[key][0]:
                best[key] = (
                    score,
                    Conflict(
                        conflict_id(issue_id, first, second),
                        issue_id,
                        kind,
                        "detected",
                        why,
                        first,
                        second,
                    ),
                )
        found.extend(sorted(best.values(), key=lambda sc: (-sc[0], sc[1].id))[:MAX_PER_ISSUE])
    seen: set[frozenset[str]] = set()
    out = []
    for _, x in sorted(found, key=lambda sc: (-sc[0], sc[1].id)):
        passages = frozenset((x.a.passage, x.b.passage))  # two passages once, whatever the issue
        if passages not in seen:
            seen.add(passages)
            out.append(x)
    return out
