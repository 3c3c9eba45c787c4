package vigil

// PDQ image hashes from Go images, raw pixel buffers, encoded JPEG/PNG bytes and files.

/*
#include <stdlib.h>
#include "vigil.h"
#include "govigil_image.h"

static int govigil_pdq_pixels(const uint8_t* data, size_t size, int width, int height,
                              size_t stride, int format, const vigil_pdq_options* opts,
                              vigil_pdq_result* out) {
	vigil_image image = govigil_image(data, size, width, height, stride, format);
	return vigil_hash_pdq_pixels(&image, opts, out);
}
*/
import "C"

import (
	"fmt"
	"image"
	"image/draw"
	"runtime"
	"unsafe"
)

// PDQSize is the length of a PDQ hash in bytes (256 bits).
const PDQSize = int(C.VIGIL_PDQ_SIZE)

// PixelFormat is the layout of raw pixels (8 bits per channel; alpha is ignored).
type PixelFormat int

const (
	Grey8 PixelFormat = PixelFormat(C.VIGIL_PIXEL_GREY8)
	RGB8  PixelFormat = PixelFormat(C.VIGIL_PIXEL_RGB8)
	BGR8  PixelFormat = PixelFormat(C.VIGIL_PIXEL_BGR8)
	RGBA8 PixelFormat = PixelFormat(C.VIGIL_PIXEL_RGBA8)
	BGRA8 PixelFormat = PixelFormat(C.VIGIL_PIXEL_BGRA8)
)

// Pixels is a raw pixel buffer: row y starts at Data[y*Stride] (Stride 0: packed rows). Every
// pixel must lie inside Data (checked by libvigil: a bad stride gives ErrCodeImage).
type Pixels struct {
	Data          []byte
	Width, Height int
	Stride        int
	Format        PixelFormat
}

// PixelsFromImage gives the pixels of img without copying for *image.Gray, *image.RGBA and
// *image.NRGBA (their sub-images too); other image types are converted to NRGBA.
func PixelsFromImage(img image.Image) Pixels {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		return Pixels{Data: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], Width: b.Dx(), Height: b.Dy(),
			Stride: m.Stride, Format: Grey8}
	case *image.RGBA: // premultiplied: equal to NRGBA for the opaque images PDQ is meant for
		return Pixels{Data: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], Width: b.Dx(), Height: b.Dy(),
			Stride: m.Stride, Format: RGBA8}
	case *image.NRGBA:
		return Pixels{Data: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], Width: b.Dx(), Height: b.Dy(),
			Stride: m.Stride, Format: RGBA8}
	}
	if b.Empty() {
		return Pixels{Width: b.Dx(), Height: b.Dy(), Format: RGBA8}
	}
	n := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(n, n.Bounds(), img, b.Min, draw.Src)
	return Pixels{Data: n.Pix, Width: b.Dx(), Height: b.Dy(), Stride: n.Stride, Format: RGBA8}
}

// PDQOptions tunes PDQ hashing. The zero value is NOT the default: use DefaultPDQOptions or nil.
type PDQOptions struct {
	// Squash images with a side over 512 to 512x512 first, as the reference photo hasher and
	// `vigil hash` do (default true); false hashes the full-resolution pixels.
	Squash bool
	// Dihedral also computes the hashes of the 8 rotations/flips.
	Dihedral bool
	// MaxPixels refuses encoded images of more pixels before decoding (0: 2^27).
	MaxPixels uint64
}

// DefaultPDQOptions returns the defaults (squash on, no dihedral hashes).
func DefaultPDQOptions() *PDQOptions { return &PDQOptions{Squash: true} }

