"""lrkb: a local knowledge base that answers from articles with cited passages and conflicts."""

from .errors import CorpusError, CurationError, InputError, LrkbError, NotFoundError
from .kb import Added, AddedAll, KnowledgeBase, Optimized, open
from .models import (
    Answer,
    Claim,
    Conflict,
    Hit,
    Issue,
    Lean,
    Passage,
    Quote,
    Scope,
    Snippet,
    Source,
    Verdict,
)

__all__ = [
    "Added",
    "AddedAll",
    "Answer",
    "Claim",
    "Conflict",
    "CorpusError",
    "CurationError",
    "Hit",
    "InputError",
    "Issue",
    "KnowledgeBase",
    "Lean",
    "LrkbError",
    "NotFoundError",
    "Optimized",
    "Passage",
    "Quote",
    "Scope",
    "Snippet",
    "Source",
    "Verdict",
    "open",
]
