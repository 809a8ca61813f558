// camera.glsl: pinhole camera, pixel (0,0) at the top left, jittered within the pixel.

struct Ray {
    vec3 origin;
    vec3 direction;
};

// Standard pinhole mapping (pbrt-v4 cameras.cpp, PerspectiveCamera) with a vertical field of view.
Ray cameraRay(uvec2 pixel, vec2 jitter) {
    float tanHalfFov = params.cameraPosition.w;
    float aspect = params.cameraForward.w;
    float sx = rDiv(float(pixel.x) + jitter.x, float(params.imageWidth)) * 2.0 - 1.0;
    float sy = 1.0 - rDiv(float(pixel.y) + jitter.y, float(params.imageHeight)) * 2.0;
    vec3 d = params.cameraForward.xyz
           + (sx * tanHalfFov * aspect) * params.cameraRight.xyz
           + (sy * tanHalfFov) * params.cameraUp.xyz;
    return Ray(params.cameraPosition.xyz, rNormalize(d));
}
