/**
 * The seam between Tagbridge's delivery engine and the places that store values. The engine (bundle
 * io.tagbridge.writer) takes batches from the buffer, retries, keeps or backs up what fails, replays backup files
 * and reports to health and metrics; a {@link io.tagbridge.api.sink.TagSink} only stores a batch and says what a
 * failure means. A new kind of target (a Kafka topic, an MQTT broker, a historian) is a bundle that registers a
 * TagSink service; the JDBC sink (Oracle, H2) is one.
 */
@Export
@Version("1.1.0")
package io.tagbridge.api.sink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
