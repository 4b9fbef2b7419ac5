package dev.inspection.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FirstOfEachTest {

    private static final FirstOfEach.Order<Integer> HIGHEST_FIRST = (a, b) -> Integer.compare(b, a);

    @Test
    void tasksThatEachKeepAFewValuesGiveTheFirstOfAllTheirCountAndTheirSum() {
        Random random = new Random(7);
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            values.add(random.nextInt(10_000));
        }
        // As Spark combines them: four tasks, each adding its share of the values, merged pairwise.
        List<FirstOfEach<Integer>> tasks = new ArrayList<>();
        for (int task = 0; task < 4; task++) {
            FirstOfEach<Integer> ranked = new FirstOfEach<>(5, HIGHEST_FIRST);
            for (int v : values.subList(task * 250, (task + 1) * 250)) {
                ranked.add(v, v % 3);
            }
            tasks.add(ranked);
        }
        FirstOfEach<Integer> all =
                tasks.get(0).merge(tasks.get(1)).merge(tasks.get(2).merge(tasks.get(3)));

        assertThat(all.first())
                .containsExactlyElementsOf(values.stream()
                        .sorted(Comparator.reverseOrder())
                        .limit(5)
                        .toList());
        assertThat(all.count()).isEqualTo(1000);
        assertThat(all.sum()).isEqualTo(values.stream().mapToLong(v -> v % 3).sum());
    }

    @Test
    void aKeyWithFewerValuesThanItKeepsHasThemAllInOrder() {
        FirstOfEach<Integer> ranked = new FirstOfEach<>(12, HIGHEST_FIRST);
        List.of(3, 9, 1, 9).forEach(v -> ranked.add(v, 1));
        assertThat(ranked.first()).containsExactly(9, 9, 3, 1);
        assertThat(ranked.count()).isEqualTo(4);
    }
}
