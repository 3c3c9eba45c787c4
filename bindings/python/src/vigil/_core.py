"""The Python face of libvigil (cffi API mode over capi/vigil.h; batches through _native).

Every call into libvigil releases the GIL (cffi API mode does so for every C call, _native for
its batch scans), so scans on several Python threads run in parallel; one Engine may be shared
by any number of threads.
"""
from __future__ import annotations

import enum
import os
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple, TypeVar, Union

from . import _native
from ._vigil_cffi import ffi, lib

TextLike = Union[str, bytes, bytearray, memoryview]

__all__ = [
    "VigilError", "Decision", "Hit", "Verdict", "Batch", "Engine", "Stream", "Holder", "JSONNumber",
    "version", "matcher_version", "default_pack",
]


class VigilError(Exception):
    """A libvigil call failed: `code` is the VIGIL_E_* value, `name` its name."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.name = ffi.string(lib.vigil_error_name(code)).decode()
        self.message = message

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


def _raise(rc: int) -> None:
    raise VigilError(rc, ffi.string(lib.vigil_last_error()).decode("utf-8", "replace"))


class Decision(enum.IntEnum):
    ALLOW = 0
    REVIEW = 1
    BLOCK = 2

    def __str__(self) -> str:
        return self.name.lower()


_DECISIONS = (Decision.ALLOW, Decision.REVIEW, Decision.BLOCK)


#: A message's bytes as libvigil scans them, the one rule of the whole binding: a str as UTF-8
#: (lone surrogates passed through in their 3-byte form), bytes as they are, a bytearray or
#: memoryview copied; TypeError for anything else. (In C: batches apply it without copies.)
_bytes = _native.utf8


def version() -> str:
    """The version of the libvigil in use."""
    return ffi.string(lib.vigil_version_string()).decode()


def matcher_version() -> str:
    """The Hyperscan/Vectorscan version libvigil runs on."""
    return ffi.string(lib.vigil_matcher_version()).decode()


def default_pack() -> str:
    """The embedded default rule pack (canonical TOML)."""
    size = ffi.new("size_t*")
    return ffi.unpack(lib.vigil_default_pack(size), size[0]).decode("utf-8")


class Hit:
    """One contribution to a verdict: a rule hit or a composite that fired."""

    __slots__ = ("rule", "category", "weight", "start", "end", "text", "composite")

    def __init__(self, rule: str, category: str, weight: float, start: int, end: int,
                 text: bytes, composite: bool) -> None:
        self.rule = rule
        self.category = category
        self.weight = weight
        self.start = start  #: byte offset in the original message
        self.end = end
        self.text = text  #: the original bytes of [start, end)
        self.composite = composite

    def __repr__(self) -> str:
        return (f"Hit(rule={self.rule!r}, category={self.category!r}, weight={self.weight}, "
                f"start={self.start}, end={self.end}, text={self.text!r})")


class JSONNumber(str):
    """An id that is a JSON number exactly as written in the input, e.g. JSONNumber("5"):
    to_json() echoes it verbatim (json.loads(line, parse_int=JSONNumber, parse_float=JSONNumber)
    keeps numbers that way)."""


IdLike = Union[str, bytes, int, float, JSONNumber, None]


def _id_args(id: IdLike) -> Tuple[object, int, int]:
    if id is None:
        return ffi.NULL, 0, 0
    if isinstance(id, JSONNumber):
        raw = id.encode()
        return raw, len(raw), lib.VIGIL_JSON_ID_RAW
    if isinstance(id, bool):
        raise TypeError("id must be a str, bytes, int or float")
    if isinstance(id, (int, float)):
        raw = repr(id).encode()
        return raw, len(raw), lib.VIGIL_JSON_ID_RAW
    raw = _bytes(id)
    return raw, len(raw), lib.VIGIL_JSON_ID_STRING


class Verdict:
    """A scan's result: decision, score, per-category scores, hits.

    Verdicts with hits keep their libvigil verdict (for to_json) until garbage-collected.
    """

    __slots__ = ("decision", "score", "invalid_bytes", "_ptr", "_owner", "_cats", "_hits")

    def __init__(self, decision: Decision, score: float, invalid_bytes: int, ptr, owner) -> None:
        self.decision = decision
        self.score = score
        self.invalid_bytes = invalid_bytes
        self._ptr = ptr
        self._owner = owner  # keeps a batch alive for verdicts that live in it
        self._cats = None
        self._hits = None

    @property
    def categories(self) -> dict:
        """{category name: score after the cap}, categories with at least one hit, pack order."""
        if self._cats is None:
            p = self._ptr
            n = lib.vigil_verdict_category_count(p) if p is not None else 0
            self._cats = {ffi.string(lib.vigil_verdict_category_name(p, i)).decode():
                          lib.vigil_verdict_category_score(p, i) for i in range(n)}
        return self._cats

    @property
    def hits(self) -> List[Hit]:
        """Every contributing hit, in order of start offset."""
        if self._hits is None:
            p = self._ptr
            hits = []
            if p is not None:
                info = ffi.new("vigil_hit_info*")
                info.struct_size = ffi.sizeof("vigil_hit_info")
                for i in range(lib.vigil_verdict_hit_count(p)):
                    lib.vigil_verdict_get_hit(p, i, info)
                    hits.append(Hit(ffi.unpack(info.rule, info.rule_len).decode(),
                                    ffi.unpack(info.category, info.category_len).decode(),
                                    info.weight, info.start, info.end,
                                    ffi.unpack(info.text, info.text_len), bool(info.composite)))
            self._hits = hits
        return self._hits

    def to_json(self, id: IdLike = None) -> str:
        """The CLI's JSON line for this verdict (without the newline), with "id": id.

        A str/bytes id is rendered as a JSON string, an int/float as a number, a JSONNumber
        verbatim, None as null.
        """
        raw, n, flags = _id_args(id)
        if self._ptr is None:
            return self._trivial_json(raw, n, flags)
        out = ffi.new("char**")
        size = ffi.new("size_t*")
        rc = lib.vigil_verdict_json(self._ptr, raw, n, flags, out, size)
        if rc != 0:
            _raise(rc)
        try:
            return ffi.unpack(out[0], size[0]).decode("utf-8")
        finally:
            lib.vigil_free(out[0])

    def _trivial_json(self, raw, n, flags) -> str:
        # A verdict without hits, categories or invalid bytes, whose C verdict was released:
        # render the id through libvigil (exact escaping) and the fixed rest here.
        out = ffi.new("char**")
        size = ffi.new("size_t*")
        rc = lib.vigil_verdict_json(_EMPTY.ptr, raw, n, flags, out, size)
        if rc != 0:
            _raise(rc)
        try:
            text = ffi.unpack(out[0], size[0]).decode("utf-8")
        finally:
            lib.vigil_free(out[0])
        return text

    def __repr__(self) -> str:
        return (f"Verdict(decision={self.decision}, score={self.score}, "
                f"categories={self.categories}, hits={len(self.hits)})")


class _Empty:
    """A libvigil verdict for the empty message (allow, 0, no hits), for _trivial_json."""

    def __init__(self) -> None:
        self.ptr = None

    def load(self, engine_ptr) -> None:
        if self.ptr is None:
            out = ffi.new("vigil_verdict**")
            rc = lib.vigil_scan(engine_ptr, ffi.NULL, 0, out)
            if rc != 0:
                _raise(rc)
            self.ptr = ffi.gc(out[0], lib.vigil_verdict_free)


_EMPTY = _Empty()

#: The verdict of every message with no hit at all (shared; verdicts are read-only).
_ALLOW = Verdict(Decision.ALLOW, 0.0, 0, None, None)


def _verdict_from(ptr, summary, owner=None) -> Verdict:
    """Wrap a libvigil verdict; a trivial one (nothing but its decision) is freed at once."""
    d = summary.decision
    if summary.hit_count == 0 and summary.category_count == 0 and summary.invalid_bytes == 0 \
            and summary.score == 0.0 and d == 0:
        if owner is None:
            lib.vigil_verdict_free(ptr)
        return Verdict(_DECISIONS[d], 0.0, 0, None, None)
    if owner is None:
        ptr = ffi.gc(ptr, lib.vigil_verdict_free)
    return Verdict(_DECISIONS[d], summary.score, summary.invalid_bytes, ptr, owner)


def _taken(rc: int) -> Verdict:
    """The verdict pyvigil_scan1 left in this thread's slot (rc 1), or raise (rc < 0)."""
    if rc < 0:
        _raise(rc)
    summary = ffi.new(_SUMMARY_P)
    ptr = ffi.gc(lib.pyvigil_take(summary), lib.vigil_verdict_free)
    return Verdict(_DECISIONS[summary.decision], summary.score, summary.invalid_bytes, ptr, None)


