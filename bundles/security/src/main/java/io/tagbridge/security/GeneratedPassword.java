package io.tagbridge.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password a gateway makes up for itself while none is configured, as Jenkins does: random, kept only as a
 * hash, with the clear text written once to a file only the gateway's user can read.
 */
final class GeneratedPassword {

    static final String CLEAR_FILE = "initial-admin-password";
    static final String HASH_FILE = "security/admin-password.hash";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int LENGTH = 20;
    private static final Logger LOG = LoggerFactory.getLogger(GeneratedPassword.class);

    private final Path clearFile;
    private final Path hashFile;

    GeneratedPassword(Path dataDirectory) {
        this.clearFile = dataDirectory.resolve(CLEAR_FILE);
        this.hashFile = dataDirectory.resolve(HASH_FILE);
    }

    /** The hash of the generated password, made on the first call and kept from then on. */
    PasswordHash hash(String username) throws IOException {
        if (Files.exists(hashFile)) {
            return PasswordHash.parse(Files.readString(hashFile));
        }
        String password = randomPassword();
        PasswordHash hash = PasswordHash.of(password);
        OwnerOnlyFiles.write(clearFile, password + "\n");
        OwnerOnlyFiles.write(hashFile, hash + "\n");
        LOG.warn("No password is configured: generated one for user '{}', readable only by this user in {}. Log "
                + "in with it and set your own in Tagbridge Security (web console, or password= in "
                + "etc/io.tagbridge.security.cfg)", username, clearFile);
        return hash;
    }

    /** A configured password replaces the generated one: nothing of it stays behind. */
    void forget() throws IOException {
        if (Files.deleteIfExists(clearFile) | Files.deleteIfExists(hashFile)) {
            LOG.info("A password is configured: deleted the generated one ({})", clearFile);
        }
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
