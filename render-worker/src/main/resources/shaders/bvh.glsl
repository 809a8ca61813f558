// bvh.glsl: ray queries through the scene's SAH hierarchies (farm.render.core.bvh.BvhBuilder), collapsed by
// farm.render.worker.render.WideBvh into four-wide trees whose nodes hold their children's boxes: one over the
// flat (world-space) triangles and, for a scene with instances, one over the instances' world boxes whose leaves
// lead into the instanced meshes' own trees, walked with the ray taken into the mesh's space.

struct Hit {
    float t;
    uint triangle;
    vec2 barycentrics;   // weights of corners 1 and 2
    uint instance;       // entry of the instance table whose mesh was hit; NO_INSTANCE for a flat triangle
};

const float NO_HIT = 3.402823e38;
const uint NO_INSTANCE = 0xffffffffu;
// BvhBuilder caps the depth at 48, so a four-wide tree is at most 25 deep and a walk never holds more than
// three pending children per level; a walk through an instance holds the top level's and the mesh's.
const uint BVH_STACK = MAY_INSTANCES ? 160u : 96u;
// The walk's pending children, shared by the top level and the mesh it enters.
uint walkStack[BVH_STACK];
uint walkSp;

// Möller & Trumbore 1997, "Fast, Minimum Storage Ray/Triangle Intersection"; returns (t or NO_HIT, u, v), t in
// (0, tMax]. The edge and distance tests run on the barycentrics and distance scaled by |det|, so the
// reciprocal of det is only taken for a ray that meets the triangle.
vec3 intersectTriangle(Ray ray, uint tri, float tMax) {
    TriangleGeometry g = triangleAt(tri);
    vec3 e1 = g.e1;
    vec3 e2 = g.e2;
    vec3 p = rCross(ray.direction, e2);
    float det = rDot(e1, p);
    if (abs(det) < 1e-12) {
        return vec3(NO_HIT);
    }
    float sign = det < 0.0 ? -1.0 : 1.0;
    float size = abs(det);
    vec3 s = ray.origin - g.v0;
    float u = rDot(s, p) * sign;
    if (u < 0.0 || u > size) {
        return vec3(NO_HIT);
    }
    vec3 q = rCross(s, e1);
    float v = rDot(ray.direction, q) * sign;
    if (v < 0.0 || u + v > size) {
        return vec3(NO_HIT);
    }
    float t = rDot(e2, q) * sign;
    if (!(t > 0.0)) {
        return vec3(NO_HIT);
    }
    float invSize = rRcp(size);
    t *= invSize;
    return vec3(t <= tMax ? t : NO_HIT, u * invSize, v * invSize);
}

// The four-wide hierarchy of WideBvh: node i is four texels from 4i: an origin and per axis a power-of-two scale,
// the children's 8-bit min and max planes, then their words: a leaf's (first triangle << 3 | count), an interior
// node's index << 3, or 0 for an empty slot. The walk names the node it is at by the same word; the root's is 0. Each tree's words count from
// its own first node and slot (nodeBase, triBase below).
const uint LEAF_COUNT_BITS = 3u;
const uint LEAF_COUNT_MASK = (1u << LEAF_COUNT_BITS) - 1u;

// Tests the leaf's triangles (upload slots triBase + the leaf's range) against the ray; true when one nearer than
// hit was found (then stored in hit). Equal distances go to the lower triangle, then the lower instance, so the
// order the walk meets triangles in cannot change the hit; at the starting tMax (no triangle yet) nothing counts.
bool intersectLeaf(Ray ray, uint leaf, uint triBase, uint instance, bool masked, inout Hit hit) {
    bool found = false;
    uint first = triBase + (leaf >> LEAF_COUNT_BITS);
    uint end = first + (leaf & LEAF_COUNT_MASK);
    for (uint i = first; i < end; i++) {
        vec3 h = intersectTriangle(ray, i, hit.t);
        // Alpha-masked surfaces are skipped where they are cut out, for camera and shadow rays alike.
        bool nearer = h.x < hit.t || (h.x == hit.t && hit.triangle != 0xffffffffu
                && (i < hit.triangle || (i == hit.triangle && instance < hit.instance)));
        if (nearer && (!masked || opaqueAt(i, h.yz))) {
            hit = Hit(h.x, i, h.yz, instance);
            found = true;
        }
    }
    return found;
}

