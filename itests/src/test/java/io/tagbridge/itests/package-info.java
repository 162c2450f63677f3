/** Integration tests: the real bundles in Felix, configured through ConfigAdmin. */
package io.tagbridge.itests;
