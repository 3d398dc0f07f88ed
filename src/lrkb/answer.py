"""Compose an answer from retrieved passages and the corpus's claims (pure)."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from .analysis import stems as stems_of
from .bottomline import aside
from .models import Answer, Claim, Conflict, Hit, Issue, Lean, Source, Verdict

# Abstention: a question whose known terms carry under MIN_COVERAGE of its weight, or whose best
# passage scores under MIN_SCORE, is not about this corpus. Passages scoring under RELATIVE of the
# best one are not shown. Tuned with `lrkb eval` (see README, Evaluation).
MIN_COVERAGE = 0.5
MIN_SCORE = 0.08
RELATIVE = 0.2
# Each further passage from a source already shown counts for DIVERSITY times its score, so an
# answer quotes several articles when they are nearly as relevant.
DIVERSITY = 0.9
# A passage whose claims are about the question's agent family but another outcome is that much
# on topic (`topical`).
AFIELD = 0.3


def relevant(
    ranked: Sequence[tuple[int, float]], coverage: float, framed: bool = False
) -> list[tuple[int, float]]:
    """The ranked (passage, score) pairs worth showing; [] when the question is out of scope.

    A `framed` question (`framed`: it names what acts on what) is in scope however many words it
    has that the corpus does not know ("is there a legitimate reason (biochemical or otherwise)
    why sprints would interfere with muscle growth?").
    """
    if not ranked or (coverage < MIN_COVERAGE and not framed) or ranked[0][1] < MIN_SCORE:
        return []
    floor = max(MIN_SCORE, RELATIVE * ranked[0][1])
    return [(i, s) for i, s in ranked if s >= floor]


def diversify(
    ranked: Sequence[tuple[int, float]], source_of: Callable[[int], int], k: int
) -> list[tuple[int, float]]:
    """Pick `k` of `ranked`, discounting repeats from one source.

    Each pick carries the score it was ranked by (its cosine, times DIVERSITY per earlier pick
    from its source), so the scores shown fall in the order shown.
    """
    chosen: list[tuple[int, float]] = []
    seen: Counter[int] = Counter()
    pool = list(ranked)

    def effective(p: tuple[int, float]) -> float:
        return p[1] * DIVERSITY ** seen[source_of(p[0])]

    while pool and len(chosen) < k:
        best = max(pool, key=lambda p: (effective(p), -p[0]))
        pool.remove(best)
        chosen.append((best[0], effective(best)))
        seen[source_of(best[0])] += 1
    return chosen


NO_EFFECT = "no effect"


def _stance_of(issue: Issue, claim: Claim) -> str | None:
    return claim.stance if claim.stance in (issue.pro, issue.con, NO_EFFECT, "depends") else None


Topics = Mapping[str, Sequence[Sequence[Sequence[str]]]]  # issue -> groups -> phrases -> stems


def choose_issue(
    question: str,
    hit_claims: Sequence[Claim],
    hits: Sequence[Hit],
    issues: Sequence[Issue],
    topics: Topics,
) -> Issue | None:
    """The issue the question is about: what acts on what, read with the claims' own lexicon.

    `topics` gives each issue's words: its agent family's, then its outcome's. A question naming
    both scores 2; one naming the agent and no outcome at all picks the agent's general issue
    (1.5); naming only the outcome scores 0.5. The issues of the retrieved passages' claims add
    weight by rank. Ties go to the issue listed first.
    """
    rank = {h.id: n for n, h in enumerate(hits)}
    score: dict[str, float] = defaultdict(float)
    for claim in hit_claims:
        if claim.issue and claim.stance:
            score[claim.issue] += 0.5 / (1 + rank.get(claim.passage, len(hits)))
    families, named = frame(question, issues, topics)
    for issue in issues:
        agent = issue.agent in families
        if issue.outcome is None:
            if agent and not named:
                score[issue.id] += 1.5
        elif issue.outcome in named:
            score[issue.id] += 2.0 if agent else 0.5
    if not score or max(score.values()) <= 0:
        return None
    order = [x.id for x in issues]
    best = max(score, key=lambda i: (round(score[i], 6), -order.index(i)))
    # Claims alone need the weight of a stance claim in the top passage to name the issue.
    return next((x for x in issues if x.id == best), None) if score[best] >= 0.5 else None


class Lexicon:
    """The claims' words for agents and outcomes (`topics`: each issue's agent phrases, then its
    outcome phrases), as a table of stemmed phrases, to read what a text names."""

    def __init__(self, issues: Sequence[Issue], topics: Topics) -> None:
        table: dict[tuple[str, ...], set[tuple[bool, str]]] = defaultdict(set)
        for issue in issues:
            groups = topics.get(issue.id, ())
            for group, name in ((0, issue.agent), (1, issue.outcome)):
                if name and len(groups) > group:
                    for phrase in groups[group]:
                        table[tuple(phrase)].add((group == 0, name))
        self.table = dict(table)
        self.longest = max(map(len, table), default=0)
        # The longest phrase each first stem begins: `frame` looks only where one may begin.
        self.starts: dict[str, int] = {}
        for phrase in filter(None, table):
            self.starts[phrase[0]] = max(self.starts.get(phrase[0], 0), len(phrase))

    def frame(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """The agent families and the outcomes `text` names: whole phrases, the longest first,
        none overlapping another ("strength training" names an agent, not the outcome
        "strength")."""
        stems = stems_of(text)
        families: set[str] = set()
        outcomes: set[str] = set()
        taken: set[int] = set()
        starts = self.starts
        begins = [(i, starts[s]) for i, s in enumerate(stems) if s in starts]
        for n in range(self.longest, 0, -1):
            for i, most in begins:
                if n > most or i + n > len(stems):
                    continue
                span = range(i, i + n)
                named = self.table.get(tuple(stems[i : i + n]))
                if named and not taken.intersection(span):
                    taken.update(span)
                    for agent, name in named:
                        (families if agent else outcomes).add(name)
        return frozenset(families), frozenset(outcomes)

    def concepts(self, text: str) -> frozenset[str]:
        """What `text` names, as terms no word analyses to ("agent:running", "outcome:strength"),
        so a sentence saying "hypertrophy" holds the question's "muscle mass"."""
        families, outcomes = self.frame(text)
        return frozenset({f"agent:{f}" for f in families} | {f"outcome:{o}" for o in outcomes})


