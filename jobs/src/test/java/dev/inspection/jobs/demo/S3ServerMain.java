package dev.inspection.jobs.demo;

import dev.inspection.jobs.EmbeddedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The test S3 server as a process of its own: {@code S3ServerMain BUCKET FOLDER} serves a bucket holding FOLDER's
 * files (keys relative to it), prints {@code endpoint=URL} when it is ready, and stops when its standard input closes.
 */
public final class S3ServerMain {

    private S3ServerMain() {}

    public static void main(String[] args) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start()) {
            s3.createBucket(args[0]);
            Path folder = Path.of(args[1]);
            List<Path> files;
            try (var walk = Files.walk(folder)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                s3.put(args[0], folder.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
            System.out.println("endpoint=" + s3.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the test closes our input, or dies
            }
        }
    }
}
