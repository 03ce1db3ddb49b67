package dev.ticketing.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.platform.testing.ApiClient;
import dev.ticketing.standalone.StandaloneOnPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The OpenAPI description is the contract: Spectral's OpenAPI rules find nothing in it, and it has
 * the operations and status codes docs/API.md names, no more and no fewer. Dev tokens on, as in
 * the standalone, whose description has the dev token issuer.
 */
@TestPropertySource(properties = "ticketing.security.dev-tokens.enabled=true")
class OpenApiContractTest extends StandaloneOnPostgres {

    /** Pinned: a new Spectral with a new rule must not fail a build nobody changed. Verified on Node.js 20. */
    static final String SPECTRAL = "@stoplight/spectral-cli@6.16.3";
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();   // Surefire runs in deploy/
    private static final Path OUT = Path.of("target", "openapi");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theServiceAndTheStandinAreGroupsApart() throws IOException {
        JsonNode service = description("ticketing");
        assertThat(JSON.readTree(fetch("/v3/api-docs"))).as("/v3/api-docs answers the service's group")
                .isEqualTo(service);
        assertThat(fetch("/v3/api-docs.yaml")).contains("title: Ticketing API");
        assertThat(service.path("info").path("title").asText()).isEqualTo("Ticketing API");
        assertThat(service.path("info").path("version").asText()).as("the project's version")
                .matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(service.path("components").path("securitySchemes").path("bearer").path("bearerFormat").asText())
                .isEqualTo("JWT");
        service.path("paths").fieldNames().forEachRemaining(path -> {
            assertThat(path).doesNotStartWith("/stripe-emulator");
            // the probes are described by hand (TicketingContract): they must be there; not the metrics,
            // whose export Spring Boot's tests switch off
            if (path.startsWith("/actuator/health")) {
                assertThat(api.get(path, null).status()).as(path).isEqualTo(200);
            }
        });
        description("stripe-standin").path("paths").fieldNames()
                .forEachRemaining(path -> assertThat(path).startsWith("/stripe-emulator/"));
        assertThat(fetch("/v3/api-docs/swagger-config"))
                .contains("/v3/api-docs/ticketing", "/v3/api-docs/stripe-standin");
    }

    @Test
    void spectralFindsNothingToWarnAbout() throws Exception {
        Files.createDirectories(OUT);
        List<String> command = new ArrayList<>(List.of("npx", "--yes", SPECTRAL, "lint", "--fail-severity=warn",
                "--ruleset", ROOT.resolve(".spectral.yaml").toString()));
        for (String group : List.of("ticketing", "stripe-standin")) {
            command.add(write(group, description(group)).toString());
        }
        Path output = OUT.resolve("spectral.txt");
        ProcessBuilder spectral = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        spectral.environment().put("npm_config_update_notifier", "false");
        spectral.environment().put("npm_config_fund", "false");
        Process process;
        try {
            process = spectral.start();
        } catch (IOException noNpx) {
            throw new AssertionError("No npx: the OpenAPI description is linted with Spectral, run by npx. Install "
                    + "Node.js (18.18 or later) with npm, which fetches " + SPECTRAL + " from the npm registry", noNpx);
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("Spectral did not finish in 5 minutes:\n" + Files.readString(output));
        }
        String report = Files.readString(output);
        assertThat(process.exitValue()).as("%s exit code; its report:\n%s", String.join(" ", command), report).isZero();
        assertThat(report).as("Spectral's report").contains("No results with a severity of 'warn' or higher found");
    }

    @Test
    void theOperationsAndStatusCodesAreThoseOfApiMd() throws IOException {
        ApiMd doc = ApiMd.read(ROOT.resolve("docs/API.md"));
        List<String> problems = new ArrayList<>(doc.problems());
        Map<String, JsonNode> described = new java.util.TreeMap<>();
        for (String group : List.of("ticketing", "stripe-standin")) {
            description(group).path("paths").fields().forEachRemaining(path -> path.getValue().fields()
                    .forEachRemaining(op -> described.put(ApiMd.key(op.getKey(), path.getKey()), op.getValue())));
        }
        Map<String, ApiMd.Endpoint> documented = doc.endpoints();
        for (String operation : described.keySet()) {
            if (!documented.containsKey(operation)) {
                problems.add(operation + " is in the OpenAPI description, not in docs/API.md");
            }
        }
        for (ApiMd.Endpoint endpoint : documented.values()) {
            JsonNode operation = described.get(endpoint.key());
            if (operation == null) {
                problems.add(endpoint.key() + " (docs/API.md line " + endpoint.line() + ") is not in the OpenAPI "
                        + "description");
                continue;
            }
            JsonNode responses = operation.path("responses");
            for (String status : endpoint.statuses()) {
                if (!responses.has(status)) {
                    problems.add(endpoint.key() + ": docs/API.md (line " + endpoint.line() + ") gives " + status
                            + ", the description's responses are " + names(responses));
                }
            }
            endpoint.codes().forEach((code, status) -> {
                if (!responses.path(status).path("description").asText().contains(code)) {
                    problems.add(endpoint.key() + ": docs/API.md (line " + endpoint.line() + ") names " + code
                            + ", which the description's " + status + " answer does not");
                }
            });
        }
        assertThat(documented).as("endpoints read from docs/API.md").hasSizeGreaterThan(30);
        assertThat(problems).as("docs/API.md against the OpenAPI description").isEmpty();
    }

    private JsonNode description(String group) throws IOException {
        return JSON.readTree(fetch("/v3/api-docs/" + group));
    }

    private String fetch(String path) {
        ApiClient.Response response = api.get(path, null);
        assertThat(response.status()).as(path).isEqualTo(200);
        return response.raw().body();
    }

    private static Path write(String group, JsonNode description) throws IOException {
        Path file = OUT.resolve(group + ".json").toAbsolutePath();
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(description),
                StandardCharsets.UTF_8);
        return file;
    }

    private static String names(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.stream().collect(Collectors.joining(", ", "[", "]"));
    }
}
