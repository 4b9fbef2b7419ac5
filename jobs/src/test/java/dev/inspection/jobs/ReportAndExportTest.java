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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * What a person looks at in the morning, as a person and a scheduler see it: a night of boards under one folder per
 * roof, listed by a manifest with a roof column (one value and one file name holding HTML), and a file that cannot be
 * decoded. The night is run with {@code --report --annotate}; its report is made again by {@code ReportJob}, and grouped
 * by the manifest's column; its detections are exported for review tools and read back; then the night is run again
 * and fails for its failed input.
 */
@Tag("spark")
class ReportAndExportTest {

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

    /** The regions table's rows of the date after the first run. */
    static List<Row> firstRegions;

    /** The run's report, the same date's made again by ReportJob, and again grouped by the manifest's column. */
    static String byRun;

    static dev.inspection.jobs.export.Export.Written splitExport;
    /** The first run's errors by stage, class and count, with their first source as the report shows it. */
    static Map<String, String> firstErrors = new TreeMap<>();

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

    /** Copies of the first run's report and of the failed run's, for the browser. */
    static Path runReport;

    static Path failedRunReport;

    @BeforeAll
    static void nights() throws Exception {
        spark = LocalSpark.start("ReportAndExportTest", 2);
        out = dir.resolve("out");
        runReport = dir.resolve("run-report");
        failedRunReport = dir.resolve("failed-run-report");
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
        copy(report, runReport);
        firstRegions = List.of((Row[]) spark.read()
                .parquet(out.resolve("regions/run_date=" + DATE).toString())
                .collect());
        picturesByRun = pictures();
        for (Row r : (Row[]) spark.sql("SELECT stage, error_class, count(*), min(source_uri) FROM parquet.`"
                        + out.resolve("errors/run_date=" + DATE) + "` GROUP BY 1, 2")
                .collect()) {
            firstErrors.put(
                    r.getString(0) + " " + r.getString(1) + " " + r.getLong(2),
                    "<code>" + r.getString(3) + "</code><br>");
        }
        copies = files(out.resolve("annotated/run_date=" + DATE));

        assertThat(ReportJob.run(reportArgs("--report-group-by", "folder:1"))).isZero();
        byReportJob = read("index.html");
        picturesByReportJob = pictures();
        assertThat(ReportJob.run(reportArgs("--report-group-by", "roof_id"))).isZero();
        byColumn = read("index.html");
        for (String format : List.of("coco", "labelstudio", "yolo")) {
            assertThat(ExportJob.run(reportArgs(
                            "--format", format, "--to", exported(format).toUri().toString())))
                    .as("export as %s", format)
                    .isZero();
        }

        splitExport = dev.inspection.jobs.export.Export.write(
                spark,
                out.toUri().toString(),
                java.time.LocalDate.parse(DATE),
                dev.inspection.jobs.config.ExportArgs.Format.COCO,
                exported("coco-split").toUri().toString(),
                new dev.inspection.jobs.run.RunFiles(
                        "split-export", spark.sparkContext().hadoopConfiguration()),
                2);

        // Run again: no annotated copies this time, and the broken file fails the night.
        rerunExit = run(csv, "--max-failure-rate", "0", "--report-group-by", "folder:1");
        failedReport = read("index.html");
        copy(report, failedRunReport);
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

    static Path exported(String format) {
        return dir.resolve("export-" + format);
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

    static void copy(Path from, Path to) throws IOException {
        for (Path file : files(from)) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target);
        }
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
        assertThat(byRun).containsPattern("id=\"phases\">listing [0-9.]+ s · planning [0-9.]+ s · inference [0-9.]+ s");
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
    void theTrendsReadTheLastRunOfEachDateInTheirThirtyDaysAndNoOtherDate() throws Exception {
        // The date's runs as if they were also those of the day before and of a day two months earlier.
        Path nights = dir.resolve("three-nights");
        for (String date : List.of("2026-11-29", DATE, "2026-09-30")) {
            copy(out.resolve("runs/run_date=" + DATE), nights.resolve("runs/run_date=" + date));
        }
        var tables = new dev.inspection.jobs.report.DateTables(
                spark, nights.toUri().toString(), java.time.LocalDate.parse(DATE));
        List<Row> lastRuns = tables.lastRuns(java.time.LocalDate.parse(DATE).minusDays(29));
        String lastRunId = spark.read()
                .parquet(out.resolve("runs/run_date=" + DATE).toString())
                .orderBy(org.apache.spark.sql.functions.desc("finished_at"))
                .first()
                .getAs("run_id");

        assertThat(lastRuns).extracting(r -> r.getAs("run_date").toString()).containsExactly("2026-11-29", DATE);
        assertThat(lastRuns).extracting(r -> r.<String>getAs("run_id")).containsOnly(lastRunId);
        assertThat(tables.lastRun().<String>getAs("run_id")).isEqualTo(lastRunId);
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

    /**
     * The reports as a person sees them, in headless Chromium (Debian's chromium and chromium-driver, driven through
     * Selenium): no console error, every picture and plot loads, the counts per concept are the run's, and a failed
     * run's report says so at the top. Screenshots of both are left in target/ for a person to look at. Skipped where
     * Chromium's driver is not installed (.ci/run installs it).
     */
    @Test
    void inChromiumEveryPictureLoadsAndTheCountsAreTheRuns() throws IOException {
        Path driver = Path.of("/usr/bin/chromedriver");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(driver), "chromium-driver is not installed (apt-get install chromium-driver)");
        org.openqa.selenium.chrome.ChromeOptions options = new org.openqa.selenium.chrome.ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,2400");
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        org.openqa.selenium.chrome.ChromeDriver chrome = new org.openqa.selenium.chrome.ChromeDriver(
                new org.openqa.selenium.chrome.ChromeDriverService.Builder()
                        .usingDriverExecutable(driver.toFile())
                        .build(),
                options);
        try {
            for (Path page : List.of(runReport, failedRunReport)) {
                chrome.get(page.resolve("index.html").toUri().toString());
                Object broken = chrome.executeScript("return Array.from(document.images)"
                        + ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)");
                assertThat((List<?>) broken)
                        .as("pictures that do not load in %s", page)
                        .isEmpty();
                assertThat((Long) chrome.executeScript("return document.images.length"))
                        .isGreaterThan(5);
                assertThat(chrome.manage()
                                .logs()
                                .get(org.openqa.selenium.logging.LogType.BROWSER)
                                .getAll())
                        .as("console messages")
                        .filteredOn(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                        .isEmpty();
                Path shot = chrome.getScreenshotAs(org.openqa.selenium.OutputType.FILE)
                        .toPath();
                Files.copy(
                        shot,
                        Path.of("target", page.getFileName() + ".png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            chrome.get(runReport.resolve("index.html").toUri().toString());
            Map<String, Long> shown = new TreeMap<>();
            for (org.openqa.selenium.WebElement cell :
                    chrome.findElements(org.openqa.selenium.By.cssSelector("td[data-concept]"))) {
                shown.put(
                        cell.getAttribute("data-concept"),
                        Long.parseLong(cell.getText().replace(",", "")));
            }
            assertThat(shown).isEqualTo(first.regionsPerConcept());
            assertThat(chrome.findElements(org.openqa.selenium.By.id("failed"))).isEmpty();
            chrome.get(failedRunReport.resolve("index.html").toUri().toString());
            assertThat(chrome.findElement(org.openqa.selenium.By.id("failed")).getText())
                    .startsWith("This run FAILED")
                    .contains("--max-failure-rate");
        } finally {
            chrome.quit();
        }
    }

    // ---- exports

    /** The regions of the first run as the label readers key them: image path under the manifest's folder, box. */
    static Set<String> regionsAsLabels() {
        Set<String> boxes = new TreeSet<>();
        for (Row r : firstRegions) {
            String key = dev.inspection.jobs.inspect.ImageKeys.key(
                    new org.apache.hadoop.fs.Path(dir.toUri()).toString(), r.getAs("source_uri"));
            boxes.add(box(
                    key,
                    r.getAs("concept_name"),
                    r.getAs("top_row"),
                    r.getAs("left_col"),
                    r.getAs("bottom_row"),
                    r.getAs("right_col")));
        }
        return boxes;
    }

    /** A box to 3 decimals of the image's size: the exports round pixels to 4 decimals, YOLO to 6 of the size. */
    static String box(String key, String concept, double top, double left, double bottom, double right) {
        return String.format(
                java.util.Locale.ROOT, "%s %s %.3f %.3f %.3f %.3f", key, concept, top, left, bottom, right);
    }

    static Set<String> labels(String labels) throws IOException {
        dev.inspection.jobs.evaluate.labels.LabelSet read = dev.inspection.jobs.evaluate.labels.Labels.read(
                spark,
                labels,
                dir.toUri().toString(),
                List.of("chip", "capacitor", "resistor"),
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .broadcast(new dev.inspection.jobs.io.HadoopConf(
                                spark.sparkContext().hadoopConfiguration())));
        assertThat(read.errors().count()).as("labels the reader refused").isZero();
        Set<String> boxes = new TreeSet<>();
        for (Row r : (Row[]) read.boxes().collect()) {
            boxes.add(box(
                    r.getString(0), r.getString(1), r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5)));
        }
        return boxes;
    }

    @Test
    void theCocoExportReadByTheEvaluationsCocoReaderGivesTheRegionsBoxes() throws IOException {
        Path instances = exported("coco").resolve("instances.json");
        assertThat(labels(instances.toUri().toString()))
                .isEqualTo(regionsAsLabels())
                .hasSize((int) first.regionsWritten());
        com.fasterxml.jackson.databind.JsonNode coco =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(instances.toFile());
        assertThat(coco.get("annotations"))
                .allSatisfy(a -> assertThat(a.get("score").asDouble()).isBetween(0.0, 1.0));
        assertThat(coco.get("images").size()).isEqualTo(5);
    }

    @Test
    void aCocoExportPastItsPicturesPerFileIsWholeDocumentsThatTogetherHoldEveryRegion() throws IOException {
        // Two pictures a document (50,000 in a real export): the five images in three documents.
        assertThat(splitExport.pictures()).isEqualTo(5);
        assertThat(files(exported("coco-split")).stream()
                        .map(p -> p.getFileName().toString()))
                .containsExactly(
                        "instances-00001-of-00003.json",
                        "instances-00002-of-00003.json",
                        "instances-00003-of-00003.json");
        Set<String> read = new TreeSet<>();
        Set<Long> imageIds = new TreeSet<>();
        for (Path part : files(exported("coco-split"))) {
            read.addAll(labels(part.toUri().toString()));
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(part.toFile())
                    .get("images")
                    .forEach(image -> imageIds.add(image.get("id").asLong()));
        }
        assertThat(read).isEqualTo(regionsAsLabels());
        assertThat(imageIds).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void theReportGroupsTheErrorsByStageAndClassWithTheirSources() {
        Matcher row = Pattern.compile(
                        "<tr><td>([^<]+)</td><td>([^<]+)</td><td class=\"n\">([\\d,]+)</td><td>[^<]*</td><td>((?:<code>[^<]+</code><br>)+)</td></tr>")
                .matcher(byRun);
        Map<String, String> shown = new TreeMap<>();
        while (row.find()) {
            shown.put(row.group(1) + " " + row.group(2) + " " + row.group(3), row.group(4));
        }
        assertThat(firstErrors).as("the first run's errors").hasSize(1);
        assertThat(shown).isEqualTo(firstErrors);
    }

    @Test
    void theYoloExportReadByTheEvaluationsYoloReaderGivesTheRegionsBoxes() throws IOException {
        Path labels = exported("yolo").resolve("pcb-detector/labels");
        Path training = dir.resolve("yolo-without-scores");
        for (Path file : files(labels)) {
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).allSatisfy(line -> assertThat(line.split(" ")).hasSize(6));
            Path target = training.resolve(labels.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.write(
                    target,
                    lines.stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList());
        }
        assertThat(labels(training.toUri().toString())).isEqualTo(regionsAsLabels());
        assertThat(Files.readAllLines(exported("yolo").resolve("pcb-detector/classes.txt")))
                .containsExactly("chip", "capacitor", "resistor");
    }

    @Test
    void theLabelStudioExportHasATaskPerImageWithItsRegionsAsPredictions() throws IOException {
        com.fasterxml.jackson.databind.JsonNode tasks = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(exported("labelstudio").resolve("tasks.json").toFile());
        Map<String, Long> regionsPerImage = new TreeMap<>();
        firstRegions.forEach(r -> regionsPerImage.merge(r.getAs("source_uri"), 1L, Long::sum));
        Map<String, Long> shown = new TreeMap<>();
        for (com.fasterxml.jackson.databind.JsonNode task : tasks) {
            com.fasterxml.jackson.databind.JsonNode prediction =
                    task.get("predictions").get(0);
            assertThat(prediction.get("model_version").asText()).isEqualTo("pcb-detector 1.0.0");
            for (com.fasterxml.jackson.databind.JsonNode result : prediction.get("result")) {
                assertThat(result.get("type").asText()).isEqualTo("rectanglelabels");
                assertThat(result.get("from_name").asText()).isEqualTo("label");
                assertThat(result.get("to_name").asText()).isEqualTo("image");
                com.fasterxml.jackson.databind.JsonNode value = result.get("value");
                assertThat(value.get("x").asDouble() + value.get("width").asDouble())
                        .isBetween(0.0, 100.0001);
                assertThat(value.get("y").asDouble() + value.get("height").asDouble())
                        .isBetween(0.0, 100.0001);
                assertThat(value.get("rectanglelabels").get(0).asText()).isIn("chip", "capacitor", "resistor");
                assertThat(result.get("original_width").asInt()).isPositive();
            }
            shown.put(task.get("data").get("image").asText(), (long)
                    prediction.get("result").size());
        }
        assertThat(shown).isEqualTo(regionsPerImage);
    }

    @Test
    void anExportOfADateWhoseLastRunFailedIsRefusedWithExitTwo() {
        assertThat(ExportJob.run(reportArgs(
                        "--format",
                        "coco",
                        "--to",
                        dir.resolve("refused").toUri().toString())))
                .isEqualTo(InspectionJob.EXIT_USAGE);
        assertThat(dir.resolve("refused/instances.json")).doesNotExist();
    }
}
