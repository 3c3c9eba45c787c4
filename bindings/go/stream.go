package vigil

// Streams: one message scanned as its chunks arrive.

/*
#include <stdlib.h>
#include <string.h>
#include "vigil.h"

int govigil_finish(vigil_verdict** out, vigil_verdict_summary* s);  // vigil.go
static int govigil_stream_close(vigil_stream* st, vigil_verdict** out, vigil_verdict_summary* s) {
	int rc = vigil_stream_close(st, out);
	return rc < 0 ? rc : govigil_finish(out, s);
}
*/
import "C"

import (
	"runtime"
	"sync"
)

// Stream is one message arriving in chunks: Write each (it is an io.Writer), then Close for
// the verdict. One goroutine at a time.
type Stream struct {
	p    *C.vigil_stream
	once sync.Once
}

// OpenStream starts a streamed message (the engine needs EngineOptions.Streaming).
func (e *Engine) OpenStream() (*Stream, error) {
	p, err := e.ptr()
	if err != nil {
		return nil, err
	}
	var s *C.vigil_stream
	err = call(func() C.int { return C.vigil_stream_open(p, &s) })
	runtime.KeepAlive(e)
	if err != nil {
		return nil, err
	}
	st := &Stream{p: s}
	runtime.SetFinalizer(st, (*Stream).Abandon)
	return st, nil
}

// Write appends a chunk (a chunk may split a UTF-8 sequence or a term anywhere).
func (s *Stream) Write(chunk []byte) (int, error) {
	return s.write(cbytes(chunk), len(chunk))
}

// WriteString appends a chunk given as a string.
func (s *Stream) WriteString(chunk string) (int, error) {
	return s.write(cstr(chunk), len(chunk))
}

// write appends the n bytes at data (the caller's chunk, kept alive by this pointer).
func (s *Stream) write(data *C.char, n int) (int, error) {
	if s.p == nil {
		return 0, ErrClosed
	}
	p := s.p
	err := call(func() C.int { return C.vigil_stream_write(p, data, C.size_t(n)) })
	runtime.KeepAlive(s)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Close ends the message and returns its verdict; the stream is released either way.
func (s *Stream) Close() (Verdict, error) {
	if s.p == nil {
		return Verdict{}, ErrClosed
	}
	p := s.p
	s.p = nil
	runtime.SetFinalizer(s, nil)
	var v Verdict
	var out *C.vigil_verdict
	var sum C.vigil_verdict_summary
	err := call(func() C.int { return C.govigil_stream_close(p, &out, &sum) })
	if err != nil {
		return v, err
	}
	if out != nil {
		convert(out, &sum, &v)
		C.vigil_verdict_free(out)
	} else {
		v.Decision = Decision(sum.decision)
	}
	return v, nil
}

// Abandon drops the stream without a verdict. Safe to call twice.
func (s *Stream) Abandon() {
	s.once.Do(func() {
		runtime.SetFinalizer(s, nil)
		if s.p != nil {
			C.vigil_stream_free(s.p)
			s.p = nil
		}
	})
}
