package io.tagbridge.buffer;

import java.util.List;

import io.tagbridge.api.IngestResult;
import io.tagbridge.api.RefusalReason;
import io.tagbridge.api.TagValue;

/** Which targets an offer's values go to: whether each value has one, and each target's count of values routed. */
final class Routes {

    private Routes() {
    }

    /** Null when every value has a target; else the refusal, naming the first tag no target takes. */
    static IngestResult unrouted(Target[] current, List<TagValue> values) {
        if (current.length == 0) {
            return IngestResult.refused(values.size(), RefusalReason.NO_TARGET, "no target is configured: create "
                    + "an io.tagbridge.writer configuration so that values have somewhere to go");
        }
        for (Target t : current) {
            if (t.filter().takesAll()) {
                return null;
            }
        }
        for (TagValue v : values) {
            boolean taken = false;
            for (Target t : current) {
                if (t.filter().test(v.tagName())) {
                    taken = true;
                    break;
                }
            }
            if (!taken) {
                return IngestResult.refused(values.size(), RefusalReason.NO_TARGET, "no target takes tag '"
                        + v.tagName() + "': add it to a writer's tagFilter");
            }
        }
        return null;
    }

    static void count(Target[] routing, List<TagValue> values) {
        for (Target t : routing) {
            if (t.filter().takesAll()) {
                t.routed += values.size();
            } else {
                for (TagValue v : values) {
                    if (t.filter().test(v.tagName())) {
                        t.routed++;
                    }
                }
            }
        }
    }
}
