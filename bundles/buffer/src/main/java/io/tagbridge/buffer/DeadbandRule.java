package io.tagbridge.buffer;

/**
 * A deadband for the tags a glob names: a numeric value passes when it moved more than {@code band} from the last
 * stored one, or, with {@code percent}, more than that percent of it (after a 0, any change passes).
 */
record DeadbandRule(String glob, double band, boolean percent) {

    /**
     * Reads {@code <glob>=<amount>} or {@code <glob>=<percent>%}, such as {@code line1.*.temp=0.5} or
     * {@code *.pressure=2%}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static DeadbandRule parse(String text) {
        String rule = text.trim();
        int equals = rule.lastIndexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("'" + rule + "' is not <tag pattern>=<amount> or <tag pattern>="
                    + "<percent>%, such as line1.*.temp=0.5 or *.pressure=2%");
        }
        String glob = rule.substring(0, equals).trim();
        String amount = rule.substring(equals + 1).trim();
        boolean percent = amount.endsWith("%");
        double band;
        try {
            band = Double.parseDouble(percent ? amount.substring(0, amount.length() - 1).trim() : amount);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + rule + "': '" + amount + "' is not a number (or a percent "
                    + "such as 2%)");
        }
        if (!(band > 0) || Double.isInfinite(band)) {
            throw new IllegalArgumentException("'" + rule + "': the deadband must be more than 0");
        }
        return new DeadbandRule(glob, band, percent);
    }

    boolean movedEnough(double last, double now) {
        double change = Math.abs(now - last);
        if (percent) {
            return last == 0 ? now != last : change > Math.abs(last) * band / 100;
        }
        return change > band;
    }

    @Override
    public String toString() {
        return glob + "=" + (percent ? band + "%" : Double.toString(band));
    }
}
