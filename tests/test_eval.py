"""`lrkb eval`: metrics checked by hand on a small case, and the command on a fixture corpus."""

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from lrkb.cli import cli
from lrkb.evaluation import score_ranking


def test_metrics_match_a_hand_checked_case() -> None:
    # Ranked a, b, c; b has grade 2, d (not retrieved) grade 1.
    ndcg, rr, recall = score_ranking(["a", "b", "c"], {"b": 2, "d": 1})
    dcg = 2 / math.log2(3)
    ideal = 2 / math.log2(2) + 1 / math.log2(3)
    assert ndcg == pytest.approx(dcg / ideal)  # 0.4796
    assert (rr, recall) == (0.5, 0.5)
    assert score_ranking([], {"b": 2}) == (0.0, 0.0, 0.0)
    assert score_ranking(["b", "d"], {"b": 2, "d": 1}) == (pytest.approx(1.0), 1.0, 1.0)


JUDGMENTS = """
[[question]]
text = "lactic acid"
kind = "keyword"
relevant = [{ quote = "flush out lactic acid", grade = 2 }]

[[question]]
text = "does jogging blunt hypertrophy"
relevant = [{ quote = "blunt muscle hypertrophy", grade = 2 }, { quote = "A light jog", grade = 1 }]

[[question]]
text = "how do I renew my passport"
abstain = true

[[conflict]]
a = "flush out lactic acid"
b = "blunt muscle hypertrophy"

[[not_conflict]]
a = "Drink plenty of water after training"
b = "Always drink plenty of water"
"""


def test_eval_command_on_fixture_corpus(tiny_corpus: Path) -> None:
    (tiny_corpus / "eval").mkdir()
    (tiny_corpus / "eval" / "judgments.toml").write_text(JUDGMENTS)
    result = CliRunner().invoke(cli, ["--corpus", str(tiny_corpus), "eval", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    lrkb_all = data["retrieval"]["lrkb"]["all"]
    assert lrkb_all["questions"] == 2
    assert lrkb_all["mrr"] == 1.0 and lrkb_all["recall"] == 1.0
    assert (lrkb_all["abstain_ok"], lrkb_all["abstain_total"]) == (1, 1)
    assert data["conflicts"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "detected": 1,
        "gold": 1,
        "false_flags": 0,
        "not_conflicts": 1,
    }
    assert "tfidf" in data["retrieval"]
    text = CliRunner().invoke(cli, ["--corpus", str(tiny_corpus), "eval"]).output
    assert "nDCG@5" in text and "lrkb" in text and "tfidf" in text


def test_eval_without_judgments_is_a_clear_error(tiny_corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["--corpus", str(tiny_corpus), "eval"])
    assert result.exit_code == 2 and "no judgments at" in result.output


REAL = """
[[question]]
text = "will cardio hurt my muscle growth?"
kind = "real"
url = "https://example.org/forum/1"
relevant = [{ quote = "blunt muscle hypertrophy", grade = 2 }]

[[question]]
text = "what is the best pizza dough recipe?"
kind = "real"
url = "https://example.org/forum/2"
abstain = true
"""


def test_eval_reports_real_questions_as_their_own_block(tiny_corpus: Path) -> None:
    (tiny_corpus / "eval").mkdir()
    (tiny_corpus / "eval" / "judgments.toml").write_text(JUDGMENTS)
    (tiny_corpus / "eval" / "real_questions.toml").write_text(REAL)
    data = json.loads(
        CliRunner().invoke(cli, ["--corpus", str(tiny_corpus), "eval", "--json"]).output
    )
    for system in ("lrkb", "tfidf"):
        real = data["retrieval"][system]["real"]
        assert (real["questions"], real["abstain_total"]) == (1, 1)
        assert data["retrieval"][system]["all"]["questions"] == 2  # the written set alone
    assert data["retrieval"]["lrkb"]["real"]["mrr"] == 1.0
    assert data["retrieval"]["lrkb"]["real"]["abstain_ok"] == 1
    text = CliRunner().invoke(cli, ["--corpus", str(tiny_corpus), "eval"]).output
    assert "real (1 real questions)" in text and "abstention (real questions)" in text
    other = tiny_corpus / "other.toml"
    other.write_text("[[question]]" + REAL.split("[[question]]")[1])  # the first one alone
    data = json.loads(
        CliRunner()
        .invoke(cli, ["--corpus", str(tiny_corpus), "eval", "--json", "--real", str(other)])
        .output
    )
    assert data["retrieval"]["lrkb"]["real"]["abstain_total"] == 0
