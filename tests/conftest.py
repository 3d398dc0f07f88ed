"""Shared fixtures: a tiny fixture corpus for unit tests, and a copy of the real corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import lrkb
from lrkb.kb import bundled_corpus

DATA = Path(__file__).parent / "data"
REAL = bundled_corpus()


def write_article(corpus: Path, source_id: str, title: str, body: str) -> Path:
    path = corpus / f"{source_id}.md"
    path.write_text(
        f'---\nid: {source_id}\ntitle: "{title}"\n---\n\n# {title}\n\n{body}\n', encoding="utf-8"
    )
    return path


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """Two short articles that disagree about jogging after squats."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_article(
        corpus,
        "jog-helps",
        "Jogging Helps Recovery",
        (
            "## Why jog\n\n"
            "A light jog after leg day can help flush out lactic acid and speed up recovery.\n\n"
            "## Hydration\n\nDrink plenty of water after training to stay hydrated.\n"
        ),
    )
    write_article(
        corpus,
        "jog-hurts",
        "Cardio Blunts Hypertrophy",
        (
            "## The interference effect\n\n"
            "High-volume endurance running activates AMPK, which can suppress mTOR and blunt muscle "
            "hypertrophy after leg day. Hard running after leg day also delays recovery.\n\n"
            "## Hydration\n\nAlways drink plenty of water to stay hydrated.\n"
        ),
    )
    return corpus


@pytest.fixture
def tiny_kb(tiny_corpus: Path) -> lrkb.KnowledgeBase:
    return lrkb.open(tiny_corpus)


@pytest.fixture(scope="session")
def real_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled corpus, so tests never touch the repository's cache."""
    target = tmp_path_factory.mktemp("real") / "corpus"
    shutil.copytree(REAL, target, ignore=shutil.ignore_patterns(".lrkb"))
    return target


@pytest.fixture(scope="session")
def real_kb(real_corpus: Path) -> lrkb.KnowledgeBase:
    return lrkb.open(real_corpus)
