package dev.vigil;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.awt.image.BufferedImage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scans text, files and images with an engine's rules and a {@link Bank}'s banks in one
 * verdict, as `vigil scan --bank`. Immutable and thread-safe; it keeps its engine and bank
 * alive (they may be closed first) and sees the bank as it is at each scan. Close it when done,
 * not while other threads still scan with it.
 */
public final class Scanner implements AutoCloseable {
  private final MemorySegment handle;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Cleaner.Cleanable cleanable;

  /** A scanner over engine and bank (bank may be null: it then scans as {@link Engine#scan}
   * and verdicts carry no bank hits). */
  public Scanner(Engine engine, Bank bank, ScannerOptions opts) {
    MemorySegment e = engine.h();
    MemorySegment b = bank == null ? MemorySegment.NULL : bank.h();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment o = HashNative.struct(a, HashNative.SCANNER_OPTIONS);
      HashNative.set(o, HashNative.SCANNER_OPTIONS, "dihedral", opts.dihedral() ? 1 : 0);
      HashNative.set(o, HashNative.SCANNER_OPTIONS, "squash", opts.squash() ? 1 : 0);
      HashNative.set(o, HashNative.SCANNER_OPTIONS, "min_pdq_quality", opts.minPdqQuality());
      HashNative.set(o, HashNative.SCANNER_OPTIONS, "max_pixels", opts.maxPixels());
      MemorySegment out = a.allocate(ADDRESS);
      Native.check((int) HashNative.scanner_create.invokeExact(e, b, o, out));
      handle = out.get(ADDRESS, 0);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      Reference.reachabilityFence(engine);
      Reference.reachabilityFence(bank);
    }
    cleanable = Engine.CLEANER.register(this, new Free(handle));
  }

  public Scanner(Engine engine, Bank bank) {
    this(engine, bank, ScannerOptions.DEFAULT);
  }

  private record Free(MemorySegment handle) implements Runnable {
    public void run() {
      try {
        HashNative.scanner_free.invokeExact(handle);
      } catch (Throwable t) {
        throw Native.rethrow(t);
      }
    }
  }

  private MemorySegment h() {
    if (closed.get()) throw new IllegalStateException("vigil: the scanner is closed");
    return handle;
  }

  /** Release the scanner. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) cleanable.clean();
  }

  /** BankVerdicts.with, keeping this scanner reachable (its Cleaner idle) until the call ends. */
  private <T> T with(BankVerdicts.Call call, BankVerdicts.Reader<T> read) {
    try {
      return BankVerdicts.with(call, read);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  private BankVerdicts.Call text(byte[] t) {
    MemorySegment s = h();
    return (a, out) -> (int) HashNative.scanner_scan.invokeExact(s, HashNative.copy(a, t), (long) t.length, out);
  }

  private BankVerdicts.Call bytes(byte[] d) {
    MemorySegment s = h();
    return (a, out) -> (int) HashNative.scanner_scan_bytes.invokeExact(s, HashNative.copy(a, d), (long) d.length, out);
  }

  private BankVerdicts.Call file(Path path) {
    MemorySegment s = h();
    return (a, out) -> (int) HashNative.scanner_scan_file.invokeExact(s, a.allocateFrom(path.toString()), out);
  }

  /** Scan one message: the rules, MD5/SHA-256 of its UTF-8 bytes and SimHash-64 of its normal form. */
  public ScanVerdict scan(String text) {
    return with(text(Scans.utf8(text)), BankVerdicts::convert);
  }

  /** {@link #scan} rendered as the CLI's JSON line (`vigil scan --jsonl --bank`). */
  public String scanJson(String text, Id id) {
    return with(text(Scans.utf8(text)), v -> BankVerdicts.json(v, id, false));
  }

  /** Scan a whole file's bytes: a JPEG or PNG is matched as an image, anything else as text. */
  public ScanVerdict scanBytes(byte[] data) {
    return with(bytes(data), BankVerdicts::convert);
  }

  /** {@link #scanBytes} rendered as JSON; fileKey renders "file" instead of "id". */
  public String scanBytesJson(byte[] data, Id id, boolean fileKey) {
    return with(bytes(data), v -> BankVerdicts.json(v, id, fileKey));
  }

  /** Scan a file (as {@link #scanBytes}); {@link VigilException#IO} names a file that cannot be read. */
  public ScanVerdict scanFile(Path path) {
    return with(file(path), BankVerdicts::convert);
  }

  /** {@link #scanFile} rendered exactly as `vigil scan --bank BANK PATH` prints it ({"file":PATH,...}). */
  public String scanFileJson(Path path) {
    return with(file(path), v -> BankVerdicts.json(v, Id.string(path.toString()), true));
  }

  /** Scan decoded pixels as an image (PDQ); file holds the encoded bytes they came from, for
   * MD5/SHA-256 banks (null: digest banks are not consulted). */
  public ScanVerdict scanPixels(Pixels pixels, byte[] file) {
    MemorySegment s = h();
    return with((a, out) -> {
      MemorySegment f = file == null ? MemorySegment.NULL : HashNative.copy(a, file);
      long n = file == null ? 0 : file.length;
      return (int) HashNative.scanner_scan_pixels.invokeExact(s, pixels.toNative(a), f, n, out);
    }, BankVerdicts::convert);
  }

  /** Scan a decoded image (see {@link Pixels#of}); file as for {@link #scanPixels}. */
  public ScanVerdict scanImage(BufferedImage image, byte[] file) {
    return scanPixels(Pixels.of(image), file);
  }
}
