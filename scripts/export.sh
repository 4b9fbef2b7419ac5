#!/usr/bin/env bash
# Writes a run date's detections, from its committed tables, for a review or labeling tool, in Spark local mode:
#   scripts/export.sh --output /tmp/inspections --run-date 2026-12-07 --format coco --to /tmp/review
# Formats: coco (instances.json), labelstudio (tasks.json), yolo (MODEL/labels/*.txt, MODEL/classes.txt),
# mot (MODEL/VIDEO.txt per tracked video). See docs/reports-and-exports.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_local dev.inspection.jobs.ExportJob "$@"
