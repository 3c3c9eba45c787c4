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
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Native buffers for calls, so that a scan allocates no native memory. Use as
 * {@code Scratch s = Scratch.get(); try { ... } finally { s.release(); }}: a platform thread
 * keeps its own (freed with the thread); virtual threads, often one per request and short-lived,
 * borrow from a shared pool instead, since building a Scratch costs several µs.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(() -> new Scratch(false));
  private static final ArrayBlockingQueue<Scratch> POOL = new ArrayBlockingQueue<>(64);
  /** A pooled Scratch whose buffers grew past this goes back to the GC, not to the pool. */
  private static final long POOL_KEEP_BYTES = 1 << 22;

  private final boolean pooled;

  static Scratch get() {
    if (!Thread.currentThread().isVirtual()) return LOCAL.get();
    Scratch s = POOL.poll();
    return s != null ? s : new Scratch(true);
  }

  /** Done with it (the thread's own: nothing to do; a pooled one goes back). */
  void release() {
    if (pooled && text.byteSize() + longs.byteSize() + summaries.byteSize() <= POOL_KEEP_BYTES)
      POOL.offer(this);
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
  /** Where JSON lines are rendered (grown when a verdict's JSON does not fit). */
  byte[] jsonBuffer = new byte[1024];
  // Grown on demand (a thread that only scans single messages never needs big buffers).
  private MemorySegment text = MemorySegment.NULL;
  private MemorySegment longs = MemorySegment.NULL;
  private MemorySegment summaries = MemorySegment.NULL;

  private Scratch(boolean pooled) {
    this.pooled = pooled;
    summary.set(JAVA_LONG, 0, Native.SUMMARY.byteSize());
    hit.set(JAVA_LONG, 0, Native.HIT_INFO.byteSize());
    batchOpts.set(JAVA_LONG, 0, Native.BATCH_OPTIONS.byteSize());
  }

  /** A native block of at least bytes (never shrinks), from a fresh automatic arena. */
  private static MemorySegment grown(MemorySegment old, long bytes) {
    return Arena.ofAuto().allocate(Math.max(Math.max(bytes, 2 * old.byteSize()), 4096), 8);
  }

  /** The bytes in native memory (a reused buffer, valid until the next call on this thread). */
  MemorySegment text(byte[] b) {
    MemorySegment t = textCapacity(Math.max(1, b.length));
    MemorySegment.copy(b, 0, t, JAVA_BYTE, 0, b.length);
    return t;
  }

  /** The text buffer with room for n bytes (its old content is not kept). */
  MemorySegment textCapacity(long n) {
    if (n > text.byteSize()) text = grown(text, n);
    return text;
  }

  /** The text buffer with room for n bytes, keeping its first used bytes. */
  MemorySegment textKeeping(long n, long used) {
    if (n > text.byteSize()) {
      MemorySegment bigger = grown(text, n);
      MemorySegment.copy(text, 0, bigger, 0, used);
      text = bigger;
    }
    return text;
  }

  MemorySegment longs(long n) {
    if (n * 8 > longs.byteSize()) longs = grown(longs, n * 8);
    return longs;
  }

  MemorySegment summaries(long n) {
    long bytes = n * Native.SUMMARY.byteSize();
    if (bytes > summaries.byteSize()) summaries = grown(summaries, bytes);
    return summaries;
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
