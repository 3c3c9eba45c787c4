package dev.vigil;

/** A verdict's outcome. */
public enum Decision {
  ALLOW,
  REVIEW,
  BLOCK;

  private static final Decision[] VALUES = values();

  static Decision of(int code) {
    return VALUES[code];
  }

  /** "allow", "review" or "block", as in the JSON output. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
