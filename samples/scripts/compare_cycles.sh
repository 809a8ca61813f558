#!/usr/bin/env bash
# Renders a glTF scene with the farm renderer and with Blender Cycles (CPU) in one run, at the same
# resolution, samples and bounces, and compares them (samples/scripts/cycles_compare.py).
#
#   samples/scripts/compare_cycles.sh [SCENE] [SIZE] [SPP] [BOUNCES] [OUTDIR] [--principled]
#   defaults: samples/cornell-box/cornell-box.gltf 256 1024 8 docs/renderer
#   --principled keeps the glTF importer's Principled BSDF in Cycles (default: glTF's reference BRDF in Cycles nodes).
#
# ROUNDS=N (default 1) renders both N times, alternating, and ends with the best (shortest) time of each:
# on a shared machine the best of a few alternating rounds is the steadiest figure of what each renderer needs.
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
ROUNDS="${ROUNDS:-1}"
RESULTS="$(mktemp)"
for ROUND in $(seq 1 "$ROUNDS"); do
  LOG="$(mktemp)"
  java -jar "${FARM_WORKER_JAR:-$ROOT/render-worker/target/render-worker-0.1.0-SNAPSHOT.jar}" render "$SCENE" --width "$SIZE" --height "$SIZE" \
    --spp "$SPP" --bounces "$BOUNCES" -o "$OUT/ours.exr" 2> >(tee "$LOG" >&2)
  # The render command's last line: "render: N paths in S s, R paths/s, C s of CPU".
  SECONDS_OURS="$(sed -n 's/^render: [0-9]* paths in \([0-9.]*\) s.*/\1/p' "$LOG" | tail -1)"
  CPU_OURS="$(sed -n 's/^render: .*, \([0-9.]*\) s of CPU$/\1/p' "$LOG" | tail -1)"
  rm -f "$LOG"
  blender -b --factory-startup -P "$ROOT/samples/scripts/cycles_compare.py" -- --scene "$SCENE" --ours "$OUT/ours.exr" \
    --out "$OUT" --size "$SIZE" --spp "$SPP" --bounces "$BOUNCES" --ours-seconds "$SECONDS_OURS" --ours-cpu-seconds "${CPU_OURS:-0}" "${EXTRA[@]}" 2>&1 | grep -v '^Fra:' | tee -a "$RESULTS"
done
python3 - "$RESULTS" "$ROUNDS" <<'PY'
import json, sys
runs = [json.loads(l[len("COMPARISON "):]) for l in open(sys.argv[1]) if l.startswith("COMPARISON ")]
if len(runs) > 1:
    ours = min(r["ours_seconds"] for r in runs)
    cycles = min(r["cycles_seconds"] for r in runs)
    ours_cpu = min(r["ours_cpu_seconds"] for r in runs)
    cycles_cpu = min(r["cycles_cpu_seconds"] for r in runs)
    print("BEST OF %d ROUNDS " % len(runs) + json.dumps({
        "ours_seconds": ours, "cycles_seconds": cycles, "speed_ratio_ours_over_cycles": cycles / ours,
        "ours_cpu_seconds": ours_cpu, "cycles_cpu_seconds": cycles_cpu,
        "cpu_speed_ratio_ours_over_cycles": cycles_cpu / ours_cpu if ours_cpu > 0 else None,
        "ours_seconds_all": [r["ours_seconds"] for r in runs], "cycles_seconds_all": [r["cycles_seconds"] for r in runs]}))
PY
rm -f "$RESULTS"
