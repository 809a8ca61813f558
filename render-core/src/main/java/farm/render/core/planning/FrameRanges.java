package farm.render.core.planning;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Frame lists as artists write them: {@code "1-100"}, {@code "1-100x5"} (every fifth frame),
 * {@code "3,7,9-12"}, {@code "42"}. Parsing yields the distinct frames in ascending order; a list
 * longer than the cap is refused before it is expanded.
 */
public final class FrameRanges {
    /** The most frames one list may name. */
    public static final int MAX_FRAMES = 10_000;
    /** The highest frame number accepted. */
    public static final int MAX_FRAME = 1_000_000;

    private FrameRanges() {
    }

    /** A list that cannot be parsed; the message says which part and why. */
    public static final class InvalidFrameRange extends IllegalArgumentException {
        public InvalidFrameRange(String message) {
            super(message);
        }
    }

    public static List<Integer> parse(String spec) {
        return parse(spec, MAX_FRAMES);
    }

    /** @param maxFrames the most frames the list may hold */
    public static List<Integer> parse(String spec, int maxFrames) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidFrameRange("frames must name at least one frame, e.g. \"1-100\", \"1-100x5\" or \"3,7,9-12\"");
        }
        TreeSet<Integer> frames = new TreeSet<>();
        for (String raw : spec.split(",", -1)) {
            String part = raw.strip();
            if (part.isEmpty()) {
                throw new InvalidFrameRange("frames \"" + spec.strip() + "\" has an empty part between commas");
            }
            int step = 1;
            String range = part;
            int x = part.indexOf('x');
            if (x >= 0) {
                step = number(part.substring(x + 1), part, "step");
                if (step < 1) {
                    throw new InvalidFrameRange("frames part \"" + part + "\": the step must be 1 or more");
                }
                range = part.substring(0, x);
            }
            int dash = range.indexOf('-', 1);
            int first = number(dash < 0 ? range : range.substring(0, dash), part, "frame");
            int last = dash < 0 ? first : number(range.substring(dash + 1), part, "frame");
            if (dash < 0 && x >= 0) {
                throw new InvalidFrameRange("frames part \"" + part + "\": a step needs a range, e.g. \"1-100x5\"");
            }
            if (first < 0 || last < 0 || first > MAX_FRAME || last > MAX_FRAME) {
                throw new InvalidFrameRange("frames part \"" + part + "\": frame numbers must be between 0 and " + MAX_FRAME);
            }
            if (last < first) {
                throw new InvalidFrameRange("frames part \"" + part + "\": the range ends before it starts");
            }
            long count = ((long) last - first) / step + 1;
            if (count > maxFrames || frames.size() + count > (long) maxFrames * 2) {
                throw tooMany(spec, maxFrames);
            }
            for (int f = first; f <= last; f += step) {
                frames.add(f);
            }
            if (frames.size() > maxFrames) {
                throw tooMany(spec, maxFrames);
            }
        }
        return List.copyOf(frames);
    }

    /** The contiguous range {@code first..last}, checked against the cap. */
    public static List<Integer> range(int first, int last) {
        return parse(first + "-" + last);
    }

    /** The shortest spec naming exactly these frames: runs of three or more become ranges ("1-5,8,10-12"). */
    public static String format(List<Integer> frames) {
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(frames));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            if (j - i >= 2) {
                out.append(sorted.get(i)).append('-').append(sorted.get(j));
            } else {
                for (int k = i; k <= j; k++) {
                    out.append(sorted.get(k)).append(k < j ? "," : "");
                }
            }
            i = j + 1;
        }
        return out.toString();
    }

    private static InvalidFrameRange tooMany(String spec, int maxFrames) {
        return new InvalidFrameRange("frames \"" + spec.strip() + "\" names more than " + maxFrames + " frames");
    }

    private static int number(String text, String part, String what) {
        String t = text.strip();
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit)) {
            throw new InvalidFrameRange("frames part \"" + part + "\": \"" + t + "\" is not a " + what + " number"
                    + " (write e.g. \"1-100\", \"1-100x5\" or \"3,7,9-12\")");
        }
        if (t.length() > 9) {
            throw new InvalidFrameRange("frames part \"" + part + "\": frame numbers must be between 0 and " + MAX_FRAME);
        }
        return Integer.parseInt(t);
    }
}
