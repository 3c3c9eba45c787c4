"""pytest suite of the Python binding."""
import threading
import time

import pytest

import vigil

PACK_A = """[pack]
name = "pack-a"
version = "1"
[policy]
review = 3.0
block = 8.0
[[rule]]
id = "a.alpha"
category = "test"
weight = 10.0
terms = ["alphaword"]
fullword = true
"""
PACK_B = PACK_A.replace("pack-a", "pack-b").replace("a.alpha", "b.beta").replace("10.0", "4.0")


@pytest.fixture(scope="module")
def engine():
    with vigil.Engine.from_pack_string(PACK_A, origin="a") as e:
        yield e


@pytest.fixture(scope="module")
def default_engine():
    return vigil.Engine.default()


def test_version():
    assert vigil.version() == vigil.__version__
    assert vigil.matcher_version()
    assert "[pack]" in vigil.default_pack()


def test_extensions_use_the_bundled_library():
    # The package must not depend on the build that produced it: both extensions load the
    # libvigil copied beside them (RUNPATH $ORIGIN), never one from a build directory.
    import os
    import vigil._native  # noqa: F401  (both extensions loaded before reading the mappings)
    package = os.path.dirname(os.path.realpath(vigil.__file__))
    with open("/proc/self/maps", encoding="utf-8") as maps:
        loaded = {line.split()[-1] for line in maps if "libvigil.so" in line}
    assert loaded, "libvigil is not mapped"
    assert {os.path.dirname(os.path.realpath(p)) for p in loaded} == {package}, loaded


def test_scan(engine):
    v = engine.scan("say alphaword now")
    assert v.decision == vigil.Decision.BLOCK and str(v.decision) == "block"
    assert v.score == 10.0
    assert v.categories == {"test": 10.0}
    (h,) = v.hits
    assert (h.rule, h.category, h.start, h.end, h.text, h.composite) == \
        ("a.alpha", "test", 4, 13, b"alphaword", False)
    clean = engine.scan(b"nothing here")
    assert clean.decision == vigil.Decision.ALLOW and clean.hits == [] and clean.categories == {}
    assert engine.scan("").decision == vigil.Decision.ALLOW


def test_invalid_utf8(engine):
    v = engine.scan(b"\xff alphaword")
    assert v.invalid_bytes == 1
    assert v.to_json("x").endswith(',"invalid_utf8":1}')


def test_json(engine):
    v = engine.scan("alphaword")
    assert v.to_json("m1").startswith('{"id":"m1","verdict":"block","score":10,')
    assert v.to_json(7).startswith('{"id":7,')
    assert v.to_json(None).startswith('{"id":null,')
    assert engine.scan("clean").to_json('a"b') == \
        '{"id":"a\\"b","verdict":"allow","score":0,"categories":{},"hits":[]}'
    assert engine.scan_json("alphaword", "q") == v.to_json("q")
    with pytest.raises(TypeError):
        v.to_json(True)


def test_json_matches_cli_rendering(default_engine):
    v = default_engine.scan("Join the Islamic State and make hijrah")
    j = v.to_json("a")
    assert j.startswith('{"id":"a","verdict":"block"')
    assert '"rule":"org.jihadist"' in j or v.hits


def test_batch(engine):
    texts = [f"msg {i} alphaword" if i % 3 == 0 else f"msg {i}" for i in range(500)]
    for threads in (0, 1, 4):
        b = engine.scan_batch(texts, threads=threads)
        assert len(b) == 500
        for i, v in enumerate(b):
            assert v.decision == (vigil.Decision.BLOCK if i % 3 == 0 else vigil.Decision.ALLOW)
        assert b.decisions[3] == vigil.Decision.BLOCK and b.scores[3] == 10.0
        assert b[-1].decision == vigil.Decision.ALLOW
        assert [v.decision for v in b[0:3]] == [vigil.Decision.BLOCK, 0, 0]
    assert len(engine.scan_batch([])) == 0
    mixed = engine.scan_batch([b"alphaword", "alphaword", bytearray(b"x"), memoryview(b"y")])
    assert [v.decision for v in mixed] == [2, 2, 0, 0]
    with pytest.raises(IndexError):
        mixed[4]
    with pytest.raises(TypeError):
        engine.scan_batch([1, 2])
    with pytest.raises(ValueError):
        engine.scan_batch(["x"], threads=-1)
    # a verdict outlives its batch object
    v = engine.scan_batch(["alphaword"])[0]
    assert v.hits[0].rule == "a.alpha" and v.to_json(1).startswith('{"id":1,')



def _same_verdict(a, b):
    return (a.decision, a.score, a.invalid_bytes, a.categories, a.to_json("i")) == \
        (b.decision, b.score, b.invalid_bytes, b.categories, b.to_json("i")) and \
        [(h.rule, h.start, h.end, h.text, h.composite) for h in a.hits] == \
        [(h.rule, h.start, h.end, h.text, h.composite) for h in b.hits]


