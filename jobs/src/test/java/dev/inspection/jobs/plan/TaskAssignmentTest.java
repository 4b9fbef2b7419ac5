package dev.inspection.jobs.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.InputFile;
import dev.inspection.jobs.work.Origin;
import dev.inspection.jobs.work.WorkUnit;
import dev.inspection.jobs.work.WorkUnit.FailedInput;
import dev.inspection.jobs.work.WorkUnit.StillImage;
import dev.inspection.jobs.work.WorkUnit.VideoSegmentWork;
import dev.inspection.video.VideoSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

@Tag("video")
class TaskAssignmentTest {

    private static StillImage image(int i) {
        String uri = "s3a://plant/boards/" + i + ".jpg";
        return new StillImage(new InputFile(uri, 100, 1), Origin.image(uri));
    }

    private static VideoSegmentWork segment(int i, long frames) {
        String uri = "s3a://roofs/flight.mp4";
        VideoSegment s = new VideoSegment(
                i,
                3,
                i * 1000L,
                (i + 1) * 1000L,
                i * 30L,
                Long.MIN_VALUE,
                true,
                false,
                VideoSegment.LookBack.NONE,
                Long.MAX_VALUE);
        return new VideoSegmentWork(new InputFile(uri, 1000, 1), Origin.video(uri), s, frames);
    }

    private static FailedInput failed(int i) {
        return new FailedInput(Origin.image("bad-" + i + ".jpg"), new Failure("read", "EOFException", "cut"));
    }

    /** Each partition's units with the task each is assigned to, as Spark would run it. */
    private static Map<Integer, List<WorkUnit>> assign(List<List<WorkUnit>> partitions, int parallelism, int batch) {
        TaskAssignment assignment = new TaskAssignment(
                partitions.stream()
                        .map(p -> TaskAssignment.Tally.of(p.iterator()))
                        .toList(),
                parallelism,
                batch);
        Map<Integer, List<WorkUnit>> tasks = new TreeMap<>();
        for (int p = 0; p < partitions.size(); p++) {
            var assigned = assignment.assign(p, partitions.get(p).iterator());
            while (assigned.hasNext()) {
                Tuple2<Integer, WorkUnit> t = assigned.next();
                assertThat(t._1()).as("task of %s", t._2()).isBetween(0, assignment.tasks() - 1);
                tasks.computeIfAbsent(t._1(), k -> new ArrayList<>()).add(t._2());
            }
        }
        return tasks;
    }

    @Test
    void eachVideoSegmentHasATaskOfItsOwnAndImagesShareTheRestEvenly() {
        List<WorkUnit> first = new ArrayList<>(List.of(segment(0, 60), image(0)));
        List<WorkUnit> second = new ArrayList<>(List.of(segment(1, 60), segment(2, 60)));
        for (int i = 1; i < 20; i++) {
            (i % 2 == 0 ? first : second).add(image(i));
        }
        Map<Integer, List<WorkUnit>> tasks = assign(List.of(first, second), 2, 4);

        assertThat(tasks)
                .as("3 segment tasks and 2 image tasks, one per core: 20 images are 2 tasks of a few batches")
                .hasSize(5);
        assertThat(tasks.values())
                .as("a segment is alone in its task")
                .filteredOn(units -> units.stream().anyMatch(WorkUnit::ownTask))
                .hasSize(3)
                .allSatisfy(units -> assertThat(units).hasSize(1));
        assertThat(tasks.values())
                .as("the images, 10 per task")
                .filteredOn(units -> units.stream().noneMatch(WorkUnit::ownTask))
                .extracting(List::size)
                .containsExactly(10, 10);
    }

    @Test
    void failedInputsCostNothingAndDoNotSkewTheImages() {
        List<WorkUnit> units = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            units.add(failed(i));
        }
        for (int i = 0; i < 16; i++) {
            units.add(image(i));
        }
        Map<Integer, List<WorkUnit>> tasks = assign(List.of(units), 2, 4);
        assertThat(tasks.values())
                .as("16 images over 2 tasks, one per core; the failures with the first")
                .extracting(list ->
                        list.stream().filter(u -> u instanceof StillImage).count())
                .containsExactly(8L, 8L);
        assertThat(tasks.get(0)).filteredOn(u -> u instanceof FailedInput).hasSize(8);
    }

    @Test
    void aRunWithNothingToDoIsOneEmptyTask() {
        TaskAssignment none = new TaskAssignment(
                List.of(TaskAssignment.Tally.of(List.<WorkUnit>of().iterator())), 2, 4);
        assertThat(none.tasks()).isEqualTo(1);
        assertThat(none.units()).isZero();
        assertThat(assign(List.of(List.of(segment(0, 9), segment(1, 9))), 2, 4))
                .as("segments only")
                .hasSize(2);
    }

    @Test
    void sharedTasksKeepEveryCoreBusyAndNeverOutnumberThePictures() {
        assertThat(TaskAssignment.sharedTasks(0, 8, 8)).isEqualTo(1);
        assertThat(TaskAssignment.sharedTasks(3, 8, 8)).isEqualTo(3);
        assertThat(TaskAssignment.sharedTasks(100, 8, 8)).isEqualTo(8);
        assertThat(TaskAssignment.sharedTasks(1_000, 8, 8))
                .as("four batches each")
                .isEqualTo(32);
        assertThat(TaskAssignment.sharedTasks(10_000, 8, 8)).as("eight a core").isEqualTo(64);
        assertThat(TaskAssignment.sharedTasks(10_000, 2, 8)).isEqualTo(16);
    }

    @Test
    void aSegmentCostsTheFramesItsSamplingTakes() {
        var info = new dev.inspection.video.VideoInfo("h264", 640, 480, 600_000, 18_000);
        assertThat(Planner.sampledFrames(info, 5, dev.inspection.video.Sampling.sampleMs(1000)))
                .isEqualTo(120);
        assertThat(Planner.sampledFrames(info, 1, dev.inspection.video.Sampling.everyNFrames(30)))
                .isEqualTo(601);
        assertThat(Planner.sampledFrames(info, 1, dev.inspection.video.Sampling.keyframesOnly()))
                .isEqualTo(301);
    }
}
