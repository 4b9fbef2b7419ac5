package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.demo.S3ServerMain;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar on a real Spark standalone cluster: a master and two workers, each a JVM of its own started from the
 * Maven-resolved Spark jars (a SPARK_HOME of links to them), an S3 server in another process, and the job submitted
 * by {@code scripts/submit.sh} in client mode, through a {@code bin/spark-submit} that runs Spark's own launcher as a
 * distribution's does. Its executors load the models from the
 * broadcast in their own JVMs, with nothing but the shaded jar on top of Spark. One executor is killed during
 * inference; the run must still write every input exactly once.
 */
@Tag("spark")
@Tag("s3")
@Tag("video")
@Tag("child-jvm")
@Tag("cluster")
class StandaloneClusterIT {

    static final Path WORK = Path.of("target", "cluster-it").toAbsolutePath();
    static final String BUCKET = "roofs";
    static final int COPIES = 3;
    static final List<Process> daemons = new ArrayList<>();
    static String javaCommand;
    static String sparkClasspath;
    static String endpoint;
    static String master;
    static List<String> boards;

    @BeforeAll
    static void startCluster() throws Exception {
        javaCommand = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        deleteRecursively(WORK);
        Path sparkHome = sparkHome();
        sparkClasspath = sparkHome.resolve("jars").toString() + File.separator + "*";

        Path data = Files.createDirectories(WORK.resolve("bucket"));
        boards = new ArrayList<>();
        for (int copy = 0; copy < COPIES; copy++) {
            Path folder = Files.createDirectories(data.resolve("photos/flight-" + copy));
            for (Path board : DemoData.images()) {
                Files.copy(board, folder.resolve(board.getFileName()));
                boards.add("s3a://" + BUCKET + "/photos/flight-" + copy + "/" + board.getFileName());
            }
        }
        Files.writeString(data.resolve("photos/notes.jpg"), "shift notes, not a photo");
        Files.createDirectories(data.resolve("photos/videos"));
        DemoVideos.conveyor(data.resolve("photos/videos/conveyor.mp4"), false);
        Files.createDirectories(data.resolve("models/pcb-anomaly"));
        Files.copy(DemoData.DETECTOR, data.resolve("models/pcb-detector.onnx"));
        Files.copy(DemoData.ANOMALY_MODEL, data.resolve("models/pcb-anomaly/model.onnx"));
        Files.writeString(data.resolve("models/pcb-anomaly/model.json"), "{\"name\": \"pcb-anomaly\"}");

        Process s3 = start(
                "s3",
                System.getProperty("java.class.path"),
                List.of("-Xmx1g"),
                S3ServerMain.class.getName(),
                BUCKET,
                data.toString());
        endpoint = awaitLine(WORK.resolve("s3.log"), "endpoint=", Duration.ofSeconds(60))
                .substring("endpoint=".length());

        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        start(
                "master",
                sparkClasspath,
                List.of("-Xmx256m"),
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--webui-port",
                String.valueOf(freePort()));
        awaitLine(WORK.resolve("master.log"), "I have been elected leader", Duration.ofSeconds(60));
        for (int i = 1; i <= 2; i++) {
            start(
                    "worker-" + i,
                    sparkClasspath,
                    List.of("-Xmx256m"),
                    "org.apache.spark.deploy.worker.Worker",
                    "--host",
                    "127.0.0.1",
                    "--cores",
                    "1",
                    "--memory",
                    "1536m",
                    "--webui-port",
                    String.valueOf(freePort()),
                    "--work-dir",
                    WORK.resolve("work-" + i).toString(),
                    master);
        }
        for (int i = 1; i <= 2; i++) {
            awaitLine(
                    WORK.resolve("worker-" + i + ".log"),
                    "Successfully registered with master",
                    Duration.ofSeconds(60));
        }
        assertThat(s3.isAlive()).isTrue();
    }

