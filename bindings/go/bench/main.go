// Command bench measures ns per 140-byte message through the Go binding: single scans and
// batches of 1000 (compare with tests/capi/bench's C figure on the same inputs).
//
//	go run ./bench MESSAGES140.TXT [PACK.toml]
package main

import (
	"bufio"
	"fmt"
	"os"
	"time"

	"vigil.dev/vigil"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	var msgs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		msgs = append(msgs, sc.Text())
	}
	var e *vigil.Engine
	name := "default pack"
	if len(os.Args) > 2 {
		name = os.Args[2]
		e, err = vigil.OpenPackFile(os.Args[2], nil)
	} else {
		e, err = vigil.DefaultEngine(nil)
	}
	if err != nil {
		panic(err)
	}
	defer e.Close()
	for _, m := range msgs {
		e.Scan(m)
	}
	sink := 0
	single, batch := 1e300, 1e300
	for round := 0; round < 15; round++ { // best of 15 rounds of each (the machine may be shared)
		t0 := time.Now()
		for _, m := range msgs {
			v, _ := e.Scan(m)
			sink += int(v.Decision)
		}
		single = min(single, float64(time.Since(t0).Nanoseconds())/float64(len(msgs)))
		t0 = time.Now()
		for s := 0; s < len(msgs); s += 1000 {
			end := min(s+1000, len(msgs))
			vs, _ := e.ScanBatch(msgs[s:end], nil)
			sink += int(vs[0].Decision)
		}
		batch = min(batch, float64(time.Since(t0).Nanoseconds())/float64(len(msgs)))
	}
	fmt.Printf("Go (%s): %d messages of 140 bytes; single %.0f ns/msg; batch %.0f ns/msg (%.0f msg/s) [%d]\n",
		name, len(msgs), single, batch, 1e9/batch, sink)
}
