package org.gammaiqa.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.gammaiqa.image.ImageDecoder;

/**
 * The image files named on a command line, walked lazily: a file is taken as given, a directory is
 * descended recursively in name order, keeping files with an image extension. Memory stays bounded
 * by the widest directory, not the whole tree (plus the paths to skip, when resuming).
 */
final class ImageFiles implements Iterator<Path> {
    private final Deque<Path> pending = new ArrayDeque<>();
    private final Set<String> skip;
    private Path next;

    ImageFiles(List<Path> roots) {
        this(roots, Set.of());
    }

    /** Walks {@code roots}, leaving out the files whose path, as it would be written, is in {@code skip}. */
    ImageFiles(List<Path> roots, Set<String> skip) {
        this.skip = skip;
        for (int i = roots.size() - 1; i >= 0; i--) {
            pending.push(roots.get(i));
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !pending.isEmpty()) {
            Path p = pending.pop();
            if (Files.isDirectory(p)) {
                expand(p);
            } else if (!skip.contains(p.toString())) {
                next = p;
            }
        }
        return next != null;
    }

    private void expand(Path dir) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path c : s) {
                if (Files.isDirectory(c) || ImageDecoder.hasImageExtension(c.getFileName().toString())) {
                    children.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list directory " + dir, e);
        }
        children.sort(null);
        for (int i = children.size() - 1; i >= 0; i--) {
            pending.push(children.get(i));
        }
    }

    @Override
    public Path next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Path p = next;
        next = null;
        return p;
    }
}
