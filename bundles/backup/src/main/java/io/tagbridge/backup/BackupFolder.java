package io.tagbridge.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagbridge.api.pipeline.BackupFile;
import io.tagbridge.api.pipeline.BackupRow;
import io.tagbridge.api.pipeline.BackupState;
import io.tagbridge.api.pipeline.BackupStatus;
import io.tagbridge.api.pipeline.Diagnosis;
import io.tagbridge.api.pipeline.ReceivedValue;
import io.tagbridge.api.pipeline.ReplayChunk;
import io.tagbridge.durable.DurableFiles;

/**
 * The backup directory: a folder per target with its pending files, {@code replayed/<target>/} and
 * {@code quarantine/<target>/}. Files of the first layout, directly in the directory, belong to the target named
 * {@code default} and move into its folder. A file's id is its path under the directory with {@code /} between
 * names.
 *
 * <p>Every folder, move and deletion that a promise of the README's Backup files rests on is made durably: a power
 * cut finds a file in one place, whole, and a file deleted on request stays deleted. Replayed files deleted for
 * their age or to make room are deleted plainly: one that comes back after a cut is deleted again later.
 */
final class BackupFolder {

    static final String REPLAYED = "replayed";
    static final String QUARANTINE = "quarantine";
    static final String ARCHIVE = "archive";
    /** The writer the files of the first layout were written by. */
    static final String FIRST_LAYOUT_TARGET = "default";

    private static final Logger LOG = LoggerFactory.getLogger(BackupFolder.class);

    final BackupSettings settings;
    private final Clock clock;
    private final Map<String, TargetFolder> targets = new ConcurrentHashMap<>();
    private final Map<Path, Long> rowCounts = new ConcurrentHashMap<>();
    /** When each closed file's newest row was received, in microseconds: files do not change once closed. */
    private final Map<Path, Long> newestRows = new ConcurrentHashMap<>();
    private final AtomicLong expiredValues = new AtomicLong();
    private final Map<Path, String> replayErrors = new ConcurrentHashMap<>();
    private final Set<Path> requested = ConcurrentHashMap.newKeySet();
    /** Files a chunk of which a writer holds, between nextReplay and replayed or replayFailed. */
    private final Set<Path> outstanding = ConcurrentHashMap.newKeySet();
    private final FolderLimits limits;

    BackupFolder(BackupSettings settings, Clock clock) throws IOException {
        this.settings = settings;
        this.clock = clock;
        DurableFiles.createDirectories(settings.directory());
        this.limits = new FolderLimits(settings);
        adoptFirstLayout();
        adoptTargetNamedArchive();
        try (Stream<Path> entries = Files.list(settings.directory())) {
            for (Path dir : entries.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                if (!ownFolder(name)) {
                    folder(decode(name)).sealLeftovers();
                }
            }
        }
        limits.recount();
    }

    Path directory() {
        return settings.directory();
    }

    // ------------------------------------------------------------------ writing

    Path save(String target, List<ReceivedValue> values, String reason) throws IOException, FolderFullException {
        limits.check(values.size());
        try {
            Path file = folder(target).append(values, reason, settings);
            limits.saved();
            return file;
        } catch (IOException e) {
            limits.failed(e);
            throw e;
        }
    }

    /** Rolls files due by time and deletes replayed files past their keeping time; run now and then. */
    void maintain() {
        for (TargetFolder folder : targets.values()) {
            try {
                folder.rollIfDue(settings, false);
            } catch (IOException e) {
                LOG.warn("Backup: could not close the file of target {} ({}); it is closed at the next start",
                        folder.target, e.toString());
            }
        }
        Instant cutoff = clock.instant().minus(settings.keepReplayed());
        for (Path file : files(settings.directory().resolve(REPLAYED), 2)) {
            try {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                LOG.warn("Backup: could not delete the replayed file {} ({})", file, e.toString());
            }
        }
        limits.recount();
    }

