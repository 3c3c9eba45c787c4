package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The hot-reload point: scans through it use the current engine; {@link #swap} replaces it
 * atomically while other threads scan (scans in flight finish on the engine they started with).
 * Thread-safe. The holder keeps its own reference to its engine.
 */
public final class Holder implements AutoCloseable {
  private final MemorySegment handle;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable cleanable;

  public Holder(Engine engine) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      Native.check((int) Native.holder_create.invokeExact(engine.h(), out));
      MemorySegment h = out.get(ADDRESS, 0);
      this.handle = h;
      this.cleanable = Engine.CLEANER.register(this, () -> {
        try {
          Native.holder_free.invokeExact(h);
        } catch (Throwable t) {
          throw Native.rethrow(t);
        }
      });
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private MemorySegment h() {
    if (closed.get()) throw new IllegalStateException("vigil: the holder is closed");
    return handle;
  }

  /** Make engine the current one. */
  public void swap(Engine engine) {
    try {
      Native.check((int) Native.holder_swap.invokeExact(h(), engine.h()));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** The current engine (a new handle: close it when done). */
  public Engine engine() {
    MemorySegment h = h();
    return Engine.open((a, out) -> (int) Native.holder_engine.invokeExact(h, out));
  }

  public Verdict scan(String text) {
    return Scans.scan(true, h(), Scans.utf8(text));
  }

  public Verdict scan(byte[] text) {
    return Scans.scan(true, h(), text);
  }

  /** Scan many messages, all with the same (current) engine. */
  public List<Verdict> scanBatch(List<String> texts, int threads) {
    return Scans.scanBatch(true, h(), texts, threads);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) cleanable.clean();
  }
}
