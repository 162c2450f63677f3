package io.tagbridge.backup;

/** The backup folder is at its maximum size, or its disk at the minimum free space. */
final class FolderFullException extends Exception {

    private static final long serialVersionUID = 1L;

    FolderFullException(String message) {
        super(message);
    }
}