_SUMMARY_P = ffi.typeof("vigil_verdict_summary*")


#: libvigil takes a thread count as an unsigned int; it never starts more threads than messages.
_MAX_THREADS = 0xFFFFFFFF


def _scan_batch(handle, holder: bool, texts: Iterable[TextLike], threads: int) -> "Batch":
    """The batch scan of an engine's or (holder) a holder's handle: _native hands the messages
    to libvigil in place (no packing copy) and scans them with the GIL released."""
    if threads < 0:
        raise ValueError("threads must be >= 0")
    address = _native.scan_batch(int(ffi.cast("uintptr_t", handle)), holder, texts,
                                 min(threads, _MAX_THREADS))
    if address < 0:
        _raise(address)
    return Batch(address)


class Batch(Sequence[Verdict]):
    """The verdicts of a batch scan, in input order (a sequence of Verdict).

    decisions and scores are also available as plain lists. Only the verdicts that are more
    than a plain allow are ever looked at one by one (the rest share one allow Verdict).
    """

    def __init__(self, address: int) -> None:
        """Own the vigil_batch at `address` (freed with this object and its verdicts)."""
        self._ptr = ffi.gc(ffi.cast("vigil_batch*", address), lib.vigil_batch_free)
        decisions, self._rich, scores = _native.digest(address, _DECISIONS)
        self.decisions: List[Decision] = decisions
        self._n = len(decisions)
        self._score_view = memoryview(scores).cast("d")
        self._scores: Optional[List[float]] = None
        self._list: Optional[List[Verdict]] = None

    @property
    def scores(self) -> List[float]:
        if self._scores is None:
            self._scores = self._score_view.tolist()
        return self._scores

    @property
    def _verdicts(self) -> List[Verdict]:
        if self._list is None:
            verdicts = [_ALLOW] * self._n
            for i in self._rich:
                verdicts[i] = self._make(i, self.decisions[i], self._score_view[i])
            self._list = verdicts
        return self._list

    def _make(self, i: int, d: Decision, score: float) -> Verdict:
        p = lib.vigil_batch_verdict(self._ptr, i)
        return Verdict(d, score, lib.vigil_verdict_invalid_bytes(p), p, self)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        return self._verdicts[i]

    def __iter__(self) -> Iterator[Verdict]:
        return iter(self._verdicts)


