package dev.vigil;

/**
 * One named bank.
 *
 * @param radius Hamming banks' radius; 0 for digests
 * @param size its entries
 */
public record BankInfo(String name, Signal signal, BankAction action, int radius, long size) {}
