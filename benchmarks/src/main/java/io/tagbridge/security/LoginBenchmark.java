package io.tagbridge.security;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.tagbridge.api.security.Access;

/**
 * What the login costs a REST request: a producer's repeated, right credentials (remembered for a minute after
 * the slow hash), against a check that misses what is remembered and pays PBKDF2. The gatekeeper is the real
 * one, as the security component builds it, without OSGi.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xmx128m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error" })
public class LoginBenchmark {

    private static final String PASSWORD = "benchmark-Password-1";

    @State(Scope.Benchmark)
    public static class Login {
        GatekeeperComponent gatekeeper;
        String right;
        final AtomicInteger clients = new AtomicInteger();

        @Setup(Level.Trial)
        public void start() throws Exception {
            Path data = Files.createTempDirectory("tagbridge-login-bench");
            KeyFileSecretBox box = new KeyFileSecretBox(data.resolve(KeyFileSecretBox.KEY_FILE));
            gatekeeper = new GatekeeperComponent(config(box.seal(PASSWORD)), () -> data, box, new SecurityHealth());
            right = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(
                    StandardCharsets.UTF_8));
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Access rightCredentialsAgain(Login login) {
        return login.gatekeeper.checkHeader(login.right, "10.0.0.1");
    }

    /** A new address each time, so that the slow-down after failures does not cut the hash short. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Measurement(iterations = 10, batchSize = 1)
    @Warmup(iterations = 2, batchSize = 1)
    public Access credentialsNotSeenBefore(Login login) {
        return login.gatekeeper.check("admin", "wrong-" + login.clients.get(), "10.1.0." + login.clients
                .incrementAndGet());
    }

    static SecurityConfig config(String password) {
        return new SecurityConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SecurityConfig.class;
            }

            @Override
            public String username() {
                return "admin";
            }

            @Override
            public String password() {
                return password;
            }

            @Override
            public boolean monitoringNeedsCredentials() {
                return false;
            }

            @Override
            public int failuresBeforeSlowDown() {
                return 5;
            }

            @Override
            public int slowDownSeconds() {
                return 60;
            }
        };
    }
}
