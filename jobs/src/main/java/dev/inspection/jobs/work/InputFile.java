package dev.inspection.jobs.work;

import java.io.Serializable;

/**
 * One input file, named by its full URI from listing to reading (never rebuilt from a folder and a name, so names with
 * colons, spaces, {@code #} or {@code %} stay as they are), with its size and modification time as listed.
 *
 * @param size in bytes, -1 where not known (a manifest row whose file cannot be read)
 * @param modificationTime in ms since the epoch, -1 where not known
 */
public record InputFile(String uri, long size, long modificationTime) implements Serializable {

    /** A file named by a manifest, before it is looked at. */
    public static InputFile unknown(String uri) {
        return new InputFile(uri, -1, -1);
    }

    /** Whether the listing saw the file: only such files go into the processed-inputs ledger. */
    public boolean seen() {
        return size >= 0;
    }
}
