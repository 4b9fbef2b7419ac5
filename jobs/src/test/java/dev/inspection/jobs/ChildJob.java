package dev.inspection.jobs;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The job in a JVM of its own, as {@code spark-submit} or {@code scripts/inspect.sh} starts it in local mode. */
record ChildJob(int exitCode, String log) {

    /**
     * Runs the job with this heap and master on the test's class path and waits for it.
     *
     * @param dir where the job's log is written
     */
    static ChildJob run(Path dir, String heap, String master, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-Dspark.master=" + master,
                "-Dspark.ui.enabled=false"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Dai.djl") || a.startsWith("-Djdk.reflect"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), InspectionJob.class.getName()));
        command.addAll(args);
        Path log = dir.resolve("job.log");
        Process job = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!job.waitFor(10, TimeUnit.MINUTES)) {
            job.destroyForcibly();
            throw new AssertionError("the job did not end in 10 minutes; its log: " + Files.readString(log));
        }
        return new ChildJob(job.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
