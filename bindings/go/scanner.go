package vigil

// Scanners: an engine's rules and a Bank's banks in one verdict, as `vigil scan --bank`.

/*
#include <stdlib.h>
#include "vigil.h"
#include "govigil_image.h"

static int govigil_scanner_pixels(const vigil_scanner* s, const uint8_t* data, size_t size,
                                  int width, int height, size_t stride, int format,
                                  const void* file, size_t file_len, vigil_verdict** out) {
	vigil_image image = govigil_image(data, size, width, height, stride, format);
	return vigil_scanner_scan_pixels(s, &image, file, file_len, out);
}
*/
import "C"

import (
	"image"
	"runtime"
	"sync"
	"unsafe"
)

// BankHit is one bank entry that matched.
type BankHit struct {
	Bank       string
	Signal     Signal
	Distance   int // Hamming distance; 0 for digests
	Label      string
	Action     BankAction
	Suppressed bool   // an allow-list hit overrode it (it did not count)
	Transform  string // with dihedral matching, the rotation/flip that matched ("" when none)
}

// ScanVerdict is a Verdict with the bank hits of a scanner or a bank query (a plain value).
type ScanVerdict struct {
	Verdict
	BanksChecked bool      // banks were consulted (the JSON then has "bank_hits")
	BankHits     []BankHit // per signal, nearest first, then allow-list hits
}

// newVerdict runs a call producing a verdict, reading its error on the same OS thread.
func newVerdict(f func(out **C.vigil_verdict) C.int) (*C.vigil_verdict, error) {
	var v *C.vigil_verdict
	if err := call(func() C.int { return f(&v) }); err != nil {
		return nil, err
	}
	return v, nil
}

// finishVerdict converts and frees v; render (may be nil) sees it first.
func finishVerdict(v *C.vigil_verdict, render func(*C.vigil_verdict) error) (ScanVerdict, error) {
	defer C.vigil_verdict_free(v)
	var out ScanVerdict
	if render != nil {
		if err := render(v); err != nil {
			return out, err
		}
	}
	var s C.vigil_verdict_summary
	s.struct_size = C.size_t(unsafe.Sizeof(s))
	C.vigil_verdict_get_summary(v, &s)
	convert(v, &s, &out.Verdict)
	out.BanksChecked = C.vigil_verdict_banks_checked(v) == 1
	n := int(C.vigil_verdict_bank_hit_count(v))
	for i := 0; i < n; i++ {
		var h C.vigil_bank_hit_info
		h.struct_size = C.size_t(unsafe.Sizeof(h))
		C.vigil_verdict_get_bank_hit(v, C.size_t(i), &h)
		out.BankHits = append(out.BankHits, BankHit{
			Bank:   C.GoStringN(h.bank, C.int(h.bank_len)),
			Signal: Signal(h.signal), Distance: int(h.distance),
			Label:  C.GoStringN(h.label, C.int(h.label_len)),
			Action: BankAction(h.action), Suppressed: h.suppressed != 0,
			Transform: C.GoString(h.transform),
		})
	}
	return out, nil
}

// verdictJSON renders v as the CLI's JSON line; keyFile uses "file" instead of "id".
func verdictJSON(v *C.vigil_verdict, id ID, keyFile bool) (string, error) {
	idp, idn, flags := id.c()
	if keyFile {
		flags |= C.VIGIL_JSON_KEY_FILE
	}
	var js *C.char
	var n C.size_t
	err := call(func() C.int { return C.vigil_verdict_json(v, idp, idn, flags, &js, &n) })
	runtime.KeepAlive(id.text)
	if err != nil {
		return "", err
	}
	defer C.vigil_free(unsafe.Pointer(js))
	return C.GoStringN(js, C.int(n)), nil
}

// ScannerOptions tunes a scanner. The zero value is NOT the default: use
// DefaultScannerOptions or nil.
type ScannerOptions struct {
	Dihedral      bool   // also match images rotated/flipped (default false)
	Squash        bool   // squash images over 512 px to 512x512 before PDQ (default true)
	MinPDQQuality int    // PDQ hashes under this quality are not matched (default 50)
	MaxPixels     uint64 // refuse encoded images of more pixels before decoding (0: 2^27)
}

// DefaultScannerOptions returns the defaults.
func DefaultScannerOptions() *ScannerOptions {
	return &ScannerOptions{Squash: true, MinPDQQuality: 50}
}

// Scanner scans text, files and images with an engine's rules and a bank's banks. Safe for
// concurrent use; it keeps its engine and bank alive (they may be closed first) and sees the
// bank as it is at each scan. Close must not race with scans on the same Scanner.
type Scanner struct {
	p    *C.vigil_scanner
	once sync.Once
}

