"""Renders a glTF scene with Blender Cycles (CPU) and compares it with the farm renderer's EXR.

    blender -b --factory-startup -P samples/scripts/cycles_compare.py -- \
        --scene samples/cornell-box/cornell-box.gltf --ours OURS.exr --out docs/renderer \
        --size 256 --spp 1024 --bounces 8 [--ours-seconds S]

Same resolution, samples and path length as the farm render (the farm's --bounces B counts scattering
events, Cycles' max bounces counts indirect ones: Cycles gets B - 1), box pixel filter, no denoising,
no clamping, Standard view. Materials: Blender's glTF importer maps glTF materials to Principled v1,
whose diffuse is Burley's, not glTF's Lambert; by default each non-emissive material is rebuilt from the
glTF file as glTF's reference BRDF in Cycles nodes (Lambert diffuse, GGX glossy weighted by
KHR_materials_specular and Fresnel at the KHR_materials_ior, metals as tinted GGX). --principled keeps the
importer's Principled BSDF. Writes cycles.exr, cycles.png, ours.png, difference.png and a summary line
with the mean absolute difference of linear RGB after an 8x8 box downsample, relative to the mean.
"""
import argparse
import json
import os
import sys
import time

import bpy
import numpy as np

# Blender 3.4's glTF importer uses np.bool, which newer NumPy releases removed.
if not hasattr(np, "bool"):
    np.bool = bool


def args():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    p = argparse.ArgumentParser()
    p.add_argument("--scene", required=True)
    p.add_argument("--ours", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--spp", type=int, default=1024)
    p.add_argument("--bounces", type=int, default=8)
    p.add_argument("--ours-seconds", type=float, default=0.0)
    p.add_argument("--ours-cpu-seconds", type=float, default=0.0, help="CPU time of our render (all its threads)")
    p.add_argument("--cycles-exr", default="",
                   help="compare with this earlier Cycles render (same settings) instead of rendering again")
    p.add_argument("--cycles-seconds", type=float, default=0.0, help="that render's time, for the speed figures")
    p.add_argument("--principled", action="store_true",
                   help="keep the glTF importer's Principled BSDF instead of the glTF reference BRDF")
    return p.parse_args(argv)


def gltf_reference_brdf(materials, scene_path):
    """Rebuilds each non-emissive material as glTF 2.0's reference BRDF (specification, appendix B)."""
    with open(scene_path, encoding="utf-8") as f:
        doc = json.load(f)
    by_name = {m.get("name", ""): m for m in doc.get("materials", [])}
    for m in materials:
        g = by_name.get(m.name)
        if g is None or not m.use_nodes or max(g.get("emissiveFactor", [0, 0, 0])) > 0:
            continue
        pbr = g.get("pbrMetallicRoughness", {})
        ext = g.get("extensions", {})
        base = list(pbr.get("baseColorFactor", [1, 1, 1, 1]))
        metallic = pbr.get("metallicFactor", 1.0)
        roughness = pbr.get("roughnessFactor", 1.0)
        specular = ext.get("KHR_materials_specular", {}).get("specularFactor", 1.0)
        ior = ext.get("KHR_materials_ior", {}).get("ior", 1.5)
        nodes = m.node_tree.nodes
        links = m.node_tree.links
        output = next((n for n in nodes if n.type == "OUTPUT_MATERIAL"), None)
        if output is None:
            continue
        diffuse = nodes.new("ShaderNodeBsdfDiffuse")  # roughness 0: Lambert
        diffuse.inputs["Color"].default_value = base
        diffuse.inputs["Roughness"].default_value = 0.0
        surface = diffuse.outputs["BSDF"]
        if specular > 0:
            # Blender's Glossy roughness is perceptual (alpha = roughness^2), as glTF's.
            glossy = nodes.new("ShaderNodeBsdfGlossy")
            glossy.distribution = "GGX"
            glossy.inputs["Color"].default_value = (1, 1, 1, 1)
            glossy.inputs["Roughness"].default_value = roughness
            fresnel = nodes.new("ShaderNodeFresnel")
            fresnel.inputs["IOR"].default_value = ior
            weight = nodes.new("ShaderNodeMath")
            weight.operation = "MULTIPLY"
            weight.inputs[1].default_value = specular
            links.new(fresnel.outputs["Fac"], weight.inputs[0])
            mix = nodes.new("ShaderNodeMixShader")
            links.new(weight.outputs["Value"], mix.inputs["Fac"])
            links.new(surface, mix.inputs[1])
            links.new(glossy.outputs["BSDF"], mix.inputs[2])
            surface = mix.outputs["Shader"]
        if metallic > 0:
            metal = nodes.new("ShaderNodeBsdfGlossy")
            metal.distribution = "GGX"
            metal.inputs["Color"].default_value = base
            metal.inputs["Roughness"].default_value = roughness
            mix = nodes.new("ShaderNodeMixShader")
            mix.inputs["Fac"].default_value = metallic
            links.new(surface, mix.inputs[1])
            links.new(metal.outputs["BSDF"], mix.inputs[2])
            surface = mix.outputs["Shader"]
        links.new(surface, output.inputs["Surface"])


def render_cycles(a):
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.ops.import_scene.gltf(filepath=os.path.abspath(a.scene))
    if not a.principled:
        gltf_reference_brdf(bpy.data.materials, a.scene)
    scene = bpy.context.scene
    cams = [o for o in scene.objects if o.type == "CAMERA"]
    scene.camera = cams[0]
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = a.spp
    scene.cycles.use_adaptive_sampling = False
    scene.cycles.use_denoising = False
    scene.cycles.seed = 1
    b = max(0, a.bounces - 1)
    scene.cycles.max_bounces = b
    scene.cycles.diffuse_bounces = b
    scene.cycles.glossy_bounces = b
    scene.cycles.transmission_bounces = b
    scene.cycles.transparent_max_bounces = b
    scene.cycles.sample_clamp_direct = 0.0
    scene.cycles.sample_clamp_indirect = 0.0
    scene.cycles.caustics_reflective = True
    scene.cycles.caustics_refractive = True
    scene.cycles.blur_glossy = 0.0
    scene.cycles.filter_type = "BOX"
    scene.cycles.filter_width = 1.0
    scene.render.resolution_x = a.size
    scene.render.resolution_y = a.size
    scene.render.resolution_percentage = 100
    scene.render.film_transparent = False
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.look = "None"
    scene.view_settings.exposure = 0.0
    scene.view_settings.gamma = 1.0
    if scene.world is None:
        scene.world = bpy.data.worlds.new("World")
    scene.world.use_nodes = True
    scene.world.node_tree.nodes["Background"].inputs["Color"].default_value = (0, 0, 0, 1)
    exr = os.path.join(a.out, "cycles.exr")
    scene.render.image_settings.file_format = "OPEN_EXR"
    scene.render.image_settings.color_depth = "32"
    scene.render.filepath = exr
    start = time.perf_counter()
    cpu = time.process_time()
    bpy.ops.render.render(write_still=True)
    seconds = time.perf_counter() - start
    # Blender's process time counts every Cycles thread: the work done, whatever else loads the machine.
    return exr, seconds, time.process_time() - cpu


def load_linear(path):
    img = bpy.data.images.load(os.path.abspath(path), check_existing=False)
    img.colorspace_settings.name = "Non-Color"
    w, h = img.size
    px = np.array(img.pixels[:], dtype=np.float64).reshape(h, w, 4)[::-1, :, :3]
    bpy.data.images.remove(img)
    return px


def srgb(linear):
    c = np.clip(linear, 0.0, 1.0)
    # IEC 61966-2-1 sRGB transfer function.
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * np.power(c, 1 / 2.4) - 0.055)


