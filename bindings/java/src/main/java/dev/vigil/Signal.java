package dev.vigil;

/** The type of hash a bank holds. */
public enum Signal {
  /** Raw bytes, exact; 32 hex digits. */
  MD5(0),
  /** Raw bytes, exact; 64 hex digits. */
  SHA256(1),
  /** Images, Hamming distance (default radius 31); 64 hex digits. */
  PDQ(2),
  /** Normalised text, Hamming distance (default radius 6); 16 hex digits. */
  SIMHASH64(3);

  final int code;

  Signal(int code) {
    this.code = code;
  }

  static Signal of(int code) {
    for (Signal s : values()) if (s.code == code) return s;
    throw new IllegalStateException("vigil: unknown signal " + code);
  }

  /** "md5", "sha256", "pdq" or "simhash64", as in the JSON output. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
