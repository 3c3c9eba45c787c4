package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A compiled rule pack. Immutable and thread-safe: share one among all threads (platform or
 * virtual); per-scan state comes from a pool inside libvigil. Close it when done (it is
 * AutoCloseable; a Cleaner frees forgotten engines), but not while other threads still scan.
 */
public final class Engine implements AutoCloseable {
  static final Cleaner CLEANER = Cleaner.create();

  final MemorySegment handle;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable cleanable;

  Engine(MemorySegment handle) {
    this.handle = handle;
    this.cleanable = CLEANER.register(this, new Free(handle));
  }

  private record Free(MemorySegment handle) implements Runnable {
    public void run() {
      try {
        Native.engine_free.invokeExact(handle);
      } catch (Throwable t) {
        throw Native.rethrow(t);
      }
    }
  }

  @FunctionalInterface
  interface Opener {
    int open(Arena arena, MemorySegment out) throws Throwable;
  }

  static Engine open(Opener opener) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      int rc = opener.open(arena, out);
      if (rc < 0) throw Native.error(rc);
      return new Engine(out.get(ADDRESS, 0));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private static MemorySegment options(Arena arena, boolean streaming) {
    MemorySegment o = arena.allocate(Native.ENGINE_OPTIONS);
    o.set(JAVA_LONG, 0, Native.ENGINE_OPTIONS.byteSize());
    o.set(JAVA_INT, Native.off(Native.ENGINE_OPTIONS, "streaming"), streaming ? 1 : 0);
    return o;
  }

  /** The embedded default pack. */
  public static Engine defaultEngine() {
    return defaultEngine(true);
  }

  /** The embedded default pack; streaming=false skips the streaming databases. */
  public static Engine defaultEngine(boolean streaming) {
    return open((a, out) -> (int) Native.engine_open_default.invokeExact(options(a, streaming), out));
  }

  /** A TOML pack file (side files relative to it). */
  public static Engine fromPackFile(Path path) {
    return fromPackFile(path, true);
  }

  public static Engine fromPackFile(Path path, boolean streaming) {
    return open((a, out) -> (int) Native.engine_open_pack_file.invokeExact(
        a.allocateFrom(path.toString()), options(a, streaming), out));
  }

  /** A pack given as TOML text; origin (may be null) names it in errors; side files relative to baseDir (may be null). */
  public static Engine fromPackString(String toml, String origin, Path baseDir) {
    byte[] b = Scans.utf8(toml);
    return open((a, out) -> {
      MemorySegment t = a.allocate(Math.max(1, b.length));
      MemorySegment.copy(b, 0, t, JAVA_BYTE, 0, b.length);
      MemorySegment o = origin == null ? MemorySegment.NULL : a.allocateFrom(origin);
      MemorySegment d = baseDir == null ? MemorySegment.NULL : a.allocateFrom(baseDir.toString());
      return (int) Native.engine_open_pack_string.invokeExact(t, (long) b.length, o, d,
          options(a, true), out);
    });
  }

  /** A serialised engine file ({@link #save}, `vigil compile`). */
  public static Engine load(Path path) {
    return open((a, out) -> (int) Native.engine_open_file.invokeExact(a.allocateFrom(path.toString()), out));
  }

  /** A serialised engine in memory ({@link #serialize}). */
  public static Engine fromBytes(byte[] data) {
    return open((a, out) -> {
      MemorySegment d = a.allocate(Math.max(1, data.length));
      MemorySegment.copy(data, 0, d, JAVA_BYTE, 0, data.length);
      return (int) Native.engine_open_bytes.invokeExact(d, (long) data.length, out);
    });
  }

  MemorySegment h() {
    if (closed.get()) throw new IllegalStateException("vigil: the engine is closed");
    return handle;
  }

  /** Release the engine (streams and holders keep their own references). Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) cleanable.clean();
  }

  public void save(Path path) {
    try (Arena a = Arena.ofConfined()) {
      Native.check((int) Native.engine_save.invokeExact(h(), a.allocateFrom(path.toString())));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public byte[] serialize() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment data = a.allocate(ADDRESS), len = a.allocate(JAVA_LONG);
      Native.check((int) Native.engine_serialize.invokeExact(h(), data, len));
      MemorySegment p = data.get(ADDRESS, 0);
      try {
        return p.reinterpret(len.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
      } finally {
        Native.free.invokeExact(p);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public String packName() {
    try {
      return Native.str((MemorySegment) Native.engine_pack_name.invokeExact(h()));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public String packVersion() {
    try {
      return Native.str((MemorySegment) Native.engine_pack_version.invokeExact(h()));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** SHA-256 (hex) of the pack's canonical text. */
  public String packHash() {
    try {
      return Native.str((MemorySegment) Native.engine_pack_hash.invokeExact(h()));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public long ruleCount() {
    try {
      return (long) Native.engine_rule_count.invokeExact(h());
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public boolean supportsStreaming() {
    try {
      return (int) Native.engine_supports_streaming.invokeExact(h()) == 1;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Scan one message (UTF-8). */
  public Verdict scan(String text) {
    return Scans.scan(false, h(), Scans.utf8(text));
  }

  /** Scan one message given as bytes (any bytes; invalid UTF-8 is replaced and counted). */
  public Verdict scan(byte[] text) {
    return Scans.scan(false, h(), text);
  }

  /** Scan many messages in one call, on the calling thread. */
  public List<Verdict> scanBatch(List<String> texts) {
    return scanBatch(texts, 0);
  }

  /** Scan many messages in one call; threads > 1 scans on that many threads. */
  public List<Verdict> scanBatch(List<String> texts, int threads) {
    return Scans.scanBatch(false, h(), texts, threads);
  }

  /** Scan many messages given as bytes (any bytes; invalid UTF-8 is replaced and counted). */
  public List<Verdict> scanBatchBytes(List<byte[]> texts, int threads) {
    return Scans.scanBatchBytes(false, h(), texts, threads);
  }

  /** Scan and render the CLI's JSON line (no newline), byte for byte `vigil scan --jsonl`. */
  public String scanJson(String text, Id id) {
    return Scans.scanJson(h(), Scans.utf8(text), id);
  }

  /** Scan many messages and render their JSON lines, each followed by '\n'; ids may be null. */
  public String scanBatchJsonl(List<String> texts, List<Id> ids, int threads) {
    return Scans.scanBatchJsonl(h(), texts, ids, threads);
  }

  /** Start a message arriving in chunks. */
  public Stream openStream() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      Native.check((int) Native.stream_open.invokeExact(h(), out));
      return new Stream(out.get(ADDRESS, 0));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
