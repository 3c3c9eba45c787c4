package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading and rendering verdicts that carry bank hits (package-private). */
final class BankVerdicts {
  private BankVerdicts() {}

  /** VIGIL_JSON_ID_RAW and VIGIL_JSON_KEY_FILE. */
  private static final int JSON_ID_RAW = 1, JSON_KEY_FILE = 2;
  private static final long B_BANK = Native.off(HashNative.BANK_HIT_INFO, "bank");
  private static final long B_BANK_LEN = Native.off(HashNative.BANK_HIT_INFO, "bank_len");
  private static final long B_SIGNAL = Native.off(HashNative.BANK_HIT_INFO, "signal");
  private static final long B_DISTANCE = Native.off(HashNative.BANK_HIT_INFO, "distance");
  private static final long B_LABEL = Native.off(HashNative.BANK_HIT_INFO, "label");
  private static final long B_LABEL_LEN = Native.off(HashNative.BANK_HIT_INFO, "label_len");
  private static final long B_ACTION = Native.off(HashNative.BANK_HIT_INFO, "action");
  private static final long B_SUPPRESSED = Native.off(HashNative.BANK_HIT_INFO, "suppressed");
  private static final long B_TRANSFORM = Native.off(HashNative.BANK_HIT_INFO, "transform");

  /** Produces a verdict into *out (a pointer-sized segment); returns the rc. */
  @FunctionalInterface
  interface Call {
    int call(Arena arena, MemorySegment out) throws Throwable;
  }

  /** Run call, then hand its verdict to read and free it. */
  static <T> T with(Call call, Reader<T> read) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      Native.check(call.call(a, out));
      MemorySegment v = out.get(ADDRESS, 0);
      try {
        return read.read(v);
      } finally {
        Native.verdict_free.invokeExact(v);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  @FunctionalInterface
  interface Reader<T> {
    T read(MemorySegment verdict) throws Throwable;
  }

  static ScanVerdict convert(MemorySegment v) throws Throwable {
    Scratch s = Scratch.get();
    Verdict rules;
    try {
      Native.check((int) Native.verdict_get_summary.invokeExact(v, s.summary));
      rules = s.convert(v);
    } finally {
      s.release();
    }
    boolean checked = (int) HashNative.verdict_banks_checked.invokeExact(v) == 1;
    long n = (long) HashNative.verdict_bank_hit_count.invokeExact(v);
    List<BankHit> hits = new ArrayList<>((int) n);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment h = HashNative.struct(a, HashNative.BANK_HIT_INFO);
      for (long i = 0; i < n; i++) {
        Native.check((int) HashNative.verdict_get_bank_hit.invokeExact(v, i, h));
        hits.add(new BankHit(Native.str(h.get(ADDRESS, B_BANK), h.get(JAVA_LONG, B_BANK_LEN)),
            Signal.of(h.get(JAVA_INT, B_SIGNAL)), h.get(JAVA_INT, B_DISTANCE),
            Native.str(h.get(ADDRESS, B_LABEL), h.get(JAVA_LONG, B_LABEL_LEN)),
            BankAction.of(h.get(JAVA_INT, B_ACTION)), h.get(JAVA_INT, B_SUPPRESSED) != 0,
            Native.str(h.get(ADDRESS, B_TRANSFORM))));
      }
    }
    return new ScanVerdict(rules.decision(), rules, checked, List.copyOf(hits));
  }

  /** The CLI's JSON line of v; fileKey renders "file" instead of "id". */
  static String json(MemorySegment v, Id id, boolean fileKey) throws Throwable {
    try (Arena a = Arena.ofConfined()) {
      byte[] idBytes = id.kind == 0 ? null : id.text.getBytes(StandardCharsets.UTF_8);
      MemorySegment idSeg = idBytes == null ? MemorySegment.NULL : HashNative.copy(a, idBytes);
      long idLen = idBytes == null ? 0 : idBytes.length;
      int flags = (id.kind == 2 ? JSON_ID_RAW : 0) | (fileKey ? JSON_KEY_FILE : 0);
      MemorySegment out = a.allocate(ADDRESS), len = a.allocate(JAVA_LONG);
      Native.check((int) Native.verdict_json.invokeExact(v, idSeg, idLen, flags, out, len));
      MemorySegment p = out.get(ADDRESS, 0);
      try {
        return Native.str(p, len.get(JAVA_LONG, 0));
      } finally {
        Native.free.invokeExact(p);
      }
    }
  }
}
