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

// v * 2^e for a positive normal v, exactly, by the exponent bits; zero when the result would be denormal.
float rScale(float v, int e) {
    int exponent = (floatBitsToInt(v) >> 23) + e;
    return exponent <= 0 ? 0.0 : intBitsToFloat(floatBitsToInt(v) + (e << 23));
}

// 1 / x: the mantissa m in [1, 2) by a linear seed (max error 1/17) and three Newton steps, the exponent by
// integer arithmetic. 0 and denormals give infinity of their sign, results below 2^-126 zero of their sign.
float rRcp(float x) {
    uint bits = floatBitsToUint(x);
    uint sign = bits & 0x80000000u;
    uint magnitude = bits & 0x7fffffffu;
    if (magnitude < 0x00800000u) {
        return rInfinity(sign);
    }
    if (magnitude >= 0x7f800000u) {
        return magnitude == 0x7f800000u ? uintBitsToFloat(sign) : x;
    }
    int e = int(magnitude >> 23u) - 127;
    float m = uintBitsToFloat((magnitude & 0x007fffffu) | 0x3f800000u);
    float r = 1.4117647058823529 - 0.47058823529411765 * m;
    r = r * (2.0 - m * r);
    r = r * (2.0 - m * r);
    r = r * (2.0 - m * r);
    return uintBitsToFloat(floatBitsToUint(rScale(r, -e)) | sign);
}

vec3 rRcp(vec3 v) {
    return vec3(rRcp(v.x), rRcp(v.y), rRcp(v.z));
}

// Zero of x's sign where |x| is below 2^-126, else x.
float rFlush(float x) {
    return abs(x) < R_MIN_NORMAL ? uintBitsToFloat(floatBitsToUint(x) & 0x80000000u) : x;
}

// a / b as a times 1 / b, flushed.
float rDiv(float a, float b) {
    return rFlush(a * rRcp(b));
}

// x = m * 2^(2h) with m in [1, 4), for a positive normal x.
float rSplitEven(float x, out int h) {
    int bits = floatBitsToInt(x);
    int e = (bits >> 23) - 127;
    int odd = e & 1;
    h = (e - odd) >> 1;
    return intBitsToFloat((bits & 0x007fffff) | ((127 + odd) << 23));
}

// 1 / sqrt(m) for m in [1, 4): the bit-trick seed (Lomont 2003, max error 3.4%) and three Newton steps.
float rRsqrtMantissa(float m) {
    float r = uintBitsToFloat(0x5f375a86u - (floatBitsToUint(m) >> 1u));
    float half_m = 0.5 * m;
    r = r * (1.5 - half_m * r * r);
    r = r * (1.5 - half_m * r * r);
    r = r * (1.5 - half_m * r * r);
    return r;
}

// 1 / sqrt(x); infinity for 0 and denormals, 0 for negative x.
float rRsqrt(float x) {
    if (!(x >= R_MIN_NORMAL)) {
        return x < 0.0 ? 0.0 : rInfinity(0u);
    }
    if (x > 3.4028234e38) {
        return 0.0;
    }
    int h;
    float m = rSplitEven(x, h);
    return rScale(rRsqrtMantissa(m), -h);
}

// sqrt(x) = m / sqrt(m) scaled, with one correction step; 0 for x below 2^-126 (negative x too).
float rSqrt(float x) {
    if (!(x >= R_MIN_NORMAL)) {
        return 0.0;
    }
    if (x > 3.4028234e38) {
        return x;
    }
    int h;
    float m = rSplitEven(x, h);
    float r = rRsqrtMantissa(m);
    float s = m * r;
    s = s + (0.5 * r) * (m - s * s);
    return rScale(s, h);
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
    return rFlush(vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x));
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

// sin of quadrant (k + shift) of x: Cody-Waite reduction by pi/2 in three parts (Cephes sinf constants, exact
// products for |k| < 2^15), then Cephes' minimax polynomials on [-pi/4, pi/4].
float rSinShifted(float x, uint shift) {
    float k = floor(x * 0.63661977236758134 + 0.5);
    float r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.54978995489188216e-8;
    float z = r * r;
    float s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
    float c = (1.0 - 0.5 * z) + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
    uint q = (uint(int(k)) + shift) & 3u;
    float v = (q & 1u) == 0u ? s : c;
    return (q & 2u) == 0u ? v : -v;
}

float rSin(float x) {
    return rSinShifted(x, 0u);
}

float rCos(float x) {
    return rSinShifted(x, 1u);
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
