package dev.ticketing.stripestandin;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.models.GroupedOpenApi;

import java.util.List;
import java.util.TreeMap;

/**
 * The stand-in's own OpenAPI group, apart from the service's contract: Stripe's paths it speaks
 * (Stripe's API reference is their contract) and its test controls. What the operations share is
 * said here; each one's summary is on {@link StripeStandinController}.
 */
final class StripeStandinApiDocs implements OpenApiCustomizer {

    static final String GROUP = "stripe-standin";
    private static final String API_TAG = "Stripe API";
    private static final String TEST_TAG = "Test controls";
    private static final String KEY = "stripeKey";
    private static final String ERROR = "StripeError";

    private final String version;

    private StripeStandinApiDocs(String version) {
        this.version = version;
    }

    static GroupedOpenApi group(String version) {
        return GroupedOpenApi.builder()
                .group(GROUP)
                .pathsToMatch("/stripe-emulator/**")
                .addOpenApiCustomizer(new StripeStandinApiDocs(version))
                .build();
    }

    @Override
    public void customise(OpenAPI api) {
        api.info(new Info()
                        .title("Stripe stand-in")
                        .version(version)
                        .description("""
                                The offline stand-in of Stripe's API that the standalone serves when no Stripe key \
                                is configured: Stripe's own paths and form-encoded parameters under \
                                /stripe-emulator (see Stripe's API reference for their bodies), its rate limits, \
                                signed webhooks to the app; and test controls. Not part of the ticketing service's \
                                contract.""")
                        .contact(new Contact().name("Ticketing maintainers")))
                .servers(List.of(new Server().url("/").description("The standalone that serves the stand-in")))
                .tags(List.of(
                        new Tag().name(API_TAG).description("Stripe's paths: server-side calls authenticate with any "
                                + "`Bearer sk_test_...` key, browser calls with the publishable key and the "
                                + "intent's `client_secret`; over the rate limits `429` (`rate_limit`)"),
                        new Tag().name(TEST_TAG).description("Controls for reproducing what Stripe does in the wild; "
                                + "no key needed")));
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.components(components
                .addSecuritySchemes(KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A secret key `sk_test_...`, or (browser calls) a publishable key `pk_test_...`"))
                .addSchemas(ERROR, new ObjectSchema()
                        .description("Stripe's error body: `{\"error\": {\"type\", \"code\", \"message\", \"param\"}}`")
                        .addProperty("error", new ObjectSchema()
                                .addProperty("type", new StringSchema())
                                .addProperty("code", new StringSchema())
                                .addProperty("message", new StringSchema())
                                .addProperty("param", new StringSchema()))));
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation ->
                complete(operation, path.startsWith("/stripe-emulator/test/"))));
    }

    private static void complete(Operation operation, boolean testControl) {
        operation.setTags(List.of(testControl ? TEST_TAG : API_TAG));
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        // the handlers answer Stripe's JSON as a String: the object is Stripe's
        responses.addApiResponse("200", new ApiResponse().description("Stripe's object")
                .content(json(new ObjectSchema())));
        responses.addApiResponse("400", error("invalid_request_error: a parameter missing or refused"));
        responses.addApiResponse("404", error("resource_missing: no such object"));
        if (testControl) {
            operation.setSecurity(List.of());
        } else {
            operation.setSecurity(List.of(new SecurityRequirement().addList(KEY)));
            responses.addApiResponse("401", error("authentication_error: no key, or one not allowed here"));
            if ("confirmPaymentIntent".equals(operation.getOperationId())) {
                responses.addApiResponse("402", error("card_error: the card was declined"));
            }
            responses.addApiResponse("429", error("rate_limit: over Stripe's test-mode rate limits; nothing changed"));
        }
        ApiResponses sorted = new ApiResponses();
        new TreeMap<>(responses).forEach(sorted::addApiResponse);
        operation.setResponses(sorted);
    }

    private static ApiResponse error(String description) {
        return new ApiResponse().description(description)
                .content(json(new Schema<>().$ref("#/components/schemas/" + ERROR)));
    }

    private static Content json(Schema<?> schema) {
        return new Content().addMediaType("application/json", new MediaType().schema(schema));
    }
}
