"""The build's shortcuts (speed only) leave what it makes unchanged."""

from __future__ import annotations

import numpy as np

from lrkb import build as build_mod
from lrkb.claims import load_rules
from lrkb.corpus import load_documents

from .conftest import REAL


def test_a_parts_claims_as_made_equal_its_claims_decoded_again() -> None:
    """A worker hands the merge the tagged claims it made, not the ones it stored and would
    decode again: equal in every field and type, on the real corpus."""
    analyzer = build_mod.load_vocabulary(REAL, REAL)
    rules = load_rules(REAL, REAL)
    docs = load_documents(REAL)
    tagged = 0
    for doc in docs:
        arrays, claims = build_mod.make_part(doc, analyzer, rules)
        made, decoded = build_mod.sizes(arrays, claims), build_mod.sizes(arrays)
        assert made.tagged == decoded.tagged
        assert [list(map(type, vars(c).values())) for c in made.tagged] == [
            list(map(type, vars(c).values())) for c in decoded.tagged
        ]
        assert made.sections == decoded.sections
        assert np.array_equal(made.hashes, decoded.hashes)
        tagged += len(made.tagged)
    assert tagged > 100
