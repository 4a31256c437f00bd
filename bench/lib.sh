# shellcheck shell=bash
# Pieces the benchmarks in bench/ share. Not run on its own: a script sources it right
# after `set -euo pipefail`:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Sourcing sets ROOT (the repository), START_TIME (for log lines) and the empty lists of
# processes that bench_tmp's clean-up ends; the functions below do the rest when called.
# Each says what it reads and sets: they share state through globals because wrk and the
# CPU marks must run in the script's own shell (the trap has to find wrk; `times` counts
# only this shell's children), never in a $(...) subshell.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
START_TIME=$SECONDS
LOG_CLOCK=%H:%M:%S          # `date` format of the clock in log lines
WRK_PID=""                  # the running wrk, if any
JUNCTION_PIDS=()            # every JVM started (Junction, the bare proxy): SIGTERM first at clean-up
declare -A SERVER_PIDS=()   # nginx and HAProxy by name: SIGKILL at clean-up
ON_CLEANUP=()               # the script's own clean-up functions: called first at clean-up
declare -A SIDE_LABEL=() SIDE_PID=() SIDE_URL=() COUNTED=() MEDIAN=()  # run_turns
SIDES=(A B)                 # run_turns' sides in the order of their turns

# --- logging -------------------------------------------------------------------------
# log MESSAGE...: the message after the seconds since the start and the UTC clock.
log() { printf '[%3ds %s] %s\n' "$((SECONDS - START_TIME))" "$(date -u +"$LOG_CLOCK")" "$*"; }
# die MESSAGE...: logs the message as an error on stderr and exits 1 (the trap cleans up).
die() { log "ERROR: $*" >&2; exit 1; }
# load_figures: the load averages over 1, 5 and 15 minutes, "1.00 0.90 0.80".
load_figures() { cut -d' ' -f1-3 /proc/loadavg; }
# load_average: "load average 1.00 0.90 0.80 on 2 cores".
load_average() { echo "load average $(load_figures) on $(nproc) cores"; }

