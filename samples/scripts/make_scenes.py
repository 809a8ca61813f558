#!/usr/bin/env python3
"""Builds the sample scenes as self-contained glTF 2.0 files (buffers embedded as data URIs).

    python3 samples/scripts/make_scenes.py

Writes samples/cornell-box/cornell-box.gltf, samples/sphere-trio/sphere-trio.gltf, the animated
samples/moving-sphere/moving-sphere.gltf and the textured samples/texture-yard/texture-yard.gltf.
The output is deterministic: the same script writes the same bytes.

    python3 samples/scripts/make_scenes.py --dense OUT.gltf

writes the Cornell box with two 81,920-triangle spheres (163,872 triangles), the large scene of the
Cycles speed comparison (docs/BENCHMARKS.md), to OUT.gltf only.
"""
import base64
import json
import math
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.dirname(HERE)


def gltf(materials, primitives_by_material, camera, name, extensions=("KHR_materials_emissive_strength",)):
    """materials: list of dicts; primitives_by_material: list of (material index, list of triangles)."""
    blob = bytearray()
    accessors, views, prims = [], [], []
    for material, triangles in primitives_by_material:
        flat = [c for tri in triangles for v in tri for c in v]
        offset = len(blob)
        blob += struct.pack("<%df" % len(flat), *flat)
        views.append({"buffer": 0, "byteOffset": offset, "byteLength": len(flat) * 4, "target": 34962})
        xs, ys, zs = flat[0::3], flat[1::3], flat[2::3]
        accessors.append({"bufferView": len(views) - 1, "componentType": 5126, "count": len(flat) // 3, "type": "VEC3",
                          "min": [min(xs), min(ys), min(zs)], "max": [max(xs), max(ys), max(zs)]})
        prims.append({"attributes": {"POSITION": len(accessors) - 1}, "material": material, "mode": 4})
    doc = {
        "asset": {"version": "2.0", "generator": "render-farm samples/scripts/make_scenes.py"},
        "extensionsUsed": sorted(extensions),
        "scene": 0,
        "scenes": [{"name": name, "nodes": [0, 1]}],
        "nodes": [
            {"name": name + "-geometry", "mesh": 0},
            {"name": "camera", "camera": 0, "translation": camera["position"]},
        ],
        "cameras": [{"name": "camera", "type": "perspective",
                     "perspective": {"yfov": camera["yfov"], "aspectRatio": 1.0, "znear": 0.01, "zfar": 100.0}}],
        "meshes": [{"name": name, "primitives": prims}],
        "materials": materials,
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob),
                     "uri": "data:application/octet-stream;base64," + base64.b64encode(bytes(blob)).decode("ascii")}],
    }
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def diffuse(name, rgb):
    return {"name": name, "doubleSided": True,
            "pbrMetallicRoughness": {"baseColorFactor": list(rgb) + [1.0], "metallicFactor": 0.0, "roughnessFactor": 1.0}}


def lambertian(name, rgb):
    # KHR_materials_specular with specularFactor 0 removes glTF's dielectric specular layer: a purely
    # Lambertian surface, as the measured box is described.
    m = diffuse(name, rgb)
    m["extensions"] = {"KHR_materials_specular": {"specularFactor": 0.0}}
    return m


def emitter(name, colour, strength, glossy=True):
    # The measured Cornell box's light is a Lambertian reflector (albedo 0.78) too: glossy=False drops
    # glTF's default dielectric specular layer, as lambertian() does for the walls.
    m = diffuse(name, (0.78, 0.78, 0.78))
    m["doubleSided"] = False
    m["emissiveFactor"] = list(colour)
    m["extensions"] = {"KHR_materials_emissive_strength": {"emissiveStrength": strength}}
    if not glossy:
        m["extensions"]["KHR_materials_specular"] = {"specularFactor": 0.0}
    return m


def quad(a, b, c, d):
    return [(a, b, c), (a, c, d)]


