package dev.inspection.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The cases of src/test/resources/resize/cases.tsv, written by scripts/models/make_resize_fixtures.py with OpenCV 4.6. */
final class ResizeFixtures {

    /**
     * One case: {@code source} cropped to {@code cropWidth x cropHeight} from its top-left corner, then resized to
     * {@code width x height} (kind {@code resize}: INTER_LINEAR, kind {@code area}: INTER_AREA) or letterboxed into a
     * {@code width x height} input (kind {@code letterbox}).
     */
    record Case(String name, String kind, String source, int cropWidth, int cropHeight, int width, int height) {

        RgbImage input() {
            RgbImage full = read(source + ".png");
            return full.width() == cropWidth && full.height() == cropHeight
                    ? full
                    : full.crop(0, 0, cropWidth, cropHeight);
        }

        RgbImage expected() {
            return read(name + ".cv2.png");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private ResizeFixtures() {}

    static List<Case> cases(String kind) {
        String text = new String(bytes("cases.tsv"), StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 7) {
                throw new IllegalStateException(
                        "resize/cases.tsv: expected 7 tab-separated fields, got '" + line + "'");
            }
            Case c = new Case(
                    f[0],
                    f[1],
                    f[2],
                    Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]),
                    Integer.parseInt(f[5]),
                    Integer.parseInt(f[6]));
            if (c.kind().equals(kind)) {
                cases.add(c);
            }
        }
        return cases;
    }

    static RgbImage read(String name) {
        try {
            return new ImageDecoder(100_000_000).decode(bytes(name));
        } catch (InputRejectedException e) {
            throw new IllegalStateException("resize/" + name + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(String name) {
        try (InputStream in = ResizeFixtures.class.getResourceAsStream("/resize/" + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "no test resource resize/" + name + " (scripts/models/make_resize_fixtures.py writes it)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Null if equal, else where the first byte differs: pixel, channel and both values. */
    static String firstDifference(RgbImage expected, RgbImage actual) {
        if (expected.width() != actual.width() || expected.height() != actual.height()) {
            return "size " + actual.width() + "x" + actual.height() + ", expected " + expected.width() + "x"
                    + expected.height();
        }
        byte[] e = expected.rgb();
        byte[] a = actual.rgb();
        int count = 0;
        int first = -1;
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) {
                count++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (first < 0) {
            return null;
        }
        int pixel = first / 3;
        return count + " bytes differ; first at x=" + pixel % expected.width() + " y=" + pixel / expected.width()
                + " channel " + "RGB".charAt(first % 3) + ": " + (a[first] & 0xff) + ", OpenCV " + (e[first] & 0xff);
    }
}
