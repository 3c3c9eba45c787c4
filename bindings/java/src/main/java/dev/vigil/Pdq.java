package dev.vigil;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.awt.image.BufferedImage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** PDQ image hashes of BufferedImages, raw pixels, encoded JPEG/PNG bytes and files. Thread-safe. */
public final class Pdq {
  private Pdq() {}

  /** The dihedral transforms in {@link PdqHash#dihedral()} order. */
  public static final List<String> DIHEDRALS = names();

  private static List<String> names() {
    List<String> n = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) n.add(Native.str((MemorySegment) HashNative.dihedral_name.invokeExact(i)));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return List.copyOf(n);
  }

  @FunctionalInterface
  private interface Hasher {
    int hash(Arena arena, MemorySegment opts, MemorySegment out) throws Throwable;
  }

  private static PdqHash run(PdqOptions o, Hasher hasher) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment opts = HashNative.struct(a, HashNative.PDQ_OPTIONS);
      HashNative.set(opts, HashNative.PDQ_OPTIONS, "squash", o.squash() ? 1 : 0);
      HashNative.set(opts, HashNative.PDQ_OPTIONS, "dihedral", o.dihedral() ? 1 : 0);
      HashNative.set(opts, HashNative.PDQ_OPTIONS, "max_pixels", o.maxPixels());
      MemorySegment r = HashNative.struct(a, HashNative.PDQ_RESULT);
      Native.check(hasher.hash(a, opts, r));
      long at = Native.off(HashNative.PDQ_RESULT, "hash");
      byte[] hash = r.asSlice(at, 32).toArray(JAVA_BYTE);
      int quality = r.get(JAVA_INT, Native.off(HashNative.PDQ_RESULT, "quality"));
      List<byte[]> dihedral = null;
      if (r.get(JAVA_INT, Native.off(HashNative.PDQ_RESULT, "has_dihedral")) != 0) {
        long d = Native.off(HashNative.PDQ_RESULT, "dihedral");
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < 8; i++) list.add(r.asSlice(d + 32L * i, 32).toArray(JAVA_BYTE));
        dihedral = List.copyOf(list);
      }
      return new PdqHash(hash, quality, dihedral);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** PDQ of a decoded image (see {@link Pixels#of}). */
  public static PdqHash of(BufferedImage image, PdqOptions opts) {
    return ofPixels(Pixels.of(image), opts);
  }

  public static PdqHash of(BufferedImage image) {
    return of(image, PdqOptions.DEFAULT);
  }

  /** PDQ of raw pixels; an image with a side under 5 hashes to zeros with quality 0. */
  public static PdqHash ofPixels(Pixels pixels, PdqOptions opts) {
    return run(opts, (a, o, out) -> (int) HashNative.pdq_pixels.invokeExact(pixels.toNative(a), o, out));
  }

  public static PdqHash ofPixels(Pixels pixels) {
    return ofPixels(pixels, PdqOptions.DEFAULT);
  }

  /** PDQ of an encoded JPEG or PNG (by its first bytes); other bytes give {@link VigilException#IMAGE}. */
  public static PdqHash ofImageBytes(byte[] data, PdqOptions opts) {
    return run(opts, (a, o, out) -> (int) HashNative.pdq_image.invokeExact(HashNative.copy(a, data),
        (long) data.length, o, out));
  }

  public static PdqHash ofImageBytes(byte[] data) {
    return ofImageBytes(data, PdqOptions.DEFAULT);
  }

  /** PDQ of a JPEG or PNG file ({@link VigilException#IO} names a file that cannot be read). */
  public static PdqHash ofFile(Path path, PdqOptions opts) {
    return run(opts, (a, o, out) -> (int) HashNative.pdq_file.invokeExact(a.allocateFrom(path.toString()), o, out));
  }

  public static PdqHash ofFile(Path path) {
    return ofFile(path, PdqOptions.DEFAULT);
  }
}
