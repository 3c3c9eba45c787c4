package dev.vigil;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A raw pixel buffer: row y starts at data[offset + y * stride] (stride 0: packed rows of
 * width * bytesPerPixel). libvigil checks that every pixel lies inside the buffer, so a bad
 * stride gives {@link VigilException#IMAGE}, never an out-of-bounds read.
 */
public record Pixels(byte[] data, int offset, int width, int height, int stride, PixelFormat format) {
  public Pixels {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(format, "format");
    if (offset < 0 || offset > data.length)
      throw new IllegalArgumentException("vigil: offset " + offset + " outside data[" + data.length + "]");
    if (stride < 0) throw new IllegalArgumentException("vigil: stride < 0");
  }

  /** Packed pixels from the start of data. */
  public Pixels(byte[] data, int width, int height, PixelFormat format) {
    this(data, 0, width, height, 0, format);
  }

  /**
   * The pixels of a BufferedImage: grey and 3-byte BGR images are used as they are (sub-images
   * too); other types are converted to RGB through {@link BufferedImage#getRGB}.
   */
  public static Pixels of(BufferedImage image) {
    Pixels direct = direct(image);
    return direct != null ? direct : viaRgb(image);
  }

  private static Pixels direct(BufferedImage image) {
    int type = image.getType();
    PixelFormat format = type == BufferedImage.TYPE_BYTE_GRAY ? PixelFormat.GREY8
        : type == BufferedImage.TYPE_3BYTE_BGR ? PixelFormat.BGR8 : null;
    Raster r = image.getRaster();
    if (format == null || !(r.getDataBuffer() instanceof DataBufferByte db)
        || !(r.getSampleModel() instanceof ComponentSampleModel sm)
        || sm.getPixelStride() != format.bytesPerPixel) {
      return null;
    }
    int[] bands = sm.getBandOffsets();
    // BGR8 means bytes B, G, R: the R band (0) at +2, G at +1, B at +0.
    if (format == PixelFormat.BGR8 && !Arrays.equals(bands, new int[] {2, 1, 0})) return null;
    if (format == PixelFormat.GREY8 && bands[0] != 0) return null;
    long base = db.getOffset() - (long) r.getSampleModelTranslateY() * sm.getScanlineStride()
        - (long) r.getSampleModelTranslateX() * sm.getPixelStride();
    return new Pixels(db.getData(), (int) base, image.getWidth(), image.getHeight(),
        sm.getScanlineStride(), format);
  }

  private static Pixels viaRgb(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[argb.length * 3];
    for (int i = 0, j = 0; i < argb.length; i++) {
      int p = argb[i];
      rgb[j++] = (byte) (p >> 16);
      rgb[j++] = (byte) (p >> 8);
      rgb[j++] = (byte) p;
    }
    return new Pixels(rgb, w, h, PixelFormat.RGB8);
  }

  /** A vigil_image in arena over a native copy of the readable bytes. */
  MemorySegment toNative(Arena arena) {
    byte[] slice = Arrays.copyOfRange(data, offset, data.length);
    MemorySegment img = HashNative.struct(arena, HashNative.IMAGE);
    img.set(java.lang.foreign.ValueLayout.ADDRESS, Native.off(HashNative.IMAGE, "data"),
        HashNative.copy(arena, slice));
    HashNative.set(img, HashNative.IMAGE, "size", (long) slice.length);
    HashNative.set(img, HashNative.IMAGE, "width", width);
    HashNative.set(img, HashNative.IMAGE, "height", height);
    HashNative.set(img, HashNative.IMAGE, "stride", (long) stride);
    HashNative.set(img, HashNative.IMAGE, "format", format.code);
    return img;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pixels p && Arrays.equals(data, p.data) && offset == p.offset
        && width == p.width && height == p.height && stride == p.stride && format == p.format;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(data), offset, width, height, stride, format);
  }

  @Override
  public String toString() {
    return "Pixels[" + width + "x" + height + " " + format + ", stride " + stride + "]";
  }
}
