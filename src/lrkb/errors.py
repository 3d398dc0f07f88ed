"""The errors lrkb raises; the CLI maps each to a one-line message and an exit code."""


class LrkbError(Exception):
    """Base class of every error lrkb raises on purpose."""

    exit_code = 2


class InputError(LrkbError):
    """A value the user gave (question, option, file) cannot be used."""


class CorpusError(LrkbError):
    """The corpus directory or one of its files is missing or malformed."""


class CurationError(CorpusError):
    """The curator file is malformed or quotes text its source does not contain."""


class NotFoundError(LrkbError):
    """An id (passage, source, issue) names nothing in the corpus."""


class NotFittedError(LrkbError):
    """An index was used before `fit` or `load`."""


class IndexFormatError(LrkbError):
    """An index file is truncated, corrupted, or from another format version."""