func (o *PDQOptions) c() C.vigil_pdq_options {
	if o == nil {
		o = DefaultPDQOptions()
	}
	c := C.vigil_pdq_options{squash: cbool(o.Squash), dihedral: cbool(o.Dihedral),
		max_pixels: C.uint64_t(o.MaxPixels)}
	c.struct_size = C.size_t(unsafe.Sizeof(c))
	return c
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// DihedralNames names the dihedral transforms in PDQHash.Dihedral order: "orig", "rot90",
// "rot180", "rot270", "flipx", "flipy", "flipp", "flipm".
func DihedralNames() []string {
	names := make([]string, 8)
	for i := range names {
		names[i] = C.GoString(C.vigil_hash_dihedral_name(C.int(i)))
	}
	return names
}

// PDQHash is a PDQ hash with its quality (0..100; under 50 the hash identifies the image
// poorly: do not match or share it).
type PDQHash struct {
	Hash    [32]byte
	Quality int
	// Dihedral holds the hashes of the 8 rotations/flips (DihedralNames order) when asked
	// for with PDQOptions.Dihedral, else nil.
	Dihedral [][32]byte
}

// Hex is the 64 hex digits of the hash (what PDQ bank files hold).
func (h PDQHash) Hex() string { return ToHex(h.Hash[:]) }

func pdqResult(f func(opts *C.vigil_pdq_options, out *C.vigil_pdq_result) C.int, o *PDQOptions) (PDQHash, error) {
	copts := o.c()
	var r C.vigil_pdq_result
	r.struct_size = C.size_t(unsafe.Sizeof(r))
	if err := call(func() C.int { return f(&copts, &r) }); err != nil {
		return PDQHash{}, err
	}
	h := PDQHash{Quality: int(r.quality)}
	copy(h.Hash[:], C.GoBytes(unsafe.Pointer(&r.hash[0]), C.int(PDQSize)))
	if r.has_dihedral != 0 {
		h.Dihedral = make([][32]byte, 8)
		for i := range h.Dihedral {
			copy(h.Dihedral[i][:], C.GoBytes(unsafe.Pointer(&r.dihedral[i][0]), C.int(PDQSize)))
		}
	}
	return h, nil
}

// PDQ hashes a decoded Go image (see PixelsFromImage). opts may be nil (defaults).
func PDQ(img image.Image, opts *PDQOptions) (PDQHash, error) {
	return PDQPixels(PixelsFromImage(img), opts)
}

// PDQPixels hashes raw pixels. Images with a side under 5 hash to zeros with quality 0.
func PDQPixels(p Pixels, opts *PDQOptions) (PDQHash, error) {
	if p.Width < 0 || p.Height < 0 || p.Stride < 0 {
		return PDQHash{}, &Error{Code: ErrCodeImage, Name: "VIGIL_E_IMAGE",
			Message: fmt.Sprintf("negative pixel dimensions (%dx%d, stride %d)", p.Width, p.Height, p.Stride)}
	}
	h, err := pdqResult(func(o *C.vigil_pdq_options, out *C.vigil_pdq_result) C.int {
		return C.govigil_pdq_pixels(cuint8(p.Data), C.size_t(len(p.Data)), C.int(p.Width),
			C.int(p.Height), C.size_t(p.Stride), C.int(p.Format), o, out)
	}, opts)
	runtime.KeepAlive(p.Data)
	return h, err
}

// PDQImageBytes hashes an encoded JPEG or PNG (recognised by its first bytes), decoded as the
// reference pipeline decodes it. Other bytes give ErrCodeImage.
func PDQImageBytes(data []byte, opts *PDQOptions) (PDQHash, error) {
	h, err := pdqResult(func(o *C.vigil_pdq_options, out *C.vigil_pdq_result) C.int {
		return C.vigil_hash_pdq_image(unsafe.Pointer(cbytes(data)), C.size_t(len(data)), o, out)
	}, opts)
	runtime.KeepAlive(data)
	return h, err
}

// PDQFile hashes a JPEG or PNG file (ErrCodeIO names a file that cannot be read).
func PDQFile(path string, opts *PDQOptions) (PDQHash, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	return pdqResult(func(o *C.vigil_pdq_options, out *C.vigil_pdq_result) C.int {
		return C.vigil_hash_pdq_file(cpath, o, out)
	}, opts)
}
