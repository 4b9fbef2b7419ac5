package dev.inspection.jobs.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.work.InputFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class ListingTest {

    private final Configuration conf = new Configuration();

    @Test
    void theTopOfEachInputIsListedAndTheFoldersBelowAreLeftToTasksOfTheirOwn(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.write(dir.resolve("top.jpeg"), new byte[] {1});
        Files.write(dir.resolve("readme.md"), new byte[] {1});
        Files.write(dir.resolve("a/one.jpg"), new byte[] {1});
        Files.write(dir.resolve("a/clip.MP4"), new byte[] {1});
        Files.write(dir.resolve("a/b/two.PNG"), new byte[] {1, 2});
        Files.write(dir.resolve("a/b/notes.txt"), new byte[] {1});
        var top = Listing.topLevel(
                java.util.List.of(dir.toString(), dir.resolve("a/b/two.PNG").toString()), conf);
        assertThat(top.files())
                .extracting(InputFile::uri)
                .containsExactlyInAnyOrder(
                        "file:" + dir.resolve("top.jpeg"),
                        "file:" + dir.resolve("readme.md"),
                        "file:" + dir.resolve("a/b/two.PNG"));
        assertThat(top.folders()).containsExactly("file:" + dir.resolve("a"));
        assertThat(top.named()).containsExactly("file:" + dir.resolve("a/b/two.PNG"));

        var tree = Listing.listTree(top.folders().get(0), conf);
        assertThat(tree)
                .extracting(InputFile::uri)
                .containsExactlyInAnyOrder(
                        "file:" + dir.resolve("a/b/two.PNG"),
                        "file:" + dir.resolve("a/b/notes.txt"),
                        "file:" + dir.resolve("a/clip.MP4"),
                        "file:" + dir.resolve("a/one.jpg"));
        assertThat(tree)
                .filteredOn(f -> f.uri().endsWith("two.PNG"))
                .singleElement()
                .satisfies(f -> assertThat(f.size()).isEqualTo(2));
        assertThatThrownBy(() ->
                        Listing.topLevel(java.util.List.of(dir.resolve("nope").toString()), conf))
                .isInstanceOf(java.io.FileNotFoundException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void filesOfFormatsTheJobDoesNotReadAreListedToBeCountedAndMarkersAreNot(@TempDir Path dir) throws Exception {
        String[] files = {
            "photo.jpg",
            "IMG_0042.HEIC",
            "clip.mov",
            "notes.txt",
            ".DS_Store",
            "photo.jp2",
            "clip.xyz",
            "README",
            "_SUCCESS",
            ".part-00000.crc",
            "flight/_committed_123",
            "flight/frame.png",
            "flight/thumbs.db",
            "flight/_temporary/0/part-00000",
            "flight/_temporary/0/board.jpg"
        };
        for (String f : files) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.write(dir.resolve(f), new byte[] {1});
        }
        var top = Listing.topLevel(java.util.List.of(dir.toString()), conf);
        var tree = Listing.listTree(top.folders().get(0), conf);
        java.util.Map<Listing.Kind, java.util.List<String>> byKind = java.util.stream.Stream.concat(
                        top.files().stream(), tree.stream())
                .map(InputFile::uri)
                .map(uri -> uri.substring(("file:" + dir + "/").length()))
                .collect(java.util.stream.Collectors.groupingBy(
                        rel -> Listing.kind("file:" + dir + "/" + rel),
                        java.util.TreeMap::new,
                        java.util.stream.Collectors.toList()));
        assertThat(byKind.get(Listing.Kind.INPUT))
                .as("inputs, an image under _temporary/ among them as before")
                .containsExactlyInAnyOrder(
                        "photo.jpg", "IMG_0042.HEIC", "clip.mov", "flight/frame.png", "flight/_temporary/0/board.jpg");
        assertThat(byKind.get(Listing.Kind.UNSUPPORTED))
                .as("counted, hidden files among them")
                .containsExactlyInAnyOrder(
                        "notes.txt", ".DS_Store", "photo.jp2", "clip.xyz", "README", "flight/thumbs.db");
        assertThat(byKind).as("markers are not even listed").doesNotContainKey(Listing.Kind.MARKER);
        assertThat(java.util.List.of(
                        "s3a://b/x/_SUCCESS",
                        "s3a://b/x/.part-0.CRC",
                        "s3a://b/x/_metadata",
                        "s3a://b/x/_temporary/0/task/part-0"))
                .allSatisfy(uri -> assertThat(Listing.kind(uri)).as(uri).isEqualTo(Listing.Kind.MARKER));
        assertThat(Listing.kind("s3a://b/notes.v2/readme")).isEqualTo(Listing.Kind.UNSUPPORTED);
        assertThat(Listing.kind("s3a://b/pics.jpg/readme")).isEqualTo(Listing.Kind.UNSUPPORTED);
    }

    @Test
    void theListingCountsEachFileOfAFormatItDoesNotReadOnceAndANamedFileIsAnInput(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"top.jpg", "notes.txt", "_SUCCESS", "a/one.jpg", "a/.DS_Store", "a/b/scan.jp2"}) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.write(dir.resolve(f), new byte[] {1});
        }
        Files.write(dir.resolve("a/b/photo"), new byte[] {1});
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("ListingTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        try {
            var hadoop = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
            // Overlapping inputs (the folder a/ twice), and a file without an extension named directly.
            Listing.Listed listed = Listing.inputs(
                    spark,
                    java.util.List.of(
                            dir.toString(),
                            dir.resolve("a").toString(),
                            dir.resolve("a/b/photo").toString()),
                    java.util.List.of(),
                    hadoop);
            assertThat(listed.inputs().map(i -> i.file().uri()).collect())
                    .as("inputs")
                    .containsExactlyInAnyOrder(
                            "file:" + dir.resolve("top.jpg"),
                            "file:" + dir.resolve("a/one.jpg"),
                            "file:" + dir.resolve("a/b/photo"));
            assertThat(listed.unsupported().collect())
                    .as("files of formats the job does not read, each once")
                    .containsExactlyInAnyOrder(
                            "file:" + dir.resolve("notes.txt"),
                            "file:" + dir.resolve("a/.DS_Store"),
                            "file:" + dir.resolve("a/b/scan.jp2"));
        } finally {
            spark.stop();
        }
    }
}
