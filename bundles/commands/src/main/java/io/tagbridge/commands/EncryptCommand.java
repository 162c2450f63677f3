package io.tagbridge.commands;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import io.tagbridge.api.security.SecretBox;

/**
 * Prints the sealed form of a secret, to paste into an etc file (password=ENC(...)), as Karaf's and Kura's
 * users do. Typed at the prompt it stays out of the shell's history; the gateway's own key seals it.
 */
final class EncryptCommand {

    static final String USAGE = "encrypt [secret]";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Services services;
    private final PrintStream out;

    EncryptCommand(Services services, PrintStream out) {
        this.services = services;
        this.out = out;
    }

    boolean run(List<String> args) throws InterruptedException, CommandException, UsageException {
        if (args.size() > 1) {
            throw new UsageException("give at most one secret, or none to be asked for it");
        }
        SecretBox box = services.await(SecretBox.class, WAIT);
        if (box == null) {
            throw new CommandException("the gateway's secret key is not available within " + WAIT.toSeconds()
                    + " s: check that bundle io.tagbridge.security is active and the data directory is writable");
        }
        String secret = args.isEmpty() ? ask() : args.get(0);
        if (secret == null || secret.isEmpty()) {
            throw new UsageException("the secret is empty");
        }
        out.println(box.seal(secret));
        return true;
    }

    private static String ask() throws CommandException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Secret to encrypt: ");
            return typed == null ? null : new String(typed);
        }
        try {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new CommandException("could not read the secret from standard input: " + e.getMessage());
        }
    }
}
