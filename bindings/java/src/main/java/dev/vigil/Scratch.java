package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Per-thread native buffers for calls (no allocation per scan); freed with their thread. */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  static Scratch get() {
    return LOCAL.get();
  }

  private static final long H_RULE = Native.off(Native.HIT_INFO, "rule");
  private static final long H_RULE_LEN = Native.off(Native.HIT_INFO, "rule_len");
  private static final long H_CATEGORY = Native.off(Native.HIT_INFO, "category");
  private static final long H_CATEGORY_LEN = Native.off(Native.HIT_INFO, "category_len");
  private static final long H_WEIGHT = Native.off(Native.HIT_INFO, "weight");
  private static final long H_START = Native.off(Native.HIT_INFO, "start");
  private static final long H_END = Native.off(Native.HIT_INFO, "end");
  private static final long H_TEXT = Native.off(Native.HIT_INFO, "text");
  private static final long H_TEXT_LEN = Native.off(Native.HIT_INFO, "text_len");
  private static final long H_COMPOSITE = Native.off(Native.HIT_INFO, "composite");

  final Arena arena = Arena.ofAuto();
  final MemorySegment out = arena.allocate(ADDRESS);
  final MemorySegment out2 = arena.allocate(JAVA_LONG);
  final MemorySegment summary = arena.allocate(Native.SUMMARY);
  final MemorySegment hit = arena.allocate(Native.HIT_INFO);
  final MemorySegment batchOpts = arena.allocate(Native.BATCH_OPTIONS);
  private MemorySegment text = arena.allocate(4096);
  private MemorySegment longs = arena.allocate(JAVA_LONG, 1024);
  private MemorySegment ints = arena.allocate(JAVA_INT, 1024);
  private MemorySegment doubles = arena.allocate(JAVA_DOUBLE, 1024);

  private Scratch() {
    summary.set(JAVA_LONG, 0, Native.SUMMARY.byteSize());
    hit.set(JAVA_LONG, 0, Native.HIT_INFO.byteSize());
    batchOpts.set(JAVA_LONG, 0, Native.BATCH_OPTIONS.byteSize());
  }

  /** The bytes in native memory (a reused buffer, valid until the next call on this thread). */
  MemorySegment text(byte[] b) {
    if (b.length > text.byteSize()) text = Arena.ofAuto().allocate(Math.max(b.length, text.byteSize() * 2));
    MemorySegment.copy(b, 0, text, JAVA_BYTE, 0, b.length);
    return text;
  }

  MemorySegment textCapacity(long n) {
    if (n > text.byteSize()) text = Arena.ofAuto().allocate(Math.max(n, text.byteSize() * 2));
    return text;
  }

  MemorySegment longs(long n) {
    if (n > longs.byteSize() / 8) longs = Arena.ofAuto().allocate(JAVA_LONG, Math.max(n, longs.byteSize() / 4));
    return longs;
  }

  private MemorySegment summaries = arena.allocate(Native.SUMMARY, 1024);

  MemorySegment summaries(long n) {
    if (n > summaries.byteSize() / Native.SUMMARY.byteSize())
      summaries = Arena.ofAuto().allocate(Native.SUMMARY, Math.max(n, 2 * summaries.byteSize() / Native.SUMMARY.byteSize()));
    return summaries;
  }

  MemorySegment ints(long n) {
    if (n > ints.byteSize() / 4) ints = Arena.ofAuto().allocate(JAVA_INT, Math.max(n, ints.byteSize() / 2));
    return ints;
  }

  MemorySegment doubles(long n) {
    if (n > doubles.byteSize() / 8) doubles = Arena.ofAuto().allocate(JAVA_DOUBLE, Math.max(n, doubles.byteSize() / 4));
    return doubles;
  }

  /** Convert the libvigil verdict v (summary already in this.summary) to a Verdict. */
  Verdict convert(MemorySegment v) throws Throwable {
    int decision = summary.get(JAVA_INT, Native.SUM_DECISION);
    double score = summary.get(JAVA_DOUBLE, Native.SUM_SCORE);
    long cats = summary.get(JAVA_LONG, Native.SUM_CATS);
    long hits = summary.get(JAVA_LONG, Native.SUM_HITS);
    long invalid = summary.get(JAVA_LONG, Native.SUM_INVALID);
    if (decision == 0 && score == 0.0 && cats == 0 && hits == 0 && invalid == 0) return Verdict.ALLOW;
    return details(v, decision, score, cats, hits, invalid);
  }

  Verdict details(MemorySegment v, int decision, double score, long cats, long hits, long invalid)
      throws Throwable {
    List<Category> categories = List.of();
    if (cats > 0) {
      List<Category> cs = new ArrayList<>((int) cats);
      for (long i = 0; i < cats; i++) {
        String name = Native.str((MemorySegment) Native.verdict_category_name.invokeExact(v, i));
        double s = (double) Native.verdict_category_score.invokeExact(v, i);
        cs.add(new Category(name, s));
      }
      categories = List.copyOf(cs);
    }
    List<Hit> hitList = List.of();
    if (hits > 0) {
      List<Hit> hs = new ArrayList<>((int) hits);
      for (long i = 0; i < hits; i++) {
        int rc = (int) Native.verdict_get_hit.invokeExact(v, i, hit);
        Native.check(rc);
        hs.add(new Hit(
            Native.str(hit.get(ADDRESS, H_RULE), hit.get(JAVA_LONG, H_RULE_LEN)),
            Native.str(hit.get(ADDRESS, H_CATEGORY), hit.get(JAVA_LONG, H_CATEGORY_LEN)),
            hit.get(JAVA_DOUBLE, H_WEIGHT),
            hit.get(JAVA_LONG, H_START),
            hit.get(JAVA_LONG, H_END),
            Native.str(hit.get(ADDRESS, H_TEXT), hit.get(JAVA_LONG, H_TEXT_LEN)),
            hit.get(JAVA_INT, H_COMPOSITE) != 0));
      }
      hitList = List.copyOf(hs);
    }
    return new Verdict(Decision.of(decision), score, categories, hitList, invalid);
  }
}
