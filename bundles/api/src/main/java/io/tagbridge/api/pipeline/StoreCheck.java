package io.tagbridge.api.pipeline;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The outcome of {@link TagStore#check}: the steps taken, in order; the last one failed if any did.
 *
 * @param steps the steps taken
 */
@ProviderType
public record StoreCheck(List<Step> steps) {

    public StoreCheck {
        steps = List.copyOf(steps);
    }

    /**
     * One step of a check.
     *
     * @param name   what was checked, e.g. {@code connect}
     * @param passed whether it passed
     * @param millis how long it took
     * @param detail what was found; for a failure, what is wrong and which setting to check
     */
    @ProviderType
    public record Step(String name, boolean passed, long millis, String detail) {
    }

    /** True when every step passed. */
    public boolean passed() {
        return !steps.isEmpty() && steps.stream().allMatch(Step::passed);
    }

    /** The step that failed, if one did: the check stops there. */
    public Optional<Step> failure() {
        return steps.stream().filter(step -> !step.passed()).findFirst();
    }
}
