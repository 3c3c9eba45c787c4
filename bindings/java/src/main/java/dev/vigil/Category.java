package dev.vigil;

/** A category's score (after its cap) in a verdict. */
public record Category(String name, double score) {}
