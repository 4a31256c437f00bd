#!/usr/bin/env bash
# Two builds of Junction side by side: did a change make the hot path cheaper?
#
# Starts three nginx app servers and a website nginx (one process each) and two Junctions
# on the seed's routing, one from each jar:
#   A  JAR_A, the build before the change (for example a copy of target/junction-*.jar)
#   B  JAR_B, the build after it (target/junction-*.jar by default)
# Warms both up (each until two 10 s runs agree within 5%), then runs
# wrk -t1 -c32 -d10s --latency on /services/foo/v1/hello in rounds A B, B A, A B, ... and
# prints req/s, p50, p99 and CPU per request per turn, the medians, the ratios B/A of the
# medians and the median of each round's own ratio B/A. CPU per request is the steadiest
# figure; the ratio within a round is steadier still, because this shared machine's speed
# drifts by a quarter or more within a run and the two turns of a round are next to each
# other (the order alternates, so a drift favours neither side). Other work on the machine
# is measured as in compare-haproxy.sh.
#
# Usage: JAR_A=/tmp/before.jar bench/compare-builds.sh   (about 4-5 minutes)
# Environment:
#   JAR_A (required), JAR_B (target/junction-*.jar), PORT_A (28680; management +1),
#   PORT_B (28780; management +1), APP_PORT_BASE (29500: app01-03 on +1..+3, website on
#   +80), TURNS (3), DURATION (10s), CONNECTIONS (32), WARMUP_MIN (45) and WARMUP_BUDGET
#   (100): least and most seconds warming each Junction, JAVA (java), JAVA_OPTS (none),
#   QUIET_LIMIT (0.25 cores), WAIT_QUIET (20 s), RUN_BUDGET (285 s), KEEP_DIR (copy
#   configs, logs and wrk reports there).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT_A=${PORT_A:-28680}
PORT_B=${PORT_B:-28780}
APP_PORT_BASE=${APP_PORT_BASE:-29500}
TURNS=${TURNS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
QUIET_LIMIT=${QUIET_LIMIT:-0.25}
WAIT_QUIET=${WAIT_QUIET:-20}
RUN_BUDGET=${RUN_BUDGET:-285}
WARMUP_MIN=${WARMUP_MIN:-45}
WARMUP_BUDGET=${WARMUP_BUDGET:-100}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
REQUEST_PATH=/services/foo/v1/hello

# paired_ratio rps|cpu: the median over the counted rounds of B's figure / A's in that round.
paired_ratio() {
	local -a a b ratios=()
	local i
	read -r -a a <<<"${COUNTED[A.$1]}"
	read -r -a b <<<"${COUNTED[B.$1]}"
	for i in "${!a[@]}"; do ratios+=("$(awk -v x="${b[$i]}" -v y="${a[$i]}" 'BEGIN { printf "%.4f", x / y }')"); done
	printf '%.2f (rounds%s)' "$(median "${ratios[@]}")" "$(printf ' %.2f' "${ratios[@]}")"
}

[[ -n ${JAR_A:-} ]] || die "set JAR_A to the jar to compare with (the build before the change)"
JAR_A=$(realpath "$JAR_A")
[[ -f $JAR_A ]] || die "JAR_A $JAR_A is not a file"
need_tools nginx wrk curl
need_java
if [[ -n ${JAR_B:-} ]]; then
	JAR_B=$(realpath "$JAR_B")
	cd "$ROOT"
else
	find_jar
	JAR_B=$(realpath "$JAR")
fi
[[ -f $JAR_B ]] || die "JAR_B $JAR_B is not a file"
WEBSITE_PORT=$((APP_PORT_BASE + 80))
ports_free "$PORT_A" $((PORT_A + 1)) "$PORT_B" $((PORT_B + 1)) "$(app_port app01)" "$(app_port app02)" \
	"$(app_port app03)" "$WEBSITE_PORT"
bench_tmp builds "configs, logs and wrk reports"
other_work_at_start

for name in app01 app02 app03; do start_nginx "$name" "$(app_port "$name")"; done
start_nginx website "$WEBSITE_PORT"
log "nginx app01-app03 on 127.0.0.1:$(app_port app01)-$(app_port app03), website on :$WEBSITE_PORT"
{
	yaml_pools services-foo-v1 services-bar-v1
	yaml_website_pool "$WEBSITE_PORT"
	yaml_routes
	yaml_seed_routes
} >"$TMP/junction.yml"

read -r -a java_opts <<<"$JAVA_OPTS"
declare -A JPID=()
started=$SECONDS
JAR=$JAR_A start_junction "$TMP/junction-A.log" "$PORT_A" $((PORT_A + 1)) "$TMP/junction.yml" "${java_opts[@]}"
JPID[A]=$JUNCTION_PID
JAR=$JAR_B start_junction "$TMP/junction-B.log" "$PORT_B" $((PORT_B + 1)) "$TMP/junction.yml" "${java_opts[@]}"
JPID[B]=$JUNCTION_PID
wait_ready "Junction A" "${JPID[A]}" $((PORT_A + 1)) "$TMP/junction-A.log" 90
wait_ready "Junction B" "${JPID[B]}" $((PORT_B + 1)) "$TMP/junction-B.log" 90
log "both ready after $((SECONDS - started)) s: A PID ${JPID[A]} :$PORT_A, B PID ${JPID[B]} :$PORT_B"

URL_A="http://127.0.0.1:$PORT_A$REQUEST_PATH"
URL_B="http://127.0.0.1:$PORT_B$REQUEST_PATH"
check_round_robin A "$URL_A"
check_round_robin B "$URL_B"
log "routing checked: $REQUEST_PATH -> app01-app03 with path /hello on both"

warm_up A "$URL_A"
warm_up B "$URL_B"

SIDE_LABEL=([A]="A before" [B]="B after")
SIDE_PID=([A]=${JPID[A]} [B]=${JPID[B]})
SIDE_URL=([A]=$URL_A [B]=$URL_B)
wait_quiet
log "turns: wrk -t1 -c$CONNECTIONS -d$DURATION --latency --timeout 5s on $REQUEST_PATH"
ALTERNATE_ORDER=1 run_turns 0 12

echo
echo "==== two builds of Junction, $(date -u +%Y-%m-%d) on $(nproc) cores; $(load_average) at the end ===="
echo "A: $JAR_A"
echo "B: $JAR_B"
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency; seed routing; $("$JAVA" -version 2>&1 | sed -n 1p); JAVA_OPTS=${JAVA_OPTS:-none}"
echo
print_turns 12 "A before" "B after"
echo
echo "B/A (medians): req/s $(ratio "${MEDIAN[B.rps]}" "${MEDIAN[A.rps]}"), p99 $(ratio "${MEDIAN[B.p99]}" "${MEDIAN[A.p99]}"), CPU per request $(ratio "${MEDIAN[B.cpu]}" "${MEDIAN[A.cpu]}")"
echo "B/A (median of the rounds' own ratios): req/s $(paired_ratio rps), CPU per request $(paired_ratio cpu)"
print_turn_warnings "disturbed turns are counted; run again when the machine is quiet."
echo
log "$(uptime)"
log "done in $((SECONDS - START_TIME)) s"
