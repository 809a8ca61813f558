package farm.render.coordinator.api;

import farm.render.coordinator.testing.FarmServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.ws.rs.HttpMethod;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the served OpenAPI document true: every JAX-RS endpoint in the coordinator is in it and nothing
 * else is; each operation has a summary, a success response with a schema, and problem+json errors.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class OpenApiDocumentTest {

    @Test
    void everyEndpointIsDocumentedAndEveryDocumentedEndpointExists() throws Exception {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        TreeSet<String> documented = new TreeSet<>();
        paths.forEach((path, ops) -> ops.keySet().stream()
                .filter(m -> Stream.of("get", "put", "post", "delete", "patch", "head", "options").anyMatch(m::equals))
                .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path)));

        assertThat(documented).isEqualTo(endpoints());
        assertThat(documented).contains("POST /api/v1/jobs", "GET /api/v1/jobs", "POST /api/v1/quotes", "POST /api/v1/scenes",
                "GET /api/v1/jobs/{id}/events", "GET /api/v1/jobs/{id}/frames/{frame}.png",
                "GET /api/v1/jobs/{id}/frames/{frame}.exr", "POST /api/v1/jobs/{id}/frames/{frame}/reject");
    }

    @Test
    void everyOperationHasASummaryASuccessSchemaAndProblemResponses() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        assertThat(doc.getMap("components.schemas")).containsKeys("Problem", "JobStatus", "JobRequest", "JobPage", "QuoteEstimate",
                "SceneRecord");
        paths.forEach((path, ops) -> ops.forEach((method, op) -> {
            String name = method.toUpperCase(Locale.ROOT) + " " + path;
            assertThat(op.get("summary")).as("summary of %s", name).isNotNull();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) op.get("responses");
            assertThat(responses).as("responses of %s", name).isNotNull();
            assertThat(responses.keySet()).as("responses of %s", name).anyMatch(code -> code.startsWith("2"));
            assertThat(responses.keySet()).as("responses of %s", name).contains("500", "503");
            responses.forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    assertThat(response.get("content")).as("content of %s %s: %s", name, code, response).isNotNull();
                    assertThat(((Map<?, ?>) response.get("content")).keySet().stream().map(String::valueOf).toList()).as("%s %s", name, code).containsOnly("application/problem+json");
                }
            });
            if (path.contains("{")) {
                assertThat(responses).as("responses of %s", name).containsKey("404");
            }
        }));
        assertThat(doc.getString("paths.'/api/v1/jobs'.post.responses.'409'.description")).contains("Idempotency-Key");
        assertThat(doc.getList("paths.'/api/v1/jobs'.post.parameters.name")).contains("Idempotency-Key").doesNotContain("X-Account");
        assertThat(doc.getList("paths.'/api/v1/jobs'.get.parameters.name")).contains("limit", "cursor");
    }

    @Test
    void theDocumentSaysHowToAuthenticateAndWhichOperationsAreOpen() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getString("components.securitySchemes.bearer.type")).isEqualTo("http");
        assertThat(doc.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
        assertThat(doc.getString("components.securitySchemes.session.type")).isEqualTo("apiKey");
        assertThat(doc.getString("components.securitySchemes.session.in")).isEqualTo("cookie");
        assertThat(doc.getString("components.securitySchemes.session.name")).isEqualTo("farm_session");
        assertThat(doc.getList("security")).hasSize(2);
        assertThat(doc.getList("paths.'/api/v1/accounts'.post.security")).isEmpty();
        assertThat(doc.getList("paths.'/api/v1/session'.post.security")).isEmpty();
        assertThat(doc.getMap("paths.'/api/v1/jobs'.post.responses")).containsKeys("401", "429");
        assertThat(doc.getMap("paths.'/api/v1/session'.post.responses")).doesNotContainKey("403");
    }

    /** "METHOD /path" for every resource method of every JAX-RS resource class the coordinator compiles. */
    static TreeSet<String> endpoints() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(JobResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
                jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
                if (base == null) {
                    continue;
                }
                for (Method m : type.getDeclaredMethods()) {
                    String http = httpMethod(m);
                    if (http == null) {
                        continue;
                    }
                    jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                    out.add(http + " " + join(base.value(), sub == null ? "" : sub.value()));
                }
            }
        }
        return out;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
