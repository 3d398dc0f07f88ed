"""Claims and the conflicts between them, in the order the build runs them:

- `load_rules` reads the lexicon (`issues.toml`): agents, outcomes, cue words, scope words;
- `extract` reads one article's sentences into claim frames (agent, outcome, direction, scope,
  attribution, evidence), each with the issue it belongs to;
- `resolve` applies the curator's corrections and finds the conflicts of the whole corpus.

See docs/claim-model.md for the frame.
"""

from .curation import Analysis, resolve
from .extract import extract, frames, read_text
from .pair import (
    by_issue,
    compare,
    detect,
    joined,
    merge,
    once_per_pair,
    read_by,
    standing,
    strength,
    touched,
)
from .rules import Rules, load_rules

__all__ = [
    "Analysis",
    "Rules",
    "by_issue",
    "compare",
    "detect",
    "extract",
    "frames",
    "joined",
    "load_rules",
    "merge",
    "once_per_pair",
    "read_by",
    "read_text",
    "resolve",
    "standing",
    "strength",
    "touched",
]
