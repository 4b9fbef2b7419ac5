package dev.inspection.jobs.inspect;

import dev.inspection.jobs.config.UsageException;
import dev.inspection.jobs.io.Storage;
import dev.inspection.model.ModelDescriptor;
import dev.inspection.model.ModelPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Model packages as the run finds them on any Hadoop filesystem: the ONNX file and the descriptors beside it. */
public final class ModelPackages {

    private ModelPackages() {}

    /**
     * Reads a model: an ONNX file, or a package folder holding {@code model.json} and the ONNX file it names (or the
     * folder's only ONNX file).
     */
    public static ModelPackage read(String uri, Configuration conf) throws IOException, UsageException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus status = Storage.statusOrNull(fs, path);
        if (status == null) {
            throw new UsageException("model " + uri + " does not exist");
        }
        if (status.isFile()) {
            return withAnomalibMetadata(
                    ModelPackage.of(path.toString(), Storage.readAll(path.toString(), conf), null), fs, path);
        }
        Path descriptorPath = new Path(path, ModelDescriptor.FILE_NAME);
        ModelDescriptor descriptor = ModelDescriptor.NONE;
        if (fs.exists(descriptorPath)) {
            try {
                descriptor = ModelDescriptor.parse(
                        new String(Storage.readAll(descriptorPath.toString(), conf), StandardCharsets.UTF_8));
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
                throw new UsageException("model package " + uri + " must hold exactly one .onnx file or name it in "
                        + ModelDescriptor.FILE_NAME + " (\"model\"), found " + candidates.size());
            }
            candidates.sort(Comparator.comparing(FileStatus::getPath));
            onnx = candidates.get(0).getPath();
        }
        if (!fs.exists(onnx)) {
            throw new UsageException("model package " + uri + " names " + onnx.getName() + ", which does not exist");
        }
        return withAnomalibMetadata(
                ModelPackage.of(onnx.toString(), Storage.readAll(onnx.toString(), conf), descriptor), fs, onnx);
    }

    /** anomalib 1.x exports keep their normalization in {@code metadata.json} beside the ONNX file. */
    private static ModelPackage withAnomalibMetadata(ModelPackage pkg, FileSystem fs, Path onnx) throws IOException {
        Path metadata = new Path(onnx.getParent(), ModelPackage.ANOMALIB_METADATA);
        if (!fs.exists(metadata)) {
            return pkg;
        }
        return pkg.withMetadataJson(
                new String(Storage.readAll(metadata.toString(), fs.getConf()), StandardCharsets.UTF_8));
    }
}
