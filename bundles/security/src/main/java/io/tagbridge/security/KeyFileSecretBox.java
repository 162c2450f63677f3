package io.tagbridge.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.security.SecretBox;
import io.tagbridge.durable.DurableFiles;

/**
 * Seals secrets with AES-256-GCM under a key kept in the data directory, readable by the gateway's user only.
 * It keeps secrets out of sight (console, REST, logs, etc files, copies of the configuration); it does not
 * protect them from someone who can read the data directory as that user. {@link SecretKeyComponent} decides
 * whether it may be made, and offers it.
 */
final class KeyFileSecretBox implements SecretBox {

    static final String KEY_FILE = "security/secret.key";
    private static final int KEY_BYTES = 32;
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Logger LOG = LoggerFactory.getLogger(KeyFileSecretBox.class);

    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;
    private final Path keyFile;

    /** With the key in the file, or a new one when there is no file; a file that holds no key fails. */
    KeyFileSecretBox(Path keyFile) throws IOException, GeneralSecurityException {
        this.keyFile = keyFile;
        this.key = Files.exists(keyFile) ? read(keyFile) : create(keyFile);
    }

    /** @throws IOException also when the file holds no AES-256 key: a cut-off or overwritten key is none */
    static SecretKey read(Path file) throws IOException {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " holds no key (" + e.getMessage() + ")", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IOException(file + " holds no key: " + key.length + " bytes instead of " + KEY_BYTES);
        }
        return new SecretKeySpec(key, "AES");
    }

    /** A new key, on disk for good before anything is sealed with it: a key lost later would take every secret. */
    private static SecretKey create(Path file) throws IOException, GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(KEY_BYTES * 8);
        SecretKey created = generator.generateKey();
        DurableFiles.replaceOwnerOnly(file, (Base64.getEncoder().encodeToString(created.getEncoded()) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        LOG.info("Created the key that encrypts configuration secrets: {}. Back it up with the data directory; "
                + "without it, secrets must be entered again", file);
        return created;
    }

    @Override
    public String seal(String clear) {
        if (clear == null || SecretBox.isSealed(clear)) {
            return clear;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed);
            return PREFIX + Base64.getEncoder().encodeToString(out.array()) + ")";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JVM", e);
        }
    }

    @Override
    public String open(String value) {
        if (!SecretBox.isSealed(value)) {
            return value;
        }
        try {
            byte[] sealed = Base64.getDecoder().decode(value.substring(PREFIX.length(), value.length() - 1));
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a secret was encrypted with another key than " + keyFile
                    + " (or is damaged): enter it again in clear text, it is encrypted when read");
        }
    }
}
