package org.gammaiqa.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.gammaiqa.checkpoint.CheckpointTestFiles.PickleBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointErrorsTest {
    @TempDir
    Path dir;

    private final Path marker = Path.of(System.getProperty("java.io.tmpdir"), "gamma-pwned-" + UUID.randomUUID());

    @Test
    void refusesPosixSystemInAZip() throws IOException {
        byte[] pickle = ("cposix\nsystem\n(S'touch " + marker + "'\ntR.").getBytes(StandardCharsets.US_ASCII);
        Path file = CheckpointTestFiles.zip(dir.resolve("evil.pth"), Map.of("archive/data.pkl", pickle, "archive/version", "3\n".getBytes()));
        assertRefused(file, "posix.system");
    }

    @Test
    void refusesOsSystemThroughStackGlobal() throws IOException {
        byte[] pickle = new PickleBytes().op(0x80, 4).str("os").str("system").op(0x93).str("touch " + marker)
                .op(0x85, 'R', '.').bytes();
        Path file = CheckpointTestFiles.zip(dir.resolve("evil4.pth"), Map.of("archive/data.pkl", pickle));
        assertRefused(file, "os.system");
    }

    @Test
    void refusesPosixSystemInALegacyFile() throws IOException {
        PickleBytes p = new PickleBytes().op(0x80, 2, 0x8a, 10);
        byte[] magic = new java.math.BigInteger("1950a86a20f9469cfc6c", 16).toByteArray();
        for (int i = magic.length - 1; i >= 0; i--) {
            p.op(magic[i] & 0xff);
        }
        p.op('.').op(0x80, 2, 'M', 0xe9, 0x03, '.').op(0x80, 2, '}', '.');
        p.op(0x80, 2).global("posix", "system").str("touch " + marker).op(0x85, 'R', '.');
        Path file = Files.write(dir.resolve("evil_legacy.pth"), p.bytes());
        assertRefused(file, "posix.system");
    }

    @Test
    void refusesInstAndBuildOnForeignObjects() {
        byte[] inst = ("(S'touch " + marker + "'\nios\nsystem\n.").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SafeUnpickler.loadData(inst)).hasMessageContaining("refused pickle opcode");
        byte[] build = new PickleBytes().op(0x80, 2, ']', '}', 'b', '.').bytes();
        assertThatThrownBy(() -> SafeUnpickler.loadData(build)).hasMessageContaining("refused BUILD");
        assertThat(marker).doesNotExist();
    }

    @Test
    void emptyFile() throws IOException {
        assertFails(Files.write(dir.resolve("empty.pth"), new byte[0]), "empty");
    }

    @Test
    void randomBytes() throws IOException {
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        bytes[0] = 0x13;
        assertFails(Files.write(dir.resolve("random.pth"), bytes), "not a torch.save zip");
    }

    @Test
    void textFile() throws IOException {
        assertFails(Files.writeString(dir.resolve("notes.pth"), "version https://git-lfs.github.com/spec/v1\n"), "not a torch.save zip");
    }

    @Test
    void randomBytesAfterAPickleProtocolByte() throws IOException {
        byte[] bytes = new byte[4096];
        new Random(8).nextBytes(bytes);
        bytes[0] = (byte) 0x80;
        bytes[1] = 2;
        assertFails(Files.write(dir.resolve("noise.pth"), bytes), "unpickle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zip_f32.pth", "legacy_f32.pth", "zip_views.pth"})
    void truncatedAnywhere(String name) throws IOException {
        byte[] whole = Files.readAllBytes(CheckpointTestFiles.fixture(name));
        for (int length : new int[] {1, 3, 10, 50, 100, whole.length / 2, whole.length - 100, whole.length - 23, whole.length - 1}) {
            Path cut = Files.write(dir.resolve("cut" + length + "_" + name), Arrays.copyOf(whole, length));
            assertFails(cut, "");
        }
    }

    @Test
    void hugeDimensions() throws IOException {
        assertFails(tensorZip(16, 0, new long[] {1L << 40, 1L << 40}, new long[] {1L << 40, 1}, 64), "negative or too large");
    }

    @Test
    void negativeDimension() throws IOException {
        assertFails(tensorZip(16, 0, new long[] {-1, 4}, new long[] {4, 1}, 64), "negative or too large");
    }

    @Test
    void viewOutsideItsStorage() throws IOException {
        assertFails(tensorZip(4, 1, new long[] {4}, new long[] {1}, 16), "needs more than the 4 elements");
    }

    @Test
    void storageEntryShorterThanItsNumel() throws IOException {
        assertFails(tensorZip(100, 0, new long[] {4}, new long[] {1}, 16), "elements need 400");
    }

    @Test
    void missingDataEntry() throws IOException {
        byte[] pickle = CheckpointTestFiles.tensorPickle(4, 0, new long[] {4}, new long[] {1});
        Path file = CheckpointTestFiles.zip(dir.resolve("nodata.pth"), Map.of("archive/data.pkl", pickle));
        assertFails(file, "no entry 'archive/data/0'");
    }

    @Test
    void zipWithoutPickle() throws IOException {
        Path file = CheckpointTestFiles.zip(dir.resolve("other.zip"), Map.of("readme.txt", new byte[] {1}));
        assertFails(file, "no entry ending in data.pkl");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> CheckpointReader.read(dir.resolve("absent.pth")))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("absent.pth").hasMessageContaining("no such file");
    }

    private Path tensorZip(long storageNumel, long offset, long[] shape, long[] stride, int dataBytes) throws IOException {
        byte[] pickle = CheckpointTestFiles.tensorPickle(storageNumel, offset, shape, stride);
        return CheckpointTestFiles.zip(dir.resolve("bad.pth"), Map.of("archive/data.pkl", pickle, "archive/data/0", new byte[dataBytes]));
    }

    private void assertRefused(Path file, String global) {
        assertFails(file, "refused global '" + global + "'");
        assertThat(marker).doesNotExist();
    }

    private static void assertFails(Path file, String problem) {
        assertThatThrownBy(() -> CheckpointReader.read(file))
                .isExactlyInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(problem)
                .hasMessageMatching("(?s).*(\\?|again|path|not a valid checkpoint)$");
    }
}
