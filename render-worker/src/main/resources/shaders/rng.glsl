// rng.glsl: stateless, counter-based sample values. Every value is a pure function of
// (seed, frame, pixel, sample index, bounce, dimension), so results do not depend on dispatch order.
// Dimensions come in pairs from an Owen-scrambled Sobol sequence, shuffled per pair so the pairs
// are decorrelated (Burley 2020, "Practical Hash-based Owen Scrambling", JCGT 9(4)).

// PCG hash (Jarzynski & Olano 2020, "Hash Functions for GPU Rendering", JCGT 9(3)).
uint pcgHash(uint v) {
    uint state = v * 747796405u + 2891336453u;
    uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
}

// One key per pixel of a frame: chained hashing of every coordinate that identifies it.
uint pixelKey(uint seedLo, uint seedHi, uint frame, uint x, uint y) {
    uint h = pcgHash(seedLo);
    h = pcgHash(h ^ seedHi);
    h = pcgHash(h ^ frame);
    h = pcgHash(h ^ x);
    return pcgHash(h ^ y);
}

// Laine-Karras style permutation in reversed bit order (Burley 2020, listing 2, improved constants).
uint laineKarras(uint x, uint seed) {
    x += seed;
    x ^= x * 0x6c50b47cu;
    x ^= x * 0xb82f1e52u;
    x ^= x * 0xc7afe638u;
    x ^= x * 0x8d22f6e6u;
    return x;
}

// Owen scrambling of a 32-bit fixed-point value (Burley 2020, nested_uniform_scramble).
uint owenScramble(uint x, uint seed) {
    return bitfieldReverse(laineKarras(bitfieldReverse(x), seed));
}

// Second Sobol dimension (primitive polynomial x + 1, Joe & Kuo direction numbers), in reversed bit order.
// Its generator matrix is Pascal's triangle mod 2: by Lucas' theorem, reversed output bit k is the XOR of
// the index bits j whose bits include k's, a superset transform done in five butterfly steps instead of
// a product over 32 direction numbers (the same values for every 32-bit index).
uint sobolDim1Reversed(uint index) {
    uint y = index;
    y ^= (y >> 1u) & 0x55555555u;
    y ^= (y >> 2u) & 0x33333333u;
    y ^= (y >> 4u) & 0x0f0f0f0fu;
    y ^= (y >> 8u) & 0x00ff00ffu;
    y ^= (y >> 16u) & 0x0000ffffu;
    return y;
}

const uint PAIRS_PER_BOUNCE = 4u;

// A 2D sample in [0,1)^2 for sample index s of a pixel: pair 0 is the camera, then PAIRS_PER_BOUNCE per bounce.
vec2 sample2(uint pixel, uint s, uint pair) {
    uint seed = pcgHash(pixel ^ pcgHash(pair));
    uint index = owenScramble(s, seed);
    // owenScramble(sobol(index)) with both bit reversals of each Owen scramble folded away: dimension 0 is
    // the reversed index itself, dimension 1 comes reversed from sobolDim1Reversed.
    uint x = bitfieldReverse(laineKarras(index, pcgHash(seed ^ 0x9e3779b9u)));
    uint y = bitfieldReverse(laineKarras(sobolDim1Reversed(index), pcgHash(seed ^ 0x7f4a7c15u)));
    // Top 24 bits, exactly representable in a float, so values stay below 1.
    return vec2(float(x >> 8u), float(y >> 8u)) * (1.0 / 16777216.0);
}

// Pair assignment within one bounce.
const uint PAIR_LIGHT_POINT = 0u;   // point on the chosen light
const uint PAIR_LIGHT_PICK = 1u;    // x: which light, y: which BSDF lobe
const uint PAIR_BSDF = 2u;          // direction from the BSDF
const uint PAIR_ROULETTE = 3u;      // x: Russian roulette

vec2 bounceSample(uint pixel, uint s, uint bounce, uint which) {
    return sample2(pixel, s, 1u + bounce * PAIRS_PER_BOUNCE + which);
}