def cornell_box(extra_white=()):
    # The Cornell Box as measured by the Cornell Program of Computer Graphics, in millimetres,
    # camera looking along +z. Turned half a turn about +y (x -> 556 - x, z -> -z, still a rotation,
    # so the red wall stays on the left) so the glTF camera looks down -z, and scaled to metres.
    def p(x, y, z):
        return ((556.0 - x) / 1000.0, y / 1000.0, -z / 1000.0)

    def q(*pts):
        return quad(*[p(*v) for v in pts])

    white = (q((552.8, 0, 0), (0, 0, 0), (0, 0, 559.2), (549.6, 0, 559.2))            # floor
             + q((556, 548.8, 0), (556, 548.8, 559.2), (0, 548.8, 559.2), (0, 548.8, 0))  # ceiling
             + q((549.6, 0, 559.2), (0, 0, 559.2), (0, 548.8, 559.2), (556, 548.8, 559.2))  # back wall
             # short block
             + q((130, 165, 65), (82, 165, 225), (240, 165, 272), (290, 165, 114))
             + q((290, 0, 114), (290, 165, 114), (240, 165, 272), (240, 0, 272))
             + q((130, 0, 65), (130, 165, 65), (290, 165, 114), (290, 0, 114))
             + q((82, 0, 225), (82, 165, 225), (130, 165, 65), (130, 0, 65))
             + q((240, 0, 272), (240, 165, 272), (82, 165, 225), (82, 0, 225))
             # tall block
             + q((423, 330, 247), (265, 330, 296), (314, 330, 456), (472, 330, 406))
             + q((423, 0, 247), (423, 330, 247), (472, 330, 406), (472, 0, 406))
             + q((472, 0, 406), (472, 330, 406), (314, 330, 456), (314, 0, 456))
             + q((314, 0, 456), (314, 330, 456), (265, 330, 296), (265, 0, 296))
             + q((265, 0, 296), (265, 330, 296), (423, 330, 247), (423, 0, 247)))
    red = q((552.8, 0, 0), (549.6, 0, 559.2), (556, 548.8, 559.2), (556, 548.8, 0))
    green = q((0, 0, 559.2), (0, 0, 0), (0, 548.8, 0), (0, 548.8, 559.2))
    # The light, 0.1 mm below the ceiling, wound so its face points down into the box.
    light = q((343, 548.7, 227), (343, 548.7, 332), (213, 548.7, 332), (213, 548.7, 227))
    materials = [
        lambertian("white", (0.725, 0.71, 0.68)),
        lambertian("red", (0.63, 0.065, 0.05)),
        lambertian("green", (0.14, 0.45, 0.091)),
        emitter("light", (1.0, 12.0 / 17.0, 4.0 / 17.0), 17.0, glossy=False),
    ]
    camera = {"position": [0.278, 0.273, 0.8], "yfov": math.radians(39.3077)}
    return gltf(materials, [(0, white + list(extra_white)), (1, red), (2, green), (3, light)], camera, "cornell-box",
                ("KHR_materials_emissive_strength", "KHR_materials_specular"))


def dense_cornell_box():
    # The Cornell box with two white icospheres of 81,920 triangles each on its floor (163,872 triangles in
    # all): the large scene of the Cycles speed comparison. Not a sample: written only on request.
    return cornell_box(icosphere((0.12, 0.07, -0.12), 0.07, 6) + icosphere((0.45, 0.05, -0.35), 0.05, 6))


def icosphere(centre, radius, subdivisions):
    t = (1 + 5 ** 0.5) / 2
    verts = [(-1, t, 0), (1, t, 0), (-1, -t, 0), (1, -t, 0), (0, -1, t), (0, 1, t), (0, -1, -t), (0, 1, -t),
             (t, 0, -1), (t, 0, 1), (-t, 0, -1), (-t, 0, 1)]
    faces = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4), (11, 10, 2),
             (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8), (3, 8, 9), (4, 9, 5), (2, 4, 11),
             (6, 2, 10), (8, 6, 7), (9, 8, 1)]

    def unit(v):
        n = math.sqrt(sum(c * c for c in v))
        return tuple(c / n for c in v)

    tris = [tuple(unit(verts[i]) for i in f) for f in faces]
    for _ in range(subdivisions):
        nxt = []
        for a, b, c in tris:
            ab, bc, ca = (unit(tuple((x + y) / 2 for x, y in zip(u, v))) for u, v in ((a, b), (b, c), (c, a)))
            nxt += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
        tris = nxt
    return [tuple(tuple(round(cc * radius + o, 6) for cc, o in zip(v, centre)) for v in tri) for tri in tris]


