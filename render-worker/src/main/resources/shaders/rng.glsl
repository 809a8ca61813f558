// rng.glsl: stateless counter-based random numbers. Every value is a pure function of
// (seed, frame, pixel, sample, bounce, dimension), so results do not depend on dispatch order.

// PCG hash (Jarzynski & Olano 2020, "Hash Functions for GPU Rendering", JCGT 9(3)).
uint pcgHash(uint v) {
    uint state = v * 747796405u + 2891336453u;
    uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}

// One key per camera path: chained hashing of every coordinate that identifies it.
uint pathKey(uint seedLo, uint seedHi, uint frame, uint x, uint y, uint sampleIndex) {
    uint h = pcgHash(seedLo);
    h = pcgHash(h ^ seedHi);
    h = pcgHash(h ^ frame);
    h = pcgHash(h ^ x);
    h = pcgHash(h ^ y);
    return pcgHash(h ^ sampleIndex);
}

const uint DIMENSIONS_PER_BOUNCE = 16u;

// Uniform float in [0,1) from the top 24 bits (exactly representable).
float rand01(uint key, uint bounce, uint dimension) {
    uint h = pcgHash(key ^ pcgHash(bounce * DIMENSIONS_PER_BOUNCE + dimension));
    return float(h >> 8u) * (1.0 / 16777216.0);
}

// Dimension assignment within one bounce.
const uint DIM_CAMERA_X = 0u;
const uint DIM_CAMERA_Y = 1u;
const uint DIM_LIGHT_PICK = 2u;
const uint DIM_LIGHT_U = 3u;
const uint DIM_LIGHT_V = 4u;
const uint DIM_BSDF_U = 5u;
const uint DIM_BSDF_V = 6u;
const uint DIM_ROULETTE = 7u;
