package dev.inspection.jobs.output;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a row of a schema by field name: a name the schema does not have, or a field left unset, fails at once with
 * both named, so a row cannot drift from its table's columns the way positional {@code RowFactory.create} calls can.
 */
public final class RowBuilder {

    private final StructType schema;
    private final Object[] values;
    private final boolean[] set;

    private RowBuilder(StructType schema) {
        this.schema = schema;
        this.values = new Object[schema.size()];
        this.set = new boolean[schema.size()];
    }

    public static RowBuilder of(StructType schema) {
        return new RowBuilder(schema);
    }

    /** A builder that starts from a row of the schema, every field set to the row's value. */
    public static RowBuilder from(Row row) {
        RowBuilder builder = new RowBuilder(row.schema());
        for (int i = 0; i < row.size(); i++) {
            builder.values[i] = row.get(i);
            builder.set[i] = true;
        }
        return builder;
    }

    /** Sets a field; null is a value (SQL NULL) like any other. */
    public RowBuilder set(String field, Object value) {
        int i;
        try {
            i = schema.fieldIndex(field);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "no column '" + field + "' in " + Arrays.toString(schema.fieldNames()), e);
        }
        values[i] = value;
        set[i] = true;
        return this;
    }

    /** The row, with its schema, once every field is set. */
    public Row build() {
        for (int i = 0; i < set.length; i++) {
            if (!set[i]) {
                throw new IllegalStateException("column '" + schema.fields()[i].name() + "' was not set, in "
                        + Arrays.toString(schema.fieldNames()));
            }
        }
        return new GenericRowWithSchema(values.clone(), schema);
    }
}
