package dev.vigil;

/** A failed libvigil call: {@link #code()} is the VIGIL_E_* value, {@link #codeName()} its name. */
public final class VigilException extends RuntimeException {
  public static final int INVALID = -1;
  public static final int NOMEM = -2;
  public static final int PACK = -3;
  public static final int ENGINE_FILE = -4;
  public static final int INTERNAL = -5;
  public static final int STATE = -6;
  public static final int TOO_LARGE = -7;
  public static final int SCAN = -8;
  public static final int BUFFER_TOO_SMALL = -9;
  /** A bank file or entry is invalid (the message says "FILE:LINE: reason"). */
  public static final int BANK = -20;
  /** A hash could not be computed or parsed (bad hex). */
  public static final int HASH = -21;
  /** An image could not be decoded, or bad pixel dimensions. */
  public static final int IMAGE = -22;
  /** A file (to hash or scan) could not be opened or read (the message names it). */
  public static final int IO = -23;

  private final int code;
  private final String codeName;

  VigilException(int code, String codeName, String message) {
    super(codeName + ": " + message);
    this.code = code;
    this.codeName = codeName;
  }

  public int code() {
    return code;
  }

  public String codeName() {
    return codeName;
  }
}
