package io.tagbridge.commands;

import java.util.List;

/**
 * What {@code load} was asked to do.
 *
 * @param rate            values per second to offer; 0 means as fast as the pipeline accepts ({@code --rate max})
 * @param durationSeconds how long to offer values
 * @param tags            how many distinct tags the values are spread over
 * @param json            print the report as one JSON object instead of text
 * @param target          the one target to measure and verify; null: every target
 */
record LoadOptions(int rate, int durationSeconds, int tags, boolean json, String target) {

    static final String USAGE = "load --rate <values per second>|max --duration <seconds> [--tags <count>] "
            + "[--target <writer name>] [--json]";

    static LoadOptions parse(List<String> args) throws UsageException {
        Integer rate = null;
        Integer duration = null;
        int tags = 100;
        boolean json = false;
        String target = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--rate" -> {
                    String value = value(args, ++i, arg);
                    rate = "max".equalsIgnoreCase(value) ? 0 : number(value, arg, 1, 10_000_000);
                }
                case "--duration" -> duration = number(value(args, ++i, arg), arg, 1, 86_400);
                case "--tags" -> tags = number(value(args, ++i, arg), arg, 1, 1_000_000);
                case "--json" -> json = true;
                case "--target" -> target = value(args, ++i, arg);
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (rate == null || duration == null) {
            throw new UsageException((rate == null ? "--rate" : "--duration") + " is required");
        }
        return new LoadOptions(rate, duration, tags, json, target);
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int number(String text, String option, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(text.replace("_", ""));
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageException(option + " must be a whole number from " + min + " to " + max + ", not '" + text
                + "'" + ("--rate".equals(option) ? ", or max" : ""));
    }

    String rateText() {
        return rate == 0 ? "max" : rate + "/s";
    }
}
