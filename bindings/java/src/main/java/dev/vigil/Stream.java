package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;

/**
 * One message arriving in chunks: {@link #write} each, then {@link #finish} for the verdict.
 * One thread at a time. {@link #close} abandons an unfinished stream (try-with-resources);
 * a Cleaner frees forgotten streams.
 */
public final class Stream implements AutoCloseable {
  /** The native stream, shared with the cleaner (which must not reference the Stream). */
  private static final class State implements Runnable {
    volatile MemorySegment handle;

    State(MemorySegment handle) {
      this.handle = handle;
    }

    public void run() {
      MemorySegment h = handle;
      handle = null;
      if (h == null) return;
      try {
        Native.stream_free.invokeExact(h);
      } catch (Throwable t) {
        throw Native.rethrow(t);
      }
    }
  }

  private final State state;
  private final Cleaner.Cleanable cleanable;

  Stream(MemorySegment handle) {
    this.state = new State(handle);
    this.cleanable = Engine.CLEANER.register(this, state);
  }

  private MemorySegment h() {
    MemorySegment h = state.handle;
    if (h == null) throw new IllegalStateException("vigil: the stream is finished or closed");
    return h;
  }

  public void write(byte[] chunk) {
    MemorySegment s = h();
    Scratch sc = Scratch.get();
    try {
      Native.check((int) Native.stream_write.invokeExact(s, sc.text(chunk), (long) chunk.length));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      sc.release();
    }
  }

  public void write(String chunk) {
    write(chunk.getBytes(StandardCharsets.UTF_8));
  }

  /** End of input: the verdict. The stream is released either way. */
  public Verdict finish() {
    MemorySegment s = h();
    state.handle = null; // vigil_stream_close frees it, success or not
    Scratch sc = Scratch.get();
    try {
      int rc = (int) Native.stream_close.invokeExact(s, sc.out);
      if (rc < 0) throw Native.error(rc);
      MemorySegment v = sc.out.get(ADDRESS, 0);
      try {
        Native.check((int) Native.verdict_get_summary.invokeExact(v, sc.summary));
        return sc.convert(v);
      } finally {
        Native.verdict_free.invokeExact(v);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      sc.release();
    }
  }

  /** Abandon the stream if it was not finished. Idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }
}
