#!/usr/bin/env bash
# The demo: starts an S3 server in this JVM, uploads the bundled circuit-board photos and demo detector to a bucket,
# runs the inspection job in Spark local mode through s3a://, and prints what it found.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build_if_needed
if [ ! -d "$root/jobs/target/test-classes" ]; then
  (cd "$root" && mvn -B -q -DskipTests test-compile) >&2
fi
local_spark_ip local
exec java -Xmx4g "${java_opts[@]}" -cp "$root/jobs/target/test-classes:$(local_classpath)" \
  dev.inspection.jobs.demo.Demo "$root/jobs/demo" "$@"
