package dev.inspection.jobs.work;

import dev.inspection.video.VideoReader;
import java.io.Serializable;

/**
 * What the listing found, decided once: a still image, a video file still to be planned into segments, or an input
 * known to be bad already (a manifest row without a uri, say). {@link Cases} is the exhaustive switch over the kinds.
 */
public sealed interface Input extends Serializable {

    InputFile file();

    Origin origin();

    <R> R match(Cases<R> cases);

    /** One method per kind of input: a new kind does not compile until every stage handles it. */
    interface Cases<R> {
        R image(Image image);

        R video(Video video);

        R rejected(Rejected rejected);
    }

    /** A listed file, by its name: a video, or else a still image. */
    static Input listed(InputFile file) {
        return VideoReader.isVideoPath(file.uri())
                ? new Video(file, Origin.video(file.uri()))
                : new Image(file, Origin.image(file.uri()));
    }

    /** The same input with its file as a later look found it (its size and modification time). */
    default Input withFile(InputFile seen) {
        return match(new Cases<Input>() {
            @Override
            public Input image(Image image) {
                return new Image(seen, image.origin());
            }

            @Override
            public Input video(Video video) {
                return new Video(seen, video.origin());
            }

            @Override
            public Input rejected(Rejected rejected) {
                return rejected;
            }
        });
    }

    record Image(InputFile file, Origin origin) implements Input {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.image(this);
        }
    }

    record Video(InputFile file, Origin origin) implements Input {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.video(this);
        }
    }

    record Rejected(InputFile file, Origin origin, Failure failure) implements Input {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.rejected(this);
        }
    }
}
