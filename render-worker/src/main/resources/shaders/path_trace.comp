#version 450
// path_trace.comp: the one compute entry point. Each invocation renders one pixel of a list of
// pixel coordinates, so a tile and a handful of spot-check pixels run exactly the same code. A pixel's
// samples run in passes (VulkanRenderer), each adding to the sums the last one left.

layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;

#include "repro.glsl"
#include "scene.glsl"
#include "rng.glsl"
#include "sampling.glsl"
#include "camera.glsl"
#include "texture.glsl"
#include "bvh.glsl"
#include "bsdf.glsl"
#include "lights.glsl"
#include "integrator.glsl"

void main() {
    uint local = gl_GlobalInvocationID.x;
    if (local >= params.pixelCount) {
        return;
    }
    uint index = params.pixelOffset + local;
    uvec2 pixel = pixels[index];
    vec3 sum = params.sampleOffset == 0u ? vec3(0.0) : radiance[index].rgb;
    uint key = pixelKey(params.seedLo, params.seedHi, params.frame, pixel.x, pixel.y);
    uint end = params.sampleOffset + params.sampleCount;
    uint maxBounces = params.maxBounces & 0xffffu;
    bool lightSampling = (params.maxBounces & 0x10000u) == 0u && strategyCount() > 0u;
    // Path regeneration (Novak et al. 2010): one loop step is one ray of the current path, and an invocation
    // whose path ends starts its next sample at once, so the SIMD lanes lavapipe runs in lockstep stay busy
    // until each has its samples, instead of idling until the longest path of the batch ends. A pixel's
    // samples still add up in index order, so the sums are the same bits.
    uint s = params.sampleOffset;
    Path path = startPath(cameraRay(pixel, sample2(key, s, 0u)));
    while (s < end) {
        if (extendPath(path, key, s, maxBounces, lightSampling)) {
            sum += pathResult(path);
            s++;
            if (s < end) {
                path = startPath(cameraRay(pixel, sample2(key, s, 0u)));
            }
        }
    }
    // lavapipe ends every loop of an invocation once they have run 65,535 iterations in all (Mesa gallivm's
    // LP_MAX_TGSI_LOOP_ITERATIONS), silently cutting paths short; from then on any loop stops after its first
    // iteration. This one runs twice everywhere else (its bounds are not constants, so it is not unrolled):
    // w = 0 tells the host the pass was cut short and must be run again in smaller passes.
    uint rounds = 0u;
    for (uint i = params.sampleOffset; i < params.sampleOffset + 2u; i++) {
        rounds++;
    }
    radiance[index] = vec4(end == params.samplesPerPixel ? sum * rRcp(float(params.samplesPerPixel)) : sum,
            rounds == 2u ? 1.0 : 0.0);
}
