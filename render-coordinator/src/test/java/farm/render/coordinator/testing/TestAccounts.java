package farm.render.coordinator.testing;

import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;

/**
 * Accounts for tests, made the way a user makes them: sign up, sign in, create an API token. Each
 * name is signed up once per test JVM; {@link #as(String)} sends that account's token.
 */
public final class TestAccounts {
    public static final String PASSWORD = "correct horse battery staple";
    /** The bootstrap operator's token, as {@link FarmServices} configures it; its account is {@code local}. */
    public static final String OPERATOR_TOKEN = "rf_test-operator-" + UUID.randomUUID();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private TestAccounts() {
    }

    /** A name no other test uses: {@code prefix-xxxxxxxx}. */
    public static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The API token of account {@code name} ({@code artist:} prefix allowed), signing it up on first use. */
    public static String token(String name) {
        String bare = name.startsWith("artist:") ? name.substring("artist:".length()) : name;
        return TOKENS.computeIfAbsent(bare, TestAccounts::signUp);
    }

    /** A request that authenticates as {@code name}. */
    public static RequestSpecification as(String name) {
        return given().auth().oauth2(token(name));
    }

    /** A request as the bootstrap operator {@code local}. */
    public static RequestSpecification asOperator() {
        return given().auth().oauth2(OPERATOR_TOKEN);
    }

    /** The session cookie of a fresh login of {@code name}. */
    public static String session(String name) {
        token(name);
        return given().contentType("application/json").body(Map.of("name", name, "password", PASSWORD))
                .post("/api/v1/session").then().statusCode(200).extract().cookie("farm_session");
    }

    private static String signUp(String name) {
        given().contentType("application/json").body(Map.of("name", name, "password", PASSWORD))
                .post("/api/v1/accounts").then().statusCode(201);
        String cookie = given().contentType("application/json").body(Map.of("name", name, "password", PASSWORD))
                .post("/api/v1/session").then().statusCode(200).extract().cookie("farm_session");
        return given().cookie("farm_session", cookie).contentType("application/json").body(Map.of("name", "tests"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }
}
