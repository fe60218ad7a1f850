package org.gammaiqa.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The checkpoint file a model came from; its SHA-256 is computed on first request and kept. */
public final class ModelSource {
    private final Path path;
    private final String name;
    private volatile String sha256;

    /**
     * The model in a checkpoint file, named by the file.
     *
     * @param path the checkpoint file
     */
    public ModelSource(Path path) {
        this(path, null);
    }

    /**
     * The model in a checkpoint file, under a name of its own.
     *
     * @param path the checkpoint file
     * @param name the model's name, or null for the file name
     */
    public ModelSource(Path path, String name) {
        this(path, name, null);
    }

    /** A model whose file's SHA-256 is already known (null: computed on first request). */
    ModelSource(Path path, String name, String sha256) {
        this.path = path;
        this.name = name;
        this.sha256 = sha256;
    }

    /** The checkpoint file. */
    public Path path() {
        return path;
    }

    /** The model's name: the file name without directories, e.g. {@code gamma_weight.pth}, or {@link DemoModel#NAME}. */
    public String name() {
        return name != null ? name : path.getFileName().toString();
    }

    /** True for the built-in demo model, whose scores are not the paper's. */
    public boolean isDemo() {
        return DemoModel.NAME.equals(name);
    }

    /** Lower-case hex SHA-256 of the file. */
    public String sha256() {
        String s = sha256;
        if (s == null) {
            s = sha256 = digest(path);
        }
        return s;
    }

    /**
     * Lower-case hex SHA-256 of any file.
     *
     * @param file the file to hash
     * @return its digest, 64 hex digits
     * @throws UncheckedIOException if the file cannot be read
     */
    public static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
