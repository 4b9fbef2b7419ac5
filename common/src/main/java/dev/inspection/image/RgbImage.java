package dev.inspection.image;

/**
 * A decoded image as interleaved 8-bit RGB, row-major, no padding: the one pixel layout the models are fed from.
 *
 * @param rgb {@code width * height * 3} bytes, R then G then B
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " RGB bytes for " + width + "x"
                    + height + ", got " + rgb.length);
        }
    }

    /** The pixels of a rectangle inside the image, copied row by row. */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException(
                    w + "x" + h + " at " + x + "," + y + " is not inside a " + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int row = 0; row < h; row++) {
            System.arraycopy(rgb, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    /**
     * The image at another size by nearest-neighbour sampling (pixel {@code x} of the result is pixel
     * {@code x * width / w} of this): cheap, for pictures a person looks at, never for a model's input. This image
     * itself where the size is its own.
     */
    public RgbImage sampled(int w, int h) {
        if (w == width && h == height) {
            return this;
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int sy = (int) ((long) y * height / h);
            for (int x = 0; x < w; x++) {
                int sx = (int) ((long) x * width / w);
                System.arraycopy(rgb, (sy * width + sx) * 3, out, (y * w + x) * 3, 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Red, green, blue of one pixel as 0..255. */
    public int[] pixel(int x, int y) {
        int i = (y * width + x) * 3;
        return new int[] {rgb[i] & 0xff, rgb[i + 1] & 0xff, rgb[i + 2] & 0xff};
    }
}
