package dev.vigil;

/**
 * One contribution to a verdict: a rule hit or a composite that fired. {@code start}/{@code end}
 * are the byte span in the original (UTF-8) message; {@code text} those bytes decoded.
 */
public record Hit(String rule, String category, double weight, long start, long end, String text,
                  boolean composite) {}
