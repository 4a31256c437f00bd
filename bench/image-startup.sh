#!/usr/bin/env bash
# How fast the container image starts, and how much memory it holds under load.
#
# Builds the jar if missing and the image from the Dockerfile, starts three nginx app
# servers (one process each) and then, RUNS times, `docker run`s Junction with a mounted
# routes file and measures the wall time from `docker run` to the first 200 from
# /actuator/health/readiness (curl every 10 ms). The last container then takes
# `wrk -t1 -c64` for DURATION; its resident memory is read after the load, from
# `docker stats` and from the java process's /proc/<pid>/status.
#
# Usage: bench/image-startup.sh        (about 2 minutes once nginx, wrk and the jar exist)
# Environment:
#   IMAGE (junction-startup:bench)   tag to build and run
#   BUILD (1)                        0: run IMAGE as it is, without building it
#   BASE_IMAGE (junction-base:25)    the Dockerfile's BASE_IMAGE
#   RUNS (5)                         start-ups to time
#   JVM_OPTIONS ()                   extra JVM options for every container (passed as
#                                    JDK_JAVA_OPTIONS: they win over the image's defaults)
#   DOCKER_OPTIONS ()                extra `docker run` options, e.g. "--memory 256m"
#   WARMUP (0s)                      load before the measured DURATION (0s: none)
#   DURATION (20s), CONNECTIONS (64) the measured wrk load (DURATION=0: start-ups only)
#   TIME_LIMIT (290)                 seconds for the whole run: a start-up that would
#                                    leave too little for the load fails the bench
#   JUNCTION_PORT (18380), MANAGEMENT_PORT (18381), APP_PORT_BASE (19300: app servers
#   on +1..+3), KEEP_DIR (copy container logs, configs and wrk reports there)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE=${IMAGE:-junction-startup:bench}
BUILD=${BUILD:-1}
BASE_IMAGE=${BASE_IMAGE:-junction-base:25}
RUNS=${RUNS:-5}
JVM_OPTIONS=${JVM_OPTIONS:-}
DOCKER_OPTIONS=${DOCKER_OPTIONS:-}
WARMUP=${WARMUP:-0s}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
JUNCTION_PORT=${JUNCTION_PORT:-18380}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18381}
APP_PORT_BASE=${APP_PORT_BASE:-19300}
URL="http://127.0.0.1:${JUNCTION_PORT}/services/foo/v1/hello"
READY_URL="http://127.0.0.1:${MANAGEMENT_PORT}/actuator/health/readiness"
TIME_LIMIT=${TIME_LIMIT:-290}
START_TIME=$SECONDS

log() { printf '[%3ds %s] %s\n' "$((SECONDS - START_TIME))" "$(date -u +%H:%M:%S)" "$*"; }
die() {
	log "ERROR: $*" >&2
	exit 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# seconds 20s|2m|0: a wrk duration in seconds.
seconds() {
	case $1 in
	*m) echo $((${1%m} * 60)) ;;
	*s) echo "${1%s}" ;;
	*) echo "$1" ;;
	esac
}
# The start-ups must leave time for the load and the clean-up within TIME_LIMIT.
END_MS=$(($(now_ms) + (TIME_LIMIT - $(seconds "$WARMUP") - $(seconds "$DURATION") - 10) * 1000))

# --- tools ---------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
	log "installing ${missing[*]} (Debian packages)"
	[[ $(id -u) -eq 0 ]] || die "need root to apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt_log=$(mktemp)
	apt-get update -qq >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get update failed"; }
	# RUNLEVEL=1: the package must not start a system nginx that would outlive us.
	RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >"$apt_log" 2>&1 || { cat "$apt_log" >&2; die "apt-get install failed"; }
	rm -f "$apt_log"
fi
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (docker info)"

# --- ports must be free --------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$JUNCTION_PORT" "$MANAGEMENT_PORT" $((APP_PORT_BASE + 1)) $((APP_PORT_BASE + 2)) $((APP_PORT_BASE + 3)); do
	port_open "$port" && die "port $port on 127.0.0.1 is in use already"
