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

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
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
START_TIME=$SECONDS

log() { printf '[%3ds %s] %s\n' "$((SECONDS - START_TIME))" "$(date -u +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
load_average() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }

# --- tools ---------------------------------------------------------------------------
missing=()
for tool in nginx wrk curl; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
	log "installing ${missing[*]} (Debian packages)"
	[[ $(id -u) -eq 0 ]] || die "need root to apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt_log=$(mktemp)
	apt-get update -qq >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get update failed"; }
	# RUNLEVEL=1: the package must not start a system nginx that outlives us.
	RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get install failed"; }
	rm -f "$apt_log"
fi
command -v "$JAVA" >/dev/null 2>&1 || die "$JAVA (17 or later) is not on PATH"

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
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$PORT_A" $((PORT_A + 1)) "$PORT_B" $((PORT_B + 1)) "$(app_port app01)" "$(app_port app02)" "$(app_port app03)"; do
	port_open "$port" && die "port $port on 127.0.0.1 is in use already"
done

# --- clean-up ------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/junction-routes.XXXXXX")
PIDS=()  # nginx
declare -A JPID=()
WRK_PID=""
cleanup() {
	local status=$?
	set +e
	trap - EXIT INT TERM
	if [[ -n ${KEEP_DIR:-} && -d $TMP ]]; then
		mkdir -p "$KEEP_DIR" && cp -r "$TMP"/. "$KEEP_DIR"/ && echo "configs, logs and wrk reports kept in $KEEP_DIR"
	fi
	[[ -n $WRK_PID ]] && { kill -9 "$WRK_PID" 2>/dev/null; wait "$WRK_PID" 2>/dev/null; }
	local pid
	for pid in "${JPID[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${JPID[@]}"; do
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
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
	for pid in "${PIDS[@]}" "${JPID[@]}"; do
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
log "nginx app01-app03 on 127.0.0.1:$(app_port app01)-$(app_port app03)"

# --- the two configurations ----------------------------------------------------------
pool() {
	local name
	printf 'junction:\n  shutdown:\n    drain-delay: 0s\n  backends:\n'
	for p in "$@"; do
		printf '    %s:\n      servers:\n' "$p"
		for name in app01 app02 app03; do
			printf '        - name: %s\n          url: http://127.0.0.1:%s\n' "$name" "$(app_port "$name")"
		done
	done
	printf 'spring:\n  cloud:\n    gateway:\n      server:\n        webflux:\n          routes:\n'
}
{
	pool services-foo-v1 services-bar-v1 website
	cat <<'EOF'
            - id: services-foo-v1
              uri: lb://services-foo-v1
              predicates:
                - PathRegex=^/services/foo/v1/
              filters:
                - RewritePath=^/services/foo/v1/(?<rest>.*), /$\{rest}
            - id: services-bar-v1
              uri: lb://services-bar-v1
              predicates:
                - PathRegex=^/services/bar/v1/
              filters:
                - RewritePath=^/services/bar/v1/(?<rest>.*), /$\{rest}
            - id: website
              uri: lb://website
              predicates:
                - Path=/**
EOF
} >"$TMP/routes-3.yml"
{
	pool services-foo-v1
	awk -v n="$ROUTES" 'BEGIN {
		for (i = 0; i < n; i++) {
			id = sprintf("r%04d", i)
			printf "            - id: %s\n              uri: lb://services-foo-v1\n              predicates:\n", id
			if (i % 2 == 0) printf "                - Path=/svc/%s/**\n", id
			else printf "                - PathRegex=^/svc/%s/\n", id
			printf "              filters:\n                - RewritePath=^/svc/%s/(?<rest>.*), /$\\{rest}\n", id
		}
	}'
} >"$TMP/routes-$ROUTES.yml"

# --- Junction, twice ----------------------------------------------------------------
read -r -a java_opts <<<"$JAVA_OPTS"
start_junction() {
	local label=$1 port=$2 config=$3
	"$JAVA" "${java_opts[@]}" -jar "$JAR" --server.port="$port" --management.server.port=$((port + 1)) \
		--spring.config.additional-location="file:$config" >"$TMP/junction-$label.log" 2>&1 &
	JPID[$label]=$!
}
wait_ready() {
	local label=$1 port=$2 deadline=$((SECONDS + 90))
	until curl -fs -o /dev/null "http://127.0.0.1:$((port + 1))/actuator/health/readiness"; do
		kill -0 "${JPID[$label]}" 2>/dev/null || { tail -40 "$TMP/junction-$label.log" >&2; die "Junction $label exited"; }
		((SECONDS < deadline)) || { tail -40 "$TMP/junction-$label.log" >&2; die "Junction $label not ready after 90 s"; }
		sleep 0.2
	done
}
started=$SECONDS
start_junction A "$PORT_A" "$TMP/routes-3.yml"
start_junction B "$PORT_B" "$TMP/routes-$ROUTES.yml"
wait_ready A "$PORT_A"
log "Junction A (3 routes) ready after $((SECONDS - started)) s, PID ${JPID[A]}, :$PORT_A"
wait_ready B "$PORT_B"
log "Junction B ($ROUTES routes) ready after $((SECONDS - started)) s, PID ${JPID[B]}, :$PORT_B"

# Both route as intended: the path's prefix is stripped and the pool round-robins.
check_routing() {
	local label=$1 port=$2 path=$3 got=() body
	for _ in 1 2 3; do
		body=$(curl -fsS --max-time 5 "http://127.0.0.1:$port$path") || die "$label: $path failed"
		got+=("$body")
	done
	[[ $(printf '%s\n' "${got[@]}" | sort | tr '\n' ' ') == "app01 /hello app02 /hello app03 /hello " ]] ||
		die "$label: three requests to $path answered: ${got[*]} (want app01-app03, path /hello)"
}
check_routing A "$PORT_A" "$PATH_A"
check_routing B "$PORT_B" "$PATH_B"
check_routing B "$PORT_B" "/svc/$(printf 'r%04d' $((ROUTES - 2)))/hello"
log "routing checked: A $PATH_A and B $PATH_B (and the Path route before it) -> app01-app03, path /hello"

# --- wrk -----------------------------------------------------------------------------
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.3f", n }'
}
# wrk_run OUT DURATION URL [extra args]: sets RPS, P99_MS, REQUESTS, ERRORS.
wrk_run() {
	local out=$1 duration=$2 url=$3
	shift 3
	wrk -t1 -c"$CONNECTIONS" -d"$duration" --timeout 5s "$@" "$url" >"$out" 2>&1 &
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
	((REQUESTS > 0)) || die "wrk completed no request on $url: $(cat "$out")"
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
URL_A="http://127.0.0.1:$PORT_A$PATH_A"
URL_B="http://127.0.0.1:$PORT_B$PATH_B"

# warm_up LABEL URL: 15 s, then 10 s runs until two agree within 5% (WARMUP_MIN..WARMUP_BUDGET s).
warm_up() {
	local label=$1 url=$2 from=$SECONDS previous runs=0
	log "warm-up $label: wrk -t1 -c$CONNECTIONS $url, 15 s then 10 s runs until two agree within 5%"
	wrk_run "$TMP/warmup-$label-0.txt" 15s "$url"
	log "  $label 15 s: $RPS req/s${ERRORS:+ ($ERRORS)}"
	previous=$RPS
	while :; do
		if ((SECONDS - from + 10 > WARMUP_BUDGET)); then
			log "  $label: stopping, time budget of $WARMUP_BUDGET s spent (the last two runs did not agree within 5%)"
			break
		fi
		runs=$((runs + 1))
		wrk_run "$TMP/warmup-$label-$runs.txt" 10s "$url"
		log "  $label 10 s: $RPS req/s${ERRORS:+ ($ERRORS)}"
		if ((SECONDS - from >= WARMUP_MIN)) && agree "$previous" "$RPS"; then
			log "  $label: two runs agree within 5% after $((SECONDS - from)) s"
			break
		fi
		previous=$RPS
	done
}
warm_up A "$URL_A"
warm_up B "$URL_B"

# --- turns A B A B -------------------------------------------------------------------
# A pair of turns during which other work on the machine used more than QUIET_LIMIT cores
# is run again, while the time budget (RUN_BUDGET s in all) allows; else it is kept and
# marked DISTURBED.
A_RPS=() A_P50=() A_P99=() A_CPU=() B_RPS=() B_P50=() B_P99=() B_CPU=() TURN_LINES=()
INVALID=""
REPEATED=0 KEPT_DISTURBED=0
turn_s=$(seconds_of "$DURATION")
wait_quiet
log "turns: wrk -t1 -c$CONNECTIONS -d$DURATION --latency --timeout 5s; A = 3 routes $PATH_A, B = $ROUTES routes $PATH_B"
counted=0 turn=0
while ((counted < TURNS)); do
	turn=$((turn + 1))
	declare -A T=()
	for side in A B; do
		if [[ $side == A ]]; then url=$URL_A label="3 routes"; else url=$URL_B label="$ROUTES routes"; fi
		ticks=$(proc_ticks "${JPID[$side]}")
		cpu_mark
		wrk_run "$TMP/turn$turn-$side.txt" "$DURATION" "$url" --latency
		cpu_other
		T[$side.cpu]=$(us_per_request $(($(proc_ticks "${JPID[$side]}") - ticks)) "$REQUESTS")
		if [[ -n $ERRORS ]]; then INVALID+="  turn $turn $side: $ERRORS"$'\n'; fi
		T[$side.rps]=$RPS T[$side.p50]=$P50_MS T[$side.p99]=$P99_MS T[$side.requests]=$REQUESTS T[$side.other]=$OTHER_CORES
		log "  turn $turn $side ($label): $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, Junction CPU ${T[$side.cpu]} us/request, other work on the machine $OTHER_CORES cores${ERRORS:+ ($ERRORS)}"
	done
	note=""
	if awk -v a="${T[A.other]}" -v b="${T[B.other]}" -v q="$QUIET_LIMIT" 'BEGIN { exit !(a > q || b > q) }'; then
		# Time for what is still to do should this pair be run again.
		if ((SECONDS - START_TIME + (TURNS - counted) * 2 * (turn_s + 1) + 10 <= RUN_BUDGET)); then
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
		A_RPS+=("${T[A.rps]}") A_P50+=("${T[A.p50]}") A_P99+=("${T[A.p99]}") A_CPU+=("${T[A.cpu]}")
		B_RPS+=("${T[B.rps]}") B_P50+=("${T[B.p50]}") B_P99+=("${T[B.p99]}") B_CPU+=("${T[B.cpu]}")
	fi
	for side in A B; do
		if [[ $side == A ]]; then label="3 routes"; else label="$ROUTES routes"; fi
		TURN_LINES+=("$(printf '%4s  %-3s %-12s | %10s | %8s | %8s | %9s | %9s | %10s | %s' "$turn" "$side" "$label" "${T[$side.rps]}" \
			"${T[$side.p50]}" "${T[$side.p99]}" "${T[$side.requests]}" "${T[$side.cpu]}" "${T[$side.other]}" "$([[ $side == B ]] && echo "$note")")")
	done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
A_RPS_MED=$(median "${A_RPS[@]}")
B_RPS_MED=$(median "${B_RPS[@]}")
A_P50_MED=$(median "${A_P50[@]}")
B_P50_MED=$(median "${B_P50[@]}")
A_P99_MED=$(median "${A_P99[@]}")
B_P99_MED=$(median "${B_P99[@]}")
A_CPU_MED=$(median "${A_CPU[@]}")
B_CPU_MED=$(median "${B_CPU[@]}")
RATIO=$(ratio "$B_RPS_MED" "$A_RPS_MED")
rss_mib() { awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

echo
echo "==== Junction, $ROUTES routes vs the seed's 3, $(date -u +%Y-%m-%d) on $(nproc) cores; $(load_average) at the end ===="
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency; same pool of 3 nginx; $(basename "$JAR") on $("$JAVA" -version 2>&1 | sed -n 1p); JAVA_OPTS=${JAVA_OPTS:-none}"
echo "A: 3 routes (seed), $PATH_A matches the first;  B: $ROUTES routes (half Path, half PathRegex), $PATH_B matches only the last"
echo "(CPU us/rq: CPU time of that Junction process per request, all its threads; other work: CPU that"
echo " processes other than this benchmark's used during the turn, in cores of $(nproc))"
echo
printf '%4s  %-16s | %10s | %8s | %8s | %9s | %9s | %10s | %s\n' turn side "req/s" "p50 ms" "p99 ms" requests "CPU us/rq" "other work" ""
printf '%s\n' "----------------------|------------|----------|----------|-----------|-----------|------------|-----"
printf '%s\n' "${TURN_LINES[@]}"
echo
printf '%-24s | %10s | %8s | %8s | %9s\n' "median of counted turns" "req/s" "p50 ms" "p99 ms" "CPU us/rq"
printf '%-24s | %10s | %8s | %8s | %9s\n' "A 3 routes" "$A_RPS_MED" "$A_P50_MED" "$A_P99_MED" "$A_CPU_MED"
printf '%-24s | %10s | %8s | %8s | %9s\n' "B $ROUTES routes" "$B_RPS_MED" "$B_P50_MED" "$B_P99_MED" "$B_CPU_MED"
echo
verdict=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.95) ? "met" : "NOT met" }')
echo "req/s ratio B/A ($ROUTES routes / 3 routes, medians): $RATIO   goal >= 0.95: $verdict"
echo "p99 ratio B/A: $(ratio "$B_P99_MED" "$A_P99_MED"); CPU per request B/A: $(ratio "$B_CPU_MED" "$A_CPU_MED");  RSS now: A $(rss_mib "${JPID[A]}") MiB, B $(rss_mib "${JPID[B]}") MiB"
if ((REPEATED || KEPT_DISTURBED)); then
	echo
	echo "NOTE: $REPEATED pair(s) of turns run again and $KEPT_DISTURBED counted although other work used more than $QUIET_LIMIT cores."
	((KEPT_DISTURBED == 0)) || echo "WARNING: disturbed turns are counted; run again when the machine is quiet."
fi
if [[ -n $INVALID ]]; then
	echo
	echo "WARNING: errors in these turns (their req/s count only completed requests):"
	printf '%s' "$INVALID"
fi
echo
log "$(uptime)"
log "done in $((SECONDS - START_TIME)) s"
