// The vigil_image the pixel functions of pdq.go and scanner.go pass to libvigil. It is built
// here, in C memory: a Go struct holding the Go pixel pointer could not be passed to C (cgo
// forbids Go pointers inside Go memory handed to C).
#ifndef GOVIGIL_IMAGE_H
#define GOVIGIL_IMAGE_H

#include "vigil.h"

static inline vigil_image govigil_image(const uint8_t* data, size_t size, int width, int height,
                                        size_t stride, int format) {
	vigil_image image = VIGIL_IMAGE_INIT;
	image.data = data;
	image.size = size;
	image.width = width;
	image.height = height;
	image.stride = stride;
	image.format = format;
	return image;
}

#endif
