package org.gammaiqa.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user gets it: the tar.gz written by {@code package}, unpacked into an empty directory and
 * run with an empty home directory, so neither {@code ~/.m2} nor a libtorch unpacked earlier can be reached. It
 * scores the examples exactly as the checkout's {@code ./gamma} does, serves {@code /readyz} from a JVM started with the
 * launcher's settings, stops cleanly on SIGTERM, completes commands in bash, and lists a licence for every bundled jar.
 */
class DistributionIT {
    private static final Path ARCHIVE = Path.of(System.getProperty("gamma.distribution"));
    private static final Path CHECKOUT = Path.of(System.getProperty("gamma.checkout"));
    private static final Pattern LISTED = Pattern.compile("^\\s*\\(.*\\(([^:\\s]+):([^:\\s]+):(\\S+) - ");

    @TempDir
    static Path tmp;
    static Path dist;
    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path unpacked = Files.createDirectory(tmp.resolve("unpacked"));
        Run tar = run(unpacked, "tar", "-xzf", ARCHIVE.toString());
        assertThat(tar.exit()).as(tar.err()).isZero();
        String name = ARCHIVE.getFileName().toString().replace(".tar.gz", "");
        assertThat(unpacked.toFile().list()).containsExactly(name);
        dist = unpacked.resolve(name);
        home = Files.createDirectory(tmp.resolve("home"));
    }

    @Test
    void scoresTheExamplesAsTheCheckoutDoesWithAnEmptyHome() throws Exception {
        Run distributed = gamma("score", "examples");
        assertThat(distributed.exit()).as(distributed.err()).isZero();
        Run checkout = run(CHECKOUT, "./gamma", "score", "examples");
        assertThat(checkout.exit()).as(checkout.err()).isZero();

        List<String> lines = distributed.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("path,score,");
        assertThat(lines.subList(1, 5)).allSatisfy(line -> assertThat(line).startsWith("examples/").contains(",gamma-demo,"));
        assertThat(distributed.out()).isEqualTo(checkout.out());
        // libtorch came out of lib/'s native jar into the empty home: the only files the run wrote there
        try (Stream<Path> files = Files.walk(home)) {
            List<Path> written = files.filter(Files::isRegularFile).map(home::relativize).toList();
            assertThat(written).allMatch(p -> p.startsWith(".djl.ai")).anyMatch(p -> p.endsWith("libtorch.so"));
        }
    }

    @Test
    void servesReadyzAndStopsCleanlyOnSigterm() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = tmp.resolve("serve.log");
        Process server = isolated(dist.resolve("bin/gamma").toString(), "serve", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String ready = "";
            while (!ready.startsWith("HTTP/1.1 200")) {
                assertThat(server.isAlive()).as("bin/gamma serve ended: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("ready within 120 s: %s", Files.readString(log)).isLessThan(deadline);
                Thread.sleep(250);
                ready = get(port, "/readyz");
            }
            assertThat(ready).contains("\"status\":\"ready\"").contains("gamma-demo");
            // the JVM runs as lib/gamma-launch.sh starts it (bash execs it: same process)
            List<String> environment = List.of(Files.readString(Path.of("/proc", Long.toString(server.pid()), "environ")).split("\0"));
            assertThat(environment).contains("MALLOC_MMAP_THRESHOLD_=268435456", "MALLOC_TRIM_THRESHOLD_=1073741824",
                    "MALLOC_TOP_PAD_=67108864", "MALLOC_ARENA_MAX=2");
            assertThat(Files.readString(Path.of("/proc", Long.toString(server.pid()), "cmdline")).split("\0"))
                    .contains("-Dai.djl.offline=true", "org.gammaiqa.cli.GammaCli", "serve");

            server.destroy(); // SIGTERM
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();
            String said = Files.readString(log);
            assertThat(said).contains("stopped; every accepted request was answered");
            assertThat(server.exitValue()).as("the JVM's exit status after SIGTERM: %s", said).isEqualTo(143);
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void bashCompletesCommandsAndOptions() throws Exception {
        Path script = dist.resolve("completion/gamma.bash");
        assertThat(complete(script, "gamma", "se")).contains("serve").doesNotContain("score");
        assertThat(complete(script, "gamma", "serve", "--ho")).containsExactly("--host");
        assertThat(complete(script, "gamma", "score", "--for")).containsExactly("--format");
    }

    @Test
    void everyBundledJarHasItsLicenceListedAndTheZipHoldsTheSameFiles() throws Exception {
        String thirdParty = Files.readString(dist.resolve("licenses/THIRD-PARTY.txt"));
        Set<String> jars;
        try (Stream<Path> lib = Files.list(dist.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(jars).anyMatch(n -> n.startsWith("pytorch-native-cpu-")).anyMatch(n -> n.startsWith("gamma-cli-"));
        // each line: (licence) ... name (group:artifact:version - url); a jar is artifact-version[-classifier].jar
        Map<String, String> listed = thirdParty.lines().map(LISTED::matcher).filter(Matcher::find)
                .collect(Collectors.toMap(m -> m.group(2) + "-" + m.group(3), Matcher::group));
        for (String jar : jars) {
            if (jar.startsWith("gamma-")) {
                continue; // this project's own modules
            }
            String entry = listed.keySet().stream().filter(a -> jar.equals(a + ".jar") || jar.startsWith(a + "-")).findFirst().orElse(null);
            assertThat(entry).as("%s in THIRD-PARTY.txt", jar).isNotNull();
            assertThat(listed.get(entry)).doesNotContain("Unknown license");
        }
        assertThat(Files.isExecutable(dist.resolve("bin/gamma"))).isTrue();

        Set<String> tarFiles;
        try (Stream<Path> all = Files.walk(dist)) {
            tarFiles = all.filter(Files::isRegularFile).map(p -> dist.getParent().relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Path zip = ARCHIVE.resolveSibling(ARCHIVE.getFileName().toString().replace(".tar.gz", ".zip"));
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Set<String> zipFiles = z.stream().filter(e -> !e.isDirectory()).map(e -> e.getName()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(zipFiles).isEqualTo(tarFiles);
        }
    }

    /**
     * The whole answer to a GET on one connection that closes after it ("" while nothing listens): no connection
     * stays open to meet the SIGTERM.
     */
    private static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (ConnectException notListeningYet) {
            return "";
        }
    }

    /** Candidates bash's completion offers for the last word, after sourcing the generated script. */
    private static List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String program = ". \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"" + line + "\"; COMP_POINT=${#COMP_LINE};"
                + " _complete_gamma; printf '%s\\n' \"${COMPREPLY[@]}\"";
        List<String> command = new ArrayList<>(List.of("bash", "-c", program, "complete", script.toString()));
        command.addAll(List.of(words));
        Run bash = run(dist, command.toArray(String[]::new));
        assertThat(bash.exit()).as(bash.err()).isZero();
        return bash.out().lines().filter(s -> !s.isBlank()).map(String::strip).toList();
    }

    /** bin/gamma run in the unpacked distribution, isolated. */
    private static Run gamma(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/gamma").toString()));
        command.addAll(List.of(args));
        return run(isolated(command.toArray(String[]::new)));
    }

    /**
     * A command in the unpacked distribution with the empty directory as HOME and as the JVM's user.home (Java takes
     * user.home from the password database, not from HOME), no DJL or Maven settings of this machine, and this JVM's Java.
     */
    private static ProcessBuilder isolated(String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dist.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("DJL_") || k.startsWith("MAVEN") || k.startsWith("GAMMA_"));
        env.putAll(Map.of("HOME", home.toString(), "GAMMA_JAVA_OPTS", "-Duser.home=" + home, "JAVA_HOME", System.getProperty("java.home")));
        return builder;
    }

    private static Run run(Path dir, String... command) throws Exception {
        return run(new ProcessBuilder(command).directory(dir.toFile()));
    }

    private static Run run(ProcessBuilder builder) throws Exception {
        List<String> command = builder.command();
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Run(int exit, String out, String err) {
    }
}
