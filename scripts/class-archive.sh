#!/usr/bin/env bash
# Writes the class archive that scripts/inspect.sh and scripts/evaluate.sh then start from (Java's class data sharing):
# a short inspection of two demo boards with the demo detector and anomaly model, whose JVM archives every class it
# loaded when it exits. Takes about a minute, once per build of the jar; a run of a handful of images then spends
# about 3 s less outside inference (docs/benchmarks.md#the-fixed-costs-of-a-run).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build_if_needed
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/boards"
cp "$root/jobs/demo/images/board-001.jpg" "$root/jobs/demo/images/board-101.jpg" "$work/boards/"
rm -f "$class_archive"
local_spark_ip local
java -Xmx2g "${java_opts[@]}" -XX:ArchiveClassesAtExit="$class_archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -Dspark.master='local[2]' -Dspark.ui.enabled=false -cp "$(local_classpath)" dev.inspection.jobs.InspectionJob \
  --input "$work/boards" --detector "$root/jobs/demo/models/pcb-detector.onnx" \
  --anomaly "$root/jobs/demo/models/pcb-anomaly.onnx" --output "$work/out" > "$work/log.txt" 2>&1 ||
  { cat "$work/log.txt" >&2; exit 1; }
echo "Wrote $class_archive ($(du -h "$class_archive" | cut -f1)); scripts/inspect.sh and scripts/evaluate.sh start from it"
