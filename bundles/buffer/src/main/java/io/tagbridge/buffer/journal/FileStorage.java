package io.tagbridge.buffer.journal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.durable.DurableFiles;

/**
 * Segments as memory-mapped files in one directory, named {@code segment-<base sequence>.tbj}.
 *
 * <p>A segment is created zero-filled to its full size before it is used, so that writing into its mapping can
 * never meet a full disk: the disk space is taken when the segment is made, where a failure is an ordinary
 * {@link IOException}. The next segment is prepared in the background while the current one fills. Creating and
 * deleting a segment syncs the directory, so that a power cut cannot lose the file itself.
 *
 * <p>A segment that cannot be read (damaged header, a format this version does not know) is moved aside into
 * {@code unreadable/}, never deleted. A segment found damaged inside is copied into {@code damaged/} before it is
 * repaired.
 */
public final class FileStorage implements Storage {

    public static final String PREFIX = "segment-";
    public static final String SUFFIX = ".tbj";
    static final String SPARE = "next" + SUFFIX + ".tmp";
    public static final String UNREADABLE = "unreadable";
    public static final String DAMAGED = "damaged";

    private static final Logger LOG = LoggerFactory.getLogger(FileStorage.class);
    private static final int ZEROS = 1 << 20;

    private final Path directory;
    private volatile int segmentBytes;
    private volatile long maxBytes;
    private volatile long minFreeBytes;
    private final ExecutorService preparer;
    private final Set<Path> copiedAside = new HashSet<>();
    private Future<Path> spare;

