package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * The downcall handles and struct layouts of vigil.h's hashes, banks and scanners
 * (package-private; the engine's are in {@link Native}).
 */
final class HashNative {
  private HashNative() {}

  private static final MemoryLayout SIZE_T = Native.SIZE_T;

  private static MethodHandle h(String name, MemoryLayout ret, MemoryLayout... args) {
    MemorySegment sym = Native.LIB.find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("vigil: libvigil lacks " + name));
    FunctionDescriptor fd = ret == null ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(ret, args);
    return Native.LINKER.downcallHandle(sym, fd);
  }

  static final StructLayout PDQ_OPTIONS = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), JAVA_INT.withName("squash"), JAVA_INT.withName("dihedral"),
      JAVA_LONG.withName("max_pixels"));
  static final StructLayout PDQ_RESULT = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), MemoryLayout.sequenceLayout(32, JAVA_BYTE).withName("hash"),
      JAVA_INT.withName("quality"), JAVA_INT.withName("has_dihedral"),
      MemoryLayout.sequenceLayout(8 * 32, JAVA_BYTE).withName("dihedral"));
  static final StructLayout IMAGE = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), ADDRESS.withName("data"), SIZE_T.withName("size"),
      JAVA_INT.withName("width"), JAVA_INT.withName("height"), SIZE_T.withName("stride"),
      JAVA_INT.withName("format"), MemoryLayout.paddingLayout(4));
  static final StructLayout BANK_LOAD_OPTIONS = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), JAVA_INT.withName("action"), JAVA_INT.withName("signal"),
      ADDRESS.withName("bank"), JAVA_INT.withName("radius"), JAVA_INT.withName("min_quality"));
  static final StructLayout BANK_INFO = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), ADDRESS.withName("name"), JAVA_INT.withName("signal"),
      JAVA_INT.withName("action"), JAVA_INT.withName("radius"), MemoryLayout.paddingLayout(4),
      SIZE_T.withName("size"));
  static final StructLayout SCANNER_OPTIONS = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), JAVA_INT.withName("dihedral"), JAVA_INT.withName("squash"),
      JAVA_INT.withName("min_pdq_quality"), MemoryLayout.paddingLayout(4),
      JAVA_LONG.withName("max_pixels"));
  static final StructLayout BANK_HIT_INFO = MemoryLayout.structLayout(
      SIZE_T.withName("struct_size"), ADDRESS.withName("bank"), SIZE_T.withName("bank_len"),
      JAVA_INT.withName("signal"), JAVA_INT.withName("distance"), ADDRESS.withName("label"),
      SIZE_T.withName("label_len"), JAVA_INT.withName("action"), JAVA_INT.withName("suppressed"),
      ADDRESS.withName("transform"));

  /** A struct of layout l in arena with its struct_size set. */
  static MemorySegment struct(Arena arena, StructLayout l) {
    MemorySegment s = arena.allocate(l);
    s.set(JAVA_LONG, 0, l.byteSize());
    return s;
  }

  static void set(MemorySegment s, StructLayout l, String field, int v) {
    s.set(JAVA_INT, Native.off(l, field), v);
  }

  static void set(MemorySegment s, StructLayout l, String field, long v) {
    s.set(JAVA_LONG, Native.off(l, field), v);
  }

  /** bytes copied into arena (never NULL: one byte for an empty array). */
  static MemorySegment copy(Arena arena, byte[] bytes) {
    MemorySegment m = arena.allocate(Math.max(1, bytes.length));
    MemorySegment.copy(bytes, 0, m, JAVA_BYTE, 0, bytes.length);
    return m;
  }

  // hashes
  static final MethodHandle digest_size = h("vigil_hash_digest_size", SIZE_T, JAVA_INT);
  static final MethodHandle digest_name = h("vigil_hash_digest_name", ADDRESS, JAVA_INT);
  static final MethodHandle digest = h("vigil_hash_digest", JAVA_INT, JAVA_INT, ADDRESS, SIZE_T, ADDRESS, SIZE_T);
  static final MethodHandle digest_file = h("vigil_hash_digest_file", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle to_hex = h("vigil_hash_to_hex", JAVA_INT, ADDRESS, SIZE_T, ADDRESS, SIZE_T);
  static final MethodHandle from_hex = h("vigil_hash_from_hex", JAVA_INT, ADDRESS, SIZE_T, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle distance = h("vigil_hash_distance", JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle normalize = h("vigil_text_normalize", JAVA_INT, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
  static final MethodHandle simhash64 = h("vigil_hash_simhash64", JAVA_INT, ADDRESS, SIZE_T, JAVA_INT, ADDRESS);
  static final MethodHandle minhash = h("vigil_hash_minhash", JAVA_INT, ADDRESS, SIZE_T, JAVA_INT, ADDRESS, SIZE_T);
  static final MethodHandle minhash_similarity = h("vigil_hash_minhash_similarity", JAVA_DOUBLE, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle pdq_pixels = h("vigil_hash_pdq_pixels", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle pdq_image = h("vigil_hash_pdq_image", JAVA_INT, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
  static final MethodHandle pdq_file = h("vigil_hash_pdq_file", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle dihedral_name = h("vigil_hash_dihedral_name", ADDRESS, JAVA_INT);
  // banks
  static final MethodHandle signal_name = h("vigil_signal_name", ADDRESS, JAVA_INT);
  static final MethodHandle bank_action_name = h("vigil_bank_action_name", ADDRESS, JAVA_INT);
  static final MethodHandle bank_create = h("vigil_bank_create", JAVA_INT, ADDRESS);
  static final MethodHandle bank_free = h("vigil_bank_free", null, ADDRESS);
  static final MethodHandle bank_load_file = h("vigil_bank_load_file", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle bank_load_text = h("vigil_bank_load_text", JAVA_INT, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
  static final MethodHandle bank_define = h("vigil_bank_define", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT);
  static final MethodHandle bank_add = h("vigil_bank_add", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T);
  static final MethodHandle bank_size = h("vigil_bank_size", SIZE_T, ADDRESS);
  static final MethodHandle bank_count = h("vigil_bank_count", SIZE_T, ADDRESS);
  static final MethodHandle bank_get_info = h("vigil_bank_get_info", JAVA_INT, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle bank_query = h("vigil_bank_query", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, SIZE_T, JAVA_INT, ADDRESS);
  // scanners and bank verdicts
  static final MethodHandle scanner_create = h("vigil_scanner_create", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle scanner_free = h("vigil_scanner_free", null, ADDRESS);
  static final MethodHandle scanner_scan = h("vigil_scanner_scan", JAVA_INT, ADDRESS, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle scanner_scan_bytes = h("vigil_scanner_scan_bytes", JAVA_INT, ADDRESS, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle scanner_scan_file = h("vigil_scanner_scan_file", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle scanner_scan_pixels = h("vigil_scanner_scan_pixels", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle verdict_banks_checked = h("vigil_verdict_banks_checked", JAVA_INT, ADDRESS);
  static final MethodHandle verdict_bank_hit_count = h("vigil_verdict_bank_hit_count", SIZE_T, ADDRESS);
  static final MethodHandle verdict_get_bank_hit = h("vigil_verdict_get_bank_hit", JAVA_INT, ADDRESS, SIZE_T, ADDRESS);
}
