package vigil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const packA = `[pack]
name = "pack-a"
version = "1"
[policy]
review = 3.0
block = 8.0
[[rule]]
id = "a.alpha"
category = "test"
weight = 10.0
terms = ["alphaword"]
fullword = true
`

var packB = strings.NewReplacer("pack-a", "pack-b", "a.alpha", "b.beta", "10.0", "4.0").Replace(packA)

func mustPack(t testing.TB, toml string) *Engine {
	t.Helper()
	e, err := OpenPackString(toml, "test", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestVersion(t *testing.T) {
	if Version() != HeaderVersion() {
		t.Fatalf("library %s, header %s", Version(), HeaderVersion())
	}
	if MatcherVersion() == "" || !strings.Contains(DefaultPack(), "[pack]") {
		t.Fatal("matcher version or default pack missing")
	}
}

func TestScan(t *testing.T) {
	e := mustPack(t, packA)
	defer e.Close()
	v, err := e.Scan("say alphaword now")
	if err != nil {
		t.Fatal(err)
	}
	if v.Decision != Block || v.Score != 10 || v.Decision.String() != "block" {
		t.Fatalf("verdict %+v", v)
	}
	want := Hit{Rule: "a.alpha", Category: "test", Weight: 10, Start: 4, End: 13, Text: "alphaword"}
	if len(v.Hits) != 1 || v.Hits[0] != want {
		t.Fatalf("hits %+v", v.Hits)
	}
	if len(v.Categories) != 1 || v.Categories[0] != (Category{"test", 10}) {
		t.Fatalf("categories %+v", v.Categories)
	}
	v, err = e.ScanBytes([]byte("\xff alphaword"))
	if err != nil || v.InvalidBytes != 1 || v.Hits[0].Start != 2 {
		t.Fatalf("%+v %v", v, err)
	}
	for _, s := range []string{"", "clean"} {
		v, err = e.Scan(s)
		if err != nil || v.Decision != Allow || v.Hits != nil {
			t.Fatalf("%q: %+v %v", s, v, err)
		}
	}
}

func TestJSON(t *testing.T) {
	e := mustPack(t, packA)
	defer e.Close()
	j, err := e.ScanJSON("alphaword", StringID("m1"))
	if err != nil || !strings.HasPrefix(j, `{"id":"m1","verdict":"block","score":10,`) {
		t.Fatalf("%s %v", j, err)
	}
	j, _ = e.ScanJSON("x", NumberID("5"))
	if j != `{"id":5,"verdict":"allow","score":0,"categories":{},"hits":[]}` {
		t.Fatal(j)
	}
	j, _ = e.ScanJSON("x", NullID)
	if !strings.HasPrefix(j, `{"id":null,`) {
		t.Fatal(j)
	}
	j, _ = e.ScanJSON("x", StringID(""))
	if !strings.HasPrefix(j, `{"id":"",`) {
		t.Fatal(j)
	}
	if _, err = e.ScanJSON("x", NumberID("five")); !errors.Is(err, &Error{Code: ErrCodeInvalid}) {
		t.Fatalf("want VIGIL_E_INVALID, got %v", err)
	}
	lines, err := e.ScanBatchJSONL([]string{"alphaword", "x", "y"}, []ID{StringID("a"), NumberID("2"), NullID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(strings.TrimSuffix(string(lines), "\n"), "\n")
	one, _ := e.ScanJSON("alphaword", StringID("a"))
	if len(parts) != 3 || parts[0] != one || !strings.HasPrefix(parts[1], `{"id":2,`) ||
		!strings.HasPrefix(parts[2], `{"id":null,`) {
		t.Fatalf("%q", lines)
	}
	if _, err = e.ScanBatchJSONL([]string{"a"}, []ID{}, nil); err == nil {
		t.Fatal("mismatched ids accepted")
	}
}

func TestBatch(t *testing.T) {
	e := mustPack(t, packA)
	defer e.Close()
	texts := make([]string, 500)
	for i := range texts {
		texts[i] = fmt.Sprintf("msg %d", i)
		if i%3 == 0 {
			texts[i] += " alphaword"
		}
	}
	for _, threads := range []int{0, 1, 4} {
		vs, err := e.ScanBatch(texts, &BatchOptions{Threads: threads})
		if err != nil || len(vs) != len(texts) {
			t.Fatal(err)
		}
		for i, v := range vs {
			want := Allow
			if i%3 == 0 {
				want = Block
			}
			if v.Decision != want || (want == Block && v.Hits[0].Rule != "a.alpha") {
				t.Fatalf("%d: %+v", i, v)
			}
		}
	}
	bs := [][]byte{[]byte("alphaword"), nil, []byte("x")}
	vs, err := e.ScanBatchBytes(bs, nil)
	if err != nil || vs[0].Decision != Block || vs[1].Decision != Allow {
		t.Fatal(vs, err)
	}
	vs, err = e.ScanBatch(nil, nil)
	if err != nil || len(vs) != 0 {
		t.Fatal(vs, err)
	}
}

func TestErrors(t *testing.T) {
	_, err := OpenPackString("[pack]\nname = \"bad\"\n[[rule]]\nid = \"x\"\nweight = \"h\"\n", "bad.toml", "", nil)
	var ve *Error
	if !errors.As(err, &ve) || ve.Code != ErrCodePack || ve.Name != "VIGIL_E_PACK" ||
		!strings.Contains(ve.Message, "bad.toml") {
		t.Fatalf("%#v", err)
	}
	if _, err = LoadEngine("/nonexistent.engine"); !errors.Is(err, &Error{Code: ErrCodeEngineFile}) {
		t.Fatal(err)
	}
	if _, err = EngineFromBytes([]byte("nope")); err == nil {
		t.Fatal("garbage engine accepted")
	}
	if _, err = OpenPackFile("/nonexistent.toml", nil); !errors.Is(err, &Error{Code: ErrCodePack}) {
		t.Fatal(err)
	}
	e := mustPack(t, packA)
	e.Close()
	e.Close()
	if _, err = e.Scan("x"); err != ErrClosed {
		t.Fatal(err)
	}
	if _, err = e.ScanBatch([]string{"x"}, nil); err != ErrClosed {
		t.Fatal(err)
	}
}

func TestFiles(t *testing.T) {
	e := mustPack(t, packA)
	defer e.Close()
	path := filepath.Join(t.TempDir(), "a.engine")
	if err := e.Save(path); err != nil {
		t.Fatal(err)
	}
	l, err := LoadEngine(path)
	if err != nil || l.PackHash() != e.PackHash() || len(e.PackHash()) != 64 {
		t.Fatal(err)
	}
	l.Close()
	data, err := e.Serialize()
	if err != nil {
		t.Fatal(err)
	}
	b, err := EngineFromBytes(data)
	if err != nil || b.PackName() != "pack-a" || b.PackVersion() != "1" || b.RuleCount() != 1 {
		t.Fatal(err)
	}
	b.Close()
	packPath := filepath.Join(t.TempDir(), "b.toml")
	os.WriteFile(packPath, []byte(packB), 0o644)
	nb, err := OpenPackFile(packPath, &EngineOptions{Streaming: false})
	if err != nil || nb.SupportsStreaming() || !e.SupportsStreaming() {
		t.Fatal(err)
	}
	if _, err = nb.OpenStream(); !errors.Is(err, &Error{Code: ErrCodeState}) {
		t.Fatal(err)
	}
	nb.Close()
	d, err := DefaultEngine(nil)
	if err != nil || d.RuleCount() < 10 {
		t.Fatal(err)
	}
	d.Close()
}

func TestStream(t *testing.T) {
	e := mustPack(t, packA)
	s, err := e.OpenStream()
	if err != nil {
		t.Fatal(err)
	}
	e.Close() // the stream keeps the engine alive
	for _, part := range []string{"first al", "pha", "word end"} {
		if _, err = s.WriteString(part); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Fprintf(s, " more %d", 1)
	v, err := s.Close()
	if err != nil || v.Decision != Block || v.Hits[0].Start != 6 {
		t.Fatal(v, err)
	}
	if _, err = s.Close(); err != ErrClosed {
		t.Fatal(err)
	}
	if _, err = s.Write([]byte("x")); err != ErrClosed {
		t.Fatal(err)
	}
	s.Abandon()
}

func TestHolderSwapUnderLoad(t *testing.T) {
	a := mustPack(t, packA)
	b := mustPack(t, packB)
	h, err := NewHolder(a)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	cur, _ := h.Engine()
	if cur.PackName() != "pack-a" {
		t.Fatal(cur.PackName())
	}
	cur.Close()
	var stop atomic.Bool
	var bad, scans atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				v, err := h.Scan("alphaword")
				scans.Add(1)
				if err != nil || len(v.Hits) != 1 ||
					!((v.Hits[0].Rule == "a.alpha" && v.Decision == Block) ||
						(v.Hits[0].Rule == "b.beta" && v.Decision == Review)) {
					bad.Add(1)
				}
				vs, err := h.ScanBatch([]string{"alphaword", "alphaword"}, nil)
				if err != nil || vs[0].Hits[0].Rule != vs[1].Hits[0].Rule {
					bad.Add(1)
				}
			}
		}()
	}
	for i := 0; i < 100; i++ {
		next := a
		if i%2 == 0 {
			next = b
		}
		if err := h.Swap(next); err != nil {
			t.Error(err)
		}
		time.Sleep(time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	a.Close()
	b.Close()
	if bad.Load() != 0 || scans.Load() == 0 {
		t.Fatalf("%d bad of %d", bad.Load(), scans.Load())
	}
	if _, err := h.Scan("alphaword"); err != nil { // the holder still holds its engine
		t.Fatal(err)
	}
}

func TestFinalizerSafetyNet(t *testing.T) {
	for i := 0; i < 20; i++ {
		e := mustPack(t, packA)
		_ = e // never closed: the finalizer frees it
	}
	for i := 0; i < 3; i++ {
		runtimeGC()
	}
}

func BenchmarkScanTiny(b *testing.B) {
	e := mustPack(b, packA)
	defer e.Close()
	msg := strings.Repeat("the weather was fine ", 7)[:140]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.Scan(msg)
	}
}
