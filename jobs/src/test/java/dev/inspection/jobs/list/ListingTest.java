package dev.inspection.jobs.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inspection.jobs.work.InputFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingTest {

    private final Configuration conf = new Configuration();

    @Test
    void theDriverListsTheTopOfEachInputAndLeavesTheFoldersBelowToExecutors(@TempDir Path dir) throws Exception {
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
                .containsExactlyInAnyOrder("file:" + dir.resolve("top.jpeg"), "file:" + dir.resolve("a/b/two.PNG"));
        assertThat(top.folders()).containsExactly("file:" + dir.resolve("a"));

        var tree = Listing.listTree(top.folders().get(0), conf);
        assertThat(tree)
                .extracting(InputFile::uri)
                .containsExactlyInAnyOrder(
                        "file:" + dir.resolve("a/b/two.PNG"),
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
}