_H = TypeVar("_H", bound="_Handle")


class _Handle:
    """A native handle released by close() or on leaving a with block (and, if forgotten,
    when collected). Objects built from it keep their own references."""

    __slots__ = ()

    def close(self) -> None:
        if self._ptr is not None:
            ffi.release(self._ptr)
            self._ptr = None

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Engine(_Handle):
    """A compiled rule pack. Immutable and thread-safe: share one among all threads.

    Use it as a context manager or call close(); a forgotten engine is freed when collected.
    """

    __slots__ = ("_ptr", "__weakref__")

    def __init__(self, _ptr) -> None:
        self._ptr = ffi.gc(_ptr, lib.vigil_engine_free)
        _EMPTY.load(self._ptr)

    @staticmethod
    def _options(streaming: bool):
        opts = ffi.new("vigil_engine_options*")
        opts.struct_size = ffi.sizeof("vigil_engine_options")
        opts.streaming = 1 if streaming else 0
        return opts

    @classmethod
    def _open(cls, fn, *args) -> "Engine":
        out = ffi.new("vigil_engine**")
        rc = fn(*args, out)
        if rc != 0:
            _raise(rc)
        return cls(out[0])

    @classmethod
    def default(cls, *, streaming: bool = True) -> "Engine":
        """The embedded default pack."""
        return cls._open(lib.vigil_engine_open_default, cls._options(streaming))

    @classmethod
    def from_pack_file(cls, path: Union[str, os.PathLike], *, streaming: bool = True) -> "Engine":
        """A TOML pack file (side files relative to it)."""
        return cls._open(lib.vigil_engine_open_pack_file, os.fsencode(path), cls._options(streaming))

    @classmethod
    def from_pack_string(cls, toml: TextLike, *, origin: Optional[str] = None,
                         base_dir: Union[str, os.PathLike, None] = None,
                         streaming: bool = True) -> "Engine":
        """A pack given as TOML text; side files relative to base_dir."""
        data = _bytes(toml)
        return cls._open(lib.vigil_engine_open_pack_string, data, len(data),
                         origin.encode() if origin is not None else ffi.NULL,
                         os.fsencode(base_dir) if base_dir is not None else ffi.NULL,
                         cls._options(streaming))

    @classmethod
    def load(cls, path: Union[str, os.PathLike]) -> "Engine":
        """A serialised engine file (Engine.save, `vigil compile`)."""
        return cls._open(lib.vigil_engine_open_file, os.fsencode(path))

    @classmethod
    def from_bytes(cls, data: bytes) -> "Engine":
        """A serialised engine in memory (Engine.serialize)."""
        data = bytes(data)
        return cls._open(lib.vigil_engine_open_bytes, data, len(data))


    def _p(self):
        if self._ptr is None:
            raise ValueError("the engine is closed")
        return self._ptr

    def save(self, path: Union[str, os.PathLike]) -> None:
        rc = lib.vigil_engine_save(self._p(), os.fsencode(path))
        if rc != 0:
            _raise(rc)

    def serialize(self) -> bytes:
        data = ffi.new("void**")
        size = ffi.new("size_t*")
        rc = lib.vigil_engine_serialize(self._p(), data, size)
        if rc != 0:
            _raise(rc)
        try:
            return ffi.unpack(ffi.cast("char*", data[0]), size[0])
        finally:
            lib.vigil_free(data[0])

    @property
    def pack_name(self) -> str:
        return ffi.string(lib.vigil_engine_pack_name(self._p())).decode()

    @property
    def pack_version(self) -> str:
        return ffi.string(lib.vigil_engine_pack_version(self._p())).decode()

    @property
    def pack_hash(self) -> str:
        return ffi.string(lib.vigil_engine_pack_hash(self._p())).decode()

    @property
    def rule_count(self) -> int:
        return lib.vigil_engine_rule_count(self._p())

    @property
    def supports_streaming(self) -> bool:
        return lib.vigil_engine_supports_streaming(self._p()) == 1

    def scan(self, text: TextLike) -> Verdict:
        """Scan one message (str is scanned as UTF-8). Releases the GIL while scanning."""
        # The hot path: spelled out inline (each Python-level call costs tens of ns).
        ptr = self._ptr
        if ptr is None:
            raise ValueError("the engine is closed")
        data = _bytes(text)
        rc = lib.pyvigil_scan1(ptr, data, len(data))
        if rc == 0:
            return _ALLOW
        return _taken(rc)

    def scan_batch(self, texts: Iterable[TextLike], *, threads: int = 0) -> Batch:
        """Scan many messages in one call (threads > 1: on that many threads). Releases the GIL."""
        return _scan_batch(self._p(), False, texts, threads)

    def scan_json(self, text: TextLike, id: IdLike = None) -> str:
        """Scan and render the CLI's JSON line in one go."""
        return self.scan(text).to_json(id)

    def stream(self) -> "Stream":
        """Start a message that arrives in chunks (see Stream)."""
        out = ffi.new("vigil_stream**")
        rc = lib.vigil_stream_open(self._p(), out)
        if rc != 0:
            _raise(rc)
        return Stream(out[0])


