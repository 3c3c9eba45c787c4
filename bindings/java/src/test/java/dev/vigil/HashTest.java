package dev.vigil;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashTest {
  static final Path SHARED = Path.of(System.getenv().getOrDefault("VIGIL_SHARED_DIR", "../../../shared"));
  static final Path PDQ_DIR = SHARED.resolve("testdata/pdq");
  static final Path BRIDGE = PDQ_DIR.resolve("upstream/data/reg-test-input/dih/bridge-1-original.jpg");
  static final Path ROTATED = PDQ_DIR.resolve("upstream/data/reg-test-input/dih/bridge-2-rotate-90.jpg");
  static final Path BRIDGE_PNG = PDQ_DIR.resolve("decoded/data/reg-test-input/dih/bridge-1-original.png");
  static final String REF_BRIDGE = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

  static void needData() {
    assumeTrue(Files.exists(BRIDGE), "shared/testdata/pdq absent");
  }

  static VigilException code(int code, Runnable r) {
    VigilException e = assertThrows(VigilException.class, r::run);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  @Test
  void digestsKnownVectors(@TempDir Path dir) throws Exception {
    assertEquals("900150983cd24fb0d6963f7d28e17f72", Hashes.toHex(Hashes.digest(DigestKind.MD5, "abc")));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Hashes.toHex(Hashes.digest(DigestKind.SHA256, "abc")));
    assertEquals("99aa06d3014798d86001c324468d497f", Hashes.toHex(Hashes.digest(DigestKind.XXH3_128, new byte[0])));
    byte[] data = "abc".repeat(100000).getBytes();
    Path f = dir.resolve("data.bin");
    Files.write(f, data);
    List<DigestKind> kinds = DigestKind.all();
    assertTrue(kinds.size() >= 3, kinds.toString());
    for (DigestKind k : kinds) { // every kind the library knows, including ones added later
      byte[] mem = Hashes.digest(k, data);
      assertEquals(k.size(), mem.length);
      assertArrayEquals(mem, Hashes.digestFile(k, f), k.toString());
      assertEquals(k, DigestKind.byName(k.name()));
    }
    assertEquals(DigestKind.XXH3_128, DigestKind.byName("xxh3"));
    assertThrows(IllegalArgumentException.class, () -> DigestKind.byName("sha1"));
    code(VigilException.INVALID, () -> Hashes.digest(new DigestKind(999), data));
    VigilException e = code(VigilException.IO, () -> Hashes.digestFile(DigestKind.SHA256, dir.resolve("missing")));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
    assertEquals("VIGIL_E_IO", e.codeName());
  }

  @Test
  void hexAndDistance() {
    assertArrayEquals(new byte[] {0, (byte) 0xff, (byte) 0xab}, Hashes.fromHex("00FFab"));
    assertEquals("00ffab", Hashes.toHex(Hashes.fromHex("00ffab")));
    assertEquals(0, Hashes.fromHex("").length);
    code(VigilException.HASH, () -> Hashes.fromHex("abc"));
    code(VigilException.HASH, () -> Hashes.fromHex("zz"));
    assertEquals(1, Hashes.distance(Hashes.fromHex("00ff"), Hashes.fromHex("01ff")));
    byte[] ones = new byte[32];
    java.util.Arrays.fill(ones, (byte) 0xff);
    assertEquals(256, Hashes.distance(new byte[32], ones));
    assertThrows(IllegalArgumentException.class, () -> Hashes.distance(new byte[1], new byte[2]));
  }

  @Test
  void textSketches() {
    assertTrue(Hashes.normalize("JOIN the c@r@v@n!!").startsWith("join the caravan"));
    long a = Hashes.simhash64("JOIN the c@r@v@n!!");
    assertEquals(a, Hashes.simhash64("join the caravan"));
    assertNotEquals(0, a);
    assertEquals(0, Hashes.simhash64(""));
    assertEquals(16, Hashes.simhashHex(a).length());
    code(VigilException.INVALID, () -> Hashes.simhash64("x", -1));
    int[] m = Hashes.minhash("JOIN the c@r@v@n today");
    assertEquals(Hashes.MINHASH_SLOTS, m.length);
    assertEquals(1.0, Hashes.minhashSimilarity(m, Hashes.minhash("join the caravan today")));
    assertTrue(Hashes.minhashSimilarity(m, Hashes.minhash("tea in the garden at noon")) < 0.2);
    assertThrows(IllegalArgumentException.class,
        () -> Hashes.minhashSimilarity(m, java.util.Arrays.copyOf(m, 10)));
  }

  record Row(String png, String hash, int quality) {}

  static List<Row> referenceRows() throws Exception {
    Path csv = PDQ_DIR.resolve("expected_hashes.csv");
    assumeTrue(Files.exists(csv), "expected_hashes.csv absent");
    List<String> lines = Files.readAllLines(csv);
    Map<String, Integer> col = new HashMap<>();
    String[] header = lines.get(0).split(",", -1);
    for (int i = 0; i < header.length; i++) col.put(header[i], i);
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1); // the file has no quoted fields
      assertEquals(header.length, f.length, line);
      String png = f[col.get("decoded_png")];
      if (!png.isEmpty())
        rows.add(new Row(png, f[col.get("ref_hash")], Integer.parseInt(f[col.get("ref_quality")])));
    }
    return rows;
  }

  /** Every decoded reference PNG, decoded by ImageIO, hashes to the reference hash and
   * quality from its pixels, its bytes and its file. */
  @Test
  void pdqReferencePngs() throws Exception {
    List<Row> rows = referenceRows();
    assertFalse(rows.isEmpty());
    for (Row row : rows) {
      Path path = PDQ_DIR.resolve(row.png());
      byte[] data = Files.readAllBytes(path);
      BufferedImage img = ImageIO.read(path.toFile());
      PdqHash h = Pdq.of(img);
      assertEquals(row.hash() + " q" + row.quality(), h.hex() + " q" + h.quality(), row.png() + " type " + img.getType());
      assertEquals(h, Pdq.ofImageBytes(data), row.png());
      assertEquals(h, Pdq.ofFile(path), row.png());
    }
  }

  @Test
  void pdqImageTypesAndRawPixels() throws Exception {
    needData();
    BufferedImage img = ImageIO.read(BRIDGE_PNG.toFile());
    PdqHash want = Pdq.of(img);
    int w = img.getWidth(), h = img.getHeight();
    BufferedImage argb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    BufferedImage bgr = new BufferedImage(w + 5, h + 3, BufferedImage.TYPE_3BYTE_BGR);
    for (BufferedImage dst : List.of(argb, bgr)) {
      Graphics2D g = dst.createGraphics();
      g.drawImage(img, dst == bgr ? 5 : 0, dst == bgr ? 3 : 0, null);
      g.dispose();
    }
    assertEquals(want, Pdq.of(argb));
    assertEquals(want, Pdq.of(bgr.getSubimage(5, 3, w, h)), "sub-image of a 3-byte BGR image");
    int[] px = argb.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgba = new byte[w * h * 4 + 16];
    for (int i = 0; i < px.length; i++) {
      rgba[16 + 4 * i] = (byte) (px[i] >> 16);
      rgba[16 + 4 * i + 1] = (byte) (px[i] >> 8);
      rgba[16 + 4 * i + 2] = (byte) px[i];
      rgba[16 + 4 * i + 3] = (byte) 0xff;
    }
    assertEquals(want, Pdq.ofPixels(new Pixels(rgba, 16, w, h, w * 4, PixelFormat.RGBA8)));
    BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] greyBytes = ((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < px.length; i++) {
      int r = (px[i] >> 16) & 0xff, gg = (px[i] >> 8) & 0xff, b = px[i] & 0xff;
      greyBytes[i] = (byte) ((299 * r + 587 * gg + 114 * b) / 1000);
    }
    PdqHash g = Pdq.of(grey);
    assertTrue(Hashes.distance(g.hash(), want.hash()) <= 31);
    assertEquals(g, Pdq.ofPixels(new Pixels(greyBytes, w, h, PixelFormat.GREY8)));
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(grey, "png", png);
    assertEquals(g, Pdq.ofImageBytes(png.toByteArray()));
  }

  @Test
  void pdqDihedralAndOptions() {
    needData();
    PdqHash h = Pdq.ofFile(BRIDGE, PdqOptions.DEFAULT.withDihedral(true));
    assertEquals(100, h.quality());
    assertTrue(Hashes.distance(h.hash(), Hashes.fromHex(REF_BRIDGE)) <= 10);
    assertEquals(List.of("orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipp", "flipm"), Pdq.DIHEDRALS);
    assertArrayEquals(h.hash(), h.dihedral("orig"));
    assertTrue(Hashes.distance(Pdq.ofFile(ROTATED).hash(), h.dihedral("rot90")) <= 31);
    PdqHash full = Pdq.ofFile(BRIDGE, PdqOptions.DEFAULT.withSquash(false));
    assertNotEquals(h, full);
    assertNull(full.dihedral());
    code(VigilException.IMAGE, () -> Pdq.ofFile(BRIDGE, PdqOptions.DEFAULT.withMaxPixels(1000)));
  }

  @Test
  void pdqBadInput(@TempDir Path dir) {
    code(VigilException.IMAGE, () -> Pdq.ofImageBytes("not an image".getBytes()));
    code(VigilException.IMAGE, () -> Pdq.ofPixels(new Pixels(new byte[10], 16, 16, PixelFormat.GREY8)));
    code(VigilException.IMAGE, () -> Pdq.ofPixels(new Pixels(new byte[256], 0, 16, 16, 32, PixelFormat.GREY8)));
    code(VigilException.IO, () -> Pdq.ofFile(dir.resolve("missing.png")));
    assertThrows(IllegalArgumentException.class, () -> new Pixels(new byte[4], 9, 1, 1, 0, PixelFormat.GREY8));
    PdqHash tiny = Pdq.ofPixels(new Pixels(new byte[16], 4, 4, PixelFormat.GREY8));
    assertEquals(0, tiny.quality());
    assertArrayEquals(new byte[32], tiny.hash());
  }
}
