package io.tagbridge.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a gateway holds a data directory is told from its lock file and the process it names, never the lock. */
class LockHolderTest {

    @TempDir
    Path data;

    private void lockFile(long pid) throws Exception {
        Files.writeString(data.resolve(LockHolder.FILE), pid + "\n");
    }

    @Test
    void aDirectoryWithoutALockFileIsNotHeld() {
        LockHolder holder = LockHolder.of(data);

        assertThat(holder.running()).isFalse();
        assertThat(holder.detail()).contains("no gateway has used");
    }

    @Test
    void aLockFileNamingThisProcessIsHeldByThisGateway() throws Exception {
        lockFile(ProcessHandle.current().pid());

        LockHolder holder = LockHolder.of(data);

        assertThat(holder.running()).isTrue();
        assertThat(holder.self()).isTrue();
    }

    @Test
    void aLockFileNamingAProcessThatEndedIsNotHeld() throws Exception {
        Process ended = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ended.waitFor(30, TimeUnit.SECONDS);
        lockFile(ended.pid());

        LockHolder holder = LockHolder.of(data);

        assertThat(holder.running()).isFalse();
        assertThat(holder.detail()).contains("which is not running");
    }

    @Test
    void aRunningJavaProcessThatStartedBeforeTheLockFileWasWrittenHoldsIt() throws Exception {
        Process java = sleepingJava();
        try {
            lockFile(java.pid());

            LockHolder holder = LockHolder.of(data);

            assertThat(holder.running()).as(holder.detail()).isTrue();
            assertThat(holder.self()).isFalse();
            assertThat(holder.pid()).isEqualTo(java.pid());
        } finally {
            java.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessThatStartedAfterTheLockFileWasWrittenHasOnlyTakenOverItsNumber() throws Exception {
        Process java = sleepingJava();
        try {
            lockFile(java.pid());
            Files.setLastModifiedTime(data.resolve(LockHolder.FILE), FileTime.from(Instant.now().minusSeconds(3600)));

            LockHolder holder = LockHolder.of(data);

            assertThat(holder.running()).isFalse();
            assertThat(holder.detail()).contains("started after the file was written");
        } finally {
            java.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRunningProcessThatIsNotJavaDoesNotHoldIt() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            Thread.sleep(100);
            lockFile(sleep.pid());

            LockHolder holder = LockHolder.of(data);

            assertThat(holder.running()).isFalse();
            assertThat(holder.detail()).contains("not a Java process");
        } finally {
            sleep.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A Java process that runs for a minute: a source file run by the java launcher. */
    private static Process sleepingJava() throws Exception {
        Process sleeper = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                sleeperSource().toString()).start();
        Thread.sleep(100);
        return sleeper;
    }

    private static Path sleeperSource() throws Exception {
        Path source = Files.createTempFile("Sleeper", ".java");
        Files.writeString(source, "class Sleeper { public static void main(String[] a) throws Exception { "
                + "Thread.sleep(60_000); } }");
        source.toFile().deleteOnExit();
        return source;
    }
}
