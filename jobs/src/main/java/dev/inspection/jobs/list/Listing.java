package dev.inspection.jobs.list;

import dev.inspection.image.ImageDecoder;
import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.io.HadoopConf;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.Input;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.video.VideoReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The inputs of a run as distributed data: the image and video files under each {@code --input} (the driver lists the
 * top of each input, executors the folders below it: a bucket of millions of objects is never listed by one JVM), once
 * each where inputs overlap, and the rows of each manifest with their files' sizes and modification times.
 */
public final class Listing {

    private Listing() {}

    public static JavaRDD<Input> inputs(
            SparkSession spark, List<String> inputs, List<String> manifests, Broadcast<HadoopConf> hadoop)
            throws IOException, UsageException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TopLevel top = topLevel(inputs, spark.sparkContext().hadoopConfiguration());
        JavaRDD<InputFile> below = jsc.parallelize(
                        top.folders(), Math.max(1, Math.min(top.folders().size(), 4 * jsc.defaultParallelism())))
                .flatMap(folder -> listTree(folder, hadoop.value().get()).iterator());
        JavaRDD<Input> listed = jsc.parallelize(top.files(), 1)
                .union(below)
                .keyBy(InputFile::uri)
                .reduceByKey((a, b) -> a)
                .values()
                .map(Input::listed);
        for (String manifest : manifests) {
            listed = listed.union(Manifests.read(spark, manifest)
                    .map(input ->
                            input.withFile(stat(input.file(), hadoop.value().get()))));
        }
        return listed;
    }

    /**
     * Whether the listing picks up the file, by its name: an image or a video, or a photo of a format no decoder here
     * reads (HEIC, as iPhones write): that one is listed so that it ends in the errors table, not skipped silently.
     */
    static boolean isInput(String name) {
        return ImageDecoder.isImagePath(name)
                || ImageDecoder.isUnsupportedImagePath(name)
                || VideoReader.isVideoPath(name);
    }

    /**
     * What the driver lists of the inputs: the files named directly or lying at the top of an input folder, and the
     * folders below the tops, which executors list.
     */
    record TopLevel(List<InputFile> files, List<String> folders) {}

    /**
     * Lists the top level of each input.
     *
     * @throws FileNotFoundException naming the input that does not exist
     */
    static TopLevel topLevel(List<String> inputs, Configuration conf) throws IOException {
        List<InputFile> files = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        for (String input : inputs) {
            Path root = new Path(input);
            FileSystem fs = root.getFileSystem(conf);
            FileStatus status = Storage.statusOrNull(fs, root);
            if (status == null) {
                throw new FileNotFoundException("--input " + input + " does not exist");
            }
            if (status.isFile()) {
                files.add(inputFile(status));
                continue;
            }
            if (fs.getScheme().equals("file")) {
                listLocal(fs.makeQualified(root), 1, files, folders);
                continue;
            }
            RemoteIterator<FileStatus> children = fs.listStatusIterator(status.getPath());
            while (children.hasNext()) {
                FileStatus child = children.next();
                if (child.isDirectory()) {
                    folders.add(child.getPath().toString());
                } else if (isInput(child.getPath().getName())) {
                    files.add(inputFile(child));
                }
            }
        }
        return new TopLevel(files, folders);
    }

    /** Lists the image and video files under a folder, recursively: what an executor does with each folder. */
    static List<InputFile> listTree(String folder, Configuration conf) throws IOException {
        Path root = new Path(folder);
        FileSystem fs = root.getFileSystem(conf);
        List<InputFile> found = new ArrayList<>();
        if (fs.getScheme().equals("file")) {
            listLocal(fs.makeQualified(root), Integer.MAX_VALUE, found, new ArrayList<>());
            return found;
        }
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
        while (files.hasNext()) {
            LocatedFileStatus file = files.next();
            if (file.isFile() && isInput(file.getPath().getName())) {
                found.add(inputFile(file));
            }
        }
        return found;
    }

    /**
     * Local folders are walked with NIO, down to {@code depth}, with the folders at that depth in {@code folders}:
     * Hadoop's local listing forks a {@code stat} process per file for permissions (2 s for 600 files here), and it
     * builds each child's path from its name, which fails on a name with a colon ({@code cam_10:00:00.jpg}: "Relative
     * path in absolute URI"). An object store's {@code listFiles} is one flat listing of the prefix.
     */
    private static void listLocal(Path root, int depth, List<InputFile> files, List<String> folders)
            throws IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(root.toUri());
        try (var walk = Files.walk(dir, depth)) {
            for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) walk::iterator) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                if (attributes.isRegularFile() && isInput(file.getFileName().toString())) {
                    files.add(new InputFile(
                            uri(file),
                            attributes.size(),
                            attributes.lastModifiedTime().toMillis()));
                } else if (attributes.isDirectory()
                        && !file.equals(dir)
                        && dir.relativize(file).getNameCount() == depth) {
                    folders.add(uri(file));
                }
            }
        }
    }

    /**
     * A local file or folder as Hadoop names it ({@code file:/data/a b.jpg}), from its URI, so no character of its name
     * is parsed; a folder without the trailing slash.
     */
    private static String uri(java.nio.file.Path file) {
        String uri = new Path(file.toUri()).toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** The size and modification time of a file named by a manifest; the file as unknown (-1) if it cannot be read. */
    static InputFile stat(InputFile file, Configuration conf) {
        try {
            Path path = new Path(file.uri());
            FileStatus status = path.getFileSystem(conf).getFileStatus(path);
            return new InputFile(file.uri(), status.getLen(), status.getModificationTime());
        } catch (IOException | IllegalArgumentException e) {
            return file; // reading it fails later, with the reason, into the errors table
        }
    }

    private static InputFile inputFile(FileStatus file) {
        return new InputFile(file.getPath().toString(), file.getLen(), file.getModificationTime());
    }
}
