// intersect.glsl: brute-force ray/triangle intersection over all triangles (a BVH comes later).

struct Hit {
    float t;
    uint triangle;
};

const float NO_HIT = 3.402823e38;

// Möller & Trumbore 1997, "Fast, Minimum Storage Ray/Triangle Intersection"; returns t or NO_HIT.
float intersectTriangle(Ray ray, uint tri, float tMax) {
    vec3 e1 = triE1(tri);
    vec3 e2 = triE2(tri);
    vec3 p = cross(ray.direction, e2);
    float det = dot(e1, p);
    if (abs(det) < 1e-12) {
        return NO_HIT;
    }
    float invDet = 1.0 / det;
    vec3 s = ray.origin - triV0(tri);
    float u = dot(s, p) * invDet;
    if (u < 0.0 || u > 1.0) {
        return NO_HIT;
    }
    vec3 q = cross(s, e1);
    float v = dot(ray.direction, q) * invDet;
    if (v < 0.0 || u + v > 1.0) {
        return NO_HIT;
    }
    float t = dot(e2, q) * invDet;
    return (t > 0.0 && t < tMax) ? t : NO_HIT;
}

// Closest hit; hit.t == NO_HIT when the ray escapes.
Hit closestHit(Ray ray) {
    Hit hit = Hit(NO_HIT, 0u);
    for (uint i = 0u; i < params.triangleCount; i++) {
        float t = intersectTriangle(ray, i, hit.t);
        if (t < hit.t) {
            hit = Hit(t, i);
        }
    }
    return hit;
}

// True when nothing blocks the segment origin + t * direction, t in (0, tMax).
bool unoccluded(Ray ray, float tMax) {
    for (uint i = 0u; i < params.triangleCount; i++) {
        if (intersectTriangle(ray, i, tMax) < tMax) {
            return false;
        }
    }
    return true;
}