def test_batch_matches_single_scans(engine):
    big = "x " * 60000 + "alphaword"
    texts = ["é alphaword", big, "ü ✓", "", "alphaword ✓", "lone \ud800 alphaword",
             b"\xff alphaword", bytearray(b"plain"), "plain"]
    for threads in (0, 2):
        batch = engine.scan_batch(iter(texts), threads=threads)  # any iterable
        assert len(batch) == len(texts)
        for i, t in enumerate(texts):
            single = engine.scan(t)
            assert _same_verdict(batch[i], single), i
            assert batch.decisions[i] == single.decision and batch.scores[i] == single.score
    assert batch[1].hits[0].start == 120000 and batch[0].hits[0].start == 3
    assert batch[5].invalid_bytes > 0 and batch[6].invalid_bytes == 1
    assert batch[7] is batch[8]  # plain allows share one Verdict
    huge = ["y" * 3_000_000, "alphaword", "z" * 2_000_000 + " alphaword"]  # megabytes, in place
    assert engine.scan_batch(huge).decisions == [0, 2, 2]
    assert engine.scan_batch(["a", "b"]).scores == [0.0, 0.0]


def test_batches_on_threads_keep_their_texts_apart(engine):
    errors = []

    def work(k):
        texts = [f"{k} {i} alphaword" if (i + k) % 4 == 0 else f"{k} {i} é" for i in range(300)]
        want = [vigil.Decision.BLOCK if (i + k) % 4 == 0 else vigil.Decision.ALLOW
                for i in range(300)]
        for _ in range(20):
            b = engine.scan_batch(texts)
            if b.decisions != want or any(b[i].hits[0].start != len(f"{k} {i} ")
                                          for i in range(300) if want[i]):
                errors.append(k)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

def test_errors(tmp_path):
    with pytest.raises(vigil.VigilError) as e:
        vigil.Engine.from_pack_string('[pack]\nname = "bad"\n[[rule]]\nid = "x"\nweight = "h"\n',
                                      origin="bad.toml")
    assert e.value.code == -3 and e.value.name == "VIGIL_E_PACK" and "bad.toml" in str(e.value)
    with pytest.raises(vigil.VigilError) as e:
        vigil.Engine.load(tmp_path / "missing.engine")
    assert e.value.name == "VIGIL_E_ENGINE_FILE"
    with pytest.raises(vigil.VigilError):
        vigil.Engine.from_bytes(b"not an engine")
    with pytest.raises(TypeError):
        vigil.Engine.default().scan(12)
    e2 = vigil.Engine.from_pack_string(PACK_A)
    e2.close()
    e2.close()
    with pytest.raises(ValueError):
        e2.scan("x")


def test_files_and_bytes(engine, tmp_path):
    p = tmp_path / "a.engine"
    engine.save(p)
    assert vigil.Engine.load(p).pack_hash == engine.pack_hash
    data = engine.serialize()
    e2 = vigil.Engine.from_bytes(data)
    assert (e2.pack_name, e2.pack_version, e2.rule_count) == ("pack-a", "1", 1)
    assert e2.scan("alphaword").decision == vigil.Decision.BLOCK
    pack = tmp_path / "b.toml"
    pack.write_text(PACK_B)
    e3 = vigil.Engine.from_pack_file(pack, streaming=False)
    assert not e3.supports_streaming and e3.pack_name == "pack-b"
    with pytest.raises(vigil.VigilError) as e:
        e3.stream()
    assert e.value.name == "VIGIL_E_STATE"


def test_stream(engine):
    s = engine.stream()
    for part in ("first al", "pha", "word end"):
        s.write(part)
    v = s.close()
    assert v.decision == vigil.Decision.BLOCK and v.hits[0].start == 6
    with pytest.raises(ValueError):
        s.write("x")
    with engine.stream() as s2:
        s2.write(b"abandoned")


def test_holder_swap_under_threads():
    a = vigil.Engine.from_pack_string(PACK_A)
    b = vigil.Engine.from_pack_string(PACK_B)
    holder = vigil.Holder(a)
    assert holder.engine().pack_name == "pack-a"
    bad = []
    stop = threading.Event()

    def scanner():
        while not stop.is_set():
            v = holder.scan("alphaword")
            rules = [h.rule for h in v.hits]
            if not ((rules == ["a.alpha"] and v.decision == 2) or
                    (rules == ["b.beta"] and v.decision == 1)):
                bad.append(rules)
            batch = holder.scan_batch(["alphaword", "alphaword"])
            if batch[0].hits[0].rule != batch[1].hits[0].rule:
                bad.append("mixed batch")

    threads = [threading.Thread(target=scanner) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(50):
        holder.swap(b if i % 2 == 0 else a)
        time.sleep(0.001)
    stop.set()
    for t in threads:
        t.join()
    assert bad == []
    holder.close()


def test_gil_released_during_scans(default_engine):
    """Scans on 2 threads overlap: the C call does not hold the GIL."""
    big = "word " * 2_000_000
    inside = []

    def scan():
        default_engine.scan(big)

    t = threading.Thread(target=scan)
    t0 = time.perf_counter()
    t.start()
    # While the other thread is inside the C scan, this thread keeps running Python code.
    while t.is_alive():
        inside.append(time.perf_counter())
    t.join()
    elapsed = time.perf_counter() - t0
    assert elapsed > 0.02
    # Many Python iterations happened during the scan (with the GIL held they could not).
    assert len(inside) > 1000
