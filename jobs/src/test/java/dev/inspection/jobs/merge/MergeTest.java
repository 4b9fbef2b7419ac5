package dev.inspection.jobs.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inspection.detect.Detection;
import dev.inspection.jobs.inspect.InspectionRows;
import dev.inspection.jobs.work.Failure;
import dev.inspection.jobs.work.Origin;
import dev.inspection.tile.TileMerge;
import dev.inspection.tile.Tiling;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** A tiled photo's rows put together into one, without Spark. */
class MergeTest {

    private static final Origin ROOF = Origin.image("s3a://roofs/flight-7/DJI_0042.JPG");
    private static final Tiling TILING = new Tiling(640, 0.2, true, TileMerge.Strategy.NMM, 64);

    private static Row region(Detection d) {
        return InspectionRows.region(
                ROOF,
                "roof-damage",
                "2.1.0",
                "ab12",
                d.classId() == 0 ? "hail_hit" : "lifted_shingle",
                d,
                1152,
                640,
                null);
    }

    private static Row part(Detection... found) {
        return InspectionRows.inspection(
                ROOF,
                false,
                true,
                1152,
                640,
                java.util.Arrays.stream(found).map(MergeTest::region).toList(),
                List.of());
    }

    @Test
    void aShingleAcrossATileBorderIsOneRegionAndItsNeighbourStaysItsOwn() {
        Row left = part(new Detection(1, 0.62f, 600, 100, 640, 140), new Detection(0, 0.5f, 20, 20, 40, 40));
        Row right = part(new Detection(1, 0.81f, 600, 101, 660, 141));
        Row whole = part();

        Row photo = Merge.photo(List.of(right, whole, left), TILING);

        assertThat(photo.<Boolean>getAs("tiled")).isFalse();
        List<Row> regions = photo.getList(photo.fieldIndex("regions"));
        assertThat(regions)
                .extracting(
                        r -> r.getAs("concept_name"),
                        r -> r.getAs("score"),
                        r -> r.getAs("x_min"),
                        r -> r.getAs("x_max"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("lifted_shingle", (double) 0.81f, 600.0, 660.0),
                        org.assertj.core.groups.Tuple.tuple("hail_hit", (double) 0.5f, 20.0, 40.0));
        assertThat(regions.get(0).<Double>getAs("right_col")).isEqualTo(660.0 / 1152);
        assertThat(regions.get(0).<String>getAs("region_id"))
                .as("the id of the merged box")
                .isEqualTo(region(new Detection(1, 0.81f, 600, 100, 660, 141)).getAs("region_id"));
        Row reordered = Merge.photo(List.of(left, whole, right), TILING);
        assertThat(reordered.getList(reordered.fieldIndex("regions")))
                .as("in any order of the parts")
                .isEqualTo(regions);
    }

    @Test
    void aPhotoWithAFailedPartIsItsFirstErrorAlone() {
        Row failed = InspectionRows.error(ROOF, new Failure("inference", "OrtException", "out of memory"), true);
        Row photo = Merge.photo(List.of(part(new Detection(1, 0.9f, 1, 1, 9, 9)), failed, failed), TILING);
        assertThat(photo.<String>getAs("error_class")).isEqualTo("OrtException");
        assertThat(photo.<Boolean>getAs("tiled")).isFalse();
    }
}
