package org.gammaiqa.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every public type and member of gamma-core has a doc comment: the JDK's javadoc runs over the main sources with
 * doclint, and no "no comment" (nor any error) may come out. The build's javadoc jar checks the rest of doclint
 * (HTML, references, syntax) with {@code all,-missing}.
 */
class PublicApiDocumentationTest {
    @Test
    void everyPublicTypeAndMemberHasADocComment() throws Exception {
        Path sources = Path.of("src/main/java").toAbsolutePath();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThan(50);
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("gamma-javadoc");
        try (StandardJavaFileManager fm = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("-Xdoclint:all", "-Xmaxwarns", "10000", "-quiet", "-d", out.toString(),
                    "-classpath", System.getProperty("java.class.path"));
            StringWriter log = new StringWriter();
            boolean ok = javadoc.getTask(log, fm, diagnostics, null, options, fm.getJavaFileObjectsFromPaths(files)).call();
            List<String> problems = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR || d.getMessage(Locale.ROOT).contains("no comment"))
                    .map(d -> (d.getSource() == null ? "" : sources.relativize(Path.of(d.getSource().toUri())) + ":" + d.getLineNumber() + ": ")
                            + d.getMessage(Locale.ROOT))
                    .toList();
            assertThat(problems).as("javadoc output:%n%s", log).isEmpty();
            assertThat(ok).as("javadoc output:%n%s", log).isTrue();
        } finally {
            try (Stream<Path> walk = Files.walk(out)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
