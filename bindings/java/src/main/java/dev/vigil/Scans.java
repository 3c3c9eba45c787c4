package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

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
    } finally {
      s.release();
    }
  }

  /** Encode the texts as UTF-8 straight into the scratch text buffer, their end offsets into
   * the scratch longs; returns the number of messages. */
  private static int packStrings(Scratch s, List<String> texts) {
    MemorySegment offsets = s.longs(texts.size() + 1L);
    offsets.set(JAVA_LONG, 0, 0);
    MemorySegment data = s.textCapacity(1);
    long pos = 0;
    int i = 0;
    for (String t : texts) {
      byte[] b = utf8(t);
      if (pos + b.length > data.byteSize()) data = s.textKeeping(pos + b.length, pos);
      MemorySegment.copy(b, 0, data, JAVA_BYTE, pos, b.length);
      pos += b.length;
      offsets.setAtIndex(JAVA_LONG, ++i, pos);
    }
    return i;
  }

  /** As packStrings, for texts given as bytes. */
  private static int packBytes(Scratch s, List<byte[]> texts) {
    long total = 0;
    for (byte[] b : texts) total += b.length;
    MemorySegment data = s.textCapacity(Math.max(1, total));
    MemorySegment offsets = s.longs(texts.size() + 1L);
    offsets.set(JAVA_LONG, 0, 0);
    long pos = 0;
    int i = 0;
    for (byte[] b : texts) {
      MemorySegment.copy(b, 0, data, JAVA_BYTE, pos, b.length);
      pos += b.length;
      offsets.setAtIndex(JAVA_LONG, ++i, pos);
    }
    return i;
  }

  private static void checkThreads(int threads) {
    if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
  }

  /** Scan the n messages packed in the scratch buffers; returns the vigil_batch* (the caller
   * frees it). */
  private static MemorySegment runBatch(boolean viaHolder, MemorySegment handle, Scratch s, int n,
                                        int threads) throws Throwable {
    s.batchOpts.set(JAVA_INT, BATCH_THREADS, threads);
    MemorySegment data = s.textCapacity(1), offsets = s.longs(n + 1L);
    int rc = viaHolder
        ? (int) Native.holder_scan_batch_packed.invokeExact(handle, data, offsets, (long) n, s.batchOpts, s.out)
        : (int) Native.scan_batch_packed.invokeExact(handle, data, offsets, (long) n, s.batchOpts, s.out);
    if (rc < 0) throw Native.error(rc);
    return s.out.get(ADDRESS, 0);
  }

  private static final long BATCH_THREADS = Native.off(Native.BATCH_OPTIONS, "threads");

  static List<Verdict> scanBatch(boolean viaHolder, MemorySegment handle, List<String> texts,
                                 int threads) {
    return scanPacked(viaHolder, handle, threads, s -> packStrings(s, texts));
  }

  static List<Verdict> scanBatchBytes(boolean viaHolder, MemorySegment handle, List<byte[]> texts,
                                      int threads) {
    return scanPacked(viaHolder, handle, threads, s -> packBytes(s, texts));
  }

  /** Pack the messages with `pack` (which returns their number) and scan them as one batch. */
  private static List<Verdict> scanPacked(boolean viaHolder, MemorySegment handle, int threads,
                                          ToIntFunction<Scratch> pack) {
    checkThreads(threads);
    Scratch s = Scratch.get();
    try {
      int n = pack.applyAsInt(s);
      return verdicts(s, runBatch(viaHolder, handle, s, n, threads), n);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      s.release();
    }
  }

  /** The batch's n verdicts as Verdicts (plain allows share one object); frees the batch. */
  private static List<Verdict> verdicts(Scratch s, MemorySegment b, int n) throws Throwable {
    try {
      long stride = Native.SUMMARY.byteSize();
      MemorySegment sums = s.summaries(Math.max(1, n));
      sums.set(JAVA_LONG, 0, stride);
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
  }

  /** The CLI's JSON line of one verdict into a String, rendered into a Java array. */
  static String json(Scratch s, MemorySegment v, Id id) throws Throwable {
    byte[] idBytes = id.kind == 0 ? null : utf8(id.text);
    MemorySegment idSeg = idBytes == null ? MemorySegment.NULL : MemorySegment.ofArray(idBytes);
    long idLen = idBytes == null ? 0 : idBytes.length;
    int flags = id.kind == 2 ? 1 : 0;
    while (true) {
      byte[] buf = s.jsonBuffer;
      int rc = (int) Native.verdict_json_into_heap.invokeExact(v, idSeg, idLen, flags,
          MemorySegment.ofArray(buf), (long) buf.length, s.out2);
      long len = s.out2.get(JAVA_LONG, 0);
      if (rc == VigilException.BUFFER_TOO_SMALL) {
        s.jsonBuffer = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(len + 1, 2L * buf.length))];
        continue;
      }
      if (rc < 0) throw Native.error(rc);
      return new String(buf, 0, (int) len, StandardCharsets.UTF_8);
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
    } finally {
      s.release();
    }
  }

  static String scanBatchJsonl(MemorySegment handle, List<String> texts, List<Id> ids, int threads) {
    if (ids != null && ids.size() != texts.size())
      throw new IllegalArgumentException("ids.size() != texts.size()");
    checkThreads(threads);
    Scratch s = Scratch.get();
    try {
      int n = packStrings(s, texts);
      MemorySegment b = runBatch(false, handle, s, n, threads);
      try {
        StringBuilder sb = new StringBuilder(n * 80);
        for (int i = 0; i < n; i++) {
          MemorySegment v = (MemorySegment) Native.batch_verdict.invokeExact(b, (long) i);
          sb.append(json(s, v, ids == null ? Id.NULL : ids.get(i))).append('\n');
        }
        return sb.toString();
      } finally {
        Native.batch_free.invokeExact(b);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      s.release();
    }
  }
}
