package vigil

// Batches: many messages in one call, optionally on several threads.

/*
#include <stdlib.h>
#include <string.h>
#include "vigil.h"

// The headlines of a batch into parallel arrays.
static void govigil_batch_summaries(const vigil_batch* b, int* decisions, double* scores,
                                    size_t* hits, size_t* cats, uint64_t* invalid, size_t n) {
	vigil_verdict_summary s;
	size_t i;
	for (i = 0; i < n; ++i) {
		s.struct_size = sizeof s;
		vigil_verdict_get_summary(vigil_batch_verdict(b, i), &s);
		decisions[i] = s.decision;
		scores[i] = s.score;
		hits[i] = s.hit_count;
		cats[i] = s.category_count;
		invalid[i] = s.invalid_bytes;
	}
}
// Render verdict i of a batch with the id at ids[id_off[i] .. id_off[i+1]) and flags[i]
// (flags[i] = 2: no id, "null"), appending every line and '\n' to one new buffer.
static int govigil_batch_jsonl(const vigil_batch* b, const char* ids, const size_t* id_off,
                               const unsigned char* flags, size_t n, char** out, size_t* out_len) {
	size_t cap = 256 * (n + 1), len = 0, i;
	char* buf = (char*)malloc(cap);
	if (buf == NULL) return VIGIL_E_NOMEM;
	for (i = 0; i < n; ++i) {
		size_t need = 0;
		const vigil_verdict* v = vigil_batch_verdict(b, i);
		const char* id = flags[i] == 2 ? NULL : ids + id_off[i];
		size_t id_len = flags[i] == 2 ? 0 : id_off[i + 1] - id_off[i];
		unsigned f = flags[i] == 1 ? VIGIL_JSON_ID_RAW : VIGIL_JSON_ID_STRING;
		int rc = vigil_verdict_json_into(v, id, id_len, f, buf + len, cap - len, &need);
		if (rc == VIGIL_E_BUFFER_TOO_SMALL) {
			char* bigger;
			cap = (cap + need + 2) * 2;
			bigger = (char*)realloc(buf, cap);
			if (bigger == NULL) { free(buf); return VIGIL_E_NOMEM; }
			buf = bigger;
			rc = vigil_verdict_json_into(v, id, id_len, f, buf + len, cap - len, &need);
		}
		if (rc < 0) { free(buf); return rc; }
		len += need;
		if (len + 1 >= cap) {
			char* bigger;
			cap *= 2;
			bigger = (char*)realloc(buf, cap);
			if (bigger == NULL) { free(buf); return VIGIL_E_NOMEM; }
			buf = bigger;
		}
		buf[len++] = '\n';
	}
	*out = buf;
	*out_len = len;
	return VIGIL_OK;
}
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// BatchOptions tunes batch scans; nil means the calling thread only.
type BatchOptions struct {
	// Threads to scan on (0 or 1: the calling thread; N: it and N-1 more started per call).
	Threads int
}

type packed struct {
	data    []byte
	offsets []C.size_t
}

// pack lays the messages end to end in one buffer with n+1 offsets, the layout of
// vigil_scan_batch_packed (one cgo call and no per-message C strings).
func pack[T string | []byte](texts []T) packed {
	total := 0
	for _, t := range texts {
		total += len(t)
	}
	pk := packed{data: make([]byte, 0, total+1), offsets: make([]C.size_t, len(texts)+1)}
	for i, t := range texts {
		pk.data = append(pk.data, t...)
		pk.offsets[i+1] = C.size_t(len(pk.data))
	}
	return pk
}

func (o *BatchOptions) c() C.vigil_batch_options {
	var c C.vigil_batch_options
	c.struct_size = C.size_t(unsafe.Sizeof(c))
	if o != nil && o.Threads > 0 {
		c.threads = C.uint(o.Threads)
	}
	return c
}

type batchScanner func(data *C.char, offsets *C.size_t, n C.size_t, opts *C.vigil_batch_options,
	out **C.vigil_batch) C.int

func runBatch(pk packed, opts *BatchOptions, scan batchScanner) (*C.vigil_batch, error) {
	n := len(pk.offsets) - 1
	copts := opts.c()
	var b *C.vigil_batch
	data := (*C.char)(unsafe.Pointer(unsafe.SliceData(pk.data)))
	err := call(func() C.int { return scan(data, &pk.offsets[0], C.size_t(n), &copts, &b) })
	runtime.KeepAlive(pk.data)
	return b, err
}

func batchVerdicts(b *C.vigil_batch) []Verdict {
	n := int(C.vigil_batch_size(b))
	out := make([]Verdict, n)
	if n == 0 {
		return out
	}
	decisions := make([]C.int, n)
	scores := make([]C.double, n)
	hits := make([]C.size_t, n)
	cats := make([]C.size_t, n)
	invalid := make([]C.uint64_t, n)
	C.govigil_batch_summaries(b, &decisions[0], &scores[0], &hits[0], &cats[0], &invalid[0], C.size_t(n))
	for i := range out {
		if hits[i] == 0 && cats[i] == 0 {
			out[i].Decision = Decision(decisions[i])
			out[i].Score = float64(scores[i])
			out[i].InvalidBytes = uint64(invalid[i])
			continue
		}
		s := C.vigil_verdict_summary{decision: decisions[i], score: scores[i], hit_count: hits[i],
			category_count: cats[i], invalid_bytes: invalid[i]}
		convert(C.vigil_batch_verdict(b, C.size_t(i)), &s, &out[i])
	}
	return out
}

// ScanBatch scans many messages in one call (one cgo crossing for the scans); verdicts are
// in input order. opts may be nil.
func (e *Engine) ScanBatch(texts []string, opts *BatchOptions) ([]Verdict, error) {
	return e.scanBatch(pack(texts), opts)
}

// ScanBatchBytes is ScanBatch for byte slices.
func (e *Engine) ScanBatchBytes(texts [][]byte, opts *BatchOptions) ([]Verdict, error) {
	return e.scanBatch(pack(texts), opts)
}

// batch scans the packed messages into a new C batch, which the caller frees.
func (e *Engine) batch(pk packed, opts *BatchOptions) (*C.vigil_batch, error) {
	p, err := e.ptr()
	if err != nil {
		return nil, err
	}
	b, err := runBatch(pk, opts, func(d *C.char, o *C.size_t, n C.size_t, co *C.vigil_batch_options, out **C.vigil_batch) C.int {
		return C.vigil_scan_batch_packed(p, d, o, n, co, out)
	})
	runtime.KeepAlive(e)
	return b, err
}

func (e *Engine) scanBatch(pk packed, opts *BatchOptions) ([]Verdict, error) {
	b, err := e.batch(pk, opts)
	if err != nil {
		return nil, err
	}
	defer C.vigil_batch_free(b)
	return batchVerdicts(b), nil
}

// ScanBatchJSONL scans texts in one call and returns their JSON lines, each followed by '\n'
// (exactly what `vigil scan --jsonl` prints for them); ids[i] is the id of texts[i] (ids may
// be nil: all null).
func (e *Engine) ScanBatchJSONL(texts []string, ids []ID, opts *BatchOptions) ([]byte, error) {
	if ids != nil && len(ids) != len(texts) {
		return nil, &Error{Code: ErrCodeInvalid, Name: "VIGIL_E_INVALID", Message: "len(ids) != len(texts)"}
	}
	b, err := e.batch(pack(texts), opts)
	if err != nil {
		return nil, err
	}
	defer C.vigil_batch_free(b)
	idText := make([]string, len(texts))
	flags := make([]C.uchar, len(texts)+1)
	for i := range texts {
		flags[i] = 2
		if ids != nil {
			switch ids[i].kind {
			case 1:
				idText[i], flags[i] = ids[i].text, 0
			case 2:
				idText[i], flags[i] = ids[i].text, 1
			}
		}
	}
	pk := pack(idText)
	var out *C.char
	var n C.size_t
	err = call(func() C.int {
		return C.govigil_batch_jsonl(b, (*C.char)(unsafe.Pointer(unsafe.SliceData(pk.data))),
			&pk.offsets[0], &flags[0], C.size_t(len(texts)), &out, &n)
	})
	runtime.KeepAlive(pk.data)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), C.int(n)), nil
}
