#!/usr/bin/env bash
# One night's inspection, for cron: never two at once, a log file per run, the job's exit code passed through.
#   scripts/nightly.sh LOG_DIR COMMAND [ARGS...]
#   30 1 * * * /opt/inspection/scripts/nightly.sh /var/log/inspection /opt/inspection/scripts/submit.sh \
#                --master yarn --deploy-mode cluster -- --config s3a://plant/conf/boards.conf --incremental
# Each run writes LOG_DIR/run-<UTC time>.log and appends a line to LOG_DIR/nightly.log. Exit codes are the job's
# (0 success, 1 failed, 2 configuration, 3 unreachable, 4 too many failed inputs), or 75 when the previous night's
# run still holds the lock (LOG_DIR/nightly.lock) and this one did not start.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/nightly.sh LOG_DIR COMMAND [ARGS...]" >&2
  exit 2
fi
logs=$1
shift
mkdir -p "$logs"
exec 9>"$logs/nightly.lock"
if ! flock -n 9; then
  echo "$(date -u +%FT%TZ) not started: another run holds $logs/nightly.lock" | tee -a "$logs/nightly.log" >&2
  exit 75
fi
log="$logs/run-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "$(date -u +%FT%TZ) started: $* (log $log)" >> "$logs/nightly.log"
status=0
"$@" >"$log" 2>&1 9>&- || status=$?
echo "$(date -u +%FT%TZ) finished with exit code $status (log $log)" >> "$logs/nightly.log"
exit $status
