package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The Kubernetes example of docs/SERVICE.md parses as YAML, holds a Deployment (probes on /healthz and /readyz, a
 * preStop pause, resources, a grace period above the drain delay plus the drain) and a Service, and sets only
 * environment variables that {@code gamma serve} reads. No cluster runs it here.
 */
class KubernetesExampleTest {
    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object o = node;
        for (String key : path) {
            o = o instanceof List<?> list ? list.get(Integer.parseInt(key)) : ((Map<String, Object>) o).get(key);
            assertThat(o).as("%s in the example", String.join(".", path)).isNotNull();
        }
        return (T) o;
    }

    @Test
    void theExampleParsesAndHoldsADeploymentWithProbesAndAService() throws Exception {
        String doc = Files.readString(TestAssets.fixtures().getParent().resolve("docs").resolve("SERVICE.md"));
        Matcher block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(block.find()).as("a ```yaml block in docs/SERVICE.md").isTrue();
        List<Object> documents = new ArrayList<>();
        new Yaml().loadAll(block.group(1)).forEach(documents::add);
        Map<?, ?> deployment = documents.stream().map(d -> (Map<?, ?>) d).filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        Map<?, ?> service = documents.stream().map(d -> (Map<?, ?>) d).filter(d -> "Service".equals(d.get("kind"))).findFirst().orElseThrow();

        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", "0");
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/healthz");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
        assertThat((List<?>) at(container, "lifecycle", "preStop", "exec", "command")).isNotEmpty();
        assertThat((Map<String, Object>) at(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat((Map<String, Object>) at(container, "resources", "limits")).containsKey("memory");

        List<Map<String, Object>> env = at(container, "env");
        Map<String, String> values = env.stream().filter(e -> e.get("value") != null)
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> String.valueOf(e.get("value"))));
        CommandLine serve = GammaCli.commandLine(Map.of()).getSubcommands().get("serve");
        Set<String> read = serve.getCommandSpec().options().stream().filter(ServeDefaults::configurable)
                .map(ServeDefaults::environmentName).collect(Collectors.toSet());
        for (Map<String, Object> e : env) {
            assertThat((String) e.get("name")).as("an environment variable gamma serve reads")
                    .isIn(union(read, Set.of(ServeCommand.API_KEY_ENV, "GAMMA_JAVA_OPTS")));
        }
        long drainDelay = Long.parseLong(values.getOrDefault("GAMMA_DRAIN_DELAY_S", "0"));
        long grace = Long.parseLong(values.getOrDefault("GAMMA_GRACE_S", "30"));
        int terminationGrace = at(pod, "terminationGracePeriodSeconds");
        System.out.printf("Kubernetes example: drain delay %d s + grace %d s, termination grace period %d s%n", drainDelay, grace, terminationGrace);
        assertThat(drainDelay).isPositive();
        assertThat(terminationGrace).isGreaterThan((int) (drainDelay + grace));
        assertThat(values.get("GAMMA_HOST")).isEqualTo("0.0.0.0");
        int port = Integer.parseInt(values.get("GAMMA_PORT"));
        assertThat((int) at(container, "ports", "0", "containerPort")).isEqualTo(port);
        assertThat((Map<?, ?>) at(service, "spec", "selector")).isEqualTo(at(deployment, "spec", "selector", "matchLabels"));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