    /** A SPARK_HOME whose jars/ links to what a cluster provides: Spark, Hadoop with S3A, and their dependencies. */
    private static Path sparkHome() throws IOException {
        Path home = WORK.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<String> provided =
                new ArrayList<>(Arrays.asList(Files.readString(Path.of(System.getProperty("spark.classpath.file")))
                        .strip()
                        .split(File.pathSeparator)));
        // slf4j-api is a compile dependency of the project (so not "provided"), and left out of the shaded jar: the
        // cluster's Spark brings it.
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("slf4j-api"))
                .forEach(provided::add);
        for (String jar : provided) {
            Path source = Path.of(jar);
            Files.createSymbolicLink(jars.resolve(source.getFileName()), source.toAbsolutePath());
        }
        Files.createDirectories(home.resolve("conf"));
        Files.copy(Path.of("..", "conf", "log4j2.properties"), home.resolve("conf/log4j2.properties"));
        // bin/spark-submit as a distribution has it (bin/spark-class): Spark's launcher builds the driver's command
        // line.
        Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.writeString(
                submit,
                String.join(
                        "\n",
                        "#!/usr/bin/env bash",
                        "cmd=()",
                        "delim=$'\\n'",
                        "started=false",
                        "while IFS= read -d \"$delim\" -r arg; do",
                        "  if [ \"$started\" = true ]; then cmd+=(\"$arg\");",
                        "  elif [ \"$arg\" = $'\\0' ]; then delim=''; started=true;",
                        "  elif [ -n \"$arg\" ]; then echo \"$arg\"; fi",
                        "done < <(\"" + javaCommand
                                + "\" -Xmx128m -cp \"$SPARK_HOME/jars/*\" org.apache.spark.launcher.Main \\",
                        "  org.apache.spark.deploy.SparkSubmit \"$@\"; printf '%d\\0' $?)",
                        "last=$((${#cmd[@]} - 1))",
                        "[ \"${cmd[$last]}\" = 0 ] || exit \"${cmd[$last]}\"",
                        "exec \"${cmd[@]:0:$last}\"",
                        ""));
        submit.toFile().setExecutable(true);
        return home;
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void theShadedJarInspectsEveryInputExactlyOnceThoughAnExecutorDies() throws Exception {
        Path properties = WORK.resolve("spark-test.properties");
        List<String> settings = new ArrayList<>(List.of(
                "spark.executor.memory 1g",
                "spark.executor.cores 1",
                "spark.cores.max 2",
                "spark.driver.memory 1g",
                "spark.ui.enabled false",
                "spark.executor.extraJavaOptions -Dai.djl.offline=true",
                "spark.driver.extraJavaOptions -Dai.djl.offline=true"));
        EmbeddedS3.s3aSettings(endpoint).forEach((k, v) -> settings.add("spark.hadoop." + k + " " + v));
        Files.write(properties, settings);
        List<String> submit = new ArrayList<>(List.of(
                Path.of("..", "scripts", "submit.sh").toString(),
                "--master",
                master,
                "--properties-file",
                properties.toString(),
                "--",
                "--input",
                "s3a://roofs/photos/",
                "--detector",
                "s3a://roofs/models/pcb-detector.onnx",
                "--anomaly",
                "s3a://roofs/models/pcb-anomaly/",
                "--output",
                "s3a://roofs/inspections",
                "--run-date",
                "2026-11-23",
                "--batch-size",
                "4",
                "--video-segment-s",
                "2"));
        ProcessBuilder builder = new ProcessBuilder(submit)
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve("driver.log").toFile());
        builder.environment()
                .putAll(Map.of(
                        "SPARK_HOME",
                        WORK.resolve("spark-home").toString(),
                        "SPARK_SCALA_VERSION",
                        "2.13",
                        "INSPECTION_JAR",
                        System.getProperty("inspection.jar")));
        Process driver = builder.start();
        daemons.add(driver);

        // Once inference starts, one executor JVM dies as a lost machine would: no shutdown, no goodbye.
        awaitLine(WORK.resolve("driver.log"), "inference: Inspect", Duration.ofMinutes(4), driver);
        ProcessHandle executor = executors().get(0);
        executor.destroyForcibly();
        executor.onExit().get(30, TimeUnit.SECONDS);

