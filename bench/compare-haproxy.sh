#!/usr/bin/env bash
# Junction against HAProxy 2.6 on the seed's routing, side by side in one run (issue 6).
#
# Starts three nginx app servers and a website nginx (one process each), HAProxy with the
# seed's haproxy.cfg (reqrep written as http-request replace-path) and Junction with the
# same routing, all on loopback. Warms both up (Junction until two 10 s runs agree within
# 5%), then runs wrk -t1 -c32 -d10s --latency against each in turns A B A B A B
# (A = HAProxy, B = Junction) on /services/foo/v1/hello and prints each turn's req/s, p50
# and p99, the medians and the ratios Junction/HAProxy. Then 20 s of -c64 load on
# Junction, its resident memory (VmRSS) after, and the JVM flags it ran with.
#
# Other work on the machine skews every figure. The script measures it (CPU used by
# processes other than its own, in cores) before starting and during each turn; a pair
# of turns during which it exceeded QUIET_LIMIT is run again while the time allows, else
# it is counted and marked DISTURBED.
#
# Usage: bench/compare-haproxy.sh            (3-5 minutes once the tools and jar exist)
# Environment:
#   HAPROXY_PORT (28180), JUNCTION_PORT (28280), MANAGEMENT_PORT (28281),
#   APP_PORT_BASE (29200: app01-03 on +1..+3, website on +80),
#   HAPROXY_THREADS (2: HAProxy's nbthread), TURNS (3), DURATION (10s), CONNECTIONS (32),
#   LOAD_CONNECTIONS (64), LOAD_DURATION (20s), WARMUP_MIN (45) and WARMUP_BUDGET (100):
#   least and most seconds spent warming Junction up, JAVA (java), JAVA_OPTS (none:
#   plain `java -jar`), QUIET_LIMIT (0.25 cores), WAIT_QUIET (20: most seconds to wait for
#   a quiet machine before the turns), RUN_BUDGET (285: seconds; no pair is run again past
#   it), NMT (1: print the JVM's native memory summary after the load), KEEP_DIR (copy
#   configs, logs and wrk reports there).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HAPROXY_PORT=${HAPROXY_PORT:-28180}
JUNCTION_PORT=${JUNCTION_PORT:-28280}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-28281}
APP_PORT_BASE=${APP_PORT_BASE:-29200}
HAPROXY_THREADS=${HAPROXY_THREADS:-2}
TURNS=${TURNS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-64}
LOAD_DURATION=${LOAD_DURATION:-20s}
QUIET_LIMIT=${QUIET_LIMIT:-0.25}
WAIT_QUIET=${WAIT_QUIET:-20}
RUN_BUDGET=${RUN_BUDGET:-285}
WARMUP_MIN=${WARMUP_MIN:-45}
WARMUP_BUDGET=${WARMUP_BUDGET:-100}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
REQUEST_PATH=/services/foo/v1/hello
START_TIME=$SECONDS

log() { printf '[%3ds %s] %s\n' "$((SECONDS - START_TIME))" "$(date -u +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
load_average() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }

# --- tools ---------------------------------------------------------------------------
missing=()
for tool in nginx wrk haproxy curl; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
	log "installing ${missing[*]} (Debian packages)"
	[[ $(id -u) -eq 0 ]] || die "need root to apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt_log=$(mktemp)
	apt-get update -qq >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get update failed"; }
	# RUNLEVEL=1: the packages must not start a system nginx or haproxy that outlives us.
	RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get install failed"; }
	rm -f "$apt_log"
fi
command -v "$JAVA" >/dev/null 2>&1 || die "$JAVA (17 or later) is not on PATH"
JAVA_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA")")")
JCMD="$JAVA_BIN/jcmd"

