package dev.inspection.jobs;

import dev.inspection.image.ImageDecoder;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import dev.inspection.video.VideoReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Reading inputs and models from any Hadoop filesystem. */
final class Storage {

  private Storage() {}

  static byte[] readAll(String uri, Configuration conf) throws IOException {
    Path path = new Path(uri);
    FileSystem fs = path.getFileSystem(conf);
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  /** Whether the listing picks up the file: an image or a video, by its name. */
  static boolean isInput(String name) {
    return ImageDecoder.isImagePath(name) || VideoReader.isVideoPath(name);
  }

  /**
   * What the driver lists of the inputs: the files named directly or lying at the top of an input folder, and the
   * folders below the tops, which executors list (a bucket of millions of objects is never listed by one JVM).
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
      FileStatus status = statusOrNull(fs, root);
      if (status == null) {
        throw new FileNotFoundException("--input " + input + " does not exist");
      }
      if (status.isFile()) {
        files.add(inputFile(status));
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
      listLocal(fs.makeQualified(root), found);
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
   * Local folders are walked with NIO: Hadoop's local listing forks a {@code stat} process per file for permissions
   * (2 s for 600 files here), while an object store's {@code listFiles} is one flat listing of the prefix.
   */
  private static void listLocal(Path root, List<InputFile> found) throws IOException {
    java.nio.file.Path dir = java.nio.file.Path.of(root.toUri());
    try (var files = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files::iterator) {
        var attributes = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        if (attributes.isRegularFile() && isInput(file.getFileName().toString())) {
          String uri = new Path(file.toUri()).toString();
          found.add(new InputFile(uri, attributes.size(), attributes.lastModifiedTime().toMillis()));
        }
      }
    }
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

  private static FileStatus statusOrNull(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  private static InputFile inputFile(FileStatus file) {
    return new InputFile(file.getPath().toString(), file.getLen(), file.getModificationTime());
  }

  /**
   * Reads a model: an ONNX file, or a package folder holding {@code model.json} and the ONNX file it names (or the
   * folder's only ONNX file).
   */
  static ModelPackage readModel(String uri, Configuration conf) throws IOException, UsageException {
    Path path = new Path(uri);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus status = statusOrNull(fs, path);
    if (status == null) {
      throw new UsageException("model " + uri + " does not exist");
    }
    if (status.isFile()) {
      return withAnomalibMetadata(ModelPackage.of(path.toString(), readAll(path.toString(), conf), null), fs, path);
    }
    Path descriptorPath = new Path(path, ModelDescriptor.FILE_NAME);
    ModelDescriptor descriptor = ModelDescriptor.NONE;
    if (fs.exists(descriptorPath)) {
      try {
        descriptor = ModelDescriptor.parse(new String(readAll(descriptorPath.toString(), conf), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new UsageException("model package " + uri + ": " + e.getMessage(), e);
      }
    }
    Path onnx;
    if (descriptor.model() != null) {
      onnx = new Path(path, descriptor.model());
    } else {
      List<FileStatus> candidates = new ArrayList<>();
      for (FileStatus f : fs.listStatus(path)) {
        if (f.isFile() && f.getPath().getName().endsWith(".onnx")) {
          candidates.add(f);
        }
      }
      if (candidates.size() != 1) {
        throw new UsageException(
            "model package " + uri + " must hold exactly one .onnx file or name it in " + ModelDescriptor.FILE_NAME
                + " (\"model\"), found " + candidates.size());
      }
      candidates.sort(Comparator.comparing(FileStatus::getPath));
      onnx = candidates.get(0).getPath();
    }
    if (!fs.exists(onnx)) {
      throw new UsageException("model package " + uri + " names " + onnx.getName() + ", which does not exist");
    }
    return withAnomalibMetadata(ModelPackage.of(onnx.toString(), readAll(onnx.toString(), conf), descriptor), fs, onnx);
  }

  /** anomalib 1.x exports keep their normalization in {@code metadata.json} beside the ONNX file. */
  private static ModelPackage withAnomalibMetadata(ModelPackage pkg, FileSystem fs, Path onnx) throws IOException {
    Path metadata = new Path(onnx.getParent(), ModelPackage.ANOMALIB_METADATA);
    if (!fs.exists(metadata)) {
      return pkg;
    }
    return pkg.withMetadataJson(new String(readAll(metadata.toString(), fs.getConf()), StandardCharsets.UTF_8));
  }
}
