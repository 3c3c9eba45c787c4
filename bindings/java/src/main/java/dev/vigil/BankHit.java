package dev.vigil;

/**
 * One bank entry that matched.
 *
 * @param distance Hamming distance; 0 for digests
 * @param label the entry's label
 * @param suppressed an allow-list hit overrode it (it did not count)
 * @param transform with dihedral matching, the rotation/flip that matched ("" when none)
 */
public record BankHit(String bank, Signal signal, int distance, String label, BankAction action,
                      boolean suppressed, String transform) {}
