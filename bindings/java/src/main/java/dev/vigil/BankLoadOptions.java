package dev.vigil;

import java.util.Objects;

/**
 * Options of loading a bank file.
 *
 * @param action the action of every bank the file defines (default BLOCK)
 * @param signal the type every line must be, or null (default) to take it from the file (type
 *     column, typed lines, hash length); needed for plain lists of 64-digit hashes
 * @param bank the bank of entries without a bank column, or null: named after the file
 * @param radius Hamming banks' match radius (-1: the signal's default)
 * @param minQuality PDQ entries with a known quality under this are skipped (default 0)
 */
public record BankLoadOptions(BankAction action, Signal signal, String bank, int radius, int minQuality) {
  public static final BankLoadOptions DEFAULT = new BankLoadOptions(BankAction.BLOCK, null, null, -1, 0);

  public BankLoadOptions {
    Objects.requireNonNull(action, "action");
    if (radius < -1) throw new IllegalArgumentException("vigil: radius < -1");
  }

  public BankLoadOptions withAction(BankAction a) {
    return new BankLoadOptions(a, signal, bank, radius, minQuality);
  }

  public BankLoadOptions withSignal(Signal s) {
    return new BankLoadOptions(action, s, bank, radius, minQuality);
  }

  public BankLoadOptions withBank(String name) {
    return new BankLoadOptions(action, signal, name, radius, minQuality);
  }

  public BankLoadOptions withRadius(int r) {
    return new BankLoadOptions(action, signal, bank, r, minQuality);
  }

  public BankLoadOptions withMinQuality(int q) {
    return new BankLoadOptions(action, signal, bank, radius, q);
  }
}
