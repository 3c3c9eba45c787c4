package dev.vigil;

/** What a hit in a bank does. */
public enum BankAction {
  /** A hit blocks. */
  BLOCK(0),
  /** A hit asks for review at least. */
  REVIEW(1),
  /** An allow-list: its hits suppress the other banks' hits of the same signal (those are still
   * reported, marked suppressed). */
  ALLOW(2);

  final int code;

  BankAction(int code) {
    this.code = code;
  }

  static BankAction of(int code) {
    for (BankAction a : values()) if (a.code == code) return a;
    throw new IllegalStateException("vigil: unknown bank action " + code);
  }

  /** "block", "review" or "allow". */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
