#!/usr/bin/env bash
# Junction against HAProxy 2.6 and against its own stack's floor on the seed's routing,
# side by side in one run (issues 6 and 12).
#
# Starts three nginx app servers and a website nginx (one process each), HAProxy with the
# seed's haproxy.cfg (reqrep written as http-request replace-path), Junction with the
# same routing and the bare proxy, bench/bare-proxy/BareProxy.java: the same job done by
# Reactor Netty alone, without Spring, on the Netty and Reactor Netty jars of Junction's
# own jar. All on loopback. Warms them up (each JVM until two 10 s runs agree within 5%),
# then runs wrk -t1 -c32 -d10s --latency against each in turns A B C A B C A B C
# (A = HAProxy, B = Junction, C = bare proxy) on /services/foo/v1/hello and prints each
# turn's req/s, p50, p99 and CPU per request, the medians and the ratios: Junction to
# HAProxy (the goals), Junction to the bare proxy (what Spring, Gateway and Junction's
# own code cost above Reactor Netty) and the bare proxy to HAProxy (the most a gateway
# on Reactor Netty could reach). Then 20 s of -c64 load on Junction, its resident memory
# (VmRSS) after, and the JVM flags it ran with.
#
# Other work on the machine skews every figure. The script measures it (CPU used by
# processes other than its own, in cores) before starting and during each turn; a round
# of turns A B C during which it exceeded QUIET_LIMIT is run again while the time allows,
# else it is counted and marked DISTURBED.
#
# Usage: bench/compare-haproxy.sh            (5-7 minutes once the tools and jar exist)
# Environment:
#   HAPROXY_PORT (28180), JUNCTION_PORT (28280), MANAGEMENT_PORT (28281), BARE_PORT (28380),
#   APP_PORT_BASE (29200: app01-03 on +1..+3, website on +80),
#   HAPROXY_THREADS (2: HAProxy's nbthread), TURNS (3), DURATION (10s), CONNECTIONS (32),
#   LOAD_CONNECTIONS (64), LOAD_DURATION (20s), WARMUP_MIN (45) and WARMUP_BUDGET (100):
#   least and most seconds spent warming up Junction and (again) the bare proxy, JAVA
#   (java; a JDK: the bare proxy runs from source), JAVA_OPTS (none: plain `java -jar`;
#   the bare proxy gets the same options), QUIET_LIMIT (0.25 cores), WAIT_QUIET (20: most
#   seconds to wait for a quiet machine before the turns), RUN_BUDGET (420: seconds; no
#   round is run again past it), NMT (1: print Junction's native memory summary after the
#   load), KEEP_DIR (copy configs, logs and wrk reports there).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HAPROXY_PORT=${HAPROXY_PORT:-28180}
JUNCTION_PORT=${JUNCTION_PORT:-28280}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-28281}
BARE_PORT=${BARE_PORT:-28380}
APP_PORT_BASE=${APP_PORT_BASE:-29200}
HAPROXY_THREADS=${HAPROXY_THREADS:-2}
TURNS=${TURNS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-64}
LOAD_DURATION=${LOAD_DURATION:-20s}
QUIET_LIMIT=${QUIET_LIMIT:-0.25}
WAIT_QUIET=${WAIT_QUIET:-20}
RUN_BUDGET=${RUN_BUDGET:-420}
WARMUP_MIN=${WARMUP_MIN:-45}
WARMUP_BUDGET=${WARMUP_BUDGET:-100}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
REQUEST_PATH=/services/foo/v1/hello
HAPROXY_URL="http://127.0.0.1:$HAPROXY_PORT$REQUEST_PATH"
JUNCTION_URL="http://127.0.0.1:$JUNCTION_PORT$REQUEST_PATH"
BARE_URL="http://127.0.0.1:$BARE_PORT$REQUEST_PATH"

need_tools nginx wrk haproxy curl unzip
need_java
find_jar
WEBSITE_PORT=$((APP_PORT_BASE + 80))
ports_free "$HAPROXY_PORT" "$JUNCTION_PORT" "$MANAGEMENT_PORT" "$BARE_PORT" "$(app_port app01)" "$(app_port app02)" \
	"$(app_port app03)" "$WEBSITE_PORT"
