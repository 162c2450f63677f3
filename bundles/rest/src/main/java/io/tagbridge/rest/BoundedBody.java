package io.tagbridge.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request body read as it streams in, ending with {@link TooLarge} at the first byte over the limit. */
final class BoundedBody extends FilterInputStream {

    /** The body went past the limit: answer 413. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("the request body is larger than " + limit + " bytes; send fewer values per request");
        }
    }

    private final long limit;
    private long read;

    BoundedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    /** Whether the body went past the limit, also when the parser reported it as broken JSON. */
    boolean exceeded() {
        return read > limit;
    }

    private void count(int n) throws TooLarge {
        read += n;
        if (read > limit) {
            throw new TooLarge(limit);
        }
    }
}