done

# --- clean-up ------------------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/junction-image-startup.XXXXXX")
declare -A NGINX_PID=()
CONTAINER=""
WRK_PID=""

remove_container() {
	if [[ -n $CONTAINER ]]; then
		if [[ -n ${KEEP_DIR:-} ]]; then
			docker logs "$CONTAINER" >"$TMP/container-${CONTAINER:0:12}.log" 2>&1 || true
		fi
		# SIGKILL: the drain is not what is measured here.
		docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
		CONTAINER=""
	fi
}

cleanup() {
	local status=$?
	set +e
	trap - EXIT INT TERM
	if [[ -n $WRK_PID ]]; then
		kill -9 "$WRK_PID" 2>/dev/null
		wait "$WRK_PID" 2>/dev/null
	fi
	remove_container
	for name in "${!NGINX_PID[@]}"; do
		kill -9 "${NGINX_PID[$name]}" 2>/dev/null
		wait "${NGINX_PID[$name]}" 2>/dev/null
	done
	if [[ -n ${KEEP_DIR:-} && -d $TMP ]]; then
		mkdir -p "$KEEP_DIR" && cp -r "$TMP"/. "$KEEP_DIR"/ && echo "logs and configs kept in $KEEP_DIR"
	fi
	rm -rf "$TMP"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "machine: $(nproc) cores, uptime:$(uptime | sed 's/^[^,]*up/ up/')"
echo "  Other work on this machine (CI, other sessions) shares these cores and skews every"
echo "  figure below: compare figures only within one run, or runs at a similar load."

# --- the jar and the image -----------------------------------------------------------
cd "$ROOT"
if [[ $BUILD != 0 ]]; then
	shopt -s nullglob
	jars=(target/junction-*.jar)
	if ((${#jars[@]} == 0)); then
		log "building target/junction-*.jar"
		./mvnw -B -q package -DskipTests
		jars=(target/junction-*.jar)
		((${#jars[@]})) || die "the build made no target/junction-*.jar"
	fi
	shopt -u nullglob
	((${#jars[@]} == 1)) || die "more than one target/junction-*.jar: ${jars[*]}"
	docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "no base image $BASE_IMAGE (docker/build-base-image.sh)"
	log "building $IMAGE from Dockerfile and ${jars[0]} on $BASE_IMAGE"
	built=$(now_ms)
	DOCKER_BUILDKIT=0 docker build --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$IMAGE" . >"$TMP/docker-build.log" 2>&1 ||
		{ tail -n 30 "$TMP/docker-build.log" >&2; die "docker build failed"; }
	log "built $IMAGE in $(($(now_ms) - built)) ms"
fi
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "no image $IMAGE"
log "image $IMAGE: $(docker image inspect -f '{{.Id}}' "$IMAGE" | cut -c8-19)," \
	"$(($(docker image inspect -f '{{.Size}}' "$IMAGE") / 1000000)) MB"
[[ -n $JVM_OPTIONS ]] && log "extra JVM options (JDK_JAVA_OPTIONS): $JVM_OPTIONS"
[[ -n $DOCKER_OPTIONS ]] && log "extra docker run options: $DOCKER_OPTIONS"

# --- app servers ---------------------------------------------------------------------
app_port() { echo $((APP_PORT_BASE + 10#${1#app})); }

start_app() {
	local name=$1 port dir
	port=$(app_port "$name")
	dir="$TMP/$name"
	mkdir -p "$dir"
	cat >"$dir/nginx.conf" <<EOF
# One process that serves, no master.
master_process off;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
worker_rlimit_nofile 16384;
events {
    worker_connections 8192;
}
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
        location / {
            return 200 "$name\n";
        }
    }
}
EOF
	nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >>"$dir/stdout.log" 2>&1 &
	NGINX_PID[$name]=$!
	local deadline=$((SECONDS + 10))
	until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
		kill -0 "${NGINX_PID[$name]}" 2>/dev/null || die "nginx $name did not start: $(cat "$dir/error.log" "$dir/stdout.log" 2>/dev/null)"
		((SECONDS < deadline)) || die "nginx $name does not answer on port $port"
		sleep 0.1
	done
}

for name in app01 app02 app03; do
	start_app "$name"
done
log "nginx app01-app03 on 127.0.0.1:$(app_port app01)-$(app_port app03)"

# --- routes, as the seed has them ----------------------------------------------------
# The container reads the file as uid 10001.
mkdir -p "$TMP/config"
cat >"$TMP/config/junction.yml" <<EOF
junction:
  backends:
    services-foo-v1:
      servers:
        - name: app01
          url: http://127.0.0.1:$(app_port app01)
        - name: app02
          url: http://127.0.0.1:$(app_port app02)
        - name: app03
          url: http://127.0.0.1:$(app_port app03)
    website:
      servers:
        - name: webserver
          url: http://127.0.0.1:$(app_port app01)
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
            - id: website
              uri: lb://website
              predicates:
                - Path=/**
EOF
chmod 755 "$TMP" "$TMP/config"
chmod 644 "$TMP/config/junction.yml"

# --- start-ups -----------------------------------------------------------------------
# start_container: docker run -d; sets CONTAINER and READY_MS (docker run to readiness 200).
start_container() {
	local started status deadline deadline_reason checked
	started=$(now_ms)
	# shellcheck disable=SC2086 # DOCKER_OPTIONS is a list of options
	CONTAINER=$(docker run -d --network host --stop-timeout 40 ${JVM_OPTIONS:+-e "JDK_JAVA_OPTIONS=$JVM_OPTIONS"} \
		$DOCKER_OPTIONS -v "$TMP/config/junction.yml:/config/junction.yml:ro" "$IMAGE" \
		--spring.config.additional-location=file:/config/junction.yml \
		--server.port="$JUNCTION_PORT" --management.server.port="$MANAGEMENT_PORT")
	RUN_RETURNED_MS=$(($(now_ms) - started))
	deadline=$((started + 60000))
	((deadline < END_MS)) && deadline_reason="60 s after docker run" || {
		deadline=$END_MS
		deadline_reason="$((END_MS / 1000 - started / 1000)) s after docker run, when the bench's TIME_LIMIT ($TIME_LIMIT s) runs out"
	}
	checked=$started
	while :; do
		status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$READY_URL" || true)
		[[ $status == 200 ]] && break
		local t
		t=$(now_ms)
		if ((t - checked > 1000)); then
			checked=$t
			[[ $(docker inspect -f '{{.State.Running}}' "$CONTAINER") == true ]] ||
				{ docker logs "$CONTAINER" 2>&1 | tail -n 40 >&2; die "the container exited before it was ready"; }
		fi
		((t < deadline)) || { docker logs "$CONTAINER" 2>&1 | tail -n 40 >&2; die "not ready $deadline_reason"; }
		sleep 0.01
	done
	READY_MS=$(($(now_ms) - started))
	# CPU time the JVM used until then (all threads, user + system): less skewed by other
	# work on the machine than the wall time.
	local pid
	pid=$(docker inspect -f '{{.State.Pid}}' "$CONTAINER")
	CPU_MS=$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$pid/stat")
}

# Spring Boot's own view: "Started JunctionApplication in 1.234 seconds (process running for 1.5)".
spring_started() {
	docker logs "$CONTAINER" 2>&1 | sed -n 's/.*Started JunctionApplication in \([0-9.]*\) seconds (process running for \([0-9.]*\)).*/started in \1 s, JVM up \2 s/p' | head -n 1
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

times=()
cpu_times=()
for run in $(seq 1 "$RUNS"); do
	start_container
	times+=("$READY_MS")
	cpu_times+=("$CPU_MS")
	log "run $run: docker run to readiness 200 in $READY_MS ms, JVM CPU $CPU_MS ms" \
		"(docker run returned after $RUN_RETURNED_MS ms; $(spring_started))"
	if ((run < RUNS)); then
		remove_container
		sleep 1
	fi
done
log "start-up, docker run to readiness 200: ${times[*]} ms; median $(printf '%s\n' "${times[@]}" | median) ms"
log "JVM CPU time until ready: ${cpu_times[*]} ms; median $(printf '%s\n' "${cpu_times[@]}" | median) ms"

# --- load ----------------------------------------------------------------------------
if [[ $DURATION == 0 || $DURATION == 0s ]]; then
	echo
	echo "summary ($IMAGE${JVM_OPTIONS:+, JDK_JAVA_OPTIONS=$JVM_OPTIONS}${DOCKER_OPTIONS:+, docker run $DOCKER_OPTIONS}), no load (DURATION=0):"
	echo "  start-up ms:  ${times[*]}  median $(printf '%s\n' "${times[@]}" | median)"
	echo "  JVM CPU ms until ready:  ${cpu_times[*]}  median $(printf '%s\n' "${cpu_times[@]}" | median)"
	exit 0
fi
curl -fs -o /dev/null "$URL" || die "GET $URL does not answer 200"
if [[ $WARMUP != 0s && $WARMUP != 0 ]]; then
	log "warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP"
	wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$URL" >"$TMP/wrk-warmup.txt" 2>&1 || true
fi
log "load: wrk -t1 -c$CONNECTIONS -d$DURATION $URL"
pid=$(docker inspect -f '{{.State.Pid}}' "$CONTAINER")
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat"; }
ticks_before=$(cpu_ticks)
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$URL" >"$TMP/wrk.txt" 2>&1 &
WRK_PID=$!
wait "$WRK_PID" || true
WRK_PID=""
# Read right after the load, before anything is given back.
load_cpu_ms=$((($(cpu_ticks) - ticks_before) * 1000 / $(getconf CLK_TCK)))
stats=$(docker stats --no-stream --format '{{.MemUsage}}' "$CONTAINER")
proc_status=$(cat "/proc/$pid/status")
kib() { awk -v key="$1:" '$1 == key { print $2 }' <<<"$proc_status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
sed 's/^/  /' "$TMP/wrk.txt"
requests=$(awk '/ requests in / { print $1; exit }' "$TMP/wrk.txt")
rps=$(awk '/^Requests\/sec:/ { print $2; exit }' "$TMP/wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF; exit }' "$TMP/wrk.txt")
errors=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print; exit }' "$TMP/wrk.txt")
# Requests per second of the JVM's CPU time: what the load cost Junction, less skewed by
# other work on the machine than req/s.
per_cpu=$(awk -v r="${requests:-0}" -v ms="$load_cpu_ms" 'BEGIN { printf "%d", ms ? r * 1000 / ms : 0 }')
log "load: ${requests:-0} requests, ${rps:-0} req/s, non-2xx ${non2xx:-0}, socket errors ${errors:-none}"
log "load: Junction used $load_cpu_ms ms of CPU: $per_cpu requests per CPU second"
log "memory after the load: docker stats $stats; java (PID $pid on the host) VmRSS $(mib "$(kib VmRSS)") MiB" \
	"(anon $(mib "$(kib RssAnon)"), file $(mib "$(kib RssFile)")), peak VmHWM $(mib "$(kib VmHWM)") MiB, $(kib Threads) threads"

echo
echo "summary ($IMAGE${JVM_OPTIONS:+, JDK_JAVA_OPTIONS=$JVM_OPTIONS}${DOCKER_OPTIONS:+, docker run $DOCKER_OPTIONS}):"
echo "  start-up ms:  ${times[*]}  median $(printf '%s\n' "${times[@]}" | median)"
echo "  JVM CPU ms until ready:  ${cpu_times[*]}  median $(printf '%s\n' "${cpu_times[@]}" | median)"
echo "  after ${DURATION} at c${CONNECTIONS}: VmRSS $(mib "$(kib VmRSS)") MiB, docker stats ${stats%% /*}, ${rps:-0} req/s," \
	"$per_cpu req per CPU s"
echo "  load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
