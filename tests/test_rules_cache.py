"""The rules' parsed form kept beside the index (`rules.json`): read instead of parsing and
stemming `issues.toml` again, and never trusted when stale or damaged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from lrkb.claims import rules as rules_mod
from lrkb.claims.rules import RULES_CACHE, Cues, Rules, load_rules
from lrkb.corpus import bundled_corpus

from .conftest import REAL


def summary(rules: Rules) -> dict[str, Any]:
    """What decides a claim's frame, as comparable data."""

    def cues(c: Cues) -> list[Any]:
        return sorted(c.phrases.items())

    return {
        "agents": [
            (a.name, a.family, cues(a.words), [(m, cues(c)) for m, c in a.modality], a.opposes)
            for a in rules.agents
        ],
        "outcomes": {name: cues(c) for name, c in rules.outcomes.items()},
        "cues": {kind: cues(c) for kind, c in rules.cues.items()},
        "scope": {d: [(label, cues(c)) for label, c in v] for d, v in rules.scope.items()},
        "issues": [(r.issue, [cues(c) for c in r.topic]) for r in rules.issues],
        "weak": cues(rules.weak),
        "patterns": [
            rules.reported_patterns,
            rules.rebuttal.pattern,
            rules.evidence_named.pattern,
            rules.evidence_vague.pattern,
            rules.evidence_missing.pattern,
        ],
        "bad": sorted(rules.bad),
        "harm": sorted(rules.harm),
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An empty corpus with its own copy of the bundled rules."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REAL / "issues.toml", corpus / "issues.toml")
    return corpus


def test_cached_rules_equal_the_parsed_ones_without_stemming_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    parsed = load_rules(corpus, bundled_corpus(), cache)
    assert (cache / RULES_CACHE).exists()

    def unstemmed(phrase: str) -> tuple[str, ...]:
        raise AssertionError(f"stemmed again: {phrase!r}")

    empty = rules_mod.Cache(unstemmed, 1 << 16)
    monkeypatch.setattr(rules_mod, "_STEMMED", empty)
    monkeypatch.setattr(rules_mod, "_stemmed", empty.__getitem__)
    # Every phrase that a matcher holds comes from the cache; none is stemmed again.
    cached = load_rules(corpus, bundled_corpus(), cache)
    assert summary(cached) == summary(parsed)


def test_an_edited_rules_file_is_read_again(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = load_rules(corpus, bundled_corpus(), cache)
    assert "zorbing" not in before.cues["improve"].phrases.values()
    path = corpus / "issues.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("improve = [", 'improve = ["zorbing", ', 1), encoding="utf-8")
    after = load_rules(corpus, bundled_corpus(), cache)
    assert "zorbing" in after.cues["improve"].phrases.values()
    assert json.loads((cache / RULES_CACHE).read_text())["data"]["cues"]["improve"][0] == "zorbing"


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"key": "x", "data": {}, "stems": {}}',
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(
    corpus: Path, tmp_path: Path, damage: bytes
) -> None:
    cache = tmp_path / "cache"
    parsed = summary(load_rules(corpus, bundled_corpus(), cache))
    (cache / RULES_CACHE).write_bytes(damage)
    assert summary(load_rules(corpus, bundled_corpus(), cache)) == parsed
    assert json.loads((cache / RULES_CACHE).read_text())["key"] != "x"


def test_wrongly_typed_stems_are_not_trusted(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    parsed = summary(load_rules(corpus, bundled_corpus(), cache))
    cached = json.loads((cache / RULES_CACHE).read_text())
    phrase = next(iter(cached["stems"]))
    cached["stems"][phrase] = [1, 2]
    (cache / RULES_CACHE).write_text(json.dumps(cached))
    rules_mod._STEMMED.clear()
    assert summary(load_rules(corpus, bundled_corpus(), cache)) == parsed


def test_a_cache_that_cannot_be_written_is_no_error(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / RULES_CACHE).mkdir(parents=True)  # a directory where the file would go
    parsed = summary(load_rules(corpus, bundled_corpus()))
    assert summary(load_rules(corpus, bundled_corpus(), cache)) == parsed
    assert (cache / RULES_CACHE).is_dir() and len(list(cache.iterdir())) == 1  # no debris