bench_tmp compare "configs, logs and wrk reports"
other_work_at_start

# --- app servers: nginx, one process each ----------------------------------------------
for name in app01 app02 app03; do start_nginx "$name" "$(app_port "$name")"; done
start_nginx website "$WEBSITE_PORT"
log "nginx app01-app03 on 127.0.0.1:$(app_port app01)-$(app_port app03), website on :$WEBSITE_PORT"

# --- HAProxy: the seed's haproxy.cfg -------------------------------------------------
# reqrep is gone in 2.x: http-request replace-path does the same to the path.
# The seed's server lines have no "check"; Junction checks by default (TCP connect every
# 2 s), so HAProxy checks the same way here. No "option forwardfor", as in the seed.
servers() {
	local name
	for name in app01 app02 app03; do
		echo "  server $name 127.0.0.1:$(app_port "$name") check inter 2s"
	done
}
cat >"$TMP/haproxy.cfg" <<EOF
global
  nbthread $HAPROXY_THREADS
  maxconn 4096

defaults
  mode http
  option http-keep-alive
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  timeout http-keep-alive 75s

frontend http
  bind 127.0.0.1:$HAPROXY_PORT
  acl services_foo_v1 path_reg ^/services/foo/v1/
  use_backend services_foo_v1 if services_foo_v1
  acl services_bar_v1 path_reg ^/services/bar/v1/
  use_backend services_bar_v1 if services_bar_v1
  default_backend website

backend services_foo_v1
  balance roundrobin
  http-request replace-path ^/services/foo/v1/(.*) /\1
$(servers)

backend services_bar_v1
  balance roundrobin
  http-request replace-path ^/services/bar/v1/(.*) /\1
$(servers)

backend website
  server webserver 127.0.0.1:$WEBSITE_PORT check inter 2s
EOF
haproxy -c -q -f "$TMP/haproxy.cfg" || die "haproxy.cfg does not parse"
haproxy -db -f "$TMP/haproxy.cfg" >"$TMP/haproxy.log" 2>&1 &
HAPROXY_PID=$!
SERVER_PIDS[haproxy]=$HAPROXY_PID
wait_listening HAProxy "$HAPROXY_PID" "$HAPROXY_PORT" "$TMP/haproxy.log" 10

# --- Junction: the same routing ------------------------------------------------------
{
	yaml_pools services-foo-v1 services-bar-v1
	yaml_website_pool "$WEBSITE_PORT"
	yaml_routes
	yaml_seed_routes
} >"$TMP/junction.yml"
JLOG="$TMP/junction.log"
read -r -a java_opts <<<"$JAVA_OPTS"
# NMT=1: track the JVM's native memory, to print where the resident memory goes.
if [[ ${NMT:-0} == 1 ]]; then java_opts+=(-XX:NativeMemoryTracking=summary); fi
started=$SECONDS
start_junction "$JLOG" "$JUNCTION_PORT" "$MANAGEMENT_PORT" "$TMP/junction.yml" "${java_opts[@]}"
wait_ready Junction "$JUNCTION_PID" "$MANAGEMENT_PORT" "$JLOG" 60
log "Junction ready in $((SECONDS - started)) s (PID $JUNCTION_PID) on :$JUNCTION_PORT; HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }') nbthread $HAPROXY_THREADS (PID $HAPROXY_PID) on :$HAPROXY_PORT"

# --- the bare proxy: the same routing, Reactor Netty without Spring -------------------
# Started after Junction is ready, so that the two JVMs do not share the cores at start-up.
# Without NMT: Junction's memory is the one with a goal.
read -r -a bare_opts <<<"$JAVA_OPTS"
started=$SECONDS
start_bare_proxy "$TMP/bare-proxy.log" "$BARE_PORT" "$WEBSITE_PORT" "${bare_opts[@]}"
wait_listening "bare proxy" "$BARE_PID" "$BARE_PORT" "$TMP/bare-proxy.log" 60
log "bare proxy listening in $((SECONDS - started)) s (PID $BARE_PID) on :$BARE_PORT ($BARE_REACTOR_NETTY from $(basename "$JAR"))"

