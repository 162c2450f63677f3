package io.tagbridge.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * OPC DA style quality: an 8-bit code whose two highest bits give the category.
 * 192 (0xC0) is good, 64 (0x40) is uncertain, 0 is bad; the lower bits carry the sub-status and limit
 * bits a driver reports, and they are stored as they come.
 */
@ProviderType
public record Quality(int code) {

    public static final Quality GOOD = new Quality(0xC0);
    public static final Quality UNCERTAIN = new Quality(0x40);
    public static final Quality BAD = new Quality(0x00);

    /** The three categories an operator filters by. */
    public enum Category { GOOD, UNCERTAIN, BAD }

    public Quality {
        if (code < 0 || code > 0xFF) {
            throw new IllegalArgumentException("quality: code " + code + " is outside 0..255 (OPC DA quality byte)");
        }
    }

    /** The shared instance for the three plain codes, a new one otherwise. */
    public static Quality of(int code) {
        return switch (code) {
            case 0xC0 -> GOOD;
            case 0x40 -> UNCERTAIN;
            case 0x00 -> BAD;
            default -> new Quality(code);
        };
    }

    /** The code for a category name (GOOD, UNCERTAIN, BAD), case-insensitive. */
    public static Quality of(String category) {
        try {
            return switch (Category.valueOf(category.trim().toUpperCase(java.util.Locale.ROOT))) {
                case GOOD -> GOOD;
                case UNCERTAIN -> UNCERTAIN;
                case BAD -> BAD;
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "quality: '" + category + "' is neither GOOD, UNCERTAIN, BAD nor a code 0..255");
        }
    }

    /** Bits 7-6: 11 good, 01 uncertain, anything else bad (10 is undefined in OPC DA and treated as bad). */
    public Category category() {
        return switch (code >> 6) {
            case 0b11 -> Category.GOOD;
            case 0b01 -> Category.UNCERTAIN;
            default -> Category.BAD;
        };
    }
}
