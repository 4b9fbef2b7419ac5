package dev.inspection.jobs.plan;

import dev.inspection.jobs.work.WorkUnit;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Which task inspects what: each unit that needs a task of its own (a video segment: many frames from one open
 * decoder) gets one; the others (still images, failed inputs) are spread over enough tasks to keep every core busy,
 * each a few batches long, by their cost, so every such task gets about the same number of pictures.
 *
 * <p>Computed from one pass over the units' partitions ({@link Tally}): the units are then numbered in place, with no
 * job per kind and no list of units on the driver.
 */
public final class TaskAssignment implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What one partition of the planned units holds. */
    public record Tally(long ownTaskUnits, long sharedUnits, long sharedCost) implements Serializable {
        static Tally of(Iterator<WorkUnit> units) {
            long own = 0;
            long shared = 0;
            long cost = 0;
            while (units.hasNext()) {
                WorkUnit unit = units.next();
                if (unit.ownTask()) {
                    own++;
                } else {
                    shared++;
                    cost += unit.cost();
                }
            }
            return new Tally(own, shared, cost);
        }
    }

    /** Shared tasks per core at most: enough for the cores to end the stage together when pictures differ in cost. */
    public static final int TASKS_PER_CORE = 8;

    private final long[] ownBefore;
    private final long[] costBefore;
    private final long ownTaskUnits;
    private final long sharedUnits;
    private final long sharedCost;
    private final int sharedTasks;

    TaskAssignment(List<Tally> partitions, int parallelism, int batchSize) {
        ownBefore = new long[partitions.size()];
        costBefore = new long[partitions.size()];
        long own = 0;
        long shared = 0;
        long cost = 0;
        for (int i = 0; i < partitions.size(); i++) {
            ownBefore[i] = own;
            costBefore[i] = cost;
            own += partitions.get(i).ownTaskUnits();
            shared += partitions.get(i).sharedUnits();
            cost += partitions.get(i).sharedCost();
        }
        ownTaskUnits = own;
        sharedUnits = shared;
        sharedCost = cost;
        sharedTasks = shared == 0 && own > 0 ? 0 : sharedTasks(cost, parallelism, batchSize);
    }

    /** Tallies the units (one Spark job) and assigns them. */
    public static TaskAssignment of(JavaRDD<WorkUnit> units, int parallelism, int batchSize) {
        List<Tally> tallies =
                units.mapPartitions(it -> List.of(Tally.of(it)).iterator()).collect();
        return new TaskAssignment(tallies, parallelism, batchSize);
    }

    /** Moves each unit to its task. */
    public JavaRDD<WorkUnit> arrange(JavaRDD<WorkUnit> units) {
        return units.mapPartitionsWithIndex((partition, it) -> assign(partition, it), true)
                .mapToPair(t -> t)
                .partitionBy(new TaskPartitioner(tasks()))
                .values();
    }

    /** The units of one partition, in order, each with its task number. */
    Iterator<Tuple2<Integer, WorkUnit>> assign(int partition, Iterator<WorkUnit> units) {
        List<Tuple2<Integer, WorkUnit>> assigned = new ArrayList<>();
        long own = ownBefore[partition];
        long cost = costBefore[partition];
        while (units.hasNext()) {
            WorkUnit unit = units.next();
            if (unit.ownTask()) {
                assigned.add(new Tuple2<>((int) own++, unit));
            } else {
                assigned.add(new Tuple2<>(sharedTask(cost), unit));
                cost += unit.cost();
            }
        }
        return assigned.iterator();
    }

    /** The shared task of a unit whose predecessors cost this much: the costs cut into equal runs. */
    private int sharedTask(long costBefore) {
        long task = sharedCost == 0 ? 0 : costBefore * sharedTasks / sharedCost;
        return (int) (ownTaskUnits + Math.min(task, sharedTasks - 1));
    }

    public int tasks() {
        return (int) ownTaskUnits + sharedTasks;
    }

    /** Work units in all. */
    public long units() {
        return ownTaskUnits + sharedUnits;
    }

    /**
     * Enough tasks to keep every core busy to the end of the stage, at most {@link #TASKS_PER_CORE} a core, each at
     * least a few batches long, never more than the pictures. A task costs tens of milliseconds of its own whatever
     * it inspects (its plan deserialized, the code of Spark's row encoder generated anew for the inspection schema): in
     * tasks of four batches of the demo boards that was a tenth of the run.
     */
    static int sharedTasks(long cost, int parallelism, int batchSize) {
        if (cost == 0) {
            return 1;
        }
        long byWork = (long) Math.ceil(cost / (double) (4 * batchSize));
        long tasks = Math.max(parallelism, Math.min(byWork, (long) TASKS_PER_CORE * parallelism));
        return (int) Math.max(1, Math.min(cost, tasks));
    }

    /** Partition i holds the units assigned to task i. */
    private static final class TaskPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;

        private final int tasks;

        TaskPartitioner(int tasks) {
            this.tasks = tasks;
        }

        @Override
        public int numPartitions() {
            return tasks;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TaskPartitioner p && p.tasks == tasks;
        }

        @Override
        public int hashCode() {
            return tasks;
        }
    }
}
