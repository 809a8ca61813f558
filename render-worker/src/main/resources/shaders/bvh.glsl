// bvh.glsl: ray queries through the SAH hierarchy built by farm.render.core.bvh.BvhBuilder, laid out
// depth first: node i's left child is i + 1, an interior node names its right child, a leaf its triangles.

struct Hit {
    float t;
    uint triangle;
    vec2 barycentrics;   // weights of corners 1 and 2
};

const float NO_HIT = 3.402823e38;
// BvhBuilder caps the depth at 48, so a path to any leaf never holds more pending nodes than this.
const uint BVH_STACK = 64u;

// Möller & Trumbore 1997, "Fast, Minimum Storage Ray/Triangle Intersection"; returns (t or NO_HIT, u, v).
vec3 intersectTriangle(Ray ray, uint tri, float tMax) {
    vec3 e1 = triE1(tri);
    vec3 e2 = triE2(tri);
    vec3 p = cross(ray.direction, e2);
    float det = dot(e1, p);
    if (abs(det) < 1e-12) {
        return vec3(NO_HIT);
    }
    float invDet = 1.0 / det;
    vec3 s = ray.origin - triV0(tri);
    float u = dot(s, p) * invDet;
    if (u < 0.0 || u > 1.0) {
        return vec3(NO_HIT);
    }
    vec3 q = cross(s, e1);
    float v = dot(ray.direction, q) * invDet;
    if (v < 0.0 || u + v > 1.0) {
        return vec3(NO_HIT);
    }
    float t = dot(e2, q) * invDet;
    return vec3((t > 0.0 && t < tMax) ? t : NO_HIT, u, v);
}

// Slab test (Kay & Kajiya 1986): distance at which the ray enters the node's box, or NO_HIT.
float enterNode(uint node, vec3 origin, vec3 invDir, float tMax) {
    vec3 t0 = (nodeLo(node).xyz - origin) * invDir;
    vec3 t1 = (nodeHi(node).xyz - origin) * invDir;
    vec3 tn = min(t0, t1);
    vec3 tf = max(t0, t1);
    float tNear = max(max(tn.x, tn.y), max(tn.z, 0.0));
    float tFar = min(min(tf.x, tf.y), min(tf.z, tMax));
    return tNear <= tFar ? tNear : NO_HIT;
}

// Nearest hit below tMax (closest = true) or any hit below tMax (closest = false, for shadow rays).
Hit traverse(Ray ray, float tMax, bool closest) {
    Hit hit = Hit(tMax, 0xffffffffu, vec2(0.0));
    bool masked = MAY_MASK && (sceneInfo().x & SCENE_MASKED) != 0u;
    if (params.nodeCount == 0u) {
        return hit;
    }
    vec3 invDir = 1.0 / ray.direction;
    if (enterNode(0u, ray.origin, invDir, hit.t) == NO_HIT) {
        return hit;
    }
    uint stack[BVH_STACK];
    uint sp = 0u;
    uint node = 0u;
    while (true) {
        uint count = floatBitsToUint(nodeHi(node).w);
        uint link = floatBitsToUint(nodeLo(node).w);
        if (count > 0u) {
            for (uint i = link; i < link + count; i++) {
                vec3 h = intersectTriangle(ray, i, hit.t);
                // Alpha-masked surfaces are skipped where they are cut out, for camera and shadow rays alike.
                if (h.x < hit.t && (!masked || opaqueAt(i, h.yz))) {
                    hit = Hit(h.x, i, h.yz);
                    if (!closest) {
                        return hit;
                    }
                }
            }
        } else {
            uint left = node + 1u;
            float tl = enterNode(left, ray.origin, invDir, hit.t);
            float tr = enterNode(link, ray.origin, invDir, hit.t);
            if (tl != NO_HIT || tr != NO_HIT) {
                // Visit the nearer child first; the farther one waits on the stack.
                bool leftFirst = tl <= tr;
                if (tl != NO_HIT && tr != NO_HIT && sp < BVH_STACK) {
                    stack[sp++] = leftFirst ? link : left;
                }
                node = leftFirst ? left : link;
                continue;
            }
        }
        if (sp == 0u) {
            break;
        }
        node = stack[--sp];
    }
    return hit;
}

// Closest hit; hit.t == NO_HIT when the ray escapes.
Hit closestHit(Ray ray) {
    return traverse(ray, NO_HIT, true);
}

// True when nothing blocks the segment origin + t * direction, t in (0, tMax).
bool unoccluded(Ray ray, float tMax) {
    return traverse(ray, tMax, false).triangle == 0xffffffffu;
}
