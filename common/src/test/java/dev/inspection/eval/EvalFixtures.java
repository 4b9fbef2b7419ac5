package dev.inspection.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The committed outputs of scripts/models/make_anomaly_fixtures.py under eval/ on the test classpath. */
public final class EvalFixtures {

    private EvalFixtures() {}

    /** Scores and labels of one image case. */
    public record ImageCase(double[] scores, boolean[] anomalous) {}

    /** One image of the pixel case. */
    public record PixelImage(int width, int height, float[] map, boolean[] mask) {}

    public static ImageCase imageCase(String name) {
        List<String> lines = lines("image_scores_" + name + ".csv");
        double[] scores = new double[lines.size() - 1];
        boolean[] anomalous = new boolean[scores.length];
        for (int i = 1; i < lines.size(); i++) {
            String[] parts = lines.get(i).split(",");
            scores[i - 1] = Double.parseDouble(parts[0]);
            anomalous[i - 1] = Boolean.parseBoolean(parts[1]);
        }
        return new ImageCase(scores, anomalous);
    }

    public static List<PixelImage> pixelImages() {
        List<String> lines = lines("pixels.txt");
        List<PixelImage> images = new ArrayList<>();
        for (int i = 1; i + 2 < lines.size() + 1; i += 3) {
            String[] size = lines.get(i).split(" ");
            String[] values = lines.get(i + 1).split(" ");
            String mask = lines.get(i + 2);
            float[] map = new float[values.length];
            boolean[] m = new boolean[values.length];
            for (int p = 0; p < values.length; p++) {
                map[p] = Float.parseFloat(values[p]);
                m[p] = mask.charAt(p) == '1';
            }
            images.add(new PixelImage(Integer.parseInt(size[0]), Integer.parseInt(size[1]), map, m));
        }
        return images;
    }

    public static Properties expected(String name) {
        Properties p = new Properties();
        try (InputStream in = resource(name + ".properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static List<String> lines(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = EvalFixtures.class.getResourceAsStream("/eval/" + name);
        if (in == null) {
            throw new IllegalStateException("no test resource eval/" + name);
        }
        return in;
    }
}
