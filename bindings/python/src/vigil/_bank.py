"""Banks of known content (hash lists with labels and an action) and scanners that match the
rules and the banks in one verdict, as `vigil scan --bank/--review-bank/--allow-bank` does.

    bank = vigil.Bank()
    bank.load_file("tve-pdq.csv")                              # block on a hit
    bank.load_file("newsroom.txt", action="allow")             # an allow-list
    scanner = vigil.Scanner(engine, bank, dihedral=True)
    v = scanner.scan_file("upload.jpg")                        # JPEG/PNG by content, else text
    v.decision, v.bank_hits, v.to_json("upload.jpg", key="file")   # the CLI's line

A Bank may be extended (load, define, add) while other threads query it or scan with scanners
built from it; a Scanner is immutable and thread-safe. The GIL is released in every C call.
"""
from __future__ import annotations

import enum
import os
from typing import Any, List, NamedTuple, Optional, Union

from ._core import Decision, Engine, _Handle, IdLike, TextLike, Verdict, _DECISIONS, _bytes, _id_args, \
    _raise
from ._hash import ImageLike, _image_struct, _is_pixels, _path
from ._vigil_cffi import ffi, lib

__all__ = ["Bank", "BankAction", "BankHit", "BankInfo", "Scanner", "ScanVerdict", "Signal"]


class Signal(enum.IntEnum):
    """What a bank's hashes are of."""
    MD5 = 0        #: raw bytes, exact (32 hex digits)
    SHA256 = 1     #: raw bytes, exact (64 hex digits)
    PDQ = 2        #: images, by Hamming distance (64 hex digits; radius 31)
    SIMHASH64 = 3  #: normalised text, by Hamming distance (16 hex digits; radius 6)

    def __str__(self) -> str:
        return ffi.string(lib.vigil_signal_name(int(self))).decode()


class BankAction(enum.IntEnum):
    """What a hit in a bank does."""
    BLOCK = 0   #: blocks
    REVIEW = 1  #: asks for review at least
    ALLOW = 2   #: an allow-list: suppresses the other banks' hits of the same signal

    def __str__(self) -> str:
        return self.name.lower()


SignalLike = Union[Signal, str, int]
ActionLike = Union[BankAction, str, int]


def _signal(s: SignalLike) -> Signal:
    if isinstance(s, str):
        names = {"md5": Signal.MD5, "sha256": Signal.SHA256, "pdq": Signal.PDQ,
                 "simhash": Signal.SIMHASH64, "simhash64": Signal.SIMHASH64}
        if s.lower() not in names:
            raise ValueError(f"unknown signal {s!r} (md5, sha256, pdq, simhash64)")
        return names[s.lower()]
    return Signal(s)


def _action(a: ActionLike) -> BankAction:
    if isinstance(a, str):
        try:
            return BankAction[a.upper()]
        except KeyError:
            raise ValueError(f"unknown action {a!r} (block, review, allow)") from None
    return BankAction(a)


class BankHit(NamedTuple):
    """A match against a bank entry."""
    bank: str
    signal: str         #: "md5", "sha256", "pdq" or "simhash64"
    distance: int       #: Hamming distance; 0 for digests
    label: str          #: the entry's label (invalid UTF-8 replaced)
    action: BankAction  #: the bank's action (ALLOW: an allow-list hit)
    suppressed: bool    #: overridden by an allow-list hit (did not count)
    transform: str      #: with dihedral matching, the rotation/flip that matched ("" = as is)


class BankInfo(NamedTuple):
    """One named bank of a Bank."""
    name: str
    signal: Signal
    action: BankAction
    radius: int
    size: int