    /**
     * @param segmentBytes the size of each segment file
     * @param maxBytes     the most the segments may take together
     * @param minFreeBytes the free disk space the journal leaves alone
     */
    public FileStorage(Path directory, int segmentBytes, long maxBytes, long minFreeBytes) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        this.minFreeBytes = minFreeBytes;
        this.preparer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tagbridge-journal-prepare");
            t.setDaemon(true);
            return t;
        });
    }

    public Path directory() {
        return directory;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public List<Segment> open(JournalEvents events) throws IOException {
        DurableFiles.createDirectories(directory);
        Files.deleteIfExists(directory.resolve(SPARE));
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            found.forEach(files::add);
        }
        files.sort(null);
        List<Segment> segments = new ArrayList<>();
        long held = 0;
        for (Path file : files) {
            Segment segment = openSegment(file, events);
            if (segment != null) {
                segments.add(segment);
                held += segment.capacity();
            }
        }
        if (!segments.isEmpty() && held + segmentBytes <= maxBytes) {
            synchronized (this) {
                spare = preparer.submit(this::prepare);
            }
        }
        return segments;
    }

    private Segment openSegment(Path file, JournalEvents events) throws IOException {
        MappedByteBuffer buffer;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
        SegmentFormat.Header header = SegmentFormat.readHeader(buffer);
        if (!header.usable() && allZero(buffer)) {
            unmap(buffer);
            DurableFiles.delete(file);
            LOG.warn("Journal segment {} held nothing at all, not even its header: a power cut during a rollover of "
                    + "an earlier version left it. It was deleted", file.getFileName());
            return null;
        }
        if (!header.usable()) {
            unmap(buffer);
            Path aside = moveAside(file, UNREADABLE);
            events.unreadable(file.getFileName().toString(), header.problem() + "; it was moved, untouched, to "
                    + aside);
            return null;
        }
        return new Segment(header.baseSeq(), file, buffer, buffer.capacity(), header.baseSeq());
    }

    private Path moveAside(Path file, String folder) throws IOException {
        Path dir = directory.resolve(folder);
        DurableFiles.createDirectories(dir);
        Path target = dir.resolve(file.getFileName());
        if (Files.exists(target)) {
            target = dir.resolve(file.getFileName() + "." + System.currentTimeMillis());
        }
        DurableFiles.move(file, target);
        return target;
    }

    @Override
    public synchronized Segment create(long baseSeq, long heldBytes) throws IOException {
        if (limitReached(heldBytes) != null) {
            return null;
        }
        Path prepared = takeSpare();
        Path file = directory.resolve(name(baseSeq));
        MappedByteBuffer buffer;
        try (FileChannel channel = FileChannel.open(prepared, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, segmentBytes);
        }
        // The header is on disk before the file takes a segment's name: a power cut right after the rename leaves
        // an empty segment, not a nameless zero-filled one that the next start would have to set aside.
        SegmentFormat.writeHeader(buffer, baseSeq, System.currentTimeMillis());
        try {
            buffer.force(0, SegmentFormat.HEADER);
            DurableFiles.move(prepared, file);
        } catch (IOException | RuntimeException e) {
            unmap(buffer);
            throw e;
        }
        if (heldBytes + 2L * segmentBytes <= maxBytes) {
            spare = preparer.submit(this::prepare);
        }
        return new Segment(baseSeq, file, buffer, SegmentFormat.HEADER, baseSeq);
    }

    private static boolean allZero(ByteBuffer buffer) {
        for (int i = 0; i < buffer.capacity(); i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    static String name(long baseSeq) {
        return String.format("%s%020d%s", PREFIX, baseSeq, SUFFIX);
    }

    private Path takeSpare() throws IOException {
        Future<Path> ready = spare;
        spare = null;
        if (ready != null) {
            try {
                return ready.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warn("Preparing the next journal segment failed ({}); trying again now", e.getCause().toString());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IOException("preparing the next journal segment took more than 60 s; the disk is too slow "
                        + "or hangs", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the next journal segment", e);
            }
        }
        return prepare();
    }

    /** A zero-filled file of a segment's size, synced, under a temporary name. */
    private Path prepare() throws IOException {
        Path file = directory.resolve(SPARE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocate(Math.min(ZEROS, segmentBytes));
            long written = 0;
            while (written < segmentBytes) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), segmentBytes - written));
                written += channel.write(zeros, written);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    @Override
    public void limits(long newMaxBytes, long newMinFreeBytes, int newSegmentBytes) {
        maxBytes = newMaxBytes;
        minFreeBytes = newMinFreeBytes;
        segmentBytes = newSegmentBytes;
    }

    @Override
    public String limitReached(long heldBytes) {
        if (heldBytes + segmentBytes > maxBytes) {
            return "the journal holds " + megabytes(heldBytes) + " and may hold at most " + megabytes(maxBytes)
                    + " (io.tagbridge.buffer journalMaxMegabytes)";
        }
        try {
            long usable = Files.getFileStore(directory).getUsableSpace();
            boolean spareReady = spare != null && spare.isDone();
            long needed = spareReady ? 0 : segmentBytes;
            if (usable - needed < minFreeBytes) {
                return "the disk of " + directory + " has " + megabytes(usable) + " free and the journal leaves "
                        + megabytes(minFreeBytes) + " alone (io.tagbridge.buffer journalMinFreeDiskMegabytes)";
            }
        } catch (IOException e) {
            return "the free space of " + directory + " cannot be read: " + e.getMessage();
        }
        return null;
    }

    private static String megabytes(long bytes) {
        return (bytes >> 20) + " MB";
    }

    @Override
    public synchronized void delete(Segment segment) throws IOException {
        unmap(segment.buffer);
        DurableFiles.delete(segment.file);
    }

    @Override
    public void force(Segment segment, int upTo) {
        segment.force(upTo);
    }

    @Override
    public void forceAll(Segment segment) {
        segment.forceAll();
    }

    @Override
    public void markSynced(Segment segment, long syncedAtMicros, int end) {
        segment.markSynced(syncedAtMicros, end);
    }

    @Override
    public synchronized void keepDamagedCopy(Segment segment) {
        if (!copiedAside.add(segment.file)) {
            return;
        }
        try {
            Path dir = directory.resolve(DAMAGED);
            Files.createDirectories(dir);
            Path copy = dir.resolve(segment.file.getFileName() + "." + System.currentTimeMillis());
            Files.copy(segment.file, copy);
            LOG.warn("A copy of the damaged journal segment {} is kept as {}", segment.file.getFileName(), copy);
        } catch (IOException e) {
            LOG.warn("Could not keep a copy of the damaged journal segment {}: {}", segment.file, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        preparer.shutdownNow();
        try {
            // A preparation cut short deletes its file: the next storage opened on this folder (a restart of the
            // buffer) may by then have prepared its own file of that name, and must not lose it.
            if (!preparer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Preparing the next journal segment did not stop within 30 s; the disk is too slow or hangs");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Unmaps a buffer mapped for reading at once, as {@link #unmap} does; nothing may use it afterwards. */
    static void unmapNow(ByteBuffer buffer) {
        unmap(buffer);
    }

    /**
     * A deleted segment's disk space is freed only once its mapping is gone. The JDK unmaps when the buffer is
     * garbage collected, which a small heap may not do for a long time, so this unmaps at once through the JDK's
     * own cleaner where it can be reached, and otherwise leaves it to the collector.
     */
    private static void unmap(ByteBuffer buffer) {
        if (UNMAPPER != null && buffer.isDirect()) {
            try {
                UNMAPPER.invoke(UNSAFE, buffer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Could not unmap a journal segment at once: {}", e.toString());
            }
        }
    }

    private static final Object UNSAFE;
    private static final Method UNMAPPER;

    static {
        Object unsafe = null;
        Method unmapper = null;
        try {
            Class<?> type = ClassLoader.getPlatformClassLoader().loadClass("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            unmapper = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Journal segments are unmapped by the garbage collector: {}", e.toString());
        }
        UNSAFE = unsafe;
        UNMAPPER = unmapper;
    }
}
