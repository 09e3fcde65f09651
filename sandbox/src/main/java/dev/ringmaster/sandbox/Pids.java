package dev.ringmaster.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The processes a sandbox started, in {@code <dir>/pids}, so that a sandbox that was killed hard (no chance to stop
 * its children) does not leave them running: the next start stops them first.
 */
final class Pids {

    private Pids() {}

    static synchronized void record(Path dir, long pid) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("pids"), pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("sandbox: cannot record pid " + pid + ": " + e.getMessage());
        }
    }

    static synchronized void clear(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("pids"));
        } catch (IOException e) {
            System.err.println("sandbox: cannot delete " + dir.resolve("pids") + ": " + e.getMessage());
        }
    }

    /** Stops what an earlier sandbox in the same folder left running (only java processes). */
    static void killLeftovers(Path dir, PrintStream progress) {
        Path file = dir.resolve("pids");
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            for (String l : lines) {
                if (l.isBlank()) {
                    continue;
                }
                ProcessHandle.of(Long.parseLong(l.trim()))
                        .filter(h ->
                                h.info().command().map(c -> c.endsWith("java")).orElse(false))
                        .ifPresent(h -> {
                            progress.println("stopping process " + h.pid() + " left by an earlier sandbox");
                            h.destroy();
                            h.onExit()
                                    .orTimeout(15, java.util.concurrent.TimeUnit.SECONDS)
                                    .exceptionally(e -> {
                                        h.destroyForcibly();
                                        return h;
                                    })
                                    .join();
                        });
            }
            Files.delete(file);
        } catch (IOException | NumberFormatException e) {
            progress.println("sandbox: cannot read " + file + ": " + e.getMessage());
        }
    }
}
