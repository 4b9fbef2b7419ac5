package dev.inspection.jobs.report;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;

/**
 * A key's first few values in an order, how many values it has and the sum of their weights: what the report's
 * sections show of a table whatever its size. Ranked in tasks, each keeping at most {@code n} values a key, and merged
 * on the driver: for few keys (concepts, error classes), without a shuffle.
 *
 * <p>A SQL window ranks too, but sorts every row of a key in one task, and its query (an exchange, a sort, the window
 * and the sort of its result) is planned and its code generated and compiled the first time a JVM runs it: on a night
 * of 10,000 boards that was most of the report's seconds after the run (docs/benchmarks.md).
 */
final class FirstOfEach<V> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A comparator Spark can send to its tasks. */
    interface Order<V> extends Comparator<V>, Serializable {}

    /** A value's key, in a form Spark can send to its tasks. */
    interface Key<V, K> extends Serializable {
        K of(V value);
    }

    /** The weight of a value that a key's {@link #sum()} adds. */
    interface Weight<V> extends Serializable {
        long of(V value);
    }

    private final int n;
    private final Order<V> order;
    private final ArrayList<V> first = new ArrayList<>();
    private long count;
    private long sum;

    /** A key's values before its first: what a task starts from. */
    FirstOfEach(int n, Order<V> order) {
        this.n = n;
        this.order = order;
    }

    /** How many values the key has. */
    long count() {
        return count;
    }

    /** The sum of its values' weights. */
    long sum() {
        return sum;
    }

    /** Its first values in the order, at most n. */
    List<V> first() {
        return Collections.unmodifiableList(first);
    }

    /**
     * Starts a Spark job that ranks the first {@code n} values of each key in {@code order}, with their count and the sum
     * of their weights: each task returns its ranking of each key it saw, and {@link Job#get} merges them.
     */
    static <K, V> Job<K, V> of(JavaRDD<V> values, Key<V, K> key, Weight<V> weight, Order<V> order, int n) {
        return new Job<>(values.mapPartitions(task -> {
                    Map<K, FirstOfEach<V>> ranked = new HashMap<>();
                    task.forEachRemaining(v -> ranked.computeIfAbsent(key.of(v), k -> new FirstOfEach<>(n, order))
                            .add(v, weight.of(v)));
                    return List.of(ranked).iterator();
                })
                .collectAsync());
    }

    /** A ranking under way: the tasks' rankings by key, as they are collected. */
    record Job<K, V>(JavaFutureAction<List<Map<K, FirstOfEach<V>>>> tasks) {

        /** Each key's ranking, once every task's is in. */
        Map<K, FirstOfEach<V>> get() throws IOException {
            try {
                Map<K, FirstOfEach<V>> merged = new HashMap<>();
                tasks.get()
                        .forEach(task -> task.forEach((key, ranked) -> merged.merge(key, ranked, FirstOfEach::merge)));
                return merged;
            } catch (InterruptedException e) {
                tasks.cancel(true);
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the report's rows were ranked");
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException(e.getCause());
            }
        }
    }

    /** Counts a value of the key, and keeps it if it is among its first. */
    FirstOfEach<V> add(V value, long weight) {
        count++;
        sum += weight;
        keep(value);
        return this;
    }

    /** Adds what another task found of the key. */
    FirstOfEach<V> merge(FirstOfEach<V> other) {
        count += other.count;
        sum += other.sum;
        other.first.forEach(this::keep);
        return this;
    }

    private void keep(V value) {
        int at = Collections.binarySearch(first, value, order);
        int index = at < 0 ? -at - 1 : at + 1; // after its equals: the first kept wins a tie
        if (index < n) {
            first.add(index, value);
            if (first.size() > n) {
                first.remove(n);
            }
        }
    }
}
