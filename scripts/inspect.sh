#!/usr/bin/env bash
# Runs the inspection job in Spark local mode, without a Spark distribution, with the arguments spark-submit takes
# after the jar on a cluster. All cores unless --master says otherwise (e.g. --master 'local[2]'); Spark settings
# from a spark-submit properties file with --properties-file (e.g. conf/spark-local.properties).
#   scripts/inspect.sh --input s3a://bucket/photos --detector model.onnx --output s3a://bucket/inspections
#   scripts/inspect.sh --properties-file conf/spark-local.properties --config conf/boards.conf
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_local dev.inspection.jobs.InspectionJob "$@"
