"""The lexicon claims are read with, from `issues.toml`: agents, outcomes, cue words, scope words,
attribution and evidence patterns, and a curator's names for issues (pure apart from reading it)."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..analysis import Cache
from ..analysis import stems as stems_of
from ..corpus import data_path, load_toml
from ..errors import CurationError
from ..models import Issue

CUE_KINDS = (
    "improve", "worsen", "increase", "decrease", "cause", "no_effect", "not_cause",
    "good", "bad", "remove", "advise", "discourage", "separate", "negation", "reducer", "hedge",
)  # fmt: skip
SCOPES = ("intensity", "timing", "modality", "goal", "population")


class Cues:
    """Phrases matched on word stems, so "helps", "helping" and "helped" all match "help"."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases: dict[tuple[str, ...], str] = {}
        for phrase in phrases:
            stemmed = _stemmed(phrase)
            if stemmed:
                self.phrases[stemmed] = phrase
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for stems in sorted(self.phrases, key=len, reverse=True):
            by_first.setdefault(stems[0], []).append(stems)
        self.firsts = frozenset(by_first)
        # For each first stem: its one-word cue (or None) and its longer cues by their second
        # stem, longest first. Common words ("the", "not", "is") start many cues: only those
        # whose second stem follows are compared (a third of the time of trying each).
        self._starts: dict[str, _Start] = {}
        for first, cues in by_first.items():
            one = next((c for c in cues if len(c) == 1), None)
            longer: dict[str, list[tuple[str, ...]]] = {}
            for cue in cues:
                if len(cue) > 1:
                    longer.setdefault(cue[1], []).append(cue)
            self._starts[first] = (one, longer)
        # the first two stems of every cue of more than one word, and every one-word cue
        self.pairs = frozenset((c[0], c[1]) for c in self.phrases if len(c) > 1)
        self._ones = frozenset(c[0] for c in self.phrases if len(c) == 1)

    def occurs(self, stems: Sequence[str]) -> bool:
        """`bool(self.find(stems))`, without finding where."""
        if not self._ones.isdisjoint(stems):
            return True
        if self.firsts.isdisjoint(stems) or self.pairs.isdisjoint(pairwise(stems)):
            return False
        return bool(self.find(stems))

    def find(self, stems: Sequence[str]) -> list[tuple[int, int, str]]:
        """(start, end, phrase) of every cue in `stems`, longest first at each position."""
        present = self.firsts.intersection(stems)
        if not present:
            return []
        out = []
        end = 0
        for i in [i for i, s in enumerate(stems) if s in present]:
            if i < end:
                continue  # inside a cue already found
            cue = _longest(self._starts[stems[i]], stems, i)
            if cue is not None:
                out.append((i, i + len(cue), self.phrases[cue]))
                end = i + len(cue)
        return out


_Start = tuple[tuple[str, ...] | None, dict[str, list[tuple[str, ...]]]]


def search(pattern: re.Pattern[str], text: str) -> tuple[int, int] | None:
    """The span of `pattern.search(text)`, or None. An IGNORECASE pattern that `_casefree`
    clears is searched without the flag in ASCII `text` lowercased (the same spans: lowering
    ASCII keeps every position): the engine then folds no case, a third of the time for the
    attribution and evidence patterns searched over every sentence that claims."""
    if text.isascii() and (free := _casefree(pattern)) is not None:
        m = free.search(text.lower())
    else:
        m = pattern.search(text)
    return m.span() if m else None


