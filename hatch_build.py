"""Hatch build hook: ship the bundled corpus inside the wheel as lrkb/bundled_corpus.

A plain force-include would copy corpus/ verbatim, local index cache (.lrkb/) and all; this lists
the articles and data files alone, so the wheel is a function of the revision, not of the disk.
"""

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CorpusHook(BuildHookInterface):  # type: ignore[misc]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return  # an editable install reads the checkout's corpus/ directly: no stale copy
        corpus = Path(self.root) / "corpus"
        for path in sorted(corpus.rglob("*")):
            relative = path.relative_to(corpus)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                target = f"lrkb/bundled_corpus/{relative.as_posix()}"
                build_data["force_include"][str(path)] = target
