package dev.inspection.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The bundled demo dataset (held-out synthetic boards with their true boxes) and demo models, under jobs/demo. */
public final class DemoData {

    static final Path ROOT = locate();
    static final Path IMAGES = ROOT.resolve("images");
    static final Path DETECTOR = ROOT.resolve("models/pcb-detector.onnx");
    static final Path ANOMALY_MODEL = ROOT.resolve("models/pcb-anomaly.onnx");

    /** One true box of the dataset, in pixels. */
    record Box(String concept, double xMin, double yMin, double xMax, double yMax) {
        boolean intersects(double x0, double y0, double x1, double y1) {
            return Math.min(xMax, x1) > Math.max(xMin, x0) && Math.min(yMax, y1) > Math.max(yMin, y0);
        }

        double iou(double x0, double y0, double x1, double y1) {
            double w = Math.min(xMax, x1) - Math.max(xMin, x0);
            double h = Math.min(yMax, y1) - Math.max(yMin, y0);
            if (w <= 0 || h <= 0) {
                return 0;
            }
            double inter = w * h;
            return inter / ((xMax - xMin) * (yMax - yMin) + (x1 - x0) * (y1 - y0) - inter);
        }
    }

    private DemoData() {}

    private static Path locate() {
        for (Path p : List.of(Path.of("demo"), Path.of("jobs", "demo"))) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("demo data not found: run from the project root or jobs/");
    }

    /** File name to the true boxes of its parts. */
    static Map<String, List<Box>> labels() throws IOException {
        return boxes("labels.csv");
    }

    /** File name to the boxes of the defects injected into it; normal boards are not in it. */
    static Map<String, List<Box>> defects() throws IOException {
        return boxes("defects.csv");
    }

    private static Map<String, List<Box>> boxes(String csv) throws IOException {
        Map<String, List<Box>> labels = new TreeMap<>();
        List<String> lines = Files.readAllLines(ROOT.resolve(csv));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            labels.computeIfAbsent(f[0], k -> new ArrayList<>())
                    .add(new Box(
                            f[1],
                            Double.parseDouble(f[2]),
                            Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]),
                            Double.parseDouble(f[5])));
        }
        return labels;
    }

    public static List<Path> images() throws IOException {
        try (var files = Files.list(IMAGES)) {
            return files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
    }
}
