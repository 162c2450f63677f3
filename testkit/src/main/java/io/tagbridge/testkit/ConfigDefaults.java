package io.tagbridge.testkit;

import java.lang.annotation.Annotation;

/**
 * The defaults of a component's configuration, read from its annotation as Declarative Services reads them, so that
 * a test that starts "from the defaults" starts from the real ones and fails when they change, not from a copy.
 */
public final class ConfigDefaults {

    private ConfigDefaults() {
    }

    /**
     * The default of one element of a configuration annotation.
     *
     * @throws IllegalArgumentException when the annotation has no such element, or the element no default
     */
    @SuppressWarnings("unchecked")
    public static <T> T of(Class<? extends Annotation> config, String element) {
        try {
            Object value = config.getMethod(element).getDefaultValue();
            if (value == null) {
                throw new IllegalArgumentException(config.getSimpleName() + "." + element + " has no default");
            }
            return (T) value;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(config.getSimpleName() + " has no element " + element, e);
        }
    }
}