# --- the jar -------------------------------------------------------------------------
cd "$ROOT"
shopt -s nullglob
jars=(target/junction-*.jar)
if ((${#jars[@]} == 0)); then
	log "building target/junction-*.jar"
	./mvnw -B -q package -DskipTests
	jars=(target/junction-*.jar)
	((${#jars[@]})) || die "the build made no target/junction-*.jar"
fi
shopt -u nullglob
JAR=${jars[0]}

app_port() { echo $((APP_PORT_BASE + 10#${1#app})); }
WEBSITE_PORT=$((APP_PORT_BASE + 80))
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$HAPROXY_PORT" "$JUNCTION_PORT" "$MANAGEMENT_PORT" "$(app_port app01)" "$(app_port app02)" \
	"$(app_port app03)" "$WEBSITE_PORT"; do
	port_open "$port" && die "port $port on 127.0.0.1 is in use already"
done

# --- clean-up ------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/junction-compare.XXXXXX")
PIDS=()  # nginx and haproxy
JUNCTION_PID=""
WRK_PID=""
cleanup() {
	local status=$?
	set +e
	trap - EXIT INT TERM
	if [[ -n ${KEEP_DIR:-} && -d $TMP ]]; then
		mkdir -p "$KEEP_DIR" && cp -r "$TMP"/. "$KEEP_DIR"/ && echo "configs, logs and wrk reports kept in $KEEP_DIR"
	fi
	[[ -n $WRK_PID ]] && { kill -9 "$WRK_PID" 2>/dev/null; wait "$WRK_PID" 2>/dev/null; }
	if [[ -n $JUNCTION_PID ]] && kill -0 "$JUNCTION_PID" 2>/dev/null; then
		kill -TERM "$JUNCTION_PID" 2>/dev/null
		for _ in $(seq 1 100); do kill -0 "$JUNCTION_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$JUNCTION_PID" 2>/dev/null
		wait "$JUNCTION_PID" 2>/dev/null
	fi
	for pid in "${PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$TMP"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# How much CPU other work on the machine used during a turn, in cores: the machine's busy
# time (/proc/stat) less that of our own processes (/proc/PID/stat) and of the shell's
# finished children (wrk, curl; from `times`, which must run in this shell, not a subshell).
CLK_TCK=$(getconf CLK_TCK)
cpu_mark() {
	times >"$TMP/times"
	MARK_NS=$(date +%s%N)
	MARK_BUSY=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
	MARK_OWN=$(own_ticks)
	MARK_CHILDREN=$(awk -v hz="$CLK_TCK" 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } } END { printf "%d", t * hz }' "$TMP/times")
}
own_ticks() {
	local pid
	for pid in "${PIDS[@]}" ${JUNCTION_PID:-}; do
		[[ -r /proc/$pid/stat ]] && awk '{ print $14 + $15 }' "/proc/$pid/stat"
	done | awk '{ t += $1 } END { printf "%d", t }'
}
# Sets OTHER_CORES: the cores other work used since cpu_mark (no subshell: see above).
cpu_other() {
	local ns=$MARK_NS busy=$MARK_BUSY own=$MARK_OWN children=$MARK_CHILDREN
	cpu_mark
	OTHER_CORES=$(awk -v s="$(( (MARK_NS - ns) / 1000000 ))" -v b="$((MARK_BUSY - busy))" -v o="$((MARK_OWN - own))" \
		-v c="$((MARK_CHILDREN - children))" -v hz="$CLK_TCK" \
		'BEGIN { v = (b - o - c) / hz / (s / 1000); if (v < 0) v = 0; printf "%.2f", v }')
}
# proc_ticks PID: CPU the process used so far (user + system, all threads), in clock ticks.
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# us_per_request TICKS REQUESTS: CPU microseconds per request.
us_per_request() { awk -v t="$1" -v r="$2" -v hz="$CLK_TCK" 'BEGIN { if (r > 0) printf "%.0f", t / hz * 1e6 / r; else print "-" }'; }
log "$(uptime)"
cpu_mark
sleep 3
cpu_other
log "other work on this machine: $OTHER_CORES of $(nproc) cores busy over 3 s before starting (it skews every figure; the turns alternate so both sides share it)"

# --- app servers: nginx, one process each ----------------------------------------------
start_nginx() {
	local name=$1 port=$2 dir="$TMP/$1"
	mkdir -p "$dir"
	cat >"$dir/nginx.conf" <<EOF
master_process off;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
    access_log off;
    default_type text/plain;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$port;
        location / { return 200 "$name \$request_uri\n"; }
    }
}
EOF
	nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >>"$dir/stdout.log" 2>&1 &
	PIDS+=($!)
	local pid=$! deadline=$((SECONDS + 10))
	until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
		kill -0 "$pid" 2>/dev/null || die "nginx $name did not start: $(cat "$dir/error.log" "$dir/stdout.log" 2>/dev/null)"
		((SECONDS < deadline)) || die "nginx $name does not answer on port $port"
		sleep 0.1
	done
}
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
PIDS+=("$HAPROXY_PID")
deadline=$((SECONDS + 10))
until port_open "$HAPROXY_PORT"; do
	kill -0 "$HAPROXY_PID" 2>/dev/null || die "HAProxy exited: $(cat "$TMP/haproxy.log")"
	((SECONDS < deadline)) || die "HAProxy does not listen on port $HAPROXY_PORT"
	sleep 0.1
done

# --- Junction: the same routing ------------------------------------------------------
jservers() {
	local name
	for name in app01 app02 app03; do
		printf '        - name: %s\n          url: http://127.0.0.1:%s\n' "$name" "$(app_port "$name")"
	done
}
cat >"$TMP/junction.yml" <<EOF
junction:
  backends:
    services-foo-v1:
      servers:
$(jservers)
    services-bar-v1:
      servers:
$(jservers)
    website:
      servers:
        - name: webserver
          url: http://127.0.0.1:$WEBSITE_PORT
  shutdown:
    # Nothing to drain in a benchmark: stop at once.
    drain-delay: 0s
spring:
  cloud:
    gateway:
      server:
        webflux:
          routes:
            - id: services-foo-v1
              uri: lb://services-foo-v1
              predicates:
                - PathRegex=^/services/foo/v1/
              filters:
                - RewritePath=^/services/foo/v1/(?<rest>.*), /\$\\{rest}
            - id: services-bar-v1
              uri: lb://services-bar-v1
              predicates:
                - PathRegex=^/services/bar/v1/
              filters:
                - RewritePath=^/services/bar/v1/(?<rest>.*), /\$\\{rest}
            - id: website
              uri: lb://website
              predicates:
                - Path=/**
EOF
JLOG="$TMP/junction.log"
read -r -a java_opts <<<"$JAVA_OPTS"
# NMT=1: track the JVM's native memory, to print where the resident memory goes.
if [[ ${NMT:-0} == 1 ]]; then java_opts+=(-XX:NativeMemoryTracking=summary); fi
JAVA_CMD=("$JAVA" "${java_opts[@]}" -jar "$JAR" --server.port="$JUNCTION_PORT"
	--management.server.port="$MANAGEMENT_PORT" --spring.config.additional-location="file:$TMP/junction.yml")
started=$SECONDS
"${JAVA_CMD[@]}" >"$JLOG" 2>&1 &
JUNCTION_PID=$!
deadline=$((SECONDS + 60))
until curl -fs -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health/readiness"; do
	kill -0 "$JUNCTION_PID" 2>/dev/null || { tail -40 "$JLOG" >&2; die "Junction exited"; }
	((SECONDS < deadline)) || { tail -40 "$JLOG" >&2; die "Junction not ready after 60 s"; }
	sleep 0.2
done
log "Junction ready in $((SECONDS - started)) s (PID $JUNCTION_PID) on :$JUNCTION_PORT; HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }') nbthread $HAPROXY_THREADS (PID $HAPROXY_PID) on :$HAPROXY_PORT"

# --- both route the same way ---------------------------------------------------------
check_routing() {
	local label=$1 port=$2 got=() body
	for _ in 1 2 3; do
		body=$(curl -fsS --max-time 5 "http://127.0.0.1:$port$REQUEST_PATH") || die "$label: request failed"
		got+=("$body")
	done
	body=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/index.html") || die "$label: website request failed"
	[[ $body == "website /index.html" ]] || die "$label: /index.html answered \"$body\", not the website"
	[[ $(printf '%s\n' "${got[@]}" | sort | tr '\n' ' ') == "app01 /hello app02 /hello app03 /hello " ]] ||
		die "$label: three requests to $REQUEST_PATH answered: ${got[*]} (want app01-app03, path /hello)"
	log "$label routes like the seed: $REQUEST_PATH -> ${got[*]// \/hello/} with path /hello; /index.html -> website"
}
check_routing HAProxy "$HAPROXY_PORT"
check_routing Junction "$JUNCTION_PORT"

# --- wrk -----------------------------------------------------------------------------
# to_ms VALUE: wrk's 850.00us / 1.23ms / 1.02s in milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.3f", n }'
}
# wrk_run OUT CONNECTIONS DURATION PORT [extra args]: runs wrk in the background (so that
# the trap can end it), waits; sets RPS, P99_MS, REQUESTS, ERRORS from its report.
wrk_run() {
	local out=$1 connections=$2 duration=$3 port=$4
	shift 4
	wrk -t1 -c"$connections" -d"$duration" --timeout 5s "$@" "http://127.0.0.1:$port$REQUEST_PATH" >"$out" 2>&1 &
	WRK_PID=$!
	wait "$WRK_PID" || true
	WRK_PID=""
	RPS=$(awk '/^Requests\/sec:/ { print $2; exit }' "$out")
	RPS=${RPS:-0}
	REQUESTS=$(awk '/ requests in / { print $1; exit }' "$out")
	REQUESTS=${REQUESTS:-0}
	local p99
	p99=$(awk '$1 == "99%" { print $2; exit }' "$out")
	P99_MS=$([[ -n $p99 ]] && to_ms "$p99" || echo "-")
	p99=$(awk '$1 == "50%" { print $2; exit }' "$out")
	P50_MS=$([[ -n $p99 ]] && to_ms "$p99" || echo "-")
	ERRORS=$(grep -E 'Socket errors|Non-2xx' "$out" | tr -s ' \n' ' ' || true)
	((REQUESTS > 0)) || die "wrk completed no request on :$port: $(cat "$out")"
}
seconds_of() { case $1 in *m) echo $((${1%m} * 60)) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
# wait_quiet: waits (at most WAIT_QUIET s) until other work uses at most QUIET_LIMIT cores over 3 s.
wait_quiet() {
	local from=$SECONDS
	while :; do
		cpu_mark
		sleep 3
		cpu_other
		if awk -v o="$OTHER_CORES" -v q="$QUIET_LIMIT" 'BEGIN { exit !(o <= q) }'; then
			log "other work on the machine: $OTHER_CORES cores over 3 s"
			return 0
		fi
		if ((SECONDS - from >= WAIT_QUIET)); then
			log "other work on the machine: $OTHER_CORES cores over 3 s; waited $((SECONDS - from)) s for it to stop, going on"
			return 0
		fi
	done
}
agree() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a > b) ? a : b; exit !(m > 0 && d <= 0.05 * m) }'; }

# --- warm-up -------------------------------------------------------------------------
# The JIT keeps speeding Junction up for a long while: one 15 s run, then 10 s runs until
# two in a row agree within 5% and WARMUP_MIN seconds have gone (at most WARMUP_BUDGET).
log "warm-up Junction: wrk -t1 -c$CONNECTIONS, 15 s then 10 s runs until two agree within 5% (at least $WARMUP_MIN s, at most $WARMUP_BUDGET s)"
warm_from=$SECONDS
wrk_run "$TMP/warmup-junction-0.txt" "$CONNECTIONS" 15s "$JUNCTION_PORT"
log "  warm-up 15 s: $RPS req/s${ERRORS:+ ($ERRORS)}"
previous=$RPS
warm_runs=0
while :; do
	if ((SECONDS - warm_from + 10 > WARMUP_BUDGET)); then
		log "  warm-up: stopping, time budget of $WARMUP_BUDGET s spent (the last two runs did not agree within 5%)"
		break
	fi
	warm_runs=$((warm_runs + 1))
	wrk_run "$TMP/warmup-junction-$warm_runs.txt" "$CONNECTIONS" 10s "$JUNCTION_PORT"
	log "  warm-up 10 s: $RPS req/s${ERRORS:+ ($ERRORS)}"
	if ((SECONDS - warm_from >= WARMUP_MIN)) && agree "$previous" "$RPS"; then
		log "  warm-up: two runs agree within 5% after $((SECONDS - warm_from)) s"
		break
	fi
	previous=$RPS
done
log "warm-up HAProxy: wrk -t1 -c$CONNECTIONS -d5s"
wrk_run "$TMP/warmup-haproxy.txt" "$CONNECTIONS" 5s "$HAPROXY_PORT"
log "  warm-up 5 s: $RPS req/s${ERRORS:+ ($ERRORS)}"

# --- turns A B A B A B ---------------------------------------------------------------
# A pair of turns during which other work on the machine used more than QUIET_LIMIT cores
# is run again, while the time budget (RUN_BUDGET s in all) allows; else it is kept and
# marked DISTURBED.
H_RPS=() H_P50=() H_P99=() H_CPU=() J_RPS=() J_P50=() J_P99=() J_CPU=() TURN_LINES=()
INVALID=""
REPEATED=0 KEPT_DISTURBED=0
turn_s=$(seconds_of "$DURATION")
load_s=$(seconds_of "$LOAD_DURATION")
wait_quiet
log "turns: wrk -t1 -c$CONNECTIONS -d$DURATION --latency --timeout 5s http://127.0.0.1:PORT$REQUEST_PATH, A = HAProxy, B = Junction"
counted=0 turn=0
while ((counted < TURNS)); do
	turn=$((turn + 1))
	declare -A T=()
	for side in A B; do
		if [[ $side == A ]]; then label=HAProxy port=$HAPROXY_PORT pid=$HAPROXY_PID; else label=Junction port=$JUNCTION_PORT pid=$JUNCTION_PID; fi
		ticks=$(proc_ticks "$pid")
		cpu_mark
		wrk_run "$TMP/turn$turn-$label.txt" "$CONNECTIONS" "$DURATION" "$port" --latency
		cpu_other
		T[$side.cpu]=$(us_per_request $(($(proc_ticks "$pid") - ticks)) "$REQUESTS")
		if [[ -n $ERRORS ]]; then INVALID+="  turn $turn $label: $ERRORS"$'\n'; fi
		T[$side.rps]=$RPS T[$side.p50]=$P50_MS T[$side.p99]=$P99_MS T[$side.requests]=$REQUESTS T[$side.other]=$OTHER_CORES
		log "  turn $turn $side $label: $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, $label CPU ${T[$side.cpu]} us/request, other work on the machine $OTHER_CORES cores${ERRORS:+ ($ERRORS)}"
	done
	note=""
	if awk -v a="${T[A.other]}" -v b="${T[B.other]}" -v q="$QUIET_LIMIT" 'BEGIN { exit !(a > q || b > q) }'; then
		# Time for what is still to do should this pair be run again.
		if ((SECONDS - START_TIME + (TURNS - counted) * 2 * (turn_s + 1) + load_s + 10 <= RUN_BUDGET)); then
			note="other work > $QUIET_LIMIT cores: not counted, run again"
			REPEATED=$((REPEATED + 1))
			log "  turn $turn: $note"
		else
			note="DISTURBED (other work > $QUIET_LIMIT cores), counted: no time to run it again"
			KEPT_DISTURBED=$((KEPT_DISTURBED + 1))
		fi
	fi
	if [[ $note != *"run again"* ]]; then
		counted=$((counted + 1))
		H_RPS+=("${T[A.rps]}") H_P50+=("${T[A.p50]}") H_P99+=("${T[A.p99]}") H_CPU+=("${T[A.cpu]}")
		J_RPS+=("${T[B.rps]}") J_P50+=("${T[B.p50]}") J_P99+=("${T[B.p99]}") J_CPU+=("${T[B.cpu]}")
	fi
	for side in A B; do
		if [[ $side == A ]]; then label=HAProxy; else label=Junction; fi
		TURN_LINES+=("$(printf '%4s  %-3s %-8s | %10s | %8s | %8s | %9s | %9s | %10s | %s' "$turn" "$side" "$label" "${T[$side.rps]}" \
			"${T[$side.p50]}" "${T[$side.p99]}" "${T[$side.requests]}" "${T[$side.cpu]}" "${T[$side.other]}" "$([[ $side == B ]] && echo "$note")")")
	done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
H_RPS_MED=$(median "${H_RPS[@]}")
J_RPS_MED=$(median "${J_RPS[@]}")
H_P50_MED=$(median "${H_P50[@]}")
J_P50_MED=$(median "${J_P50[@]}")
H_P99_MED=$(median "${H_P99[@]}")
J_P99_MED=$(median "${J_P99[@]}")
H_CPU_MED=$(median "${H_CPU[@]}")
J_CPU_MED=$(median "${J_CPU[@]}")
RPS_RATIO=$(ratio "$J_RPS_MED" "$H_RPS_MED")
P99_RATIO=$(ratio "$J_P99_MED" "$H_P99_MED")

# --- memory after load at c64 --------------------------------------------------------
log "load on Junction: wrk -t1 -c$LOAD_CONNECTIONS -d$LOAD_DURATION"
cpu_mark
wrk_run "$TMP/load-c$LOAD_CONNECTIONS.txt" "$LOAD_CONNECTIONS" "$LOAD_DURATION" "$JUNCTION_PORT" --latency
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
echo "==== Junction vs HAProxy, seed routing, $(date -u +%Y-%m-%d) on $(nproc) cores; $(load_average) at the end ===="
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency on http://127.0.0.1:PORT$REQUEST_PATH; 3 nginx app servers;"
echo "HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }') nbthread $HAPROXY_THREADS; Junction $(basename "$JAR") on $("$JAVA" -version 2>&1 | sed -n 1p)"
echo "(CPU us/rq: CPU time of the HAProxy or Junction process per request, all its threads; other work: CPU that"
echo " processes other than this benchmark's used during the turn, in cores of $(nproc))"
echo
printf '%4s  %-12s | %10s | %8s | %8s | %9s | %9s | %10s | %s\n' turn side "req/s" "p50 ms" "p99 ms" requests "CPU us/rq" "other work" ""
printf '%s\n' "------------------|------------|----------|----------|-----------|-----------|------------|-----"
printf '%s\n' "${TURN_LINES[@]}"
echo
printf '%-24s | %10s | %8s | %8s | %9s\n' "median of counted turns" "req/s" "p50 ms" "p99 ms" "CPU us/rq"
printf '%-24s | %10s | %8s | %8s | %9s\n' HAProxy "$H_RPS_MED" "$H_P50_MED" "$H_P99_MED" "$H_CPU_MED"
printf '%-24s | %10s | %8s | %8s | %9s\n' Junction "$J_RPS_MED" "$J_P50_MED" "$J_P99_MED" "$J_CPU_MED"
echo
goal() { awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= g : v <= g; print ok ? "met" : "NOT met" }'; }
printf '%-44s | %7s | %8s | %s\n' ratio value goal ""
printf '%-44s | %7s | %8s | %s\n' "req/s Junction / HAProxy (medians)" "$RPS_RATIO" ">= 0.60" "$(goal "$RPS_RATIO" '>=' 0.60)"
printf '%-44s | %7s | %8s | %s\n' "p99 Junction / HAProxy (medians)" "$P99_RATIO" "<= 2.0" "$(goal "$P99_RATIO" '<=' 2.0)"
printf '%-44s | %7s | %8s | %s\n' "(p50 Junction / HAProxy, for reference)" "$(ratio "$J_P50_MED" "$H_P50_MED")" "" ""
printf '%-44s | %7s | %8s | %s\n' "(CPU per request Junction / HAProxy)" "$(ratio "$J_CPU_MED" "$H_CPU_MED")" "" ""
printf '%-44s | %7s | %8s | %s\n' "Junction RSS after $LOAD_DURATION at c$LOAD_CONNECTIONS (MiB)" "$RSS_MIB" "<= 160" "$(goal "$RSS_MIB" '<=' 160)"
echo
echo "Junction at c$LOAD_CONNECTIONS for $LOAD_DURATION: $LOAD_RPS req/s, p99 $LOAD_P99 ms, other work $OTHER_CORES cores${LOAD_ERRORS:+ ($LOAD_ERRORS)}"
echo "  VmRSS $RSS_MIB MiB ($RSS_KIB kB), VmHWM (peak) $HWM_MIB MiB, $THREADS threads; heap:"
echo "$HEAP"
[[ -z $NMT_SUMMARY ]] || { echo "  JVM native memory tracking, committed (NMT=1; the JVM's own view, RSS counts only pages touched):"; echo "$NMT_SUMMARY"; }
echo "JVM: ${JAVA_CMD[*]:0:$((${#java_opts[@]} + 1))} -jar ...   (JAVA_OPTS=${JAVA_OPTS:-none})"
echo "  flags in effect (jcmd VM.flags): $FLAGS"
if ((REPEATED || KEPT_DISTURBED)); then
	echo
	echo "NOTE: $REPEATED pair(s) of turns run again and $KEPT_DISTURBED counted although other work used more than $QUIET_LIMIT cores."
	((KEPT_DISTURBED == 0)) || echo "WARNING: disturbed turns are counted: p99 above all is unreliable; run again when the machine is quiet."
fi
if [[ -n $INVALID ]]; then
	echo
	echo "WARNING: errors in these turns (their req/s count only completed requests):"
	printf '%s' "$INVALID"
fi
echo
log "$(uptime)"
log "done in $((SECONDS - START_TIME)) s"
