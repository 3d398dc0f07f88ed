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
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from ..models import Claim, Conflict, Issue
from .group import agent_named, normalized
from .rules import Rules

T = TypeVar("T")

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
    if not c.scope.goal:
        return None  # most claims: no need to read `why`
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
    lists = by_issue(claims, issues, rules)
    return once_per_pair(
        (score, x.id, x.a.passage, x.b.passage, x) for found in lists.values() for score, x in found
    )


def touched(
    new: Iterable[Claim],
    issues: Sequence[Issue],
    rules: Rules,
    before: Mapping[str, Sequence[Any]],
) -> tuple[set[str], set[str]]:
    """The issues whose conflicts (`by_issue`) can change when the `new` claims join, and of
    those, the ones whose pairs among the claims they had can change too (to be paired whole).

    An issue is touched where a new claim becomes a candidate that can pair, or pushes out one
    that can; paired whole where one that can pair may be pushed out. A pair of two claims it had
    stands otherwise: `compare` reads only the pair, and a pair with a new claim is a disagreement
    (`_gist`: its source) no earlier pair was. An issue that names no outcome carries both to
    every issue of its family (its candidates pair with each of them).

    Parameters:
        before: `standing` of the claims before the new ones joined.
    """
    out, whole = set(), set()
    for issue_id, members in _groups(new, issues).items():
        count, last = before.get(issue_id, (0, None))
        if count + len(members) < CANDIDATES:
            # Every claim is a candidate: only one that can pair changes anything.
            if any(_key(c, rules) is not None for c in members):
                out.add(issue_id)
        elif last is None:
            out.add(issue_id)  # the issue reaches CANDIDATES: its last candidate is not known
            if count + len(members) > CANDIDATES:
                whole.add(issue_id)  # and claims it had are pushed out
        else:
            entering = [c for c in members if _rank(c) < tuple(last[-1][:2])]
            pushed = last[len(last) - len(entering) :]  # the last candidates, pushed out
            unknown = len(entering) >= len(last)
            if entering and (unknown or any(can_pair for *_, can_pair in pushed)):
                out.add(issue_id)
                whole.add(issue_id)
            elif any(_key(c, rules) is not None for c in entering):
                out.add(issue_id)

    def family(found: set[str]) -> set[str]:
        general = {i.agent for i in issues if i.id in found and i.outcome is None}
        return found | {i.id for i in issues if i.agent in general}

    return family(out), family(whole)


# How many of an issue's last candidates `standing` keeps: enough that an add of a few claims
# that pair with none can tell what they push out.
TAIL = 64
Standing = tuple[int, "list[tuple[float, str, bool]] | None"]


def standing(
    claims: Sequence[Claim],
    issues: Sequence[Issue],
    rules: Rules,
    only: Collection[str] | None = None,
    skipped: Mapping[str, int] | None = None,
) -> dict[str, Standing]:
    """For each issue (of `only`): how many claims `by_issue` ranks, and when they are
    CANDIDATES or more, the rank of each of its last TAIL candidates and whether it can pair
    (see `touched`), last candidate last.

    `skipped`: for each issue, how many more claims it ranks that `claims` leaves out (ranked
    after CANDIDATES others: see `strength`)."""
    out: dict[str, Standing] = {}
    for issue_id, members in _groups(claims, issues).items():
        if only is None or issue_id in only:
            count = len(members) + (skipped or {}).get(issue_id, 0)
            ranked = sorted(members, key=_rank)[:CANDIDATES]
            last = None
            if count >= CANDIDATES:
                last = [(*_rank(c), _key(c, rules) is not None) for c in ranked[-TAIL:]]
            out[issue_id] = (count, last)
    return out


def joined(
    before: Mapping[str, Sequence[Any]],
    new: Iterable[Claim],
    claims: Sequence[Claim],
    issues: Sequence[Issue],
    rules: Rules,
    only: Collection[str],
    skipped: Mapping[str, int] | None = None,
) -> dict[str, Standing]:
    """`standing` once the `new` claims joined: again for the issues of `only` (whose every
    claim `claims` holds); for the others, counts grown, and claims that became candidates
    (none can pair: see `touched`) put in place of those they pushed out. Of the last
    candidates, only those at or after the first that was kept are known."""
    out: dict[str, Standing] = {
        i: (int(count), None if last is None else [(a, b, c) for a, b, c in last])
        for i, (count, last) in before.items()
    }
    for issue_id, members in _groups(new, issues).items():
        if issue_id in only:
            continue
        count, last = out.get(issue_id, (0, None))
        if last is not None:
            entering = [_rank(c) for c in members if _rank(c) < last[-1][:2]]
            if entering:
                kept = last[: len(last) - len(entering)]
                last = sorted(kept + [(*r, False) for r in entering if r >= kept[0][:2]])
        out[issue_id] = (count + len(members), last)
    out.update(standing(claims, issues, rules, only, skipped))
    return out


