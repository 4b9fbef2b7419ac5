package dev.inspection.jobs.inspect;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one task holds open (predictors, an open video), closed when the task ends however it ends: the task's
 * completion listener is registered before the first resource is opened, so a model that fails to open still has
 * the ones opened before it closed. Closing frees native memory; a failure there is logged and does not fail the task.
 */
final class TaskResources implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskResources.class);

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** Resources closed when the running task completes (outside a task, by {@link #close()} alone). */
    static TaskResources ofRunningTask() {
        TaskResources resources = new TaskResources();
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> resources.close());
        }
        return resources;
    }

    /** Registers a resource just opened; returns it. */
    <T extends AutoCloseable> T add(T resource) {
        synchronized (open) {
            open.push(resource);
        }
        return resource;
    }

    /** Closes every resource, the last opened first. */
    @Override
    public void close() {
        while (true) {
            AutoCloseable next;
            synchronized (open) {
                next = open.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception | LinkageError e) {
                LOG.warn("Could not close {} at the end of a task", next, e);
            }
        }
    }
}
