"""The index cache of one corpus, and the one path that changes the corpus.

`IndexCache` knows where a corpus's index lives (`<corpus>/.lrkb`, or the user's cache for a
read-only corpus), when it is current (the fingerprint of the articles, data files and lrkb's
build code), and keeps one writer at a time (a file lock). `apply` is the only way articles are
written or removed: the files and the index change together, all or nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Literal

from .corpus import (
    CURATION_FILE,
    DEFAULTED_FILES,
    bundled_corpus,
    check_corpus_dir,
    check_id,
    data_path,
)
from .errors import CorpusError, IndexFormatError, InputError, NotFoundError
from .models import Progress
from .store import (
    FORMAT_VERSION,
    SEGMENT_FILE,
    LivePack,
    Pack,
    atomic_write,
    code_digest,
    read_pack,
)

# Arrays every pack must hold; one without them is treated as damaged.
REQUIRED = frozenset(
    "terms idf indptr indices data imp_terms imp_ptr imp_docs imp_data norm_sums p_id_blob "
    "p_id_offsets "
    "p_section_blob p_section_offsets "
    "p_text_blob p_text_offsets p_span p_source c_blob c_offsets c_ptr c_issue c_strength x_blob "
    "x_offsets y_blob y_offsets y_score y_issue y_id_blob y_id_offsets y_a_blob y_a_offsets "
    "y_b_blob y_b_offsets".split()
)
# Arrays every segment must hold besides the per-passage and per-claim ones.
SEGMENT = frozenset(
    "t_hash t_indptr t_indices t_counts base_factor x_blob x_offsets y_blob y_offsets y_score "
    "y_issue y_id_blob y_id_offsets y_a_blob y_a_offsets y_b_blob y_b_offsets".split()
)

# (source ids, scan) -> the article files of those that exist (see KnowledgeBase._files).
FilesOf = Callable[[Iterable[str], bool], dict[str, Path]]


class IndexCache:
    """Where a corpus's index lives, whether it is current, and how it is built or updated.

    Parameters:
        corpus: the corpus directory.
        directory: where the cache lives; None for `<corpus>/.lrkb`, or the user's cache when
            the corpus is read-only.
        progress: called as `progress(stage, done, total)` during long builds.
        notify: told, as one line, when a damaged or outdated cache is rebuilt.
    """

    def __init__(
        self,
        corpus: Path,
        directory: Path | None,
        progress: Progress | None,
        notify: Callable[[str], None],
    ) -> None:
        self.corpus = corpus
        self._directory = directory
        self.progress = progress
        self.notify = notify
        self._locked = False
        self._scanned: dict[str, os.stat_result] | None = None  # the last scan's articles

    @cached_property
    def dir(self) -> Path:
        """`<corpus>/.lrkb` when it can be written, else `$XDG_CACHE_HOME/lrkb/<hash>`."""
        if self._directory:
            return self._directory
        local = self.corpus / ".lrkb"
        return (
            local
            if os.access(local if local.exists() else self.corpus, os.W_OK)
            else self._user_cache()
        )

    def _user_cache(self) -> Path:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        return base / "lrkb" / hashlib.sha1(str(self.corpus).encode()).hexdigest()[:16]

    @property
    def index_path(self) -> Path:
        return self.dir / "index.pack"

    def fingerprint(self, written: Iterable[str] | None = None) -> str:
        """Changes whenever an article or data file of the corpus, or lrkb's build code, changes.

        `written`: the article files this process wrote since its last call, under the lock;
        only they are looked at again (a scan of 2,000 files costs 0.03 s of an add).
        """
        h = hashlib.sha1(f"format {FORMAT_VERSION} code {code_digest()}".encode())
        data = [data_path(self.corpus, bundled_corpus(), name) for name in DEFAULTED_FILES]
        data.append(self.corpus / CURATION_FILE)
        check_corpus_dir(self.corpus)
        if written is None or self._scanned is None:
            # os.scandir, not article_paths: sorting 100,000 Paths alone costs a tenth of a second.
            self._scanned = {
                e.name: e.stat()
                for e in os.scandir(self.corpus)
                if e.name.endswith(".md") and not e.name.startswith(".") and e.is_file()
            }
        else:
            for name in written:
                self._scanned[name] = (self.corpus / name).stat()
        # Strings, not Paths: making 2,000 Paths costs more than the scan.
        where = str(self.corpus)
        stats = [(os.path.join(where, name), st) for name, st in sorted(self._scanned.items())]
        stats += [(str(p), p.stat()) for p in data if p.exists()]
        h.update("".join(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n" for p, st in stats).encode())
        return h.hexdigest()

    @contextmanager
    def lock(self) -> Iterator[None]:
        """An exclusive lock on this corpus's cache: one writer (add or build) at a time.
        Re-entrant within one cache (`add` checks ids and calls `apply` under it)."""
        if self._locked:
            yield
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        with (self.dir / "lock").open("a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            self._locked = True
            try:
                yield
            finally:
                self._locked = False
                fcntl.flock(f, fcntl.LOCK_UN)

    def fresh(
        self, fingerprint: str, quiet: bool = False, verify: bool | Literal["lazy"] = True
    ) -> Pack | None:
        """The cached pack if it is intact and matches `fingerprint`; else None (and say why).
        `verify="lazy"`: the base's arrays are checked when first read (see `read_pack`)."""
        try:
            pack = read_pack(self.index_path, verify)
        except IndexFormatError as e:
            if self.index_path.exists() and not quiet:
                self.notify(f"index cache is damaged ({e}); rebuilding")
            return None
        if pack.meta.get("format") != FORMAT_VERSION:
            if not quiet:
                self.notify("index cache is from another format version; rebuilding")
            return None
        missing = REQUIRED - set(pack.arrays)
        if missing:
            if not quiet:
                self.notify(f"index cache lacks {', '.join(sorted(missing))}; rebuilding")
            return None
        live = self._segment(pack, quiet)
        if live is not None and live.meta.get("fingerprint") == fingerprint:
            return live
        return pack if pack.meta.get("fingerprint") == fingerprint else None

    def _segment(self, base: Pack, quiet: bool) -> LivePack | None:
        """The base with the segment of articles added since it was built, if there is one for
        this base and it is intact."""
        path = self.dir / SEGMENT_FILE
        if not path.exists():
            return None
        try:
            segment = read_pack(path)
        except IndexFormatError as e:
            if not quiet:
                self.notify(f"index segment is damaged ({e}); rebuilding")
            return None
        if segment.meta.get("base") != base.meta.get("id") or not set(segment.arrays) >= SEGMENT:
            return None  # made for an older base: a build has folded it in
        return LivePack(base, segment)

    def build(self, fingerprint: str) -> Pack:
        """Build the whole index (under the lock), reusing every article's cached part."""
        # Imported here: parsing and fitting stay off the query path (cold start).
        from .build import build

        return build(
            self.corpus, bundled_corpus(), fingerprint, self.index_path, self.dir, self.progress
        )

    def load(self) -> Pack:
        """The current pack: the cached one, or one built now (one process builds, the others
        wait for it)."""
        fingerprint = self.fingerprint()
        pack = self.fresh(fingerprint, quiet=True)  # the check under the lock reports
        if pack is not None:
            return pack
        try:
            return self._fresh_or_build(fingerprint)
        except PermissionError:
            if self._directory is not None or self.dir != self.corpus / ".lrkb":
                raise
            # The corpus looked writable but is not (a read-only mount): use the user's cache.
            self.__dict__["dir"] = self._user_cache()
            return self._fresh_or_build(fingerprint)

    def _fresh_or_build(self, fingerprint: str) -> Pack:
        with self.lock():
            # Another process may have built it while this one waited for the lock.
            return self.fresh(fingerprint) or self.build(fingerprint)

    def apply(
        self, add: Sequence[tuple[str, str]], remove: Sequence[str], files_of: FilesOf
    ) -> Pack:
        """Under the lock: write each (source id, file text) as `<id>.md` atomically, delete each
        removed id's file, and bring the index up to date. All or nothing: on any failure (a bad
        id, a build error, an interruption) every article file is restored as it was.

        An added id must be new unless it is also removed (that is a replace).
        """
        token = uuid.uuid4().hex[:8]
        with self.lock():
            for kept in sorted(self.corpus.glob(".*.lrkb-old")):
                original = kept.name[1:].rsplit(".", 2)[0]
                self.notify(
                    f"{kept.name} is an article left by an interrupted add or remove; "
                    f"rename it to {original} to restore it, or delete it"
                )
            # Checked lazily: an add reads a few of the base's arrays (`update` rebuilds when
            # one of them is damaged).
            before = self.fresh(self.fingerprint(), quiet=True, verify="lazy")
            files = {**files_of((i for i, _ in add), False), **files_of(remove, True)}
            for source_id in remove:
                if source_id not in files:
                    raise NotFoundError(f"no source with id {source_id!r} (see `lrkb sources`)")
            for source_id, _ in add:
                check_id(source_id)
                target = self.corpus / f"{source_id}.md"
                if source_id not in remove and (source_id in files or target.exists()):
                    raise InputError(
                        f"a source with id {source_id!r} exists already ({target.name}); "
                        "choose another with --id, or replace it with --replace"
                    )
            moved: list[tuple[Path, Path]] = []  # (article, its copy until the build succeeds)
            written: list[Path] = []
            pack = None
            try:
                for source_id in remove:
                    article = files[source_id]
                    kept = article.with_name(f".{article.name}.{token}.lrkb-old")
                    os.replace(article, kept)
                    moved.append((article, kept))
                for source_id, text in add:
                    target = self.corpus / f"{source_id}.md"
                    with atomic_write(target, "w") as f:
                        f.write(text)
                    written.append(target)
                pack = self.update(before, [i for i, _ in add], remove)
            except PermissionError as e:
                raise CorpusError(f"cannot write to corpus {self.corpus}: {e.strerror}") from None
            finally:
                if pack is None:  # restore: nothing of a failed change stays
                    for target in written:
                        target.unlink(missing_ok=True)
                    for article, kept in reversed(moved):
                        os.replace(kept, article)
                else:
                    for _, kept in moved:
                        kept.unlink(missing_ok=True)
        return pack

    def update(self, before: Pack | None, added: Sequence[str], removed: Sequence[str]) -> Pack:
        """Under the lock, once the article files have changed: the index brought up to date.

        `before` is the index as it was, if it was current. New articles go into the segment
        beside it; a removal, a replacement, a segment past its fold limit or an index that was
        not current builds (reusing every cached part)."""
        if before is not None and not removed:
            # Of the files as they are now: under the lock only the added ones changed.
            fingerprint = self.fingerprint([f"{i}.md" for i in added])
            from .build import add_segment

            try:
                pack = add_segment(
                    self.corpus, bundled_corpus(), fingerprint, before, added, self.dir
                )
            except IndexFormatError as e:
                self.notify(f"index cache is damaged ({e}); rebuilding")
                pack = None
            if pack is not None:
                return pack
        else:
            fingerprint = self.fingerprint()  # of the files as they are now: one scan
        return self.build(fingerprint)

    def optimize(self) -> tuple[Pack, int]:
        """Fold the segment of added articles into a new base: (the new pack, how many articles
        the segment held)."""
        with self.lock():
            fingerprint = self.fingerprint()
            current = self.fresh(fingerprint, quiet=True)
            folded = 0
            if isinstance(current, LivePack):
                folded = len(current.meta["sources"]) - int(current.meta["base_sources"])
            return self.build(fingerprint), folded
