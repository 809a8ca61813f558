package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Authentication;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;

/**
 * Declares how callers authenticate (a bearer API token or the browser's session cookie), requires one
 * of them on every operation but those marked open ({@code security: []}: sign-up and login), and
 * documents their 401 and 403.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class SecurityDocsFilter implements OASFilter {
    static final String BEARER = "bearer";
    static final String SESSION = "session";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("An API token (rf_…) from POST /api/v1/tokens, as 'Authorization: Bearer TOKEN'"));
        openAPI.getComponents().addSecurityScheme(SESSION, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.COOKIE).name(Authentication.SESSION_COOKIE)
                .description("The browser session cookie set by POST /api/v1/session"));
        openAPI.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(BEARER),
                OASFactory.createSecurityRequirement().addScheme(SESSION)));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            if (path.getOperations() == null) {
                continue;
            }
            for (Operation op : path.getOperations().values()) {
                boolean open = op.getSecurity() != null && op.getSecurity().isEmpty();
                if (open) {
                    continue;
                }
                if (op.getResponses() == null) {
                    op.setResponses(OASFactory.createAPIResponses());
                }
                if (op.getResponses().getAPIResponse("401") == null) {
                    op.getResponses().addAPIResponse("401", OASFactory.createAPIResponse()
                            .description("No valid session cookie or API token (WWW-Authenticate: Bearer)")
                            .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Problem")))));
                }
            }
        }
    }
}
