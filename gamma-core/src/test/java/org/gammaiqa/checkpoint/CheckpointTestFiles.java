package org.gammaiqa.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helpers: the committed fixtures, hand-built pickles, and zips built with java.util.zip (deflated). */
final class CheckpointTestFiles {
    private CheckpointTestFiles() {
    }

    /** A file of src/test/resources/checkpoints, written by make_loader_fixtures.py. */
    static Path fixture(String name) {
        try {
            return Path.of(CheckpointTestFiles.class.getResource("/checkpoints/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture checkpoints/" + name
                    + "; run make_loader_fixtures.py in src/test/resources/checkpoints", e);
        }
    }

    /** A zip holding {@code entries} (name to bytes), deflated as java.util.zip does by default. */
    static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream f = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(f)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    /** Pickle opcodes written in order. */
    static final class PickleBytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        PickleBytes op(int... opcodes) {
            for (int o : opcodes) {
                out.write(o);
            }
            return this;
        }

        PickleBytes raw(String ascii) {
            out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        /** SHORT_BINUNICODE. */
        PickleBytes str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op(0x8c, b.length);
            out.writeBytes(b);
            return this;
        }

        PickleBytes global(String module, String name) {
            return raw("c" + module + "\n" + name + "\n");
        }

        /** LONG1 with 8 bytes. */
        PickleBytes integer(long v) {
            op(0x8a, 8);
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A torch zip pickle {'w': _rebuild_tensor_v2(storage('0', FloatStorage, numel), offset, shape, stride)}. */
    static byte[] tensorPickle(long storageNumel, long offset, long[] shape, long[] stride) {
        PickleBytes p = new PickleBytes().op(0x80, 2, '}').str("w").global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(storageNumel).op('t', 'Q');
        p.integer(offset).op('(');
        for (long d : shape) {
            p.integer(d);
        }
        p.op('t', '(');
        for (long s : stride) {
            p.integer(s);
        }
        p.op('t', 0x89).global("collections", "OrderedDict").op(')', 'R', 't', 'R', 's', '.');
        return p.bytes();
    }
}
