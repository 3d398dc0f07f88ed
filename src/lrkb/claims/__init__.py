"""Claims and the conflicts between them, in the order the build runs them:

- `load_rules` reads the lexicon (`issues.toml`): agents, outcomes, cue words, scope words;
- `extract` reads one article's sentences into claims: `sentence.py` splits a sentence into
  words and finds the agents and outcomes it names, `frame.py` reads it into claim frames (agent,
  outcome, direction; `frames` for one sentence), and `extract.py` reads an article's passages
  sentence by sentence and adds scope, attribution, evidence and the issue each claim belongs to;
- `resolve` applies the curator's corrections and finds the conflicts of the whole corpus.

See docs/claim-model.md for the frame.
"""

from .curation import Analysis, resolve
from .extract import extract, read_text
from .frame import frames
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
