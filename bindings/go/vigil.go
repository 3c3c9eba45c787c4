// Package vigil is the Go binding of vigil, an engine that identifies terrorist and
// violent-extremist content: text is normalised against evasion, matched against a rule pack
// and scored into an allow / review / block verdict with every hit and its byte span.
//
// It wraps libvigil's C ABI (vigil.h) with cgo; libvigil is found with pkg-config ("vigil"):
// an installed libvigil, or a build tree's with
// PKG_CONFIG_PATH=<build>/meson-uninstalled and LD_LIBRARY_PATH=<build>.
//
// An Engine is immutable and safe for concurrent use by any number of goroutines; per-scan
// state comes from a pool inside the engine. Close engines (and holders, streams) when done;
// a finalizer frees forgotten ones, but Close must not race with calls still using the object.
package vigil

/*
#cgo pkg-config: vigil
#include <stdlib.h>
#include <string.h>
#include "vigil.h"

// One crossing for a whole scan: the verdict's headline is written to *s; a verdict without
// anything to report (allow, score 0, no hit) is freed at once and *out set to NULL.
int govigil_finish(vigil_verdict** out, vigil_verdict_summary* s) {  // also used by stream.go, holder.go
	s->struct_size = sizeof *s;
	vigil_verdict_get_summary(*out, s);
	if (s->decision == VIGIL_ALLOW && s->score == 0.0 && s->hit_count == 0 &&
	    s->category_count == 0 && s->invalid_bytes == 0) {
		vigil_verdict_free(*out);
		*out = NULL;
	}
	return VIGIL_OK;
}
// On failure the thread-local message is copied out in the same C call (*err, freed by Go),
// so the hot path needs no runtime.LockOSThread.
static int govigil_scan(const vigil_engine* e, const char* text, size_t len,
                        vigil_verdict** out, vigil_verdict_summary* s, char** err) {
	int rc = vigil_scan(e, text, len, out);
	if (rc < 0) { *err = strdup(vigil_last_error()); return rc; }
	return govigil_finish(out, s);
}
static const char* govigil_header_version(void) { return VIGIL_VERSION_STRING; }
const char govigil_empty[1] = "";
static int govigil_scan_json(const vigil_engine* e, const char* text, size_t len,
                             const char* id, size_t id_len, unsigned flags,
                             char** json, size_t* json_len) {
	vigil_verdict* v;
	int rc = vigil_scan(e, text, len, &v);
	if (rc < 0) return rc;
	rc = vigil_verdict_json(v, id, id_len, flags, json, json_len);
	vigil_verdict_free(v);
	return rc;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Version is the version of the libvigil in use, e.g. "0.1.0".
func Version() string { return C.GoString(C.vigil_version_string()) }

// HeaderVersion is the VIGIL_VERSION_STRING of the vigil.h this package was compiled with.
func HeaderVersion() string { return C.GoString(C.govigil_header_version()) }

// MatcherVersion is the Hyperscan/Vectorscan version libvigil runs on.
func MatcherVersion() string { return C.GoString(C.vigil_matcher_version()) }

// DefaultPack returns the embedded default rule pack (canonical TOML).
func DefaultPack() string {
	var n C.size_t
	p := C.vigil_default_pack(&n)
	return C.GoStringN(p, C.int(n))
}

// Error codes (VIGIL_E_*).
const (
	ErrCodeInvalid        = int(C.VIGIL_E_INVALID)
	ErrCodeNoMem          = int(C.VIGIL_E_NOMEM)
	ErrCodePack           = int(C.VIGIL_E_PACK)
	ErrCodeEngineFile     = int(C.VIGIL_E_ENGINE_FILE)
	ErrCodeInternal       = int(C.VIGIL_E_INTERNAL)
	ErrCodeState          = int(C.VIGIL_E_STATE)
	ErrCodeTooLarge       = int(C.VIGIL_E_TOO_LARGE)
	ErrCodeScan           = int(C.VIGIL_E_SCAN)
	ErrCodeBufferTooSmall = int(C.VIGIL_E_BUFFER_TOO_SMALL)
)

// Error is a failed libvigil call: Code is the VIGIL_E_* value, Name its name
// ("VIGIL_E_PACK"), Message what went wrong (for packs: file, line, rule id and reason).
type Error struct {
	Code    int
	Name    string
	Message string
}

func (e *Error) Error() string { return "vigil: " + e.Name + ": " + e.Message }

// Is makes errors.Is(err, &vigil.Error{Code: vigil.ErrCodePack}) match on the code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrClosed is returned by calls on a closed Engine, Holder or Stream.
var ErrClosed = errors.New("vigil: use of a closed object")

// lastError must be called on the goroutine's OS thread right after the failing call: the C
// message is thread-local, so callers lock the OS thread around call + lastError.
func lastError(rc C.int) error {
	return &Error{Code: int(rc), Name: C.GoString(C.vigil_error_name(rc)),
		Message: C.GoString(C.vigil_last_error())}
}

// call runs f (which calls into libvigil) with the OS thread locked when it fails, so the
// thread-local message read afterwards belongs to this call.
func call(f func() C.int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := f(); rc < 0 {
		return lastError(rc)
	}
	return nil
}

// Decision is a verdict's outcome.
type Decision int

const (
	Allow  Decision = 0
	Review Decision = 1
	Block  Decision = 2
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "allow"
	case Review:
		return "review"
	case Block:
		return "block"
	}
	return fmt.Sprintf("Decision(%d)", int(d))
}

// Category is a category's score (after its cap) in a verdict.
type Category struct {
	Name  string
	Score float64
}

// Hit is one contribution to a verdict: a rule hit or a composite that fired.
type Hit struct {
	Rule      string
	Category  string
	Weight    float64 // what it added to its category, before the cap
	Start     uint64  // byte span [Start, End) in the original message
	End       uint64
	Text      string // the original bytes of the span
	Composite bool
}

// Verdict is the result of a scan (a plain Go value; nothing to free).
type Verdict struct {
	Decision     Decision
	Score        float64
	Categories   []Category // categories with at least one hit, in pack order
	Hits         []Hit      // in order of start offset
	InvalidBytes uint64     // invalid UTF-8 bytes replaced during normalisation
}

func convert(p *C.vigil_verdict, s *C.vigil_verdict_summary, v *Verdict) {
	v.Decision = Decision(s.decision)
	v.Score = float64(s.score)
	v.InvalidBytes = uint64(s.invalid_bytes)
	if p == nil {
		return
	}
	if n := int(s.category_count); n > 0 {
		v.Categories = make([]Category, n)
		for i := 0; i < n; i++ {
			v.Categories[i] = Category{
				Name:  C.GoString(C.vigil_verdict_category_name(p, C.size_t(i))),
				Score: float64(C.vigil_verdict_category_score(p, C.size_t(i))),
			}
		}
	}
	if n := int(s.hit_count); n > 0 {
		v.Hits = make([]Hit, n)
		var info C.vigil_hit_info
		info.struct_size = C.size_t(unsafe.Sizeof(info))
		for i := 0; i < n; i++ {
			C.vigil_verdict_get_hit(p, C.size_t(i), &info)
			v.Hits[i] = Hit{
				Rule:      C.GoStringN(info.rule, C.int(info.rule_len)),
				Category:  C.GoStringN(info.category, C.int(info.category_len)),
				Weight:    float64(info.weight),
				Start:     uint64(info.start),
				End:       uint64(info.end),
				Text:      C.GoStringN(info.text, C.int(info.text_len)),
				Composite: info.composite != 0,
			}
		}
	}
}

// cstr points C at a Go string's bytes (no copy; C does not keep it).
func cstr(s string) *C.char {
	if len(s) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(unsafe.StringData(s)))
}

func cbytes(b []byte) *C.char {
	if len(b) == 0 {
		return nil
	}
	return (*C.char)(unsafe.Pointer(&b[0]))
}

// EngineOptions tunes compiling a pack. The zero value is NOT the default: use
// DefaultEngineOptions or nil.
type EngineOptions struct {
	// Streaming compiles the streaming databases OpenStream needs (default true).
	Streaming bool
}

// DefaultEngineOptions returns the defaults.
func DefaultEngineOptions() *EngineOptions { return &EngineOptions{Streaming: true} }

func (o *EngineOptions) c() *C.vigil_engine_options {
	if o == nil {
		return nil
	}
	c := (*C.vigil_engine_options)(C.malloc(C.size_t(unsafe.Sizeof(C.vigil_engine_options{}))))
	c.struct_size = C.size_t(unsafe.Sizeof(*c))
	c.streaming = 0
	if o.Streaming {
		c.streaming = 1
	}
	return c
}

// Engine is a compiled rule pack, safe for concurrent use.
type Engine struct {
	p    *C.vigil_engine
	once sync.Once
}

func newEngine(p *C.vigil_engine) *Engine {
	e := &Engine{p: p}
	runtime.SetFinalizer(e, (*Engine).Close)
	return e
}

func openEngine(f func(out **C.vigil_engine) C.int) (*Engine, error) {
	var p *C.vigil_engine
	if err := call(func() C.int { return f(&p) }); err != nil {
		return nil, err
	}
	return newEngine(p), nil
}

// DefaultEngine compiles the embedded default pack (opts may be nil).
func DefaultEngine(opts *EngineOptions) (*Engine, error) {
	co := opts.c()
	defer C.free(unsafe.Pointer(co))
	return openEngine(func(out **C.vigil_engine) C.int { return C.vigil_engine_open_default(co, out) })
}

// OpenPackFile compiles a TOML pack file (side files relative to it).
func OpenPackFile(path string, opts *EngineOptions) (*Engine, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	co := opts.c()
	defer C.free(unsafe.Pointer(co))
	return openEngine(func(out **C.vigil_engine) C.int {
		return C.vigil_engine_open_pack_file(cpath, co, out)
	})
}

// OpenPackString compiles a pack given as TOML text; origin names it in errors and side
// files are resolved relative to baseDir ("" for the current directory).
func OpenPackString(toml, origin, baseDir string, opts *EngineOptions) (*Engine, error) {
	var corigin, cbase *C.char
	if origin != "" {
		corigin = C.CString(origin)
		defer C.free(unsafe.Pointer(corigin))
	}
	if baseDir != "" {
		cbase = C.CString(baseDir)
		defer C.free(unsafe.Pointer(cbase))
	}
	co := opts.c()
	defer C.free(unsafe.Pointer(co))
	return openEngine(func(out **C.vigil_engine) C.int {
		return C.vigil_engine_open_pack_string(cstr(toml), C.size_t(len(toml)), corigin, cbase, co, out)
	})
}

// LoadEngine opens a serialised engine file (Engine.Save, `vigil compile`).
func LoadEngine(path string) (*Engine, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return openEngine(func(out **C.vigil_engine) C.int { return C.vigil_engine_open_file(cpath, out) })
}

// EngineFromBytes opens a serialised engine from memory (Engine.Serialize).
func EngineFromBytes(data []byte) (*Engine, error) {
	return openEngine(func(out **C.vigil_engine) C.int {
		return C.vigil_engine_open_bytes(unsafe.Pointer(cbytes(data)), C.size_t(len(data)), out)
	})
}

// Close releases the engine (streams and holders keep their own references). Safe to call
// twice; not while other goroutines still scan with this Engine.
func (e *Engine) Close() error {
	e.once.Do(func() {
		runtime.SetFinalizer(e, nil)
		C.vigil_engine_free(e.p)
		e.p = nil
	})
	return nil
}

func (e *Engine) ptr() (*C.vigil_engine, error) {
	if e == nil || e.p == nil {
		return nil, ErrClosed
	}
	return e.p, nil
}

// Save writes the serialised engine to path atomically.
func (e *Engine) Save(path string) error {
	p, err := e.ptr()
	if err != nil {
		return err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	err = call(func() C.int { return C.vigil_engine_save(p, cpath) })
	runtime.KeepAlive(e)
	return err
}

// Serialize returns the engine file bytes.
func (e *Engine) Serialize() ([]byte, error) {
	p, err := e.ptr()
	if err != nil {
		return nil, err
	}
	var data unsafe.Pointer
	var n C.size_t
	err = call(func() C.int { return C.vigil_engine_serialize(p, &data, &n) })
	runtime.KeepAlive(e)
	if err != nil {
		return nil, err
	}
	defer C.vigil_free(data)
	return C.GoBytes(data, C.int(n)), nil
}

// PackName, PackVersion, PackHash (SHA-256 hex of the canonical pack), RuleCount and
// SupportsStreaming describe the engine.
func (e *Engine) PackName() string {
	return e.str(func(p *C.vigil_engine) *C.char { return C.vigil_engine_pack_name(p) })
}
func (e *Engine) PackVersion() string {
	return e.str(func(p *C.vigil_engine) *C.char { return C.vigil_engine_pack_version(p) })
}
func (e *Engine) PackHash() string {
	return e.str(func(p *C.vigil_engine) *C.char { return C.vigil_engine_pack_hash(p) })
}

func (e *Engine) str(f func(*C.vigil_engine) *C.char) string {
	p, err := e.ptr()
	if err != nil {
		return ""
	}
	s := C.GoString(f(p))
	runtime.KeepAlive(e)
	return s
}

func (e *Engine) RuleCount() int {
	p, err := e.ptr()
	if err != nil {
		return 0
	}
	n := int(C.vigil_engine_rule_count(p))
	runtime.KeepAlive(e)
	return n
}

func (e *Engine) SupportsStreaming() bool {
	p, err := e.ptr()
	if err != nil {
		return false
	}
	ok := C.vigil_engine_supports_streaming(p) == 1
	runtime.KeepAlive(e)
	return ok
}

// scanResult is the C call's outputs in one Go allocation.
type scanResult struct {
	v   *C.vigil_verdict
	s   C.vigil_verdict_summary
	err *C.char
}

func (r *scanResult) verdict(rc C.int) (Verdict, error) {
	var v Verdict
	if rc < 0 {
		msg := C.GoString(r.err)
		C.free(unsafe.Pointer(r.err))
		return v, &Error{Code: int(rc), Name: C.GoString(C.vigil_error_name(rc)), Message: msg}
	}
	if r.v != nil {
		convert(r.v, &r.s, &v)
		C.vigil_verdict_free(r.v)
	} else {
		v.Decision = Decision(r.s.decision)
		v.Score = float64(r.s.score)
	}
	return v, nil
}

// Scan scans one message (any bytes; invalid UTF-8 is replaced and counted).
func (e *Engine) Scan(text string) (Verdict, error) {
	p, err := e.ptr()
	if err != nil {
		return Verdict{}, err
	}
	var r scanResult
	rc := C.govigil_scan(p, cstr(text), C.size_t(len(text)), &r.v, &r.s, &r.err)
	runtime.KeepAlive(e)
	return r.verdict(rc)
}

// ScanBytes is Scan for a byte slice.
func (e *Engine) ScanBytes(text []byte) (Verdict, error) {
	p, err := e.ptr()
	if err != nil {
		return Verdict{}, err
	}
	var r scanResult
	rc := C.govigil_scan(p, cbytes(text), C.size_t(len(text)), &r.v, &r.s, &r.err)
	runtime.KeepAlive(e)
	return r.verdict(rc)
}

// ID is the "id" of a JSON verdict line: NullID (the zero value), StringID or NumberID.
type ID struct {
	text string
	kind uint8 // 0 null, 1 string, 2 number
}

// NullID renders "id":null.
var NullID = ID{}

// StringID renders "id":"s" (escaped as the CLI does).
func StringID(s string) ID { return ID{text: s, kind: 1} }

// NumberID renders "id":raw where raw is a JSON number as written in the input, e.g. "5".
func NumberID(raw string) ID { return ID{text: raw, kind: 2} }

func (id ID) c() (*C.char, C.size_t, C.uint) {
	switch id.kind {
	case 1:
		if len(id.text) == 0 { // "" is not null: a non-NULL pointer of length 0
			return &C.govigil_empty[0], 0, C.VIGIL_JSON_ID_STRING
		}
		return cstr(id.text), C.size_t(len(id.text)), C.VIGIL_JSON_ID_STRING
	case 2:
		return cstr(id.text), C.size_t(len(id.text)), C.VIGIL_JSON_ID_RAW
	}
	return nil, 0, C.VIGIL_JSON_ID_STRING
}

// ScanJSON scans one message and returns the CLI's JSON line for it (no newline), byte for
// byte what `vigil scan --jsonl` prints.
func (e *Engine) ScanJSON(text string, id ID) (string, error) {
	p, err := e.ptr()
	if err != nil {
		return "", err
	}
	idp, idn, flags := id.c()
	var out *C.char
	var n C.size_t
	err = call(func() C.int {
		return C.govigil_scan_json(p, cstr(text), C.size_t(len(text)), idp, idn, flags, &out, &n)
	})
	runtime.KeepAlive(e)
	if err != nil {
		return "", err
	}
	defer C.vigil_free(unsafe.Pointer(out))
	return C.GoStringN(out, C.int(n)), nil
}
