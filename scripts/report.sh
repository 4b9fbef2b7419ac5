#!/usr/bin/env bash
# Makes the report of a run date again from its committed tables, in Spark local mode, replacing the date's report:
#   scripts/report.sh --output /tmp/inspections --run-date 2026-12-07 [--report-group-by folder:1]
# It is written to OUTPUT/reports/run_date=DATE/index.html. A run with --report makes the same report as it ends.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_local dev.inspection.jobs.ReportJob "$@"