// The four child boxes of one axis: origin + q * scale per plane, the product exact and the add rounded once
// (as WideBvh.decode), so every device gets the planes WideBvh checked to enclose the children.
vec4 nodePlanes(float origin, float scale, uint q) {
    return origin + vec4((uvec4(q) >> uvec4(0u, 8u, 16u, 24u)) & 0xffu) * scale;
}

// Reads wide node i and runs the slab tests (Kay & Kajiya 1986) of its four child boxes at once: the distance
// to each child's box, NO_HIT where the ray misses it within [0, tMax] or the slot is empty; words: the
// children's words.
vec4 nodeChildren(uint i, vec3 o, vec3 invDir, float tMax, out uvec4 words) {
    uint base = 4u * i;
    uvec4 head = texelFetch(nodeTexels, int(base));
    uvec4 xy = texelFetch(nodeTexels, int(base + 1u));
    uvec2 z = texelFetch(nodeTexels, int(base + 2u)).xy;
    words = texelFetch(nodeTexels, int(base + 3u));
    vec3 origin = uintBitsToFloat(head.xyz);
    vec3 scale = uintBitsToFloat(((uvec3(head.w) >> uvec3(0u, 8u, 16u)) & 0xffu) << 23u);
    vec4 x0 = (nodePlanes(origin.x, scale.x, xy.x) - o.x) * invDir.x;
    vec4 x1 = (nodePlanes(origin.x, scale.x, xy.y) - o.x) * invDir.x;
    vec4 y0 = (nodePlanes(origin.y, scale.y, xy.z) - o.y) * invDir.y;
    vec4 y1 = (nodePlanes(origin.y, scale.y, xy.w) - o.y) * invDir.y;
    vec4 z0 = (nodePlanes(origin.z, scale.z, z.x) - o.z) * invDir.z;
    vec4 z1 = (nodePlanes(origin.z, scale.z, z.y) - o.z) * invDir.z;
    vec4 tNear = max(max(min(x0, x1), min(y0, y1)), max(min(z0, z1), vec4(0.0)));
    vec4 tFar = min(min(max(x0, x1), max(y0, y1)), min(max(z0, z1), vec4(tMax)));
    bvec4 entered = bvec4(uvec4(lessThanEqual(tNear, tFar)) & uvec4(notEqual(words, uvec4(0u))));
    return mix(vec4(NO_HIT), tNear, entered);
}

// Orders two (distance, word) entries by distance.
void orderPair(inout float da, inout uint wa, inout float db, inout uint wb) {
    bool swap = db < da;
    float d = da;
    uint w = wa;
    da = swap ? db : da;
    wa = swap ? wb : wa;
    db = swap ? d : db;
    wb = swap ? w : wb;
}

// Descends from node word current through interior nodes (node i of this tree is node nodeBase + i of the buffer)
// until the walk holds a leaf, and returns its word: children nearest first when closest, the farther ones pushed on
// the stack. Returns 0 when nothing is left above stack depth floor.
uint descend(uint current, uint nodeBase, vec3 o, vec3 invDir, float tMax, bool closest, uint floor) {
    while ((current & LEAF_COUNT_MASK) == 0u) {
        uvec4 words;
        vec4 d = nodeChildren(nodeBase + (current >> LEAF_COUNT_BITS), o, invDir, tMax, words);
        float d0 = d.x, d1 = d.y, d2 = d.z, d3 = d.w;
        uint w0 = words.x, w1 = words.y, w2 = words.z, w3 = words.w;
        if (closest) {
            // Nearest first: a sorting network on the four distances.
            orderPair(d0, w0, d1, w1);
            orderPair(d2, w2, d3, w3);
            orderPair(d0, w0, d2, w2);
            orderPair(d1, w1, d3, w3);
            orderPair(d1, w1, d2, w2);
        }
        // The farther children wait on the stack, farthest deepest; the nearest is next.
        if (d3 != NO_HIT && walkSp < BVH_STACK) {
            walkStack[walkSp++] = w3;
        }
        if (d2 != NO_HIT && walkSp < BVH_STACK) {
            walkStack[walkSp++] = w2;
        }
        if (d1 != NO_HIT && walkSp < BVH_STACK) {
            walkStack[walkSp++] = w1;
        }
        if (d0 != NO_HIT) {
            current = w0;
        } else if (walkSp == floor) {
            return 0u;
        } else {
            current = walkStack[--walkSp];
        }
    }
    return current;
}

