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
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# The start-ups must leave time for the load and the clean-up within TIME_LIMIT.
END_MS=$(($(now_ms) + (TIME_LIMIT - $(seconds_of "$WARMUP") - $(seconds_of "$DURATION") - 10) * 1000))

need_tools nginx wrk curl
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (docker info)"
ports_free "$JUNCTION_PORT" "$MANAGEMENT_PORT" "$(app_port app01)" "$(app_port app02)" "$(app_port app03)"

# --- clean-up: the container first, then what bench_tmp's clean-up ends ---------------
CONTAINER=""
# remove_container: removes the current container; with KEEP_DIR, saves its log in TMP first.
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
ON_CLEANUP+=(remove_container)
bench_tmp image-startup "logs and configs"

echo "machine: $(nproc) cores, uptime:$(uptime | sed 's/^[^,]*up/ up/')"
echo "  Other work on this machine (CI, other sessions) shares these cores and skews every"
echo "  figure below: compare figures only within one run, or runs at a similar load."

# --- the jar and the image -----------------------------------------------------------
cd "$ROOT"
if [[ $BUILD != 0 ]]; then
	find_jar
	# The Dockerfile copies target/junction-*.jar into one file.
	jars=(target/junction-*.jar)
	((${#jars[@]} == 1)) || die "more than one target/junction-*.jar: ${jars[*]}"
	docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "no base image $BASE_IMAGE (docker/build-base-image.sh)"
	log "building $IMAGE from Dockerfile and $JAR on $BASE_IMAGE"
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

# --- app servers: nginx, one process each --------------------------------------------
# Each answers every path with its name alone.
for name in app01 app02 app03; do
	start_nginx "$name" "$(app_port "$name")" "location / { return 200 \"$name\\n\"; }"
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
	CPU_MS=$(($(proc_ticks "$pid") * 1000 / CLK_TCK))
}

# Spring Boot's own view: "Started JunctionApplication in 1.234 seconds (process running for 1.5)".
spring_started() {
	docker logs "$CONTAINER" 2>&1 | sed -n 's/.*Started JunctionApplication in \([0-9.]*\) seconds (process running for \([0-9.]*\)).*/started in \1 s, JVM up \2 s/p' | head -n 1
}

# median_ms MS...: the median in whole milliseconds (lib.sh's median keeps decimals).
median_ms() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

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
log "start-up, docker run to readiness 200: ${times[*]} ms; median $(median_ms "${times[@]}") ms"
log "JVM CPU time until ready: ${cpu_times[*]} ms; median $(median_ms "${cpu_times[@]}") ms"

# --- load ----------------------------------------------------------------------------
if [[ $DURATION == 0 || $DURATION == 0s ]]; then
	echo
	echo "summary ($IMAGE${JVM_OPTIONS:+, JDK_JAVA_OPTIONS=$JVM_OPTIONS}${DOCKER_OPTIONS:+, docker run $DOCKER_OPTIONS}), no load (DURATION=0):"
	echo "  start-up ms:  ${times[*]}  median $(median_ms "${times[@]}")"
	echo "  JVM CPU ms until ready:  ${cpu_times[*]}  median $(median_ms "${cpu_times[@]}")"
	exit 0
fi
curl -fs -o /dev/null "$URL" || die "GET $URL does not answer 200"
if [[ $WARMUP != 0s && $WARMUP != 0 ]]; then
	log "warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP"
	wrk_start "$TMP/wrk-warmup.txt" "$CONNECTIONS" "$WARMUP" "$URL"
	wrk_wait
fi
log "load: wrk -t1 -c$CONNECTIONS -d$DURATION $URL"
pid=$(docker inspect -f '{{.State.Pid}}' "$CONTAINER")
ticks_before=$(proc_ticks "$pid")
wrk_start "$TMP/wrk.txt" "$CONNECTIONS" "$DURATION" "$URL" --latency
wrk_wait
# Read right after the load, before anything is given back.
load_cpu_ms=$((($(proc_ticks "$pid") - ticks_before) * 1000 / CLK_TCK))
stats=$(docker stats --no-stream --format '{{.MemUsage}}' "$CONTAINER")
proc_status=$(cat "/proc/$pid/status")
kib() { awk -v key="$1:" '$1 == key { print $2 }' <<<"$proc_status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
sed 's/^/  /' "$TMP/wrk.txt"
wrk_figures "$TMP/wrk.txt"
# Requests per second of the JVM's CPU time: what the load cost Junction, less skewed by
# other work on the machine than req/s.
per_cpu=$(awk -v r="$REQUESTS" -v ms="$load_cpu_ms" 'BEGIN { printf "%d", ms ? r * 1000 / ms : 0 }')
log "load: $REQUESTS requests, $RPS req/s, non-2xx $NON_2XX, socket errors ${SOCKET_ERRORS:-none}"
log "load: Junction used $load_cpu_ms ms of CPU: $per_cpu requests per CPU second"
log "memory after the load: docker stats $stats; java (PID $pid on the host) VmRSS $(mib "$(kib VmRSS)") MiB" \
	"(anon $(mib "$(kib RssAnon)"), file $(mib "$(kib RssFile)")), peak VmHWM $(mib "$(kib VmHWM)") MiB, $(kib Threads) threads"

echo
echo "summary ($IMAGE${JVM_OPTIONS:+, JDK_JAVA_OPTIONS=$JVM_OPTIONS}${DOCKER_OPTIONS:+, docker run $DOCKER_OPTIONS}):"
echo "  start-up ms:  ${times[*]}  median $(median_ms "${times[@]}")"
echo "  JVM CPU ms until ready:  ${cpu_times[*]}  median $(median_ms "${cpu_times[@]}")"
echo "  after ${DURATION} at c${CONNECTIONS}: VmRSS $(mib "$(kib VmRSS)") MiB, docker stats ${stats%% /*}, $RPS req/s," \
	"$per_cpu req per CPU s"
echo "  load average during the run: $(load_figures)"
