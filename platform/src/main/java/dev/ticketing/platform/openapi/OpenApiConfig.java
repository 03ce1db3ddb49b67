package dev.ticketing.platform.openapi;

import dev.ticketing.platform.security.ApiAccess;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The service's OpenAPI description: springdoc's group {@value #GROUP} (the {@code /api} paths,
 * completed by {@link TicketingContract}), also served at {@code /v3/api-docs}. Other groups, such
 * as the Stripe stand-in's, are declared where their controllers are.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:ticketing-version.properties")
public class OpenApiConfig implements WebMvcConfigurer {

    public static final String GROUP = "ticketing";
    /** The bearer (JWT) security scheme's name. */
    public static final String BEARER = "bearer";

    private final String apiDocsPath;

    public OpenApiConfig(@Value("${springdoc.api-docs.path:/v3/api-docs}") String apiDocsPath) {
        this.apiDocsPath = apiDocsPath;
    }

    @Bean
    GroupedOpenApi ticketingApi(@Value("${ticketing.version}") String version, ApiAccess access) {
        return GroupedOpenApi.builder()
                .group(GROUP)
                .pathsToMatch("/api/**")
                .addOpenApiCustomizer(new TicketingContract(version, access))
                .build();
    }

    /**
     * springdoc's own {@code /v3/api-docs} would describe every controller without the group's
     * customizer (the stand-in's paths mixed in, no security, no errors); it is switched off
     * ({@code springdoc.enable-default-api-docs}) and the path answers with the service's group.
     */
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController(apiDocsPath).setViewName("forward:" + apiDocsPath + "/" + GROUP);
        registry.addViewController(apiDocsPath + ".yaml").setViewName("forward:" + apiDocsPath + ".yaml/" + GROUP);
    }
}