_LEXICONS: dict[tuple[int, int], tuple[Sequence[Issue], Topics, Lexicon]] = {}


def lexicon(issues: Sequence[Issue], topics: Topics) -> Lexicon:
    """The `Lexicon` of `issues` and `topics`, built once for the same two objects."""
    key = (id(issues), id(topics))
    hit = _LEXICONS.get(key)
    if hit is None or hit[0] is not issues or hit[1] is not topics:
        if len(_LEXICONS) > 8:
            _LEXICONS.clear()
        hit = _LEXICONS[key] = (issues, topics, Lexicon(issues, topics))
    return hit[2]


def frame(
    question: str, issues: Sequence[Issue], topics: Topics
) -> tuple[frozenset[str], frozenset[str]]:
    """The agent families and the outcomes the question's own words name (`Lexicon.frame`)."""
    return lexicon(issues, topics).frame(question)


def framed(families: Collection[str], outcomes: Collection[str]) -> bool:
    """Whether a question naming these (`frame`) asks about the corpus's subject: what acts on
    what, an agent on an outcome ("will cardio kill my gains") or one agent in the setting of
    another ("can I run after leg day"). One agent alone ("running shoes") is not enough.
    """
    return bool(families) and (bool(outcomes) or len(families) > 1)


def condition(name: str) -> str:
    """The key under which `topical` marks a trainee's condition ("sore", "fatigued") the
    question names: the stems of its outcome ("soreness" and "sore" both stem to "sore")."""
    return "condition:" + " ".join(stems_of(name))


