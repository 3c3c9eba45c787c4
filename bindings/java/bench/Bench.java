// ns per 140-byte message through the Java binding: single scans and batches of 1000 (compare
// with tests/capi/bench's C figure on the same inputs). Run from bindings/java after `mvn -q
// package`:
//   java --enable-native-access=ALL-UNNAMED -cp target/vigil-0.1.0.jar bench/Bench.java MESSAGES140.TXT [PACK.toml]
//
// The figures are steady-state ones, like those of a long-running service: 30 untimed rounds
// first let the JIT compile both paths (C2 needs a few hundred batches; on a busy machine its
// compiler threads wait for a core), then the best of 15 timed rounds. The first timed round
// of each path ("cold") is printed too, for what a freshly started JVM sees, and the cost of
// scanning each message on a new virtual thread (a thread-per-request server).
import dev.vigil.Engine;
import dev.vigil.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

public class Bench {
  static final int WARMUP_ROUNDS = 30, ROUNDS = 15, REPEATS = 5, BATCH = 1000;
  static long sink;

  /** ns per message of REPEATS passes of single scans. */
  static double single(Engine e, List<String> msgs) {
    long t0 = System.nanoTime();
    for (int r = 0; r < REPEATS; r++)
      for (String m : msgs) sink += e.scan(m).decision().ordinal();
    return (System.nanoTime() - t0) / (double) (REPEATS * msgs.size());
  }

  /** ns per message of REPEATS passes of batches of BATCH, reading every decision. */
  static double batch(Engine e, List<String> msgs) {
    long t0 = System.nanoTime();
    for (int r = 0; r < REPEATS; r++)
      for (int s = 0; s < msgs.size(); s += BATCH) {
        List<Verdict> vs = e.scanBatch(msgs.subList(s, Math.min(s + BATCH, msgs.size())));
        for (Verdict v : vs) sink += v.decision().ordinal();
      }
    return (System.nanoTime() - t0) / (double) (REPEATS * msgs.size());
  }

  /** ns per message when each message is scanned on a new virtual thread (thread per request). */
  static double virtualThreadEach(Engine e, List<String> msgs) throws Exception {
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String m : msgs) pool.submit(() -> e.scan(m));
    }
    return (System.nanoTime() - t0) / (double) msgs.size();
  }

  public static void main(String[] args) throws Exception {
    List<String> msgs = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    String name = args.length > 1 ? args[1] : "default pack";
    try (Engine e = args.length > 1 ? Engine.fromPackFile(Path.of(args[1])) : Engine.defaultEngine()) {
      double coldSingle = single(e, msgs), coldBatch = batch(e, msgs);
      for (int round = 1; round < WARMUP_ROUNDS; round++) {
        single(e, msgs);
        batch(e, msgs);
      }
      double bestSingle = Double.MAX_VALUE, bestBatch = Double.MAX_VALUE;
      for (int round = 0; round < ROUNDS; round++) {
        bestSingle = Math.min(bestSingle, single(e, msgs));
        bestBatch = Math.min(bestBatch, batch(e, msgs));
      }
      double vthread = Double.MAX_VALUE;
      for (int round = 0; round < 5; round++) vthread = Math.min(vthread, virtualThreadEach(e, msgs));
      System.out.printf("Java (%s): %d messages of 140 bytes; single %.0f ns/msg; batch %.0f ns/msg "
          + "(%.0f msg/s); cold (first round) single %.0f, batch %.0f; a virtual thread per "
          + "message %.0f [%d]%n", name, msgs.size(), bestSingle, bestBatch, 1e9 / bestBatch,
          coldSingle, coldBatch, vthread, sink);
    }
  }
}
