package io.github.jmeterportscan.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files an nmap command line names (-iL, --excludefile, output files), checked as nmap checks them. */
final class HostFiles {
    private HostFiles() {
    }

    /**
     * The file a name denotes. A name the file system cannot hold (a NUL character) is the user's
     * mistake, answered like any other bad option value.
     */
    static Path toPath(String name, String failure) throws ScanSpecException {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new ScanSpecException(failure + ": " + e.getReason());
        }
    }

    /** Host specifications in a -iL / --excludefile file: blank-separated words, '#' comments. */
    static List<String> read(Path file, String failure) throws ScanSpecException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ScanSpecException(failure + ": " + reasonFor(file));
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            int hash = line.indexOf('#');
            String content = hash < 0 ? line : line.substring(0, hash);
            for (String word : content.split("[ \t\r\u0000]+")) {
                if (!word.isEmpty()) {
                    out.add(word);
                }
            }
        }
        return out;
    }

    /** The strerror text and errno nmap's pfatal appends. */
    static String reasonFor(Path file) {
        if (!Files.exists(file)) {
            return "No such file or directory (2)";
        }
        if (Files.isDirectory(file)) {
            return "Is a directory (21)";
        }
        return "Permission denied (13)";
    }
}
