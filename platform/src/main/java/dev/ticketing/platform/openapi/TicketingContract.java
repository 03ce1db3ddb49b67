package dev.ticketing.platform.openapi;

import dev.ticketing.platform.security.AccessRule;
import dev.ticketing.platform.security.ApiAccess;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the service's operations have in common, said once: the description's info, the bearer
 * scheme and which operations need it (from {@link ApiAccess}, the rules the security filter
 * enforces), the problem+json body of every error answer, the 400/401/403 that the request's
 * validation and the security filter give, and the actuator's probes, which springdoc does not
 * see as controllers. What is particular to an operation is said on its controller.
 */
final class TicketingContract implements OpenApiCustomizer {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM = "Problem";
    private static final String FIELD_ERROR = "FieldError";
    private static final String HEALTH = "Health";

    private final String version;
    private final ApiAccess access;

    TicketingContract(String version, ApiAccess access) {
        this.version = version;
        this.access = access;
    }

    @Override
    public void customise(OpenAPI api) {
        api.info(new Info()
                        .title("Ticketing API")
                        .version(version)
                        .description("""
                                The HTTP contract of the ticketing service: organisers put events on sale in \
                                ticket tiers, buyers reserve across tiers and pay through Stripe, auditors read \
                                the event store and the ledger. docs/API.md says the same in prose.

                                Bodies are JSON; amounts are integers in the currency's minor unit, times \
                                ISO-8601 UTC instants, ids UUIDs. Every 4xx and 5xx answer is \
                                `application/problem+json` (RFC 9457) with a stable `code`. Besides the answers \
                                listed per operation, any request may get 404 `NOT_FOUND` (no such path), 405 \
                                `METHOD_NOT_ALLOWED`, 406 `NOT_ACCEPTABLE`, 415 `UNSUPPORTED_MEDIA_TYPE` or \
                                500 `INTERNAL_ERROR` (nothing was changed).""")
                        .contact(new Contact().name("Ticketing maintainers")))
                .servers(List.of(new Server().url("/")
                        .description("Where this description is served: the standalone, or a node of one side")))
                .tags(ApiTags.all());
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.components(components
                .addSecuritySchemes(OpenApiConfig.BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                        .scheme("bearer").bearerFormat("JWT")
                        .description("A JWT of the identity provider (or the dev token issuer): `sub` is the user, "
                                + "`roles` any of ORGANIZER, AUDITOR, MEMBER"))
                .addSchemas(PROBLEM, problem())
                .addSchemas(FIELD_ERROR, fieldError())
                .addSchemas(HEALTH, health()));
        // the stream's handler returns an SseEmitter, which is not its body (text/event-stream)
        if (components.getSchemas() != null) {
            components.getSchemas().remove("SseEmitter");
        }
        Paths paths = new Paths();
        if (api.getPaths() != null) {
            new TreeMap<>(api.getPaths()).forEach(paths::addPathItem);
        }
        paths.forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> complete(path, HttpMethod.valueOf(method.name()), operation)));
        actuator(paths);
        api.paths(paths);
    }

    private void complete(String path, HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        Optional<AccessRule> rule = access.of(method, path);
        AccessRule.Level level = rule.map(AccessRule::level).orElse(AccessRule.Level.PUBLIC);
        if (level == AccessRule.Level.PUBLIC) {
            // a public read that shows more to a signed-in caller declares the scheme on its controller
            if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
                List<SecurityRequirement> optional = new ArrayList<>();
                optional.add(new SecurityRequirement());
                optional.addAll(operation.getSecurity());
                operation.setSecurity(optional);
                addIfAbsent(responses, "401", "UNAUTHENTICATED: a bearer token was sent and is not valid "
                        + "(without one the call is anonymous)");
                appendDescription(operation, "Public; a bearer token is optional.");
            } else {
                operation.setSecurity(List.of());
                appendDescription(operation, "Public: no token needed.");
            }
        } else {
            operation.setSecurity(List.of(new SecurityRequirement().addList(OpenApiConfig.BEARER)));
            addIfAbsent(responses, "401", "UNAUTHENTICATED: no bearer token, or an invalid or expired one");
            if (level == AccessRule.Level.ROLE) {
                String roles = String.join(" or ", rule.get().roles());
                merge(responses, "403", "FORBIDDEN: the caller's token lacks the role " + roles);
                appendDescription(operation, "Needs a bearer token with the role " + roles + ".");
            } else {
                appendDescription(operation, "Needs a bearer token.");
            }
        }
        boolean hasInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        if (hasInput) {
            merge(responses, "400", "VALIDATION_FAILED: a malformed, missing or out-of-range value; "
                    + "`errors` names the fields");
        }
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref(ref(PROBLEM)))));
            }
        });
        operation.setResponses(sorted(responses));
    }

    /** The probes and metrics of Spring Boot's actuator, as exposed in ticketing-platform.yml. */
    private static void actuator(Paths paths) {
        paths.addPathItem("/actuator/health", probe("health", "The service's health",
                "UP when the database and the rest of what the service needs answer; the detail is not shown."));
        paths.addPathItem("/actuator/health/liveness", probe("liveness", "Liveness probe",
                "UP while the process can serve; a DOWN process should be restarted."));
        paths.addPathItem("/actuator/health/readiness", probe("readiness", "Readiness probe",
                "UP once the service has started and accepts traffic; OUT_OF_SERVICE while it starts or stops."));
        Operation prometheus = new Operation()
                .operationId("prometheus")
                .addTagsItem(ApiTags.OPERATIONS)
                .summary("Metrics for Prometheus")
                .description("The service's metrics in Prometheus' text format, among them "
                        + "`ticketing_stripe_calls_seconds{operation, outcome}` and "
                        + "`ticketing_stripe_limiter_wait_seconds{operation, granted}`. Public: no token needed.")
                .security(List.of())
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse()
                        .description("The metrics")
                        .content(new Content().addMediaType("text/plain",
                                new MediaType().schema(new StringSchema())))));
        paths.addPathItem("/actuator/prometheus", new PathItem().get(prometheus));
    }

    private static PathItem probe(String operationId, String summary, String description) {
        Content health = new Content()
                .addMediaType("application/vnd.spring-boot.actuator.v3+json", new MediaType().schema(healthRef()))
                .addMediaType("application/json", new MediaType().schema(healthRef()));
        return new PathItem().get(new Operation()
                .operationId(operationId)
                .addTagsItem(ApiTags.OPERATIONS)
                .summary(summary)
                .description(description + " Public: no token needed.")
                .security(List.of())
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("UP").content(health))
                        .addApiResponse("503", new ApiResponse().description("DOWN or OUT_OF_SERVICE")
                                .content(health))));
    }

    private static Schema<?> healthRef() {
        return new Schema<>().$ref(ref(HEALTH));
    }

    private static Schema<?> health() {
        return new ObjectSchema()
                .description("Spring Boot's health answer")
                .addRequiredItem("status")
                .addProperty("status", new StringSchema()._enum(List.of("UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN")))
                .addProperty("groups", new ArraySchema().items(new StringSchema())
                        .description("The health groups there are (liveness, readiness), on /actuator/health"));
    }

    private static Schema<?> problem() {
        return new ObjectSchema()
                .description("RFC 9457 problem details with the stable `code`; some codes add fields (`errors`, "
                        + "`tierId`, `available`, `orderId`, ...)")
                .addRequiredItem("type").addRequiredItem("title").addRequiredItem("status").addRequiredItem("code")
                .addProperty("type", new StringSchema().format("uri")
                        .description("urn:ticketing:problem: and the code in lower case, words joined by -"))
                .addProperty("title", new StringSchema().description("The HTTP status's reason phrase"))
                .addProperty("status", new IntegerSchema().description("The HTTP status"))
                .addProperty("code", new StringSchema().description("Stable machine-readable word, as docs/API.md "
                        + "lists them (VALIDATION_FAILED, TIER_SOLD_OUT, ...)"))
                .addProperty("detail", new StringSchema().description("A sentence for a person"))
                .addProperty("instance", new StringSchema().format("uri-reference").description("The request's path"))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref(ref(FIELD_ERROR)))
                        .description("VALIDATION_FAILED only: the fields at fault"))
                .additionalProperties(true);
    }

    private static Schema<?> fieldError() {
        return new ObjectSchema()
                .description("A field of the request at fault, as a path into the body (`selections[0].quantity`) "
                        + "or the name of a parameter or header")
                .addProperty("field", new StringSchema())
                .addProperty("message", new StringSchema());
    }

    private static void addIfAbsent(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description));
        }
    }

    /**
     * The common refusal and the operation's own (INVALID_SIGNATURE beside VALIDATION_FAILED, ...)
     * share the status: the common one is added unless the operation already names its code.
     */
    private static void merge(ApiResponses responses, String status, String description) {
        ApiResponse existing = responses.get(status);
        String code = description.substring(0, description.indexOf(':'));
        if (existing == null) {
            responses.addApiResponse(status, new ApiResponse().description(description));
        } else if (!existing.getDescription().contains(code)) {
            existing.setDescription(description + "; " + existing.getDescription());
        }
    }

    private static void appendDescription(Operation operation, String sentence) {
        String description = operation.getDescription();
        if (description == null || description.isBlank()) {
            operation.setDescription(sentence);
        } else if (!description.endsWith(sentence)) {
            operation.setDescription(description + "\n\n" + sentence);
        }
    }

    private static ApiResponses sorted(ApiResponses responses) {
        ApiResponses sorted = new ApiResponses();
        new TreeMap<>(responses).forEach(sorted::addApiResponse);
        sorted.setExtensions(responses.getExtensions());
        return sorted;
    }

    private static String ref(String schema) {
        return "#/components/schemas/" + schema;
    }
}