class ScanVerdict(Verdict):
    """A verdict with bank hits (from a Scanner or Bank.query)."""

    __slots__ = ("_bank_hits",)

    def __init__(self, ptr) -> None:
        summary = ffi.new("vigil_verdict_summary*")
        summary.struct_size = ffi.sizeof("vigil_verdict_summary")
        lib.vigil_verdict_get_summary(ptr, summary)
        super().__init__(_DECISIONS[summary.decision], summary.score, summary.invalid_bytes,
                         ffi.gc(ptr, lib.vigil_verdict_free), None)
        self._bank_hits: Optional[List[BankHit]] = None

    @property
    def banks_checked(self) -> bool:
        """True when banks were consulted (the JSON then has "bank_hits")."""
        return lib.vigil_verdict_banks_checked(self._ptr) == 1

    @property
    def bank_hits(self) -> List[BankHit]:
        """Bank hits in the CLI's order (per signal nearest first, then allow-list hits)."""
        if self._bank_hits is None:
            info = ffi.new("vigil_bank_hit_info*")
            info.struct_size = ffi.sizeof("vigil_bank_hit_info")
            hits = []
            for i in range(lib.vigil_verdict_bank_hit_count(self._ptr)):
                if lib.vigil_verdict_get_bank_hit(self._ptr, i, info) != 0:
                    _raise(lib.VIGIL_E_INVALID)
                hits.append(BankHit(ffi.unpack(info.bank, info.bank_len).decode("utf-8", "replace"),
                                    str(Signal(info.signal)), info.distance,
                                    ffi.unpack(info.label, info.label_len).decode("utf-8", "replace"),
                                    BankAction(info.action), bool(info.suppressed),
                                    ffi.string(info.transform).decode()))
            self._bank_hits = hits
        return self._bank_hits

    def to_json(self, id: IdLike = None, key: str = "id") -> str:
        """The CLI's JSON line (without the newline); key "file" gives `vigil scan FILE`'s."""
        if key not in ("id", "file"):
            raise ValueError("key must be 'id' or 'file'")
        raw, n, flags = _id_args(id)
        if key == "file":
            flags |= lib.VIGIL_JSON_KEY_FILE
        out = ffi.new("char**")
        size = ffi.new("size_t*")
        rc = lib.vigil_verdict_json(self._ptr, raw, n, flags, out, size)
        if rc != 0:
            _raise(rc)
        try:
            return ffi.unpack(out[0], size[0]).decode("utf-8")
        finally:
            lib.vigil_free(out[0])

    def __repr__(self) -> str:
        return (f"ScanVerdict(decision={self.decision}, score={self.score}, "
                f"hits={len(self.hits)}, bank_hits={self.bank_hits})")


def _verdict_out(rc: int, out) -> ScanVerdict:
    if rc != 0:
        _raise(rc)
    return ScanVerdict(out[0])


def _hex(h: Union[str, bytes, bytearray, int], signal: Signal) -> bytes:
    if isinstance(h, int) and not isinstance(h, bool):
        if signal != Signal.SIMHASH64:
            raise TypeError("an int hash is a SimHash-64; give other hashes as hex or bytes")
        return f"{h:016x}".encode()
    if isinstance(h, str):
        return h.encode("ascii", "replace")
    return bytes(h).hex().encode()


class Bank(_Handle):
    """Named banks of known hashes (see the module doc). Close it or use it as a context
    manager; scanners built from it keep what they need alive."""

    __slots__ = ("_ptr",)

    def __init__(self) -> None:
        out = ffi.new("vigil_bank**")
        rc = lib.vigil_bank_create(out)
        if rc != 0:
            _raise(rc)
        self._ptr = ffi.gc(out[0], lib.vigil_bank_free)

    def _p(self):
        if self._ptr is None:
            raise ValueError("the bank is closed")
        return self._ptr

    @staticmethod
    def _load_options(action: ActionLike, signal: Optional[SignalLike], bank: Optional[str],
                      radius: int, min_quality: int):
        opts = ffi.new("vigil_bank_load_options*")
        opts.struct_size = ffi.sizeof("vigil_bank_load_options")
        opts.action = int(_action(action))
        opts.signal = lib.VIGIL_SIGNAL_AUTO if signal is None else int(_signal(signal))
        name = ffi.new("char[]", bank.encode()) if bank is not None else ffi.NULL
        opts.bank = name
        opts.radius = radius
        opts.min_quality = min_quality
        return opts, name

    def load_file(self, path: Union[str, "os.PathLike[str]"], *, action: ActionLike = "block",
                  signal: Optional[SignalLike] = None, bank: Optional[str] = None,
                  radius: int = -1, min_quality: int = 0) -> None:
        """Load a bank file (hex lists, CSV with a header, typed lines, the PDQ tool's output).
        All or nothing: a bad line raises VigilError VIGIL_E_BANK "FILE:LINE: reason".
        signal is needed for plain lists of 64-digit hashes (PDQ or SHA-256); bank names the
        bank of entries without a bank column (default: the file name up to its first '.')."""
        opts, _name = self._load_options(action, signal, bank, radius, min_quality)
        rc = lib.vigil_bank_load_file(self._p(), _path(path), opts)
        if rc != 0:
            _raise(rc)

    def load_text(self, text: TextLike, name: str, *, action: ActionLike = "block",
                  signal: Optional[SignalLike] = None, bank: Optional[str] = None,
                  radius: int = -1, min_quality: int = 0) -> None:
        """The same from text in memory; name stands for the file (messages, default bank)."""
        opts, _name = self._load_options(action, signal, bank, radius, min_quality)
        raw = _bytes(text)
        rc = lib.vigil_bank_load_text(self._p(), raw, len(raw), name.encode(), opts)
        if rc != 0:
            _raise(rc)

    def define(self, name: str, signal: SignalLike, action: ActionLike = "block",
               radius: int = -1) -> None:
        """An empty bank (radius -1: the signal's default)."""
        rc = lib.vigil_bank_define(self._p(), name.encode(), int(_signal(signal)),
                                   int(_action(action)), radius)
        if rc != 0:
            _raise(rc)

    def add(self, hash: Union[str, bytes, bytearray, int], label: TextLike = "", *,
            bank: Optional[str] = None) -> None:
        """Add an entry to bank `bank` (None: the only bank): hash as hex, bytes, or an int
        SimHash. Searchable at once; nothing is rebuilt."""
        info = self._info_of(bank)
        hexed = _hex(hash, info.signal) if info is not None else _hex(hash, Signal.PDQ)
        raw = _bytes(label)
        rc = lib.vigil_bank_add(self._p(), bank.encode() if bank is not None else ffi.NULL,
                                hexed, len(hexed), raw, len(raw))
        if rc != 0:
            _raise(rc)

    def _info_of(self, bank: Optional[str]) -> Optional[BankInfo]:
        banks = self.banks
        if bank is None:
            return banks[0] if len(banks) == 1 else None
        return next((b for b in banks if b.name == bank), None)

    @property
    def banks(self) -> List[BankInfo]:
        """The named banks, in the order defined."""
        info = ffi.new("vigil_bank_info*")
        info.struct_size = ffi.sizeof("vigil_bank_info")
        out = []
        for i in range(lib.vigil_bank_count(self._p())):
            if lib.vigil_bank_get_info(self._p(), i, info) != 0:
                break  # the bank shrank? (never: banks are only added) — stop at what exists
            out.append(BankInfo(ffi.string(info.name).decode("utf-8", "replace"),
                                Signal(info.signal), BankAction(info.action), info.radius,
                                info.size))
        return out

    def __len__(self) -> int:
        """Entries in all banks."""
        return lib.vigil_bank_size(self._p())

    def query(self, hash: Union[str, bytes, bytearray, int], signal: SignalLike,
              radius: int = -1) -> ScanVerdict:
        """The verdict the banks alone give an item with this hash (bank hits, nearest first);
        radius -1: each bank's own."""
        sig = _signal(signal)
        hexed = _hex(hash, sig)
        out = ffi.new("vigil_verdict**")
        return _verdict_out(lib.vigil_bank_query(self._p(), int(sig), hexed, len(hexed), radius,
                                                 out), out)



