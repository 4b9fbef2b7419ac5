package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/nightly.sh as cron runs it: the command's exit code, a log per run, and never two runs at once. */
@Tag("child-jvm")
class NightlyScriptTest {

    private static Process nightly(Path logs, String... command) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("bash", Path.of("..", "scripts", "nightly.sh").toString(), logs.toString()));
        args.addAll(List.of(command));
        return new ProcessBuilder(args).redirectErrorStream(true).start();
    }

    @Test
    void passesTheExitCodeThroughAndLogsEachRun(@TempDir Path logs) throws Exception {
        Process run = nightly(logs, "bash", "-c", "echo 'Run 42: 7 inputs listed'; exit 4");
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(4);
        List<Path> runLogs;
        try (var files = Files.list(logs)) {
            runLogs = files.filter(f -> f.getFileName().toString().matches("run-\\d{8}T\\d{6}Z\\.log"))
                    .toList();
        }
        assertThat(runLogs)
                .singleElement()
                .satisfies(log -> assertThat(Files.readString(log)).isEqualTo("Run 42: 7 inputs listed\n"));
        assertThat(Files.readString(logs.resolve("nightly.log"))).contains("finished with exit code 4");
    }

    @Test
    void aNightThatFindsTheLastOneStillRunningDoesNotStart(@TempDir Path logs) throws Exception {
        Process first = nightly(logs, "sleep", "30");
        try {
            for (int i = 0;
                    i < 100
                            && !(Files.exists(logs.resolve("nightly.log"))
                                    && Files.readString(logs.resolve("nightly.log"))
                                            .contains("started"));
                    i++) {
                Thread.sleep(100);
            }
            Process second = nightly(logs, "echo", "should not run");
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(75);
            assertThat(new String(second.getInputStream().readAllBytes())).contains("another run holds");
            assertThat(first.isAlive()).isTrue();
        } finally {
            first.descendants().forEach(ProcessHandle::destroyForcibly);
            first.destroyForcibly();
        }
        // Once the first has ended, the lock is free again.
        first.waitFor(30, TimeUnit.SECONDS);
        Process third = nightly(logs, "true");
        assertThat(third.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(third.exitValue()).isZero();
    }
}
