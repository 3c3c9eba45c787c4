package vigil

// Hash banks: named lists of known hashes (MD5, SHA-256, PDQ, SimHash-64) with a label per
// entry and an action on a hit, as `vigil scan --bank/--review-bank/--allow-bank` loads them.

/*
#include <stdlib.h>
#include "vigil.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Signal is the type of hash a bank holds.
type Signal int

const (
	SignalMD5       Signal = Signal(C.VIGIL_SIGNAL_MD5)       // raw bytes, exact
	SignalSHA256    Signal = Signal(C.VIGIL_SIGNAL_SHA256)    // raw bytes, exact
	SignalPDQ       Signal = Signal(C.VIGIL_SIGNAL_PDQ)       // images, Hamming radius (default 31)
	SignalSimHash64 Signal = Signal(C.VIGIL_SIGNAL_SIMHASH64) // normalised text, Hamming radius (default 6)
	// SignalAuto (load option only): the type comes from the file (type column, typed lines,
	// hash length).
	SignalAuto Signal = Signal(C.VIGIL_SIGNAL_AUTO)
)

// String is the library's name ("md5", "sha256", "pdq", "simhash64").
func (s Signal) String() string {
	if s == SignalAuto {
		return "auto"
	}
	if p := C.vigil_signal_name(C.int(s)); p != nil {
		return C.GoString(p)
	}
	return fmt.Sprintf("Signal(%d)", int(s))
}

// BankAction is what a hit in a bank does.
type BankAction int

const (
	BankBlock  BankAction = BankAction(C.VIGIL_BANK_BLOCK)  // a hit blocks
	BankReview BankAction = BankAction(C.VIGIL_BANK_REVIEW) // a hit asks for review at least
	// BankAllow is an allow-list: its hits suppress the other banks' hits of the same signal
	// (those are still reported, marked Suppressed).
	BankAllow BankAction = BankAction(C.VIGIL_BANK_ALLOW)
)

// String is the library's name ("block", "review", "allow").
func (a BankAction) String() string {
	if p := C.vigil_bank_action_name(C.int(a)); p != nil {
		return C.GoString(p)
	}
	return fmt.Sprintf("BankAction(%d)", int(a))
}

// BankLoadOptions tunes loading a bank file. The zero value is NOT the default (its Signal
// would be MD5): use DefaultBankLoadOptions or nil.
type BankLoadOptions struct {
	Action BankAction // for every bank the file defines (default BankBlock)
	// Signal is SignalAuto (default) or the type every line must be; needed for plain lists of
	// 64-digit hashes (PDQ or SHA-256?).
	Signal Signal
	// Bank names the bank of entries without a bank column ("": named after the file).
	Bank string
	// Radius is the Hamming banks' match radius (-1: the signal's default).
	Radius int
	// MinQuality skips PDQ entries with a known quality under it (default 0).
	MinQuality int
}

// DefaultBankLoadOptions returns the defaults.
func DefaultBankLoadOptions() *BankLoadOptions {
	return &BankLoadOptions{Action: BankBlock, Signal: SignalAuto, Radius: -1}
}

// c fills a C options struct; its bank name is C memory the caller frees with free().
func (o *BankLoadOptions) c() (C.vigil_bank_load_options, *C.char) {
	if o == nil {
		o = DefaultBankLoadOptions()
	}
	c := C.vigil_bank_load_options{action: C.int(o.Action), signal: C.int(o.Signal),
		radius: C.int(o.Radius), min_quality: C.int(o.MinQuality)}
	c.struct_size = C.size_t(unsafe.Sizeof(c))
	if o.Bank != "" {
		c.bank = C.CString(o.Bank)
	}
	return c, c.bank
}

// BankInfo describes one named bank.
type BankInfo struct {
	Name   string
	Signal Signal
	Action BankAction
	Radius int // Hamming banks' radius; 0 for digests
	Size   int
}

// Bank is a set of named hash banks. Safe for concurrent use: any number of goroutines may
// query and scan with it while others load or add entries (scans started later see them).
// Close must not race with other calls on the same Bank.
type Bank struct {
	p    *C.vigil_bank
	once sync.Once
}

// NewBank returns an empty Bank.
func NewBank() (*Bank, error) {
	var p *C.vigil_bank
	if err := call(func() C.int { return C.vigil_bank_create(&p) }); err != nil {
		return nil, err
	}
	b := &Bank{p: p}
	runtime.SetFinalizer(b, (*Bank).Close)
	return b, nil
}

// Close releases the handle (scanners built from it keep its banks). Safe to call twice.
func (b *Bank) Close() error {
	b.once.Do(func() {
		runtime.SetFinalizer(b, nil)
		C.vigil_bank_free(b.p)
		b.p = nil
	})
	return nil
}

func (b *Bank) ptr() (*C.vigil_bank, error) {
	if b == nil || b.p == nil {
		return nil, ErrClosed
	}
	return b.p, nil
}

// LoadFile loads a bank file (README "Bank files"). All or nothing: a bad line fails with
// ErrCodeBank and "FILE:LINE: reason" and adds nothing. opts may be nil.
func (b *Bank) LoadFile(path string, opts *BankLoadOptions) error {
	p, err := b.ptr()
	if err != nil {
		return err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	copts, cname := opts.c()
	defer C.free(unsafe.Pointer(cname))
	err = call(func() C.int { return C.vigil_bank_load_file(p, cpath, &copts) })
	runtime.KeepAlive(b)
	return err
}

// LoadText loads bank text from memory; name stands for the file in messages and as the
// default bank name.
func (b *Bank) LoadText(text, name string, opts *BankLoadOptions) error {
	p, err := b.ptr()
	if err != nil {
		return err
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	copts, cname := opts.c()
	defer C.free(unsafe.Pointer(cname))
	err = call(func() C.int {
		return C.vigil_bank_load_text(p, cstr(text), C.size_t(len(text)), cn, &copts)
	})
	runtime.KeepAlive(b)
	runtime.KeepAlive(text)
	return err
}

// Define creates an empty bank; radius -1 means the signal's default.
func (b *Bank) Define(name string, signal Signal, action BankAction, radius int) error {
	p, err := b.ptr()
	if err != nil {
		return err
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	err = call(func() C.int { return C.vigil_bank_define(p, cn, C.int(signal), C.int(action), C.int(radius)) })
	runtime.KeepAlive(b)
	return err
}

// Add adds one entry (hash in hex, either case, of the bank's signal type) to the bank named
// bank ("": the handle's only bank). It is searchable at once.
func (b *Bank) Add(bank, hexHash, label string) error {
	p, err := b.ptr()
	if err != nil {
		return err
	}
	var cn *C.char
	if bank != "" {
		cn = C.CString(bank)
		defer C.free(unsafe.Pointer(cn))
	}
	err = call(func() C.int {
		return C.vigil_bank_add(p, cn, cstrOrEmpty(hexHash), C.size_t(len(hexHash)), cstr(label),
			C.size_t(len(label)))
	})
	runtime.KeepAlive(b)
	runtime.KeepAlive(hexHash)
	runtime.KeepAlive(label)
	return err
}

// AddHash is Add with the hash given as bytes.
func (b *Bank) AddHash(bank string, hash []byte, label string) error {
	return b.Add(bank, ToHex(hash), label)
}

// Size is the number of entries in all banks (0 once closed).
func (b *Bank) Size() int {
	p, err := b.ptr()
	if err != nil {
		return 0
	}
	n := int(C.vigil_bank_size(p))
	runtime.KeepAlive(b)
	return n
}

// Banks describes the named banks in the order they were defined.
func (b *Bank) Banks() ([]BankInfo, error) {
	p, err := b.ptr()
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(b)
	n := int(C.vigil_bank_count(p))
	out := make([]BankInfo, 0, n)
	for i := 0; i < n; i++ {
		var info C.vigil_bank_info
		info.struct_size = C.size_t(unsafe.Sizeof(info))
		if err := call(func() C.int { return C.vigil_bank_get_info(p, C.size_t(i), &info) }); err != nil {
			return nil, err // a bank added concurrently cannot shrink the count: not expected
		}
		out = append(out, BankInfo{Name: C.GoString(info.name), Signal: Signal(info.signal),
			Action: BankAction(info.action), Radius: int(info.radius), Size: int(info.size)})
	}
	return out, nil
}

// Query looks one hash (hex) up in every bank of the signal type; Hamming banks match within
// radius (-1: each bank's own). The verdict is what a scan of such an item would give from the
// banks alone.
func (b *Bank) Query(signal Signal, hexHash string, radius int) (ScanVerdict, error) {
	return b.query(signal, hexHash, radius, nil)
}

// QueryJSON is Query rendered as the CLI's JSON line (with "bank_hits").
func (b *Bank) QueryJSON(signal Signal, hexHash string, radius int, id ID) (string, error) {
	var js string
	_, err := b.query(signal, hexHash, radius, func(v *C.vigil_verdict) (err error) {
		js, err = verdictJSON(v, id, false)
		return err
	})
	return js, err
}

func (b *Bank) query(signal Signal, hexHash string, radius int, render func(*C.vigil_verdict) error) (ScanVerdict, error) {
	p, err := b.ptr()
	if err != nil {
		return ScanVerdict{}, err
	}
	v, err := newVerdict(func(out **C.vigil_verdict) C.int {
		return C.vigil_bank_query(p, C.int(signal), cstrOrEmpty(hexHash), C.size_t(len(hexHash)),
			C.int(radius), out)
	})
	runtime.KeepAlive(b)
	runtime.KeepAlive(hexHash)
	if err != nil {
		return ScanVerdict{}, err
	}
	return finishVerdict(v, render)
}
