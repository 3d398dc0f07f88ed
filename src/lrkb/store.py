"""A single-file, pickle-free container for arrays and JSON metadata, written atomically.

Layout: 8-byte magic, 8-byte little-endian header length, a UTF-8 JSON header, then raw arrays
at 64-byte aligned offsets. The header names each array's dtype, shape, offset and CRC-32. Loading
maps the file read-only and checks sizes and checksums, so a truncated or corrupted file is
refused with `IndexFormatError`; nothing in it can run code.
"""

from __future__ import annotations

import functools
import hashlib
import json
import mmap
import os
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .errors import IndexFormatError

MAGIC = b"LRKBPAK1"
# The version of what a pack holds; a cache of another version is rebuilt.
FORMAT_VERSION = 9
_ALIGN = 64
# Beside the base pack (`index.pack`): the articles added since the last build (see LivePack).
SEGMENT_FILE = "segment.pack"
_DTYPES = {"<i4", "<i8", "<f4", "<f8", "|u1", "<u4"}


@contextmanager
def atomic_write(path: Path, mode: str = "wb") -> Iterator[Any]:
    """Write to a temporary file beside `path`, fsync it, then rename it over `path`.

    A reader, or a crash, sees the old file or the new one, never half of one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # As tempfile.mkstemp makes it (a new file only this process can read), without importing
    # tempfile and random: 4 ms of an `add`.
    tmp = path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)  # gone after a successful replace; else the debris


def write_pack(path: Path, meta: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]) -> None:
    """Write `meta` (JSON-able) and `arrays` to `path` atomically."""
    entries: dict[str, dict[str, Any]] = {}
    offset = 0
    prepared = []
    for name, array in arrays.items():
        a = np.ascontiguousarray(array)
        if a.dtype.str not in _DTYPES:
            raise TypeError(f"array {name!r} has unsupported dtype {a.dtype}")
        offset = -(-offset // _ALIGN) * _ALIGN
        raw = memoryview(a.reshape(-1).data).cast("B")  # the array's own bytes, not a copy
        entries[name] = {
            "dtype": a.dtype.str,
            "shape": list(a.shape),
            "offset": offset,
            "nbytes": raw.nbytes,
            "crc32": zlib.crc32(raw),
        }
        prepared.append((offset, raw))
        offset += raw.nbytes
    header = json.dumps({"meta": meta, "arrays": entries, "size": offset}).encode()
    data_start = -(-(16 + len(header)) // _ALIGN) * _ALIGN
    with atomic_write(path) as f:
        f.write(MAGIC + len(header).to_bytes(8, "little") + header)
        f.write(b"\0" * (data_start - 16 - len(header)))
        pos = 0
        for off, raw in prepared:
            f.write(b"\0" * (off - pos))
            f.write(raw)
            pos = off + raw.nbytes


class Pack:
    """A loaded pack: `meta` and read-only arrays mapped from the file."""

    def __init__(self, meta: dict[str, Any], arrays: Mapping[str, npt.NDArray[Any]]) -> None:
        self.meta = meta
        self.arrays = arrays

    def strings(self, prefix: str) -> Strings | Chain:
        """The strings stored as `<prefix>_blob` and `<prefix>_offsets`."""
        return _strings(self, prefix)


def _strings(pack: Pack, prefix: str) -> Strings:
    return Strings(pack.arrays[f"{prefix}_blob"], pack.arrays[f"{prefix}_offsets"])


# Arrays of a live pack that come from the base alone (the index) or the segment alone.
_BASE_ONLY = frozenset(
    "terms idf indptr indices data imp_terms imp_ptr imp_docs imp_data norm_sums".split()
)
_SEGMENT_ONLY = ("x_", "y_", "t_", "base_factor")


class _Joined(Mapping[str, npt.NDArray[Any]]):
    """The arrays of a base pack and a segment pack as one corpus: per-passage and per-claim
    arrays joined (offsets shifted), each joined once, when first read."""

    def __init__(self, base: Pack, segment: Pack) -> None:
        self._base, self._segment = base.arrays, segment.arrays
        self._joined: dict[str, npt.NDArray[Any]] = {}

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        # Every array, once read, is kept by name: an ask reads a few of them per passage.
        array = self._joined.get(name)
        if array is None:
            array = self._joined[name] = self._join(name)
        return array

    def _join(self, name: str) -> npt.NDArray[Any]:
        if name in _BASE_ONLY:
            return self._base[name]
        if name.startswith(_SEGMENT_ONLY):
            return self._segment[name]
        a, b = self._base[name], self._segment[name]
        if name.endswith("_offsets"):
            b = b + len(self._base[name.replace("_offsets", "_blob")])
            a = a[:-1]
        elif name == "c_ptr":
            a, b = a[:-1], b + a[-1]
        return np.concatenate([a, b])

    def __iter__(self) -> Iterator[str]:
        return iter(set(self._base) | set(self._segment))

    def __len__(self) -> int:
        return len(set(self._base) | set(self._segment))


class LivePack(Pack):
    """The last build's pack (`base`) and the segment of articles added since (`segment`), read
    as one: the base's meta updated by the segment's (every issue and curated claim), the
    base's sources then the segment's, and joined arrays."""

    def __init__(self, base: Pack, segment: Pack) -> None:
        # The segment lists only its own sources, and leaves out what the base's meta has
        # (the vocabulary, the issues' words): at 100k they were 0.47 MB of JSON that every
        # add wrote and read back, and every reader read twice.
        meta = {**base.meta, **segment.meta}
        meta["sources"] = base.meta["sources"] + segment.meta.get("sources", [])
        super().__init__(meta, _Joined(base, segment))
        self.base, self.segment = base, segment

    def strings(self, prefix: str) -> Strings | Chain:
        if prefix in ("x", "y", "y_id", "y_a", "y_b"):  # a segment holds every conflict
            return self.segment.strings(prefix)
        return Chain(_strings(self.base, prefix), _strings(self.segment, prefix))


class _Checked(Mapping[str, npt.NDArray[Any]]):
    """A pack's arrays, each checked against its CRC-32 when first read: an `add` reads a few
    of the base's arrays, and checking the whole 100 MB base cost it 25 to 40 ms."""

    def __init__(
        self,
        path: Path,
        arrays: dict[str, npt.NDArray[Any]],
        unchecked: dict[str, tuple[int, memoryview]],
    ) -> None:
        self._path, self._arrays, self._unchecked = path, arrays, unchecked

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        array = self._arrays[name]
        if name in self._unchecked:
            crc, raw = self._unchecked.pop(name)
            if zlib.crc32(raw) != crc:
                self._unchecked[name] = (crc, raw)  # every read of it fails alike
                raise IndexFormatError(f"{self._path}: checksum mismatch in {name!r}")
        return array

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)


