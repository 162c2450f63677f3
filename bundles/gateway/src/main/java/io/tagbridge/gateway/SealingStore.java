package io.tagbridge.gateway;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;

import org.apache.felix.cm.PersistenceManager;

import io.tagbridge.api.security.SecretBox;

/**
 * ConfigAdmin's file store, which writes every secret sealed: a password typed into an etc file or the console
 * reaches the disk only encrypted, even before the security bundle has sealed it in ConfigAdmin too.
 */
final class SealingStore implements PersistenceManager {

    private final PersistenceManager files;
    private volatile SecretBox box;

    SealingStore(PersistenceManager files) {
        this.files = files;
    }

    void box(SecretBox box) {
        this.box = box;
    }

    @Override
    public boolean exists(String pid) {
        return files.exists(pid);
    }

    @Override
    @SuppressWarnings("rawtypes") // ConfigAdmin's interface predates generics
    public Dictionary load(String pid) throws IOException {
        return files.load(pid);
    }

    @Override
    public Enumeration<?> getDictionaries() throws IOException {
        return files.getDictionaries();
    }

    @Override
    @SuppressWarnings({ "rawtypes", "unchecked" }) // ConfigAdmin's interface predates generics
    public void store(String pid, Dictionary properties) throws IOException {
        files.store(pid, sealed(properties));
    }

    @Override
    public void delete(String pid) throws IOException {
        files.delete(pid);
    }

    private Dictionary<Object, Object> sealed(Dictionary<Object, Object> properties) {
        SecretBox current = box;
        if (current == null) {
            return properties;
        }
        Dictionary<Object, Object> copy = new Hashtable<>();
        for (Object key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            copy.put(key, key instanceof String name && SecretBox.isSecretName(name) && value instanceof String text && !text.isEmpty()
                    ? current.seal(text) : value);
        }
        return copy;
    }
}
