package io.tagbridge.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs a command in a Gogo session, as an operator types it into the gateway's console. */
final class Gogo {

    private Gogo() {
    }

    /** What a command returned and printed. */
    record Run(Object result, String output) {
        /** The JSON report: the last line; progress goes before it. */
        JsonNode json() throws Exception {
            String[] lines = output.strip().split("\\R");
            return new ObjectMapper().readTree(lines[lines.length - 1]);
        }
    }

    static Run run(CommandProcessor gogo, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
                CommandSession session = gogo.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            Object result = session.execute(command);
            print.flush();
            return new Run(result, out.toString(StandardCharsets.UTF_8));
        }
    }
}
