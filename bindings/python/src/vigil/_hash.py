"""Hashes of content: digests, the normal form, SimHash/MinHash of text, PDQ of images.

Every function calls libvigil (thread-safe; the GIL is released during the C call). Images for
PDQ may be encoded JPEG/PNG bytes, a file path, a numpy array (H x W grey, H x W x 3 RGB or
H x W x 4 RGBA, dtype uint8) or a PIL image; numpy and Pillow are imported only when given.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple, Union

from ._core import TextLike, _bytes, _raise
from ._vigil_cffi import ffi, lib

__all__ = ["DIHEDRALS", "PdqHash", "digest", "digest_file", "hamming_distance", "minhash",
           "minhash_similarity", "normalize", "pdq", "simhash64"]

BytesLike = Union[bytes, bytearray, memoryview]
PathLike = Union[str, "os.PathLike[str]"]
#: What pdq() accepts: encoded bytes, a path, a numpy array or a PIL image.
ImageLike = Union[BytesLike, PathLike, Any]

_DIGESTS = {"md5": lib.VIGIL_DIGEST_MD5, "sha256": lib.VIGIL_DIGEST_SHA256,
            "xxh3_128": lib.VIGIL_DIGEST_XXH3_128, "xxh3": lib.VIGIL_DIGEST_XXH3_128,
            "text": lib.VIGIL_DIGEST_TEXT}

#: Names of the eight dihedral transforms, in the order PdqHash.dihedral lists them.
DIHEDRALS: Tuple[str, ...] = tuple(ffi.string(lib.vigil_hash_dihedral_name(i)).decode()
                                   for i in range(8))


def _digest_kind(algo: str) -> int:
    try:
        return _DIGESTS[algo]
    except KeyError:
        raise ValueError(f"algo must be one of {sorted(_DIGESTS)}, not {algo!r}") from None


def _path(path: PathLike) -> bytes:
    return os.fsencode(path)


def digest(data: TextLike, algo: str = "sha256") -> bytes:
    """The digest of data ("md5", "sha256" or "xxh3_128"; str is hashed as UTF-8); .hex() gives
    the text form bank files hold."""
    kind = _digest_kind(algo)
    raw = _bytes(data)
    out = ffi.new("uint8_t[]", lib.VIGIL_DIGEST_MAX_SIZE)
    rc = lib.vigil_hash_digest(kind, raw, len(raw), out, lib.VIGIL_DIGEST_MAX_SIZE)
    if rc != 0:
        _raise(rc)
    return bytes(ffi.buffer(out, lib.vigil_hash_digest_size(kind)))


def digest_file(path: PathLike, algo: str = "sha256") -> bytes:
    """The digest of a file's bytes, read in chunks."""
    kind = _digest_kind(algo)
    out = ffi.new("uint8_t[]", lib.VIGIL_DIGEST_MAX_SIZE)
    rc = lib.vigil_hash_digest_file(kind, _path(path), out, lib.VIGIL_DIGEST_MAX_SIZE)
    if rc != 0:
        _raise(rc)
    return bytes(ffi.buffer(out, lib.vigil_hash_digest_size(kind)))


def _hash_bytes(h: Union[str, BytesLike]) -> bytes:
    return bytes.fromhex(h) if isinstance(h, str) else bytes(h)


def hamming_distance(a: Union[str, BytesLike], b: Union[str, BytesLike]) -> int:
    """Differing bits of two hashes of equal length (bytes or hex), e.g. two PDQ hashes."""
    x, y = _hash_bytes(a), _hash_bytes(b)
    if len(x) != len(y):
        raise ValueError(f"hashes of different lengths: {len(x)} and {len(y)} bytes")
    return lib.vigil_hash_distance(x, y, len(x))


def normalize(text: TextLike) -> str:
    """The normal form the rules, SimHash and MinHash see (case folded, evasions undone)."""
    raw = _bytes(text)
    out = ffi.new("char**")
    size = ffi.new("size_t*")
    rc = lib.vigil_text_normalize(raw, len(raw), out, size)
    if rc != 0:
        _raise(rc)
    try:
        return ffi.unpack(out[0], size[0]).decode("utf-8")
    finally:
        lib.vigil_free(out[0])


def simhash64(text: TextLike, words_per_shingle: int = 0) -> int:
    """SimHash-64 of the normalised text (0: the default 2-word shingles); f"{h:016x}" is the
    text form SimHash banks hold."""
    raw = _bytes(text)
    out = ffi.new("uint64_t*")
    rc = lib.vigil_hash_simhash64(raw, len(raw), words_per_shingle, out)
    if rc != 0:
        _raise(rc)
    return int(out[0])


def minhash(text: TextLike, words_per_shingle: int = 0) -> Tuple[int, ...]:
    """The 128 MinHash slots of the normalised text's shingles (0: the default 3 words)."""
    raw = _bytes(text)
    slots = ffi.new("uint32_t[]", lib.VIGIL_MINHASH_SLOTS)
    rc = lib.vigil_hash_minhash(raw, len(raw), words_per_shingle, slots, lib.VIGIL_MINHASH_SLOTS)
    if rc != 0:
        _raise(rc)
    return tuple(slots)


