package dev.vigil;

/**
 * Options of PDQ hashing.
 *
 * @param squash squash images with a side over 512 to 512x512 first, as the reference photo
 *     hasher and `vigil hash` do (default true); false hashes the full-resolution pixels
 * @param dihedral also compute the hashes of the 8 rotations/flips (default false)
 * @param maxPixels refuse encoded images of more pixels before decoding (0: 2^27)
 */
public record PdqOptions(boolean squash, boolean dihedral, long maxPixels) {
  public static final PdqOptions DEFAULT = new PdqOptions(true, false, 0);

  public PdqOptions {
    if (maxPixels < 0) throw new IllegalArgumentException("vigil: maxPixels < 0");
  }

  public PdqOptions withDihedral(boolean on) {
    return new PdqOptions(squash, on, maxPixels);
  }

  public PdqOptions withSquash(boolean on) {
    return new PdqOptions(on, dihedral, maxPixels);
  }

  public PdqOptions withMaxPixels(long n) {
    return new PdqOptions(squash, dihedral, n);
  }
}
