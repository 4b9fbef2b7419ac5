#!/usr/bin/env bash
# Submits the inspection job to a cluster with the shaded jar and spark-submit: standalone, YARN or Kubernetes.
#   scripts/submit.sh [spark-submit options] -- [job options]
#
#   standalone: scripts/submit.sh --master spark://master:7077 -- --config s3a://plant/conf/boards.conf
#   YARN:       scripts/submit.sh --master yarn --deploy-mode cluster -- --config s3a://plant/conf/boards.conf
#   Kubernetes: INSPECTION_JAR=local:///opt/inspection/inspection-jobs.jar scripts/submit.sh \
#                 --master k8s://https://kubernetes.default.svc:443 --deploy-mode cluster \
#                 --conf spark.kubernetes.container.image=registry.example.com/spark-inspection:4.1.2 \
#                 -- --config s3a://plant/conf/boards.conf
#   evaluation: JOB_CLASS=dev.inspection.jobs.EvaluationJob scripts/submit.sh --master yarn -- --labels ... --output ...
#
# SPARK_HOME is a Spark 4.1 distribution whose jars/ holds hadoop-aws 3.4.2 and the AWS SDK bundle 2.29.52 (or add
# --packages org.apache.hadoop:hadoop-aws:3.4.2). Settings: conf/spark-cluster.properties unless --properties-file
# says otherwise. In cluster deploy mode the job's --config must be on a filesystem the driver can read (s3a://, hdfs://).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
: "${SPARK_HOME:?SPARK_HOME must point at a Spark 4.1 distribution}"
jar=${INSPECTION_JAR:-$root/jobs/target/inspection-jobs.jar}
submit=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  submit+=("$1")
  shift
done
if [ $# -eq 0 ]; then
  echo "usage: scripts/submit.sh [spark-submit options] -- [job options]" >&2
  exit 2
fi
shift
case " ${submit[*]-} " in
  *" --properties-file "*) ;;
  *) submit+=(--properties-file "$root/conf/spark-cluster.properties") ;;
esac
if [[ "$jar" != local://* ]] && [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests package) >&2
fi
exec "$SPARK_HOME/bin/spark-submit" "${submit[@]}" --class "${JOB_CLASS:-dev.inspection.jobs.InspectionJob}" "$jar" "$@"
