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

// Slab test (Kay & Kajiya 1986) of a node's box: distance at which the ray enters it, or NO_HIT.
float enterBox(vec3 lo, vec3 hi, vec3 origin, vec3 invDir, float tMax) {
    vec3 t0 = (lo - origin) * invDir;
    vec3 t1 = (hi - origin) * invDir;
    vec3 tn = min(t0, t1);
    vec3 tf = max(t0, t1);
    float tNear = max(max(tn.x, tn.y), max(tn.z, 0.0));
    float tFar = min(min(tf.x, tf.y), min(tf.z, tMax));
    return tNear <= tFar ? tNear : NO_HIT;
}

// A node's two texels: lo.xyz and hi.xyz bound it; lo.w holds the bits of its miss link (the node after its
// subtree in depth-first order, nodeCount after the last), hi.w those of (first triangle << 3 | count) for a
// leaf and 0 for an interior node, whose left child is the next node and whose right child is the left's miss link.
const uint LEAF_COUNT_BITS = 3u;
const uint LEAF_COUNT_MASK = (1u << LEAF_COUNT_BITS) - 1u;

// Tests the leaf's triangles against the ray; true when one below hit.t was found (then stored in hit).
bool intersectLeaf(Ray ray, uint leaf, bool masked, inout Hit hit) {
    bool found = false;
    uint first = leaf >> LEAF_COUNT_BITS;
    uint end = first + (leaf & LEAF_COUNT_MASK);
    for (uint i = first; i < end; i++) {
        vec3 h = intersectTriangle(ray, i, hit.t);
        // Alpha-masked surfaces are skipped where they are cut out, for camera and shadow rays alike.
        if (h.x < hit.t && (!masked || opaqueAt(i, h.yz))) {
            hit = Hit(h.x, i, h.yz);
            found = true;
        }
    }
    return found;
}

// Nearest hit below tMax: children nearer first, the farther one on a stack. The walk carries each node as
// the word that names it: a leaf's packed word (count in the low bits, never 0) or an interior node's index
// shifted past them, so a leaf is known as soon as its box is tested, without fetching it again.
Hit closestHit(Ray ray) {
    Hit hit = Hit(NO_HIT, 0xffffffffu, vec2(0.0));
    bool masked = MAY_MASK && (sceneInfo().x & SCENE_MASKED) != 0u;
    if (params.nodeCount == 0u) {
        return hit;
    }
    vec3 invDir = 1.0 / ray.direction;
    vec4 rootHi = nodeHi(0u);
    if (enterBox(nodeLo(0u).xyz, rootHi.xyz, ray.origin, invDir, hit.t) == NO_HIT) {
        return hit;
    }
    uint stack[BVH_STACK];
    uint sp = 0u;
    uint current = floatBitsToUint(rootHi.w);   // the root: a leaf, or interior node 0
    while (true) {
        if ((current & LEAF_COUNT_MASK) != 0u) {
            intersectLeaf(ray, current, masked, hit);
        } else {
            uint left = (current >> LEAF_COUNT_BITS) + 1u;
            vec4 leftLo = nodeLo(left);
            vec4 leftHi = nodeHi(left);
            uint right = floatBitsToUint(leftLo.w);
            vec4 rightLo = nodeLo(right);
            vec4 rightHi = nodeHi(right);
            float tl = enterBox(leftLo.xyz, leftHi.xyz, ray.origin, invDir, hit.t);
            float tr = enterBox(rightLo.xyz, rightHi.xyz, ray.origin, invDir, hit.t);
            if (tl != NO_HIT || tr != NO_HIT) {
                uint leftWord = floatBitsToUint(leftHi.w);
                uint rightWord = floatBitsToUint(rightHi.w);
                leftWord = leftWord != 0u ? leftWord : left << LEAF_COUNT_BITS;
                rightWord = rightWord != 0u ? rightWord : right << LEAF_COUNT_BITS;
                // Visit the nearer child first; the farther one waits on the stack.
                bool leftFirst = tl <= tr;
                if (tl != NO_HIT && tr != NO_HIT && sp < BVH_STACK) {
                    stack[sp++] = leftFirst ? rightWord : leftWord;
                }
                current = leftFirst ? leftWord : rightWord;
                continue;
            }
        }
        if (sp == 0u) {
            break;
        }
        current = stack[--sp];
    }
    return hit;
}

// True when nothing blocks the segment origin + t * direction, t in (0, tMax). Any hit will do, so the walk
// needs no order and no stack: it follows the depth-first order, skipping a missed subtree by its miss link.
bool unoccluded(Ray ray, float tMax) {
    Hit hit = Hit(tMax, 0xffffffffu, vec2(0.0));
    bool masked = MAY_MASK && (sceneInfo().x & SCENE_MASKED) != 0u;
    vec3 invDir = 1.0 / ray.direction;
    uint node = 0u;
    while (node < params.nodeCount) {
        vec4 lo = nodeLo(node);
        vec4 hi = nodeHi(node);
        uint next = floatBitsToUint(lo.w);
        if (enterBox(lo.xyz, hi.xyz, ray.origin, invDir, hit.t) != NO_HIT) {
            uint leaf = floatBitsToUint(hi.w);
            if (leaf == 0u) {
                next = node + 1u;
            } else if (intersectLeaf(ray, leaf, masked, hit)) {
                return false;
            }
        }
        node = next;
    }
    return true;
}
