"""Text analysis shared by indexing and querying: tokens, stop words, stems, domain synonyms.

The same `Analyzer` object is handed to scikit-learn's `TfidfVectorizer` at build time and used
directly at query time, so a query is analysed exactly as the passages were, without importing
scikit-learn on the query path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

# PyStemmer: the Snowball project's C binding, 1 ms to import (snowballstemmer loads all 36
# languages, 26 ms, on every cold query) and the same stems.
import Stemmer

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")  # a word, with inner apostrophes
# WORD on ASCII text, where `[^\W_]` is exactly the letters and digits: a third faster
ASCII_WORD = re.compile(r"[a-zA-Z0-9]+(?:'[a-zA-Z0-9]+)*")
# Every ASCII character but the letters and digits, as a space (see `ascii_words`)
_NOT_ALNUM = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
# A mark or a line break, then what follows it in each of three branches: (1) marks and closing
# quotes before white space and a capital, digit or quote, (2) a mark or colon, closing quotes
# and white space before a line break, (3) the line break alone. The pattern opens with one
# character class so the engine skips ahead to the next mark or break (a third of the time of
# three branches each opening with its own class, which the engine tries at every character).
# Only where a match ends is used, and where one starts when it starts with ".": quotes and
# white space before a line break need not be in it.
_BOUNDARY = re.compile(
    r"[.!?…:\n](?:(?<=[.!?…])[.!?…]*[\"'”’)\]]*(?=[ \t]+[\"'“‘(\[]?[A-Z0-9])"
    r"|(?<=[.!?…:])[\"'”’)\]]*[ \t]*\n|(?<=\n))"
)
_POSSESSIVE = re.compile(r"'s\b")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|vs|etc|dr|mr|mrs|ms|approx|no|fig)\.$", re.IGNORECASE)

STOP_WORDS = frozenset(
    """gonna wanna gotta basically literally absolutely totally actually like just even kinda sorta
    thing things stuff lol pls please guys anyone somebody wondering much many lot lots a about above after again
    against all am an and any are aren't as at be because been before being below between both
    but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
    each few for from further get gets got had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in
    into is isn't it it's its itself just let's me might more most must mustn't my myself no nor
    not of off on once only or other ought our ours ourselves out over own really same shan't
    she she'd she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those through
    to too under until up upon us very was wasn't we we'd we'll we're we've were weren't what
    what's when when's where where's which while who who's whom why why's will with won't would
    wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves also even
    ever okay ok im ive dont cant wont doesnt isnt""".split()
)


_CONTROL = re.compile(
    r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)


def strip_control(text: str) -> str:
    """`text` without terminal escape sequences and control characters (newline and tab kept)."""
    return _CONTROL.sub("", text)


def fold(text: str) -> str:
    """Lowercase, unify apostrophes and strip accents, so "Café’s" and "cafe's" match."""
    text = text.replace("’", "'").replace("‘", "'")
    if text.isascii():  # the common case, and far cheaper than decomposing every character
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


_STEMMER = Stemmer.Stemmer("english")
V = TypeVar("V")


class Cache(dict[str, V]):
    """word -> `make(word)`, made on first use and forgotten all at once past `size` words: a
    lookup costs a tenth of a call through `functools.lru_cache` (about 20 ns against 150), and
    a build looks up every word of every passage twice."""

    def __init__(self, make: Callable[[str], V], size: int = 1 << 18) -> None:
        super().__init__()
        self.make, self.size = make, size

    def __missing__(self, word: str) -> V:
        if len(self) >= self.size:
            self.clear()
        value = self[word] = self.make(word)
        return value


# The Snowball stem of one folded word, cached: builds and queries stem the same words often.
stem: Callable[[str], str] = Cache(
    lambda word: str(_STEMMER.stemWord(word.replace("'", "")))
).__getitem__
# The stem of a folded word, or "" for a stop word: one cached lookup per word indexed.
_term: Callable[[str], str] = Cache(
    lambda word: "" if word in STOP_WORDS else stem(word)
).__getitem__


def stems(text: str) -> list[str]:
    """Every word of `text` stemmed, stop words kept and no synonyms: for matching phrases."""
    return [stem(w) for w in words(text)]


def words(text: str) -> list[str]:
    """The folded word tokens of `text`, possessive "'s" removed."""
    folded = fold(text)
    if not folded.isascii():
        return WORD.findall(_POSSESSIVE.sub("", folded))
    return ascii_words(folded if "'" not in folded else _POSSESSIVE.sub("", folded))


def ascii_words(text: str) -> list[str]:
    """`ASCII_WORD.findall(text)` of ASCII `text`. Without an apostrophe its words are exactly
    the runs of letters and digits, which `str.translate` and `str.split` find in 60 % of the
    regex's time (a build splits every passage and every sentence into words)."""
    if "'" in text:
        return ASCII_WORD.findall(text)
    return text.translate(_NOT_ALNUM).split()


