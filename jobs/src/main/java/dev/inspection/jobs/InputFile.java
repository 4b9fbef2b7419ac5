package dev.inspection.jobs;

import java.io.Serializable;

/** One listed input, as the listing saw it. */
record InputFile(String uri, long size, long modificationTime) implements Serializable {}
