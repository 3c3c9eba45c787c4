package vigil

// Holders: the hot-reload point that swaps engines while scans run.

/*
#include <stdlib.h>
#include <string.h>
#include "vigil.h"

int govigil_finish(vigil_verdict** out, vigil_verdict_summary* s);  // vigil.go
static int govigil_holder_scan(const vigil_holder* h, const char* text, size_t len,
                               vigil_verdict** out, vigil_verdict_summary* s, char** err) {
	int rc = vigil_holder_scan(h, text, len, out);
	if (rc < 0) { *err = strdup(vigil_last_error()); return rc; }
	return govigil_finish(out, s);
}
*/
import "C"

import (
	"runtime"
	"sync"
)

// Holder is the hot-reload point: scans through it use the current engine, Swap replaces it
// atomically while scans run on other goroutines (those finish on the engine they started
// with). Safe for concurrent use.
type Holder struct {
	p    *C.vigil_holder
	once sync.Once
}

// NewHolder makes a holder whose current engine is e (the holder keeps its own reference).
func NewHolder(e *Engine) (*Holder, error) {
	p, err := e.ptr()
	if err != nil {
		return nil, err
	}
	var h *C.vigil_holder
	err = call(func() C.int { return C.vigil_holder_create(p, &h) })
	runtime.KeepAlive(e)
	if err != nil {
		return nil, err
	}
	holder := &Holder{p: h}
	runtime.SetFinalizer(holder, (*Holder).Close)
	return holder, nil
}

func (h *Holder) ptr() (*C.vigil_holder, error) {
	if h == nil || h.p == nil {
		return nil, ErrClosed
	}
	return h.p, nil
}

// Swap makes e the current engine.
func (h *Holder) Swap(e *Engine) error {
	hp, err := h.ptr()
	if err != nil {
		return err
	}
	ep, err := e.ptr()
	if err != nil {
		return err
	}
	err = call(func() C.int { return C.vigil_holder_swap(hp, ep) })
	runtime.KeepAlive(h)
	runtime.KeepAlive(e)
	return err
}

// Engine returns the current engine (a new handle: Close it when done).
func (h *Holder) Engine() (*Engine, error) {
	hp, err := h.ptr()
	if err != nil {
		return nil, err
	}
	var p *C.vigil_engine
	err = call(func() C.int { return C.vigil_holder_engine(hp, &p) })
	runtime.KeepAlive(h)
	if err != nil {
		return nil, err
	}
	return newEngine(p), nil
}

// Scan scans one message with the current engine.
func (h *Holder) Scan(text string) (Verdict, error) {
	hp, err := h.ptr()
	if err != nil {
		return Verdict{}, err
	}
	var r scanResult
	rc := C.govigil_holder_scan(hp, cstr(text), C.size_t(len(text)), &r.v, &r.s, &r.err)
	runtime.KeepAlive(h)
	return r.verdict(rc)
}

// ScanBatch scans many messages with the current engine (all on the same engine).
func (h *Holder) ScanBatch(texts []string, opts *BatchOptions) ([]Verdict, error) {
	hp, err := h.ptr()
	if err != nil {
		return nil, err
	}
	b, err := runBatch(pack(texts), opts, func(d *C.char, o *C.size_t, n C.size_t, co *C.vigil_batch_options, out **C.vigil_batch) C.int {
		return C.vigil_holder_scan_batch_packed(hp, d, o, n, co, out)
	})
	runtime.KeepAlive(h)
	if err != nil {
		return nil, err
	}
	defer C.vigil_batch_free(b)
	return batchVerdicts(b), nil
}

// Close releases the holder. Safe to call twice; not while other goroutines still use it.
func (h *Holder) Close() error {
	h.once.Do(func() {
		runtime.SetFinalizer(h, nil)
		C.vigil_holder_free(h.p)
		h.p = nil
	})
	return nil
}
