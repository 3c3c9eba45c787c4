package dev.vigil;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Library-wide facts. */
public final class Vigil {
  private Vigil() {}

  /** The version this binding was written against (vigil.h's VIGIL_VERSION_STRING). */
  public static final String BINDING_VERSION = "0.1.0";

  /** The version of the libvigil in use. */
  public static String version() {
    try {
      return Native.str((MemorySegment) Native.version_string.invokeExact());
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** VIGIL_VERSION_NUMBER of the libvigil in use (MAJOR*10000 + MINOR*100 + PATCH). */
  public static int versionNumber() {
    try {
      return (int) Native.version_number.invokeExact();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The Hyperscan/Vectorscan version libvigil runs on. */
  public static String matcherVersion() {
    try {
      return Native.str((MemorySegment) Native.matcher_version.invokeExact());
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The embedded default rule pack (canonical TOML). */
  public static String defaultPack() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment len = a.allocate(JAVA_LONG);
      MemorySegment p = (MemorySegment) Native.default_pack.invokeExact(len);
      return Native.str(p, len.get(JAVA_LONG, 0));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
