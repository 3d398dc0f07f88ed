"""Extractors that turn a saved web page or a PDF into blocks and metadata for the importer.

Each is pure (bytes in, `Extracted` out) and imports its library only when called, so queries
never pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..importer import Block, Dropped


@dataclass(frozen=True)
class Extracted:
    """A document's blocks, its title and canonical URL when found, other metadata, and the
    lines the extractor dropped (a PDF's running headers)."""

    blocks: list[Block]
    title: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)  # what the extractor left out itself
