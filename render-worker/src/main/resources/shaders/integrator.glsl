// integrator.glsl: unidirectional path tracing with next-event estimation, combined with BSDF
// sampling by multiple importance sampling (Veach 1997, ch. 9; pbrt-v4 PathIntegrator::Li).

// Offsets a ray origin off the surface along the side it leaves from, scaled to the coordinates.
vec3 offsetOrigin(vec3 p, vec3 n) {
    float scale = 1e-4 * (1.0 + max(abs(p.x), max(abs(p.y), abs(p.z))));
    return p + n * scale;
}

// The material at a hit with its textures applied, and the shading normal on the side of n (the geometric
// normal facing the incoming ray): interpolated corner normals, then the normal map (glTF tangent space).
Surface surfaceAt(MaterialGpu m, uint tri, uint instance, vec2 b, vec3 n, out vec3 shadingNormal) {
    vec3 baseColor = m.baseColor.rgb;
    float metallic = m.baseColor.w;
    float roughness = m.params.x;
    if (MAY_BASE_MAP && hasMap(m.maps[MAP_BASE])) {
        baseColor *= sampleSlot(m.maps[MAP_BASE], tri, b, true).rgb;
    }
    if (MAY_METALLIC_ROUGHNESS_MAP && hasMap(m.maps[MAP_METALLIC_ROUGHNESS])) {
        // glTF: roughness in the green channel, metalness in the blue one.
        vec4 mr = sampleSlot(m.maps[MAP_METALLIC_ROUGHNESS], tri, b, false);
        roughness *= mr.g;
        metallic *= mr.b;
    }
    shadingNormal = n;
    uint flags = sceneInfo().x;
    if (MAY_SHADING_NORMALS && (flags & SCENE_NORMALS) != 0u) {
        uvec4 c = triCorners(tri);
        vec3 ns = (1.0 - b.x - b.y) * vertexNormal(c.x) + b.x * vertexNormal(c.y) + b.y * vertexNormal(c.z);
        bool placed = MAY_INSTANCES && instance != NO_INSTANCE;
        if (placed) {
            ns = instanceNormalToWorld(instance, ns);
        }
        if (MAY_NORMAL_MAP && (flags & SCENE_TANGENTS) != 0u && hasMap(m.maps[MAP_NORMAL])) {
            vec4 t0 = vertexTangent(c.x);
            vec4 t4 = (1.0 - b.x - b.y) * t0 + b.x * vertexTangent(c.y) + b.y * vertexTangent(c.z);
            if (placed) {
                t4.xyz = instanceToWorld(instance, t4.xyz);
            }
            vec3 nn = rNormalize(ns);
            vec3 t = t4.xyz - nn * rDot(nn, t4.xyz);
            if (rDot(t, t) > 1e-12) {
                t = rNormalize(t);
                vec3 bt = rCross(nn, t) * (t0.w < 0.0 ? -1.0 : 1.0);
                vec3 tn = sampleSlot(m.maps[MAP_NORMAL], tri, b, false).rgb * 2.0 - 1.0;
                tn.xy *= m.specular.w;
                ns = t * tn.x + bt * tn.y + nn * tn.z;
            }
        }
        if (rDot(ns, ns) > 1e-12) {
            ns = rNormalize(ns);
            shadingNormal = rDot(ns, n) < 0.0 ? -ns : ns;
        }
    }
    return Surface(baseColor, metallic, max(roughness * roughness, 1e-4), m.params.y, m.specular.rgb);
}

// One camera path in flight: where it stands and what it has gathered so far.
struct Path {
    Ray ray;
    vec3 throughput;
    vec3 direct;            // light that reached the camera after at most one surface interaction
    vec3 indirect;          // after two or more (what the optional clamp bounds)
    float previousBsdfPdf;
    vec3 previousNormal;
    uint bounce;            // surface interactions so far
};

Path startPath(Ray ray) {
    return Path(ray, vec3(1.0), vec3(0.0), vec3(0.0), 0.0, vec3(0.0), 0u);
}

// Radiance the finished path carries to the camera, after the optional clamp of its indirect part (Cycles'
// "Clamp Indirect": bounds fireflies at the cost of energy).
vec3 pathResult(Path path) {
    vec3 indirect = path.indirect;
    if (params.clampIndirect > 0.0) {
        indirect = min(indirect, vec3(params.clampIndirect));
    }
    return path.direct + indirect;
}

// Adds light that reached the camera after path.bounce surface interactions (direct up to one).
void gather(inout Path path, vec3 c, bool direct) {
    if (direct) {
        path.direct += c;
    } else {
        path.indirect += c;
    }
}

