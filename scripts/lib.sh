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