    /** Closes every open file; the folder is not used afterwards. */
    void close() {
        for (TargetFolder folder : targets.values()) {
            try {
                folder.close();
            } catch (IOException e) {
                LOG.warn("Backup: could not close the file of target {} ({}); it is closed at the next start",
                        folder.target, e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ replay

    /** Under the target folder's monitor, so that expiry never takes a file out while a chunk of it is handed out. */
    Optional<ReplayChunk> nextReplay(String target, int max) throws IOException {
        TargetFolder folder = folder(target);
        synchronized (folder) {
            return nextChunk(folder, target, max);
        }
    }

    private Optional<ReplayChunk> nextChunk(TargetFolder folder, String target, int max) throws IOException {
        while (true) {
            List<Path> closed = replayable(folder);
            if (closed.isEmpty() && folder.closeIfIdle()) {
                closed = replayable(folder);
            }
            if (closed.isEmpty()) {
                return Optional.empty();
            }
            Path file = closed.get(0);
            long from = ReplayProgress.read(file);
            List<ReceivedValue> values;
            try {
                values = folder.read(file, from, max);
            } catch (IllegalArgumentException | IOException e) {
                folder.closeReader();
                quarantineWhole(folder, file, "the file cannot be read: " + e.getMessage());
                continue;
            }
            if (values.isEmpty()) {
                folder.closeReader();
                finish(folder, file);
                continue;
            }
            outstanding.add(file);
            return Optional.of(new ReplayChunk(id(file), target, from, values));
        }
    }

    private List<Path> replayable(TargetFolder folder) throws IOException {
        List<Path> closed = folder.closedFiles();
        return settings.replayAutomatically() ? closed : closed.stream().filter(requested::contains).toList();
    }

    void replayed(ReplayChunk chunk) throws IOException {
        Path file = resolve(chunk.file());
        outstanding.remove(file);
        if (Files.exists(file)) { // else an operator deleted it meanwhile: no progress to keep beside nothing
            ReplayProgress.write(file, chunk.first() + chunk.values().size());
        }
        replayErrors.remove(file);
    }

    void replayFailed(ReplayChunk chunk, String error) {
        Path file = resolve(chunk.file());
        outstanding.remove(file);
        replayErrors.put(file, error);
    }

    void quarantine(ReplayChunk chunk, List<ReceivedValue> values, String reason) throws IOException {
        Path file = resolve(chunk.file());
        Path target = quarantineFolder(chunk.target()).resolve(file.getFileName());
        Quarantine.append(target, values, reason);
        rowCounts.remove(target);
        limits.recount();
        LOG.warn("Backup: {} values of {} refused again by the database go to {}: {}", values.size(), chunk.file(),
                target, reason);
    }

    private void quarantineWhole(TargetFolder folder, Path file, String error) throws IOException {
        Path target = free(quarantineFolder(folder.target), file.getFileName().toString());
        DurableFiles.move(file, target);
        Quarantine.writeError(target, error);
        deleteSidecars(file);
        forget(file);
        LOG.error("Backup: {} goes to quarantine: {}. Fix or delete it, then replay it (see README, Backup files)",
                id(file), error);
    }

    /** Every row of the file is in the database (or quarantined): keep it for a while or delete it. */
    private void finish(TargetFolder folder, Path file) throws IOException {
        long rows = rows(file);
        if (settings.keepReplayed().isZero()) {
            DurableFiles.delete(file);
        } else {
            Path target = free(settings.directory().resolve(REPLAYED).resolve(encode(folder.target)),
                    file.getFileName().toString());
            DurableFiles.move(file, target);
            rowCounts.put(target, rows);
        }
        deleteSidecars(file);
        forget(file);
        LOG.info("Backup: replayed {} ({} values) into the database", id(file), rows);
    }

    int replay(String id) throws IOException, UnknownFileException {
        if (id == null) {
            int queued = 0;
            for (BackupFile file : files()) {
                if (file.state() == BackupState.PENDING || file.state() == BackupState.REPLAYING) {
                    requested.add(file.path());
                    queued++;
                }
            }
            return queued;
        }
        Path file = existing(id);
        Path relative = settings.directory().relativize(file);
        if (relative.getName(0).toString().equals(QUARANTINE)) {
            String target = decode(relative.getName(1).toString());
            Path pending = free(folder(target).directory, file.getFileName().toString());
            DurableFiles.move(file, pending);
            DurableFiles.delete(BackupNames.sidecar(file, BackupNames.ERROR));
            forget(file);
            requested.add(pending);
            LOG.info("Backup: {} goes back to pending as {} on request", id, id(pending));
            return 1;
        }
        if (relative.getName(0).toString().equals(REPLAYED)) {
            throw new UnknownFileException("backup file " + id + " was replayed already: every row of it is in the "
                    + "database");
        }
        requested.add(file);
        replayErrors.remove(file);
        return 1;
    }

    /** @return how many values the deleted file held */
    long delete(String id) throws IOException, UnknownFileException {
        Path file = existing(id);
        long rows = rows(file);
        for (TargetFolder folder : targets.values()) {
            if (folder.isReading(file)) {
                folder.closeReader();
            }
        }
        if (!DurableFiles.delete(file)) {
            throw new UnknownFileException("there is no backup file " + id + " any more: it was replayed or deleted "
                    + "meanwhile");
        }
        deleteSidecars(file);
        forget(file);
        limits.recount();
        LOG.warn("Backup: {} deleted on request, with the {} values in it", id, rows);
        return rows;
    }

    // ------------------------------------------------------------------ looking

    List<BackupFile> files() throws IOException {
        List<BackupFile> files = new ArrayList<>();
        Path root = settings.directory();
        for (Path dir : subdirectories(root)) {
            String name = dir.getFileName().toString();
            if (ownFolder(name)) {
                continue;
            }
            TargetFolder folder = folder(decode(name));
            for (Path file : folder.closedFiles()) {
                long done = ReplayProgress.read(file);
                BackupState state = done > 0 || folder.isReading(file) ? BackupState.REPLAYING : BackupState.PENDING;
                files.add(describe(file, folder.target, state, done, replayErrors.getOrDefault(file, "")));
            }
            OpenFile open = folder.open();
            if (open != null) {
                files.add(new BackupFile(id(open.path), folder.target, BackupState.PENDING, open.rows(), 0,
                        size(open.path), open.begun, true, "", open.path));
            }
        }
        for (Path dir : subdirectories(root.resolve(REPLAYED))) {
            for (Path file : files(dir, 1)) {
                long rows = rows(file);
                files.add(describe(file, decode(dir.getFileName().toString()), BackupState.REPLAYED, rows, ""));
            }
        }
        for (Path dir : subdirectories(root.resolve(QUARANTINE))) {
            for (Path file : files(dir, 1)) {
                files.add(describe(file, decode(dir.getFileName().toString()), BackupState.QUARANTINED, 0,
                        Quarantine.lastError(file)));
            }
        }
        return files;
    }

    BackupStatus status() {
        int pendingFiles = 0;
        long pendingValues = 0;
        int quarantinedFiles = 0;
        long quarantinedValues = 0;
        try {
            for (BackupFile file : files()) {
                if (file.state() == BackupState.PENDING || file.state() == BackupState.REPLAYING) {
                    pendingFiles++;
                    pendingValues += file.rows() - file.rowsReplayed();
                } else if (file.state() == BackupState.QUARANTINED) {
                    quarantinedFiles++;
                    quarantinedValues += file.rows();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return limits.status(0, 0, 0, 0, Diagnosis.of("BACKUP_FAILING", "the backup folder cannot be read ("
                    + e.getMessage() + "): check that it exists and that the gateway may read it"),
                    expiredValues.get(), 0);
        }
        Diagnosis quarantined = quarantinedFiles == 0 ? null : Diagnosis.of("QUARANTINED", quarantinedValues
                + " values the database refused on replay are in " + settings.directory().resolve(QUARANTINE)
                + ": each file says why; fix the table or the rows, then replay the file, or delete it");
        return limits.status(pendingFiles, pendingValues, quarantinedFiles, quarantinedValues, quarantined,
                expiredValues.get(), Archive.count(settings.directory().resolve(ARCHIVE)));
    }

    List<ReceivedValue> read(Path file) throws IOException {
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CsvBackupFormat.read(in);
        }
    }

    long rows(String id, long from, long max, Consumer<BackupRow> each) throws IOException, UnknownFileException {
        return FileRows.read(existing(id), from, max, each);
    }

    InputStream open(String id) throws IOException, UnknownFileException {
        return Files.newInputStream(existing(id));
    }

    // ------------------------------------------------------------------ expiring

    Path archive(String target, List<ReceivedValue> values, String reason) throws IOException, FolderFullException {
        limits.check(values.size());
        Path file = Archive.write(archiveFolder(target), clock.instant(), values, reason);
        limits.saved();
        return file;
    }

    /**
     * Takes out the target's closed pending files whose newest row was received before {@code cutoff}: their rows
     * not yet replayed are archived first with {@code archive}, and counted as expired.
     *
     * @return how many values expired
     */
    long expire(String target, Instant cutoff, boolean archive) throws IOException, FolderFullException {
        TargetFolder folder = folder(target);
        synchronized (folder) {
            long expired = 0;
            for (Path file : folder.closedFiles()) {
                if (outstanding.contains(file) || newestRow(file) >= ReceivedValue.micros(cutoff)) {
                    break; // a file being replayed now goes to the database; the younger ones after it wait
                }
                expired += expire(folder, file, archive, cutoff);
            }
            limits.recount();
            return expired;
        }
    }

    /** Takes out one file, counting its values at once: a later file that fails takes nothing from this count. */
    private long expire(TargetFolder folder, Path file, boolean archive, Instant cutoff)
            throws IOException, FolderFullException {
        String target = folder.target;
        long done = ReplayProgress.read(file);
        List<ReceivedValue> left = new ArrayList<>();
        FileRows.read(file, done, Long.MAX_VALUE, row -> left.add(row.value()));
        if (archive && !left.isEmpty()) {
            archive(target, left, "accepted before " + cutoff + " and still in " + id(file)
                    + ", older than target " + target + " keeps values (maxAgeHours)");
        }
        if (folder.isReading(file)) {
            folder.closeReader();
        }
        DurableFiles.delete(file);
        expiredValues.addAndGet(left.size());
        deleteSidecars(file);
        forget(file);
        LOG.warn("Backup: {} expired with its {} values not yet replayed{}", id(file), left.size(),
                archive ? ", which went to " + ARCHIVE + "/" : "");
        return left.size();
    }

    private long newestRow(Path file) throws IOException {
        Long known = newestRows.get(file);
        if (known != null) {
            return known;
        }
        long[] newest = { Long.MIN_VALUE };
        try {
            FileRows.read(file, 0, Long.MAX_VALUE, row -> newest[0] = Math.max(newest[0],
                    row.value().receivedMicros()));
        } catch (IllegalArgumentException e) {
            newest[0] = Long.MAX_VALUE; // unreadable: its replay puts it in quarantine, whole, for an operator
        }
        newestRows.put(file, newest[0]);
        return newest[0];
    }

    private Path archiveFolder(String target) {
        return settings.directory().resolve(ARCHIVE).resolve(encode(target));
    }

    // ------------------------------------------------------------------ names

    TargetFolder folder(String target) {
        return targets.computeIfAbsent(target,
                t -> new TargetFolder(t, settings.directory().resolve(encode(t)), clock));
    }

    private Path quarantineFolder(String target) {
        return settings.directory().resolve(QUARANTINE).resolve(encode(target));
    }

    String id(Path file) {
        Path relative = settings.directory().relativize(file);
        List<String> names = new ArrayList<>();
        relative.forEach(n -> names.add(n.toString()));
        return String.join("/", names);
    }

    private Path resolve(String id) {
        Path file = settings.directory().resolve(id).normalize();
        if (!file.startsWith(settings.directory()) || file.equals(settings.directory())) {
            throw new IllegalArgumentException("not a backup file id: " + id);
        }
        return file;
    }

    private Path existing(String id) throws UnknownFileException {
        Path file;
        try {
            file = resolve(id);
        } catch (IllegalArgumentException e) {
            throw new UnknownFileException(e.getMessage());
        }
        if (!BackupNames.isClosed(file)) {
            if (BackupNames.isOpen(file)) {
                throw new UnknownFileException("backup file " + id + " is still being written; it is closed within "
                        + settings.roll().toMinutes() + " min, or 2 s after its last row once its target writes again");
            }
            throw new UnknownFileException("there is no backup file " + id + ": GET /api/buffer/backups lists them");
        }
        return file;
    }

    /**
     * Target names become folder names: percent-encoded where a file system would balk, and never the names of the
     * directory's own folders.
     */
    static String encode(String target) {
        String name = URLEncoder.encode(target, StandardCharsets.UTF_8).replace("*", "%2A");
        if (ownFolder(name) || name.startsWith(".")) {
            name = String.format("%%%02X", (int) name.charAt(0)) + name.substring(1);
        }
        return name;
    }

    /** The folders of the directory itself, beside the targets' folders. */
    private static boolean ownFolder(String name) {
        return name.equals(REPLAYED) || name.equals(QUARANTINE) || name.equals(ARCHIVE);
    }

    static String decode(String folder) {
        return URLDecoder.decode(folder, StandardCharsets.UTF_8);
    }

    /**
     * {@code name} in {@code dir}, or with {@code _2}, {@code _3} ... before the extension when it is taken, by a
     * file or by the replay count a cut left behind, which a file of that name would take for its own.
     */
    private static Path free(Path dir, String name) {
        Path candidate = dir.resolve(name);
        String stem = name.endsWith(BackupNames.CLOSED) ? name.substring(0, name.length() - 4) : name;
        for (int n = 2; Files.exists(candidate) || Files.exists(BackupNames.sidecar(candidate, BackupNames.PROGRESS));
                n++) {
            candidate = dir.resolve(stem + "_" + n + BackupNames.CLOSED);
        }
        return candidate;
    }

    /**
     * Before archives, a target named {@code archive} had the folder they use now: its files move to the folder its
     * name gets now, and replay from there.
     */
    private void adoptTargetNamedArchive() throws IOException {
        Path old = settings.directory().resolve(ARCHIVE);
        if (!Files.isDirectory(old)) {
            return;
        }
        List<Path> theirs;
        try (Stream<Path> entries = Files.list(old)) {
            theirs = entries.filter(f -> f.getFileName().toString().startsWith(BackupNames.PREFIX)).toList();
        }
        if (theirs.isEmpty()) {
            return;
        }
        Path to = folder(ARCHIVE).directory;
        DurableFiles.createDirectories(to);
        for (Path file : theirs) {
            DurableFiles.move(file, to.resolve(file.getFileName()));
        }
        LOG.info("Backup: {} files of the target named archive moved from {} to {}, as archive/ now keeps expired "
                + "values", theirs.size(), old, to);
    }

    /** Files of the first layout, directly in the directory, are the default writer's. */
    private void adoptFirstLayout() throws IOException {
        List<Path> firstLayout = files(settings.directory(), 1);
        if (firstLayout.isEmpty()) {
            return;
        }
        Path folder = folder(FIRST_LAYOUT_TARGET).directory;
        for (Path file : firstLayout) {
            DurableFiles.move(file, free(folder, file.getFileName().toString()));
        }
        LOG.info("Backup: {} files of an earlier version moved to {}, the folder of target {}, to be replayed",
                firstLayout.size(), folder, FIRST_LAYOUT_TARGET);
    }

    private BackupFile describe(Path file, String target, BackupState state, long done, String error) {
        Instant created = BackupNames.created(file);
        return new BackupFile(id(file), target, state, rows(file), done, size(file), created, false, error, file);
    }

    long rows(Path file) {
        return rowCounts.computeIfAbsent(file, f -> {
            try {
                return PartialFiles.countRows(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalArgumentException e) {
                return 0L;
            }
        });
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private void forget(Path file) {
        rowCounts.remove(file);
        newestRows.remove(file);
        outstanding.remove(file);
        replayErrors.remove(file);
        requested.remove(file);
    }

    private static void deleteSidecars(Path file) throws IOException {
        DurableFiles.delete(BackupNames.sidecar(file, BackupNames.PROGRESS));
        DurableFiles.delete(BackupNames.sidecar(file, BackupNames.ERROR));
    }

    private static List<Path> subdirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** The closed backup files in {@code dir}, and in its folders down to {@code depth}, oldest first. */
    static List<Path> files(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> entries = Files.walk(dir, depth)) {
            entries.filter(BackupNames::isClosed).forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparing(BackupNames::order));
        return found;
    }
}
