package dev.inspection.jobs;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Labeled sets made from the demo boards, for the evaluation tests. */
final class EvaluationData {

    /** 120 normal boards the models never saw (seeds 2001-2120, {@code scripts/models/make_calibration_boards.py}). */
    static final Path NORMAL_BOARDS = locate();

    private EvaluationData() {}

    private static Path locate() {
        for (Path p : List.of(
                Path.of("src/test/resources/boards/normal"), Path.of("jobs/src/test/resources/boards/normal"))) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("the test boards are not found: run from the project root or jobs/");
    }

    static List<Path> normalBoards() throws IOException {
        try (var files = Files.list(NORMAL_BOARDS)) {
            return files.sorted().toList();
        }
    }

    /**
     * The demo boards as an MVTec AD category under {@code dir}: {@code test/good/} the 30 normal boards,
     * {@code test/damaged/} the 20 with injected defects, and {@code ground_truth/damaged/NAME_mask.png} the defects'
     * boxes (from {@code defects.csv}) painted white on black, at the board's size.
     */
    static Path mvtec(Path dir) throws IOException {
        Map<String, List<DemoData.Box>> defects = DemoData.defects();
        Path good = Files.createDirectories(dir.resolve("test/good"));
        Path damaged = Files.createDirectories(dir.resolve("test/damaged"));
        Path masks = Files.createDirectories(dir.resolve("ground_truth/damaged"));
        for (Path board : DemoData.images()) {
            String name = board.getFileName().toString();
            List<DemoData.Box> boxes = defects.get(name);
            Files.copy(board, (boxes == null ? good : damaged).resolve(name), StandardCopyOption.REPLACE_EXISTING);
            if (boxes != null) {
                BufferedImage image = ImageIO.read(board.toFile());
                BufferedImage mask =
                        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
                for (DemoData.Box b : boxes) {
                    for (int y = (int) b.yMin(); y < (int) b.yMax(); y++) {
                        for (int x = (int) b.xMin(); x < (int) b.xMax(); x++) {
                            mask.getRaster().setSample(x, y, 0, 255);
                        }
                    }
                }
                String stem = name.substring(0, name.lastIndexOf('.'));
                ImageIO.write(mask, "png", masks.resolve(stem + "_mask.png").toFile());
            }
        }
        return dir;
    }

    /** A CSV of {@code uri,label} naming these images by absolute path: normal ones, then anomalous ones. */
    static Path verdicts(Path csv, List<Path> normal, List<Path> anomalous) throws IOException {
        List<String> lines = new ArrayList<>(List.of("uri,label"));
        normal.forEach(p -> lines.add(p.toAbsolutePath() + ",normal"));
        anomalous.forEach(p -> lines.add(p.toAbsolutePath() + ",anomalous"));
        Files.write(csv, lines);
        return csv;
    }
}
