package dev.inspection.jobs.config;

import dev.inspection.tile.TileMerge;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The checks of the options' values, one converter a kind of value. Each converter's message says what it expected;
 * {@link InspectArgs#parse} names the option.
 */
final class Converters {

    private Converters() {}

    static final class Model implements ITypeConverter<InspectArgs.ModelRef> {
        @Override
        public InspectArgs.ModelRef convert(String value) {
            return InspectArgs.ModelRef.parse(value);
        }
    }

    static final class Day implements ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return value.equals("today") ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw expected("YYYY-MM-DD", value);
            }
        }
    }

    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) positive(value, Integer.MAX_VALUE);
        }
    }

    static final class PositiveLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return positive(value, Long.MAX_VALUE);
        }
    }

    /** A share in [0, 1]. */
    static final class Share implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value);
            if (v >= 0 && v <= 1) {
                return v;
            }
            throw expected("a number in [0, 1]", value);
        }
    }

    static final class WholeNumber implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return value.equals("0") ? 0 : (int) positive(value, Integer.MAX_VALUE, "a whole number >= 0");
        }
    }

    /** A share in [0, 1). */
    static final class Overlap implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value);
            if (v >= 0 && v < 1) {
                return v;
            }
            throw expected("a number in [0, 1)", value);
        }
    }

    static final class MergeStrategy implements ITypeConverter<TileMerge.Strategy> {
        @Override
        public TileMerge.Strategy convert(String value) {
            try {
                return TileMerge.Strategy.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw expected("nmm or nms", value);
            }
        }
    }

    static final class Grouping implements ITypeConverter<ReportSettings.Grouping> {
        @Override
        public ReportSettings.Grouping convert(String value) {
            try {
                return ReportSettings.Grouping.parse(value);
            } catch (IllegalArgumentException e) {
                throw expected("folder:N (N >= 1), a manifest column or none", value);
            }
        }
    }

    static final class ExportFormat implements ITypeConverter<ExportArgs.Format> {
        @Override
        public ExportArgs.Format convert(String value) {
            try {
                return ExportArgs.Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw expected("coco, labelstudio, yolo or mot", value);
            }
        }
    }

    /** A share in (0, 1].*/
    static final class PositiveShare implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value);
            if (v > 0 && v <= 1) {
                return v;
            }
            throw expected("a number in (0, 1]", value);
        }
    }

    static final class Setting implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.indexOf('=') <= 0) {
                throw expected("KEY=VALUE", value);
            }
            return value;
        }
    }

    private static long positive(String value, long max) {
        return positive(value, max, "a positive whole number");
    }

    private static long positive(String value, long max, String what) {
        try {
            long v = Long.parseLong(value);
            if (v > 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw expected(what, value);
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static TypeConversionException expected(String what, String value) {
        return new TypeConversionException("must be " + what + ", got '" + value + "'");
    }
}
