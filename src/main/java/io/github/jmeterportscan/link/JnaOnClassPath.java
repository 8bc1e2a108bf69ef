package io.github.jmeterportscan.link;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Whether the JNA the JVM loads is one the native bindings work with, and if not, which jar is in the way.
 * A class path holding two jna jars gives every class from the first: JMeter puts lib/*.jar on its class path in
 * name order, so a jna-3.5.2.jar another plugin left in lib/ shadows jna-5.17.0.jar. That JNA lacks the calls the
 * bindings use ({@code Native.register(Class, String)}, {@code Native.load}), so raw scanning is refused with the
 * jar to remove rather than failing with a NoSuchMethodError. Nothing here initialises JNA: the version comes from
 * the jar's manifest ({@code Implementation-Version: 3.5.2 (b66)}).
 */
final class JnaOnClassPath {
    private static final String NATIVE = "com.sun.jna.Native";
    private static final String NATIVE_CLASS_FILE = "com/sun/jna/Native.class";

    private JnaOnClassPath() {
    }

    /** The problem with the JNA this class's loader gives, measured against the JNA this build uses. */
    static Optional<String> problem() {
        return problem(JnaOnClassPath.class.getClassLoader(), requiredVersion());
    }

    /**
     * Empty when {@code loader} gives a JNA of at least {@code required} (or one whose version its jar does not
     * say, as in a jar with JNA merged in); otherwise what to do about it, naming the jars.
     */
    static Optional<String> problem(ClassLoader loader, String required) {
        Class<?> nativeClass;
        try {
            nativeClass = Class.forName(NATIVE, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of("raw packet scanning needs JNA (jna-" + required + ".jar), which is not on the class"
                    + " path; in JMeter it belongs in lib/");
        }
        Optional<String> loaded = version(nativeClass.getPackage().getImplementationVersion());
        if (loaded.isEmpty() || compare(loaded.get(), required) >= 0) {
            return Optional.empty();
        }
        String loadedJar = jarOf(nativeClass);
        List<String> newer = new ArrayList<>();
        for (String jar : jarsHoldingNative(loader)) {
            Optional<String> version = version(manifestVersion(jar));
            if (!jar.equals(loadedJar) && version.isPresent() && compare(version.get(), required) >= 0) {
                newer.add(jar);
            }
        }
        String found = "raw packet scanning needs JNA " + required + " or later, but the class path gives JNA "
                + loaded.get() + " from " + loadedJar;
        if (newer.isEmpty()) {
            return Optional.of(found + ": replace that jar with jna-" + required + ".jar");
        }
        return Optional.of(found + ", an older copy ahead of " + String.join(" and ", newer)
                + " (JMeter loads lib/ in name order): remove " + loadedJar);
    }

    /** The JNA version this build is made and tested with, written by the build from the POM. */
    static String requiredVersion() {
        Properties properties = new Properties();
        try (InputStream in = JnaOnClassPath.class.getResourceAsStream("native-libraries.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource of our own jar: no requirement beyond the major version below
        }
        String version = properties.getProperty("jna.version", "").trim();
        return version.isEmpty() || version.startsWith("${") ? "5" : version;
    }

    /** "5.17.0 (b0)" -> "5.17.0"; empty when the manifest says nothing usable. */
    private static Optional<String> version(String implementationVersion) {
        if (implementationVersion == null) {
            return Optional.empty();
        }
        String version = implementationVersion.trim().split("\\s+")[0];
        return version.matches("\\d+(\\.\\d+)*") ? Optional.of(version) : Optional.empty();
    }

    /** Numeric comparison part by part; a missing part counts as 0. */
    static int compare(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? Long.parseLong(left[i]) : 0;
            long r = i < right.length ? Long.parseLong(right[i]) : 0;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
    }

    /** Every jar on the loader's class path that holds JNA's Native class, in class path order. */
    private static List<String> jarsHoldingNative(ClassLoader loader) {
        List<String> jars = new ArrayList<>();
        try {
            for (URL classFile : Collections.list(loader.getResources(NATIVE_CLASS_FILE))) {
                // jar:file:/x/jna.jar!/com/sun/jna/Native.class
                String spec = classFile.toString();
                int bang = spec.indexOf("!/");
                if (spec.startsWith("jar:") && bang > 0) {
                    jars.add(path(URI.create(spec.substring(4, bang))));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // the loaded copy alone is named
        }
        return jars;
    }

    private static String manifestVersion(String jarPath) {
        try (JarFile jar = new JarFile(jarPath)) {
            Manifest manifest = jar.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
        } catch (IOException e) {
            return null;
        }
    }

    private static String jarOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null) {
            return type.getName();
        }
        try {
            return path(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            return source.getLocation().toString();
        }
    }

    private static String path(URI location) {
        try {
            return Path.of(location).normalize().toString();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return location.toString();
        }
    }
}
