// repro.glsl: arithmetic that gives the same bits on every Vulkan device. Vulkan rounds add, subtract and
// multiply correctly (and the compiled module marks every operation NoContraction, so none is fused), but
// leaves division, square roots, the transcendental built-ins and the order of a built-in's steps to each
// implementation. These replace them with add, multiply and integer operations in a fixed order. Inputs and
// results below 2^-126 are flushed to zero here, so a device's denormal mode cannot change a result.
// Error bounds, measured against StrictMath by ReproArithmeticTest, are listed in docs/renderer/README.md.

const float R_MIN_NORMAL = 1.17549435e-38;   // 2^-126
const float R_PI = 3.14159265358979323846;

float rInfinity(uint sign) {
    return uintBitsToFloat(sign | 0x7f800000u);
}

// 1 / x: the bit-trick seed 0x7ef311c3 - bits (max error 5.1%) and three Newton steps. 0 and denormals give
// infinity of their sign, |x| >= 2^125 zero of its sign (its reciprocal would be near the denormals).
// Selects rather than branches: lavapipe runs both sides of a branch anyway.
float rRcp(float x) {
    uint bits = floatBitsToUint(x);
    uint magnitude = bits & 0x7fffffffu;
    float a = uintBitsToFloat(magnitude);
    float r = uintBitsToFloat(0x7ef311c3u - magnitude);
    r = r * (2.0 - a * r);
    r = r * (2.0 - a * r);
    // The last step as r + r (1 - a r): 1 - a r is exact, so a result such as 1/2 comes out exact.
    r = r + r * (1.0 - a * r);
#ifdef R_PERTURB_LAST_BIT
    r = uintBitsToFloat(floatBitsToUint(r) ^ 1u); // test-only: another numerical class (PerturbedArithmetic)
#endif
    uint y = magnitude < 0x00800000u ? 0x7f800000u : floatBitsToUint(r);
    y = magnitude >= 0x7e000000u ? (magnitude > 0x7f800000u ? magnitude : 0u) : y;
    return uintBitsToFloat(y | (bits & 0x80000000u));
}

vec3 rRcp(vec3 v) {
    return vec3(rRcp(v.x), rRcp(v.y), rRcp(v.z));
}

// 1 / sqrt of x in [2^-64, 2^128): the bit-trick seed and one modified Newton step (Moroz et al. 2018,
// "Fast calculation of inverse square root with the use of magic constant", max error 6.5e-4), then one
// Newton step (max error 7.6e-7).
float rRsqrtScaled(float x) {
    float r = uintBitsToFloat(0x5f1ffff9u - (floatBitsToUint(x) >> 1u));
    r = 0.703952253 * r * (2.38924456 - x * r * r);
    r = r + r * (0.5 - 0.5 * x * r * r);
    return r;
}

// x scaled by 2^64 when it is below 2^-64, so no step of a root meets a denormal.
const float R_TWO_M64 = 5.42101086242752217e-20;
const float R_TWO_64 = 1.8446744073709551616e19;
const float R_TWO_M32 = 2.3283064365386963e-10;
const float R_TWO_32 = 4294967296.0;

// 1 / sqrt(x); infinity for 0 and denormals, 0 for negative x.
float rRsqrt(float x) {
    bool small = x < R_TWO_M64;
    float r = rRsqrtScaled(small ? x * R_TWO_64 : x);
    r = small ? r * R_TWO_32 : r;
    return x >= R_MIN_NORMAL ? r : (x < 0.0 ? 0.0 : rInfinity(0u));
}

// sqrt(x) = x / sqrt(x) with one correction step; 0 for x below 2^-126 (negative x too).
float rSqrt(float x) {
    bool small = x < R_TWO_M64;
    float xs = small ? x * R_TWO_64 : x;
    float r = rRsqrtScaled(xs);
    float s = xs * r;
    s = s + (0.5 * r) * (xs - s * s);
    s = small ? s * R_TWO_M32 : s;
    return x >= R_MIN_NORMAL ? s : 0.0;
}

// Zero of x's sign where |x| is below 2^-126, else x.
float rFlush(float x) {
    return abs(x) < R_MIN_NORMAL ? uintBitsToFloat(floatBitsToUint(x) & 0x80000000u) : x;
}

// a / b as a times 1 / b, flushed.
float rDiv(float a, float b) {
    return rFlush(a * rRcp(b));
}

vec3 rFlush(vec3 v) {
    return vec3(rFlush(v.x), rFlush(v.y), rFlush(v.z));
}

// Dot products summed from the left, as written, flushed.
float rDot(vec2 a, vec2 b) {
    return rFlush(a.x * b.x + a.y * b.y);
}

float rDot(vec3 a, vec3 b) {
    return rFlush((a.x * b.x + a.y * b.y) + a.z * b.z);
}

float rLength(vec3 v) {
    return rSqrt(rDot(v, v));
}

