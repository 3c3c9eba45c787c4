/* C baseline for the binding benchmarks: ns per 140-byte message through the C ABI, single
 * calls (vigil_scan + summary + free) and batches (vigil_scan_batch_packed of 1000 + decisions).
 * Usage: vigil-capi-bench [messages140.txt [pack.toml]]  (default engine without a pack)
 * VIGIL_BENCH_CPU_TIME=1 times with this process's CPU time instead of the wall clock. */
#define _POSIX_C_SOURCE 200809L
#include "vigil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Wall-clock time, or with VIGIL_BENCH_CPU_TIME=1 this process's CPU time (steadier on a
 * machine shared with other work; the scans run on the calling thread only). */
static double now(void) {
  static int cpu_time = -1;
  struct timespec ts;
  if (cpu_time < 0) {
    const char* setting = getenv("VIGIL_BENCH_CPU_TIME");
    cpu_time = setting != NULL && strcmp(setting, "1") == 0;
  }
  clock_gettime(cpu_time ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "tests/capi/bench/messages140.txt";
  FILE* f = fopen(path, "rb");
  static char data[1 << 20];
  size_t offsets[4096], n = 0, len = 0, i;
  char line[1024];
  vigil_engine* e = NULL;
  double t0, single_ns, batch_ns;
  long rounds, sink = 0;
  if (f == NULL) {
    perror(path);
    return 1;
  }
  offsets[0] = 0;
  while (fgets(line, sizeof line, f) != NULL && n < 4000) {
    size_t l = strcspn(line, "\n");
    memcpy(data + len, line, l);
    len += l;
    offsets[++n] = len;
  }
  fclose(f);
  if ((argc > 2 ? vigil_engine_open_pack_file(argv[2], NULL, &e) : vigil_engine_open_default(NULL, &e)) != VIGIL_OK) {
    fprintf(stderr, "%s\n", vigil_last_error());
    return 1;
  }
  /* warm up */
  for (i = 0; i < n; ++i) {
    vigil_verdict* v;
    vigil_scan(e, data + offsets[i], offsets[i + 1] - offsets[i], &v);
    vigil_verdict_free(v);
  }
  /* best of 15 rounds of each (the machine may be shared) */
  single_ns = batch_ns = 1e300;
  for (rounds = 0; rounds < 15; ++rounds) {
    double t;
    t0 = now();
    for (i = 0; i < n; ++i) {
      vigil_verdict* v;
      vigil_verdict_summary s;
      s.struct_size = sizeof s;
      vigil_scan(e, data + offsets[i], offsets[i + 1] - offsets[i], &v);
      vigil_verdict_get_summary(v, &s);
      sink += s.decision;
      vigil_verdict_free(v);
    }
    t = (now() - t0) * 1e9 / n;
    if (t < single_ns) single_ns = t;
    t0 = now();
    {
      size_t start;
      for (start = 0; start < n; start += 1000) {
        size_t m = n - start < 1000 ? n - start : 1000;
        vigil_batch* b;
        int d[1000];
        vigil_scan_batch_packed(e, data, offsets + start, m, NULL, &b);
        vigil_batch_decisions(b, d, m);
        sink += d[0];
        vigil_batch_free(b);
      }
    }
    t = (now() - t0) * 1e9 / n;
    if (t < batch_ns) batch_ns = t;
  }
  printf("C (%s): %zu messages of 140 bytes; single %.0f ns/msg; batch %.0f ns/msg (%.0f msg/s) [%ld]\n",
         argc > 2 ? argv[2] : "default pack", n, single_ns, batch_ns, 1e9 / batch_ns, sink);
  vigil_engine_free(e);
  return 0;
}
