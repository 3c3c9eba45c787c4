package vigil

// Hashes that need no handle: digests of bytes and files, hex conversion, Hamming distance,
// the text normal form and its SimHash-64 / MinHash sketches. All are safe for concurrent use.

/*
#include <stdlib.h>
#include "vigil.h"
extern const char govigil_empty[1];
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Error codes of hashing and banks (VIGIL_E_*).
const (
	ErrCodeBank  = int(C.VIGIL_E_BANK)  // a bank file or entry is invalid ("FILE:LINE: reason")
	ErrCodeHash  = int(C.VIGIL_E_HASH)  // a hash could not be computed or parsed
	ErrCodeImage = int(C.VIGIL_E_IMAGE) // an image could not be decoded, or bad pixels
	ErrCodeIO    = int(C.VIGIL_E_IO)    // a file could not be opened or read
)

// MinHashSlots is the number of slots of a MinHash signature.
const MinHashSlots = int(C.VIGIL_MINHASH_SLOTS)

// DigestKind selects a digest algorithm. The constants are those libvigil documents; kinds
// added by a newer libvigil work too (DigestKinds lists what the linked library knows).
type DigestKind int

const (
	MD5     DigestKind = DigestKind(C.VIGIL_DIGEST_MD5)
	SHA256  DigestKind = DigestKind(C.VIGIL_DIGEST_SHA256)
	XXH3128 DigestKind = DigestKind(C.VIGIL_DIGEST_XXH3_128) // fast, not cryptographic
)

// maxDigestKind bounds the search for kinds the linked library knows.
const maxDigestKind = 64

// String is the library's name of the kind ("md5", "sha256", "xxh3_128").
func (k DigestKind) String() string {
	if p := C.vigil_hash_digest_name(C.int(k)); p != nil {
		return C.GoString(p)
	}
	return fmt.Sprintf("DigestKind(%d)", int(k))
}

// Size is the digest's length in bytes; 0 for a kind the library does not know.
func (k DigestKind) Size() int { return int(C.vigil_hash_digest_size(C.int(k))) }

// DigestKinds lists every kind the linked library knows, in numeric order.
func DigestKinds() []DigestKind {
	var kinds []DigestKind
	for k := DigestKind(0); k < maxDigestKind; k++ {
		if k.Size() > 0 {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// DigestKindByName finds a kind by its library name ("md5", "sha256", "xxh3_128"); "xxh3"
// is accepted for xxh3_128.
func DigestKindByName(name string) (DigestKind, error) {
	if name == "xxh3" {
		name = "xxh3_128"
	}
	for _, k := range DigestKinds() {
		if k.String() == name {
			return k, nil
		}
	}
	return 0, &Error{Code: ErrCodeInvalid, Name: "VIGIL_E_INVALID",
		Message: fmt.Sprintf("unknown digest %q", name)}
}

// Digest returns the digest of data.
func Digest(kind DigestKind, data []byte) ([]byte, error) {
	var out [C.VIGIL_DIGEST_MAX_SIZE]C.uint8_t
	err := call(func() C.int {
		return C.vigil_hash_digest(C.int(kind), unsafe.Pointer(cbytes(data)), C.size_t(len(data)),
			&out[0], C.size_t(len(out)))
	})
	runtime.KeepAlive(data)
	if err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(&out[0]), C.int(kind.Size())), nil
}

// DigestString is Digest of a string's bytes.
func DigestString(kind DigestKind, text string) ([]byte, error) {
	return Digest(kind, unsafe.Slice(unsafe.StringData(text), len(text)))
}

// DigestFile returns the digest of a file's bytes (read in chunks; any size). A file that
// cannot be read gives ErrCodeIO with its name in the message.
func DigestFile(kind DigestKind, path string) ([]byte, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var out [C.VIGIL_DIGEST_MAX_SIZE]C.uint8_t
	err := call(func() C.int {
		return C.vigil_hash_digest_file(C.int(kind), cpath, &out[0], C.size_t(len(out)))
	})
	if err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(&out[0]), C.int(kind.Size())), nil
}

func cuint8(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// ToHex is the lowercase hex form of a hash (what bank files hold and `vigil hash` prints).
func ToHex(hash []byte) string {
	buf := make([]byte, 2*len(hash)+1)
	C.vigil_hash_to_hex(cuint8(hash), C.size_t(len(hash)), (*C.char)(unsafe.Pointer(&buf[0])),
		C.size_t(len(buf)))
	runtime.KeepAlive(hash)
	return string(buf[:2*len(hash)])
}

// FromHex parses an even number of hex digits (either case); bad input gives ErrCodeHash.
func FromHex(hex string) ([]byte, error) {
	out := make([]byte, len(hex)/2+1)
	var n C.size_t
	err := call(func() C.int {
		return C.vigil_hash_from_hex(cstrOrEmpty(hex), C.size_t(len(hex)), cuint8(out),
			C.size_t(len(out)), &n)
	})
	runtime.KeepAlive(hex)
	if err != nil {
		return nil, err
	}
	return out[:n], nil
}

// cstrOrEmpty is cstr that never gives NULL (for calls that refuse NULL even with length 0).
func cstrOrEmpty(s string) *C.char {
	if len(s) == 0 {
		return &C.govigil_empty[0]
	}
	return cstr(s)
}

// Distance is the Hamming distance (differing bits) of two hashes of the same length, e.g.
// two PDQ hashes (a match at <= 31).
func Distance(a, b []byte) (int, error) {
	if len(a) != len(b) {
		return 0, &Error{Code: ErrCodeInvalid, Name: "VIGIL_E_INVALID",
			Message: fmt.Sprintf("hashes of different lengths (%d and %d bytes)", len(a), len(b))}
	}
	d := C.vigil_hash_distance(cuint8(a), cuint8(b), C.size_t(len(a)))
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	return int(d), nil
}

// Normalize returns the normal form of text that the rules, SimHash and MinHash see (case
// folded, evasion spellings undone, words separated by single spaces).
func Normalize(text string) (string, error) {
	var out *C.char
	var n C.size_t
	err := call(func() C.int { return C.vigil_text_normalize(cstr(text), C.size_t(len(text)), &out, &n) })
	runtime.KeepAlive(text)
	if err != nil {
		return "", err
	}
	defer C.vigil_free(unsafe.Pointer(out))
	return C.GoStringN(out, C.int(n)), nil
}

// SimHash64 is the SimHash-64 of the normalised text over shingles of wordsPerShingle words
// (0: the default 2) — what SimHash banks hold (their hex form is fmt.Sprintf("%016x", h)).
func SimHash64(text string, wordsPerShingle int) (uint64, error) {
	var h C.uint64_t
	err := call(func() C.int {
		return C.vigil_hash_simhash64(cstr(text), C.size_t(len(text)), C.int(wordsPerShingle), &h)
	})
	runtime.KeepAlive(text)
	return uint64(h), err
}

// MinHash is the MinHash signature (MinHashSlots minima) of the normalised text's shingles of
// wordsPerShingle words (0: the default 3).
func MinHash(text string, wordsPerShingle int) ([]uint32, error) {
	out := make([]uint32, MinHashSlots)
	err := call(func() C.int {
		return C.vigil_hash_minhash(cstr(text), C.size_t(len(text)), C.int(wordsPerShingle),
			(*C.uint32_t)(unsafe.Pointer(&out[0])), C.size_t(len(out)))
	})
	runtime.KeepAlive(text)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MinHashSimilarity estimates the Jaccard similarity (0..1) of two signatures of the same,
// non-zero length.
func MinHashSimilarity(a, b []uint32) (float64, error) {
	if len(a) != len(b) || len(a) == 0 {
		return 0, &Error{Code: ErrCodeInvalid, Name: "VIGIL_E_INVALID",
			Message: fmt.Sprintf("signatures of lengths %d and %d (need equal, non-zero)", len(a), len(b))}
	}
	s := C.vigil_hash_minhash_similarity((*C.uint32_t)(unsafe.Pointer(&a[0])),
		(*C.uint32_t)(unsafe.Pointer(&b[0])), C.size_t(len(a)))
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	return float64(s), nil
}
