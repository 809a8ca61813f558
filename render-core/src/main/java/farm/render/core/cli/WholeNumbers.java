package farm.render.core.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Options that take a count: {@code converter = WholeNumbers.Positive.class} refuses 0 and below as it parses. */
public final class WholeNumbers {
    private WholeNumbers() {
    }

    /** 1 or more: samples, sizes, rounds. */
    public static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** 0 or more: a frame number, bounces, minutes. */
    public static final class NotNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0);
        }
    }

    static int atLeast(String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < min) {
            throw new TypeConversionException("must be at least " + min + ", got " + n);
        }
        return n;
    }
}
