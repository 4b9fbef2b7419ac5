# Shared by the scripts: the project root, building on first use, and the JVM flags Spark needs on Java 17.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/jobs/target/inspection-jobs.jar"
classpath_file="$root/jobs/target/classpath.txt"

# Builds the jar (tests skipped) when it is missing or older than any source file.
build_if_needed() {
  if [ ! -f "$jar" ] || [ ! -f "$classpath_file" ] ||
     [ -n "$(find "$root/pom.xml" "$root/common" "$root/jobs/pom.xml" "$root/jobs/src" -newer "$jar" -type f \
             -not -path '*/target/*' -print -quit)" ]; then
    echo "Building the inspection jar (first run, or sources changed)..." >&2
    (cd "$root" && mvn -B -q -DskipTests package) >&2
  fi
}

local_classpath() {
  echo "$jar:$(cat "$classpath_file")"
}

java_opts=(
  -Dai.djl.offline=true
  "-Dlog4j2.configurationFile=$root/conf/log4j2.properties"
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)

# The class archive scripts/class-archive.sh writes: the classes a run loads (Spark's, Hadoop's, the job's), mapped into
# the JVM instead of read and parsed from the jars on every start. Used once it exists and is newer than the jar; a jar
# built since makes the JVM ignore it, silently.
class_archive="$root/jobs/target/inspection-classes.jsa"
class_archive_options=()
set_class_archive_options() {
  if [ -f "$class_archive" ] && [ "$class_archive" -nt "$jar" ]; then
    class_archive_options=("-XX:SharedArchiveFile=$class_archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
}

# Runs a job's main class in Spark local mode, without a Spark distribution, with the arguments spark-submit takes
# after the jar on a cluster: all cores unless --master says otherwise, Spark settings from a spark-submit properties
# file with --properties-file.
# Spark in local mode talks to itself only: bound to the loopback address it does not warn that the host's name
# resolves to one.
local_spark_ip() {
  case "$1" in local*) export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;; esac
}

run_local() {
  local main_class="$1" master='local[*]' key value
  shift
  local args=() spark_opts=()
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
  local_spark_ip "$master"
  set_class_archive_options
  exec java -Xmx${INSPECT_HEAP:-4g} "${java_opts[@]}" ${class_archive_options[@]+"${class_archive_options[@]}"} \
    -Dspark.master="$master" \
    -Dspark.ui.enabled=false \
    ${spark_opts[@]+"${spark_opts[@]}"} -cp "$(local_classpath)" "$main_class" ${args[@]+"${args[@]}"}
}
