package dev.vigil;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  static final String PACK_A = """
      [pack]
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
      """;
  static final String PACK_B = PACK_A.replace("pack-a", "pack-b").replace("a.alpha", "b.beta")
      .replace("10.0", "4.0");

  @Test
  void version() {
    assertEquals(Vigil.BINDING_VERSION, Vigil.version());
    assertEquals(100, Vigil.versionNumber());
    assertFalse(Vigil.matcherVersion().isEmpty());
    assertTrue(Vigil.defaultPack().contains("[pack]"));
  }

  @Test
  void scan() {
    try (Engine e = Engine.fromPackString(PACK_A, "a", null)) {
      Verdict v = e.scan("say alphaword now");
      assertEquals(Decision.BLOCK, v.decision());
      assertEquals("block", v.decision().toString());
      assertEquals(10.0, v.score());
      assertEquals(List.of(new Category("test", 10.0)), v.categories());
      assertEquals(List.of(new Hit("a.alpha", "test", 10.0, 4, 13, "alphaword", false)), v.hits());
      Verdict clean = e.scan("nothing");
      assertEquals(Decision.ALLOW, clean.decision());
      assertTrue(clean.hits().isEmpty());
      assertEquals(Decision.ALLOW, e.scan("").decision());
      Verdict bad = e.scan(new byte[] {(byte) 0xff, ' ', 'a', 'l', 'p', 'h', 'a', 'w', 'o', 'r', 'd'});
      assertEquals(1, bad.invalidBytes());
      assertEquals(2, bad.hits().get(0).start());
    }
  }

  @Test
  void json() {
    try (Engine e = Engine.fromPackString(PACK_A, "a", null)) {
      assertTrue(e.scanJson("alphaword", Id.string("m1"))
          .startsWith("{\"id\":\"m1\",\"verdict\":\"block\",\"score\":10,"));
      assertEquals("{\"id\":5,\"verdict\":\"allow\",\"score\":0,\"categories\":{},\"hits\":[]}",
          e.scanJson("x", Id.number("5")));
      assertTrue(e.scanJson("x", Id.NULL).startsWith("{\"id\":null,"));
      assertTrue(e.scanJson("x", Id.string("")).startsWith("{\"id\":\"\","));
      VigilException ex = assertThrows(VigilException.class, () -> e.scanJson("x", Id.number("five")));
      assertEquals(VigilException.INVALID, ex.code());
      String lines = e.scanBatchJsonl(List.of("alphaword", "x"), List.of(Id.string("a"), Id.number("2")), 0);
      String[] parts = lines.split("\n");
      assertEquals(2, parts.length);
      assertEquals(e.scanJson("alphaword", Id.string("a")), parts[0]);
      assertTrue(parts[1].startsWith("{\"id\":2,"));
    }
  }

  @Test
  void batch() {
    try (Engine e = Engine.fromPackString(PACK_A, "a", null)) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 500; i++) texts.add(i % 3 == 0 ? "msg " + i + " alphaword" : "msg " + i);
      for (int threads : new int[] {0, 1, 4}) {
        List<Verdict> vs = e.scanBatch(texts, threads);
        assertEquals(500, vs.size());
        for (int i = 0; i < 500; i++)
          assertEquals(i % 3 == 0 ? Decision.BLOCK : Decision.ALLOW, vs.get(i).decision(), "message " + i);
        assertEquals("a.alpha", vs.get(3).hits().get(0).rule());
      }
      assertTrue(e.scanBatch(List.of()).isEmpty());
      List<Verdict> vs = e.scanBatchBytes(List.of("alphaword".getBytes(), new byte[0]), 0);
      assertEquals(Decision.BLOCK, vs.get(0).decision());
      assertThrows(IllegalArgumentException.class, () -> e.scanBatch(texts, -1));
    }
  }

  @Test
  void errors(@TempDir Path dir) {
    VigilException ex = assertThrows(VigilException.class, () ->
        Engine.fromPackString("[pack]\nname = \"bad\"\n[[rule]]\nid = \"x\"\nweight = \"h\"\n", "bad.toml", null));
    assertEquals(VigilException.PACK, ex.code());
    assertEquals("VIGIL_E_PACK", ex.codeName());
    assertTrue(ex.getMessage().contains("bad.toml"));
    ex = assertThrows(VigilException.class, () -> Engine.load(dir.resolve("missing.engine")));
    assertEquals(VigilException.ENGINE_FILE, ex.code());
    assertThrows(VigilException.class, () -> Engine.fromBytes(new byte[] {1, 2, 3}));
    assertThrows(VigilException.class, () -> Engine.fromPackFile(dir.resolve("missing.toml")));
    Engine e = Engine.fromPackString(PACK_A, null, null);
    e.close();
    e.close();
    assertThrows(IllegalStateException.class, () -> e.scan("x"));
  }

  @Test
  void filesAndBytes(@TempDir Path dir) throws Exception {
    try (Engine e = Engine.fromPackString(PACK_A, "a", null)) {
      Path p = dir.resolve("a.engine");
      e.save(p);
      try (Engine l = Engine.load(p)) {
        assertEquals(e.packHash(), l.packHash());
        assertEquals(64, l.packHash().length());
      }
      try (Engine b = Engine.fromBytes(e.serialize())) {
        assertEquals("pack-a", b.packName());
        assertEquals("1", b.packVersion());
        assertEquals(1, b.ruleCount());
        assertEquals(Decision.BLOCK, b.scan("alphaword").decision());
      }
      Path pack = dir.resolve("b.toml");
      Files.writeString(pack, PACK_B);
      try (Engine nb = Engine.fromPackFile(pack, false)) {
        assertFalse(nb.supportsStreaming());
        assertTrue(e.supportsStreaming());
        VigilException ex = assertThrows(VigilException.class, nb::openStream);
        assertEquals(VigilException.STATE, ex.code());
      }
    }
    try (Engine d = Engine.defaultEngine()) {
      assertTrue(d.ruleCount() > 10);
    }
  }

  @Test
  void stream() {
    Engine e = Engine.fromPackString(PACK_A, "a", null);
    Stream s = e.openStream();
    e.close(); // the stream keeps the engine alive
    s.write("first al");
    s.write("pha".getBytes());
    s.write("word end");
    Verdict v = s.finish();
    assertEquals(Decision.BLOCK, v.decision());
    assertEquals(6, v.hits().get(0).start());
    assertThrows(IllegalStateException.class, () -> s.write("x"));
    s.close();
    try (Engine e2 = Engine.fromPackString(PACK_A, "a", null); Stream s2 = e2.openStream()) {
      s2.write("abandoned");
    }
  }

  @Test
  void holderSwapUnderLoad() throws Exception {
    try (Engine a = Engine.fromPackString(PACK_A, "a", null);
         Engine b = Engine.fromPackString(PACK_B, "b", null);
         Holder h = new Holder(a)) {
      try (Engine cur = h.engine()) {
        assertEquals("pack-a", cur.packName());
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong bad = new AtomicLong(), scans = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Runnable r = () -> {
          while (!stop.get()) {
            Verdict v = h.scan("alphaword");
            scans.incrementAndGet();
            boolean ok = v.hits().size() == 1
                && ((v.hits().get(0).rule().equals("a.alpha") && v.decision() == Decision.BLOCK)
                    || (v.hits().get(0).rule().equals("b.beta") && v.decision() == Decision.REVIEW));
            if (!ok) bad.incrementAndGet();
            List<Verdict> vs = h.scanBatch(List.of("alphaword", "alphaword"), 0);
            if (!vs.get(0).hits().get(0).rule().equals(vs.get(1).hits().get(0).rule())) bad.incrementAndGet();
          }
        };
        // half platform threads, half virtual threads
        threads.add(t % 2 == 0 ? Thread.ofPlatform().start(r) : Thread.ofVirtual().start(r));
      }
      for (int i = 0; i < 100; i++) {
        h.swap(i % 2 == 0 ? b : a);
        Thread.sleep(1);
      }
      stop.set(true);
      for (Thread t : threads) t.join();
      assertEquals(0, bad.get());
      assertTrue(scans.get() > 0);
    }
  }

  @Test
  void batchesMatchSingleScansAcrossBufferSizes() {
    try (Engine e = Engine.fromPackString(PACK_A, "a", null)) {
      String big = "x ".repeat(60_000) + "alphaword"; // larger than any initial buffer
      List<String> texts = List.of("é alphaword", big, "ü ✓", "", "alphaword ✓", big.substring(100_000));
      List<Verdict> batch = e.scanBatch(texts);
      List<byte[]> bytes = new ArrayList<>();
      for (String t : texts) bytes.add(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      List<Verdict> batchBytes = e.scanBatchBytes(bytes, 2);
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(e.scan(texts.get(i)), batch.get(i), "message " + i);
        assertEquals(batch.get(i), batchBytes.get(i), "message " + i);
      }
      assertEquals(120_000, batch.get(1).hits().get(0).start());
      assertEquals(3, batch.get(0).hits().get(0).start()); // "é" is two bytes
    }
  }

  @Test
  void longJsonLinesGrowTheRenderBuffer() {
    try (Engine e = Engine.fromPackString(PACK_A, "a", null)) {
      String text = "say alphaword", id = "é\"".repeat(3000); // escaped: 3 chars, 4 UTF-8 bytes
      // 12 000 bytes of id alone: more than the initial render buffer
      String line = e.scanJson(text, Id.string(id));
      assertEquals(9_000, line.indexOf("\",\"verdict\":\"block\"") - "{\"id\":\"".length());
      assertTrue(line.startsWith("{\"id\":\"é\\\"é") && line.endsWith("}"), line);
      assertEquals(line + "\n", e.scanBatchJsonl(List.of(text), List.of(Id.string(id)), 0));
      assertEquals(e.scanJson(text, Id.NULL).replace("null", "\"x\""), e.scanJson(text, Id.string("x")));
    }
  }

  @Test
  void virtualThreadPerMessage() throws Exception {
    try (Engine e = Engine.fromPackString(PACK_A, "a", null);
         var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        int k = i;
        results.add(pool.submit(() -> {
          String t = k % 2 == 0 ? "m" + k + " alphaword" : "m" + k;
          Verdict v = e.scan(t);
          if (!v.equals(e.scanBatch(List.of("x", t)).get(1))) return "batch differs for " + k;
          if ((k % 2 == 0) != (v.decision() == Decision.BLOCK)) return "wrong verdict for " + k;
          String json = e.scanJson(t, Id.number(Integer.toString(k)));
          return json.startsWith("{\"id\":" + k + ",") ? "" : "wrong JSON for " + k + ": " + json;
        }));
      }
      for (var r : results) assertEquals("", r.get());
      // a batch past what the pool keeps, then small scans again, on virtual threads
      String big = "z ".repeat(3_000_000) + "alphaword";
      for (int i = 0; i < 2; i++) {
        assertEquals(List.of(Decision.BLOCK, Decision.ALLOW), pool.submit(() ->
            e.scanBatch(List.of(big, "x")).stream().map(Verdict::decision).toList()).get());
        assertEquals(Decision.BLOCK, pool.submit(() -> e.scan("alphaword").decision()).get());
      }
    }
  }
}