class Stream:
    """One message in chunks: write() each, then close() for the verdict. One thread at a time.

    As a context manager the stream is abandoned on exit unless close() was called.
    """

    __slots__ = ("_ptr", "_raw")

    def __init__(self, ptr) -> None:
        self._raw = ptr
        self._ptr = ffi.gc(ptr, lib.vigil_stream_free)

    def write(self, chunk: TextLike) -> None:
        if self._ptr is None:
            raise ValueError("the stream is closed")
        data = _bytes(chunk)
        rc = lib.vigil_stream_write(self._ptr, data, len(data))
        if rc != 0:
            _raise(rc)

    def close(self) -> Verdict:
        if self._ptr is None:
            raise ValueError("the stream is closed")
        ffi.gc(self._ptr, None)  # vigil_stream_close frees it: drop the destructor
        ptr, self._ptr, self._raw = self._raw, None, None
        out = ffi.new("vigil_verdict**")
        rc = lib.vigil_stream_close(ptr, out)
        if rc != 0:
            _raise(rc)
        summary = ffi.new("vigil_verdict_summary*")
        summary.struct_size = ffi.sizeof("vigil_verdict_summary")
        lib.vigil_verdict_get_summary(out[0], summary)
        return _verdict_from(out[0], summary)

    def abandon(self) -> None:
        if self._ptr is not None:
            ffi.release(self._ptr)
            self._ptr = self._raw = None

    def __enter__(self) -> "Stream":
        return self

    def __exit__(self, *exc) -> None:
        self.abandon()


class Holder(_Handle):
    """The hot-reload point: scans through it use the current engine; swap() replaces it
    atomically while scans run on other threads (those finish on the engine they started with).
    """

    __slots__ = ("_ptr",)

    def __init__(self, engine: Engine) -> None:
        out = ffi.new("vigil_holder**")
        rc = lib.vigil_holder_create(engine._p(), out)
        if rc != 0:
            _raise(rc)
        self._ptr = ffi.gc(out[0], lib.vigil_holder_free)

    def _p(self):
        if self._ptr is None:
            raise ValueError("the holder is closed")
        return self._ptr

    def swap(self, engine: Engine) -> None:
        rc = lib.vigil_holder_swap(self._p(), engine._p())
        if rc != 0:
            _raise(rc)

    def engine(self) -> Engine:
        out = ffi.new("vigil_engine**")
        rc = lib.vigil_holder_engine(self._p(), out)
        if rc != 0:
            _raise(rc)
        return Engine(out[0])

    def scan(self, text: TextLike) -> Verdict:
        ptr = self._ptr
        if ptr is None:
            raise ValueError("the holder is closed")
        data = _bytes(text)
        rc = lib.pyvigil_holder_scan1(ptr, data, len(data))
        if rc == 0:
            return _ALLOW
        return _taken(rc)

    def scan_batch(self, texts: Iterable[TextLike], *, threads: int = 0) -> Batch:
        return _scan_batch(self._p(), True, texts, threads)

