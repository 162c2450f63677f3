package io.tagbridge.buffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The deadband's settings: the rules, the first that matches a tag applying, and the heartbeat (zero: none).
 * No rule: every value is stored.
 */
record DeadbandSettings(List<DeadbandRule> rules, Duration heartbeat) {

    static final DeadbandSettings OFF = new DeadbandSettings(List.of(), Duration.ZERO);

    DeadbandSettings {
        rules = List.copyOf(rules);
    }

    /**
     * @param problems each rule that cannot be read is added, naming it
     */
    static DeadbandSettings of(String[] rules, long heartbeatSeconds, List<String> problems) {
        List<DeadbandRule> read = new ArrayList<>();
        for (String rule : rules == null ? new String[0] : rules) {
            if (rule == null || rule.isBlank()) {
                continue;
            }
            try {
                read.add(DeadbandRule.parse(rule));
            } catch (IllegalArgumentException e) {
                problems.add("deadband " + e.getMessage());
            }
        }
        if (heartbeatSeconds < 0) {
            problems.add("deadbandHeartbeatSeconds is " + heartbeatSeconds + " but must be 0 or more");
        }
        return new DeadbandSettings(read, Duration.ofSeconds(Math.max(0, heartbeatSeconds)));
    }
}