// NewScanner makes a scanner over e and bank (bank may be nil: it then scans as e.Scan and
// verdicts carry no bank hits). opts may be nil.
func NewScanner(e *Engine, bank *Bank, opts *ScannerOptions) (*Scanner, error) {
	ep, err := e.ptr()
	if err != nil {
		return nil, err
	}
	var bp *C.vigil_bank
	if bank != nil {
		if bp, err = bank.ptr(); err != nil {
			return nil, err
		}
	}
	if opts == nil {
		opts = DefaultScannerOptions()
	}
	c := C.vigil_scanner_options{dihedral: cbool(opts.Dihedral), squash: cbool(opts.Squash),
		min_pdq_quality: C.int(opts.MinPDQQuality), max_pixels: C.uint64_t(opts.MaxPixels)}
	c.struct_size = C.size_t(unsafe.Sizeof(c))
	var p *C.vigil_scanner
	err = call(func() C.int { return C.vigil_scanner_create(ep, bp, &c, &p) })
	runtime.KeepAlive(e)
	runtime.KeepAlive(bank)
	if err != nil {
		return nil, err
	}
	s := &Scanner{p: p}
	runtime.SetFinalizer(s, (*Scanner).Close)
	return s, nil
}

// Close releases the scanner. Safe to call twice.
func (s *Scanner) Close() error {
	s.once.Do(func() {
		runtime.SetFinalizer(s, nil)
		C.vigil_scanner_free(s.p)
		s.p = nil
	})
	return nil
}

type scanCall func(p *C.vigil_scanner, out **C.vigil_verdict) C.int

func (s *Scanner) run(f scanCall, render func(*C.vigil_verdict) error) (ScanVerdict, error) {
	if s == nil || s.p == nil {
		return ScanVerdict{}, ErrClosed
	}
	p := s.p
	v, err := newVerdict(func(out **C.vigil_verdict) C.int { return f(p, out) })
	runtime.KeepAlive(s)
	if err != nil {
		return ScanVerdict{}, err
	}
	return finishVerdict(v, render)
}

func (s *Scanner) runJSON(f scanCall, id ID, keyFile bool) (string, error) {
	var js string
	_, err := s.run(f, func(v *C.vigil_verdict) (err error) {
		js, err = verdictJSON(v, id, keyFile)
		return err
	})
	return js, err
}

func scanText(text string) scanCall {
	return func(p *C.vigil_scanner, out **C.vigil_verdict) C.int {
		return C.vigil_scanner_scan(p, cstr(text), C.size_t(len(text)), out)
	}
}

func scanData(data []byte) scanCall {
	return func(p *C.vigil_scanner, out **C.vigil_verdict) C.int {
		return C.vigil_scanner_scan_bytes(p, unsafe.Pointer(cbytes(data)), C.size_t(len(data)), out)
	}
}

func scanPath(cpath *C.char) scanCall {
	return func(p *C.vigil_scanner, out **C.vigil_verdict) C.int {
		return C.vigil_scanner_scan_file(p, cpath, out)
	}
}

// Scan scans one message: rules, MD5/SHA-256 of its bytes and SimHash-64 of its normal form.
func (s *Scanner) Scan(text string) (ScanVerdict, error) { return s.run(scanText(text), nil) }

// ScanJSON is Scan rendered as the CLI's JSON line (`vigil scan --jsonl --bank`).
func (s *Scanner) ScanJSON(text string, id ID) (string, error) {
	return s.runJSON(scanText(text), id, false)
}

// ScanBytes scans a whole file's bytes: a JPEG or PNG is matched as an image, anything else
// as text.
func (s *Scanner) ScanBytes(data []byte) (ScanVerdict, error) { return s.run(scanData(data), nil) }

// ScanBytesJSON is ScanBytes rendered as JSON (keyFile: "file" instead of "id").
func (s *Scanner) ScanBytesJSON(data []byte, id ID, keyFile bool) (string, error) {
	return s.runJSON(scanData(data), id, keyFile)
}

// ScanFile scans a file read from path (as ScanBytes).
func (s *Scanner) ScanFile(path string) (ScanVerdict, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return s.run(scanPath(cpath), nil)
}

// ScanFileJSON is ScanFile rendered exactly as `vigil scan --bank BANK PATH` prints it
// ({"file":PATH,...}).
func (s *Scanner) ScanFileJSON(path string) (string, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return s.runJSON(scanPath(cpath), StringID(path), true)
}

// ScanPixels scans decoded pixels as an image (PDQ); file holds the encoded bytes they came
// from, for MD5/SHA-256 banks (nil: digest banks are not consulted).
func (s *Scanner) ScanPixels(px Pixels, file []byte) (ScanVerdict, error) {
	v, err := s.run(func(p *C.vigil_scanner, out **C.vigil_verdict) C.int {
		return C.govigil_scanner_pixels(p, cuint8(px.Data), C.size_t(len(px.Data)), C.int(px.Width),
			C.int(px.Height), C.size_t(px.Stride), C.int(px.Format), unsafe.Pointer(cbytes(file)),
			C.size_t(len(file)), out)
	}, nil)
	runtime.KeepAlive(px.Data)
	runtime.KeepAlive(file)
	return v, err
}

// ScanImage scans a decoded Go image (see PixelsFromImage); file as for ScanPixels.
func (s *Scanner) ScanImage(img image.Image, file []byte) (ScanVerdict, error) {
	return s.ScanPixels(PixelsFromImage(img), file)
}
