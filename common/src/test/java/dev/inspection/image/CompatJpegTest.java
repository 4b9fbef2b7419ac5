package dev.inspection.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compat photos (Ultralytics' bus.jpg with its Display P3 profile, COCO8's images; ../shared/compat, skipped where
 * absent) through libjpeg-turbo: the same bytes as the JDK reader's libjpeg decode, which gave cv2.imread's bytes on
 * them (maximum difference 0 from OpenCV 4.6, checked with references written by cv2.imread; libjpeg-turbo's were
 * checked against the same references).
 */
class CompatJpegTest {

    static final Path COMPAT = Path.of("..", "..", "shared", "compat");

    @Test
    void compatPhotosDecodeThroughTheJdkReaderAsThroughLeptonicasLibjpegTurbo() throws Exception {
        assumeTrue(Files.isDirectory(COMPAT.resolve("images")), "../shared/compat is absent");
        List<Path> photos;
        try (Stream<Path> images = Files.list(COMPAT.resolve("images"));
                Stream<Path> coco = Files.isDirectory(COMPAT.resolve("coco8-train/images"))
                        ? Files.list(COMPAT.resolve("coco8-train/images"))
                        : Stream.empty()) {
            photos = Stream.concat(images, coco)
                    .filter(p -> p.toString().endsWith(".jpg"))
                    .sorted()
                    .toList();
        }
        assertThat(photos).as("compat JPEGs").isNotEmpty();
        ImageDecoder decoder = new ImageDecoder(100_000_000);
        for (Path photo : photos) {
            byte[] jpeg = Files.readAllBytes(photo);
            JpegSamples.Header header = JpegSamples.read(jpeg);
            ImageDecoder.Decoded decoded = decoder.decodeTraced(jpeg);
            assertThat(decoded.decoder()).as("decoder of %s", photo).isEqualTo(ImageDecoder.Decoder.JDK_LIBJPEG);
            RgbImage stored = LibjpegTurbo.decode(jpeg, header.width(), header.height(), 0);
            assertThat(stored.rgb())
                    .as("libjpeg-turbo and the JDK reader on %s", photo)
                    .isEqualTo(JpegSamples.readWithLibjpeg(jpeg, header));
        }
    }
}
