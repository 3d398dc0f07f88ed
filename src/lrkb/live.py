"""A KnowledgeBase that follows its corpus on disk, for long-running servers (web, MCP)."""

from __future__ import annotations

import threading
from pathlib import Path

from .kb import KnowledgeBase


class LiveKnowledgeBase:
    """Hands out a KnowledgeBase, reopened when the corpus changes on disk.

    `lrkb add` in another process changes the corpus fingerprint (article names, sizes and
    times; a few `stat` calls per request); the next call then opens the corpus afresh and reads
    the new index, waiting on the cache lock if the writer is still building it. The corpus is
    opened and its index loaded at once, so a broken corpus fails before serving.
    """

    def __init__(self, corpus: str | Path | None = None) -> None:
        self._lock = threading.Lock()
        self._kb = KnowledgeBase(corpus)
        self.corpus = self._kb.corpus
        self._seen = self._kb.fingerprint()
        self._kb.sources  # noqa: B018 - load (or build) the index now, not on the first request

    def __call__(self) -> KnowledgeBase:
        with self._lock:
            fingerprint = self._kb.fingerprint()
            if fingerprint != self._seen:
                self._kb, self._seen = KnowledgeBase(self.corpus), fingerprint
            return self._kb