class Analyzer:
    """Turns text into index terms: words -> stop words dropped -> stems -> synonyms folded.

    Parameters:
        synonyms: groups of words or phrases that mean the same thing in this corpus; every
            member of a group is indexed as the stem of the group's first word.

    Example:
        >>> Analyzer([["hypertrophy", "gains"]])("Killing my gains?")
        ['kill', 'hypertrophi']
    """

    def __init__(
        self,
        synonyms: Iterable[Sequence[str]] = (),
        phrases: Mapping[tuple[str, ...], str] | None = None,
    ) -> None:
        self.synonyms = [list(group) for group in synonyms]
        if phrases is None:
            phrases = {}
            for group in self.synonyms:
                target = "_".join(self._stem_phrase(group[0]))
                for member in group:
                    stems = self._stem_phrase(member)
                    if stems:
                        phrases[stems] = target
        self._phrases = dict(phrases)
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._starts = frozenset(k[0] for k in self._phrases)

    def _stem_phrase(self, phrase: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in words(phrase) if w not in STOP_WORDS)

    def __call__(self, text: str) -> list[str]:
        found = [t for t in map(_term, words(text)) if t]
        starts = self._starts
        if starts.isdisjoint(found):
            return found
        out: list[str] = []
        i = 0  # the first term not yet copied to `out`
        for j in [j for j, t in enumerate(found) if t in starts]:  # where a phrase may begin
            if j < i:
                continue  # inside a phrase already folded
            out += found[i:j]
            for n in range(min(self._longest, len(found) - j), 0, -1):
                target = self._phrases.get(tuple(found[j : j + n]))
                if target is not None:
                    out.append(target)
                    i = j + n
                    break
            else:
                out.append(found[j])
                i = j + 1
        out += found[i:]
        return out

    def word_terms(self, words: Sequence[str]) -> list[list[str]]:
        """`[self(w) for w in words]`, faster when every word is lowercase ASCII letters (a
        speller's candidates, hundreds a word): one call stems them all, uncached (a cache
        would only fill up with misspellings)."""
        joined = "".join(words)
        if not (all(words) and joined.isascii() and joined.isalpha() and joined.islower()):
            return [self(w) for w in words]
        phrases, starts = self._phrases, self._starts
        return [
            [] if w in STOP_WORDS else [phrases.get((t,), t)] if t in starts else [t]
            for w, t in zip(words, _STEMMER.stemWords(words), strict=True)
        ]

    def config(self) -> dict[str, object]:
        """What rebuilds this analyzer, stored beside the index so queries match the build.

        The stemmed phrase table is stored too, so loading does not stem every synonym again.
        """
        return {
            "synonyms": self.synonyms,
            "phrases": [[list(stems), target] for stems, target in self._phrases.items()],
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Analyzer:
        phrases = {tuple(stems): target for stems, target in config.get("phrases", [])}
        return cls(config.get("synonyms", []), phrases if "phrases" in config else None)


class Speller:
    """Rewrites a query word the corpus does not know to its most frequent word one edit away
    that starts with the same letter; at most the first MAX_FIXES unknown words of a text.

    Parameters:
        frequencies: for a list of words, how many passages each occurs in (0 when the corpus
            does not know it), or None for a word that carries no term (a stop word). Asked
            once per unknown word, for all its edits at once; the answers are remembered.

    Example:
        >>> counts = {"running": 9, "gains": 4}
        >>> Speller(lambda ws: [counts.get(w, 0) for w in ws]).correct("runing gainz")
        'running gains'
    """

    _LETTERS = "abcdefghijklmnopqrstuvwxyz"
    # Each unknown word costs 0.25 to 0.6 ms (its 300 to 500 one-edit candidates stemmed and
    # hashed); a text with more unknown words than this is no typo, and would cost tens of ms.
    MAX_FIXES = 8

    def __init__(self, frequencies: Callable[[list[str]], Sequence[int | None]]) -> None:
        self.frequencies = frequencies
        self._known: dict[str, bool] = {}  # folded word -> whether the corpus has it
        self._fixes: dict[str, str | None] = {}  # unknown folded word -> its correction, or None

    def _edits(self, word: str) -> set[str]:
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        return {
            *(a + b[1:] for a, b in splits if b),
            *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
            *(a + c + b[1:] for a, b in splits if b for c in self._LETTERS),
            *(a + c + b for a, b in splits for c in self._LETTERS),
        }

    def _fix(self, folded: str) -> str | None:
        # Typos rarely change the first letter; keeping it stops "dough" becoming "tough".
        edits = [w for w in self._edits(folded) if w[0] == folded[0]]
        found = [f or 0 for f in self.frequencies(edits)]
        best = max(zip(found, edits, strict=True), default=(0, folded))
        return best[1] if best[0] > 0 else None

    def correct(self, text: str) -> str:
        """`text` with unknown words of five or more letters replaced, the rest untouched."""
        unknown = 0

        def fix(m: re.Match[str]) -> str:
            nonlocal unknown
            word = m.group(0)
            folded = fold(word)
            if len(folded) < 5 or not folded.isalpha():
                return word
            if folded not in self._known:
                _remember(self._known, folded, self.frequencies([folded])[0] != 0)
            if self._known[folded]:
                return word
            unknown += 1
            if unknown > self.MAX_FIXES:
                return word
            if folded not in self._fixes:
                _remember(self._fixes, folded, self._fix(folded))
            return self._fixes[folded] or word

        return WORD.sub(fix, text)


def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
    if len(cache) >= 10_000:  # bounded: a long-running process sees many
        cache.clear()
    cache[key] = value


# A list item's marker ("- ", "1. ", an escaped "1\\. ") before a sentence: not part of it.
_LIST_MARKER = re.compile(r"\\?(?:[-*+]|\d{1,9}[.)])[ \t]+")


def claim_spans(text: str) -> list[tuple[int, int]]:
    """`sentence_spans` of a passage's text without list markers or a leading Markdown escape:
    the spans a claim or a quote of the passage may cover."""
    out = []
    for a, b in sentence_spans(text):
        if m := _LIST_MARKER.match(text, a):
            a = m.end()
        if text[a : a + 1] == "\\":
            a += 1
        if a < b:
            out.append((a, b))
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, stripped of surrounding white space.

    A sentence ends at . ! ? or … followed by white space and a capital, digit or quote, or at a
    line break; "e.g." and "vs." do not end one.
    """
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        # The longest abbreviation is 7 characters: look no further back than that.
        before = max(0, m.start() - 8)
        if m.group(0).startswith(".") and _ABBREVIATION.search(text, before, m.start() + 1):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
