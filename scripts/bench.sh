#!/usr/bin/env bash
# Throughput on this machine: (a) the bare inference loop and (b) the whole job on the same images, model and cores.
#   scripts/bench.sh [MODEL.onnx] [IMAGE_DIR] [COPIES] [CORES] [BATCH]
# Defaults: the demo detector on the demo boards, each copied 20 times, all cores, batch 8. The last line is ratio=b/a.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
model=${1:-$root/jobs/demo/models/pcb-detector.onnx}
images=${2:-$root/jobs/demo/images}
build_if_needed
exec java -Xmx6g "${java_opts[@]}" -cp "$root/jobs/target/test-classes:$(local_classpath)" \
  dev.inspection.jobs.Bench "$model" "$images" "${3:-20}" "${4:-$(nproc)}" "${5:-8}"
