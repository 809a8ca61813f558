// sampling.glsl: warping uniform numbers onto surfaces and directions.

const float PI = 3.14159265358979323846;
const float INV_PI = 0.31830988618379067154;

// Orthonormal basis from one unit vector (Duff et al. 2017, "Building an Orthonormal Basis, Revisited").
void orthonormalBasis(vec3 n, out vec3 t, out vec3 b) {
    float s = n.z >= 0.0 ? 1.0 : -1.0;
    float a = -rRcp(s + n.z);
    float c = n.x * n.y * a;
    t = vec3(1.0 + s * n.x * n.x * a, s * c, -s * n.x);
    b = vec3(c, s + n.y * n.y * a, -n.y);
}

// Cosine-weighted hemisphere around n via Malley's method on a concentric disk (pbrt-v4 sampling.h).
vec3 sampleCosineHemisphere(vec3 n, vec2 u) {
    vec2 o = 2.0 * u - 1.0;
    vec2 d = vec2(0.0);
    if (o.x != 0.0 || o.y != 0.0) {
        float r;
        float theta;
        if (abs(o.x) > abs(o.y)) {
            r = o.x;
            theta = (PI / 4.0) * rDiv(o.y, o.x);
        } else {
            r = o.y;
            theta = (PI / 2.0) - (PI / 4.0) * rDiv(o.x, o.y);
        }
        d = r * rCosSin(theta);
    }
    float z = rSqrt(max(0.0, 1.0 - rDot(d, d)));
    vec3 t;
    vec3 b;
    orthonormalBasis(n, t, b);
    // Unit to rounding already (|d|^2 + z^2 = 1 on an orthonormal basis), so no normalisation.
    return d.x * t + d.y * b + z * n;
}

// Uniform barycentrics on a triangle (pbrt-v4 SampleUniformTriangle, square-root form).
vec2 sampleUniformTriangle(vec2 u) {
    float su0 = rSqrt(u.x);
    return vec2(1.0 - su0, u.y * su0);
}

// Veach 1997, power heuristic with beta = 2.
float powerHeuristic(float pdfA, float pdfB) {
    float a = pdfA * pdfA;
    float b = pdfB * pdfB;
    return (a + b) > 0.0 ? rDiv(a, a + b) : 0.0;
}

// The power heuristic's weight for strategy A divided by pdfA, pdfA / (pdfA^2 + pdfB^2): the factor a sample of
// strategy A contributes by, with one division instead of two.
float powerHeuristicOverPdf(float pdfA, float pdfB) {
    float a = pdfA * pdfA;
    float b = pdfB * pdfB;
    return (a + b) > 0.0 ? rDiv(pdfA, a + b) : 0.0;
}
