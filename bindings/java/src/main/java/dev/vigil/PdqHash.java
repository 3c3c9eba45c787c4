package dev.vigil;

import java.util.Arrays;
import java.util.List;

/**
 * A PDQ hash (32 bytes, the bytes of its hex form) with its quality (0..100; under 50 the
 * hash identifies the image poorly: do not match or share it).
 *
 * @param dihedral the hashes of the 8 rotations/flips in {@link Pdq#DIHEDRALS} order when asked
 *     for with {@link PdqOptions#dihedral()}, else null
 */
public record PdqHash(byte[] hash, int quality, List<byte[]> dihedral) {
  /** The 64 hex digits (what PDQ bank files hold). */
  public String hex() {
    return Hashes.toHex(hash);
  }

  /** The hash of one transform ("orig", "rot90", ...); null without dihedral hashes. */
  public byte[] dihedral(String transform) {
    int i = Pdq.DIHEDRALS.indexOf(transform);
    if (i < 0) throw new IllegalArgumentException("vigil: unknown transform '" + transform + "'");
    return dihedral == null ? null : dihedral.get(i).clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PdqHash p && quality == p.quality && Arrays.equals(hash, p.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash) * 31 + quality;
  }

  @Override
  public String toString() {
    return "PdqHash[" + hex() + ", quality=" + quality + "]";
  }
}