def save_png(rgb, path):
    h, w, _ = rgb.shape
    img = bpy.data.images.new(os.path.basename(path), width=w, height=h, alpha=False, float_buffer=True)
    img.colorspace_settings.name = "Non-Color"
    rgba = np.ones((h, w, 4))
    rgba[:, :, :3] = rgb
    img.pixels[:] = rgba[::-1].ravel()
    img.filepath_raw = path
    img.file_format = "PNG"
    img.save()
    bpy.data.images.remove(img)


def box(img, k):
    h, w, c = img.shape
    return img[: h - h % k, : w - w % k].reshape(h // k, k, w // k, k, c).mean(axis=(1, 3))


def main():
    a = args()
    os.makedirs(a.out, exist_ok=True)
    if a.cycles_exr:
        exr, seconds, cpu_seconds = a.cycles_exr, a.cycles_seconds, 0.0
    else:
        exr, seconds, cpu_seconds = render_cycles(a)
    cycles = load_linear(exr)
    ours = load_linear(a.ours)
    if cycles.shape != ours.shape:
        raise SystemExit("size mismatch: cycles %s, ours %s" % (cycles.shape, ours.shape))
    dc, do = box(cycles, 8), box(ours, 8)
    mad = float(np.abs(dc - do).mean() / dc.mean())
    save_png(srgb(cycles), os.path.join(a.out, "cycles.png"))
    save_png(srgb(ours), os.path.join(a.out, "ours.png"))
    # Difference image: |ours - cycles| per pixel, scaled so 10% of the mean radiance is white.
    diff = np.abs(ours - cycles).mean(axis=2, keepdims=True) / (0.1 * cycles.mean())
    save_png(np.repeat(np.clip(diff, 0, 1), 3, axis=2), os.path.join(a.out, "difference.png"))
    diff8 = np.abs(do - dc).mean(axis=2, keepdims=True) / (0.1 * dc.mean())
    save_png(np.repeat(np.clip(np.kron(diff8, np.ones((8, 8, 1))), 0, 1), 3, axis=2),
             os.path.join(a.out, "difference-8x8.png"))
    paths = a.size * a.size * a.spp
    summary = {
        "mean_cycles": float(cycles.mean()), "mean_ours": float(ours.mean()),
        "mad_8x8_relative": mad,
        "mean_ratio_per_channel": [float(x) for x in (do.mean(axis=(0, 1)) / dc.mean(axis=(0, 1)))],
    }
    if seconds > 0:
        summary["cycles_seconds"] = seconds
        summary["cycles_paths_per_s"] = paths / seconds
    if a.ours_seconds > 0 and seconds > 0:
        summary["ours_seconds"] = a.ours_seconds
        summary["ours_paths_per_s"] = paths / a.ours_seconds
        summary["speed_ratio_ours_over_cycles"] = seconds / a.ours_seconds
    if a.ours_cpu_seconds > 0 and cpu_seconds > 0:
        summary["cycles_cpu_seconds"] = cpu_seconds
        summary["ours_cpu_seconds"] = a.ours_cpu_seconds
        summary["cpu_speed_ratio_ours_over_cycles"] = cpu_seconds / a.ours_cpu_seconds
    print("COMPARISON " + json.dumps(summary))
    with open(os.path.join(a.out, "comparison.json"), "w") as f:
        json.dump(summary, f, indent=1)


main()
