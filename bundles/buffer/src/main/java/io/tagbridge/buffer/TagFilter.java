package io.tagbridge.buffer;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which tag names a target takes: a list of globs, {@code *} for any run of characters and {@code ?} for one.
 * An empty list, or one holding {@code *}, takes everything.
 */
final class TagFilter implements Predicate<String> {

    private final List<String> globs;
    private final Pattern pattern;

    private TagFilter(List<String> globs, Pattern pattern) {
        this.globs = globs;
        this.pattern = pattern;
    }

    static TagFilter of(List<String> globs) {
        List<String> cleaned = globs == null ? List.of()
                : globs.stream().filter(g -> g != null && !g.isBlank()).map(String::trim).toList();
        if (cleaned.isEmpty() || cleaned.contains("*")) {
            return new TagFilter(List.of(), null);
        }
        StringBuilder regex = new StringBuilder();
        for (String glob : cleaned) {
            if (regex.length() > 0) {
                regex.append('|');
            }
            regex.append("(?:");
            for (char c : glob.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            regex.append(')');
        }
        return new TagFilter(cleaned, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    boolean takesAll() {
        return pattern == null;
    }

    List<String> globs() {
        return globs;
    }

    @Override
    public boolean test(String tagName) {
        return pattern == null || pattern.matcher(tagName).matches();
    }

    @Override
    public String toString() {
        return takesAll() ? "*" : String.join(",", globs);
    }
}