def topical(asked: Issue | None, issues: Sequence[Issue]) -> dict[str, float]:
    """How closely each issue's claims are about the question whose issue is `asked`.

    1 for the issues of its agent family on its outcome (on any outcome when it names none),
    whatever direction their claims take; AFIELD for the family's other issues (another
    outcome, or general advice with none): they are about what the question is about.

    A question's outcome may be the trainee's state, not what the agent does ("should I run
    with sore legs": the runner is sore): the outcome is also marked as a `condition`, so a
    claim of the family stated for that population ("if your legs are sore, …") counts 1 too.
    """
    if asked is None:
        return {}
    out = {condition(asked.outcome): 1.0} if asked.outcome else {}
    for i in issues:
        if i.agent != asked.agent:
            continue
        exact = i.outcome is not None and asked.outcome in (None, i.outcome)
        out[i.id] = 1.0 if exact else AFIELD
    return out


@dataclass(frozen=True)
class Standing:
    """How each source leans on one issue, before the passages shown pick the claim that shows
    each lean: the corpus-wide part of `verdict`, made once per issue (`standing`).

    `verdict` is the meter with no passage preferred; `quotes[n]` are the candidate claims of its
    n-th lean, best first; `at[passage]` lists (n, rank) of each candidate in that passage.
    """

    verdict: Verdict
    quotes: tuple[tuple[Claim, ...], ...]
    at: Mapping[str, tuple[tuple[int, int], ...]]


def standing(issue: Issue, claims: Sequence[Claim], sources: Sequence[Source]) -> Standing | None:
    """How each source leans on `issue`, from its asserted claims; None when none does."""
    per_source: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        # A signpost the reader took for a claim ("In this section, …") shows no lean.
        if (
            c.issue == issue.id
            and c.attribution == "asserted"
            and _stance_of(issue, c)
            and not aside(c.text)
        ):
            per_source[c.source].append(c)
    if not per_source:
        return None
    titles = {s.id: s.title for s in sources}
    position = {s.id: n for n, s in enumerate(sources)}
    leans: list[tuple[Lean, tuple[Claim, ...]]] = []
    for source in sorted(per_source, key=lambda s: position.get(s, len(sources))):
        own = per_source[source]
        counts = Counter(c.stance for c in own)
        pro, con, dep = counts[issue.pro], counts[issue.con], counts["depends"]
        none = counts[NO_EFFECT]
        if (dep and dep * 2 >= max(pro, con)) or (
            pro and con and max(pro, con) < 2 * min(pro, con)
        ):
            stance = "depends"
        elif none > max(pro, con):
            stance = NO_EFFECT
        else:
            stance = issue.pro if pro > con else issue.con
        # A source that says "it depends" is shown by a claim that states its condition, when
        # none says "depends" outright: a claim of one side alone would read as that side.
        pick = [c for c in own if c.stance == stance] or (
            [c for c in own if any(vars(c.scope).values())] if stance == "depends" else []
        )
        # Best first: the longest reason, then the earliest; `verdict` prefers one shown.
        quotes = tuple(sorted(pick or own, key=lambda c: (-len(c.why), c.start)))
        leans.append((Lean(source, titles.get(source, source), stance, quotes[0]), quotes))
    counts = Counter(lean.stance for lean, _ in leans)
    order = [issue.pro, NO_EFFECT, "depends", issue.con]
    leans.sort(key=lambda lean: order.index(lean[0].stance))  # stable: file order within a stance

    def part(stance: str) -> str:
        n = counts[stance]
        if stance == "depends":
            return f"{n} {'source says' if n == 1 else 'sources say'} it depends"
        if stance == NO_EFFECT:
            return f"{n} {'source finds' if n == 1 else 'sources find'} no effect"
        label = f"“{stance}”" if " " in stance else stance
        return f"{n} {'source leans' if n == 1 else 'sources lean'} {label}"

    parts = [part(s) for s in order if counts[s]]
    if len(counts) == 1:
        head = "Agreed" if len(leans) > 1 else "One source"
    elif counts[issue.pro] and counts[issue.con]:
        head = "Contested"
    else:
        head = "Mixed"
    at: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for n, (_, quotes) in enumerate(leans):
        for rank, c in enumerate(quotes):
            at[c.passage].append((n, rank))
    meter = Verdict(
        issue,
        f"{head}: {', '.join(parts)}.",
        {s: counts[s] for s in order},
        tuple(lean for lean, _ in leans),
    )
    return Standing(
        meter, tuple(quotes for _, quotes in leans), {p: tuple(v) for p, v in at.items()}
    )


