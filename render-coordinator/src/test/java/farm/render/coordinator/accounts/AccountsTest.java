package farm.render.coordinator.accounts;

import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Sign-up, login sessions, API tokens, the bootstrap operator and login rate limits, on the real database. */
@QuarkusTest
@WithTestResource(FarmServices.class)
class AccountsTest {
    private static final String PASSWORD = "a long enough password";

    @ConfigProperty(name = "farm.rate-limit.login.per-account.capacity")
    int loginBurst;

    private static Response signUp(String name, String password) {
        return given().contentType("application/json").body(Map.of("name", name, "password", password)).post("/api/v1/accounts");
    }

    private static Response login(String name, String password) {
        return given().contentType("application/json").body(Map.of("name", name, "password", password)).post("/api/v1/session");
    }

    @Test
    void aNewAccountHasItsLedgerAccountWithTheInitialGrantAndItsNameIsTakenAfterwards() {
        String name = TestAccounts.fresh("newcomer");
        signUp(name, PASSWORD).then().statusCode(201).body("name", equalTo(name)).body("ledgerAccount", equalTo("artist:" + name))
                .body("operator", equalTo(false));
        signUp(name, "another password").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/name-taken")).body("field", equalTo("name"));
        signUp("bad name!", PASSWORD).then().statusCode(400).body("field", equalTo("name"));
        signUp(TestAccounts.fresh("shorty"), "short").then().statusCode(400).body("field", equalTo("password"));

        String cookie = login(name, PASSWORD).then().statusCode(200).extract().cookie("farm_session");
        given().cookie("farm_session", cookie).get("/api/v1/accounts/artist:" + name).then().statusCode(200)
                .body("balance", equalTo(1_000_000_000_000L));
    }

    @Test
    void aWrongPasswordAndAnUnknownNameGetTheSame401() {
        String name = TestAccounts.fresh("careful");
        signUp(name, PASSWORD).then().statusCode(201);
        String wrongPassword = login(name, "not the password").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://render.farm/problems/bad-credentials")).extract().path("detail");
        String unknownName = login(TestAccounts.fresh("nobody"), PASSWORD).then().statusCode(401).extract().path("detail");
        assertThat(wrongPassword).isEqualTo(unknownName).doesNotContain(name);
    }

    @Test
    void loginSetsAStrictHttpOnlyCookieThatLogoutEnds() {
        String name = TestAccounts.fresh("browser");
        signUp(name, PASSWORD).then().statusCode(201);
        Response login = login(name, PASSWORD);
        login.then().statusCode(200).body("name", equalTo(name));
        String setCookie = login.getHeader("Set-Cookie");
        assertThat(setCookie).startsWith("farm_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .contains("Path=/").doesNotContain("Secure"); // plain http here; Secure over https
        String session = login.getCookie("farm_session");
        given().cookie("farm_session", session).get("/api/v1/me").then().statusCode(200).body("name", equalTo(name));

        given().cookie("farm_session", session).delete("/api/v1/session").then().statusCode(204)
                .header("Set-Cookie", startsWith("farm_session=;"));
        given().cookie("farm_session", session).get("/api/v1/me").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void aTokenIsShownOnceWorksAsBearerAndStopsWorkingWhenRevoked() {
        String name = TestAccounts.fresh("scripter");
        String session = TestAccounts.session(name);
        Response created = given().cookie("farm_session", session).contentType("application/json").body(Map.of("name", "render box"))
                .post("/api/v1/tokens");
        created.then().statusCode(201).body("token", startsWith("rf_")).body("name", equalTo("render box"));
        String token = created.path("token");
        long id = created.jsonPath().getLong("id");

        String listed = given().cookie("farm_session", session).get("/api/v1/tokens").then().statusCode(200)
                .body("find { it.id == " + id + " }.name", equalTo("render box"))
                .extract().asString();
        assertThat(listed).doesNotContain(token).doesNotContain("\"token\"");

        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200).body("name", equalTo(name));
        assertThat(given().cookie("farm_session", session).get("/api/v1/tokens").jsonPath().getString("find { it.id == " + id + " }.lastUsedAt"))
                .isNotNull();

        given().auth().oauth2(token).delete("/api/v1/tokens/" + id).then().statusCode(204);
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().cookie("farm_session", session).delete("/api/v1/tokens/" + id).then().statusCode(404);
        given().cookie("farm_session", session).get("/api/v1/tokens").then().body("id", not(org.hamcrest.Matchers.hasItem((int) id)));
        given().auth().oauth2("rf_made-up").get("/api/v1/me").then().statusCode(401);
        given().cookie("farm_session", session).contentType("application/json").body(Map.of("name", ""))
                .post("/api/v1/tokens").then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void theBootstrapTokenActsForTheOperatorAccountLocal() {
        TestAccounts.asOperator().get("/api/v1/me").then().statusCode(200).body("name", equalTo("local")).body("operator", equalTo(true));
        TestAccounts.asOperator().get("/api/v1/ledger/export").then().statusCode(200);
        TestAccounts.as(TestAccounts.fresh("artist")).get("/api/v1/ledger/export").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("https://render.farm/problems/operator-only"));
        login("local", "any password at all").then().statusCode(401); // no password: the operator signs in with its token only
    }

    @Test
    void aBurstOfLoginsBeyondTheLimitGets429WithRetryAfter() {
        String name = TestAccounts.fresh("hammered");
        signUp(name, PASSWORD).then().statusCode(201);
        List<Integer> statuses = new java.util.ArrayList<>();
        Response last = null;
        // the bucket refills slowly while the burst runs (each attempt hashes), so a few more may pass
        for (int i = 0; i <= loginBurst + 5 && (last == null || last.statusCode() != 429); i++) {
            last = login(name, "guess number " + i);
            statuses.add(last.statusCode());
        }
        assertThat(statuses.subList(0, loginBurst)).containsOnly(401);
        assertThat(last.statusCode()).as("statuses %s", statuses).isEqualTo(429);
        assertThat(last.getContentType()).startsWith("application/problem+json");
        assertThat(last.jsonPath().getString("type")).isEqualTo("https://render.farm/problems/rate-limited");
        assertThat(Integer.parseInt(last.getHeader("Retry-After"))).isPositive();
        // even the right password waits: the bucket counts attempts, not failures
        login(name, PASSWORD).then().statusCode(429);
    }
}
