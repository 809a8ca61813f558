#!/usr/bin/env bash
# Renders a glTF scene with the farm renderer and with Blender Cycles (CPU) in one run, at the same
# resolution, samples and bounces, and compares them (samples/scripts/cycles_compare.py).
#
#   samples/scripts/compare_cycles.sh [SCENE] [SIZE] [SPP] [BOUNCES] [OUTDIR] [--principled]
#   defaults: samples/cornell-box/cornell-box.gltf 256 1024 8 docs/renderer
#   --principled keeps the glTF importer's Principled BSDF in Cycles (default: glTF's reference BRDF in Cycles nodes).
#
# Needs: a built worker (./mvnw -B -q install -DskipTests; FARM_WORKER_JAR names another jar beside it), Debian
# packages blender and python3-numpy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCENE="${1:-$ROOT/samples/cornell-box/cornell-box.gltf}"
SIZE="${2:-256}"
SPP="${3:-1024}"
BOUNCES="${4:-8}"
OUT="${5:-$ROOT/docs/renderer}"
EXTRA=("${@:6}")
mkdir -p "$OUT"
LOG="$(mktemp)"
java -jar "${FARM_WORKER_JAR:-$ROOT/render-worker/target/render-worker-0.1.0-SNAPSHOT.jar}" render "$SCENE" --width "$SIZE" --height "$SIZE" \
  --spp "$SPP" --bounces "$BOUNCES" -o "$OUT/ours.exr" 2> >(tee "$LOG" >&2)
# The render command's last line: "render: N paths in S s, R paths/s, C s of CPU".
SECONDS_OURS="$(sed -n 's/^render: [0-9]* paths in \([0-9.]*\) s.*/\1/p' "$LOG" | tail -1)"
CPU_OURS="$(sed -n 's/^render: .*, \([0-9.]*\) s of CPU$/\1/p' "$LOG" | tail -1)"
rm -f "$LOG"
blender -b --factory-startup -P "$ROOT/samples/scripts/cycles_compare.py" -- --scene "$SCENE" --ours "$OUT/ours.exr" \
  --out "$OUT" --size "$SIZE" --spp "$SPP" --bounces "$BOUNCES" --ours-seconds "$SECONDS_OURS" --ours-cpu-seconds "${CPU_OURS:-0}" "${EXTRA[@]}" 2>&1 | grep -v '^Fra:'
