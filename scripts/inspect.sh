#!/usr/bin/env bash
# Runs the inspection job in Spark local mode, without a Spark distribution, with the arguments spark-submit takes
# after the jar on a cluster. All cores unless --master says otherwise (e.g. --master 'local[2]').
#   scripts/inspect.sh --input s3a://bucket/photos --detector model.onnx --output s3a://bucket/inspections
set -euo pipefail
source "$(dirname "$0")/lib.sh"
master='local[*]'
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
build_if_needed
exec java -Xmx${INSPECT_HEAP:-4g} "${java_opts[@]}" -Dspark.master="$master" -Dspark.ui.enabled=false \
  -cp "$(local_classpath)" dev.inspection.jobs.InspectionJob "${args[@]}"
