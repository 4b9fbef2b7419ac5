#!/usr/bin/env bash
# Runs the evaluation job in Spark local mode, as scripts/inspect.sh runs the inspection: the inspection's options
# plus --labels (and --calibrate, --calibrate-fpr X for anomaly models). It inspects the labeled images, writes the
# same tables, and adds detection_metrics/, anomaly_metrics/, the plots under evaluation/ and calibrated packages.
#   scripts/evaluate.sh --labels jobs/demo/labels.csv --input jobs/demo/images \
#     --detector jobs/demo/models/pcb-detector.onnx --output /tmp/evaluation
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_local dev.inspection.jobs.EvaluationJob "$@"