def verdict(standing: Standing | None, preferred: Collection[str]) -> Verdict | None:
    """The consensus meter of `standing`, each lean shown by its best claim in a `preferred`
    passage when it has one there, else by its best claim."""
    if standing is None:
        return None
    best: dict[int, int] = {}
    for passage in preferred:
        for n, rank in standing.at.get(passage, ()):
            if rank < best.get(n, len(standing.quotes[n])):
                best[n] = rank
    if not best:
        return standing.verdict
    leans = list(standing.verdict.leans)
    for n, rank in best.items():
        leans[n] = dataclasses.replace(leans[n], claim=standing.quotes[n][rank])
    return dataclasses.replace(standing.verdict, leans=tuple(leans))


class Nearby:
    """The conflicts of a corpus by issue and by passage, to find the few that may bear on an
    answer (`near`) without reading them all at every question."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = conflicts
        self.by_issue: dict[str, list[int]] = defaultdict(list)
        self.by_passage: dict[str, list[int]] = defaultdict(list)
        for n, x in enumerate(conflicts):
            self.by_issue[x.issue].append(n)
            self.by_passage[x.a.passage].append(n)
            self.by_passage[x.b.passage].append(n)

    def near(self, issue: str | None, passages: Collection[str]) -> list[Conflict]:
        """The conflicts on `issue` or quoting one of `passages`, in corpus order."""
        found = set(self.by_issue.get(issue, ())) if issue is not None else set()
        for p in passages:
            found.update(self.by_passage.get(p, ()))
        return [self.conflicts[n] for n in sorted(found)]


def bear(conflicts: Sequence[Conflict], issue: str | None, shown: Sequence[str]) -> list[Conflict]:
    """The conflicts that bear on an answer, most relevant first, each disagreement once.

    A conflict bears when it is on the question's issue or quotes a passage shown. It ranks by
    how many of its two passages are shown and how high, curated before detected. The same
    disagreement (one issue, one pair of sources) is listed once, through its most relevant pair.
    """
    rank = {pid: n for n, pid in enumerate(shown)}
    far = len(shown) + 1

    def key(x: Conflict) -> tuple[int, int, bool]:
        places = sorted(rank.get(p, far) for p in (x.a.passage, x.b.passage))
        return (-sum(p < far for p in places), places[0] + places[1], x.origin != "curated")

    bearing = sorted(
        (x for x in conflicts if x.issue == issue or x.a.passage in rank or x.b.passage in rank),
        key=key,
    )
    seen: set[tuple[str, frozenset[str]]] = set()
    out = []
    for x in bearing:
        pair = (x.issue, frozenset((x.a.source, x.b.source)))
        if pair not in seen:
            seen.add(pair)
            out.append(x)
    return out


def compose(
    question: str,
    hits: Sequence[Hit],
    hit_claims: Sequence[Claim],
    issues: Sequence[Issue],
    conflicts: Nearby,
    standing_on: Callable[[Issue], Standing | None],
    sources: Sequence[Source],
    topics: Topics,
) -> Answer:
    """Put the passages, the verdict on the question's issue, and the conflicts together.

    `standing_on(issue)` gives how the corpus's sources stand on one issue (`standing`);
    `conflicts` finds those that may bear on the answer (`bear`).
    """
    issue = choose_issue(question, hit_claims, hits, issues, topics)
    shown, on = [h.id for h in hits], issue.id if issue else None
    meter = verdict(standing_on(issue), set(shown)) if issue else None
    bearing = bear(conflicts.near(on, shown), on, shown)
    cited = {h.source for h in hits} | {lean.source for lean in (meter.leans if meter else ())}
    cited |= {c.source for x in bearing for c in (x.a, x.b)}
    return Answer(
        question, tuple(hits), meter, tuple(bearing), tuple(s for s in sources if s.id in cited)
    )
