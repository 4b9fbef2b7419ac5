package dev.inspection.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.config.InspectArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a night and the annotated copies, as a person and a scheduler see them: a night of boards under one
 * folder per roof, listed by a manifest with a roof column (one value and one file name holding HTML), and a file that
 * cannot be decoded. The night is run with {@code --report --annotate}, its report made again by {@code ReportJob},
 * grouped by the manifest's column, then the night is run again and fails for its failed input.
 */
@Tag("spark")
class ReportTest {

    static final String DATE = "2026-11-30";

    /** A file name and a manifest value that are HTML: the report shows them as text. */
    static final String HTML_NAME = "<img src=x onerror=alert(1)>&\"b\".jpg";

    static final String HTML_ROOF = "<i>roof \"7\" & co</i>";

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path out;
    static Path report;
    static InspectionJob.Result first;

    /** The run's report, the same date's made again by ReportJob, and again grouped by the manifest's column. */
    static String byRun;

    static String byReportJob;
    static String byColumn;
    static Map<String, byte[]> picturesByRun;
    static Map<String, byte[]> picturesByReportJob;
    /** The annotated copies of the first run; and what the date holds after the second. */
    static List<Path> copies;

    static List<Path> copiesAfterRerun;
    /** The second run's exit, report and the date's report folder after it. */
    static int rerunExit;

    static String failedReport;
    static List<String> reportFolderAfterRerun;

    @BeforeAll
    static void nights() throws Exception {
        spark = LocalSpark.start("ReportTest", 2);
        out = dir.resolve("out");
        report = out.resolve("reports/run_date=" + DATE);
        Path roofs = dir.resolve("roofs");
        List<Path> boards = DemoData.images();
        StringBuilder manifest = new StringBuilder("uri,roof_id\n");
        String[][] layout = {
            {"roof-1", "board-001.jpg", "roof 1"},
            {"roof-1", "board-002.jpg", "roof 1"},
            {"roof-1", "board-003.jpg", "roof 1"},
            {"roof-2", "board-004.jpg", HTML_ROOF},
            {"roof-2", HTML_NAME, HTML_ROOF},
            {"roof-3", "broken.jpg", "roof 3"}
        };
        for (int i = 0; i < layout.length; i++) {
            Path file = Files.createDirectories(roofs.resolve(layout[i][0])).resolve(layout[i][1]);
            if (layout[i][1].equals("broken.jpg")) {
                Files.write(file, new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3});
            } else {
                Files.copy(boards.get(i), file);
            }
            // Relative to the manifest's folder, as they are: the file name's HTML stays in the source's URI.
            manifest.append('"')
                    .append(dir.relativize(file).toString().replace("\"", "\"\""))
                    .append("\",\"")
                    .append(layout[i][2].replace("\"", "\"\""))
                    .append("\"\n");
        }
        Path csv = Files.writeString(dir.resolve("manifest.csv"), manifest);

        first = new InspectionJob(spark, args(csv, "--annotate", "--report-group-by", "folder:1")).execute();
        byRun = read("index.html");
        picturesByRun = pictures();
        copies = files(out.resolve("annotated/run_date=" + DATE));

        assertThat(ReportJob.run(reportArgs("--report-group-by", "folder:1"))).isZero();
        byReportJob = read("index.html");
        picturesByReportJob = pictures();
        assertThat(ReportJob.run(reportArgs("--report-group-by", "roof_id"))).isZero();
        byColumn = read("index.html");