@functools.lru_cache(maxsize=256)
def _casefree(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`pattern` without IGNORECASE, when that provably matches lowercased ASCII text where
    `pattern` matches the text: no uppercase letter and no class range over one, no non-ASCII
    letter that folds to an ASCII one, no inline flag; else None."""
    if not pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = re._parser.parse(pattern.pattern, pattern.flags)  # type: ignore[attr-defined]
        if not _caseless(parsed.data):
            return None
    except Exception:  # the parser is CPython's own, not a public API: then take no shortcut
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


# non-ASCII letters the engine folds to an ASCII one ("İ", "ı", "ſ", the Kelvin sign)
_FOLDS_TO_ASCII = frozenset({0x130, 0x131, 0x17F, 0x212A})


def _plain(code: int) -> bool:
    """True when the character `code` matches the same with and without IGNORECASE in
    lowercased ASCII text."""
    if code < 128:
        return not 0x41 <= code <= 0x5A  # an uppercase letter never occurs in such text
    c = chr(code)
    folds = c.lower() + c.upper() + c.casefold()
    return code not in _FOLDS_TO_ASCII and not any(f.isascii() for f in folds)


def _caseless(items: Any) -> bool:
    """True when the parsed pattern `items` holds nothing IGNORECASE could match differently
    in lowercased ASCII text (see `_casefree`)."""
    from re import _constants as c  # type: ignore[attr-defined]

    for op, av in items:
        if op in (c.LITERAL, c.NOT_LITERAL):
            ok = _plain(av)
        elif op is c.IN:
            ok = all(
                _plain(a) if o is c.LITERAL
                else a[1] < 0x41 or 0x5A < a[0] <= a[1] < 128 if o is c.RANGE
                else o in (c.NEGATE, c.CATEGORY)
                for o, a in av
            )  # fmt: skip
        elif op is c.BRANCH:
            ok = all(_caseless(branch) for branch in av[1])
        elif op is c.SUBPATTERN:
            ok = not av[1] and not av[2] and _caseless(av[3])  # no inline flag
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            ok = _caseless(av[2])
        elif op in (c.ASSERT, c.ASSERT_NOT):
            ok = _caseless(av[1])
        elif op is c.ATOMIC_GROUP:
            ok = _caseless(av)
        else:
            ok = op in (c.AT, c.ANY, c.CATEGORY, c.GROUPREF)
        if not ok:
            return False
    return True


# Phrase -> its stems: loading the rules builds Cues from the same phrases again and again (5,602
# phrases stemmed, 1,671 of them distinct, in the bundled rules); bounded, as a server reloads
# edited rules.
_STEMMED: Cache[tuple[str, ...]] = Cache(lambda p: tuple(stems_of(p)), 1 << 16)
_stemmed: Callable[[str], tuple[str, ...]] = _STEMMED.__getitem__


def _longest(start: _Start, stems: Sequence[str], i: int) -> tuple[str, ...] | None:
    """The longest cue of `start` (the cues beginning with `stems[i]`) at `i`, or None."""
    one, longer = start
    if longer and i + 1 < len(stems):
        for cue in longer.get(stems[i + 1], ()):
            if len(cue) == 2 or tuple(stems[i : i + len(cue)]) == cue:
                return cue
    return one


@dataclass(frozen=True)
class Agent:
    name: str
    family: str
    words: Cues
    modality: tuple[tuple[str, Cues], ...] = ()
    opposes: str | None = None  # resting is the absence of running
    cause: bool = False  # a mechanism: two different ones blamed for one outcome conflict
    background: bool = False  # the setting (leg day), never taken for the agent
    baseline: bool = False  # lifting: combined with another activity, the other one acts


@dataclass(frozen=True)
class IssueRule:
    """A found issue (agent family x outcome) and the words that name it, for questions."""

    issue: Issue
    topic: tuple[Cues, ...]


@dataclass(frozen=True)
class Rules:
    """Everything that decides a claim's frame, read from `issues.toml`."""

    agents: tuple[Agent, ...]
    outcomes: Mapping[str, Cues]
    bad: frozenset[str]  # outcomes where more is worse (soreness, injury)
    harm: frozenset[str]  # outcome phrases naming its failure ("overtraining" for recovery)
    weak: Cues  # outcome words that count only when no other outcome word is near
    cues: Mapping[str, Cues]
    scope: Mapping[str, tuple[tuple[str, Cues], ...]]
    issues: tuple[IssueRule, ...]
    reported_patterns: tuple[str, ...]
    any_reported: re.Pattern[str]  # every attribution pattern in one
    rebuttal: re.Pattern[str]
    evidence_named: re.Pattern[str]
    evidence_vague: re.Pattern[str]
    evidence_missing: re.Pattern[str]

    @functools.cached_property
    def claim_words(self) -> frozenset[str]:
        """Every stem a direction cue can start with: a sentence with none of them is no claim."""
        return self.claim_cues.firsts

    @functools.cached_property
    def claim_cues(self) -> Cues:
        """Every direction cue in one matcher: a sentence in which none occurs is no claim
        unless it names an outcome or holds a number (`extract.may_claim`)."""
        kinds = [k for k in CUE_KINDS if k not in ("negation", "reducer", "hedge", "remove")]
        return Cues(p for k in kinds for p in self.cues[k].phrases.values())

    @functools.cached_property
    def _cue_index(self) -> dict[str, list[tuple[str, _Start, dict[Any, str]]]]:
        """For each stem a cue starts with: the kinds, with their cues starting there and the
        cue's phrase."""
        index: dict[str, list[tuple[str, _Start, dict[Any, str]]]] = {}
        for kind, cues in self.cues.items():
            for first, start in cues._starts.items():
                index.setdefault(first, []).append((kind, start, cues.phrases))
        return index

    def find_cues(self, stems: Sequence[str]) -> dict[str, list[tuple[int, int, str]]]:
        """`self.cues[kind].find(stems)` for every kind, in one pass over `stems` (a third of
        the time of one pass per kind)."""
        index = self._cue_index
        out: dict[str, list[tuple[int, int, str]]] = {kind: [] for kind in self.cues}
        end = dict.fromkeys(self.cues, 0)
        n = len(stems)
        for i in [i for i, s in enumerate(stems) if s in index]:
            after = stems[i + 1] if i + 1 < n else None  # `_longest`, inlined below
            for kind, (cue, longer), phrase in index[stems[i]]:
                if i < end[kind]:
                    continue  # inside a cue of this kind already found
                for c in longer.get(after, ()) if longer and after is not None else ():
                    if len(c) == 2 or tuple(stems[i : i + len(c)]) == c:
                        cue = c
                        break
                if cue is not None:
                    out[kind].append((i, i + len(cue), phrase[cue]))
                    end[kind] = i + len(cue)
        return out

    @functools.cached_property
    def agent_named(self) -> dict[str, Agent]:
        return {a.name: a for a in self.agents}

    @functools.cached_property
    def agent_words(self) -> tuple[Cues, dict[str, Agent]]:
        """Every agent's words in one matcher, and the agent each matched phrase names (the
        first agent listed that has it): one pass over a sentence instead of one per agent."""
        every = Cues(w for a in self.agents for w in a.words.phrases.values())
        owner: dict[str, Agent] = {}
        for stems, phrase in every.phrases.items():
            owner[phrase] = next(a for a in self.agents if stems in a.words.phrases)
        return every, owner

    @functools.cached_property
    def outcome_words(self) -> tuple[Cues, dict[str, str]]:
        """Every outcome's words in one matcher, and the outcome each matched phrase names."""
        every = Cues(w for c in self.outcomes.values() for w in c.phrases.values())
        owner: dict[str, str] = {}
        for stems, phrase in every.phrases.items():
            owner[phrase] = next(n for n, c in self.outcomes.items() if stems in c.phrases)
        return every, owner

    @functools.cached_property
    def population_words(self) -> Cues:
        return Cues(w for _, c in self.scope.get("population", ()) for w in c.phrases.values())

    @functools.cached_property
    def reported(self) -> tuple[re.Pattern[str], ...]:
        """Each attribution pattern alone, compiled once one of them matched (`any_reported`)."""
        return tuple(re.compile(p, re.IGNORECASE) for p in self.reported_patterns)

    def issue_of(self, agent: Agent, outcome: str | None) -> str:
        family = agent.opposes or agent.family
        return issue_id(family, outcome)

    @functools.cached_property
    def issue_by_id(self) -> dict[str, Issue]:
        return {r.issue.id: r.issue for r in self.issues}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def issue_id(family: str, outcome: str | None) -> str:
    """The stable id of the issue of claims about `family` acting on `outcome`."""
    return slug(family) if outcome is None else f"{slug(family)}-{slug(outcome)}"


def _strings(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CurationError(f"{where}: {key!r} must be a list of strings")
    return value


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise CurationError(f"{where}: {key!r} must be a table")
    return value


def _tables(data: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise CurationError(f"{where}: every [[{key}]] must be a table")
    return value


def _question(family: str, outcome: str | None, cause: bool) -> str:
    if cause:
        return f"What causes {outcome or 'it'}?"
    if outcome is None:
        return f"Is {family} a good idea?"
    return f"Does {family} help or hurt {outcome}?"


# The parsed form of a rules file, beside the index: its data and every phrase's stems.
RULES_CACHE = "rules.json"


def load_rules(corpus: Path, defaults: Path, cache: Path | None = None) -> Rules:
    """The lexicon of `corpus`: its `issues.toml`, else the bundled corpus's.

    `cache`: a directory (the index's) that keeps the file's parsed form (`rules.json`: its
    data and every phrase's stems, keyed by the file's bytes and lrkb's build code). It is read
    instead of parsing and stemming again (25 ms of an `add`) when its key matches, else
    written; JSON, so reading it runs no code, and one that is stale or damaged is ignored.
    """
    path = data_path(corpus, defaults, "issues.toml")
    key = _rules_key(path) if cache is not None and path.exists() else None
    data = _read_cached(cache / RULES_CACHE, key) if cache is not None and key else None
    if data is not None:
        return _build(path, data)
    data = load_toml(path, CurationError)
    rules = _build(path, data)
    if cache is not None and key:
        _write_cached(cache / RULES_CACHE, key, data)
    return rules


def _rules_key(path: Path) -> str:
    from ..store import FORMAT_VERSION, code_digest

    h = hashlib.sha1(f"format {FORMAT_VERSION} code {code_digest()}\n".encode())
    h.update(path.read_bytes())
    return h.hexdigest()


def _read_cached(path: Path, key: str) -> dict[str, Any] | None:
    """The data of the cached rules at `path` when their key is `key`, with their phrases'
    stems remembered; None when the file is missing, stale or not what `_write_cached` wrote."""
    try:
        cached = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("key") != key:
        return None
    data, stems = cached.get("data"), cached.get("stems")
    if not isinstance(data, dict) or not isinstance(stems, dict):
        return None
    if not all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in stems.values()):
        return None
    _STEMMED.update((phrase, tuple(v)) for phrase, v in stems.items())
    return data


def _write_cached(path: Path, key: str, data: dict[str, Any]) -> None:
    """Keep `data` and the stems of every phrase of it the rules were built with at `path`
    (atomically)."""
    from ..store import atomic_write

    stems = {p: list(_STEMMED[p]) for p in _listed(data) if p in _STEMMED}
    try:
        text = json.dumps({"key": key, "data": data, "stems": stems})
    except (TypeError, ValueError):
        return  # a value JSON cannot hold (a TOML date): parsed each time instead
    try:
        with atomic_write(path, "w") as f:
            f.write(text)
    except OSError:
        pass  # not kept (a directory in its place, a full disk): the file is parsed next time


def _listed(value: Any) -> Iterator[str]:
    """Every string in a list anywhere in `value` (the phrases `Cues` are made of)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _listed(v)
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, str):
                yield v
            else:
                yield from _listed(v)


def _build(path: Path, data: dict[str, Any]) -> Rules:
    """The rules of `data`, the contents of the rules file at `path`."""
    where = str(path)
    agents = []
    for entry in _tables(data, "agent", where):
        name, family = entry.get("name"), entry.get("family", entry.get("name"))
        if not isinstance(name, str) or not isinstance(family, str):
            raise CurationError(f"{where}: every [[agent]] needs a string 'name'")
        words = _strings(entry, "words", where)
        if not words:
            raise CurationError(f"{where}: agent {name!r} needs 'words'")
        table = entry.get("modality", {})
        if not isinstance(table, dict):
            raise CurationError(
                f"{where}: agent {name!r}: 'modality' must be a table of word lists"
            )
        modality = tuple((label, Cues(_strings(table, label, where))) for label in table)
        mod_words = [w for _, c in modality for w in c.phrases.values()]
        agents.append(
            Agent(
                name,
                family,
                Cues([*words, *mod_words]),
                modality,
                entry.get("opposes"),
                bool(entry.get("cause", False)),
                bool(entry.get("background", False)),
                bool(entry.get("baseline", False)),
            )
        )
    outcomes: dict[str, Cues] = {}
    bad = set()
    table = _table(data, "outcome", where)
    if not all(isinstance(e, dict) for e in table.values()):
        raise CurationError(f"{where}: [outcome.NAME] entries must be tables with 'words'")
    harm: set[str] = set()
    named_by: dict[str, Cues] = {}  # an outcome's own words, what a question names it by
    for name, entry in table.items():
        failures = _strings(entry, "harm", where)
        named_by[name] = Cues(_strings(entry, "words", where))
        outcomes[name] = Cues([*_strings(entry, "words", where), *failures])
        harm.update(failures)
        if entry.get("bad"):
            bad.add(name)
    cue_data = _table(data, "cues", where)
    cues = {kind: Cues(_strings(cue_data, kind, where)) for kind in CUE_KINDS}
    scope_table = _table(data, "scope", where)
    scope = {
        dim: tuple(
            (label, Cues(_strings(_table(scope_table, dim, where), label, where)))
            for label in _table(scope_table, dim, where)
        )
        for dim in SCOPES
        if dim != "modality"
    }
    scope["modality"] = tuple(m for a in agents for m in a.modality)

    families: dict[str, list[Agent]] = {}
    for a in agents:
        families.setdefault(a.family, []).append(a)
    named: dict[str, Mapping[str, Any]] = {}
    for entry in _tables(data, "issue", where):
        family, outcome = entry.get("agent"), entry.get("outcome")
        if family not in families or (outcome is not None and outcome not in outcomes):
            raise CurationError(
                f"{where}: [[issue]] needs a known agent family and outcome, "
                f"got {family!r} / {outcome!r}"
            )
        if not isinstance(entry.get("question"), str):
            raise CurationError(f"{where}: [[issue]] {family!r} / {outcome!r} needs a 'question'")
        named[issue_id(family, outcome)] = entry
    issues = []
    for family, members in families.items():
        if members[0].opposes:
            continue  # its claims count in the issues of the family it opposes
        cause = any(m.cause for m in members)
        words = [w for m in members for w in m.words.phrases.values()]
        words += [w for a in agents if a.opposes == family for w in a.words.phrases.values()]
        named_family = Cues(words)  # one matcher for the family's issues (7,000 phrases else)
        for outcome in (*outcomes, None):
            id_ = issue_id(family, outcome)
            entry = named.get(id_, {})
            pro, con = ("causes", "does not cause") if cause else ("helps", "hurts")
            topic = (named_family,) + ((named_by[outcome],) if outcome else ())
            issues.append(
                IssueRule(
                    Issue(
                        id_,
                        entry.get("question", _question(family, outcome, cause)),
                        entry.get("pro", pro),
                        entry.get("con", con),
                        "curated" if entry else "found",
                        family,
                        outcome,
                    ),
                    topic,
                )
            )
    ev = _table(data, "evidence", where)
    attribution = _table(data, "attribution", where)

    def one(pattern: str) -> re.Pattern[str]:
        try:
            return re.compile(pattern, re.IGNORECASE)
        except re.error as e:
            raise CurationError(f"{where}: bad pattern {pattern!r}: {e}") from None

    def rx(patterns: list[str]) -> re.Pattern[str]:
        # One compile of them all (each alone costs as much again); alone to name a bad one.
        try:
            return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", re.IGNORECASE)
        except re.error:
            for p in patterns:
                one(p)
            return one("|".join(f"(?:{p})" for p in patterns))

    reported = _strings(attribution, "reported", where)

    return Rules(
        agents=tuple(agents),
        outcomes=outcomes,
        bad=frozenset(bad),
        harm=frozenset(harm),
        weak=Cues(_strings(_table(data, "weak_outcome", where), "words", where)),
        cues=cues,
        scope=scope,
        issues=tuple(issues),
        reported_patterns=tuple(reported),
        any_reported=rx(reported),
        rebuttal=rx(_strings(attribution, "rebuttal", where)),
        evidence_named=rx(_strings(ev, "named", where)),
        evidence_vague=rx(_strings(ev, "vague", where)),
        evidence_missing=rx(_strings(ev, "missing", where)),
    )
