package dev.vigil;

/**
 * Options of a {@link Scanner}.
 *
 * @param dihedral also match images rotated/flipped (default false)
 * @param squash squash images over 512 px to 512x512 before PDQ (default true)
 * @param minPdqQuality PDQ hashes under this quality are not matched (default 50)
 * @param maxPixels refuse encoded images of more pixels before decoding (0: 2^27)
 */
public record ScannerOptions(boolean dihedral, boolean squash, int minPdqQuality, long maxPixels) {
  public static final ScannerOptions DEFAULT = new ScannerOptions(false, true, 50, 0);

  public ScannerOptions withDihedral(boolean on) {
    return new ScannerOptions(on, squash, minPdqQuality, maxPixels);
  }

  public ScannerOptions withSquash(boolean on) {
    return new ScannerOptions(dihedral, on, minPdqQuality, maxPixels);
  }

  public ScannerOptions withMinPdqQuality(int q) {
    return new ScannerOptions(dihedral, squash, q, maxPixels);
  }

  public ScannerOptions withMaxPixels(long n) {
    return new ScannerOptions(dihedral, squash, minPdqQuality, n);
  }
}
