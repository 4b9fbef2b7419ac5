#!/usr/bin/env bash
# Runs the inspection job in Spark local mode, without a Spark distribution, with the arguments spark-submit takes
# after the jar on a cluster. All cores unless --master says otherwise (e.g. --master 'local[2]'); Spark settings
# from a spark-submit properties file with --properties-file (e.g. conf/spark-local.properties).
#   scripts/inspect.sh --input s3a://bucket/photos --detector model.onnx --output s3a://bucket/inspections
#   scripts/inspect.sh --properties-file conf/spark-local.properties --config conf/boards.conf
set -euo pipefail
source "$(dirname "$0")/lib.sh"
master='local[*]'
args=()
spark_opts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --properties-file)
      while read -r key value; do
        case "$key" in ''|'#'*) continue ;; spark.master) master="$value" ;; *) spark_opts+=("-D$key=$value") ;; esac
      done < <(sed -E 's/^([^[:space:]=]+)=/\1 /' "$2")
      shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
build_if_needed
exec java -Xmx${INSPECT_HEAP:-4g} "${java_opts[@]}" -Dspark.master="$master" -Dspark.ui.enabled=false \
  ${spark_opts[@]+"${spark_opts[@]}"} -cp "$(local_classpath)" dev.inspection.jobs.InspectionJob ${args[@]+"${args[@]}"}
