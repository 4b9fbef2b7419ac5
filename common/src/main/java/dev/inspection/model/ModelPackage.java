package dev.inspection.model;

import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model as it travels from the driver to the executors: the ONNX bytes (read once, broadcast), their SHA-256 (the
 * key under which each executor JVM loads the model once), the descriptor found beside them, and anomalib 1.x's
 * {@code metadata.json} where one lies beside the ONNX file (null otherwise).
 */
public record ModelPackage(String uri, byte[] onnx, String sha256, ModelDescriptor descriptor, String metadataJson)
        implements Serializable {

    public static final String ANOMALIB_METADATA = "metadata.json";

    public static ModelPackage of(String uri, byte[] onnx, ModelDescriptor descriptor) {
        return new ModelPackage(uri, onnx, sha256(onnx), descriptor == null ? ModelDescriptor.NONE : descriptor, null);
    }

    public ModelPackage withMetadataJson(String json) {
        return new ModelPackage(uri, onnx, sha256, descriptor, json);
    }

    /** The name from the descriptor, else the ONNX file's name without its extension. */
    public String defaultName() {
        if (descriptor.name() != null) {
            return descriptor.name();
        }
        String file = uri.substring(uri.lastIndexOf('/') + 1);
        return file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ModelPackage[" + uri + ", sha256=" + sha256 + ", " + onnx.length + " bytes]";
    }
}
