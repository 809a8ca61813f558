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

// A direction around n: cosine-weighted by Malley's method on a concentric disk (pbrt-v4 sampling.h), or, when
// ggx, a GGX half vector, theta = atan(alpha sqrt(u / (1 - u))) (Walter et al. 2007, eq. 35-36). The two share
// one division, one cosine and sine and one root through selected operands: a CPU device runs both sides of a
// branch for its SIMD lanes anyway. The result is unit to rounding already (its components' squares sum to 1
// on an orthonormal basis), so it is not normalised.
vec3 sampleHemisphere(vec3 n, vec2 u, bool ggx, float alpha2) {
    vec2 o = 2.0 * u - 1.0;
    bool wide = abs(o.x) > abs(o.y);
    float r = wide ? o.x : o.y;
    float q = rDiv(ggx ? alpha2 * u.x : (wide ? o.y : o.x), ggx ? max(1.0 - u.x, 1e-7) : r);
    float cosTheta = rRsqrt(1.0 + q);
    vec2 cs = rCosSin(ggx ? 2.0 * PI * u.y : (wide ? (PI / 4.0) * q : (PI / 2.0) - (PI / 4.0) * q));
    vec2 d = (o.x != 0.0 || o.y != 0.0) ? r * cs : vec2(0.0);
    float root = rSqrt(max(0.0, ggx ? 1.0 - cosTheta * cosTheta : 1.0 - rDot(d, d)));
    vec2 e = ggx ? root * cs : d;
    float c = ggx ? cosTheta : root;
    vec3 t;
    vec3 b;
    orthonormalBasis(n, t, b);
    return e.x * t + e.y * b + c * n;
}

vec3 sampleCosineHemisphere(vec3 n, vec2 u) {
    return sampleHemisphere(n, u, false, 0.0);
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