Rank = tuple[float, str]  # how `by_issue` ranks a claim: (-strength, id), lowest first


def strength(c: Claim) -> float:
    """The strength `by_issue` ranks a claim of an issue by, or NaN when it never pairs it
    (reported, no direction, an agent only inferred). Stored per claim, it lets an add decode
    only the claims that can be among their issue's candidates: one weaker than the
    CANDIDATES-th of its issue ranks after them now, and after them whatever joins later."""
    return _strength(c) if _pairs(c) else math.nan  # as `_member`, its issue given


def _rank(c: Claim) -> Rank:
    return -_strength(c), c.id


def _pairs(c: Claim) -> bool:
    """True when `by_issue` pairs the claim at all, if its issue is one of those paired."""
    return c.attribution == "asserted" and bool(c.direction) and _agent_stated(c)


def _member(c: Claim, by_id: Mapping[str, Issue]) -> bool:
    """True when `by_issue` pairs the claim at all."""
    return c.issue in by_id and _pairs(c)


def _groups(claims: Iterable[Claim], issues: Sequence[Issue]) -> dict[str, list[Claim]]:
    """The claims `by_issue` pairs, by issue."""
    by_id = {i.id: i for i in issues}
    groups: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if _member(c, by_id):
            groups[c.issue or ""].append(c)
    return groups


def read_by(issue_ids: Iterable[str], issues: Sequence[Issue]) -> set[str]:
    """The issues whose claims `by_issue` reads to pair `issue_ids`: them, and the issue of
    their family that names no outcome."""
    wanted = set(issue_ids)
    families = {i.agent for i in issues if i.id in wanted}
    return wanted | {i.id for i in issues if i.outcome is None and i.agent in families}


def by_issue(
    claims: Sequence[Claim],
    issues: Sequence[Issue],
    rules: Rules,
    only: Collection[str] | None = None,
    partial: Collection[str] = (),
    new: Collection[str] = (),
) -> dict[str, list[tuple[float, Conflict]]]:
    """Each issue's strongest conflicts with their scores (at most MAX_PER_ISSUE, strongest
    first), before `once_per_pair` shows each pair of passages once across issues: what `detect`
    is made of, kept so that an add pairs again only the issues it touches (`touched`).

    Parameters:
        only: the issues to pair (default: every issue of `issues`); `claims` must hold every
            claim of those and of the issues `read_by` names for them.
        partial: issues of which only the pairs with a claim of a `new` source on one side are
            made: the strongest of those, to be merged with the issue's earlier list (`merge`).
        new: the sources of the claims an add brings.
    """
    by_id = {i.id: i for i in issues}
    groups = _groups(claims, issues)
    # What `compare` first checks of each claim alone, once per claim: pairs whose keys differ
    # (or lack one) never conflict, and are never made.
    keys: dict[int, tuple[str, bool] | None] = {}

    def key_of(c: Claim) -> tuple[str, bool] | None:
        if id(c) not in keys:
            keys[id(c)] = _key(c, rules)
        return keys[id(c)]

    # Each group's candidates once: a family's advice naming no outcome is read by every
    # issue of the family.
    candidates: dict[str, list[Claim]] = {}

    def ranked_of(issue_id: str) -> list[Claim]:
        if issue_id not in candidates:
            candidates[issue_id] = sorted(groups.get(issue_id, ()), key=_rank)[:CANDIDATES]
        return candidates[issue_id]

    general_of = {i.agent: i.id for i in issues if i.outcome is None and i.id in groups}
    lists: dict[str, list[tuple[float, Conflict]]] = {}
    for issue_id in groups:
        if only is not None and issue_id not in only:
            continue
        issue = by_id[issue_id]
        ranked = ranked_of(issue_id)
        fresh = (lambda c: c.source in new) if issue_id in partial else None
        pairs = _combinations(ranked, key_of, fresh)
        if issue.outcome is not None:
            advice = _by_key([c for c in ranked if c.kind == "recommendation"], key_of)
            stated = _by_key([c for c in ranked if c.kind != "recommendation"], key_of)
            others = ranked_of(general_of[issue.agent]) if issue.agent in general_of else []
            pairs += _with(others, advice, key_of, fresh)
            pairs += _with(
                [g for g in others if g.kind == "recommendation" or _flat_denial(g)],
                stated,
                key_of,
                fresh,
            )
        best: dict[frozenset[tuple[str | None, ...]], tuple[float, Conflict]] = {}
        for a, b in pairs:
            if a.passage == b.passage:
                continue  # "on one hand ... on the other" in one passage is balance
            # The sides in the order shown, so `why` reads them in that order too.
            first, second = (a, b) if (a.source, a.start) <= (b.source, b.start) else (b, a)
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
        lists[issue_id] = sorted(best.values(), key=lambda sc: (-sc[0], sc[1].id))[:MAX_PER_ISSUE]
    return lists