def sphere_trio():
    floor = quad((-2, 0, -2), (-2, 0, 2), (2, 0, 2), (2, 0, -2))
    back = quad((-2, 0, -2), (2, 0, -2), (2, 2.5, -2), (-2, 2.5, -2))
    light = quad((-0.5, 2.4, -0.5), (0.5, 2.4, -0.5), (0.5, 2.4, 0.5), (-0.5, 2.4, 0.5))
    materials = [
        diffuse("floor", (0.8, 0.8, 0.8)),
        diffuse("blue", (0.1, 0.2, 0.7)),
        diffuse("orange", (0.8, 0.4, 0.1)),
        diffuse("ivory", (0.9, 0.88, 0.8)),
        emitter("softbox", (1.0, 1.0, 1.0), 12.0),
    ]
    prims = [(0, floor + back), (1, icosphere((-0.7, 0.35, 0), 0.35, 3)), (2, icosphere((0.0, 0.5, -0.4), 0.5, 3)),
             (3, icosphere((0.75, 0.3, 0.3), 0.3, 3)), (4, light)]
    camera = {"position": [0.0, 0.9, 3.2], "yfov": math.radians(40.0)}
    return gltf(materials, prims, camera, "sphere-trio")


def pack(blob, accessors, views, values, kind):
    """Appends floats to blob as one accessor of type kind ("SCALAR", "VEC3", "VEC4"); returns its index."""
    offset = len(blob)
    blob += struct.pack("<%df" % len(values), *values)
    views.append({"buffer": 0, "byteOffset": offset, "byteLength": len(values) * 4})
    width = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}[kind]
    acc = {"bufferView": len(views) - 1, "componentType": 5126, "count": len(values) // width, "type": kind}
    if kind == "SCALAR":
        acc["min"], acc["max"] = [min(values)], [max(values)]
    if kind == "VEC3" and len(values) % 9 == 0:
        acc["min"] = [min(values[i::3]) for i in range(3)]
        acc["max"] = [max(values[i::3]) for i in range(3)]
    accessors.append(acc)
    return len(accessors) - 1


def moving_sphere():
    """A sphere that rolls from left to right in front of a wall while a box turns, 25 frames at 24 fps.

    The sphere's translation is LINEAR, the box's rotation LINEAR (slerp); frame 1 shows time 0.
    Everything else (floor, wall, light, camera) stays put, so frames differ only where things moved.
    """
    blob, accessors, views = bytearray(), [], []
    floor = quad((-2, 0, -2), (-2, 0, 2), (2, 0, 2), (2, 0, -2))
    back = quad((-2, 0, -2), (2, 0, -2), (2, 2.5, -2), (-2, 2.5, -2))
    light = quad((-0.5, 2.4, -0.5), (0.5, 2.4, -0.5), (0.5, 2.4, 0.5), (-0.5, 2.4, 0.5))
    ball = icosphere((0, 0, 0), 0.3, 2)
    b = 0.2
    box = (quad((-b, -b, b), (b, -b, b), (b, b, b), (-b, b, b)) + quad((b, -b, -b), (-b, -b, -b), (-b, b, -b), (b, b, -b))
           + quad((-b, b, b), (b, b, b), (b, b, -b), (-b, b, -b)) + quad((-b, -b, -b), (b, -b, -b), (b, -b, b), (-b, -b, b))
           + quad((b, -b, b), (b, -b, -b), (b, b, -b), (b, b, b)) + quad((-b, -b, -b), (-b, -b, b), (-b, b, b), (-b, b, -b)))

    def mesh(name, parts):
        prims = []
        for material, tris in parts:
            flat = [c for tri in tris for v in tri for c in v]
            prims.append({"attributes": {"POSITION": pack(blob, accessors, views, flat, "VEC3")}, "material": material, "mode": 4})
        return {"name": name, "primitives": prims}

    # Materials are listed in the order the meshes first use them, the order Assimp reports them in.
    meshes = [mesh("room", [(0, floor + back), (1, light)]), mesh("ball", [(2, ball)]), mesh("box", [(3, box)])]
    times = pack(blob, accessors, views, [0.0, 0.5, 1.0], "SCALAR")
    path = pack(blob, accessors, views, [-0.8, 0.3, 0.2, 0.0, 0.6, 0.2, 0.8, 0.3, 0.2], "VEC3")
    half = math.sqrt(0.5)
    turn = pack(blob, accessors, views, [0, 0, 0, 1, 0, math.sin(math.pi / 8), 0, math.cos(math.pi / 8), 0, half, 0, half], "VEC4")
    doc = {
        "asset": {"version": "2.0", "generator": "render-farm samples/scripts/make_scenes.py"},
        "extensionsUsed": ["KHR_materials_emissive_strength"],
        "scene": 0,
        "scenes": [{"name": "moving-sphere", "nodes": [0, 1, 2, 3], "extras": {"frameRate": 24, "frameStart": 1}}],
        "nodes": [
            {"name": "room", "mesh": 0},
            {"name": "ball", "mesh": 1, "translation": [-0.8, 0.3, 0.2]},
            {"name": "box", "mesh": 2, "translation": [0.9, 0.2, -1.0]},
            {"name": "camera", "camera": 0, "translation": [0.0, 0.9, 3.2]},
        ],
        "cameras": [{"name": "camera", "type": "perspective",
                     "perspective": {"yfov": math.radians(40.0), "aspectRatio": 1.0, "znear": 0.01, "zfar": 100.0}}],
        "meshes": meshes,
        "materials": [diffuse("floor", (0.8, 0.8, 0.8)), emitter("softbox", (1.0, 1.0, 1.0), 12.0),
                      diffuse("ball", (0.8, 0.3, 0.1)), diffuse("box", (0.1, 0.3, 0.8))],
        "animations": [{"name": "roll", "samplers": [{"input": times, "output": path, "interpolation": "LINEAR"},
                                                     {"input": times, "output": turn, "interpolation": "LINEAR"}],
                        "channels": [{"sampler": 0, "target": {"node": 1, "path": "translation"}},
                                     {"sampler": 1, "target": {"node": 2, "path": "rotation"}}]}],
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob),
                     "uri": "data:application/octet-stream;base64," + base64.b64encode(bytes(blob)).decode("ascii")}],
    }
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def png(width, height, rgba):
    """An 8-bit RGBA PNG (ISO/IEC 15948) from rows of (r, g, b, a) tuples, top row first."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in rgba)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def rgbe(width, height, radiance):
    """A Radiance .hdr file, flat (not run-length encoded) RGBE scanlines, top row first."""
    out = bytearray(b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y %d +X %d\n" % (height, width))
    for row in radiance:
        for r, g, b in row:
            m = max(r, g, b)
            if m < 1e-32:
                out += bytes(4)
                continue
            mantissa, exponent = math.frexp(m)
            scale = mantissa * 256.0 / m
            out += bytes((int(r * scale), int(g * scale), int(b * scale), exponent + 128))
    return bytes(out)


def texture_yard():
    """A checker floor, an alpha-masked fence, an emissive-textured sign and a sphere under an HDR sky.

    Shows every texture path: base colour (with KHR_texture_transform repeat), alpha MASK through UV set 1,
    an emissive texture with KHR_materials_emissive_strength, and an equirectangular environment map with
    a small, very bright sun (importance sampled) named in the scene's extras.
    """
    blob, accessors, views = bytearray(), [], []

    def prim(material, tris, uv0, uv1=None):
        flat = [c for tri in tris for v in tri for c in v]
        attrs = {"POSITION": pack(blob, accessors, views, flat, "VEC3"),
                 "TEXCOORD_0": pack(blob, accessors, views, uv0, "VEC2")}
        if uv1 is not None:
            attrs["TEXCOORD_1"] = pack(blob, accessors, views, uv1, "VEC2")
        return {"attributes": attrs, "material": material, "mode": 4}

    # A quad a-b-c-d with UVs (0,0) (1,0) (1,1) (0,1) at its corners, as two triangles.
    def uv_quad():
        return [0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1]

    floor = quad((-3, 0, -3), (3, 0, -3), (3, 0, 3), (-3, 0, 3))
    fence = quad((-1.5, 1.0, -0.6), (1.5, 1.0, -0.6), (1.5, 0.0, -0.6), (-1.5, 0.0, -0.6))
    sign = quad((-0.5, 1.6, -1.5), (0.5, 1.6, -1.5), (0.5, 1.1, -1.5), (-0.5, 1.1, -1.5))
    ball = icosphere((0.8, 0.35, 0.6), 0.35, 3)
    ball_uv = [0.0] * (len(ball) * 6)
    # UV set 1 of the fence stretches its stripe texture eight times across it.
    fence_uv1 = [0, 0, 8, 0, 8, 1, 0, 0, 8, 1, 0, 1]
    prims = [prim(0, floor, uv_quad()), prim(1, fence, uv_quad(), fence_uv1), prim(2, sign, uv_quad()), prim(3, ball, ball_uv)]

    checker = [[(200, 200, 200, 255) if (x + y) % 2 == 0 else (60, 90, 140, 255) for x in range(8)] for y in range(8)]
    stripes = [[(255, 255, 255, 255 if x < 4 else 0) for x in range(8)]]
    disc = [[(255, 220, 40, 255) if (x - 7.5) ** 2 + (y - 7.5) ** 2 < 49 else (20, 20, 20, 255) for x in range(16)]
             for y in range(16)]
    width, height = 64, 32
    sky = []
    for y in range(height):
        row = []
        for x in range(width):
            t = (y + 0.5) / height
            if t < 0.5:
                c = (0.3 + 0.9 * t, 0.45 + 0.8 * t, 0.9)
            else:
                c = (0.25, 0.22, 0.2)
            # The sun: 2 x 2 texels, 40 degrees up, towards -X and a little behind the camera.
            if y in (8, 9) and x in (20, 21):
                c = (150.0, 140.0, 120.0)
            row.append(c)
        sky.append(row)
    images = [png(8, 8, checker), png(8, 1, stripes), png(16, 16, disc)]
    image_json = [{"uri": "data:image/png;base64," + base64.b64encode(i).decode("ascii")} for i in images]
    image_json.append({"uri": "data:image/vnd.radiance;base64," + base64.b64encode(rgbe(width, height, sky)).decode("ascii")})
    doc = {
        "asset": {"version": "2.0", "generator": "render-farm samples/scripts/make_scenes.py"},
        "extensionsUsed": ["KHR_materials_emissive_strength", "KHR_texture_transform"],
        "scene": 0,
        "scenes": [{"name": "texture-yard", "nodes": [0, 1],
                    "extras": {"environmentMap": {"image": 3, "strength": 1.0}}}],
        "nodes": [{"name": "yard", "mesh": 0},
                  {"name": "camera", "camera": 0, "translation": [0.0, 1.2, 3.0], "rotation": [-0.0998, 0, 0, 0.995]}],
        "cameras": [{"name": "camera", "type": "perspective",
                     "perspective": {"yfov": math.radians(45.0), "aspectRatio": 1.0, "znear": 0.01, "zfar": 100.0}}],
        "meshes": [{"name": "yard", "primitives": prims}],
        "materials": [
            {"name": "checker floor", "pbrMetallicRoughness": {
                "baseColorTexture": {"index": 0, "extensions": {"KHR_texture_transform": {"scale": [6, 6]}}},
                "metallicFactor": 0.0, "roughnessFactor": 0.8}},
            {"name": "fence", "alphaMode": "MASK", "alphaCutoff": 0.5, "doubleSided": True, "pbrMetallicRoughness": {
                "baseColorFactor": [0.9, 0.45, 0.1, 1.0], "baseColorTexture": {"index": 1, "texCoord": 1},
                "metallicFactor": 0.0, "roughnessFactor": 0.6}},
            {"name": "sign", "doubleSided": True, "emissiveFactor": [1.0, 1.0, 1.0], "emissiveTexture": {"index": 2},
             "extensions": {"KHR_materials_emissive_strength": {"emissiveStrength": 4.0}},
             "pbrMetallicRoughness": {"baseColorFactor": [0.1, 0.1, 0.1, 1.0], "metallicFactor": 0.0}},
            {"name": "ball", "pbrMetallicRoughness": {"baseColorFactor": [0.9, 0.9, 0.9, 1.0],
                                                      "metallicFactor": 1.0, "roughnessFactor": 0.25}},
        ],
        "textures": [{"source": 0, "sampler": 0}, {"source": 1, "sampler": 1}, {"source": 2, "sampler": 1}],
        "samplers": [{"magFilter": 9728, "wrapS": 10497, "wrapT": 10497},
                     {"magFilter": 9728, "wrapS": 10497, "wrapT": 33071}],
        "images": image_json,
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob),
                     "uri": "data:application/octet-stream;base64," + base64.b64encode(bytes(blob)).decode("ascii")}],
    }
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--dense":
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            f.write(dense_cornell_box())
        print(sys.argv[2])
        return
    for folder, text in (("cornell-box", cornell_box()), ("sphere-trio", sphere_trio()), ("moving-sphere", moving_sphere()),
                         ("texture-yard", texture_yard())):
        os.makedirs(os.path.join(SAMPLES, folder), exist_ok=True)
        path = os.path.join(SAMPLES, folder, folder + ".gltf")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(path)


if __name__ == "__main__":
    main()