# --- tools, Java and the jar ---------------------------------------------------------
# need_tools TOOL...: installs the Debian package of each tool that is not on PATH (the
# packages have the tools' names); needs root then.
need_tools() {
	local tool missing=() apt_log
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
	done
	((${#missing[@]})) || return 0
	log "installing ${missing[*]} (Debian packages)"
	[[ $(id -u) -eq 0 ]] || die "need root to apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt_log=$(mktemp)
	apt-get update -qq >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get update failed"; }
	# RUNLEVEL=1: the packages must not start a system nginx or haproxy that outlives us.
	RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get install failed"; }
	rm -f "$apt_log"
}
# need_java: checks that $JAVA is on PATH; sets JCMD and JFR, the JDK tools beside the real
# java binary (they exist only in a JDK: whoever uses them checks).
# shellcheck disable=SC2034 # JCMD and JFR are for the scripts
need_java() {
	command -v "$JAVA" >/dev/null 2>&1 || die "$JAVA (17 or later) is not on PATH"
	local java_bin
	java_bin=$(dirname "$(readlink -f "$(command -v "$JAVA")")")
	JCMD="$java_bin/jcmd"
	JFR="$java_bin/jfr"
}
# find_jar: changes to ROOT and sets JAR to target/junction-*.jar, built first if missing.
find_jar() {
	local jars
	cd "$ROOT" || die "cannot change to $ROOT"
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
}

# --- ports ---------------------------------------------------------------------------
# port_open PORT: true when something listens on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# ports_free PORT...: dies when one of the ports on 127.0.0.1 is in use already.
ports_free() {
	local port
	for port in "$@"; do
		port_open "$port" && die "port $port on 127.0.0.1 is in use already"
	done
	return 0
}
# wait_listening NAME PID PORT LOG SECONDS: waits until something listens on PORT; dies
# with LOG if the process exits or SECONDS pass first.
wait_listening() {
	local name=$1 pid=$2 port=$3 log=$4 limit=$5 deadline=$((SECONDS + $5))
	until port_open "$port"; do
		kill -0 "$pid" 2>/dev/null || { tail -40 "$log" >&2; die "$name exited"; }
		((SECONDS < deadline)) || { tail -40 "$log" >&2; die "$name does not listen on port $port after $limit s"; }
		sleep 0.1
	done
}
# app_port NAME: the port of app server appNN, APP_PORT_BASE + NN.
app_port() { echo $((APP_PORT_BASE + 10#${1#app})); }

# --- temporary folder and clean-up ---------------------------------------------------
# bench_tmp NAME [KEPT]: makes the folder TMP (junction-NAME.XXXXXX) and sets the traps
# that, however the script ends, end wrk, every Junction (SIGTERM, then SIGKILL after
# 10 s) and every server in SERVER_PIDS (SIGKILL, which also ends a stopped one), then
# remove TMP. KEPT says what TMP holds: with it, a KEEP_DIR in the environment gets a copy
# of TMP first; without it, KEEP_DIR is not looked at. The functions the script adds to
# ON_CLEANUP run before all that (e.g. one that saves a container's log in TMP, then removes it).
bench_tmp() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/junction-$1.XXXXXX")
	KEPT=${2:-}
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
# cleanup: the EXIT trap of bench_tmp; exits with the script's own status.
cleanup() {
	local status=$? pid step
	set +e
	trap - EXIT INT TERM
	for step in "${ON_CLEANUP[@]}"; do "$step"; done
	if [[ -n $KEPT && -n ${KEEP_DIR:-} && -d $TMP ]]; then
		mkdir -p "$KEEP_DIR" && cp -r "$TMP"/. "$KEEP_DIR"/ && echo "$KEPT kept in $KEEP_DIR"
	fi
	[[ -n $WRK_PID ]] && { kill -9 "$WRK_PID" 2>/dev/null; wait "$WRK_PID" 2>/dev/null; }
	for pid in "${JUNCTION_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${JUNCTION_PIDS[@]}"; do
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for pid in "${SERVER_PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	rm -rf "$TMP"
	exit "$status"
}

# --- app servers: nginx, one process each --------------------------------------------
# start_nginx NAME PORT [LOCATIONS]: starts nginx as a single process (no master, so that
# kill -9 or SIGSTOP of its PID hits the server itself) on 127.0.0.1:PORT, its files in
# TMP/NAME; records the PID in SERVER_PIDS[NAME] and waits until / answers 200.
# LOCATIONS: the server's location blocks; by default every path answers 200 with
# "NAME URI" (the URI as the server got it, to check the path Junction sent).
start_nginx() {
	local name=$1 port=$2 dir="$TMP/$1" deadline=$((SECONDS + 10))
	local locations=${3:-"location / { return 200 \"$name \$request_uri\\n\"; }"}
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
        $locations
    }
}
EOF
	nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >>"$dir/stdout.log" 2>&1 &
	SERVER_PIDS[$name]=$!
	until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
		kill -0 "${SERVER_PIDS[$name]}" 2>/dev/null || die "nginx $name did not start: $(cat "$dir/error.log" "$dir/stdout.log" 2>/dev/null)"
		((SECONDS < deadline)) || die "nginx $name does not answer on port $port"
		sleep 0.1
	done
}

# --- Junction's configuration (YAML) -------------------------------------------------
# yaml_app_servers: the list items of app01-app03 under a pool's `servers:`.
yaml_app_servers() {
	local name
	for name in app01 app02 app03; do
		printf '        - name: %s\n          url: http://127.0.0.1:%s\n' "$name" "$(app_port "$name")"
	done
}
# yaml_pools POOL...: the junction section: no drain on shutdown (nothing to drain in a
# benchmark: stop at once) and each POOL with app01-app03.
yaml_pools() {
	local pool
	printf 'junction:\n  shutdown:\n    drain-delay: 0s\n  backends:\n'
	for pool in "$@"; do
		printf '    %s:\n      servers:\n' "$pool"
		yaml_app_servers
	done
}
# yaml_website_pool PORT: one more pool, website, with the one server webserver at PORT.
yaml_website_pool() {
	printf '    website:\n      servers:\n        - name: webserver\n          url: http://127.0.0.1:%s\n' "$1"
}
# yaml_routes: the Gateway's routes key; the routes follow.
yaml_routes() { printf 'spring:\n  cloud:\n    gateway:\n      server:\n        webflux:\n          routes:\n'; }
# yaml_prefix_route POOL PREFIX: route POOL to pool POOL for paths matching ^PREFIX, the
# prefix stripped (the seed's reqrep).
yaml_prefix_route() {
	printf '            - id: %s\n              uri: lb://%s\n              predicates:\n' "$1" "$1"
	printf '                - PathRegex=^%s\n              filters:\n' "$2"
	# shellcheck disable=SC2016 # ${rest} is the Gateway's, written as $\{rest} in YAML
	printf '                - RewritePath=^%s(?<rest>.*), /$\\{rest}\n' "$2"
}
# yaml_default_route POOL: route website, every other path, to pool POOL.
yaml_default_route() {
	printf '            - id: website\n              uri: lb://%s\n              predicates:\n                - Path=/**\n' "$1"
}
# yaml_seed_routes: the seed's three routes: the two services, then the website.
yaml_seed_routes() {
	yaml_prefix_route services-foo-v1 /services/foo/v1/
	yaml_prefix_route services-bar-v1 /services/bar/v1/
	yaml_default_route website
}
# yaml_generated_routes N: routes r0000.. to pool services-foo-v1, even ones Path=/svc/rNNNN/**,
# odd ones PathRegex=^/svc/rNNNN/, each stripping its prefix as the seed's routes do.
yaml_generated_routes() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			id = sprintf("r%04d", i)
			printf "            - id: %s\n              uri: lb://services-foo-v1\n              predicates:\n", id
			if (i % 2 == 0) printf "                - Path=/svc/%s/**\n", id
			else printf "                - PathRegex=^/svc/%s/\n", id
			printf "              filters:\n                - RewritePath=^/svc/%s/(?<rest>.*), /$\\{rest}\n", id
		}
	}'
}

# --- Junction ------------------------------------------------------------------------
# start_junction LOG PORT MANAGEMENT_PORT CONFIG [JVM option...]: starts
# `$JAVA [JVM options] -jar $JAR` on the two ports with CONFIG as an additional
# configuration file, in the background, its output in LOG. Sets JUNCTION_PID and
# JAVA_CMD (the command line) and adds the PID to JUNCTION_PIDS for the clean-up.
start_junction() {
	local log=$1 port=$2 management_port=$3 config=$4
	shift 4
	JAVA_CMD=("$JAVA" "$@" -jar "$JAR" --server.port="$port" --management.server.port="$management_port"
		--spring.config.additional-location="file:$config")
	"${JAVA_CMD[@]}" >"$log" 2>&1 &
	JUNCTION_PID=$!
	JUNCTION_PIDS+=("$JUNCTION_PID")
}
# wait_ready NAME PID MANAGEMENT_PORT LOG SECONDS: waits until /actuator/health/readiness
# answers 200; dies with the tail of LOG if the process exits or SECONDS pass first.
wait_ready() {
	local name=$1 pid=$2 management_port=$3 log=$4 limit=$5 deadline=$((SECONDS + $5))
	until curl -fs -o /dev/null "http://127.0.0.1:$management_port/actuator/health/readiness"; do
		kill -0 "$pid" 2>/dev/null || { tail -40 "$log" >&2; die "$name exited"; }
		((SECONDS < deadline)) || { tail -40 "$log" >&2; die "$name not ready after $limit s"; }
		sleep 0.2
	done
}

# --- the bare proxy: Reactor Netty without Spring -----------------------------------
# start_bare_proxy LOG PORT WEBSITE_PORT [JVM option...]: starts bench/bare-proxy/BareProxy.java
# with the JDK's source launcher on 127.0.0.1:PORT, routing like the seed to app01-app03
# and the website at WEBSITE_PORT, in the background, its output in LOG. Its class path
# is Netty and Reactor Netty as Junction's jar JAR holds them (extracted into TMP once),
# so both run the same versions and nothing is downloaded (the clean-up removes them
# before KEEP_DIR gets a copy of TMP). Sets BARE_PID and BARE_REACTOR_NETTY (the jar's
# reactor-netty-http-*.jar) and adds the PID to JUNCTION_PIDS for the clean-up. Needs
# unzip and, for the source launcher, a JDK.
start_bare_proxy() {
	local log=$1 port=$2 website_port=$3 lib="$TMP/bare-proxy-lib" jars
	shift 3
	if [[ ! -d $lib ]]; then
		unzip -q -j -o "$JAR" 'BOOT-INF/lib/netty-*.jar' 'BOOT-INF/lib/reactor-core-*.jar' \
			'BOOT-INF/lib/reactor-netty-*.jar' 'BOOT-INF/lib/reactive-streams-*.jar' -d "$lib" ||
			die "cannot extract Reactor Netty's jars from $JAR"
		ON_CLEANUP+=(remove_bare_proxy_lib)
	fi
	shopt -s nullglob
	jars=("$lib"/reactor-netty-http-*.jar)
	shopt -u nullglob
	((${#jars[@]})) || die "$JAR holds no reactor-netty-http jar"
	# shellcheck disable=SC2034 # BARE_REACTOR_NETTY is for the scripts
	BARE_REACTOR_NETTY=$(basename "${jars[0]}" .jar)
	"$JAVA" "$@" -cp "$lib/*" "$ROOT/bench/bare-proxy/BareProxy.java" --port="$port" \
		--app-ports="$(app_port app01),$(app_port app02),$(app_port app03)" --website-port="$website_port" >"$log" 2>&1 &
	BARE_PID=$!
	JUNCTION_PIDS+=("$BARE_PID")
}
# remove_bare_proxy_lib: a clean-up step of start_bare_proxy's: 20 MB of Junction's own jars.
remove_bare_proxy_lib() { rm -rf "$TMP/bare-proxy-lib"; }

# check_round_robin NAME URL: three requests to URL must reach app01, app02 and app03,
# each with the path /hello (the route's prefix stripped); sets ROUTED to the answers.
check_round_robin() {
	local name=$1 url=$2 body
	ROUTED=()
	for _ in 1 2 3; do
		body=$(curl -fsS --max-time 5 "$url") || die "$name: $url failed"
		ROUTED+=("$body")
	done
	[[ $(printf '%s\n' "${ROUTED[@]}" | sort | tr '\n' ' ') == "app01 /hello app02 /hello app03 /hello " ]] ||
		die "$name: three requests to $url answered: ${ROUTED[*]} (want app01-app03, path /hello)"
}

# --- wrk -----------------------------------------------------------------------------
# wrk_start OUT CONNECTIONS DURATION URL [wrk option...]: starts wrk -t1 in the background,
# its report in OUT; WRK_PID lets the clean-up end it.
wrk_start() {
	local out=$1 connections=$2 duration=$3 url=$4
	shift 4
	wrk -t1 -c"$connections" -d"$duration" "$@" "$url" >"$out" 2>&1 &
	WRK_PID=$!
}
# wrk_wait: waits for the wrk that wrk_start started.
wrk_wait() {
	wait "$WRK_PID" || true
	WRK_PID=""
}
# to_ms VALUE: wrk's 850.00us / 1.23ms / 1.02s in milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.3f", n }'
}
# wrk_figures OUT: reads wrk's report OUT. Sets RPS and REQUESTS (0 if absent), P50 and P99
# as wrk prints them and P50_MS and P99_MS in milliseconds ("-" without --latency),
# ERRORS: wrk's socket error and non-2xx lines on one line (empty if none), and the same
# apart: SOCKET_ERRORS, the counts after "Socket errors:" (empty if none), and NON_2XX,
# the number of non-2xx or 3xx responses (0 if none).
wrk_figures() {
	local out=$1
	RPS=$(awk '/^Requests\/sec:/ { print $2; exit }' "$out")
	RPS=${RPS:-0}
	REQUESTS=$(awk '/ requests in / { print $1; exit }' "$out")
	REQUESTS=${REQUESTS:-0}
	P50=$(awk '$1 == "50%" { print $2; exit }' "$out")
	P50=${P50:--}
	P99=$(awk '$1 == "99%" { print $2; exit }' "$out")
	P99=${P99:--}
	P50_MS=$([[ $P50 != - ]] && to_ms "$P50" || echo "-")
	P99_MS=$([[ $P99 != - ]] && to_ms "$P99" || echo "-")
	ERRORS=$(grep -E 'Socket errors|Non-2xx' "$out" | tr -s ' \n' ' ' || true)
	# shellcheck disable=SC2034 # SOCKET_ERRORS is for the scripts
	SOCKET_ERRORS=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print; exit }' "$out")
	NON_2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF; exit }' "$out")
	NON_2XX=${NON_2XX:-0}
}
# wrk_measure OUT CONNECTIONS DURATION URL [wrk option...]: wrk_start, wrk_wait and
# wrk_figures; dies if wrk completed no request (it exits 0 when it cannot connect).
wrk_measure() {
	wrk_start "$@"
	wrk_wait
	wrk_figures "$1"
	((REQUESTS > 0)) || die "wrk completed no request on $4: $(cat "$1")"
}
# seconds_of DURATION: wrk's 20s or 2m in seconds.
seconds_of() { case $1 in *m) echo $((${1%m} * 60)) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
# agree A B: true when the two throughputs differ by at most 5% of the larger, not both 0.
agree() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a > b) ? a : b; exit !(m > 0 && d <= 0.05 * m) }'; }
# median VALUE...: the median of numbers.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ratio A B: A / B with two decimals ("-" when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# warm_up LABEL URL: the JIT keeps speeding Junction up for a long while: wrk -t1 at
# CONNECTIONS for 15 s, then 10 s runs until two in a row agree within 5% and WARMUP_MIN
# seconds have gone, or WARMUP_BUDGET seconds would be passed. Reports in TMP/warmup-LABEL-*.
# shellcheck disable=SC2153 # CONNECTIONS is the script's setting
warm_up() {
	local label=$1 url=$2 from=$SECONDS previous runs=0
	log "warm-up $label: wrk -t1 -c$CONNECTIONS $url, 15 s then 10 s runs until two agree within 5% (at least $WARMUP_MIN s, at most $WARMUP_BUDGET s)"
	wrk_measure "$TMP/warmup-$label-0.txt" "$CONNECTIONS" 15s "$url" --timeout 5s
	log "  $label 15 s: $RPS req/s${ERRORS:+ ($ERRORS)}"
	previous=$RPS
	while :; do
		if ((SECONDS - from + 10 > WARMUP_BUDGET)); then
			log "  $label: stopping, time budget of $WARMUP_BUDGET s spent (the last two runs did not agree within 5%)"
			break
		fi
		runs=$((runs + 1))
		wrk_measure "$TMP/warmup-$label-$runs.txt" "$CONNECTIONS" 10s "$url" --timeout 5s
		log "  $label 10 s: $RPS req/s${ERRORS:+ ($ERRORS)}"
		if ((SECONDS - from >= WARMUP_MIN)) && agree "$previous" "$RPS"; then
			log "  $label: two runs agree within 5% after $((SECONDS - from)) s"
			break
		fi
		previous=$RPS
	done
}

