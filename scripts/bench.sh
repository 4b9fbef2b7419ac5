#!/usr/bin/env bash
# Throughput on this machine, each as (a) the bare part and (b) the whole job on the same inputs, model and cores.
#   scripts/bench.sh [MODEL.onnx] [IMAGE_DIR] [COPIES] [CORES] [BATCH]
#     images: (a) the bare inference loop, (b) with the job's phases and its seconds outside inference; defaults: the
#     demo detector on the demo boards, each copied 20 times (1,000 images; the issue's goal is at COPIES 200), all
#     cores, batch 8.
#   scripts/bench.sh anomaly [MODEL.onnx] [IMAGE_DIR] [COPIES] [CORES] [BATCH]
#     the same for an anomaly model (its resize and normalization, maps, summaries, overlays); defaults: the demo
#     anomaly model on the demo boards, each copied 20 times.
#   scripts/bench.sh video [VIDEO] [MODEL.onnx] [CORES] [SAMPLE_MS] [SEGMENT_S] [MINUTES]
#     sampled frames/s: (a) the bare inference loop on the sampled frames' tensors, with decoding alone beside it,
#     and beside (b) the same job with --track;
#     defaults: a 60 s 1280x720 H.264 video of the demo boards (recorded once into the temporary folder), the demo
#     detector, all cores, 1000 ms, 15 s segments, the video's own length. MINUTES repeats the video (ffmpeg concat,
#     no re-encoding) to that length first: the issue's 10 minutes at a frame a second is
#     `scripts/bench.sh video "" "" "" 1000 15 10`.
#   scripts/bench.sh s3 [MODEL.onnx] [IMAGE_DIR] [COPIES] [LATENCY_MS] [CORES]
#     the whole job, (a) from local files and (b) from the in-process S3 server through a proxy that adds LATENCY_MS
#     to every request, output on local disk both times; defaults: YOLOv8n int8 from ../shared/compat/models if there,
#     else the demo detector, on ../shared/compat/coco8-train/images if there, else the demo boards, copied to about
#     400 images, 30 ms, all cores.
#   scripts/bench.sh scale [N] [CORES]
#     N generated 96x96 JPEGs (written once into the temporary folder) through the whole job with the demo detector:
#     a run on 8 (the fixed cost), on N/10 and on N, each with images/s, phases and the peak heap; the last line is
#     growth= (time for N less the fixed cost over time for N/10 less it; the issue's goal: at most 10.5); defaults:
#     100,000 images, all cores.
#   scripts/bench.sh photos [MODEL.onnx] [COUNT] [CORES] [TILE]
#     camera-size JPEGs (12 MP phone, 20 MP drone; written once into the temporary folder), per size: decoding only
#     (ImageIO in full; the reduced decoder at the model's size), (a) the bare inference loop, (b) the whole job untiled,
#     and the job with --tile-size TILE on a quarter of the photos in model inputs/s against the bare loop; defaults:
#     YOLOv8n int8 from ../shared/compat/models if there, else the demo detector, 24 photos per size, all cores, 640.
# The last line is ratio=b/a and efficiency=, the job's throughput over the ceiling that decoding and the bare model
# leave on the same cores, one after the other on each core: 1 / (1/decode + 1/model) (for photos: the untiled drone
# photos; for scale: growth=).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build_if_needed
classpath="$root/jobs/target/test-classes:$(local_classpath)"
demo_model=$root/jobs/demo/models/pcb-detector.onnx
yolo=$root/../shared/compat/models/yolov8n-int8-640.onnx
[ -f "$yolo" ] || yolo=$demo_model
if [ "${1:-}" = video ]; then
  exec java -Xmx6g "${java_opts[@]}" -cp "$classpath" dev.inspection.jobs.bench.VideoBench \
    "${2:-}" "${3:-$demo_model}" "${4:-$(nproc)}" "${5:-1000}" "${6:-15}" "${7:-}"
fi
if [ "${1:-}" = s3 ]; then
  coco=$root/../shared/compat/coco8-train/images
  [ -d "$coco" ] || coco=$root/jobs/demo/images
  exec java -Xmx6g "${java_opts[@]}" -cp "$classpath" dev.inspection.jobs.bench.S3Bench \
    "${2:-$yolo}" "${3:-$coco}" "${4:-}" "${5:-30}" "${6:-$(nproc)}"
fi
if [ "${1:-}" = scale ]; then
  exec java -Xmx6g "${java_opts[@]}" -cp "$classpath" dev.inspection.jobs.bench.ScaleBench \
    "$demo_model" "${2:-100000}" "${3:-$(nproc)}"
fi
if [ "${1:-}" = photos ]; then
  exec java -Xmx6g "${java_opts[@]}" -cp "$classpath" dev.inspection.jobs.bench.PhotoBench \
    "${2:-$yolo}" "${3:-24}" "${4:-$(nproc)}" "${5:-640}"
fi
kind=detector default_model=$demo_model
if [ "${1:-}" = anomaly ]; then
  kind=anomaly default_model=$root/jobs/demo/models/pcb-anomaly.onnx
  shift
fi
exec java -Xmx6g "${java_opts[@]}" -cp "$classpath" dev.inspection.jobs.bench.Bench "$kind" \
  "${1:-$default_model}" "${2:-$root/jobs/demo/images}" "${3:-20}" "${4:-$(nproc)}" "${5:-8}"
