// Command example is vigil from Go: it reads JSONL messages {"id": ..., "text": ...} on
// stdin and prints one verdict JSON line per message on stdout — the same bytes as
// `vigil scan --jsonl -`.
//
//	examples/go/run < examples/inputs/messages.jsonl
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"vigil.dev/vigil"
)

type message struct {
	ID   any    `json:"id"`
	Text string `json:"text"`
}

func main() {
	engine, err := vigil.DefaultEngine(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer engine.Close()
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	status := 0
	var texts []string
	var ids []vigil.ID
	flush := func() {
		// Scan up to 1000 messages in one call, rendered as the CLI renders them.
		if len(texts) == 0 {
			return
		}
		lines, err := engine.ScanBatchJSONL(texts, ids, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		out.Write(lines)
		texts, ids = texts[:0], ids[:0]
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	for lineno := 1; ; lineno++ {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.UseNumber() // numbers stay as written: the CLI echoes numeric ids verbatim
			var m message
			if derr := dec.Decode(&m); derr != nil {
				fmt.Fprintf(os.Stderr, "example: <stdin>:%d: %v\n", lineno, derr)
				status = 2
			} else {
				id := vigil.NullID
				switch v := m.ID.(type) {
				case string:
					id = vigil.StringID(v)
				case json.Number:
					id = vigil.NumberID(string(v))
				}
				texts = append(texts, m.Text)
				ids = append(ids, id)
				if len(texts) == 1000 {
					flush()
				}
			}
		}
		if err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	flush()
	out.Flush()
	os.Exit(status)
}