# --- all three route the same way ----------------------------------------------------
check_routing() {
	local label=$1 port=$2 body
	check_round_robin "$label" "http://127.0.0.1:$port$REQUEST_PATH"
	body=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/index.html") || die "$label: website request failed"
	[[ $body == "website /index.html" ]] || die "$label: /index.html answered \"$body\", not the website"
	log "$label routes like the seed: $REQUEST_PATH -> ${ROUTED[*]// \/hello/} with path /hello; /index.html -> website"
}
check_routing HAProxy "$HAPROXY_PORT"
check_routing Junction "$JUNCTION_PORT"
check_routing "bare proxy" "$BARE_PORT"

# --- warm-up -------------------------------------------------------------------------
warm_up Junction "$JUNCTION_URL"
warm_up bare-proxy "$BARE_URL"
log "warm-up HAProxy: wrk -t1 -c$CONNECTIONS -d5s"
wrk_measure "$TMP/warmup-haproxy.txt" "$CONNECTIONS" 5s "$HAPROXY_URL" --timeout 5s
log "  warm-up 5 s: $RPS req/s${ERRORS:+ ($ERRORS)}"

# --- turns A B C A B C A B C ---------------------------------------------------------
SIDES=(A B C)
SIDE_LABEL=([A]=HAProxy [B]=Junction [C]="bare proxy")
SIDE_PID=([A]=$HAPROXY_PID [B]=$JUNCTION_PID [C]=$BARE_PID)
SIDE_URL=([A]=$HAPROXY_URL [B]=$JUNCTION_URL [C]=$BARE_URL)
wait_quiet
log "turns: wrk -t1 -c$CONNECTIONS -d$DURATION --latency --timeout 5s http://127.0.0.1:PORT$REQUEST_PATH, A = HAProxy, B = Junction, C = bare proxy"
# A disturbed round is run again while RUN_BUDGET allows, keeping time for the load after.
run_turns "$(seconds_of "$LOAD_DURATION")" 10
RPS_RATIO=$(ratio "${MEDIAN[B.rps]}" "${MEDIAN[A.rps]}")
P99_RATIO=$(ratio "${MEDIAN[B.p99]}" "${MEDIAN[A.p99]}")
BARE_RSS_MIB=$(awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$BARE_PID/status")

# --- memory after load at c64 --------------------------------------------------------
log "load on Junction: wrk -t1 -c$LOAD_CONNECTIONS -d$LOAD_DURATION"
cpu_mark
wrk_measure "$TMP/load-c$LOAD_CONNECTIONS.txt" "$LOAD_CONNECTIONS" "$LOAD_DURATION" "$JUNCTION_URL" --timeout 5s --latency
cpu_other
LOAD_RPS=$RPS LOAD_P99=$P99_MS LOAD_ERRORS=$ERRORS
status_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$JUNCTION_PID/status"; }
RSS_KIB=$(status_kib VmRSS)
HWM_KIB=$(status_kib VmHWM)
RSS_MIB=$(awk -v k="$RSS_KIB" 'BEGIN { printf "%.0f", k / 1024 }')
HWM_MIB=$(awk -v k="$HWM_KIB" 'BEGIN { printf "%.0f", k / 1024 }')
HEAP=$("$JCMD" "$JUNCTION_PID" GC.heap_info 2>/dev/null | sed -n '2,3p' | sed 's/^ */    /' || true)
FLAGS=$("$JCMD" "$JUNCTION_PID" VM.flags 2>/dev/null | tail -n +2 || true)
THREADS=$(awk '$1 == "Threads:" { print $2 }' "/proc/$JUNCTION_PID/status")
NMT_SUMMARY=""
if [[ ${NMT:-0} == 1 ]]; then
	# Committed memory by JVM area, e.g. "Java Heap (reserved=..., committed=...)".
	NMT_SUMMARY=$("$JCMD" "$JUNCTION_PID" VM.native_memory summary scale=MB 2>/dev/null |
		awk '/^Total:/ || /^-/ { line = $0; sub(/^- */, "", line); sub(/\(reserved=[0-9]+MB, /, "(", line); print "    " line }' || true)
fi

# --- report --------------------------------------------------------------------------
echo
echo "==== Junction vs HAProxy and the bare proxy, seed routing, $(date -u +%Y-%m-%d) on $(nproc) cores; $(load_average) at the end ===="
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency on http://127.0.0.1:PORT$REQUEST_PATH; 3 nginx app servers;"
echo "HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }') nbthread $HAPROXY_THREADS; Junction $(basename "$JAR") on $("$JAVA" -version 2>&1 | sed -n 1p);"
echo "bare proxy bench/bare-proxy/BareProxy.java on $BARE_REACTOR_NETTY, same JVM and JAVA_OPTS"
echo "(CPU us/rq: CPU time of the HAProxy, Junction or bare proxy process per request, all its threads; other work:"
echo " CPU that processes other than this benchmark's used during the turn, in cores of $(nproc))"
echo
print_turns 10 HAProxy Junction "bare proxy"
echo
goal() { awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= g : v <= g; print ok ? "met" : "NOT met" }'; }
# A ratio out of disturbed turns proves nothing either way.
turn_goal() { if ((KEPT_DISTURBED)); then echo "$(goal "$@")? (disturbed turns counted: not valid)"; else goal "$@"; fi; }
# row NAME VALUE [GOAL STATUS]: one line of the table of ratios.
row() { printf '%-48s | %7s | %8s | %s\n' "$1" "$2" "${3:-}" "${4:-}"; }
row "ratio (medians)" value goal
row "req/s Junction / HAProxy" "$RPS_RATIO" ">= 0.60" "$(turn_goal "$RPS_RATIO" '>=' 0.60)"
row "req/s Junction / bare proxy" "$(ratio "${MEDIAN[B.rps]}" "${MEDIAN[C.rps]}")"
row "p99 Junction / HAProxy" "$P99_RATIO" "<= 2.0" "$(turn_goal "$P99_RATIO" '<=' 2.0)"
row "CPU per request Junction / HAProxy" "$(ratio "${MEDIAN[B.cpu]}" "${MEDIAN[A.cpu]}")"
row "CPU per request Junction / bare proxy" "$(ratio "${MEDIAN[B.cpu]}" "${MEDIAN[C.cpu]}")"
row "(p50 Junction / HAProxy)" "$(ratio "${MEDIAN[B.p50]}" "${MEDIAN[A.p50]}")"
row "(req/s bare proxy / HAProxy: the stack's floor)" "$(ratio "${MEDIAN[C.rps]}" "${MEDIAN[A.rps]}")"
row "(p99 bare proxy / HAProxy)" "$(ratio "${MEDIAN[C.p99]}" "${MEDIAN[A.p99]}")"
row "(CPU per request bare proxy / HAProxy)" "$(ratio "${MEDIAN[C.cpu]}" "${MEDIAN[A.cpu]}")"
row "Junction RSS after $LOAD_DURATION at c$LOAD_CONNECTIONS (MiB)" "$RSS_MIB" "<= 160" "$(goal "$RSS_MIB" '<=' 160)"
row "(bare proxy RSS after the turns, MiB)" "$BARE_RSS_MIB"
echo
echo "Junction at c$LOAD_CONNECTIONS for $LOAD_DURATION: $LOAD_RPS req/s, p99 $LOAD_P99 ms, other work $OTHER_CORES cores${LOAD_ERRORS:+ ($LOAD_ERRORS)}"
echo "  VmRSS $RSS_MIB MiB ($RSS_KIB kB), VmHWM (peak) $HWM_MIB MiB, $THREADS threads; heap:"
echo "$HEAP"
[[ -z $NMT_SUMMARY ]] || { echo "  JVM native memory tracking, committed (NMT=1; the JVM's own view, RSS counts only pages touched):"; echo "$NMT_SUMMARY"; }
echo "JVM: ${JAVA_CMD[*]:0:$((${#java_opts[@]} + 1))} -jar ...   (JAVA_OPTS=${JAVA_OPTS:-none})"
echo "  flags in effect (jcmd VM.flags): $FLAGS"
print_turn_warnings "disturbed turns are counted: p99 above all is unreliable; run again when the machine is quiet."
echo
log "$(uptime)"
log "done in $((SECONDS - START_TIME)) s"
