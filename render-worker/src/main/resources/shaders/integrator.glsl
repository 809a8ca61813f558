// integrator.glsl: unidirectional path tracing with next-event estimation, combined with BSDF
// sampling by multiple importance sampling (Veach 1997, ch. 9; pbrt-v4 PathIntegrator::Li).

// Offsets a ray origin off the surface along the side it leaves from, scaled to the coordinates.
vec3 offsetOrigin(vec3 p, vec3 n) {
    float scale = 1e-4 * (1.0 + max(abs(p.x), max(abs(p.y), abs(p.z))));
    return p + n * scale;
}

// Radiance arriving along one camera path; bounce k is the k-th surface interaction.
vec3 pathRadiance(Ray ray, uint key) {
    vec3 radianceSum = vec3(0.0);
    vec3 throughput = vec3(1.0);
    float previousBsdfPdf = 0.0;

    for (uint bounce = 0u; ; bounce++) {
        Hit hit = closestHit(ray);
        if (hit.t == NO_HIT) {
            break;   // no environment light in this version
        }
        uint tri = hit.triangle;
        MaterialGpu material = materials[materialIds[tri]];
        vec3 geometricNormal = normalize(cross(triE1(tri), triE2(tri)));
        float cosOut = dot(geometricNormal, ray.direction);
        bool frontFace = cosOut < 0.0;
        vec3 p = ray.origin + hit.t * ray.direction;

        // Emission hit by the camera ray or by a BSDF-sampled ray, MIS-weighted against NEE.
        if (frontFace && any(greaterThan(material.emission.rgb, vec3(0.0)))) {
            float weight = 1.0;
            if (bounce > 0u && params.lightCount > 0u) {
                float lightPdf = lightPdfSolidAngle(hit.t, -cosOut);
                weight = powerHeuristic(previousBsdfPdf, lightPdf);
            }
            radianceSum += throughput * material.emission.rgb * weight;
        }
        if (bounce >= params.maxBounces) {
            break;
        }

        vec3 n = frontFace ? geometricNormal : -geometricNormal;
        vec3 origin = offsetOrigin(p, n);
        vec3 f = lambertEval(material.baseColor.rgb);

        // Next-event estimation: one point on the emissive triangles, weighted against BSDF sampling.
        if (params.lightCount > 0u) {
            LightSample ls = sampleLight(rand01(key, bounce, DIM_LIGHT_PICK),
                                         vec2(rand01(key, bounce, DIM_LIGHT_U), rand01(key, bounce, DIM_LIGHT_V)));
            vec3 toLight = ls.position - origin;
            float dist = length(toLight);
            vec3 wi = toLight / dist;
            float cosSurface = dot(n, wi);
            float cosLight = -dot(ls.normal, wi);
            if (cosSurface > 0.0 && cosLight > 0.0 && dist > 0.0) {
                Ray shadow = Ray(origin, wi);
                if (unoccluded(shadow, dist * (1.0 - 1e-4))) {
                    float lightPdf = lightPdfSolidAngle(dist, cosLight);
                    float bsdfPdf = lambertPdf(n, wi);
                    float weight = powerHeuristic(lightPdf, bsdfPdf);
                    radianceSum += throughput * f * ls.emission * (cosSurface * weight / lightPdf);
                }
            }
        }

        // BSDF sampling: cosine-weighted, so f * cos / pdf = albedo.
        vec3 wi = sampleCosineHemisphere(n, vec2(rand01(key, bounce, DIM_BSDF_U), rand01(key, bounce, DIM_BSDF_V)));
        previousBsdfPdf = lambertPdf(n, wi);
        if (previousBsdfPdf <= 0.0) {
            break;
        }
        throughput *= material.baseColor.rgb;

        // Russian roulette after three bounces (pbrt-v4 PathIntegrator, survival by max throughput).
        if (bounce >= 3u) {
            float survive = min(1.0, max(throughput.r, max(throughput.g, throughput.b)));
            if (survive <= 0.0 || rand01(key, bounce, DIM_ROULETTE) >= survive) {
                break;
            }
            throughput /= survive;
        }
        ray = Ray(origin, wi);
    }
    return radianceSum;
}
