"""Claims, their tags, and the conflicts between them (pure apart from reading the rule files).

A claim is a sentence of a passage that asserts an effect, a mechanism or a recommendation. Each is
tagged, by rules read from `issues.toml`, with the issue it answers, its stance, its scope
(intensity, timing, goal), its attribution and its evidence signal; `Claim.why` records the words
that decided each tag. Two asserted claims on one issue with opposing stances are a conflict,
unless they are about different goals. The curator file `curation.toml` corrects, adds and vetoes.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .analysis import sentence_spans, stem, words
from .analysis import stems as stems_of
from .corpus import CURATION_FILE, Document, data_path, load_toml
from .errors import CurationError
from .models import Claim, Conflict, Issue, Passage, Scope

PRO, CON, DEPENDS = "pro", "con", "depends"
CANDIDATES = 300  # claims of each stance compared per issue, clearest first
MAX_PER_ISSUE = 50  # conflicts kept per issue: a longer list is not read
_NEGATIONS = {"not", "no", "never", "without", "nothing", "neither", "nor", "cannot", "hardly"}
_CONCESSIVE = re.compile(
    r"^(?:and |but )?(?:although|though|even though|while|whilst|despite)\b[^,]*,", re.IGNORECASE
)
_CONDITION = re.compile(r"\b(?:if|unless|as long as|when|once)\b([^,.;:!?]*)", re.IGNORECASE)
_LIST_MARKER = re.compile(r"(?:\\?(?:[-*+]|\d{1,9}[.)])[ \t]+)")


class Cues:
    """Phrases matched on word stems, so "helps", "helping" and "helped" all match "help"."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases: dict[tuple[str, ...], str] = {}
        for phrase in phrases:
            stemmed = tuple(stems_of(phrase))
            if stemmed:
                self.phrases[stemmed] = phrase
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for stems in sorted(self.phrases, key=len, reverse=True):
            self._by_first.setdefault(stems[0], []).append(stems)
        self.firsts = frozenset(self._by_first)

    def find(self, stems: Sequence[str]) -> list[tuple[int, int, str]]:
        """(start, end, phrase) of every cue in `stems`, longest first at each position."""
        by_first = self._by_first
        present = self.firsts.intersection(stems)  # in C: most cue sets stop here
        if not present:
            return []
        out = []
        end = 0
        for i in [i for i, s in enumerate(stems) if s in present]:
            if i < end:
                continue  # inside a cue already found
            for cue in by_first[stems[i]]:
                if tuple(stems[i : i + len(cue)]) == cue:
                    out.append((i, i + len(cue), self.phrases[cue]))
                    end = i + len(cue)
                    break
        return out


@dataclass(frozen=True)
class IssueRule:
    issue: Issue
    topic: tuple[Cues, ...]
    kinds: tuple[str, ...]
    pro: Cues
    con: Cues
    salient: Cues
    generic: bool = True


@dataclass(frozen=True)
class Rules:
    """Everything that decides tags, read from `issues.toml`."""

    issues: tuple[IssueRule, ...]
    pro: Cues
    con: Cues
    depends: Cues
    reducers: Cues
    mechanism: Cues
    recommendation: Cues
    effect: Cues
    scope: Mapping[str, tuple[tuple[str, Cues], ...]]
    reported: tuple[re.Pattern[str], ...]
    rebuttal: re.Pattern[str]
    evidence_named: re.Pattern[str]
    evidence_vague: re.Pattern[str]
    evidence_missing: re.Pattern[str]

    @functools.cached_property
    def any_reported(self) -> re.Pattern[str]:
        return re.compile(
            "|".join(f"(?:{p.pattern})" for p in self.reported) or r"(?!x)x", re.IGNORECASE
        )

    @functools.cached_property
    def claim_words(self) -> frozenset[str]:
        """Every stem a claim cue can start with: a sentence with none of them is no claim."""
        cues = (self.pro, self.con, self.depends, self.mechanism, self.recommendation, self.effect)
        issue_cues = [c for rule in self.issues for c in (rule.pro, rule.con)]
        return frozenset().union(*(c.firsts for c in (*cues, *issue_cues)))