def read_pack(path: Path, verify: bool | Literal["lazy"] = True, in_memory: bool = False) -> Pack:
    """Map the pack at `path`; raise `IndexFormatError` when it is not a whole, intact pack.

    `verify="lazy"` checks each array's checksum when it is first read instead (that read
    raises `IndexFormatError`). `in_memory` reads the file instead of mapping it: a map keeps a
    file descriptor open for as long as its arrays live, and a build that reads thousands of
    parts would run out of them.
    """
    buf: bytes | mmap.mmap
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < 16:
                raise IndexFormatError(f"{path}: truncated index file ({size} bytes)")
            buf = f.read() if in_memory else mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as e:
        raise IndexFormatError(f"{path}: cannot read index file: {e.strerror}") from e
    if buf[:8] != MAGIC:
        raise IndexFormatError(f"{path}: not an lrkb index file (bad magic)")
    header_len = int.from_bytes(buf[8:16], "little")
    if 16 + header_len > size:
        raise IndexFormatError(f"{path}: truncated index file (header)")
    try:
        header = json.loads(bytes(buf[16 : 16 + header_len]))
        data_start = -(-(16 + header_len) // _ALIGN) * _ALIGN
        if data_start + int(header["size"]) > size:
            raise IndexFormatError(f"{path}: truncated index file (data)")
        arrays, unchecked = {}, {}
        for name, entry in header["arrays"].items():
            if entry["dtype"] not in _DTYPES:
                raise IndexFormatError(f"{path}: array {name!r} has unsupported dtype")
            start = data_start + int(entry["offset"])
            view = memoryview(buf)[start : start + int(entry["nbytes"])]
            if verify == "lazy":
                unchecked[name] = (int(entry["crc32"]), view)
            elif verify and zlib.crc32(view) != entry["crc32"]:
                raise IndexFormatError(f"{path}: checksum mismatch in {name!r}")
            arrays[name] = np.frombuffer(view, dtype=np.dtype(entry["dtype"])).reshape(
                entry["shape"]
            )
    except (ValueError, KeyError, TypeError) as e:
        raise IndexFormatError(f"{path}: malformed index header: {e}") from e
    return Pack(header["meta"], _Checked(path, arrays, unchecked) if unchecked else arrays)


# The modules whose code decides what a build produces: a change to any of them is a new index.
BUILD_CODE = (
    "analysis.py",
    "build.py",
    "chunking.py",
    *(
        f"claims/{m}.py"
        for m in (
            "__init__",
            "curation",
            "extract",
            "frame",
            "group",
            "pair",
            "rules",
            "sentence",
            "tag",
        )
    ),
    "index.py",
    "store.py",
)


@functools.cache
def code_digest() -> str:
    """A digest of the build code, so an upgraded lrkb rebuilds caches made by the old one."""
    h = hashlib.sha1()
    here = Path(__file__).parent
    for name in BUILD_CODE:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def read_meta(path: Path) -> dict[str, Any] | None:
    """The `meta` of the pack at `path` from its header alone, or None when it is not readable."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
            if len(head) < 16 or head[:8] != MAGIC:
                return None
            header = json.loads(f.read(int.from_bytes(head[8:16], "little")))
    except (OSError, ValueError):
        return None
    meta = header.get("meta") if isinstance(header, dict) else None
    return meta if isinstance(meta, dict) else None


def pack_strings(strings: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    """Encode strings as one UTF-8 blob and an offsets array (`len(strings) + 1` entries)."""
    encoded = [s.encode() for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


class Strings:
    """A read-only sequence of strings decoded lazily from a blob and offsets."""

    def __init__(self, blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> None:
        # Memoryviews: indexing one and decoding its slice costs half of NumPy's indexing.
        self._blob = np.ascontiguousarray(blob, dtype=np.uint8).data
        self._offsets = np.ascontiguousarray(offsets, dtype=np.int64).data

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> str:
        if i < 0:
            i += len(self)
        return str(self._blob[self._offsets[i] : self._offsets[i + 1]], "utf-8")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


class Chain:
    """Two string columns read as one (a base's and its segment's), each string decoded from
    its own column: joining the blobs would copy tens of MB at 100k passages."""

    def __init__(self, first: Strings, second: Strings) -> None:
        self._first, self._second = first, second
        self._n = len(first)  # the columns are read-only
        # Read directly, not through `first[i]`: an ask reads a few strings per passage, and
        # the second call was most of the difference from a plain column.
        self._a = first._blob, first._offsets
        self._b = second._blob, second._offsets

    def __len__(self) -> int:
        return self._n + len(self._second)

    def __getitem__(self, i: int) -> str:
        if i < 0:
            i += len(self)
        if i < self._n:
            blob, offsets = self._a
        else:
            blob, offsets = self._b
            i -= self._n
        return str(blob[offsets[i] : offsets[i + 1]], "utf-8")

    def __iter__(self) -> Iterator[str]:
        yield from self._first
        yield from self._second
