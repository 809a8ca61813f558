#version 450
// path_trace.comp: the one compute entry point. Each invocation renders one pixel of a list of
// pixel coordinates, so a tile and a handful of spot-check pixels run exactly the same code. A pixel's
// samples run in fixed passes of a few samples each: lavapipe ends every loop of an invocation after
// 65535 iterations in total (Mesa gallivm LP_MAX_TGSI_LOOP_ITERATIONS), silently dropping later samples.

layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;

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
    for (uint s = params.sampleOffset; s < end; s++) {
        vec2 jitter = sample2(key, s, 0u);
        sum += pathRadiance(cameraRay(pixel, jitter), key, s);
    }
    radiance[index] = vec4(end == params.samplesPerPixel ? sum / float(params.samplesPerPixel) : sum, 1.0);
}
