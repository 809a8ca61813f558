#version 450
// repro_eval.comp: evaluates one function of repro.glsl (specialization constant 0) on each input pair, in the
// descriptor layout of the path tracer (binding 4 the inputs, binding 5 the results) so its pipeline serves.

layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;

#include "repro.glsl"

layout(constant_id = 0) const uint FUNCTION = 0u;
layout(std430, set = 0, binding = 4) readonly buffer Inputs { vec2 inputs[]; };
layout(std430, set = 0, binding = 5) buffer Outputs { vec4 outputs[]; };
layout(push_constant) uniform Params { uint count; } params;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= params.count) {
        return;
    }
    float x = inputs[i].x;
    float y = inputs[i].y;
    float r = 0.0;
    switch (FUNCTION) {
        case 0u: r = rRcp(x); break;
        case 1u: r = rDiv(x, y); break;
        case 2u: r = rSqrt(x); break;
        case 3u: r = rRsqrt(x); break;
        case 4u: r = rSin(x); break;
        case 5u: r = rCos(x); break;
        case 6u: r = rAtan2(y, x); break;
        case 7u: r = rAcos(x); break;
        case 8u: r = rLog2(x); break;
        case 9u: r = rExp2(x); break;
        case 10u: r = rPow(x, y); break;
        case 11u: r = rLength(vec3(x, y, x - y)); break;
        case 12u: r = rNormalize(vec3(x, y, x - y)).x; break;
    }
    outputs[i] = vec4(r, 0.0, 0.0, 0.0);
}
