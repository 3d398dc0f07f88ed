"""`detect` pairs only claims whose keys (`pair._key`) match: a speed-up that must not change a
single conflict. Checked against `detect` with every pair compared, on the bundled corpus's
claims and on variants of them that reach the key's other branches."""

from dataclasses import replace

import lrkb
import lrkb.claims.pair as pair
from lrkb.claims import load_rules
from lrkb.corpus import bundled_corpus
from lrkb.models import Claim


def detect_both(claims: list[Claim], monkeypatch) -> tuple[list, list, int, int]:
    """Conflicts with the key filter and without it, and how many pairs each compared."""
    rules = load_rules(bundled_corpus(), bundled_corpus())
    issues = [r.issue for r in rules.issues]
    calls = [0]
    compare = pair.compare

    def counted(a, b, r):
        calls[0] += 1
        return compare(a, b, r)

    monkeypatch.setattr(pair, "compare", counted)
    keyed = pair.detect(claims, issues, rules)
    keyed_calls, calls[0] = calls[0], 0
    monkeypatch.setattr(pair, "_key", lambda c, r: ("every pair", False))
    every = pair.detect(claims, issues, rules)
    return keyed, every, keyed_calls, calls[0]


def test_keyed_pairing_finds_the_same_conflicts(real_kb: lrkb.KnowledgeBase, monkeypatch) -> None:
    claims = list(real_kb.claims)
    keyed, every, keyed_calls, every_calls = detect_both(claims, monkeypatch)
    assert keyed and keyed == every
    assert keyed_calls < every_calls  # the filter does skip pairs


def test_keyed_pairing_with_other_timings_and_no_outcomes(
    real_kb: lrkb.KnowledgeBase, monkeypatch
) -> None:
    # Before leg day, no outcome named, recommendations: what the key reads, varied.
    claims = [
        replace(c, scope=replace(c.scope, timing="before leg day"))
        if i % 3 == 0
        else replace(c, outcome=None)
        if i % 5 == 0
        else replace(c, kind="recommendation")
        if i % 7 == 0
        else c
        for i, c in enumerate(real_kb.claims)
    ]
    keyed, every, _, _ = detect_both(claims, monkeypatch)
    assert keyed and keyed == every
