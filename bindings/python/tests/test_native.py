"""The CPython-API part of the binding (vigil._native): message bytes and batch hand-over."""
import threading

import pytest

import vigil
from vigil import _core, _native
from vigil._vigil_cffi import ffi

PACK = """[pack]
name = "native"
version = "1"
[policy]
review = 3.0
block = 8.0
[[rule]]
id = "n.alpha"
category = "test"
weight = 10.0
terms = ["alphaword"]
fullword = true
"""


@pytest.fixture(scope="module")
def engine():
    with vigil.Engine.from_pack_string(PACK) as e:
        yield e


class Text(str):
    """A str subclass: scanned like any str."""


def test_utf8_is_the_one_rule():
    assert _native.utf8("plain") == b"plain"
    assert _native.utf8("é✓\U0001F600") == "é✓\U0001F600".encode()
    lone = "a\ud800b\udfff"
    assert _native.utf8(lone) == lone.encode("utf-8", "surrogatepass")
    raw = b"\xff\x00x"
    assert _native.utf8(raw) is raw
    assert _native.utf8(bytearray(b"ab")) == b"ab"
    assert _native.utf8(memoryview(b"abcdef")[::2]) == b"ace"  # not contiguous: copied in order
    assert _native.utf8(Text("sub")) == b"sub"
    for bad in (1, None, 2.5, ["x"]):
        with pytest.raises(TypeError, match=f"expected str or bytes, not {type(bad).__name__}"):
            _native.utf8(bad)
    assert _core._bytes is _native.utf8  # single scans, hashes and banks share it


def test_batch_type_error_names_the_index(engine):
    with pytest.raises(TypeError, match=r"texts\[2\]: expected str or bytes, not float"):
        engine.scan_batch(["a", b"b", 2.5, "d"])
    with pytest.raises(TypeError, match=r"texts\[0\]: expected str or bytes, not NoneType"):
        engine.scan_batch((None,))
    with pytest.raises(TypeError):
        engine.scan_batch(5)  # not iterable


def test_batch_of_every_kind_of_text(engine):
    texts = ["alphaword", "é alphaword", "lone \udc80 alphaword", b"alphaword", b"\xff",
             bytearray(b"alphaword"), memoryview(b"-alphaword-")[1:-1], Text("alphaword"),
             "", b"", "\U0001F600 alphaword"]
    batch = engine.scan_batch(tuple(texts))
    assert batch.decisions == [engine.scan(t).decision for t in texts]
    assert [v.invalid_bytes for v in batch] == [engine.scan(t).invalid_bytes for t in texts]
    assert batch[2].invalid_bytes == 3 and batch[4].invalid_bytes == 1
    assert batch[1].hits[0].start == len("é ".encode()) and batch[1].hits[0].text == b"alphaword"


def test_batch_from_a_generator_and_its_error(engine):
    assert engine.scan_batch(f"{i} alphaword" for i in range(5)).decisions == \
        [vigil.Decision.BLOCK] * 5

    def broken():
        yield "alphaword"
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError, match="source failed"):
        engine.scan_batch(broken())


def test_batch_threads(engine):
    assert engine.scan_batch(["alphaword", "x"], threads=2**40).decisions == [2, 0]
    with pytest.raises(ValueError, match="threads must be >= 0"):
        engine.scan_batch(["x"], threads=-1)
    with pytest.raises(TypeError):
        engine.scan_batch(["x"], threads=1.5)


def test_batch_error_from_libvigil_is_a_vigil_error():
    with pytest.raises(vigil.VigilError, match="VIGIL_E_INVALID") as info:
        _core._scan_batch(ffi.NULL, False, ["x"], 0)
    assert info.value.code == -1 and "NULL" in info.value.message
    with pytest.raises(vigil.VigilError, match="VIGIL_E_INVALID"):
        _core._scan_batch(ffi.NULL, True, ["x"], 0)


def test_closed_handles(engine):
    e = vigil.Engine.from_pack_string(PACK)
    h = vigil.Holder(e)
    e.close()
    assert h.scan_batch(["alphaword"]).decisions == [2]  # the holder keeps its engine
    h.close()
    with pytest.raises(ValueError, match="closed"):
        e.scan_batch(["x"])
    with pytest.raises(ValueError, match="closed"):
        h.scan_batch(["x"])


def test_caller_list_changed_during_scans(engine):
    # The batch scans a private copy of the list: emptying the caller's list on another thread
    # while libvigil reads the messages (GIL released) must neither crash nor mix results.
    texts = [f"{i} alphaword " + "é" * (i % 3) + "x" * 2000 for i in range(400)]
    stop = threading.Event()

    def churn(shared):
        while not stop.is_set():
            shared[:] = [t + "" for t in texts]
            del shared[:]

    shared = list(texts)
    worker = threading.Thread(target=churn, args=(shared,))
    worker.start()
    try:
        for _ in range(30):
            snapshot = list(shared)
            batch = engine.scan_batch(snapshot)
            assert batch.decisions == [vigil.Decision.BLOCK] * len(snapshot)
            batch = engine.scan_batch(shared)  # whatever length it had when the copy was made
            assert all(d == vigil.Decision.BLOCK for d in batch.decisions)
    finally:
        stop.set()
        worker.join()
