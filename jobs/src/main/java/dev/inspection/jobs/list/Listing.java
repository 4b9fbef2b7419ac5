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
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
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
 * The inputs of a run as distributed data: the image and video files under each {@code --input} (the driver looks at
 * each input; a task lists the top of each input folder, others the folders below it: a bucket of millions of objects
 * in folders is never listed by one JVM, and the driver holds none of its files), once each where inputs overlap, and the rows of each manifest with their files' sizes and modification times. The other
 * files under the inputs, of formats the job does not read, come out of the same listing, to be counted and named.
 */
public final class Listing {

    private Listing() {}

    /**
     * What the listing found.
     *
     * @param files every file listed under the inputs but markers, once each: what the other two are made of. Persist
     *     it to list the inputs once.
     * @param inputs the images and videos among the files, and the manifests' rows
     * @param unsupported the URIs of the other files: of a format the job does not read ({@code notes.txt},
     *     {@code .DS_Store}, {@code photo.jp2}), not inspected, counted in {@code runs.inputs_unsupported}
     */
    public record Listed(JavaRDD<InputFile> files, JavaRDD<Input> inputs, JavaRDD<String> unsupported) {

        /**
         * Counts the inputs and the files of other formats, and names the first of those by URI: one Spark job, in
         * which the executors count and sort what they listed, and send the driver a few figures and names per task.
         *
         * @param named how many of the files of other formats to name, the first by URI
         */
        public Summary summary(int named) {
            return inputs
                    .mapPartitions(it -> List.of(Summary.ofInputs(it)).iterator())
                    .union(unsupported.mapPartitions(
                            it -> List.of(Summary.ofUnsupported(it, named)).iterator()))
                    .collect()
                    .stream()
                    .reduce(new Summary(0, 0, List.of()), (a, b) -> a.plus(b, named));
        }
    }

    /**
     * What a run's row and log say of its listing.
     *
     * @param inputs files listed as inputs and manifest rows
     * @param unsupported files of a format the job does not read
     * @param firstUnsupported the first of those by URI, sorted
     */
    public record Summary(long inputs, long unsupported, List<String> firstUnsupported) implements Serializable {
        private static final long serialVersionUID = 1L;

        static Summary ofInputs(Iterator<Input> inputs) {
            long n = 0;
            for (; inputs.hasNext(); inputs.next()) {
                n++;
            }
            return new Summary(n, 0, List.of());
        }

        static Summary ofUnsupported(Iterator<String> uris, int named) {
            TreeSet<String> first = new TreeSet<>();
            long n = 0;
            while (uris.hasNext()) {
                n++;
                first.add(uris.next());
                if (first.size() > named) {
                    first.pollLast();
                }
            }
            return new Summary(0, n, List.copyOf(first));
        }

        Summary plus(Summary other, int named) {
            TreeSet<String> first = new TreeSet<>(firstUnsupported);
            first.addAll(other.firstUnsupported);
            return new Summary(
                    inputs + other.inputs,
                    unsupported + other.unsupported,
                    first.stream().limit(named).toList());
        }
    }

    /** A file under an input, by its name and path. */
    enum Kind {
        /** An image, a video, or a photo no decoder here reads (HEIC), which then ends in the errors table. */
        INPUT,
        /** A file of any other format, counted. */
        UNSUPPORTED,
        /** Spark's and Hadoop's bookkeeping: neither an input nor counted. */
        MARKER
    }

