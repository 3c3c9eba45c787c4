package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The downcall handles of vigil.h and the layouts of its structs (package-private). */
final class Native {
  private Native() {}

  static final Linker LINKER = Linker.nativeLinker();
  static final SymbolLookup LIB = load();

  /** -Dvigil.library=PATH, else $VIGIL_LIB, else libvigil.so.0 from the system library path. */
  private static SymbolLookup load() {
    String path = System.getProperty("vigil.library");
    if (path == null || path.isEmpty()) path = System.getenv("VIGIL_LIB");
    if (path != null && !path.isEmpty()) {
      if (!Files.exists(Path.of(path)))
        throw new UnsatisfiedLinkError("vigil: libvigil not found at " + path);
      return SymbolLookup.libraryLookup(Path.of(path), Arena.global());
    }
    try {
      return SymbolLookup.libraryLookup("libvigil.so.0", Arena.global());
    } catch (IllegalArgumentException e) {
      return SymbolLookup.libraryLookup("libvigil.so", Arena.global());
    }
  }

  private static MethodHandle h(String name, MemoryLayout ret, MemoryLayout... args) {
    return link(name, ret, args);
  }

  /**
   * A "critical" downcall: no thread-state transition around the call, which saves a few ns
   * per call but holds off the JVM's safepoints (GC) until it returns. Only for functions
   * that finish in a bounded, short time and never block: reading and freeing verdicts.
   */
  private static MethodHandle quick(String name, MemoryLayout ret, MemoryLayout... args) {
    return link(name, ret, args, Linker.Option.critical(false));
  }

  /** As {@link #quick}, and the function may be given heap segments (Java arrays, no copy). */
  private static MethodHandle quickHeap(String name, MemoryLayout ret, MemoryLayout... args) {
    return link(name, ret, args, Linker.Option.critical(true));
  }