def minhash_similarity(a: Tuple[int, ...], b: Tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two signatures (the fraction of equal slots)."""
    if len(a) != len(b) or not a:
        raise ValueError("signatures must be non-empty and of equal length")
    return lib.vigil_hash_minhash_similarity(ffi.new("uint32_t[]", list(a)),
                                             ffi.new("uint32_t[]", list(b)), len(a))


class PdqHash:
    """A PDQ hash (32 bytes), its quality (0-100; under 50 it identifies the image poorly) and,
    when asked for, the hashes of the image turned and flipped ({name: bytes}, see DIHEDRALS)."""

    __slots__ = ("hash", "quality", "dihedral")

    def __init__(self, hash: bytes, quality: int, dihedral: Optional[Dict[str, bytes]]) -> None:
        self.hash = hash
        self.quality = quality
        self.dihedral = dihedral

    @property
    def hex(self) -> str:
        """The 64 hex digits bank files and the reference tools use."""
        return self.hash.hex()

    def __repr__(self) -> str:
        return f"PdqHash({self.hex}, quality={self.quality})"


def _pdq_options(squash: bool, dihedral: bool, max_pixels: int):
    opts = ffi.new("vigil_pdq_options*")
    opts.struct_size = ffi.sizeof("vigil_pdq_options")
    opts.squash = 1 if squash else 0
    opts.dihedral = 1 if dihedral else 0
    opts.max_pixels = max_pixels
    return opts


def _pdq_result(r, dihedral: bool) -> PdqHash:
    rotations = None
    if dihedral:
        rotations = {name: bytes(ffi.buffer(r.dihedral[i])) for i, name in enumerate(DIHEDRALS)}
    return PdqHash(bytes(ffi.buffer(r.hash)), r.quality, rotations)


_FORMATS = {("rgb", 3): "VIGIL_PIXEL_RGB8", ("bgr", 3): "VIGIL_PIXEL_BGR8",
            ("rgb", 4): "VIGIL_PIXEL_RGBA8", ("bgr", 4): "VIGIL_PIXEL_BGRA8"}


def _pil_pixels(image: Any) -> Any:
    """A PIL image as a numpy-free (bytes, width, height, channels) tuple."""
    mode = image.mode
    if mode not in ("L", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in mode or "transparency" in image.info else "RGB")
    channels = {"L": 1, "RGB": 3, "RGBA": 4}[image.mode]
    return image.tobytes(), image.width, image.height, channels


def _array_pixels(array: Any) -> Any:
    """A numpy array as (buffer, width, height, channels, row stride, readable bytes)."""
    import numpy as np  # only when an array is given
    if array.dtype != np.uint8:
        raise TypeError(f"image arrays must have dtype uint8, not {array.dtype}")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ValueError(f"image arrays must be H x W, H x W x 3 or H x W x 4, not {array.shape}")
    channels = 1 if array.ndim == 2 else array.shape[2]
    # Rows may be padded (a crop of a wider image): pass their stride; pixels must be packed.
    if array.strides[-1] != 1 or (array.ndim == 3 and array.strides[1] != channels) \
            or array.strides[0] < 0:
        array = np.ascontiguousarray(array)
    height, width = array.shape[0], array.shape[1]
    stride = array.strides[0]
    size = stride * (height - 1) + width * channels if height > 0 else 0
    base = array if array.flags.c_contiguous else np.lib.stride_tricks.as_strided(
        array, shape=(size,), strides=(1,))
    return base, width, height, channels, stride, size


def _image_struct(image: Any, order: str):
    """A vigil_image over a PIL image or numpy array (plus what must stay alive while used)."""
    if order not in ("rgb", "bgr"):
        raise ValueError(f"order must be 'rgb' or 'bgr', not {order!r}")
    if hasattr(image, "tobytes") and hasattr(image, "mode") and hasattr(image, "convert"):
        data, width, height, channels = _pil_pixels(image)
        stride, size, keep = width * channels, len(data), data
    else:
        keep, width, height, channels, stride, size = _array_pixels(image)
        data = keep
    img = ffi.new("vigil_image*")
    img.struct_size = ffi.sizeof("vigil_image")
    buf = ffi.from_buffer("uint8_t[]", data)
    img.data = buf
    img.size = size
    img.width = width
    img.height = height
    img.stride = stride
    img.format = lib.VIGIL_PIXEL_GREY8 if channels == 1 else getattr(lib, _FORMATS[(order, channels)])
    return img, (keep, buf)


def _is_pixels(image: Any) -> bool:
    return hasattr(image, "__array_interface__") or (
        hasattr(image, "tobytes") and hasattr(image, "mode") and hasattr(image, "convert"))


def pdq(image: ImageLike, *, squash: bool = True, dihedral: bool = False,
        max_pixels: int = 0, order: str = "rgb") -> PdqHash:
    """PDQ of an image: encoded JPEG/PNG bytes, a file path (str / PathLike), a numpy uint8
    array (H x W, H x W x 3, H x W x 4; `order` "bgr" for OpenCV's channel order) or a PIL
    image. squash (default) hashes images over 512 px at 512x512, as the reference tool and
    `vigil hash` do; dihedral adds the 8 rotation/flip hashes; max_pixels caps decoding."""
    opts = _pdq_options(squash, dihedral, max_pixels)
    out = ffi.new("vigil_pdq_result*")
    out.struct_size = ffi.sizeof("vigil_pdq_result")
    if isinstance(image, (bytes, bytearray, memoryview)):
        raw = bytes(image)
        rc = lib.vigil_hash_pdq_image(raw, len(raw), opts, out)
    elif isinstance(image, (str, os.PathLike)):
        rc = lib.vigil_hash_pdq_file(_path(image), opts, out)
    elif _is_pixels(image):
        img, _keep = _image_struct(image, order)
        rc = lib.vigil_hash_pdq_pixels(img, opts, out)
    else:
        raise TypeError("pdq() takes image bytes, a path, a numpy array or a PIL image, not "
                        f"{type(image).__name__}")
    if rc != 0:
        _raise(rc)
    return _pdq_result(out, dihedral)
