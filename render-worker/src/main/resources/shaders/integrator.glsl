// integrator.glsl: unidirectional path tracing with next-event estimation, combined with BSDF
// sampling by multiple importance sampling (Veach 1997, ch. 9; pbrt-v4 PathIntegrator::Li).

// Offsets a ray origin off the surface along the side it leaves from, scaled to the coordinates.
vec3 offsetOrigin(vec3 p, vec3 n) {
    float scale = 1e-4 * (1.0 + max(abs(p.x), max(abs(p.y), abs(p.z))));
    return p + n * scale;
}

Surface surfaceOf(MaterialGpu m) {
    return Surface(m.baseColor.rgb, m.baseColor.w, max(m.params.x, 1e-4), m.params.y);
}

// Radiance arriving along one camera path of sample s of a pixel; bounce k is the k-th surface interaction.
vec3 pathRadiance(Ray ray, uint pixel, uint s) {
    uint maxBounces = params.maxBounces & 0xffffu;
    bool lightSampling = (params.maxBounces & 0x10000u) == 0u && strategyCount() > 0u;
    vec3 radianceSum = vec3(0.0);
    vec3 throughput = vec3(1.0);
    float previousBsdfPdf = 0.0;
    vec3 previousNormal = vec3(0.0);

    for (uint bounce = 0u; ; bounce++) {
        Hit hit = closestHit(ray);
        if (hit.t == NO_HIT) {
            // Escaped: the environment, MIS-weighted against its own light sampling.
            if (hasEnvironment()) {
                float weight = 1.0;
                if (bounce > 0u && lightSampling) {
                    weight = powerHeuristic(previousBsdfPdf, environmentPdf(previousNormal, ray.direction));
                }
                radianceSum += throughput * environmentRadiance() * weight;
            }
            break;
        }
        uint tri = hit.triangle;
        MaterialGpu material = materials[materialIds[tri]];
        vec3 geometricNormal = normalize(cross(triE1(tri), triE2(tri)));
        float cosOut = dot(geometricNormal, ray.direction);
        vec3 p = ray.origin + hit.t * ray.direction;

        // Emission hit by the camera ray or by a BSDF-sampled ray, MIS-weighted against NEE.
        if (any(greaterThan(material.emission.rgb, vec3(0.0))) && emitsTowards(tri, -cosOut)) {
            float weight = 1.0;
            if (bounce > 0u && lightSampling && params.lightCount > 0u) {
                weight = powerHeuristic(previousBsdfPdf, areaLightPdf(hit.t, cosOut));
            }
            radianceSum += throughput * material.emission.rgb * weight;
        }
        if (bounce >= maxBounces) {
            break;
        }

        vec3 n = cosOut < 0.0 ? geometricNormal : -geometricNormal;
        vec3 wo = -ray.direction;
        vec3 origin = offsetOrigin(p, n);
        Surface surface = surfaceOf(material);
        vec2 pick = bounceSample(pixel, s, bounce, PAIR_LIGHT_PICK);

        // Next-event estimation: one light strategy, weighted against BSDF sampling unless it is a delta light.
        if (lightSampling) {
            LightSample ls = sampleLights(origin, n, pick.x, bounceSample(pixel, s, bounce, PAIR_LIGHT_POINT));
            float cosSurface = dot(n, ls.direction);
            if (cosSurface > 0.0 && any(greaterThan(ls.radiance, vec3(0.0)))) {
                float tMax = ls.distance == NO_HIT ? NO_HIT : ls.distance * (1.0 - 1e-4);
                if (unoccluded(Ray(origin, ls.direction), tMax)) {
                    vec3 f = bsdfEval(surface, n, wo, ls.direction);
                    if (ls.pdf > 0.0) {
                        float weight = powerHeuristic(ls.pdf, bsdfPdf(surface, n, wo, ls.direction));
                        radianceSum += throughput * f * ls.radiance * (cosSurface * weight / ls.pdf);
                    } else {
                        radianceSum += throughput * f * ls.radiance * cosSurface;
                    }
                }
            }
        }

        // BSDF sampling; the estimator's weight is f cos / pdf.
        vec3 wi = bsdfSample(surface, n, wo, pick.y, bounceSample(pixel, s, bounce, PAIR_BSDF));
        previousBsdfPdf = bsdfPdf(surface, n, wo, wi);
        if (!(previousBsdfPdf > 0.0)) {
            break;
        }
        throughput *= bsdfEval(surface, n, wo, wi) * (dot(n, wi) / previousBsdfPdf);
        previousNormal = n;

        // Russian roulette after three bounces (pbrt-v4 PathIntegrator, survival by max throughput).
        if (bounce >= 3u) {
            float survive = min(1.0, max(throughput.r, max(throughput.g, throughput.b)));
            if (survive <= 0.0 || bounceSample(pixel, s, bounce, PAIR_ROULETTE).x >= survive) {
                break;
            }
            throughput /= survive;
        }
        ray = Ray(origin, wi);
    }
    return radianceSum;
}
