package dev.inspection.jobs;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 endpoint in this JVM: S3Proxy over an in-memory blob store, on a free loopback port. Spark reaches it
 * through S3A exactly as it reaches AWS S3.
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "inspection-access";
    public static final String SECRET_KEY = "inspection-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private EmbeddedS3(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
    }

    public static EmbeddedS3 start() throws Exception {
        Properties properties = new Properties();
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        return new EmbeddedS3(context, proxy);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** The loopback port it listens on. */
    public int port() {
        return proxy.getPort();
    }

    public BlobStore blobs() {
        return context.getBlobStore();
    }

    public void createBucket(String bucket) {
        blobs().createContainerInLocation(null, bucket);
    }

    public void put(String bucket, String key, byte[] bytes) {
        blobs().putBlob(
                        bucket,
                        blobs().blobBuilder(key)
                                .payload(bytes)
                                .contentLength(bytes.length)
                                .build());
    }

    /** Spark in local mode on two cores, reading and writing s3a:// on this server. */
    public org.apache.spark.sql.SparkSession localSpark(String appName) {
        org.apache.spark.sql.SparkSession.Builder builder = org.apache.spark.sql.SparkSession.builder()
                .master("local[2]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2");
        s3aSettings().forEach((k, v) -> builder.config("spark.hadoop." + k, v));
        return builder.getOrCreate();
    }

    /** The Hadoop settings that point S3A at this server. */
    public Map<String, String> s3aSettings() {
        return s3aSettings(endpoint());
    }

    /** The Hadoop settings that point S3A at a server of this kind at the endpoint, in another process perhaps. */
    public static Map<String, String> s3aSettings(String endpoint) {
        return Map.of(
                "fs.s3a.endpoint", endpoint,
                "fs.s3a.endpoint.region", "us-east-1",
                "fs.s3a.path.style.access", "true",
                "fs.s3a.connection.ssl.enabled", "false",
                "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "fs.s3a.access.key", ACCESS_KEY,
                "fs.s3a.secret.key", SECRET_KEY);
    }

    /** Throws no checked exception: a try-with-resources on this server need not handle InterruptedException. */
    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping S3Proxy", e);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            context.close();
        }
    }
}
