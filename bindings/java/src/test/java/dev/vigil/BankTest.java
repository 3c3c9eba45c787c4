package dev.vigil;

import static dev.vigil.HashTest.BRIDGE;
import static dev.vigil.HashTest.REF_BRIDGE;
import static dev.vigil.HashTest.ROTATED;
import static dev.vigil.HashTest.code;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankTest {
  static final String PDQ_A3 = "a" + REF_BRIDGE.substring(1); // 3 bits from REF_BRIDGE
  static Engine engine;

  @BeforeAll
  static void open() {
    engine = Engine.defaultEngine(false);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static String cli() {
    String cli = System.getenv("VIGIL_CLI");
    assumeTrue(cli != null && Files.exists(Path.of(cli)), "VIGIL_CLI not built");
    return cli;
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
  }

  @Test
  void loadErrorsNameTheLine(@TempDir Path dir) throws Exception {
    try (Bank bank = new Bank()) {
      String text = "# known images\n" + REF_BRIDGE + ",bridge\n" + REF_BRIDGE.substring(1) + ",short\n";
      VigilException e = code(VigilException.BANK,
          () -> bank.loadText(text, "upload", BankLoadOptions.DEFAULT.withSignal(Signal.PDQ)));
      assertEquals("VIGIL_E_BANK", e.codeName());
      assertTrue(e.getMessage().contains("upload:3:"), e.getMessage());
      assertEquals(0, bank.size());
      assertEquals(List.of(), bank.banks());
      e = code(VigilException.BANK, () -> bank.loadText(REF_BRIDGE + "\n", "ambiguous"));
      assertTrue(e.getMessage().contains("ambiguous:1:"), e.getMessage());
      Path bad = dir.resolve("bad.txt");
      Files.writeString(bad, "md5 " + "0".repeat(32) + " ok\nmd5 xyz broken\n");
      e = code(VigilException.BANK, () -> bank.loadFile(bad));
      assertTrue(e.getMessage().contains("bad.txt:2:"), e.getMessage());
      code(VigilException.BANK, () -> bank.loadFile(Path.of("/nonexistent/bank.txt")));
      assertThrows(IllegalArgumentException.class, () -> BankLoadOptions.DEFAULT.withRadius(-2));
    }
  }

  @Test
  void defineAddQuery(@TempDir Path dir) throws Exception {
    Bank bank = new Bank();
    try (bank) {
      Path f = dir.resolve("tve.csv");
      Files.writeString(f, "hash,label,signal_type\n" + REF_BRIDGE + ",\"bridge, photo\",pdq\n");
      bank.loadFile(f);
      assertEquals(List.of(new BankInfo("tve", Signal.PDQ, BankAction.BLOCK, 31, 1)), bank.banks());
      ScanVerdict v = bank.query(Signal.PDQ, PDQ_A3);
      assertEquals(Decision.BLOCK, v.decision());
      assertTrue(v.banksChecked());
      assertEquals(List.of(new BankHit("tve", Signal.PDQ, 3, "bridge, photo", BankAction.BLOCK, false, "")),
          v.bankHits());
      assertEquals(List.of(), bank.query(Signal.PDQ, PDQ_A3, 2).bankHits());
      bank.define("news", Signal.PDQ, BankAction.ALLOW, 0);
      bank.add("news", Hashes.fromHex(PDQ_A3), "press photo");
      v = bank.query(Signal.PDQ, PDQ_A3);
      assertEquals(Decision.ALLOW, v.decision());
      assertTrue(v.bankHits().get(0).suppressed());
      assertEquals("news", v.bankHits().get(1).bank());
      String js = bank.queryJson(Signal.PDQ, PDQ_A3, -1, Id.string("q"));
      assertTrue(js.startsWith("{\"id\":\"q\",\"verdict\":\"allow\"") && js.contains("\"suppressed\":true"), js);
      bank.define("texts", Signal.SIMHASH64, BankAction.REVIEW);
      bank.add("texts", Hashes.simhashHex(Hashes.simhash64("join the caravan")), "slogan");
      assertEquals(3, bank.size());
      assertEquals(Decision.REVIEW,
          bank.query(Signal.SIMHASH64, Hashes.simhashHex(Hashes.simhash64("JOIN the c@r@v@n"))).decision());
      code(VigilException.BANK, () -> bank.add("tve", "abc", ""));
      code(VigilException.BANK, () -> bank.add("nosuch", REF_BRIDGE, ""));
      code(VigilException.INVALID, () -> bank.add((String) null, REF_BRIDGE, "")); // three banks: which?
      code(VigilException.BANK, () -> bank.define("tve", Signal.MD5, BankAction.BLOCK));
      code(VigilException.HASH, () -> bank.query(Signal.PDQ, "xyz"));
      code(VigilException.INVALID, () -> bank.query(Signal.PDQ, REF_BRIDGE, -2));
    }
    assertThrows(IllegalStateException.class, bank::size);
  }

  @Test
  void scannerText() {
    try (Bank bank = new Bank()) {
      String md5 = Hashes.toHex(Hashes.digest(DigestKind.MD5, "hello world"));
      bank.loadText("md5 " + md5 + " greeting\n", "known", BankLoadOptions.DEFAULT.withAction(BankAction.REVIEW));
      try (Scanner s = new Scanner(engine, bank); Scanner noBanks = new Scanner(engine, null)) {
        ScanVerdict v = s.scan("hello world");
        assertEquals(Decision.REVIEW, v.decision());
        assertEquals(new BankHit("known", Signal.MD5, 0, "greeting", BankAction.REVIEW, false, ""),
            v.bankHits().get(0));
        assertTrue(s.scanJson("hello world", Id.number("1")).startsWith("{\"id\":1,\"verdict\":\"review\""));
        String plain = s.scanJson("a quiet afternoon", Id.string("x"));
        String rules = engine.scanJson("a quiet afternoon", Id.string("x"));
        assertEquals(rules.substring(0, rules.length() - 1) + ",\"bank_hits\":[]}", plain);
        assertFalse(noBanks.scan("hello world").banksChecked());
      }
    }
  }

  @Test
  void scannerImagesLikeTheCli(@TempDir Path dir) throws Exception {
    HashTest.needData();
    Path bankFile = dir.resolve("tve.txt");
    Files.writeString(bankFile, "pdq " + REF_BRIDGE + " bridge photo\n");
    try (Bank bank = new Bank()) {
      bank.loadFile(bankFile);
      try (Scanner s = new Scanner(engine, bank, ScannerOptions.DEFAULT.withDihedral(true))) {
        ScanVerdict v = s.scanFile(ROTATED);
        assertEquals(Decision.BLOCK, v.decision());
        assertFalse(v.bankHits().get(0).transform().isEmpty());
        byte[] data = Files.readAllBytes(ROTATED);
        String json = s.scanFileJson(ROTATED);
        assertEquals(json, s.scanBytesJson(data, Id.string(ROTATED.toString()), true));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(data)); // ImageIO's JPEG decoder differs slightly
        ScanVerdict px = s.scanImage(img, data);
        assertEquals(Decision.BLOCK, px.decision());
        assertTrue(px.bankHits().get(0).distance() <= 31);
        code(VigilException.IMAGE, () -> s.scanBytes(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1}));
        code(VigilException.IO, () -> s.scanFile(dir.resolve("missing.jpg")));
        assertEquals(run(cli(), "scan", "--dihedral", "--bank", bankFile.toString(), ROTATED.toString()), json);
      }
    }
  }

  @Test
  void scannerTextJsonLikeTheCli(@TempDir Path dir) throws Exception {
    Path msg = dir.resolve("msg.txt");
    Files.writeString(msg, "join the caravan today\n");
    Path bankFile = dir.resolve("known.txt");
    Files.writeString(bankFile, "sha256 " + Hashes.toHex(Hashes.digestFile(DigestKind.SHA256, msg)) + " known message\n");
    try (Bank bank = new Bank()) {
      bank.loadFile(bankFile);
      try (Scanner s = new Scanner(engine, bank)) {
        String json = s.scanFileJson(msg);
        assertTrue(json.contains("\"bank\":\"known\""), json);
        assertEquals(run(cli(), "scan", "--bank", bankFile.toString(), msg.toString()), json);
      }
    }
  }

  /** Scans on several threads while another adds entries; a scan after an add sees it. */
  @Test
  void bankGrowsWhileScanning() throws Exception {
    final int n = 200;
    try (Bank bank = new Bank()) {
      bank.define("grow", Signal.MD5, BankAction.BLOCK);
      try (Scanner s = new Scanner(engine, bank); ExecutorService pool = Executors.newFixedThreadPool(4)) {
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          final int seed = w;
          work.add(pool.submit(() -> {
            for (int i = 0; i < n; i++) s.scan("message " + ((i * 7 + seed) % n));
          }));
        }
        for (int i = 0; i < n; i++) bank.add("grow", Hashes.digest(DigestKind.MD5, "message " + i), "" + i);
        for (Future<?> f : work) f.get();
        assertEquals(n, bank.size());
        ScanVerdict v = s.scan("message 17");
        assertEquals(Decision.BLOCK, v.decision());
        assertEquals("17", v.bankHits().get(0).label());
      }
    }
  }

  @Test
  void useAfterClose() {
    Engine e = Engine.fromPackString(EngineTest.PACK_A, "test", null);
    Bank bank = new Bank();
    bank.define("k", Signal.MD5, BankAction.BLOCK);
    Scanner s = new Scanner(e, bank);
    bank.add("k", Hashes.digest(DigestKind.MD5, "known"), "");
    bank.close();
    bank.close();
    e.close();
    assertEquals(Decision.BLOCK, s.scan("known").decision()); // the scanner keeps both alive
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.scan("x"));
    assertThrows(IllegalStateException.class, () -> s.scanFile(BRIDGE));
    assertThrows(IllegalStateException.class, () -> bank.add("k", "00", ""));
    assertThrows(IllegalStateException.class, () -> bank.loadText("", "x"));
    assertThrows(IllegalStateException.class, () -> bank.query(Signal.MD5, "00"));
    assertThrows(IllegalStateException.class, bank::banks);
    assertThrows(IllegalStateException.class, () -> new Scanner(e, null));
  }

  /** Banks and scanners dropped without close() are freed by their Cleaners, in any order. */
  @Test
  void cleanersFreeForgottenHandles() throws Exception {
    for (int i = 0; i < 50; i++) {
      Bank bank = new Bank();
      bank.define("k", Signal.MD5, BankAction.BLOCK);
      new Scanner(engine, bank).scan("x");
    }
    System.gc();
    Thread.sleep(100);
    try (Scanner s = new Scanner(engine, null)) {
      assertEquals(Decision.ALLOW, s.scan("still scanning").decision());
    }
  }
}