def _strings(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CurationError(f"{where}: {key!r} must be a list of strings")
    return value


def load_rules(corpus: Path, defaults: Path) -> Rules:
    """The tagging rules of `corpus`: its `issues.toml`, else the bundled corpus's."""
    path = data_path(corpus, defaults, "issues.toml")
    data = load_toml(path, CurationError)
    where = str(path)
    cues = data.get("cues", {})
    issues = []
    seen = set()
    for entry in data.get("issue", []):
        for key in ("id", "question"):
            if not isinstance(entry.get(key), str):
                raise CurationError(f"{where}: every [[issue]] needs a string {key!r}")
        if entry["id"] in seen:
            raise CurationError(f"{where}: issue {entry['id']!r} is defined twice")
        seen.add(entry["id"])
        topic = entry.get("topic", [])
        if not topic or not all(isinstance(group, list) for group in topic):
            raise CurationError(f"{where}: issue {entry['id']!r} needs 'topic', a list of lists")
        issues.append(
            IssueRule(
                issue=Issue(
                    entry["id"],
                    entry["question"],
                    entry.get("pro", "helps"),
                    entry.get("con", "hurts"),
                ),
                topic=tuple(Cues(group) for group in topic),
                kinds=tuple(_strings(entry, "kinds", where)),
                pro=Cues(_strings(entry, "pro_cues", where)),
                con=Cues(_strings(entry, "con_cues", where)),
                salient=Cues(_strings(entry, "salient", where)),
                generic=bool(entry.get("generic", True)),
            )
        )
    scope = {
        dim: tuple(
            (label, Cues(phrases)) for label, phrases in data.get("scope", {}).get(dim, {}).items()
        )
        for dim in ("intensity", "timing", "goal")
    }
    ev = data.get("evidence", {})
    attribution = data.get("attribution", {})

    def rx(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", re.IGNORECASE)

    return Rules(
        issues=tuple(issues),
        pro=Cues(_strings(cues, "pro", where)),
        con=Cues(_strings(cues, "con", where)),
        depends=Cues(_strings(cues, "depends", where)),
        reducers=Cues(_strings(cues, "reducers", where)),
        mechanism=Cues(_strings(cues, "mechanism", where)),
        recommendation=Cues(_strings(cues, "recommendation", where)),
        effect=Cues(_strings(cues, "effect", where)),
        scope=scope,
        reported=tuple(
            re.compile(p, re.IGNORECASE) for p in _strings(attribution, "reported", where)
        ),
        rebuttal=rx(_strings(attribution, "rebuttal", where)),
        evidence_named=rx(_strings(ev, "named", where)),
        evidence_vague=rx(_strings(ev, "vague", where)),
        evidence_missing=rx(_strings(ev, "missing", where)),
    )


@dataclass(frozen=True)
class Analysis:
    """What the whole corpus adds to its articles' claims: issues, curated claims, conflicts."""

    issues: tuple[Issue, ...]
    curated: tuple[Claim, ...]
    conflicts: tuple[Conflict, ...]


def _negated(tokens: Sequence[str], start: int) -> bool:
    window = tokens[max(0, start - 3) : start]
    return any(t in _NEGATIONS or t.endswith("n't") for t in window)


def _polarity(
    tokens: Sequence[str], stems: Sequence[str], pro: Cues, con: Cues, rules: Rules, why: list[str]
) -> int:
    """Net stance of a sentence: +1 per pro cue, -1 per con cue, flipped by negation or a reducer."""
    score = 0
    reducer_ends = [end for _, end, _ in rules.reducers.find(stems)]
    for sign, cues in ((1, pro), (-1, con)):
        for start, _, phrase in cues.find(stems):
            s = sign
            if _negated(tokens, start):
                s, note = -s, f"negated '{phrase}'"
            elif sign < 0 and any(0 <= start - e <= 3 for e in reducer_ends):
                s, note = -s, f"reduced '{phrase}'"
            else:
                note = f"'{phrase}'"
            why.append(f"{'pro' if s > 0 else 'con'}: {note}")
            score += s
    return score


def _scope(stems: Sequence[str], rules: Rules, why: list[str]) -> Scope:
    found: dict[str, str | None] = {}
    for dim, labels in rules.scope.items():
        hits = []
        for label, cues in labels:
            matched = cues.find(stems)
            if matched:
                hits.append(label)
                why.append(f"{dim} {label}: '{matched[0][2]}'")
        found[dim] = "/".join(hits) or None
    return Scope(**found)


def _claim_id(source: str, quote: str) -> str:
    return f"{source}:c{hashlib.sha1(quote.encode()).hexdigest()[:7]}"


def tag_sentence(
    text: str, rules: Rules
) -> tuple[str, str | None, str | None, Scope, str, list[str]] | None:
    """Tag one sentence: (kind, issue id, stance, scope, evidence, why), or None if not a claim."""
    tokens = words(text)
    if len(tokens) < 5 or len(tokens) > 90:
        return None
    stems = [stem(t) for t in tokens]
    if rules.claim_words.isdisjoint(stems):
        return None  # no cue of any kind: not a claim (most sentences stop here)
    why: list[str] = []
    # In "Although X helps, Y hurts" the main clause carries the stance.
    main_tokens, main_stems = tokens, stems
    if m := _CONCESSIVE.match(text):
        main_tokens = words(text[m.end() :])
        main_stems = stems[len(tokens) - len(main_tokens) :]
        why.append("stance from the main clause (concessive opening)")
    mechanism = rules.mechanism.find(stems)
    recommendation = rules.recommendation.find(stems)
    effect = rules.effect.find(stems)
    polarity = _polarity(main_tokens, main_stems, rules.pro, rules.con, rules, why)
    depends = rules.depends.find(stems)
    if not (why or depends or mechanism or recommendation or effect):
        return None
    if mechanism:
        kind = "mechanism"
        why.append(f"kind mechanism: '{mechanism[0][2]}'")
    elif recommendation:
        kind = "recommendation"
        why.append(f"kind recommendation: '{recommendation[0][2]}'")
    else:
        kind = "effect"
        if effect:
            why.append(f"kind effect: '{effect[0][2]}'")
    issue_id = stance = None
    for rule in rules.issues:
        if rule.kinds and kind not in rule.kinds:
            continue
        matched = [group.find(stems) for group in rule.topic]
        if all(matched):
            issue_id = rule.issue.id
            why.append(f"issue {issue_id}: " + ", ".join(f"'{m[0][2]}'" for m in matched))
            own = _polarity(main_tokens, main_stems, rule.pro, rule.con, rules, why)
            salient = rule.salient.find(stems)
            if salient:
                why.append(f"salient: '{salient[0][2]}'")
            # An if-clause that restates the issue's defining words (its first topic group: "if
            # your legs are sore", on sore legs) adds no condition; any other ("if you went
            # heavy", "if large leg muscles don't appeal to you") does.
            for clause in _CONDITION.findall(text):
                if not rule.topic[0].find(stems_of(clause)):
                    why.append(f"condition: '{clause.strip()}'")
                    break
            net = (polarity if rule.generic else 0) + own
            if depends and abs(net) <= 1:
                stance = DEPENDS
                why.append(f"depends: '{depends[0][2]}'")
            elif net > 0:
                stance = PRO
            elif net < 0:
                stance = CON
            break
    scope = _scope(stems, rules, why)
    if rules.evidence_missing.search(text):
        evidence = "source-needed"
    elif m := rules.evidence_named.search(text):
        evidence = "named"
        why.append(f"evidence named: '{m.group(0)}'")
    elif m := rules.evidence_vague.search(text):
        evidence = "vague"
        why.append(f"evidence vague: '{m.group(0)}'")
    else:
        evidence = "none"
    return kind, issue_id, stance, scope, evidence, why


def _passage_scope(text: str, rules: Rules) -> Scope:
    """The scope a whole passage states, per dimension, when it states exactly one value."""
    return _scope(stems_of(text), rules, [])


def _inherit(scope: Scope, context: Scope, why: list[str]) -> Scope:
    """Fill a claim's unstated scope from its passage, where the passage is unambiguous."""
    filled = {}
    for dim in ("intensity", "timing", "goal"):
        own, around = getattr(scope, dim), getattr(context, dim)
        if own is None and around is not None and "/" not in around:
            filled[dim] = around
            why.append(f"{dim} {around}: from its passage")
    return replace(scope, **filled) if filled else scope


def _conditional(claim: Claim) -> bool:
    """True when a claim states conditions beyond its issue: a condition clause, an intensity
    or a timing."""
    return bool(
        claim.scope.intensity
        or claim.scope.timing
        or any(w.startswith("condition:") for w in claim.why)
    )


def _reported(quote: str, rules: Rules) -> re.Pattern[str] | None:
    """The attribution pattern `quote` matches, if any (one combined search first: most match none)."""
    if not rules.any_reported.search(quote):
        return None
    return next((p for p in rules.reported if p.search(quote)), None)


def _label(issue: Issue | None, stance: str | None) -> str | None:
    if issue is None or stance is None:
        return stance
    return {PRO: issue.pro, CON: issue.con}.get(stance, stance)


def extract(doc: Document, passages: Sequence[Passage], rules: Rules) -> list[Claim]:
    """The claims of one article's passages, with spans into the article's file."""
    issues = {r.issue.id: r.issue for r in rules.issues}
    claims: list[Claim] = []
    for passage in passages:
        raw = doc.text[passage.start : passage.end]
        spans = []
        for a, b in sentence_spans(raw):
            if m := _LIST_MARKER.match(raw, a):
                a = m.end()
            if raw[a : a + 1] == "\\":
                a += 1
            spans.append((a, b))
        context: Scope | None = None
        for n, (a, b) in enumerate(spans):
            quote = raw[a:b]
            question = quote.rstrip("\"'”’)").endswith("?")
            reported = None
            if question:
                reported = _reported(quote, rules)
                if not reported:
                    continue
            tagged = tag_sentence(quote, rules)
            if tagged is None:
                continue
            if not question:
                reported = _reported(quote, rules)
            kind, issue_id, stance, scope, evidence, why = tagged
            attribution = "asserted"
            if reported:
                attribution = "reported"
                why.append(f"reported: '{reported.pattern}'")
            elif n + 1 < len(spans) and rules.rebuttal.match(
                raw[spans[n + 1][0] : spans[n + 1][1]]
            ):
                attribution = "reported"
                why.append("reported: the next sentence rebuts it")
            issue = issues.get(issue_id) if issue_id else None
            if context is None:
                context = _passage_scope(raw, rules)
            scope = _inherit(scope, context, why)
            claims.append(
                Claim(
                    id=_claim_id(doc.id, quote),
                    source=doc.id,
                    passage=passage.id,
                    text=quote,
                    start=passage.start + a,
                    end=passage.start + b,
                    kind=kind,
                    issue=issue_id,
                    stance=_label(issue, stance),
                    scope=scope,
                    attribution=attribution,
                    evidence=evidence,
                    why=tuple(why),
                )
            )
    return claims


# --- conflicts -------------------------------------------------------------------------------


def _polar(claim: Claim, issue: Issue) -> int:
    return {issue.pro: 1, issue.con: -1}.get(claim.stance or "", 0)


def _salience(claim: Claim) -> float:
    """How central and clear a claim is: the issue's salient words, stance cues (at most two),
    evidence, a mechanism, stated scope."""
    cues = min(2, sum(1 for w in claim.why if w.startswith(("pro:", "con:"))))
    salient = any(w.startswith("salient:") for w in claim.why)
    scope = sum(
        v is not None for v in (claim.scope.intensity, claim.scope.timing, claim.scope.goal)
    )
    return (
        2 * salient
        + cues
        + (claim.evidence in ("named", "vague"))
        + (claim.kind == "mechanism")
        + 0.5 * scope
        + (claim.origin == "curated") * 5
    )


def _differs(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and not set(a.split("/")) & set(b.split("/"))


def compare(a: Claim, b: Claim, issue: Issue) -> tuple[str, str] | None:
    """(kind, why) when `a` and `b` conflict on `issue`, else None."""
    if a.attribution != "asserted" or b.attribution != "asserted":
        return None
    if _polar(a, issue) * _polar(b, issue) != -1:
        return None
    if _differs(a.scope.goal, b.scope.goal):
        return None
    stances = f"{a.stance} vs {b.stance}"
    differences = [
        f"{dim} ({getattr(a.scope, dim)} vs {getattr(b.scope, dim)})"
        for dim in ("intensity", "timing")
        if _differs(getattr(a.scope, dim), getattr(b.scope, dim))
    ]
    if differences:
        return "scope", f"{stances}, but they differ in {' and '.join(differences)}"
    return "direct", f"{stances} under the same stated conditions"


def _conflict_id(issue: str, a: Claim, b: Claim) -> str:
    return "x" + hashlib.sha1(f"{issue}|{a.id}|{b.id}".encode()).hexdigest()[:7]


def detect(
    claims: Sequence[Claim],
    issues: Sequence[Issue],
    section_of: Callable[[str], str | None] = lambda passage: None,
) -> list[Conflict]:
    """Conflicts between asserted claims: for each issue and pair of sources (or one source with
    itself), the clearest disagreeing pair, so a reader sees each disagreement once.

    Within one source only direct conflicts between unconditional claims in different sections
    count: an article that says "if you are sore, rest" and "run anyway" states conditions.
    A large corpus is bounded: the CANDIDATES clearest claims of each stance are compared, and
    the MAX_PER_ISSUE strongest conflicts of each issue kept.
    """
    by_issue = {i.id: i for i in issues}
    found_all: list[tuple[float, Conflict]] = []
    candidates = [c for c in claims if c.issue in by_issue and c.attribution == "asserted"]
    for issue_id, group in itertools.groupby(
        sorted(candidates, key=lambda c: c.issue or ""), key=lambda c: c.issue or ""
    ):
        issue = by_issue[issue_id]
        members = list(group)
        best: dict[tuple[str, str], tuple[float, Conflict]] = {}
        ranked = sorted(members, key=lambda c: (-_salience(c), c.id))
        pros = [c for c in ranked if _polar(c, issue) > 0][:CANDIDATES]
        cons = [c for c in ranked if _polar(c, issue) < 0][:CANDIDATES]
        for a, b in itertools.product(pros, cons):
            if a.passage == b.passage:
                continue  # "on one hand ... on the other" in one passage is balance, not conflict
            found = compare(a, b, issue)
            if found is None:
                continue
            kind, why = found
            if a.source == b.source and (
                kind != "direct"
                or _conditional(a)
                or _conditional(b)
                or section_of(a.passage) == section_of(b.passage)
            ):
                continue  # an article that states its conditions does not contradict itself
            first, second = sorted((a.source, b.source))
            key = (first, second)
            score = _salience(a) + _salience(b) + (kind == "direct") * 0.25
            current = best.get(key)
            if current is None or score > current[0]:
                best[key] = (
                    score,
                    Conflict(_conflict_id(issue_id, a, b), issue_id, kind, "detected", why, a, b),
                )
        strongest = sorted(best.values(), key=lambda sc: (-sc[0], sc[1].id))[:MAX_PER_ISSUE]
        found_all.extend(strongest)
    return [c for _, c in sorted(found_all, key=lambda sc: (-sc[0], sc[1].id))]


# --- curation --------------------------------------------------------------------------------


def _find_quote(
    entry: Mapping[str, Any], docs: Mapping[str, Document], where: str
) -> tuple[Document, int, int, str]:
    source, quote = entry.get("source"), entry.get("quote")
    if not isinstance(source, str) or not isinstance(quote, str) or not quote.strip():
        raise CurationError(f"{where}: every quoted claim needs 'source' and 'quote' strings")
    doc = docs.get(source)
    if doc is None:
        raise CurationError(f"{where}: unknown source {source!r} for quote {quote[:60]!r}")
    start = doc.text.find(quote)
    if start < 0:
        raise CurationError(f"{where}: quote not found in {doc.path.name}: {quote[:80]!r}")
    return doc, start, start + len(quote), quote


def _reason(entry: Mapping[str, Any], where: str, what: str) -> str:
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise CurationError(f"{where}: every [[{what}]] entry needs a 'reason'")
    return reason


def resolve(
    documents: Sequence[Document],
    tagged: Sequence[Claim],
    claims_of: Callable[[str], Sequence[Claim]],
    passages_of: Callable[[str], Sequence[Passage]],
    section_of: Callable[[str], str | None],
    rules: Rules,
    corpus: Path,
) -> Analysis:
    """Apply `corpus/curation.toml` and detect conflicts among the tagged claims.

    Parameters:
        documents: every article, for checking curated quotes against their text.
        tagged: the claims that carry an issue, from every article.
        claims_of, passages_of: all claims / passages of one source (curation needs them).
        section_of: the heading path of a passage id.
    """
    issues = [r.issue for r in rules.issues]
    path = corpus / CURATION_FILE
    data = load_toml(path, CurationError)
    where = str(path)
    docs = {d.id: d for d in documents}
    known = {i.id for i in issues}

    for entry in data.get("rename", []):
        reason = _reason(entry, where, "rename")
        if entry.get("issue") not in known or not isinstance(entry.get("question"), str):
            raise CurationError(f"{where}: [[rename]] needs a known 'issue' and a 'question'")
        issues = [
            replace(i, question=entry["question"], origin=f"curated: {reason}")
            if i.id == entry["issue"]
            else i
            for i in issues
        ]
    by_issue = {i.id: i for i in issues}
    curated: dict[str, Claim] = {}

    def locate(entry: Mapping[str, Any], what: str) -> Claim:
        doc, start, end, quote = _find_quote(entry, docs, where)
        own = [curated.get(c.id, c) for c in claims_of(doc.id)]
        own += [c for c in curated.values() if c.source == doc.id and c not in own]
        for inside in (True, False):
            for c in own:
                if (
                    (c.start <= start and end <= c.end)
                    if inside
                    else (start <= c.start and c.end <= end)
                ):
                    return c
        passage = next((p for p in passages_of(doc.id) if p.start <= start < p.end), None)
        if passage is None:
            raise CurationError(
                f"{where}: quote is outside every passage of {doc.path.name}: {quote[:80]!r}"
            )
        return Claim(
            _claim_id(doc.id, quote),
            doc.id,
            passage.id,
            quote,
            start,
            end,
            "effect",
            None,
            None,
            Scope(),
            "asserted",
            "none",
            (f"curated [[{what}]]",),
            "curated",
        )

    for entry in data.get("claim", []):
        reason = _reason(entry, where, "claim")
        claim = locate(entry, "claim")
        issue_id = entry.get("issue", claim.issue)
        if issue_id is not None and issue_id not in by_issue:
            raise CurationError(
                f"{where}: unknown issue {issue_id!r} for quote {entry['quote'][:60]!r}"
            )
        stance = entry.get("stance", claim.stance)
        if issue_id and stance is not None:
            issue = by_issue[issue_id]
            allowed = {issue.pro, issue.con, DEPENDS}
            if stance not in allowed:
                raise CurationError(
                    f"{where}: stance {stance!r} for issue {issue_id!r} must be one of {sorted(allowed)}"
                )
        attribution = entry.get("attribution", claim.attribution)
        if attribution not in ("asserted", "reported"):
            raise CurationError(f"{where}: attribution must be 'asserted' or 'reported'")
        scope = Scope(
            **{
                dim: entry.get(dim, getattr(claim.scope, dim))
                for dim in ("intensity", "timing", "goal")
            }
        )
        curated[claim.id] = replace(
            claim,
            issue=issue_id,
            stance=stance,
            scope=scope,
            attribution=attribution,
            origin="curated",
            why=(*claim.why, f"curated: {reason}"),
        )

    candidates = [curated.get(c.id, c) for c in tagged]
    candidates += [c for c in curated.values() if c.id not in {t.id for t in tagged}]
    conflicts = detect(candidates, issues, section_of)
    for entry in data.get("veto", []):
        _reason(entry, where, "veto")
        a, b = (locate(entry.get(side, {}), "veto") for side in ("a", "b"))
        conflicts = [x for x in conflicts if {x.a.id, x.b.id} != {a.id, b.id}]
    for entry in data.get("conflict", []):
        reason = _reason(entry, where, "conflict")
        a, b = (locate(entry.get(side, {}), "conflict") for side in ("a", "b"))
        for c in (a, b):
            if c.origin == "curated":
                curated.setdefault(c.id, c)
        issue_id = entry.get("issue")
        if issue_id not in by_issue:
            raise CurationError(f"{where}: [[conflict]] needs a known 'issue', got {issue_id!r}")
        kind = entry.get("kind", "direct")
        if kind not in ("direct", "scope"):
            raise CurationError(f"{where}: conflict kind must be 'direct' or 'scope', got {kind!r}")
        why = entry.get("why") or reason
        conflicts = [x for x in conflicts if {x.a.id, x.b.id} != {a.id, b.id}]
        conflicts.append(
            Conflict(_conflict_id(issue_id, a, b), issue_id, kind, "curated", why, a, b)
        )
    return Analysis(tuple(issues), tuple(curated.values()), tuple(conflicts))
