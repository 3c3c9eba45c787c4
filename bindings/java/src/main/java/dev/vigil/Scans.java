package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Scans shared by Engine and Holder (their C functions have the same shapes). */
final class Scans {
  private Scans() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** scan(handle, text, len, &out) + summary + convert + free. */
  static Verdict scan(boolean viaHolder, MemorySegment handle, byte[] text) {
    Scratch s = Scratch.get();
    try {
      MemorySegment buf = s.text(text);
      // Method handles must be constants (static finals) for the JIT to inline the downcall.
      int rc = viaHolder
          ? (int) Native.holder_scan.invokeExact(handle, buf, (long) text.length, s.out)
          : (int) Native.scan.invokeExact(handle, buf, (long) text.length, s.out);
      if (rc < 0) throw Native.error(rc);
      MemorySegment v = s.out.get(ADDRESS, 0);
      try {
        rc = (int) Native.verdict_get_summary.invokeExact(v, s.summary);
        Native.check(rc);
        return s.convert(v);
      } finally {
        Native.verdict_free.invokeExact(v);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Pack the texts into the scratch buffer + offsets; returns the number of messages. */
  private static int pack(Scratch s, List<byte[]> texts) {
    int n = texts.size();
    long total = 0;
    for (byte[] b : texts) total += b.length;
    MemorySegment data = s.textCapacity(Math.max(1, total));
    MemorySegment offsets = s.longs(n + 1L);
    long pos = 0;
    offsets.set(JAVA_LONG, 0, 0);
    for (int i = 0; i < n; i++) {
      byte[] b = texts.get(i);
      MemorySegment.copy(b, 0, data, JAVA_BYTE, pos, b.length);
      pos += b.length;
      offsets.setAtIndex(JAVA_LONG, i + 1, pos);
    }
    return n;
  }

  /** Run a packed batch scan and return the vigil_batch* (the caller frees it). */
  static MemorySegment batch(boolean viaHolder, MemorySegment handle, Scratch s, List<byte[]> texts,
                             int threads) throws Throwable {
    if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
    int n = pack(s, texts);
    s.batchOpts.set(JAVA_INT, BATCH_THREADS, threads);
    MemorySegment data = s.textCapacity(1), offsets = s.longs(n + 1L);
    int rc = viaHolder
        ? (int) Native.holder_scan_batch_packed.invokeExact(handle, data, offsets, (long) n, s.batchOpts, s.out)
        : (int) Native.scan_batch_packed.invokeExact(handle, data, offsets, (long) n, s.batchOpts, s.out);
    if (rc < 0) throw Native.error(rc);
    return s.out.get(ADDRESS, 0);
  }

  private static final long BATCH_THREADS = Native.off(Native.BATCH_OPTIONS, "threads");

  static List<Verdict> scanBatch(boolean viaHolder, MemorySegment handle, List<byte[]> texts, int threads) {
    Scratch s = Scratch.get();
    try {
      MemorySegment b = batch(viaHolder, handle, s, texts, threads);
      try {
        int n = texts.size();
        long stride = Native.SUMMARY.byteSize();
        MemorySegment sums = s.summaries(n);
        if (n > 0) sums.set(JAVA_LONG, 0, stride);
        Native.check((int) Native.batch_summaries.invokeExact(b, sums, (long) n));
        Verdict[] out = new Verdict[n];
        for (int i = 0; i < n; i++) {
          long at = i * stride;
          int d = sums.get(JAVA_INT, at + Native.SUM_DECISION);
          double score = sums.get(JAVA_DOUBLE, at + Native.SUM_SCORE);
          long cats = sums.get(JAVA_LONG, at + Native.SUM_CATS);
          long h = sums.get(JAVA_LONG, at + Native.SUM_HITS);
          long invalid = sums.get(JAVA_LONG, at + Native.SUM_INVALID);
          if (d == 0 && score == 0.0 && h == 0 && cats == 0 && invalid == 0) {
            out[i] = Verdict.ALLOW;
          } else {
            MemorySegment v = (MemorySegment) Native.batch_verdict.invokeExact(b, (long) i);
            out[i] = s.details(v, d, score, cats, h, invalid);
          }
        }
        return Arrays.asList(out);
      } finally {
        Native.batch_free.invokeExact(b);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The CLI's JSON line of one verdict into a String. */
  static String json(Scratch s, MemorySegment v, Id id) throws Throwable {
    byte[] idBytes = id.kind == 0 ? null : utf8(id.text);
    MemorySegment idSeg = MemorySegment.NULL;
    long idLen = 0;
    try (var arena = java.lang.foreign.Arena.ofConfined()) {
      if (idBytes != null) {
        idSeg = arena.allocate(Math.max(1, idBytes.length));
        MemorySegment.copy(idBytes, 0, idSeg, JAVA_BYTE, 0, idBytes.length);
        idLen = idBytes.length;
      }
      int flags = id.kind == 2 ? 1 : 0;
      int rc = (int) Native.verdict_json.invokeExact(v, idSeg, idLen, flags, s.out, s.out2);
      if (rc < 0) throw Native.error(rc);
      MemorySegment p = s.out.get(ADDRESS, 0);
      long len = s.out2.get(JAVA_LONG, 0);
      try {
        return Native.str(p, len);
      } finally {
        Native.free.invokeExact(p);
      }
    }
  }

  static String scanJson(MemorySegment handle, byte[] text, Id id) {
    Scratch s = Scratch.get();
    try {
      int rc = (int) Native.scan.invokeExact(handle, s.text(text), (long) text.length, s.out);
      if (rc < 0) throw Native.error(rc);
      MemorySegment v = s.out.get(ADDRESS, 0);
      try {
        return json(s, v, id);
      } finally {
        Native.verdict_free.invokeExact(v);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static String scanBatchJsonl(MemorySegment handle, List<byte[]> texts,
                               List<Id> ids, int threads) {
    if (ids != null && ids.size() != texts.size())
      throw new IllegalArgumentException("ids.size() != texts.size()");
    Scratch s = Scratch.get();
    try {
      MemorySegment b = batch(false, handle, s, texts, threads);
      try {
        StringBuilder sb = new StringBuilder(texts.size() * 80);
        for (int i = 0; i < texts.size(); i++) {
          MemorySegment v = (MemorySegment) Native.batch_verdict.invokeExact(b, (long) i);
          sb.append(json(s, v, ids == null ? Id.NULL : ids.get(i))).append('\n');
        }
        return sb.toString();
      } finally {
        Native.batch_free.invokeExact(b);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static List<byte[]> encode(List<String> texts) {
    List<byte[]> out = new ArrayList<>(texts.size());
    for (String t : texts) out.add(utf8(t));
    return out;
  }
}
