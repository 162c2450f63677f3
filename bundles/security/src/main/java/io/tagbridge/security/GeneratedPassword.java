package io.tagbridge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.durable.DurableFiles;

/**
 * The password a gateway makes up for itself while none is configured, as Jenkins does: random, kept only as a
 * hash, with the clear text written once to a file only the gateway's user can read.
 *
 * <p>The login must never change behind the operator's back. The clear file is written before the hash, both
 * durably, so a power cut leaves either nothing (a first start again) or the clear file, from which a lost or
 * damaged hash is made again: the password in the file stays the one that logs in. A damaged hash without the
 * clear file cannot be made again, and a new password is not made over it either: nobody logs in until the
 * operator sets a password or deletes the hash (see {@link UnreadablePasswordHashException}).
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

    /** The hash of the generated password: made on the first start, kept from then on. */
    PasswordHash hash(String username) throws IOException, UnreadablePasswordHashException {
        String clear = readClear();
        PasswordHash stored;
        try {
            stored = PasswordHash.parse(Files.readString(hashFile, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            stored = null;
        } catch (IOException | IllegalArgumentException e) {
            if (clear == null) {
                throw new UnreadablePasswordHashException(hashFile, clearFile, e);
            }
            LOG.warn("The generated password's hash {} is damaged ({}): made it again from {}, whose password still "
                    + "logs in", hashFile, e.getMessage(), clearFile);
            return keep(PasswordHash.of(clear));
        }
        if (stored != null) {
            return stored;
        }
        if (clear != null) {
            LOG.warn("The generated password's hash {} was missing: made it again from {}, whose password still "
                    + "logs in", hashFile, clearFile);
            return keep(PasswordHash.of(clear));
        }
        String password = randomPassword();
        DurableFiles.replaceOwnerOnly(clearFile, (password + "\n").getBytes(StandardCharsets.US_ASCII));
        PasswordHash hash = keep(PasswordHash.of(password));
        LOG.warn("No password is configured: generated one for user '{}', readable only by this user in {}. Log "
                + "in with it and set your own in Tagbridge Security (web console, or password= in "
                + "etc/io.tagbridge.security.cfg)", username, clearFile);
        return hash;
    }

    /** A configured password replaces the generated one: nothing of it stays behind, not even after a power cut. */
    void forget() throws IOException {
        if (DurableFiles.delete(clearFile) | DurableFiles.delete(hashFile)) {
            LOG.info("A password is configured: deleted the generated one ({})", clearFile);
        }
    }

    private PasswordHash keep(PasswordHash hash) throws IOException {
        DurableFiles.replaceOwnerOnly(hashFile, (hash + "\n").getBytes(StandardCharsets.US_ASCII));
        return hash;
    }

    /** The generated password as its file holds it, or null when the file is gone or not what this class wrote. */
    private String readClear() {
        try {
            String clear = Files.readString(clearFile, StandardCharsets.US_ASCII).trim();
            return clear.length() == LENGTH && clear.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0) ? clear : null;
        } catch (IOException e) {
            return null;
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
