// bsdf.glsl: Lambertian reflection, the only material of this version.

// f = albedo / pi (pbrt-v4 DiffuseBxDF).
vec3 lambertEval(vec3 albedo) {
    return albedo * INV_PI;
}

// pdf of cosine-weighted sampling, solid-angle measure.
float lambertPdf(vec3 n, vec3 wi) {
    return max(dot(n, wi), 0.0) * INV_PI;
}
