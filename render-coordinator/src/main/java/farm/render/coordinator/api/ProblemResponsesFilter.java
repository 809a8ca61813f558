package farm.render.coordinator.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.Map;

/**
 * Documents the problem responses every endpoint shares, so no operation can forget them: 400 where a
 * request carries a body or parameters, 404 where the path names something, 500 and 503 everywhere.
 * An operation's own {@code @APIResponse} for the same code wins.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesFilter implements OASFilter {
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        if (openAPI.getComponents().getSchemas() == null || !openAPI.getComponents().getSchemas().containsKey("Problem")) {
            openAPI.getComponents().addSchema("Problem", problemSchema());
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (path.getValue().getOperations() == null) {
                continue;
            }
            for (Operation op : path.getValue().getOperations().values()) {
                if (op.getResponses() == null) {
                    op.setResponses(OASFactory.createAPIResponses());
                }
                APIResponses responses = op.getResponses();
                boolean hasInput = op.getRequestBody() != null || (op.getParameters() != null && !op.getParameters().isEmpty());
                if (hasInput) {
                    add(responses, "400", "The request is malformed or invalid; the problem names the field at fault");
                }
                if (path.getKey().contains("{")) {
                    add(responses, "404", "Nothing here by that name");
                }
                add(responses, "500", "The coordinator failed unexpectedly");
                add(responses, "503", "A service the coordinator depends on is unavailable; try again");
            }
        }
    }

    private static void add(APIResponses responses, String code, String description) {
        org.eclipse.microprofile.openapi.models.responses.APIResponse existing = responses.getAPIResponse(code);
        if (existing == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description).content(problem()));
        } else if (existing.getContent() == null) {
            // generated ones (e.g. the automatic 400 for parameters) carry no body: every error here is a problem
            existing.setDescription(description);
            existing.setContent(problem());
        }
    }

    private static org.eclipse.microprofile.openapi.models.media.Content problem() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem: a stable type URI, a human detail and the field at fault")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
    }
}
