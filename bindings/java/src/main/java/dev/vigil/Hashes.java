package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Hashes that need no handle: digests of bytes and files, hex conversion, Hamming distance,
 * the text normal form and its SimHash-64 / MinHash sketches. All are thread-safe. PDQ image
 * hashes are in {@link Pdq}.
 */
public final class Hashes {
  private Hashes() {}

  /** Slots of a MinHash signature. */
  public static final int MINHASH_SLOTS = 128;
  private static final int DIGEST_MAX_SIZE = 32;

  /** The digest of data. */
  public static byte[] digest(DigestKind kind, byte[] data) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(DIGEST_MAX_SIZE);
      Native.check((int) HashNative.digest.invokeExact(kind.code(), HashNative.copy(a, data),
          (long) data.length, out, (long) DIGEST_MAX_SIZE));
      return out.asSlice(0, kind.size()).toArray(JAVA_BYTE);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The digest of a string's UTF-8 bytes. */
  public static byte[] digest(DigestKind kind, String text) {
    return digest(kind, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The digest of a file's bytes (read in chunks; any size). {@link VigilException#IO} names
   * a file that cannot be read. */
  public static byte[] digestFile(DigestKind kind, Path path) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(DIGEST_MAX_SIZE);
      Native.check((int) HashNative.digest_file.invokeExact(kind.code(),
          a.allocateFrom(path.toString()), out, (long) DIGEST_MAX_SIZE));
      return out.asSlice(0, kind.size()).toArray(JAVA_BYTE);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The lowercase hex form of a hash (what bank files hold and `vigil hash` prints). */
  public static String toHex(byte[] hash) {
    try (Arena a = Arena.ofConfined()) {
      long cap = 2L * hash.length + 1;
      MemorySegment buf = a.allocate(cap);
      Native.check((int) HashNative.to_hex.invokeExact(HashNative.copy(a, hash), (long) hash.length,
          buf, cap));
      return buf.getString(0, StandardCharsets.US_ASCII);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Parse an even number of hex digits (either case); bad input gives {@link VigilException#HASH}. */
  public static byte[] fromHex(String hex) {
    byte[] text = hex.getBytes(StandardCharsets.US_ASCII);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(text.length / 2 + 1);
      MemorySegment written = a.allocate(JAVA_LONG);
      Native.check((int) HashNative.from_hex.invokeExact(HashNative.copy(a, text), (long) text.length,
          out, out.byteSize(), written));
      return out.asSlice(0, written.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The Hamming distance (differing bits) of two hashes of the same length, e.g. two PDQ
   * hashes (a match at &lt;= 31). */
  public static int distance(byte[] a, byte[] b) {
    if (a.length != b.length)
      throw new IllegalArgumentException("vigil: hashes of different lengths (" + a.length
          + " and " + b.length + " bytes)");
    try (Arena arena = Arena.ofConfined()) {
      return (int) HashNative.distance.invokeExact(HashNative.copy(arena, a), HashNative.copy(arena, b),
          (long) a.length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The normal form of text that the rules, SimHash and MinHash see (case folded, evasion
   * spellings undone, words separated by single spaces). */
  public static String normalize(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS), len = a.allocate(JAVA_LONG);
      Native.check((int) HashNative.normalize.invokeExact(HashNative.copy(a, b), (long) b.length, out, len));
      MemorySegment p = out.get(ADDRESS, 0);
      try {
        return Native.str(p, len.get(JAVA_LONG, 0));
      } finally {
        Native.free.invokeExact(p);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** SimHash-64 of the normalised text over shingles of wordsPerShingle words (0: the default
   * 2), what SimHash banks hold (hex form: {@code String.format("%016x", h)}). */
  public static long simhash64(String text, int wordsPerShingle) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_LONG);
      Native.check((int) HashNative.simhash64.invokeExact(HashNative.copy(a, b), (long) b.length,
          wordsPerShingle, out));
      return out.get(JAVA_LONG, 0);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static long simhash64(String text) {
    return simhash64(text, 0);
  }

  /** The 16 hex digits of a SimHash-64 (what SimHash bank files hold). */
  public static String simhashHex(long simhash) {
    return String.format("%016x", simhash);
  }

  /** The MinHash signature ({@link #MINHASH_SLOTS} unsigned 32-bit minima, as ints) of the
   * normalised text's shingles of wordsPerShingle words (0: the default 3). */
  public static int[] minhash(String text, int wordsPerShingle) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment slots = a.allocate(JAVA_INT, MINHASH_SLOTS);
      Native.check((int) HashNative.minhash.invokeExact(HashNative.copy(a, b), (long) b.length,
          wordsPerShingle, slots, (long) MINHASH_SLOTS));
      return slots.toArray(JAVA_INT);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static int[] minhash(String text) {
    return minhash(text, 0);
  }

  /** Estimated Jaccard similarity (0..1) of two signatures of the same, non-zero length. */
  public static double minhashSimilarity(int[] a, int[] b) {
    if (a.length != b.length || a.length == 0)
      throw new IllegalArgumentException("vigil: signatures of lengths " + a.length + " and "
          + b.length + " (need equal, non-zero)");
    try (Arena arena = Arena.ofConfined()) {
      return (double) HashNative.minhash_similarity.invokeExact(arena.allocateFrom(JAVA_INT, a),
          arena.allocateFrom(JAVA_INT, b), (long) a.length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