def _by_key(
    claims: Sequence[Claim], key: Callable[[Claim], tuple[str, bool] | None]
) -> dict[tuple[str, bool] | None, list[Claim]]:
    """The claims that have a key, grouped by it, each group in the claims' order."""
    out: dict[tuple[str, bool] | None, list[Claim]] = defaultdict(list)
    for c in claims:
        if key(c) is not None:
            out[key(c)].append(c)
    return out


def _combinations(
    ranked: Sequence[Claim],
    key: Callable[[Claim], tuple[str, bool] | None],
    fresh: Callable[[Claim], bool] | None = None,
) -> list[tuple[Claim, Claim]]:
    """`itertools.combinations(ranked, 2)` less the pairs whose keys differ or are missing (and,
    given `fresh`, those with no fresh claim), in the same order, without making them: the first
    of each pair in ranked order, then the second."""
    positions: dict[tuple[str, bool] | None, list[int]] = defaultdict(list)
    for n, c in enumerate(ranked):
        if key(c) is not None:
            positions[key(c)].append(n)
    out: list[tuple[int, int]] = []
    for group in positions.values():
        if fresh is None:
            for at, n in enumerate(group):
                out.extend((n, m) for m in group[at + 1 :])
        else:
            made = [n for n in group if fresh(ranked[n])]
            out.extend({(min(n, m), max(n, m)) for n in made for m in group if m != n})
    out.sort()
    return [(ranked[n], ranked[m]) for n, m in out]


def _with(
    others: Sequence[Claim],
    by_key: Mapping[tuple[str, bool] | None, Sequence[Claim]],
    key: Callable[[Claim], tuple[str, bool] | None],
    fresh: Callable[[Claim], bool] | None = None,
) -> list[tuple[Claim, Claim]]:
    """Each of `others` with each claim of its key in `by_key`, in that order (and, given
    `fresh`, only the pairs with a fresh claim)."""
    if fresh is None:
        return [(g, c) for g in others for c in by_key.get(key(g), ())]
    made = {k: [c for c in group if fresh(c)] for k, group in by_key.items()}
    return [(g, c) for g in others for c in (by_key if fresh(g) else made).get(key(g), ())]


def merge(
    earlier: Iterable[tuple[float, str, T]], found: Iterable[tuple[float, str, T]]
) -> list[T]:
    """An issue's list once an add joined: its `earlier` list (score, conflict id, item) and the
    pairs `by_issue` found with a new claim (`partial`), strongest first, at most MAX_PER_ISSUE.
    Exact: no pair with a new claim is the same disagreement (`_gist`) as an earlier pair, so
    each keeps its place, and one cut from the earlier list stays cut."""
    ranked = sorted([*earlier, *found], key=lambda f: (-f[0], f[1]))
    return [item for *_, item in ranked[:MAX_PER_ISSUE]]


def once_per_pair(found: Iterable[tuple[float, str, str, str, T]]) -> list[T]:
    """The items of (score, conflict id, passage, passage, item), strongest first (then by id),
    each pair of passages once whatever the issue: the last step of `detect`."""
    seen: set[frozenset[str]] = set()
    out = []
    for _, _, a, b, item in sorted(found, key=lambda f: (-f[0], f[1])):
        passages = frozenset((a, b))
        if passages not in seen:
            seen.add(passages)
            out.append(item)
    return out
