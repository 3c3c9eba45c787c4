package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Named hash banks: lists of known hashes (MD5, SHA-256, PDQ, SimHash-64) with a label per
 * entry and an action on a hit, as `vigil scan --bank/--review-bank/--allow-bank` loads them.
 * Thread-safe: any number of threads may query and scan with it while others load or add
 * entries (scans started later see them). Close it when done, not while others still use it;
 * scanners built from it keep its banks.
 */
public final class Bank implements AutoCloseable {
  private final MemorySegment handle;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable cleanable;

  /** An empty bank. */
  public Bank() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      Native.check((int) HashNative.bank_create.invokeExact(out));
      handle = out.get(ADDRESS, 0);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    cleanable = Engine.CLEANER.register(this, new Free(handle));
  }

  private record Free(MemorySegment handle) implements Runnable {
    public void run() {
      try {
        HashNative.bank_free.invokeExact(handle);
      } catch (Throwable t) {
        throw Native.rethrow(t);
      }
    }
  }

  MemorySegment h() {
    if (closed.get()) throw new IllegalStateException("vigil: the bank is closed");
    return handle;
  }

  /** Release the handle. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) cleanable.clean();
  }

  @FunctionalInterface
  private interface Op {
    int run(Arena arena) throws Throwable;
  }

  /** Run op, keeping this bank reachable (its Cleaner idle) until the call ends. */
  private void run(Op op) {
    try (Arena a = Arena.ofConfined()) {
      Native.check(op.run(a));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  private <T> T with(BankVerdicts.Call call, BankVerdicts.Reader<T> read) {
    try {
      return BankVerdicts.with(call, read);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  private static MemorySegment options(Arena a, BankLoadOptions o) {
    MemorySegment s = HashNative.struct(a, HashNative.BANK_LOAD_OPTIONS);
    HashNative.set(s, HashNative.BANK_LOAD_OPTIONS, "action", o.action().code);
    HashNative.set(s, HashNative.BANK_LOAD_OPTIONS, "signal", o.signal() == null ? -1 : o.signal().code);
    s.set(ADDRESS, Native.off(HashNative.BANK_LOAD_OPTIONS, "bank"),
        o.bank() == null ? MemorySegment.NULL : a.allocateFrom(o.bank()));
    HashNative.set(s, HashNative.BANK_LOAD_OPTIONS, "radius", o.radius());
    HashNative.set(s, HashNative.BANK_LOAD_OPTIONS, "min_quality", o.minQuality());
    return s;
  }

  /** Load a bank file (README "Bank files"). All or nothing: a bad line throws
   * {@link VigilException#BANK} with "FILE:LINE: reason" and adds nothing. */
  public void loadFile(Path path, BankLoadOptions opts) {
    MemorySegment b = h();
    run(a -> (int) HashNative.bank_load_file.invokeExact(b, a.allocateFrom(path.toString()), options(a, opts)));
  }

  public void loadFile(Path path) {
    loadFile(path, BankLoadOptions.DEFAULT);
  }

  /** Load bank text from memory; name stands for the file in messages and as the default bank name. */
  public void loadText(String text, String name, BankLoadOptions opts) {
    MemorySegment b = h();
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    run(a -> (int) HashNative.bank_load_text.invokeExact(b, HashNative.copy(a, t), (long) t.length,
        a.allocateFrom(name), options(a, opts)));
  }

  public void loadText(String text, String name) {
    loadText(text, name, BankLoadOptions.DEFAULT);
  }

  /** Define an empty bank; radius -1 means the signal's default. */
  public void define(String name, Signal signal, BankAction action, int radius) {
    MemorySegment b = h();
    run(a -> (int) HashNative.bank_define.invokeExact(b, a.allocateFrom(name), signal.code, action.code, radius));
  }

  public void define(String name, Signal signal, BankAction action) {
    define(name, signal, action, -1);
  }

  /** Add one entry (hash in hex, either case, of the bank's signal type) to the bank named
   * bank (null: the handle's only bank); searchable at once. */
  public void add(String bank, String hexHash, String label) {
    MemorySegment b = h();
    byte[] hx = hexHash.getBytes(StandardCharsets.UTF_8);
    byte[] lb = label == null ? new byte[0] : label.getBytes(StandardCharsets.UTF_8);
    run(a -> {
      MemorySegment name = bank == null ? MemorySegment.NULL : a.allocateFrom(bank);
      return (int) HashNative.bank_add.invokeExact(b, name, HashNative.copy(a, hx), (long) hx.length,
          HashNative.copy(a, lb), (long) lb.length);
    });
  }

  /** {@link #add} with the hash given as bytes. */
  public void add(String bank, byte[] hash, String label) {
    add(bank, Hashes.toHex(hash), label);
  }

  /** Entries in all banks. */
  public long size() {
    try {
      return (long) HashNative.bank_size.invokeExact(h());
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The named banks in the order they were defined. */
  public List<BankInfo> banks() {
    MemorySegment b = h();
    try (Arena a = Arena.ofConfined()) {
      long n = (long) HashNative.bank_count.invokeExact(b);
      MemorySegment info = HashNative.struct(a, HashNative.BANK_INFO);
      List<BankInfo> out = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        Native.check((int) HashNative.bank_get_info.invokeExact(b, i, info));
        out.add(new BankInfo(Native.str(info.get(ADDRESS, Native.off(HashNative.BANK_INFO, "name"))),
            Signal.of(info.get(JAVA_INT, Native.off(HashNative.BANK_INFO, "signal"))),
            BankAction.of(info.get(JAVA_INT, Native.off(HashNative.BANK_INFO, "action"))),
            info.get(JAVA_INT, Native.off(HashNative.BANK_INFO, "radius")),
            info.get(JAVA_LONG, Native.off(HashNative.BANK_INFO, "size"))));
      }
      return List.copyOf(out);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  private BankVerdicts.Call queryCall(Signal signal, String hexHash, int radius) {
    MemorySegment b = h();
    byte[] hx = hexHash.getBytes(StandardCharsets.UTF_8);
    return (a, out) -> (int) HashNative.bank_query.invokeExact(b, signal.code, HashNative.copy(a, hx),
        (long) hx.length, radius, out);
  }

  /** Look one hash (hex) up in every bank of its signal type; Hamming banks match within radius
   * (-1: each bank's own). The verdict is what a scan of such an item would give from the banks. */
  public ScanVerdict query(Signal signal, String hexHash, int radius) {
    return with(queryCall(signal, hexHash, radius), BankVerdicts::convert);
  }

  public ScanVerdict query(Signal signal, String hexHash) {
    return query(signal, hexHash, -1);
  }

  /** {@link #query} rendered as the CLI's JSON line (with "bank_hits"). */
  public String queryJson(Signal signal, String hexHash, int radius, Id id) {
    return with(queryCall(signal, hexHash, radius), v -> BankVerdicts.json(v, id, false));
  }
}