class Scanner(_Handle):
    """The rules of an engine and the banks of a Bank in one verdict (see the module doc)."""

    __slots__ = ("_ptr",)

    def __init__(self, engine: Engine, bank: Optional[Bank] = None, *, dihedral: bool = False,
                 squash: bool = True, min_pdq_quality: int = 50, max_pixels: int = 0) -> None:
        opts = ffi.new("vigil_scanner_options*")
        opts.struct_size = ffi.sizeof("vigil_scanner_options")
        opts.dihedral = 1 if dihedral else 0
        opts.squash = 1 if squash else 0
        opts.min_pdq_quality = min_pdq_quality
        opts.max_pixels = max_pixels
        out = ffi.new("vigil_scanner**")
        rc = lib.vigil_scanner_create(engine._p(), bank._p() if bank is not None else ffi.NULL,
                                      opts, out)
        if rc != 0:
            _raise(rc)
        self._ptr = ffi.gc(out[0], lib.vigil_scanner_free)

    def _p(self):
        if self._ptr is None:
            raise ValueError("the scanner is closed")
        return self._ptr

    def scan(self, text: TextLike) -> ScanVerdict:
        """A text message: the rules, digests of its bytes, SimHash of its normal form."""
        raw = _bytes(text)
        out = ffi.new("vigil_verdict**")
        return _verdict_out(lib.vigil_scanner_scan(self._p(), raw, len(raw), out), out)

    def scan_bytes(self, data: Union[bytes, bytearray, memoryview]) -> ScanVerdict:
        """A whole file's bytes: JPEG/PNG (by content) as an image, anything else as text."""
        raw = bytes(data)
        out = ffi.new("vigil_verdict**")
        return _verdict_out(lib.vigil_scanner_scan_bytes(self._p(), raw, len(raw), out), out)

    def scan_file(self, path: Union[str, "os.PathLike[str]"]) -> ScanVerdict:
        """The same of a file (as `vigil scan --bank ... FILE`)."""
        out = ffi.new("vigil_verdict**")
        return _verdict_out(lib.vigil_scanner_scan_file(self._p(), _path(path), out), out)

    def scan_image(self, image: Any, file_bytes: Optional[bytes] = None, *,
                   order: str = "rgb") -> ScanVerdict:
        """Decoded pixels (numpy uint8 array or PIL image) as an image: PDQ, and MD5/SHA-256 of
        file_bytes (the encoded file) when given."""
        if not _is_pixels(image):
            raise TypeError("scan_image() takes a numpy array or a PIL image; use scan_bytes() "
                            "or scan_file() for encoded images")
        img, _keep = _image_struct(image, order)
        raw = bytes(file_bytes) if file_bytes is not None else b""
        out = ffi.new("vigil_verdict**")
        rc = lib.vigil_scanner_scan_pixels(self._p(), img, raw if raw else ffi.NULL, len(raw), out)
        return _verdict_out(rc, out)

