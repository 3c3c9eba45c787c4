package vigil

import (
	"errors"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var pdqA3 = "a" + refBridge[1:] // 3 bits from refBridge

func mustBank(t *testing.T) *Bank {
	t.Helper()
	b, err := NewBank()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestBankLoadErrorsNameTheLine(t *testing.T) {
	b := mustBank(t)
	text := "# known images\n" + refBridge + ",bridge\n" + refBridge[:63] + ",short\n"
	opts := DefaultBankLoadOptions()
	opts.Signal = SignalPDQ
	err := b.LoadText(text, "upload", opts)
	if e := wantCode(t, err, ErrCodeBank); e.Name != "VIGIL_E_BANK" || !strings.Contains(e.Message, "upload:3:") {
		t.Errorf("error %v does not name upload:3", e)
	}
	if !errors.Is(err, &Error{Code: ErrCodeBank}) {
		t.Error("errors.Is on the code")
	}
	if banks, _ := b.Banks(); b.Size() != 0 || len(banks) != 0 {
		t.Errorf("a failed load added entries: %d, %v", b.Size(), banks)
	}
	err = b.LoadText(refBridge+"\n", "ambiguous", nil) // PDQ or SHA-256?
	if e := wantCode(t, err, ErrCodeBank); !strings.Contains(e.Message, "ambiguous:1:") {
		t.Errorf("message %q", e.Message)
	}
	path := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(path, []byte("md5 "+strings.Repeat("0", 32)+" ok\nmd5 xyz broken\n"), 0o600)
	err = b.LoadFile(path, nil)
	if e := wantCode(t, err, ErrCodeBank); !strings.Contains(e.Message, "bad.txt:2:") {
		t.Errorf("message %q does not name bad.txt:2", e.Message)
	}
	wantCode(t, b.LoadFile("/nonexistent/bank.txt", nil), ErrCodeBank)
	wantCode(t, b.LoadText("", "x", &BankLoadOptions{Action: BankAction(9), Signal: SignalAuto, Radius: -1}), ErrCodeInvalid)
}

func TestBankDefineAddQuery(t *testing.T) {
	b := mustBank(t)
	path := filepath.Join(t.TempDir(), "tve.csv")
	os.WriteFile(path, []byte("hash,label,signal_type\n"+refBridge+",\"bridge, photo\",pdq\n"), 0o600)
	if err := b.LoadFile(path, nil); err != nil {
		t.Fatal(err)
	}
	banks, err := b.Banks()
	want := BankInfo{Name: "tve", Signal: SignalPDQ, Action: BankBlock, Radius: 31, Size: 1}
	if err != nil || len(banks) != 1 || banks[0] != want {
		t.Fatalf("Banks = %+v, %v", banks, err)
	}
	v, err := b.Query(SignalPDQ, pdqA3, -1)
	wantHit := BankHit{Bank: "tve", Signal: SignalPDQ, Distance: 3, Label: "bridge, photo", Action: BankBlock}
	if err != nil || v.Decision != Block || !v.BanksChecked || len(v.BankHits) != 1 || v.BankHits[0] != wantHit {
		t.Fatalf("Query = %+v, %v", v, err)
	}
	if v, _ := b.Query(SignalPDQ, pdqA3, 2); len(v.BankHits) != 0 || v.Decision != Allow {
		t.Errorf("radius 2 matched: %+v", v)
	}
	if err := b.Define("news", SignalPDQ, BankAllow, 0); err != nil {
		t.Fatal(err)
	}
	raw, _ := FromHex(pdqA3)
	if err := b.AddHash("news", raw, "press photo"); err != nil {
		t.Fatal(err)
	}
	v, _ = b.Query(SignalPDQ, pdqA3, -1)
	if v.Decision != Allow || len(v.BankHits) != 2 || !v.BankHits[0].Suppressed || v.BankHits[1].Bank != "news" {
		t.Errorf("allow-list: %+v", v)
	}
	js, err := b.QueryJSON(SignalPDQ, pdqA3, -1, StringID("q"))
	if err != nil || !strings.HasPrefix(js, `{"id":"q","verdict":"allow"`) || !strings.Contains(js, `"suppressed":true`) {
		t.Errorf("QueryJSON = %s, %v", js, err)
	}
	if err := b.Define("texts", SignalSimHash64, BankReview, -1); err != nil {
		t.Fatal(err)
	}
	sh, _ := SimHash64("join the caravan", 0)
	if err := b.Add("texts", fmt.Sprintf("%016x", sh), "slogan"); err != nil {
		t.Fatal(err)
	}
	if b.Size() != 3 {
		t.Errorf("Size = %d", b.Size())
	}
	q, _ := SimHash64("JOIN the c@r@v@n", 0)
	if v, err := b.Query(SignalSimHash64, fmt.Sprintf("%016x", q), -1); err != nil || v.Decision != Review {
		t.Errorf("simhash query: %+v, %v", v, err)
	}
	wantCode(t, b.Add("tve", "abc", ""), ErrCodeBank)
	wantCode(t, b.Add("nosuch", refBridge, ""), ErrCodeBank)
	wantCode(t, b.Add("", refBridge, ""), ErrCodeInvalid) // three banks: which?
	wantCode(t, b.Define("tve", SignalMD5, BankBlock, -1), ErrCodeBank)
	_, err = b.Query(SignalPDQ, "xyz", -1)
	wantCode(t, err, ErrCodeHash)
	_, err = b.Query(SignalPDQ, refBridge, -2)
	wantCode(t, err, ErrCodeInvalid)
}

var (
	sharedEngineOnce sync.Once
	sharedEngine     *Engine
	sharedEngineErr  error
)

// defaultEngine is the default pack without streaming, compiled once for all bank tests.
func defaultEngine(t *testing.T) *Engine {
	t.Helper()
	sharedEngineOnce.Do(func() { sharedEngine, sharedEngineErr = DefaultEngine(&EngineOptions{}) })
	if sharedEngineErr != nil {
		t.Fatal(sharedEngineErr)
	}
	return sharedEngine
}

func TestScannerText(t *testing.T) {
	e := defaultEngine(t)
	b := mustBank(t)
	md5, _ := DigestString(MD5, "hello world")
	opts := DefaultBankLoadOptions()
	opts.Action = BankReview
	if err := b.LoadText("md5 "+ToHex(md5)+" greeting\n", "known", opts); err != nil {
		t.Fatal(err)
	}
	s, err := NewScanner(e, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.Scan("hello world")
	if err != nil || v.Decision != Review || len(v.BankHits) != 1 || v.BankHits[0].Bank != "known" ||
		v.BankHits[0].Signal != SignalMD5 || v.BankHits[0].Label != "greeting" {
		t.Fatalf("Scan = %+v, %v", v, err)
	}
	js, _ := s.ScanJSON("hello world", NumberID("1"))
	if !strings.HasPrefix(js, `{"id":1,"verdict":"review"`) {
		t.Errorf("ScanJSON = %s", js)
	}
	plain, _ := s.ScanJSON("a quiet afternoon", StringID("x"))
	rules, _ := e.ScanJSON("a quiet afternoon", StringID("x"))
	if plain != strings.TrimSuffix(rules, "}")+`,"bank_hits":[]}` {
		t.Errorf("scanner %s vs engine %s", plain, rules)
	}
	noBanks, err := NewScanner(e, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer noBanks.Close()
	if v, _ := noBanks.Scan("hello world"); v.BanksChecked {
		t.Error("a scanner without a bank checked banks")
	}
}

func cliPath(t *testing.T) string {
	cli := os.Getenv("VIGIL_CLI")
	if cli == "" {
		t.Skip("VIGIL_CLI not set")
	}
	if _, err := os.Stat(cli); err != nil {
		t.Skip("VIGIL_CLI not built")
	}
	return cli
}

func TestScannerImagesLikeTheCLI(t *testing.T) {
	needPDQData(t)
	e := defaultEngine(t)
	b := mustBank(t)
	bankFile := filepath.Join(t.TempDir(), "tve.txt")
	os.WriteFile(bankFile, []byte("pdq "+refBridge+" bridge photo\n"), 0o600)
	if err := b.LoadFile(bankFile, nil); err != nil {
		t.Fatal(err)
	}
	opts := DefaultScannerOptions()
	opts.Dihedral = true
	s, err := NewScanner(e, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.ScanFile(rotated)
	if err != nil || v.Decision != Block || len(v.BankHits) == 0 || v.BankHits[0].Transform == "" {
		t.Fatalf("ScanFile = %+v, %v", v, err)
	}
	data, _ := os.ReadFile(rotated)
	fromBytes, _ := s.ScanBytesJSON(data, StringID(rotated), true)
	fromFile, err := s.ScanFileJSON(rotated)
	if err != nil || fromBytes != fromFile {
		t.Errorf("bytes %s vs file %s (%v)", fromBytes, fromFile, err)
	}
	img, err := jpeg.Decode(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	px, err := s.ScanImage(img, data) // Go's JPEG decoder differs slightly: compare the bank hit
	if err != nil || px.Decision != Block || px.BankHits[0].Bank != "tve" || px.BankHits[0].Distance > 31 {
		t.Errorf("ScanImage = %+v, %v", px, err)
	}
	cli := cliPath(t)
	out, err := exec.Command(cli, "scan", "--dihedral", "--bank", bankFile, rotated).Output()
	if line := strings.TrimSuffix(string(out), "\n"); line != fromFile {
		t.Errorf("CLI %q (%v)\n  vs binding %q", line, err, fromFile)
	}
	_, err = s.ScanBytes([]byte("\xff\xd8\xff broken"))
	wantCode(t, err, ErrCodeImage)
	_, err = s.ScanFile(filepath.Join(t.TempDir(), "missing.jpg"))
	wantCode(t, err, ErrCodeIO)
}

func TestScannerTextJSONLikeTheCLI(t *testing.T) {
	e := defaultEngine(t)
	dir := t.TempDir()
	msg := filepath.Join(dir, "msg.txt")
	os.WriteFile(msg, []byte("join the caravan today\n"), 0o600)
	sha, _ := DigestFile(SHA256, msg)
	bankFile := filepath.Join(dir, "known.txt")
	os.WriteFile(bankFile, []byte("sha256 "+ToHex(sha)+" known message\n"), 0o600)
	b := mustBank(t)
	if err := b.LoadFile(bankFile, nil); err != nil {
		t.Fatal(err)
	}
	s, err := NewScanner(e, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	js, err := s.ScanFileJSON(msg)
	if err != nil || !strings.Contains(js, `"bank":"known"`) {
		t.Fatalf("ScanFileJSON = %s, %v", js, err)
	}
	out, err := exec.Command(cliPath(t), "scan", "--bank", bankFile, msg).Output()
	if line := strings.TrimSuffix(string(out), "\n"); line != js {
		t.Errorf("CLI %q (%v)\n  vs binding %q", line, err, js)
	}
}

// Scans on several goroutines while another adds entries: every scan sees a consistent bank,
// and a scan after an add sees the entry.
func TestBankGrowsWhileScanning(t *testing.T) {
	e := defaultEngine(t)
	b := mustBank(t)
	if err := b.Define("grow", SignalMD5, BankBlock, -1); err != nil {
		t.Fatal(err)
	}
	s, err := NewScanner(e, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				if _, err := s.Scan(fmt.Sprintf("message %d", (i*7+w)%n)); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	for i := 0; i < n; i++ {
		h, _ := DigestString(MD5, fmt.Sprintf("message %d", i))
		if err := b.AddHash("grow", h, fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if b.Size() != n {
		t.Errorf("Size = %d", b.Size())
	}
	if v, _ := s.Scan("message 17"); v.Decision != Block || v.BankHits[0].Label != "17" {
		t.Errorf("after adds: %+v", v)
	}
}

func TestUseAfterClose(t *testing.T) {
	e := mustPack(t, packA)
	b := mustBank(t)
	b.Define("k", SignalMD5, BankBlock, -1)
	s, err := NewScanner(e, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := DigestString(MD5, "known")
	b.AddHash("k", h, "")
	b.Close()
	b.Close()
	e.Close()
	if v, err := s.Scan("known"); err != nil || v.Decision != Block { // the scanner keeps both alive
		t.Errorf("scan after closing bank and engine: %+v, %v", v, err)
	}
	s.Close()
	s.Close()
	for name, err := range map[string]error{
		"bank.Add":     b.Add("k", ToHex(h), ""),
		"bank.Load":    b.LoadText("", "x", nil),
		"bank.Define":  b.Define("x", SignalMD5, BankBlock, -1),
		"scanner.Scan": func() error { _, err := s.Scan("x"); return err }(),
		"scanner.File": func() error { _, err := s.ScanFile("x"); return err }(),
		"bank.Query":   func() error { _, err := b.Query(SignalMD5, ToHex(h), -1); return err }(),
		"bank.Banks":   func() error { _, err := b.Banks(); return err }(),
		"NewScanner":   func() error { _, err := NewScanner(e, nil, nil); return err }(),
	} {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: %v", name, err)
		}
	}
	if b.Size() != 0 {
		t.Error("Size after Close")
	}
	var nilScanner *Scanner
	if _, err := nilScanner.Scan("x"); !errors.Is(err, ErrClosed) {
		t.Errorf("nil scanner: %v", err)
	}
}

// Banks and scanners dropped without Close are freed by their finalizers, in any order, while
// a live scanner over the same engine keeps working.
func TestFinalizersFreeForgottenHandles(t *testing.T) {
	e := defaultEngine(t)
	for i := 0; i < 50; i++ {
		b, err := NewBank()
		if err != nil {
			t.Fatal(err)
		}
		b.Define("k", SignalMD5, BankBlock, -1)
		if _, err := NewScanner(e, b, nil); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.GC()
	s, err := NewScanner(e, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Scan("still scanning"); err != nil {
		t.Fatal(err)
	}
}
