package dev.inspection.jobs.annotate;

import dev.inspection.image.ImageDecoder;
import dev.inspection.image.InputRejectedException;
import dev.inspection.image.RgbImage;
import dev.inspection.jobs.io.Storage;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.video.Sampling;
import dev.inspection.video.VideoFrame;
import dev.inspection.video.VideoReader;
import dev.inspection.video.VideoSegment;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * The pictures the result tables name, read again from their sources with the pixels the models saw: an image decoded
 * as the run decoded it (EXIF orientation applied), at full resolution, where its regions' pixel boxes lie; a video's
 * frames decoded from its start with the run's sampling, so that each frame number is the frame the run inspected.
 */
public final class SourcePictures {

    /** What is done with each picture read. */
    public interface Visitor {
        /**
         * @param frameNumber the frame's number as the regions table has it: null for a still image
         */
        void visit(Long frameNumber, RgbImage picture) throws IOException;
    }

    private final Configuration conf;
    private final Sampling sampling;
    private final long maxPixels;

    /**
     * @param sampling how the run sampled its videos (the runs table's {@code sampling})
     * @param maxPixels the run's limit on a picture's size
     */
    public SourcePictures(Configuration conf, Sampling sampling, long maxPixels) {
        this.conf = conf;
        this.sampling = sampling;
        this.maxPixels = maxPixels;
    }

    /**
     * Reads the image at {@code uri} (handed over once per distinct number in {@code frames}), or the frames numbered
     * {@code frames} of the video there, in order, each handed to {@code visitor} as it is decoded (one frame in memory
     * at a time). A video is read up to its last frame asked for.
     *
     * @throws InputRejectedException the source cannot be read or decoded any more
     */
    public void read(String uri, Collection<Long> frames, Visitor visitor) throws InputRejectedException, IOException {
        if (!VideoReader.isVideoPath(uri)) {
            byte[] bytes = Storage.readInput(InputFile.unknown(uri), conf);
            RgbImage image = new ImageDecoder(maxPixels).decode(bytes);
            for (Long frameNumber : new LinkedHashSet<>(frames)) { // null for a still image; a manifest frame's number
                visitor.visit(frameNumber, image);
            }
            return;
        }
        Set<Long> wanted = new HashSet<>(frames);
        try (VideoReader video = Storage.openVideo(InputFile.unknown(uri), conf, maxPixels, 1)) {
            VideoReader.SegmentFrames decoded = video.frames(VideoSegment.WHOLE, sampling);
            while (!wanted.isEmpty() && decoded.hasNext()) {
                VideoFrame frame = decoded.next();
                if (wanted.remove(frame.frameNumber())) {
                    visitor.visit(frame.frameNumber(), frame.image());
                }
            }
        }
        if (!wanted.isEmpty()) {
            throw new InputRejectedException(
                    "read",
                    "FrameNotFound",
                    uri + " has no frame " + wanted.stream().sorted().toList() + " any more");
        }
    }
}