    public static Listed inputs(
            SparkSession spark, List<String> inputs, List<String> manifests, Broadcast<HadoopConf> hadoop)
            throws IOException, UsageException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Roots roots = roots(inputs, spark.sparkContext().hadoopConfiguration());
        int slices = 4 * jsc.defaultParallelism();
        // A task lists the top of each input folder, so the driver holds none of its files; the entries are spread
        // over a task per core, which list the folders among them. One stage more than a listing on the driver: about
        // 0.1 s of a run of 1,000 local boards here.
        JavaRDD<InputFile> below = jsc.parallelize(
                        roots.folders(), Math.max(1, Math.min(roots.folders().size(), slices)))
                .flatMap(folder -> Entry.topOf(folder, hadoop.value().get()).iterator())
                .repartition(jsc.defaultParallelism())
                .flatMap(entry -> entry.folder() == null
                        ? List.of(entry.file()).iterator()
                        : listTree(entry.folder(), hadoop.value().get()).iterator());
        JavaRDD<InputFile> files = jsc.parallelize(roots.files(), 1)
                .union(below)
                .keyBy(InputFile::uri)
                .reduceByKey((a, b) -> a, jsc.defaultParallelism())
                .values();
        Set<String> named = roots.named();
        JavaRDD<Input> listed = files.filter(f -> named.contains(f.uri()) || kind(f.uri()) == Kind.INPUT)
                .map(Input::listed);
        for (String manifest : manifests) {
            listed = listed.union(Manifests.read(spark, manifest)
                    .map(input ->
                            input.withFile(stat(input.file(), hadoop.value().get()))));
        }
        JavaRDD<String> unsupported = files.filter(f -> !named.contains(f.uri()) && kind(f.uri()) == Kind.UNSUPPORTED)
                .map(InputFile::uri);
        return new Listed(files, listed, unsupported);
    }

    /**
     * What a listed file is, by its name: an input by its extension, any case ({@link Kind#INPUT}); else a marker: a
     * name starting with {@code _} ({@code _SUCCESS}, {@code _committed_*}, Parquet's {@code _metadata}), a Hadoop
     * checksum ({@code .part-0.crc}), or anything under a committer's {@code _temporary/} folder; else of a format the
     * job does not read, hidden files ({@code .DS_Store}) included.
     */
    static Kind kind(String uri) {
        String name = uri.substring(uri.lastIndexOf('/') + 1);
        if (ImageDecoder.isImagePath(name)
                || ImageDecoder.isUnsupportedImagePath(name)
                || VideoReader.isVideoPath(name)) {
            return Kind.INPUT;
        }
        boolean marker =
                name.startsWith("_") || name.toLowerCase(Locale.ROOT).endsWith(".crc") || uri.contains("/_temporary/");
        return marker ? Kind.MARKER : Kind.UNSUPPORTED;
    }

    /**
     * The top level of the inputs: the files named directly or lying at the top of an input folder, and the folders
     * below the tops, which are listed recursively.
     *
     * @param named the URIs of the files named directly: inputs whatever their names, as a manifest's rows are
     */
    record TopLevel(List<InputFile> files, List<String> folders, Set<String> named) {}

    /**
     * What the driver looks at of the inputs: whether each exists, and is a file (named directly) or a folder, whose
     * top an executor lists. A folder of a million files holds no file on the driver.
     */
    record Roots(List<InputFile> files, List<String> folders, Set<String> named) {}

    /** A file or a folder at the top of an input folder. */
    record Entry(InputFile file, String folder) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The files at the top of an input folder, and the folders under it: what an executor lists of the folder. */
        static List<Entry> topOf(String folder, Configuration conf) throws IOException {
            TopLevel top = topLevel(List.of(folder), conf);
            List<Entry> entries =
                    new ArrayList<>(top.files().size() + top.folders().size());
            top.files().forEach(f -> entries.add(new Entry(f, null)));
            top.folders().forEach(f -> entries.add(new Entry(null, f)));
            return entries;
        }
    }

    /**
     * Looks at each input.
     *
     * @throws FileNotFoundException naming the input that does not exist
     */
    static Roots roots(List<String> inputs, Configuration conf) throws IOException {
        List<InputFile> files = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (String input : inputs) {
            Path root = new Path(input);
            FileSystem fs = root.getFileSystem(conf);
            FileStatus status = Storage.statusOrNull(fs, root);
            if (status == null) {
                throw new FileNotFoundException("--input " + input + " does not exist");
            }
            if (status.isFile()) {
                files.add(inputFile(status));
                named.add(inputFile(status).uri());
            } else {
                folders.add(fs.makeQualified(status.getPath()).toString());
            }
        }
        return new Roots(files, folders, Set.copyOf(named));
    }

    /**
     * Lists the top level of each input: what a task does with each input folder.
     *
     * @throws FileNotFoundException naming the input that does not exist
     */
    static TopLevel topLevel(List<String> inputs, Configuration conf) throws IOException {
        Roots roots = roots(inputs, conf);
        List<InputFile> files = new ArrayList<>(roots.files());
        List<String> folders = new ArrayList<>();
        for (String folder : roots.folders()) {
            listTop(folder, conf, files, folders);
        }
        return new TopLevel(files, folders, roots.named());
    }

    /** Lists the files at the top of a folder but markers, and the folders under it. */
    private static void listTop(String folder, Configuration conf, List<InputFile> files, List<String> folders)
            throws IOException {
        Path root = new Path(folder);
        FileSystem fs = root.getFileSystem(conf);
        if (fs.getScheme().equals("file")) {
            listLocal(fs.makeQualified(root), 1, files, folders);
            return;
        }
        RemoteIterator<FileStatus> children = fs.listStatusIterator(root);
        while (children.hasNext()) {
            FileStatus child = children.next();
            if (child.isDirectory()) {
                folders.add(child.getPath().toString());
            } else if (kind(child.getPath().toString()) != Kind.MARKER) {
                files.add(inputFile(child));
            }
        }
    }

    /** Lists the files under a folder, recursively, but markers: what an executor does with each folder. */
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
            if (file.isFile() && kind(file.getPath().toString()) != Kind.MARKER) {
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
                if (attributes.isRegularFile() && kind(uri(file)) != Kind.MARKER) {
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
