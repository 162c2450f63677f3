/**
 * How the JDBC sink (bundle io.tagbridge.sink-jdbc) speaks to one kind of database. It knows Oracle and H2 itself;
 * a bundle of its own registers a {@link io.tagbridge.api.sink.jdbc.SqlDialect} for another (PostgreSQL:
 * io.tagbridge.sink-postgresql).
 *
 * <p>The table has the columns TAG_NAME (text, at most 256 characters), SOURCE_TIME (timestamp to the
 * microsecond, UTC), NUM_VALUE (exact number), STR_VALUE (text, at most 4000 characters), BOOL_VALUE (0 or 1),
 * QUALITY (0 to 255), RECEIVED_TIME (timestamp, UTC) and GATEWAY_ID (text, at most 128 characters), all but the
 * three values NOT NULL, and the primary key (TAG_NAME, SOURCE_TIME). Statements bind them in that order.
 */
@Export
@Version("1.0.0")
package io.tagbridge.api.sink.jdbc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
