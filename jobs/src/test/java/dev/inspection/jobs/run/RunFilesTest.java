package dev.inspection.jobs.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {

    @TempDir
    Path root;

    private final Configuration conf = new Configuration();

    @Test
    void aCommittedRunFolderIsTheDatesOnlyOneAndOutlivesTheRunsEnd() throws IOException {
        Path date = root.resolve("heatmaps/run_date=2026-12-07");
        write(date.resolve("earlier-run/m/a.png"));
        write(date.resolve("crashed-run/m/b.png"));
        RunFiles run = new RunFiles("this-run", conf);

        String folder = run.runFolder(date.toString());
        assertThat(folder).isEqualTo("file:" + date.resolve("this-run"));
        write(date.resolve("this-run/m/c.png"));
        assertThat(children(date)).as("staged: the date still shows the others").hasSize(3);

        run.commit(date.toString());
        run.abort();

        assertThat(children(date)).containsExactly("this-run");
        assertThat(date.resolve("this-run/m/c.png")).exists();
    }

    @Test
    void anAbortedRunRemovesOnlyWhatItHasNotCommitted() throws IOException {
        Path overlays = root.resolve("heatmaps/run_date=2026-12-07");
        Path plots = root.resolve("evaluation/run_date=2026-12-07/anomaly");
        write(plots.resolve("committed-run/histogram.png"));
        RunFiles run = new RunFiles("failing-run", conf);
        run.runFolder(overlays.toString());
        run.runFolder(plots.toString());
        write(overlays.resolve("failing-run/m/a.png"));
        write(plots.resolve("failing-run/histogram.png"));
        run.commit(overlays.toString()); // its table committed, then the run fails

        run.abort();

        assertThat(children(overlays)).containsExactly("failing-run");
        assertThat(children(plots))
                .as("the committed run's plots, as they were")
                .containsExactly("committed-run");
    }

    @Test
    void stagedEntriesReplaceTheDatesOnCommitAndVanishOnAbort() throws IOException {
        Path calibrated = root.resolve("calibrated/run_date=2026-12-07");
        write(calibrated.resolve("pcb/model.json"), "old");
        write(calibrated.resolve("other-model/model.json"), "kept");
        write(calibrated.resolve(".run-crashed/pcb/model.json"), "crashed");

        RunFiles published = new RunFiles("good-run", conf);
        write(Path.of(published.staging(calibrated.toString()).toString()).resolve("pcb/model.json"), "new");
        published.commit(calibrated.toString());

        assertThat(children(calibrated)).containsExactlyInAnyOrder("pcb", "other-model");
        assertThat(calibrated.resolve("pcb/model.json")).hasContent("new");

        RunFiles unpublished = new RunFiles("too-many-failures", conf);
        write(Path.of(unpublished.staging(calibrated.toString()).toString()).resolve("pcb/model.json"), "not shown");
        unpublished.abort();

        assertThat(children(calibrated)).containsExactlyInAnyOrder("pcb", "other-model");
        assertThat(calibrated.resolve("pcb/model.json")).hasContent("new");
    }

    private static void write(Path file) throws IOException {
        write(file, "x");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String[] children(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }
}
