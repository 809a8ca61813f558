package farm.render.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * RFC 9457 problem details. {@code type} is a stable URI under {@link #TYPE_BASE}; {@code field} names
 * the request field at fault; {@code errors} lists every reason when there are several.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, List<String> errors) {
    public static final String TYPE_BASE = "https://render.farm/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null);
    }

    public Problem withField(String field) {
        return new Problem(type, title, status, detail, field, errors);
    }

    public Problem withErrors(List<String> errors) {
        return new Problem(type, title, status, detail, field, List.copyOf(errors));
    }
}
