package dev.vigil;

import java.util.List;

/**
 * The result of a scan: a plain immutable value (nothing to free).
 *
 * @param categories categories with at least one hit, in pack order
 * @param hits every contributing hit, in order of start offset
 * @param invalidBytes invalid UTF-8 bytes replaced during normalisation
 */
public record Verdict(Decision decision, double score, List<Category> categories, List<Hit> hits,
                      long invalidBytes) {
  static final Verdict ALLOW = new Verdict(Decision.ALLOW, 0.0, List.of(), List.of(), 0);
}