# --- other work on the machine -------------------------------------------------------
# How much CPU other work on the machine used, in cores: the machine's busy time
# (/proc/stat) less that of our own processes (/proc/PID/stat) and of the shell's finished
# children (wrk, curl; from `times`, which must run in this shell, not a subshell).
CLK_TCK=$(getconf CLK_TCK)
# cpu_mark: remembers the machine's and our processes' CPU time so far (MARK_*).
cpu_mark() {
	times >"$TMP/times"
	MARK_NS=$(date +%s%N)
	MARK_BUSY=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
	MARK_OWN=$(own_ticks)
	MARK_CHILDREN=$(awk -v hz="$CLK_TCK" 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } } END { printf "%d", t * hz }' "$TMP/times")
}
# own_ticks: the CPU time of the servers and Junctions started so far, in clock ticks.
own_ticks() {
	local pid
	for pid in "${SERVER_PIDS[@]}" "${JUNCTION_PIDS[@]}"; do
		[[ -r /proc/$pid/stat ]] && awk '{ print $14 + $15 }' "/proc/$pid/stat"
	done | awk '{ t += $1 } END { printf "%d", t }'
}
# cpu_other: sets OTHER_CORES, the cores other work used since cpu_mark, and marks again.
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
# other_work_at_start: logs uptime and the cores other work used over 3 s.
other_work_at_start() {
	log "$(uptime)"
	cpu_mark
	sleep 3
	cpu_other
	log "other work on this machine: $OTHER_CORES of $(nproc) cores busy over 3 s before starting (it skews every figure; the turns alternate so both sides share it)"
}
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

