// lights.glsl: emissive triangles, sampled uniformly by area over all of them.

struct LightSample {
    vec3 position;
    vec3 normal;      // geometric normal by winding: normalize(cross(e1, e2))
    vec3 emission;
};

// First light whose cdf exceeds u (binary search over the area cdf).
uint pickLight(float u) {
    uint lo = 0u;
    uint hi = params.lightCount - 1u;
    while (lo < hi) {
        uint mid = (lo + hi) >> 1u;
        if (lights[mid].cdf > u) {
            hi = mid;
        } else {
            lo = mid + 1u;
        }
    }
    return lo;
}

// Picking a triangle with probability area/total, then a uniform point on it, gives the
// area-measure pdf 1 / totalLightArea for every point on every light.
LightSample sampleLight(float uPick, vec2 uPoint) {
    uint tri = lights[pickLight(uPick)].triangle;
    vec2 b = sampleUniformTriangle(uPoint);
    vec3 e1 = triE1(tri);
    vec3 e2 = triE2(tri);
    LightSample s;
    s.position = triV0(tri) + b.x * e1 + b.y * e2;
    s.normal = normalize(cross(e1, e2));
    s.emission = materials[materialIds[tri]].emission.rgb;
    return s;
}

// Solid-angle pdf of having sampled a light point at distance dist seen under cosLight.
float lightPdfSolidAngle(float dist, float cosLight) {
    return (dist * dist) / (cosLight * params.totalLightArea);
}
