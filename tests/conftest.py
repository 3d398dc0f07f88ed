"""Shared fixtures: a tiny fixture corpus for unit tests, and a copy of the real corpus."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import lrkb
from lrkb.corpus import bundled_corpus

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


# --- the web server and the browser (tests/test_web.py, tests/test_browser.py) -----------------

CHROMIUM_ARGS = [
    # This machine's closed network refuses Chromium's background connections; don't make them.
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """A Chromium binary: $LRKB_CHROMIUM if set, else Debian's, else one on PATH."""
    chosen = os.environ.get("LRKB_CHROMIUM")
    if chosen is not None:
        return chosen if Path(chosen).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


_browser_missing: list[str] = []


@pytest.fixture(scope="module")
def chromium() -> str:
    """The Chromium the browser tests drive. Missing: a failure in CI, else a skip that the
    terminal summary reports in one line."""
    path = find_chromium()
    if path is None:
        message = "no Chromium found (apt-get install chromium, or set LRKB_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {message}")
        _browser_missing.append(message)
        pytest.skip(message)
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _browser_missing:
        terminalreporter.write_line(
            f"BROWSER TESTS NOT RUN: {_browser_missing[0]}", yellow=True, bold=True
        )


@contextmanager
def serving(corpus: Path, *args: str) -> Iterator[str]:
    """`lrkb serve --port 0` on `corpus` as a real subprocess; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "lrkb", "--corpus", str(corpus), "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = []
        for line in process.stderr:  # the server says where it listens, then serves
            lines.append(line)
            found = re.search(r"at (http://\S+/)", line)
            if found:
                break
        else:
            raise AssertionError(f"lrkb serve did not start: {''.join(lines)}")
        url = found.group(1)
        for _ in range(100):  # the socket is bound before that line, so this is quick
            try:
                urllib.request.urlopen(url + "static/style.css", timeout=5).close()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