# --- turns A B A B -------------------------------------------------------------------
# run_turns AFTER_SECONDS LABEL_WIDTH: TURNS counted rounds of turns, one turn per side in
# the order of SIDES (A B unless the script sets more), each wrk -t1 -cCONNECTIONS
# -dDURATION --latency on SIDE_URL[side], counting the CPU of process SIDE_PID[side]. A
# round during which other work on the machine used more than QUIET_LIMIT cores in one of
# its turns is run again while the time allows (RUN_BUDGET seconds in all, of which the
# script needs AFTER_SECONDS after the turns); else it is counted and marked DISTURBED.
# Sets COUNTED[side.rps|p50|p99|cpu] (the counted turns' figures, space-separated),
# MEDIAN[side.rps|p50|p99|cpu] (their medians), TURN_LINES (a table line per side and
# turn, SIDE_LABEL[side] LABEL_WIDTH wide), INVALID (the turns with wrk errors), REPEATED
# and KEPT_DISTURBED (the rounds run again, and those counted although disturbed). With
# ALTERNATE_ORDER=1 every second round runs its sides in reverse (A B, B A, A B, ...), so
# that a machine slowing down or speeding up through the run favours neither side.
# shellcheck disable=SC2153 # DURATION is the script's setting
run_turns() {
	local after=$1 width=$2 turn=0 counted=0 turn_s side ticks note key values turn_other i
	local -A T
	local -a order
	turn_s=$(seconds_of "$DURATION")
	COUNTED=() TURN_LINES=() INVALID="" REPEATED=0 KEPT_DISTURBED=0
	while ((counted < TURNS)); do
		turn=$((turn + 1))
		T=()
		turn_other=()
		order=("${SIDES[@]}")
		if [[ ${ALTERNATE_ORDER:-0} == 1 ]] && ((turn % 2 == 0)); then
			order=()
			for ((i = ${#SIDES[@]} - 1; i >= 0; i--)); do order+=("${SIDES[$i]}"); done
		fi
		for side in "${order[@]}"; do
			ticks=$(proc_ticks "${SIDE_PID[$side]}")
			cpu_mark
			wrk_measure "$TMP/turn$turn-$side.txt" "$CONNECTIONS" "$DURATION" "${SIDE_URL[$side]}" --timeout 5s --latency
			cpu_other
			T[$side.cpu]=$(us_per_request $(($(proc_ticks "${SIDE_PID[$side]}") - ticks)) "$REQUESTS")
			if [[ -n $ERRORS ]]; then INVALID+="  turn $turn $side ${SIDE_LABEL[$side]}: $ERRORS"$'\n'; fi
			T[$side.rps]=$RPS T[$side.p50]=$P50_MS T[$side.p99]=$P99_MS T[$side.requests]=$REQUESTS T[$side.other]=$OTHER_CORES
			turn_other+=("$OTHER_CORES")
			log "  turn $turn $side ${SIDE_LABEL[$side]}: $RPS req/s, p50 $P50_MS ms, p99 $P99_MS ms, CPU ${T[$side.cpu]} us/request, other work on the machine $OTHER_CORES cores${ERRORS:+ ($ERRORS)}"
		done
		note=""
		if awk -v q="$QUIET_LIMIT" 'BEGIN { for (i = 1; i < ARGC; i++) if (ARGV[i] + 0 > q) exit 0; exit 1 }' "${turn_other[@]}"; then
			# Time for what is still to do should this round be run again.
			if ((SECONDS - START_TIME + (TURNS - counted) * ${#SIDES[@]} * (turn_s + 1) + after + 10 <= RUN_BUDGET)); then
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
			for side in "${SIDES[@]}"; do
				for key in "$side".{rps,p50,p99,cpu}; do COUNTED[$key]+="${COUNTED[$key]:+ }${T[$key]}"; done
			done
		fi
		for side in "${SIDES[@]}"; do
			TURN_LINES+=("$(printf '%4s  %-3s %-*s | %10s | %8s | %8s | %9s | %9s | %10s | %s' "$turn" "$side" "$width" "${SIDE_LABEL[$side]}" \
				"${T[$side.rps]}" "${T[$side.p50]}" "${T[$side.p99]}" "${T[$side.requests]}" "${T[$side.cpu]}" "${T[$side.other]}" \
				"$([[ $side == "${SIDES[-1]}" ]] && echo "$note")")")
		done
	done
	for key in "${!COUNTED[@]}"; do
		read -r -a values <<<"${COUNTED[$key]}"
		MEDIAN[$key]=$(median "${values[@]}")
	done
}
# print_turns LABEL_WIDTH NAME...: the table of turns (run_turns' TURN_LINES) and that of
# the medians of the counted turns (MEDIAN), the sides named NAME... in the order of SIDES.
print_turns() {
	local width=$1 i names
	shift
	names=("$@")
	printf '%4s  %-*s | %10s | %8s | %8s | %9s | %9s | %10s | %s\n' turn $((width + 4)) side "req/s" "p50 ms" "p99 ms" requests "CPU us/rq" "other work" ""
	printf '%s\n' "$(printf '%*s' $((width + 10)) '' | tr ' ' -)|------------|----------|----------|-----------|-----------|------------|-----"
	printf '%s\n' "${TURN_LINES[@]}"
	echo
	printf '%-24s | %10s | %8s | %8s | %9s\n' "median of counted turns" "req/s" "p50 ms" "p99 ms" "CPU us/rq"
	for i in "${!SIDES[@]}"; do
		printf '%-24s | %10s | %8s | %8s | %9s\n' "${names[$i]}" "${MEDIAN[${SIDES[$i]}.rps]}" "${MEDIAN[${SIDES[$i]}.p50]}" \
			"${MEDIAN[${SIDES[$i]}.p99]}" "${MEDIAN[${SIDES[$i]}.cpu]}"
	done
}
# print_turn_warnings WARNING: notes rounds run again or counted although disturbed (then
# WARNING too), and lists the turns with wrk errors.
print_turn_warnings() {
	if ((REPEATED || KEPT_DISTURBED)); then
		echo
		echo "NOTE: $REPEATED round(s) of turns run again and $KEPT_DISTURBED counted although other work used more than $QUIET_LIMIT cores."
		((KEPT_DISTURBED == 0)) || echo "WARNING: $1"
	fi
	if [[ -n $INVALID ]]; then
		echo
		echo "WARNING: errors in these turns (their req/s count only completed requests):"
		printf '%s' "$INVALID"
	fi
}
