package dev.inspection.jobs.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskResourcesTest {

    @Test
    void everyResourceIsClosedLastOpenedFirstAndAFailureToCloseStopsNoOther() {
        List<String> closed = new ArrayList<>();
        TaskResources resources = new TaskResources();
        resources.add(() -> closed.add("detector"));
        resources.add(() -> {
            closed.add("anomaly model");
            throw new IllegalStateException("native memory already freed");
        });
        resources.add(() -> closed.add("video"));

        resources.close();

        assertThat(closed).containsExactly("video", "anomaly model", "detector");
        resources.close();
        assertThat(closed).as("closed once").hasSize(3);
    }
}
