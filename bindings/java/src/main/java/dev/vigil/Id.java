package dev.vigil;

/** The "id" of a JSON verdict line: {@link #NULL}, a string, or a JSON number as written. */
public final class Id {
  final String text;
  final int kind; // 0 null, 1 string, 2 number

  private Id(String text, int kind) {
    this.text = text;
    this.kind = kind;
  }

  /** Renders {@code "id":null}. */
  public static final Id NULL = new Id(null, 0);

  /** Renders {@code "id":"s"}, escaped as the CLI does. */
  public static Id string(String s) {
    return new Id(java.util.Objects.requireNonNull(s), 1);
  }

  /** Renders {@code "id":raw}; raw must be a JSON number, e.g. "5". */
  public static Id number(String raw) {
    return new Id(java.util.Objects.requireNonNull(raw), 2);
  }
}