// Extends the path of sample s of a pixel by one ray: what the ray hits, the light found there by next-event
// estimation and the direction sampled from the BSDF. Returns true when the path has ended. Bounce k is the
// k-th surface interaction.
bool extendPath(inout Path path, uint pixel, uint s, uint maxBounces, bool lightSampling) {
    Ray ray = path.ray;
    uint bounce = path.bounce;
    Hit hit = closestHit(ray);
    if (hit.t == NO_HIT) {
        // Escaped: the environment, MIS-weighted against its own light sampling.
        if (hasEnvironment()) {
            float weight = 1.0;
            if (bounce > 0u && lightSampling) {
                weight = powerHeuristic(path.previousBsdfPdf, environmentPdf(path.previousNormal, ray.direction));
            }
            gather(path, path.throughput * environmentRadiance(ray.direction) * weight, bounce <= 1u);
        }
        return true;
    }
    uint tri = hit.triangle;
    MaterialGpu material = materialOf(tri);
    TriangleGeometry g = triangleAt(tri);
    vec3 e1 = g.e1;
    vec3 e2 = g.e2;
    if (MAY_INSTANCES && hit.instance != NO_INSTANCE) {
        e1 = instanceToWorld(hit.instance, e1);
        e2 = instanceToWorld(hit.instance, e2);
    }
    vec3 geometricNormal = rNormalize(rCross(e1, e2));
    float cosOut = rDot(geometricNormal, ray.direction);
    vec3 p = ray.origin + hit.t * ray.direction;

    // Emission hit by the camera ray or by a BSDF-sampled ray, MIS-weighted against NEE.
    if (any(greaterThan(material.emission.rgb, vec3(0.0))) && emitsTowards(tri, -cosOut)) {
        float weight = 1.0;
        if (bounce > 0u && lightSampling && params.lightCount > 0u) {
            weight = powerHeuristic(path.previousBsdfPdf, areaLightPdf(hit.t, cosOut));
        }
        gather(path, path.throughput * emissionAt(tri, hit.barycentrics) * weight, bounce <= 1u);
    }
    if (bounce >= maxBounces) {
        return true;
    }

    vec3 n = cosOut < 0.0 ? geometricNormal : -geometricNormal;
    vec3 wo = -ray.direction;
    vec3 origin = offsetOrigin(p, n);
    vec3 ns;
    Surface surface = surfaceAt(material, tri, hit.instance, hit.barycentrics, n, ns);
    vec2 pick = bounceSample(pixel, s, bounce, PAIR_LIGHT_PICK);

    // Next-event estimation: one light strategy, weighted against BSDF sampling unless it is a delta light.
    if (lightSampling) {
        LightSample ls = sampleLights(origin, ns, pick.x, bounceSample(pixel, s, bounce, PAIR_LIGHT_POINT));
        float cosSurface = rDot(ns, ls.direction);
        if (cosSurface > 0.0 && rDot(n, ls.direction) > 0.0 && any(greaterThan(ls.radiance, vec3(0.0)))) {
            float tMax = ls.distance == NO_HIT ? NO_HIT : ls.distance * (1.0 - 1e-4);
            if (unoccluded(Ray(origin, ls.direction), tMax)) {
                BsdfValue b = bsdfEvalPdf(surface, ns, wo, ls.direction);
                vec3 c;
                if (ls.pdf > 0.0) {
                    c = path.throughput * b.f * ls.radiance * (cosSurface * powerHeuristicOverPdf(ls.pdf, b.pdf));
                } else {
                    c = path.throughput * b.f * ls.radiance * cosSurface;
                }
                gather(path, c, bounce == 0u);
            }
        }
    }

    // BSDF sampling; the estimator's weight is f cos / pdf. Directions below the geometric surface end the path.
    vec3 wi = bsdfSample(surface, ns, wo, pick.y, bounceSample(pixel, s, bounce, PAIR_BSDF));
    BsdfValue b = bsdfEvalPdf(surface, ns, wo, wi);
    path.previousBsdfPdf = b.pdf;
    if (!(b.pdf > 0.0) || rDot(n, wi) <= 0.0) {
        return true;
    }
    path.throughput *= b.f * rDiv(rDot(ns, wi), b.pdf);
    path.previousNormal = ns;

    // Russian roulette after three bounces (pbrt-v4 PathIntegrator, survival by max throughput).
    if (bounce >= 3u) {
        float survive = min(1.0, max(path.throughput.r, max(path.throughput.g, path.throughput.b)));
        if (survive <= 0.0 || bounceSample(pixel, s, bounce, PAIR_ROULETTE).x >= survive) {
            return true;
        }
        path.throughput *= rRcp(survive);
    }
    path.ray = Ray(origin, wi);
    path.bounce = bounce + 1u;
    return false;
}
