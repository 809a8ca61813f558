// bsdf.glsl: glTF 2.0 metallic-roughness BRDF (glTF 2.0 specification, appendix B): a Lambertian base
// and a GGX specular layer mixed by Schlick Fresnel for dielectrics, a Fresnel-tinted GGX for metals,
// the two mixed by metallic. Directions are in world space; n faces the side the path arrived from.

struct Surface {
    vec3 baseColor;
    float metallic;
    float alpha;      // GGX alpha = perceptual roughness squared
    float specular;   // KHR_materials_specular weight of the dielectric layer
    vec3 f0;          // dielectric reflectance at normal incidence (KHR_materials_ior, KHR_materials_specular colour)
};

// Trowbridge-Reitz / GGX normal distribution (Walter et al. 2007, eq. 33).
float ggxD(float nh, float a2) {
    float d = nh * nh * (a2 - 1.0) + 1.0;
    return rDiv(a2, PI * d * d);
}

// Height-correlated Smith visibility G2 / (4 nl nv) (Heitz 2014, eq. 99; glTF spec appendix B).
float smithV(float nl, float nv, float a2) {
    float gv = nl * rSqrt(nv * nv * (1.0 - a2) + a2);
    float gl = nv * rSqrt(nl * nl * (1.0 - a2) + a2);
    float s = gv + gl;
    return s > 0.0 ? 0.5 * rRcp(s) : 0.0;
}

// Schlick 1994 Fresnel approximation weight (1 - cos)^5.
float schlickWeight(float c) {
    float m = clamp(1.0 - c, 0.0, 1.0);
    float m2 = m * m;
    return m2 * m2 * m;
}

// Probability of sampling the specular lobe; the rest samples the cosine-weighted base.
float specularLobeProbability(Surface s) {
    return s.metallic + (1.0 - s.metallic) * (s.specular > 0.0 ? 0.25 : 0.0);
}


// f(wo, wi) for the glTF metallic-roughness model (appendix B: mix(dielectric_brdf, metal_brdf, metallic)), and
// the pdf of bsdfSample choosing wi (solid-angle measure: lobe mixture of cosine and GGX half-vector sampling).
// One function for both, since every caller needs both and they share the half vector and D.
struct BsdfValue {
    vec3 f;
    float pdf;
};

BsdfValue bsdfEvalPdf(Surface s, vec3 n, vec3 wo, vec3 wi) {
    float nl = rDot(n, wi);
    float nv = rDot(n, wo);
    if (nl <= 0.0 || nv <= 0.0) {
        return BsdfValue(vec3(0.0), 0.0);
    }
    if (!MAY_GLOSSY) {
        return BsdfValue(s.baseColor * INV_PI, nl * INV_PI);
    }
    vec3 h = rNormalize(wi + wo);
    float vh = rDot(wo, h);
    float nh = max(rDot(n, h), 0.0);
    float a2 = s.alpha * s.alpha;
    float d = ggxD(nh, a2);
    float dv = d * smithV(nl, nv, a2);
    float fw = schlickWeight(max(vh, 0.0));
    // KHR_materials_specular fresnel_mix: the base loses what the weighted layer reflects (its largest channel).
    vec3 fr = s.f0 + (1.0 - s.f0) * fw;
    vec3 dielectric = (1.0 - s.specular * max(fr.r, max(fr.g, fr.b))) * s.baseColor * INV_PI + s.specular * fr * dv;
    vec3 metalF = s.baseColor + (1.0 - s.baseColor) * fw;
    float ps = specularLobeProbability(s);
    float pdf = (1.0 - ps) * nl * INV_PI;
    if (ps > 0.0 && vh > 0.0) {
        // Half-vector pdf D(h) (n.h), mapped to wi by the Jacobian 1 / (4 v.h) (Walter et al. 2007, eq. 38 and 14).
        pdf += rDiv(ps * d * nh, 4.0 * vh);
    }
    return BsdfValue(rMix(dielectric, metalF * dv, s.metallic), pdf);
}

// Samples wi: lobe picks the specular lobe by its probability, uv the direction within the lobe (the GGX half
// vector, reflected, or the cosine-weighted direction).
vec3 bsdfSample(Surface s, vec3 n, vec3 wo, float lobe, vec2 uv) {
    bool ggx = MAY_GLOSSY && lobe < specularLobeProbability(s);
    vec3 v = sampleHemisphere(n, uv, ggx, s.alpha * s.alpha);
    return ggx ? rReflect(-wo, v) : v;
}
