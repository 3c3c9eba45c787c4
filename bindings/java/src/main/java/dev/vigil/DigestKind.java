package dev.vigil;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A digest algorithm by its libvigil code. The constants are those libvigil documents; a kind
 * added by a newer libvigil works too ({@link #all()} lists what the linked library knows).
 */
public record DigestKind(int code) {
  public static final DigestKind MD5 = new DigestKind(0);
  public static final DigestKind SHA256 = new DigestKind(1);
  /** Fast, not cryptographic: for local de-duplication only. */
  public static final DigestKind XXH3_128 = new DigestKind(2);

  /** Bound of the search for kinds the linked library knows. */
  private static final int MAX_KIND = 64;

  /** The digest's length in bytes; 0 for a kind the linked library does not know. */
  public int size() {
    try {
      return (int) (long) HashNative.digest_size.invokeExact(code);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The library's name ("md5", "sha256", "xxh3_128"); null for an unknown kind. */
  public String name() {
    try {
      return Native.str((MemorySegment) HashNative.digest_name.invokeExact(code));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  @Override
  public String toString() {
    String n = name();
    return n != null ? n : "DigestKind(" + code + ")";
  }

  /** Every kind the linked library knows, in numeric order. */
  public static List<DigestKind> all() {
    List<DigestKind> kinds = new ArrayList<>();
    for (int k = 0; k < MAX_KIND; k++) {
      DigestKind kind = new DigestKind(k);
      if (kind.size() > 0) kinds.add(kind);
    }
    return List.copyOf(kinds);
  }

  /** The kind of a library name ("md5", "sha256", "xxh3_128"; "xxh3" is accepted too). */
  public static DigestKind byName(String name) {
    String n = "xxh3".equals(name) ? "xxh3_128" : name;
    for (DigestKind k : all()) {
      if (k.name().equals(n)) return k;
    }
    throw new IllegalArgumentException("vigil: unknown digest '" + name + "'");
  }
}
