#!/usr/bin/env bash
# How Junction's throughput falls with the number of routes (issue 6).
#
# Starts three nginx app servers (one process each) and two Junctions side by side:
#   A  the seed's 3 routes; requests go to /services/foo/v1/hello (the first route)
#   B  2,000 prefix routes r0000..r1999 (even ones Path=/svc/rNNNN/**, odd ones
#      PathRegex=^/svc/rNNNN/, each with a RewritePath that strips the prefix, as the
#      seed's routes do), all to the same pool; requests go to /svc/r1999/hello, which
#      only the LAST route matches, so every request is tested against all 2,000
# Warms both up (each until two 10 s runs agree within 5%), then runs
# wrk -t1 -c32 -d10s --latency in turns A B A B and prints req/s, p50 and p99 per turn, the
# medians and the ratio B/A (goal: >= 0.95). Other work on the machine is measured as in
# compare-haproxy.sh: a disturbed pair of turns is run again while the time allows.
#
# Usage: bench/route-scaling.sh            (about 3-4 minutes once the tools and jar exist)
# Environment:
#   PORT_A (28380; management +1), PORT_B (28480; management +1), APP_PORT_BASE (29300:
#   app01-03 on +1..+3), ROUTES (2000), TURNS (2), DURATION (10s), CONNECTIONS (32),
#   WARMUP_MIN (35) and WARMUP_BUDGET (70): least and most seconds warming each Junction,
#   JAVA (java), JAVA_OPTS (none), QUIET_LIMIT (0.25: cores of other work above which a
#   pair of turns is run again), WAIT_QUIET (20: most seconds to wait for a quiet machine
#   before the turns), RUN_BUDGET (285: seconds; no pair is run again past it),
#   KEEP_DIR (copy configs, logs and wrk reports there).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT_A=${PORT_A:-28380}
PORT_B=${PORT_B:-28480}
APP_PORT_BASE=${APP_PORT_BASE:-29300}
ROUTES=${ROUTES:-2000}
TURNS=${TURNS:-2}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
QUIET_LIMIT=${QUIET_LIMIT:-0.25}
WAIT_QUIET=${WAIT_QUIET:-20}
RUN_BUDGET=${RUN_BUDGET:-285}
WARMUP_MIN=${WARMUP_MIN:-35}
WARMUP_BUDGET=${WARMUP_BUDGET:-70}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
PATH_A=/services/foo/v1/hello
LAST=$(printf 'r%04d' $((ROUTES - 1)))
PATH_B=/svc/$LAST/hello
URL_A="http://127.0.0.1:$PORT_A$PATH_A"
URL_B="http://127.0.0.1:$PORT_B$PATH_B"

need_tools nginx wrk curl
need_java
find_jar
ports_free "$PORT_A" $((PORT_A + 1)) "$PORT_B" $((PORT_B + 1)) "$(app_port app01)" "$(app_port app02)" "$(app_port app03)"
bench_tmp routes "configs, logs and wrk reports"
other_work_at_start

# --- app servers: nginx, one process each ----------------------------------------------
for name in app01 app02 app03; do start_nginx "$name" "$(app_port "$name")"; done
log "nginx app01-app03 on 127.0.0.1:$(app_port app01)-$(app_port app03)"

# --- the two configurations ----------------------------------------------------------
{
	yaml_pools services-foo-v1 services-bar-v1 website
	yaml_routes
	yaml_seed_routes
} >"$TMP/routes-3.yml"
{
	yaml_pools services-foo-v1
	yaml_routes
	yaml_generated_routes "$ROUTES"
} >"$TMP/routes-$ROUTES.yml"

# --- Junction, twice ----------------------------------------------------------------
read -r -a java_opts <<<"$JAVA_OPTS"
declare -A JPID=()
started=$SECONDS
start_junction "$TMP/junction-A.log" "$PORT_A" $((PORT_A + 1)) "$TMP/routes-3.yml" "${java_opts[@]}"
JPID[A]=$JUNCTION_PID
start_junction "$TMP/junction-B.log" "$PORT_B" $((PORT_B + 1)) "$TMP/routes-$ROUTES.yml" "${java_opts[@]}"
JPID[B]=$JUNCTION_PID
wait_ready "Junction A" "${JPID[A]}" $((PORT_A + 1)) "$TMP/junction-A.log" 90
log "Junction A (3 routes) ready after $((SECONDS - started)) s, PID ${JPID[A]}, :$PORT_A"
wait_ready "Junction B" "${JPID[B]}" $((PORT_B + 1)) "$TMP/junction-B.log" 90
log "Junction B ($ROUTES routes) ready after $((SECONDS - started)) s, PID ${JPID[B]}, :$PORT_B"

# Both route as intended: the path's prefix is stripped and the pool round-robins.
check_round_robin A "$URL_A"
check_round_robin B "$URL_B"
check_round_robin B "http://127.0.0.1:$PORT_B/svc/$(printf 'r%04d' $((ROUTES - 2)))/hello"
log "routing checked: A $PATH_A and B $PATH_B (and the Path route before it) -> app01-app03, path /hello"

# --- warm-up -------------------------------------------------------------------------
warm_up A "$URL_A"
warm_up B "$URL_B"

# --- turns A B A B -------------------------------------------------------------------
SIDE_LABEL=([A]="3 routes" [B]="$ROUTES routes")
SIDE_PID=([A]=${JPID[A]} [B]=${JPID[B]})
SIDE_URL=([A]=$URL_A [B]=$URL_B)
wait_quiet
log "turns: wrk -t1 -c$CONNECTIONS -d$DURATION --latency --timeout 5s; A = 3 routes $PATH_A, B = $ROUTES routes $PATH_B"
# A disturbed pair is run again while RUN_BUDGET allows (nothing is left to do after).
run_turns 0 12
RATIO=$(ratio "${MEDIAN[B.rps]}" "${MEDIAN[A.rps]}")
rss_mib() { awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

echo
echo "==== Junction, $ROUTES routes vs the seed's 3, $(date -u +%Y-%m-%d) on $(nproc) cores; $(load_average) at the end ===="
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency; same pool of 3 nginx; $(basename "$JAR") on $("$JAVA" -version 2>&1 | sed -n 1p); JAVA_OPTS=${JAVA_OPTS:-none}"
echo "A: 3 routes (seed), $PATH_A matches the first;  B: $ROUTES routes (half Path, half PathRegex), $PATH_B matches only the last"
echo "(CPU us/rq: CPU time of that Junction process per request, all its threads; other work: CPU that"
echo " processes other than this benchmark's used during the turn, in cores of $(nproc))"
echo
print_turns 12 "A 3 routes" "B $ROUTES routes"
echo
verdict=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.95) ? "met" : "NOT met" }')
echo "req/s ratio B/A ($ROUTES routes / 3 routes, medians): $RATIO   goal >= 0.95: $verdict"
echo "p99 ratio B/A: $(ratio "${MEDIAN[B.p99]}" "${MEDIAN[A.p99]}"); CPU per request B/A: $(ratio "${MEDIAN[B.cpu]}" "${MEDIAN[A.cpu]}");  RSS now: A $(rss_mib "${JPID[A]}") MiB, B $(rss_mib "${JPID[B]}") MiB"
print_turn_warnings "disturbed turns are counted; run again when the machine is quiet."
echo
log "$(uptime)"
log "done in $((SECONDS - START_TIME)) s"