// Walks one tree of triangles from its root (nodes from nodeBase, triangles from upload slot triBase) with the
// stack from depth floor; true when a shadow ray (closest = false) found a blocker. Two loops in turn,
// "while-while" (Aila & Laine 2009): descend through interior nodes until the walk holds a leaf, then test that
// leaf. lavapipe runs the body of every branch for all lanes under a mask, so one loop that either visits a node
// or tests a leaf would pay for both at every step.
bool walkTriangles(Ray ray, uint nodeBase, uint triBase, uint instance, bool closest, bool masked, uint floor,
                   inout Hit hit) {
    vec3 invDir = rRcp(ray.direction);
    uint current = 0u;
    while (true) {
        uint leaf = descend(current, nodeBase, ray.origin, invDir, hit.t, closest, floor);
        if (leaf == 0u) {
            return false;
        }
        if (intersectLeaf(ray, leaf, triBase, instance, masked, hit) && !closest) {
            return true;
        }
        if (walkSp == floor) {
            return false;
        }
        current = walkStack[--walkSp];
    }
    return false;
}

// The instance table (PackedScene): texel 0 holds the top level's first node and the instance count; then seven
// texels per instance in the top level's leaf order: the rows of its mesh-to-world and world-to-mesh 3x4 matrices,
// then its mesh's first node and first upload slot.
uvec4 instanceHead() { return texelFetch(instanceTexels, 0); }
vec4 instanceRow(uint k, uint row) { return texelVec4(instanceTexels, 1u + 7u * k + row); }

// Row . (p, 1), as every device rounds it.
float affineRow(vec4 row, vec3 p) {
    return rFlush(rDot(row.xyz, p) + row.w);
}

// A world-space direction or normal's image under instance k's rows first..first+2 without translation.
vec3 linearRows(uint k, uint first, vec3 v) {
    return vec3(rDot(instanceRow(k, first).xyz, v), rDot(instanceRow(k, first + 1u).xyz, v),
            rDot(instanceRow(k, first + 2u).xyz, v));
}

// A mesh-space vector of instance k in world space (mesh-to-world rows).
vec3 instanceToWorld(uint k, vec3 v) {
    return linearRows(k, 0u, v);
}

// A mesh-space normal of instance k in world space: by the inverse transpose, the world-to-mesh rows' columns.
vec3 instanceNormalToWorld(uint k, vec3 n) {
    vec4 a = instanceRow(k, 3u);
    vec4 b = instanceRow(k, 4u);
    vec4 c = instanceRow(k, 5u);
    return vec3(rDot(vec3(a.x, b.x, c.x), n), rDot(vec3(a.y, b.y, c.y), n), rDot(vec3(a.z, b.z, c.z), n));
}

// Walks the instances' top level; inside an instance's leaf, the mesh's tree with the ray in mesh space (the
// direction is not renormalized, so distances along it are the world ones). True when a shadow ray found a blocker.
bool walkInstances(Ray ray, bool closest, bool masked, inout Hit hit) {
    uvec4 head = instanceHead();
    if (head.y == 0u) {
        return false;
    }
    vec3 invDir = rRcp(ray.direction);
    walkSp = 0u;
    uint current = 0u;
    while (true) {
        uint leaf = descend(current, head.x, ray.origin, invDir, hit.t, closest, 0u);
        if (leaf == 0u) {
            return false;
        }
        uint k = leaf >> LEAF_COUNT_BITS;   // one instance per leaf
        Ray local = Ray(vec3(affineRow(instanceRow(k, 3u), ray.origin), affineRow(instanceRow(k, 4u), ray.origin),
                affineRow(instanceRow(k, 5u), ray.origin)), linearRows(k, 3u, ray.direction));
        uvec4 mesh = texelFetch(instanceTexels, int(1u + 7u * k + 6u));
        if (walkTriangles(local, mesh.x, mesh.y, k, closest, masked, walkSp, hit)) {
            return true;
        }
        if (walkSp == 0u) {
            return false;
        }
        current = walkStack[--walkSp];
    }
    return false;
}

// Nearest hit below tMax (closest = true: children nearest first) or any hit below tMax (closest = false,
// for shadow rays).
Hit traverse(Ray ray, float tMax, bool closest) {
    Hit hit = Hit(tMax, 0xffffffffu, vec2(0.0), NO_INSTANCE);
    bool masked = MAY_MASK && (sceneInfo().x & SCENE_MASKED) != 0u;
    walkSp = 0u;
    if (params.nodeCount != 0u && walkTriangles(ray, 0u, 0u, NO_INSTANCE, closest, masked, 0u, hit)) {
        return hit;
    }
    if (MAY_INSTANCES) {
        walkInstances(ray, closest, masked, hit);
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
