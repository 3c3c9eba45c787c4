// ns per 140-byte message through the Java binding: single scans and batches of 1000 (compare
// with tests/capi/bench's C figure on the same inputs). Run from bindings/java after `mvn -q
// compile`:
//   java --enable-native-access=ALL-UNNAMED -cp target/classes bench/Bench.java MESSAGES140.TXT [PACK.toml]
import dev.vigil.Engine;
import dev.vigil.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public class Bench {
  public static void main(String[] args) throws Exception {
    List<String> msgs = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    String name = args.length > 1 ? args[1] : "default pack";
    try (Engine e = args.length > 1 ? Engine.fromPackFile(Path.of(args[1])) : Engine.defaultEngine()) {
      long sink = 0;
      double single = Double.MAX_VALUE, batch = Double.MAX_VALUE;
      // Best of 15 rounds of each: the JIT (C2) needs ~100k calls to settle.
      for (int round = 0; round < 15; round++) {
        long t0 = System.nanoTime();
        for (int r = 0; r < 5; r++)
          for (String m : msgs) sink += e.scan(m).decision().ordinal();
        single = Math.min(single, (System.nanoTime() - t0) / (double) (5 * msgs.size()));
        t0 = System.nanoTime();
        for (int r = 0; r < 5; r++)
          for (int s = 0; s < msgs.size(); s += 1000) {
            List<Verdict> vs = e.scanBatch(msgs.subList(s, Math.min(s + 1000, msgs.size())));
            sink += vs.get(0).decision().ordinal();
          }
        batch = Math.min(batch, (System.nanoTime() - t0) / (double) (5 * msgs.size()));
      }
      System.out.printf("Java (%s): %d messages of 140 bytes; single %.0f ns/msg; batch %.0f ns/msg (%.0f msg/s) [%d]%n",
          name, msgs.size(), single, batch, 1e9 / batch, sink);
    }
  }
}
