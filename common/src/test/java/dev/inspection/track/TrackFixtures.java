package dev.inspection.track;

import dev.inspection.detect.Detection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.Assertions;

/**
 * The fixtures of src/test/resources/track/, written by scripts/models/make_track_fixtures.py from a transcription of
 * Ultralytics' KalmanFilterXYAH and BYTETracker.update.
 */
final class TrackFixtures {

    /** Relative tolerance on floats, with an absolute floor for values that are 0 in exact arithmetic. */
    static final double RELATIVE = 1e-6;

    static final double FLOOR = 1e-14;

    /** One step of kalman.tsv: the operation, its measurement (none for predict) and the state after it. */
    record KalmanStep(String op, double[] measurement, double[] mean, double[] covariance) {}

    /** A track reported on one frame, as bytetrack.tsv's {@code out} line. */
    record Expected(
            long frame,
            int trackId,
            double[] box,
            float score,
            int classId,
            int detectionIndex,
            double[] mean,
            double[] covariance) {}

    /** One frame of bytetrack.tsv: its detections and the tracks Ultralytics reports on it, in order. */
    record Frame(long frame, List<Detection> detections, List<Expected> expected) {}

    /** bytetrack.tsv: its settings and frame rate, and its frames. */
    record Sequence(TrackerSettings settings, double frameRate, List<Frame> frames) {}

    private TrackFixtures() {}

    static List<KalmanStep> kalman() {
        List<KalmanStep> steps = new ArrayList<>();
        for (String[] f : lines("kalman.tsv")) {
            steps.add(new KalmanStep(f[0], f[1].isEmpty() ? null : numbers(f[1]), numbers(f[2]), numbers(f[3])));
        }
        return steps;
    }

    static Sequence byteTrack() {
        TrackerSettings settings = null;
        double frameRate = 0;
        List<Frame> frames = new ArrayList<>();
        List<Detection> dets = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        for (String[] f : lines("bytetrack.tsv")) {
            switch (f[0]) {
                case "settings" -> {
                    settings = new TrackerSettings(
                            Double.parseDouble(f[1]),
                            Double.parseDouble(f[2]),
                            Double.parseDouble(f[3]),
                            Integer.parseInt(f[4]),
                            Double.parseDouble(f[5]),
                            Boolean.parseBoolean(f[6]));
                    frameRate = Double.parseDouble(f[7]);
                }
                case "det" ->
                    dets.add(new Detection(
                            Integer.parseInt(f[2]),
                            Float.parseFloat(f[3]),
                            Double.parseDouble(f[4]),
                            Double.parseDouble(f[5]),
                            Double.parseDouble(f[6]),
                            Double.parseDouble(f[7])));
                case "out" ->
                    expected.add(new Expected(
                            Long.parseLong(f[1]),
                            Integer.parseInt(f[2]),
                            new double[] {
                                Double.parseDouble(f[3]),
                                Double.parseDouble(f[4]),
                                Double.parseDouble(f[5]),
                                Double.parseDouble(f[6])
                            },
                            Float.parseFloat(f[7]),
                            Integer.parseInt(f[8]),
                            Integer.parseInt(f[9]),
                            numbers(f[10]),
                            numbers(f[11])));
                case "end" -> {
                    frames.add(new Frame(Long.parseLong(f[1]), List.copyOf(dets), List.copyOf(expected)));
                    dets.clear();
                    expected.clear();
                }
                default ->
                    throw new IllegalStateException("track/bytetrack.tsv: unknown line '" + String.join("\t", f) + "'");
            }
        }
        return new Sequence(settings, frameRate, frames);
    }

    /** Asserts each value within {@link #RELATIVE} of the expected one. */
    static void assertClose(String what, double[] actual, double[] expected) {
        Assertions.assertThat(actual).as(what + ": length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = Math.max(Math.abs(expected[i]) * RELATIVE, FLOOR);
            Assertions.assertThat(actual[i])
                    .as("%s[%d]: expected %s, got %s", what, i, Arrays.toString(expected), Arrays.toString(actual))
                    .isCloseTo(expected[i], Assertions.within(tolerance));
        }
    }

    static double[] flat(double[][] m) {
        return Arrays.stream(m).flatMapToDouble(Arrays::stream).toArray();
    }

    private static double[] numbers(String field) {
        return Arrays.stream(field.trim().split(" "))
                .mapToDouble(Double::parseDouble)
                .toArray();
    }

    private static List<String[]> lines(String name) {
        List<String[]> out = new ArrayList<>();
        for (String line : text(name).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split("\t", -1));
            }
        }
        return out;
    }

    private static String text(String name) {
        try (InputStream in = TrackFixtures.class.getResourceAsStream("/track/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource track/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