vec3 rNormalize(vec3 v) {
    return rFlush(v * rRsqrt(rDot(v, v)));
}

vec3 rCross(vec3 a, vec3 b) {
    return vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}

// GLSL reflect: i - 2 (n.i) n.
vec3 rReflect(vec3 i, vec3 n) {
    return i - (2.0 * rDot(n, i)) * n;
}

// GLSL mix: x (1 - a) + y a.
vec3 rMix(vec3 x, vec3 y, float a) {
    return x * (1.0 - a) + y * a;
}

vec4 rMix(vec4 x, vec4 y, float a) {
    return x * (1.0 - a) + y * a;
}

// (cos x, sin x): Cody-Waite reduction by pi/2 in three parts (Cephes sinf constants, exact products for
// |k| < 2^15), Cephes' minimax polynomials on [-pi/4, pi/4], then the quadrant's swap and signs.
vec2 rCosSin(float x) {
    float k = floor(x * 0.63661977236758134 + 0.5);
    float r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.54978995489188216e-8;
    float z = r * r;
    float s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
    float c = (1.0 - 0.5 * z) + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
    uint q = uint(int(k)) & 3u;
    vec2 v = (q & 1u) == 0u ? vec2(c, s) : vec2(s, c);
    return vec2(q == 1u || q == 2u ? -v.x : v.x, q >= 2u ? -v.y : v.y);
}

float rSin(float x) {
    return rCosSin(x).y;
}

float rCos(float x) {
    return rCosSin(x).x;
}

// atan(a) for a in [0, 1] (Cephes atanf: reduction at tan(pi/8), then its degree-9 odd polynomial).
float rAtanUnit(float a) {
    bool upper = a > 0.41421356237309505;
    float x = upper ? rDiv(a - 1.0, a + 1.0) : a;
    float z = x * x;
    float p = (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z - 3.33329491539e-1) * z * x + x;
    return upper ? 0.78539816339744831 + p : p;
}

// atan(y, x) in [-pi, pi]; 0 for (0, 0).
float rAtan2(float y, float x) {
    float ax = abs(x);
    float ay = abs(y);
    float hi = max(ax, ay);
    if (hi == 0.0) {
        return 0.0;
    }
    float a = rAtanUnit(rDiv(min(ax, ay), hi));
    a = ay > ax ? 1.5707963267948966 - a : a;
    a = x < 0.0 ? R_PI - a : a;
    return y < 0.0 ? -a : a;
}

// acos(x) for x in [-1, 1] as atan(sqrt((1 - x)(1 + x)), x).
float rAcos(float x) {
    return rAtan2(rSqrt((1.0 - x) * (1.0 + x)), x);
}

// log2(x): the exponent bits plus log2 of the mantissa m in [sqrt(1/2), sqrt(2)) by the series
// 2 atanh(t) / ln 2, t = (m - 1) / (m + 1); minus infinity below 2^-126.
float rLog2(float x) {
    if (!(x >= R_MIN_NORMAL)) {
        return rInfinity(0x80000000u);
    }
    int bits = floatBitsToInt(x);
    int e = (bits >> 23) - 127;
    int mantissa = (bits & 0x007fffff) | 0x3f800000;
    if (mantissa > 0x3fb504f3) {
        mantissa -= 0x00800000;
        e += 1;
    }
    float m = intBitsToFloat(mantissa);
    float t = rDiv(m - 1.0, m + 1.0);
    float z = t * t;
    float s = t * (2.0 + z * (0.66666666666666667 + z * (0.4 + z * (0.28571428571428571 + z * 0.22222222222222222))));
    return float(e) + s * 1.4426950408889634;
}

// v * 2^e for a positive normal v, exactly, by the exponent bits; zero when the result would be denormal.
float rScale(float v, int e) {
    int exponent = (floatBitsToInt(v) >> 23) + e;
    return exponent <= 0 ? 0.0 : intBitsToFloat(floatBitsToInt(v) + (e << 23));
}

// 2^x: 2^n by the exponent bits times 2^f, |f| <= 1/2, by its degree-7 Taylor polynomial; 0 below 2^-126.
float rExp2(float x) {
    if (x >= 128.0) {
        return rInfinity(0u);
    }
    if (!(x >= -126.0)) {
        return 0.0;
    }
    float n = floor(x + 0.5);
    float f = x - n;
    float p = 1.0 + f * (0.6931471805599453 + f * (0.2402265069591007 + f * (0.05550410866482158
            + f * (0.009618129107628477 + f * (0.0013333558146428443 + f * (1.5403530393381606e-4
            + f * 1.525273380405984e-5))))));
    return rScale(p, int(n));
}

// x^y for x > 0 as 2^(y log2 x); 0 for x <= 0.
float rPow(float x, float y) {
    return x > 0.0 ? rExp2(y * rLog2(x)) : 0.0;
}