        assertThat(driver.waitFor(6, TimeUnit.MINUTES)).as("the run ends").isTrue();
        String log = Files.readString(WORK.resolve("driver.log"));
        assertThat(driver.exitValue()).as("exit code; driver log:%n%s", log).isZero();
        assertThat(log).contains("Lost executor");

        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            EmbeddedS3.s3aSettings(endpoint)
                    .forEach(
                            (k, v) -> spark.sparkContext().hadoopConfiguration().set(k, v));
            String out = "s3a://roofs/inspections/";
            // One anomaly score per image and sampled frame: every image once, the video's 6 frames once each
            List<Row> scores = spark.read().parquet(out + "image_scores").collectAsList();
            List<String> images = scores.stream()
                    .filter(r -> r.isNullAt(r.fieldIndex("frame_number")))
                    .map(r -> r.<String>getAs("source_uri"))
                    .toList();
            assertThat(images).hasSize(boards.size()).containsExactlyInAnyOrderElementsOf(boards);
            assertThat(scores.stream()
                            .filter(r -> !r.isNullAt(r.fieldIndex("frame_number")))
                            .map(r -> r.<Long>getAs("frame_number"))
                            .toList())
                    .containsExactlyInAnyOrder(0L, 10L, 20L, 30L, 40L, 50L);
            // Regions once each, and on every board the detector finds parts on
            List<Row> regions = spark.read().parquet(out + "regions").collectAsList();
            assertThat(regions.stream()
                            .map(r -> r.<String>getAs("region_id"))
                            .distinct()
                            .count())
                    .isEqualTo(regions.size());
            assertThat(regions.stream()
                            .map(r -> r.<String>getAs("source_uri"))
                            .distinct()
                            .count())
                    .isGreaterThanOrEqualTo(boards.size());
            List<Row> errors = spark.read().parquet(out + "errors").collectAsList();
            assertThat(errors)
                    .extracting(r -> r.<String>getAs("source_uri"))
                    .containsExactly("s3a://roofs/photos/notes.jpg");
            Row run = spark.read().parquet(out + "runs").first();
            assertThat(run.<String>getAs("status")).isEqualTo("SUCCEEDED");
            assertThat((long) run.getAs("inputs_listed")).isEqualTo(boards.size() + 2);
            assertThat((long) run.getAs("images_processed")).isEqualTo(boards.size());
            assertThat((long) run.getAs("frames_processed")).isEqualTo(6);
        } finally {
            spark.stop();
        }
    }

    /** The executor JVMs the workers started. */
    private static List<ProcessHandle> executors() {
        return daemons.stream()
                .flatMap(Process::descendants)
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> Arrays.asList(a).contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
                        .orElse(false))
                .toList();
    }

    /** Starts a JVM whose output goes to {@code WORK/NAME.log}. */
    private static Process start(String name, String classpath, List<String> jvmOptions, String... mainAndArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(javaCommand, "-cp", classpath));
        command.addAll(jvmOptions);
        command.addAll(List.of(mainAndArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", WORK.resolve("spark-home").toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        Process process = builder.start();
        daemons.add(process);
        return process;
    }

    private static String awaitLine(Path log, String text, Duration timeout) throws Exception {
        return awaitLine(log, text, timeout, null);
    }

    /** Waits for a line of the log that holds the text, as long as the process writing it lives. */
    private static String awaitLine(Path log, String text, Duration timeout, Process writer) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && (writer == null || writer.isAlive())) {
            if (Files.exists(log)) {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
                    Optional<String> line =
                            in.lines().filter(l -> l.contains(text)).findFirst();
                    if (line.isPresent()) {
                        return line.get().substring(line.get().indexOf(text));
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "no '" + text + "' in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .map(Path::toFile)
                        .forEach(File::delete);
            }
        }
    }
}
