package org.gammaiqa.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} against the server's route table, read by swagger-parser: every route with its method, every
 * parameter it reads, every status it answers and its need of the API key are described, and nothing else is; taking
 * a route, a parameter or a status out of the document is caught.
 */
class OpenApiTest {
    private static GammaServer server;
    private static String document;

    @BeforeAll
    static void start() throws Exception {
        server = GammaServer.start(GammaServerTest.config());
        try (InputStream in = GammaServer.class.getResourceAsStream("openapi.json")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.shutdown(Duration.ofSeconds(1));
    }

    static OpenAPI parse(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertThat(result.getMessages()).as("swagger-parser's complaints about /openapi.json").isEmpty();
        return result.getOpenAPI();
    }

    /** What the route table has that the document lacks, and the document's paths that are no route. */
    static List<String> mismatches(OpenAPI spec, Map<String, Route> routes) {
        List<String> problems = new ArrayList<>();
        routes.forEach((path, route) -> {
            PathItem item = spec.getPaths().get(path);
            Operation op = item == null ? null : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(route.method()));
            if (op == null) {
                problems.add("route " + route.method() + " " + path + " is not described");
                return;
            }
            Set<String> parameters = op.getParameters() == null ? Set.of()
                    : op.getParameters().stream().map(Parameter::getName).collect(Collectors.toSet());
            for (String p : new TreeSet<>(route.parameters())) {
                if (!parameters.contains(p)) {
                    problems.add("parameter " + p + " of " + path + " is not described");
                }
            }
            for (int status : new TreeSet<>(route.statuses())) {
                if (op.getResponses() == null || !op.getResponses().containsKey(Integer.toString(status))) {
                    problems.add("status " + status + " of " + path + " is not described");
                }
            }
            boolean keyed = op.getSecurity() != null && op.getSecurity().stream().anyMatch(r -> r.containsKey("apiKey"));
            if (route.keyed() && !keyed) {
                problems.add(path + " needs the API key but its description does not say so");
            }
        });
        for (String path : spec.getPaths().keySet()) {
            if (!routes.containsKey(path)) {
                problems.add("the document describes " + path + ", which is no route");
            }
        }
        return problems;
    }

    @Test
    void theDocumentDescribesEveryRouteParameterAndStatus() {
        OpenAPI spec = parse(document);
        assertThat(spec.getOpenapi()).startsWith("3.");
        assertThat(mismatches(spec, server.routes())).isEmpty();
        System.out.printf("/openapi.json: %d paths, every route's parameters and statuses described%n", spec.getPaths().size());
    }

    @Test
    void aRouteParameterOrStatusMissingFromTheDocumentIsCaught() {
        OpenAPI noMap = parse(document);
        noMap.getPaths().remove("/v1/map");
        assertThat(mismatches(noMap, server.routes())).containsExactly("route POST /v1/map is not described");

        OpenAPI noPrompts = parse(document);
        noPrompts.getPaths().get("/v1/map").getPost().getParameters().removeIf(p -> p.getName().equals("prompts"));
        assertThat(mismatches(noPrompts, server.routes())).containsExactly("parameter prompts of /v1/map is not described");

        OpenAPI no401 = parse(document);
        no401.getPaths().get("/metrics").getGet().getResponses().remove("401");
        assertThat(mismatches(no401, server.routes())).containsExactly("status 401 of /metrics is not described");

        OpenAPI extra = parse(document);
        extra.getPaths().addPathItem("/v2/score", extra.getPaths().get("/v1/score"));
        assertThat(mismatches(extra, server.routes())).containsExactly("the document describes /v2/score, which is no route");
    }
}