  private static MethodHandle link(String name, MemoryLayout ret, MemoryLayout[] args,
                                   Linker.Option... options) {
    MemorySegment sym = LIB.find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("vigil: libvigil lacks " + name));
    FunctionDescriptor fd = ret == null ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(ret, args);
    return LINKER.downcallHandle(sym, fd, options);
  }

  static final MemoryLayout SIZE_T = JAVA_LONG;

  static final StructLayout ENGINE_OPTIONS = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), JAVA_INT.withName("streaming"), MemoryLayout.paddingLayout(4));
  static final StructLayout BATCH_OPTIONS = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), JAVA_INT.withName("threads"), MemoryLayout.paddingLayout(4));
  static final StructLayout SUMMARY = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), JAVA_INT.withName("decision"), MemoryLayout.paddingLayout(4),
      JAVA_DOUBLE.withName("score"), SIZE_T.withName("category_count"),
      SIZE_T.withName("hit_count"), JAVA_LONG.withName("invalid_bytes"));
  static final long SUM_DECISION = SUMMARY.byteOffset(MemoryLayout.PathElement.groupElement("decision"));
  static final long SUM_SCORE = SUMMARY.byteOffset(MemoryLayout.PathElement.groupElement("score"));
  static final long SUM_CATS = SUMMARY.byteOffset(MemoryLayout.PathElement.groupElement("category_count"));
  static final long SUM_HITS = SUMMARY.byteOffset(MemoryLayout.PathElement.groupElement("hit_count"));
  static final long SUM_INVALID = SUMMARY.byteOffset(MemoryLayout.PathElement.groupElement("invalid_bytes"));
  static final StructLayout HIT_INFO = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), ADDRESS.withName("rule"), SIZE_T.withName("rule_len"),
      ADDRESS.withName("category"), SIZE_T.withName("category_len"), JAVA_DOUBLE.withName("weight"),
      JAVA_LONG.withName("start"), JAVA_LONG.withName("end"), ADDRESS.withName("text"),
      SIZE_T.withName("text_len"), JAVA_INT.withName("composite"), MemoryLayout.paddingLayout(4));

  static long off(StructLayout l, String field) {
    return l.byteOffset(MemoryLayout.PathElement.groupElement(field));
  }

  // version, errors, memory
  static final MethodHandle version_string = h("vigil_version_string", ADDRESS);
  static final MethodHandle version_number = h("vigil_version_number", JAVA_INT);
  static final MethodHandle matcher_version = h("vigil_matcher_version", ADDRESS);
  static final MethodHandle last_error = h("vigil_last_error", ADDRESS);
  static final MethodHandle error_name = h("vigil_error_name", ADDRESS, JAVA_INT);
  static final MethodHandle free = h("vigil_free", null, ADDRESS);
  static final MethodHandle default_pack = h("vigil_default_pack", ADDRESS, ADDRESS);
  // engines
  static final MethodHandle engine_open_default = h("vigil_engine_open_default", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle engine_open_pack_file = h("vigil_engine_open_pack_file", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle engine_open_pack_string = h("vigil_engine_open_pack_string", JAVA_INT,
      ADDRESS, SIZE_T, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle engine_open_file = h("vigil_engine_open_file", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle engine_open_bytes = h("vigil_engine_open_bytes", JAVA_INT, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle engine_free = h("vigil_engine_free", null, ADDRESS);
  static final MethodHandle engine_serialize = h("vigil_engine_serialize", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle engine_save = h("vigil_engine_save", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle engine_pack_name = h("vigil_engine_pack_name", ADDRESS, ADDRESS);
  static final MethodHandle engine_pack_version = h("vigil_engine_pack_version", ADDRESS, ADDRESS);
  static final MethodHandle engine_pack_hash = h("vigil_engine_pack_hash", ADDRESS, ADDRESS);
  static final MethodHandle engine_rule_count = h("vigil_engine_rule_count", SIZE_T, ADDRESS);
  static final MethodHandle engine_supports_streaming = h("vigil_engine_supports_streaming", JAVA_INT, ADDRESS);
  // scans and verdicts
  static final MethodHandle scan = h("vigil_scan", JAVA_INT, ADDRESS, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle verdict_free = quick("vigil_verdict_free", null, ADDRESS);
  static final MethodHandle verdict_get_summary = quick("vigil_verdict_get_summary", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle verdict_get_hit = quick("vigil_verdict_get_hit", JAVA_INT, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle verdict_category_name = quick("vigil_verdict_category_name", ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle verdict_category_score = quick("vigil_verdict_category_score", JAVA_DOUBLE, ADDRESS, SIZE_T);
  static final MethodHandle verdict_invalid_bytes = h("vigil_verdict_invalid_bytes", JAVA_LONG, ADDRESS);
  static final MethodHandle verdict_json = h("vigil_verdict_json", JAVA_INT, ADDRESS, ADDRESS, SIZE_T, JAVA_INT, ADDRESS, ADDRESS);
  /** vigil_verdict_json_into rendering into a Java array (bounded work: one verdict). */
  static final MethodHandle verdict_json_into_heap = quickHeap("vigil_verdict_json_into", JAVA_INT,
      ADDRESS, ADDRESS, SIZE_T, JAVA_INT, ADDRESS, SIZE_T, ADDRESS);
  // batches
  static final MethodHandle scan_batch_packed = h("vigil_scan_batch_packed", JAVA_INT,
      ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
  static final MethodHandle batch_free = h("vigil_batch_free", null, ADDRESS);
  static final MethodHandle batch_size = h("vigil_batch_size", SIZE_T, ADDRESS);
  static final MethodHandle batch_verdict = quick("vigil_batch_verdict", ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle batch_decisions = h("vigil_batch_decisions", JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle batch_scores = h("vigil_batch_scores", JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle batch_hit_counts = h("vigil_batch_hit_counts", JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle batch_summaries = h("vigil_batch_summaries", JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  // streams
  static final MethodHandle stream_open = h("vigil_stream_open", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle stream_write = h("vigil_stream_write", JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle stream_close = h("vigil_stream_close", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle stream_free = h("vigil_stream_free", null, ADDRESS);
  // holders
  static final MethodHandle holder_create = h("vigil_holder_create", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle holder_free = h("vigil_holder_free", null, ADDRESS);
  static final MethodHandle holder_swap = h("vigil_holder_swap", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle holder_engine = h("vigil_holder_engine", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle holder_scan = h("vigil_holder_scan", JAVA_INT, ADDRESS, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle holder_scan_batch_packed = h("vigil_holder_scan_batch_packed", JAVA_INT,
      ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);

  /** A NUL-terminated C string (static or owned by libvigil) as a Java String. */
  static String str(MemorySegment p) {
    if (p.equals(MemorySegment.NULL)) return null;
    return p.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
  }

  static String str(MemorySegment p, long len) {
    if (len == 0) return "";
    byte[] b = p.reinterpret(len).toArray(JAVA_BYTE);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Raise the VigilException of a failed call (rc < 0) made on this thread. */
  static VigilException error(int rc) {
    try {
      String name = str((MemorySegment) error_name.invokeExact(rc));
      String msg = str((MemorySegment) last_error.invokeExact());
      return new VigilException(rc, name, msg);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static void check(int rc) {
    if (rc < 0) throw error(rc);
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