        // Run again: no annotated copies this time, and the broken file fails the night.
        rerunExit = run(csv, "--max-failure-rate", "0", "--report-group-by", "folder:1");
        failedReport = read("index.html");
        copiesAfterRerun = files(out.resolve("annotated/run_date=" + DATE));
        try (Stream<Path> entries = Files.list(report)) {
            reportFolderAfterRerun =
                    entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static InspectArgs args(Path manifest, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--manifest",
                manifest.toUri().toString(),
                "--detector",
                DemoData.DETECTOR.toUri().toString(),
                "--anomaly",
                DemoData.ANOMALY_MODEL.toUri().toString(),
                "--output",
                out.toUri().toString(),
                "--run-date",
                DATE,
                "--report"));
        args.addAll(List.of(more));
        return InspectArgs.parse(args.toArray(String[]::new));
    }

    /** A run that may fail: its exit code, as the command line's. */
    static int run(Path manifest, String... more) throws Exception {
        try {
            new InspectionJob(spark, args(manifest, more)).execute();
            return InspectionJob.EXIT_OK;
        } catch (InspectionJob.TooManyFailuresException e) {
            return InspectionJob.EXIT_TOO_MANY_FAILURES;
        }
    }

    static String[] reportArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("--output", out.toUri().toString(), "--run-date", DATE));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static String read(String file) throws IOException {
        return Files.readString(report.resolve(file), StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> pictures() throws IOException {
        Map<String, byte[]> pictures = new TreeMap<>();
        for (Path p : files(report.resolve("pictures"))) {
            pictures.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return pictures;
    }

    static List<Path> files(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The counts a table of the report shows: its rows' cells by their first cell. */
    static Map<String, List<String>> table(String html, String id) {
        Matcher table = Pattern.compile("<table id=\"" + id + "\">(.*?)</table>", Pattern.DOTALL)
                .matcher(html);
        assertThat(table.find()).as("table %s in the report", id).isTrue();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(table.group(1));
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell =
                    Pattern.compile("<t[dh][^>]*>(.*?)</t[dh]>", Pattern.DOTALL).matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1).replaceAll("<[^>]+>", "").trim());
            }
            rows.put(cells.get(0), cells.subList(1, cells.size()));
        }
        return rows;
    }

    /** Regions per group and concept by SQL on the regions table, as the report's table shows them. */
    static Map<String, List<String>> sqlGroups(String groupExpression, boolean inputs) {
        spark.read().parquet(out.resolve("regions").toString()).createOrReplaceTempView("regions");
        List<String> concepts = Arrays.stream((Row[]) spark.sql("SELECT DISTINCT concept_name FROM regions WHERE"
                                + " run_date = '" + DATE + "' ORDER BY 1")
                        .collect())
                .map(r -> r.getString(0))
                .toList();
        Map<String, List<String>> rows = new TreeMap<>();
        for (Row r : (Row[]) spark.sql("SELECT " + groupExpression + " AS g, concept_name, count(*) FROM regions"
                        + " WHERE run_date = '" + DATE + "' GROUP BY 1, 2")
                .collect()) {
            List<String> cells = rows.computeIfAbsent(
                    r.getString(0),
                    g -> new ArrayList<>(java.util.Collections.nCopies(concepts.size() + 1 + (inputs ? 1 : 0), "0")));
            int column = (inputs ? 1 : 0) + concepts.indexOf(r.getString(1));
            cells.set(column, String.valueOf(r.getLong(2)));
            int total = cells.size() - 1;
            cells.set(total, String.valueOf(Long.parseLong(cells.get(total)) + r.getLong(2)));
        }
        return rows;
    }

    @Test
    void theReportCountsTheRegionsOfEachConceptAsTheTableHasThem() {
        Map<String, Long> shown = new TreeMap<>();
        Matcher cell = Pattern.compile("data-concept=\"([^\"]+)\">([\\d,]+)<").matcher(byRun);
        while (cell.find()) {
            shown.put(cell.group(1), Long.parseLong(cell.group(2).replace(",", "")));
        }
        assertThat(shown).as("regions per concept in the report").isEqualTo(first.regionsPerConcept());
        assertThat(shown.keySet()).containsExactlyInAnyOrder("chip", "capacitor", "resistor");
    }

    @Test
    void theTablePerRoofFolderIsTheRegionsTableGroupedByFolder() {
        Map<String, List<String>> shown = new TreeMap<>(table(byRun, "group-table"));
        List<String> header = shown.remove("folder:1");
        assertThat(header).as("columns").containsExactly("inputs", "capacitor", "chip", "resistor", "all regions");
        Map<String, List<String>> sql = sqlGroups("element_at(split(source_uri, '/'), -2)", true);
        sql.get("roof-1").set(0, "3");
        sql.get("roof-2").set(0, "2");
        sql.put("roof-3", List.of("1", "0", "0", "0", "0")); // a roof with an input and no region is shown too
        assertThat(shown).isEqualTo(sql);
    }

    @Test
    void theTablePerManifestColumnIsTheRegionsTableGroupedByIt() {
        Map<String, List<String>> shown = new TreeMap<>(table(byColumn, "group-table"));
        shown.remove("roof_id");
        Map<String, List<String>> sql = new TreeMap<>();
        sqlGroups("metadata['roof_id']", false)
                .forEach((roof, cells) -> sql.put(
                        roof.replace("&", "&amp;")
                                .replace("<", "&lt;")
                                .replace(">", "&gt;")
                                .replace("\"", "&quot;"),
                        cells));
        assertThat(shown.keySet()).hasSize(2).allMatch(k -> !k.contains("<"));
        assertThat(shown.values()).containsExactlyInAnyOrderElementsOf(sql.values());
    }

    @Test
    void htmlInFileNamesAndManifestValuesIsShownAsText() {
        for (String html : List.of(byRun, byColumn)) {
            assertThat(html).doesNotContain("<img src=x").doesNotContain("<i>roof");
        }
        assertThat(byRun).contains("&lt;img src");
        assertThat(byColumn).contains("&lt;i&gt;roof");
    }

    @Test
    void reportJobMakesTheSameReportAsTheRunFromTheTablesAlone() {
        assertThat(withoutMadeAt(byReportJob)).isEqualTo(withoutMadeAt(byRun));
        assertThat(picturesByReportJob.keySet())
                .isEqualTo(picturesByRun.keySet())
                .isNotEmpty();
        picturesByRun.forEach((name, bytes) ->
                assertThat(picturesByReportJob.get(name)).as(name).isEqualTo(bytes));
    }

    static String withoutMadeAt(String html) {
        return html.replaceAll("Made [0-9TZ:-]+ from", "Made from");
    }

    @Test
    void annotatedCopiesAreThePicturesWithRegionsAndOnlyTheLatestRunsAfterARerun() {
        long picturesWithRegions = spark.read()
                .parquet(out.resolve("regions/run_date=" + DATE).toString())
                .select("source_uri")
                .distinct()
                .count();
        assertThat(copies)
                .hasSize((int) picturesWithRegions)
                .allMatch(p -> p.toString().contains("/" + first.runId() + "/"));
        assertThat(copies).allMatch(p -> p.getFileName().toString().endsWith(".jpg"));
        assertThat(copiesAfterRerun)
                .as("copies after a rerun without --annotate")
                .isEmpty();
    }

    @Test
    void aFailedRunsReportSaysSoAndTheDateHoldsOneReport() {
        assertThat(rerunExit).isEqualTo(InspectionJob.EXIT_TOO_MANY_FAILURES);
        assertThat(failedReport)
                .contains("id=\"failed\"")
                .contains("This run FAILED")
                .contains("--max-failure-rate");
        assertThat(byRun).doesNotContain("id=\"failed\"").contains("id=\"succeeded\"");
        assertThat(reportFolderAfterRerun).containsExactly("index.html", "pictures", "plots");
    }

    @Test
    void aPictureWhoseSourceIsGoneIsShownMissingAndTheReportIsStillMade() throws Exception {
        Path gone = dir.resolve("roofs/roof-1/board-001.jpg");
        byte[] kept = Files.readAllBytes(gone);
        Files.delete(gone);
        try {
            assertThat(ReportJob.run(reportArgs())).isZero();
            assertThat(read("index.html")).contains("The picture cannot be read any more");
        } finally {
            Files.write(gone, kept);
        }
    }

    @Test
    void aDateWithNoRunOrAnOutputThatIsNotAnInspectionsIsRefusedWithExitTwo() throws IOException {
        assertThat(ReportJob.run(new String[] {"--output", out.toUri().toString(), "--run-date", "1999-01-01"}))
                .isEqualTo(InspectionJob.EXIT_USAGE);
        Path other = Files.createDirectories(dir.resolve("not-an-output"));
        assertThat(ReportJob.run(new String[] {"--output", other.toUri().toString(), "--run-date", DATE}))
                .isEqualTo(InspectionJob.EXIT_USAGE);
        assertThat(files(other.resolve("reports"))).isEmpty();
    }
}
