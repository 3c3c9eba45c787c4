package dev.vigil;

/** The layout of raw pixels (8 bits per channel; alpha is ignored, as by the PDQ reference). */
public enum PixelFormat {
  GREY8(0, 1),
  RGB8(1, 3),
  BGR8(2, 3),
  RGBA8(3, 4),
  BGRA8(4, 4);

  final int code;
  /** Bytes per pixel. */
  public final int bytesPerPixel;

  PixelFormat(int code, int bytesPerPixel) {
    this.code = code;
    this.bytesPerPixel = bytesPerPixel;
  }
}
