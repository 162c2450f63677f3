package io.tagbridge.sink.jdbc;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A table name from configuration, checked to be a plain Oracle identifier so that it can go into SQL
 * text safely (table names cannot be bind variables). Unquoted, as Oracle folds it: upper case.
 *
 * @param schema the schema, or null for the connecting user's own
 * @param table  the table
 */
record TableName(String schema, String table) {

    private static final Pattern PART = Pattern.compile("[A-Za-z][A-Za-z0-9_$#]{0,127}");

    /** What is wrong with the text, or null when it is a valid name. */
    static String problem(String text) {
        if (text == null || text.isBlank()) {
            return "is empty";
        }
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length > 2) {
            return "'" + text + "' has more than one dot; use TABLE or SCHEMA.TABLE";
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return "'" + text + "' is not a valid identifier: use letters, digits, _ $ #, starting with a "
                        + "letter, at most 128 characters";
            }
        }
        return null;
    }

    static TableName parse(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException("tableName " + problem);
        }
        String[] parts = text.trim().toUpperCase(Locale.ROOT).split("\\.");
        return parts.length == 2 ? new TableName(parts[0], parts[1]) : new TableName(null, parts[0]);
    }

    /** The name as it goes into SQL. */
    String sql() {
        return schema == null ? table : schema + "." + table;
    }
}
