#!/usr/bin/env bash
# How fast the container image starts, how fast it serves right after, and how much
# memory it holds under load; beside a vanilla Spring Cloud Gateway image, in one run.
#
# Builds the jar if missing and the image from the Dockerfile; with VANILLA=1 also the
# vanilla gateway of bench/vanilla-gateway (Spring Cloud Gateway with default settings,
# plain `java -jar`, no AOT cache) and its image on the same base. Starts three nginx app
# servers (one process each) and mounts a routes file like the seed's into each container.
# Then, in four phases:
#   1. start-ups: RUNS times each, alternating Junction, vanilla, Junction, vanilla ...
#      (so a machine that speeds up or slows down favours neither), `docker run` and the
#      wall time to the first 200 from /actuator/health/readiness (curl every 10 ms), and
#      the CPU time the JVM used until then;
#   2. memory: the last container of each, one at a time, takes `wrk -t1 -cCONNECTIONS`
#      for DURATION; its resident memory is read after the load, from `docker stats` and
#      from the java process's /proc/<pid>/status;
#   3. first seconds: a fresh container of each, one at a time: `wrk -t1 -c32 -d10s` on
#      the seed route as soon as readiness is 200, then WARM more at c32, then
#      `wrk -t1 -c32 -d10s` again as the steady state; req/s and p99 of both, and the
#      ratio first/steady (how much of its speed the gateway has from the start);
#   4. a summary: each goal of issue 17 with the measured figure, vanilla's figure and
#      the ratio Junction/vanilla where the goal has one.
#
# Usage: bench/image-startup.sh        (5-7 minutes once nginx, wrk and the jar exist)
# Environment:
#   IMAGE (junction-startup:bench)   tag to build and run
#   BUILD (1)                        0: run IMAGE (and VANILLA_IMAGE, if it exists) as
#                                    they are, without building them
#   BASE_IMAGE (junction-base:25)    the BASE_IMAGE of both Dockerfiles
#   VANILLA (1)                      0: Junction alone, no vanilla gateway and no ratios
#   VANILLA_IMAGE (vanilla-gateway:bench)  tag of the vanilla gateway's image
#   RUNS (5)                         start-ups to time, of each image
#   JVM_OPTIONS ()                   extra JVM options for Junction's containers (passed
#                                    as JDK_JAVA_OPTIONS: they win over the image's
#                                    defaults); never for vanilla, which stays untuned
#   DOCKER_OPTIONS ()                extra `docker run` options for both, e.g. "--memory 256m"
#   WARMUP (0s)                      load before the measured DURATION (0s: none)
#   DURATION (20s), CONNECTIONS (64) the memory phase's wrk load (DURATION=0: start-ups
#                                    only, no load at all)
#   WARM (30s)                       load at c32 between the first 10 s and the steady 10 s
#   TIME_LIMIT (480)                 seconds for the whole run: a start-up that would
#                                    leave too little for the phases after it fails the bench.
#                                    The defaults take about 5 minutes on a quiet machine;
#                                    the vanilla gateway's start-ups (10-35 s each, with
#                                    other work on the machine) make most of the rest
#   JUNCTION_PORT (18380), MANAGEMENT_PORT (18381), VANILLA_PORT (18390),
#   VANILLA_MANAGEMENT_PORT (18391), APP_PORT_BASE (19300: app servers on +1..+3),
#   KEEP_DIR (copy container logs, configs and wrk reports there)
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGE=${IMAGE:-junction-startup:bench}
BUILD=${BUILD:-1}
BASE_IMAGE=${BASE_IMAGE:-junction-base:25}
VANILLA=${VANILLA:-1}
VANILLA_IMAGE=${VANILLA_IMAGE:-vanilla-gateway:bench}
RUNS=${RUNS:-5}
JVM_OPTIONS=${JVM_OPTIONS:-}
DOCKER_OPTIONS=${DOCKER_OPTIONS:-}
WARMUP=${WARMUP:-0s}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
WARM=${WARM:-30s}
JUNCTION_PORT=${JUNCTION_PORT:-18380}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18381}
VANILLA_PORT=${VANILLA_PORT:-18390}
VANILLA_MANAGEMENT_PORT=${VANILLA_MANAGEMENT_PORT:-18391}
APP_PORT_BASE=${APP_PORT_BASE:-19300}
TIME_LIMIT=${TIME_LIMIT:-480}
# The first-seconds phase: the table's goal is for wrk -t1 -c32 and 10 s runs.
EARLY_CONNECTIONS=32
EARLY_DURATION=10s

now_ms() { echo $(($(date +%s%N) / 1000000)); }
LIMIT_MS=$(($(now_ms) + TIME_LIMIT * 1000))
LOADED=1
[[ $DURATION == 0 || $DURATION == 0s ]] && LOADED=0

# The gateways, in the order of their turns, and what tells them apart. Both get the same
# app servers, the same paths and the same kind of mounted routes file.
GATEWAYS=(junction)
((VANILLA)) && GATEWAYS+=(vanilla)
declare -A G_LABEL=([junction]=Junction [vanilla]=vanilla)
declare -A G_IMAGE=([junction]=$IMAGE [vanilla]=$VANILLA_IMAGE)
declare -A G_PORT=([junction]=$JUNCTION_PORT [vanilla]=$VANILLA_PORT)
declare -A G_MANAGEMENT=([junction]=$MANAGEMENT_PORT [vanilla]=$VANILLA_MANAGEMENT_PORT)
# url GATEWAY: the seed route; ready_url GATEWAY: its readiness probe.
url() { echo "http://127.0.0.1:${G_PORT[$1]}/services/foo/v1/hello"; }
ready_url() { echo "http://127.0.0.1:${G_MANAGEMENT[$1]}/actuator/health/readiness"; }

# Seconds that the phases after the start-ups need for each gateway: the load and reading
# its memory (MEMORY_S); a fresh start-up (guessed: 15 s), the first 10 s, WARM and the
# steady 10 s (FIRST_SECONDS_S).
MEMORY_S=0 FIRST_SECONDS_S=0
if ((LOADED)); then
	MEMORY_S=$(($(seconds_of "$WARMUP") + $(seconds_of "$DURATION") + 5))
	FIRST_SECONDS_S=$((15 + 2 * $(seconds_of "$EARLY_DURATION") + $(seconds_of "$WARM") + 5))
fi
# END_MS: the start-ups must be ready by then, to leave time for what follows within
# TIME_LIMIT; set again before each start-up of the first-seconds phase.
END_MS=$((LIMIT_MS - (${#GATEWAYS[@]} * (MEMORY_S + FIRST_SECONDS_S) + 10) * 1000))

need_tools nginx wrk curl
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (docker info)"
ports=("$(app_port app01)" "$(app_port app02)" "$(app_port app03)")
for gw in "${GATEWAYS[@]}"; do ports+=("${G_PORT[$gw]}" "${G_MANAGEMENT[$gw]}"); done
ports_free "${ports[@]}"

# --- clean-up: the containers first, then what bench_tmp's clean-up ends ---------------
declare -A CONTAINER=()
# remove_container GATEWAY: removes the gateway's current container, if any; with
# KEEP_DIR, saves its log in TMP first.
remove_container() {
	local gw=$1 id=${CONTAINER[$1]:-}
	[[ -n $id ]] || return 0
	if [[ -n ${KEEP_DIR:-} ]]; then
		docker logs "$id" >"$TMP/container-$gw-${id:0:12}.log" 2>&1 || true
	fi
	# SIGKILL: the drain is not what is measured here.
	docker rm -f "$id" >/dev/null 2>&1 || true
	CONTAINER[$gw]=""
}
remove_containers() {
	local gw
	for gw in "${GATEWAYS[@]}"; do remove_container "$gw"; done
}
ON_CLEANUP+=(remove_containers)
bench_tmp image-startup "logs and configs"

echo "machine: $(nproc) cores, uptime:$(uptime | sed 's/^[^,]*up/ up/')"
echo "  Other work on this machine (CI, other sessions) shares these cores and skews every"
echo "  figure below: compare figures only within one run, or runs at a similar load."

# --- the jars and the images ---------------------------------------------------------
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
# The vanilla gateway is built every time unless BUILD=0, and then still when its image
# is missing, so that a fresh machine needs no step of its own for it.
if ((VANILLA)) && { [[ $BUILD != 0 ]] || ! docker image inspect "$VANILLA_IMAGE" >/dev/null 2>&1; }; then
	docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "no base image $BASE_IMAGE (docker/build-base-image.sh)"
	log "building the vanilla gateway: bench/vanilla-gateway/target/vanilla-gateway.jar and $VANILLA_IMAGE on $BASE_IMAGE"
	built=$(now_ms)
	# Offline: its only dependencies, the gateway and actuator starters of the same Boot and
	# Spring Cloud versions, are Junction's too, so Junction's build has fetched them.
	./mvnw -B -q -o -f bench/vanilla-gateway/pom.xml package -DskipTests >"$TMP/vanilla-build.log" 2>&1 ||
		{ tail -n 30 "$TMP/vanilla-build.log" >&2; die "the vanilla gateway's Maven build failed"; }
	DOCKER_BUILDKIT=0 docker build --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$VANILLA_IMAGE" bench/vanilla-gateway \
		>"$TMP/vanilla-docker-build.log" 2>&1 ||
		{ tail -n 30 "$TMP/vanilla-docker-build.log" >&2; die "docker build of $VANILLA_IMAGE failed"; }
	log "built the vanilla jar and $VANILLA_IMAGE in $(($(now_ms) - built)) ms"
fi
for gw in "${GATEWAYS[@]}"; do
	image=${G_IMAGE[$gw]}
	docker image inspect "$image" >/dev/null 2>&1 || die "no image $image"
	log "${G_LABEL[$gw]} image $image: $(docker image inspect -f '{{.Id}}' "$image" | cut -c8-19)," \
		"$(($(docker image inspect -f '{{.Size}}' "$image") / 1000000)) MB"
done
[[ -n $JVM_OPTIONS ]] && log "extra JVM options for Junction (JDK_JAVA_OPTIONS): $JVM_OPTIONS"
[[ -n $DOCKER_OPTIONS ]] && log "extra docker run options: $DOCKER_OPTIONS"

# --- app servers: nginx, one process each --------------------------------------------
# Each answers every path with its name alone.
for name in app01 app02 app03; do
	start_nginx "$name" "$(app_port "$name")" "location / { return 200 \"$name\\n\"; }"
done
log "nginx app01-app03 on 127.0.0.1:$(app_port app01)-$(app_port app03)"

# --- routes, as the seed has them ----------------------------------------------------
# The containers read the files as uid 10001.
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
# The same routes for the vanilla gateway, in Spring Cloud Gateway's own terms: it has no
# pools, so the seed route goes to app01 directly (one nginx serves far more than one
# gateway on these cores can send). Readiness probes are off by default outside
# Kubernetes: enabled so that the same readiness URL answers.
cat >"$TMP/config/vanilla.yml" <<EOF
management:
  endpoint:
    health:
      probes:
        enabled: true
spring:
  cloud:
    gateway:
      server:
        webflux:
          routes:
            - id: services-foo-v1
              uri: http://127.0.0.1:$(app_port app01)
              predicates:
                - Path=/services/foo/v1/**
              filters:
                - RewritePath=/services/foo/v1/(?<rest>.*), /\$\\{rest}
            - id: website
              uri: http://127.0.0.1:$(app_port app01)
              predicates:
                - Path=/**
EOF
chmod 755 "$TMP" "$TMP/config"
chmod 644 "$TMP/config/"*.yml

# --- start-ups -----------------------------------------------------------------------
# start_container GATEWAY: docker run -d of the gateway's image; sets CONTAINER[GATEWAY],
# READY_MS (docker run to readiness 200), CPU_MS (the JVM's CPU time until then) and
# RUN_RETURNED_MS. Dies if it is not ready within 60 s or by END_MS.
start_container() {
	local gw=$1 started status deadline deadline_reason checked t pid ready_url container
	local -a env=()
	[[ $gw == junction && -n $JVM_OPTIONS ]] && env=(-e "JDK_JAVA_OPTIONS=$JVM_OPTIONS")
	ready_url=$(ready_url "$gw")
	started=$(now_ms)
	# shellcheck disable=SC2086 # DOCKER_OPTIONS is a list of options
	container=$(docker run -d --network host --stop-timeout 40 "${env[@]}" \
		$DOCKER_OPTIONS -v "$TMP/config/$gw.yml:/config/$gw.yml:ro" "${G_IMAGE[$gw]}" \
		--spring.config.additional-location="file:/config/$gw.yml" \
		--server.port="${G_PORT[$gw]}" --management.server.port="${G_MANAGEMENT[$gw]}")
	CONTAINER[$gw]=$container
	RUN_RETURNED_MS=$(($(now_ms) - started))
	deadline=$((started + 60000))
	((deadline < END_MS)) && deadline_reason="60 s after docker run" || {
		deadline=$END_MS
		deadline_reason="$((END_MS / 1000 - started / 1000)) s after docker run, when there is just enough of the bench's TIME_LIMIT ($TIME_LIMIT s) left for what follows"
	}
	checked=$started
	while :; do
		status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$ready_url" || true)
		[[ $status == 200 ]] && break
		t=$(now_ms)
		if ((t - checked > 1000)); then
			checked=$t
			[[ $(docker inspect -f '{{.State.Running}}' "$container") == true ]] ||
				{ docker logs "$container" 2>&1 | tail -n 40 >&2; die "the ${G_LABEL[$gw]} container exited before it was ready"; }
		fi
		((t < deadline)) || { docker logs "$container" 2>&1 | tail -n 40 >&2; die "${G_LABEL[$gw]} not ready $deadline_reason"; }
		sleep 0.01
	done
	READY_MS=$(($(now_ms) - started))
	# CPU time the JVM used until then (all threads, user + system): less skewed by other
	# work on the machine than the wall time. The JVM is the container's PID 1.
	pid=$(docker inspect -f '{{.State.Pid}}' "$container")
	CPU_MS=$(($(proc_ticks "$pid") * 1000 / CLK_TCK))
}

# Spring Boot's own view of the current container of GATEWAY:
# "Started JunctionApplication in 1.234 seconds (process running for 1.5)".
spring_started() {
	docker logs "${CONTAINER[$1]}" 2>&1 | sed -n 's/.*Started [A-Za-z]* in \([0-9.]*\) seconds (process running for \([0-9.]*\)).*/started in \1 s, JVM up \2 s/p' | head -n 1
}

# median_ms MS...: the median in whole milliseconds (lib.sh's median keeps decimals).
median_ms() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Junction, vanilla, Junction, vanilla ...: both see the machine's load of the moment.
# Each container is removed once measured, so that the next start-up has the cores to
# itself; only the last of each stays for the memory phase (on ports apart, both can
# run): vanilla's last start-up shares the machine with an idle Junction.
declare -A TIMES=() CPU_TIMES=() MEDIAN_READY=() MEDIAN_CPU=()
for run in $(seq 1 "$RUNS"); do
	for gw in "${GATEWAYS[@]}"; do
		start_container "$gw"
		TIMES[$gw]+="${TIMES[$gw]:+ }$READY_MS"
		CPU_TIMES[$gw]+="${CPU_TIMES[$gw]:+ }$CPU_MS"
		log "run $run ${G_LABEL[$gw]}: docker run to readiness 200 in $READY_MS ms, JVM CPU $CPU_MS ms" \
			"(docker run returned after $RUN_RETURNED_MS ms; $(spring_started "$gw"))"
		if ((run < RUNS)); then
			remove_container "$gw"
			sleep 1
		fi
	done
done
for gw in "${GATEWAYS[@]}"; do
	# shellcheck disable=SC2086 # the lists are space-separated numbers
	MEDIAN_READY[$gw]=$(median_ms ${TIMES[$gw]})
	# shellcheck disable=SC2086
	MEDIAN_CPU[$gw]=$(median_ms ${CPU_TIMES[$gw]})
	log "${G_LABEL[$gw]} start-up, docker run to readiness 200: ${TIMES[$gw]} ms; median ${MEDIAN_READY[$gw]} ms"
	log "${G_LABEL[$gw]} JVM CPU time until ready: ${CPU_TIMES[$gw]} ms; median ${MEDIAN_CPU[$gw]} ms"
done
if ((VANILLA)); then
	log "Junction/vanilla: start-up $(ratio "${MEDIAN_READY[junction]}" "${MEDIAN_READY[vanilla]}")," \
		"JVM CPU until ready $(ratio "${MEDIAN_CPU[junction]}" "${MEDIAN_CPU[vanilla]}") (ratios of the medians)"
fi

# trim TEXT: without the spaces around it (wrk_figures' ERRORS has them).
trim() { sed 's/^ *//; s/ *$//' <<<"$1"; }
kib() { awk -v key="$1:" '$1 == key { print $2 }' <<<"$PROC_STATUS"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# --- memory under load ---------------------------------------------------------------
# One gateway at a time, the other idle: two loads at once would share the two cores.
declare -A MEM_RSS=() MEM_STATS=() LOAD_RPS=() LOAD_PER_CPU=()
if ((LOADED)); then
	for gw in "${GATEWAYS[@]}"; do
		url=$(url "$gw")
		label=${G_LABEL[$gw]}
		curl -fs -o /dev/null "$url" || die "$label: GET $url does not answer 200"
		if [[ $WARMUP != 0s && $WARMUP != 0 ]]; then
			log "$label warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP"
			wrk_start "$TMP/wrk-warmup-$gw.txt" "$CONNECTIONS" "$WARMUP" "$url"
			wrk_wait
		fi
		log "$label load: wrk -t1 -c$CONNECTIONS -d$DURATION $url"
		pid=$(docker inspect -f '{{.State.Pid}}' "${CONTAINER[$gw]}")
		ticks_before=$(proc_ticks "$pid")
		wrk_start "$TMP/wrk-$gw.txt" "$CONNECTIONS" "$DURATION" "$url" --latency
		wrk_wait
		# Read right after the load, before anything is given back.
		load_cpu_ms=$((($(proc_ticks "$pid") - ticks_before) * 1000 / CLK_TCK))
		stats=$(docker stats --no-stream --format '{{.MemUsage}}' "${CONTAINER[$gw]}")
		PROC_STATUS=$(cat "/proc/$pid/status")
		sed 's/^/  /' "$TMP/wrk-$gw.txt"
		wrk_figures "$TMP/wrk-$gw.txt"
		# Requests per second of the JVM's CPU time: what the load cost the gateway, less
		# skewed by other work on the machine than req/s.
		per_cpu=$(awk -v r="$REQUESTS" -v ms="$load_cpu_ms" 'BEGIN { printf "%d", ms ? r * 1000 / ms : 0 }')
		MEM_RSS[$gw]=$(mib "$(kib VmRSS)")
		MEM_STATS[$gw]=${stats%% /*}
		LOAD_RPS[$gw]=$RPS
		LOAD_PER_CPU[$gw]=$per_cpu
		log "$label load: $REQUESTS requests, $RPS req/s, non-2xx $NON_2XX, socket errors ${SOCKET_ERRORS:-none}"
		log "$label load: the JVM used $load_cpu_ms ms of CPU: $per_cpu requests per CPU second"
		log "$label memory after the load: docker stats $stats; java (PID $pid on the host) VmRSS ${MEM_RSS[$gw]} MiB" \
			"(anon $(mib "$(kib RssAnon)"), file $(mib "$(kib RssFile)")), peak VmHWM $(mib "$(kib VmHWM)") MiB, $(kib Threads) threads"
	done
	((VANILLA)) && log "memory: VmRSS Junction/vanilla $(ratio "${MEM_RSS[junction]}" "${MEM_RSS[vanilla]}")"
	# The first-seconds phase starts fresh containers on the same ports.
	remove_containers
fi

# --- the first seconds after ready, and the steady state -------------------------------
# A fresh container takes c32 the moment it is ready: what a gateway that has just
# replaced another one serves while its JIT has compiled little. The ratio to the steady
# state after WARM more of load says how far from its speed it starts.
declare -A FIRST_RPS=() FIRST_P99=() STEADY_RPS=() STEADY_P99=() EARLY_RATIO=() EARLY_ERRORS=()
if ((LOADED)); then
	early_s=$(seconds_of "$EARLY_DURATION")
	for i in "${!GATEWAYS[@]}"; do
		gw=${GATEWAYS[$i]}
		url=$(url "$gw")
		label=${G_LABEL[$gw]}
		# This start-up must leave time for this gateway's three loads and for the next
		# gateways' start-ups (as long as their medians above) and loads.
		after_ms=$(((early_s * 2 + $(seconds_of "$WARM") + 5) * 1000))
		for next in "${GATEWAYS[@]:i+1}"; do
			after_ms=$((after_ms + MEDIAN_READY[$next] + (early_s * 2 + $(seconds_of "$WARM") + 5) * 1000))
		done
		END_MS=$((LIMIT_MS - after_ms - 5000))
		start_container "$gw"
		# Not a single request before the measured ones: wrk starts at once.
		wrk_start "$TMP/wrk-first-$gw.txt" "$EARLY_CONNECTIONS" "$EARLY_DURATION" "$url" --latency
		wrk_wait
		log "$label fresh container ready in $READY_MS ms (JVM CPU $CPU_MS ms); wrk -t1 -c$EARLY_CONNECTIONS -d$EARLY_DURATION started at once"
		wrk_figures "$TMP/wrk-first-$gw.txt"
		ERRORS=$(trim "$ERRORS")
		((REQUESTS > 0)) || die "$label: wrk completed no request on $url: $(cat "$TMP/wrk-first-$gw.txt")"
		FIRST_RPS[$gw]=$RPS FIRST_P99[$gw]=$P99_MS
		EARLY_ERRORS[$gw]=${ERRORS:+first 10 s: $ERRORS}
		log "$label first $EARLY_DURATION after ready: $RPS req/s, p99 $P99_MS ms${ERRORS:+ ($ERRORS)}"
		log "$label warming: wrk -t1 -c$EARLY_CONNECTIONS -d$WARM"
		wrk_measure "$TMP/wrk-warm-$gw.txt" "$EARLY_CONNECTIONS" "$WARM" "$url"
		log "$label warming: $RPS req/s${ERRORS:+ ($ERRORS)}"
		wrk_measure "$TMP/wrk-steady-$gw.txt" "$EARLY_CONNECTIONS" "$EARLY_DURATION" "$url" --latency
		ERRORS=$(trim "$ERRORS")
		STEADY_RPS[$gw]=$RPS STEADY_P99[$gw]=$P99_MS
		[[ -n $ERRORS ]] && EARLY_ERRORS[$gw]+="${EARLY_ERRORS[$gw]:+; }steady: $ERRORS"
		EARLY_RATIO[$gw]=$(ratio "${FIRST_RPS[$gw]}" "${STEADY_RPS[$gw]}")
		log "$label steady state, $EARLY_DURATION after $WARM more: $RPS req/s, p99 $P99_MS ms${ERRORS:+ ($ERRORS)};" \
			"first/steady ${EARLY_RATIO[$gw]}"
		remove_container "$gw"
	done
fi

# --- summary -------------------------------------------------------------------------
# goal VALUE OP LIMIT...: "met" when VALUE OP LIMIT holds (OP <= or >=) for every
# LIMIT, "NOT met" when one fails, "?" when a value is missing ("-").
goal() {
	awk -v v="$1" -v op="$2" 'BEGIN {
		if (v == "-" || v == "") { print "?"; exit }
		for (i = 1; i < ARGC; i++) {
			if (ARGV[i] == "-" || ARGV[i] == "") { print "?"; exit }
			if ((op == "<=" && v + 0 > ARGV[i] + 0) || (op == ">=" && v + 0 < ARGV[i] + 0)) { print "NOT met"; exit }
		}
		print "met" }' "${@:3}"
}
# vs_vanilla JUNCTION VANILLA UNIT: "; vanilla VANILLA UNIT; ratio R" (empty without vanilla).
vs_vanilla() { ((VANILLA)) && echo "; vanilla $2$3; ratio $(ratio "$1" "$2")" || true; }

echo
echo "summary ($IMAGE${JVM_OPTIONS:+, JDK_JAVA_OPTIONS=$JVM_OPTIONS}${DOCKER_OPTIONS:+, docker run $DOCKER_OPTIONS}$( ((VANILLA)) && echo " and $VANILLA_IMAGE"))$( ((LOADED)) || echo ", no load (DURATION=0)"):"
echo "  load average during the run: $(load_figures)"
for gw in "${GATEWAYS[@]}"; do
	echo "  ${G_LABEL[$gw]}:"
	echo "    start-up ms:  ${TIMES[$gw]}  median ${MEDIAN_READY[$gw]}"
	echo "    JVM CPU ms until ready:  ${CPU_TIMES[$gw]}  median ${MEDIAN_CPU[$gw]}"
	if ((LOADED)); then
		echo "    after ${DURATION} at c${CONNECTIONS}: VmRSS ${MEM_RSS[$gw]} MiB, docker stats ${MEM_STATS[$gw]}," \
			"${LOAD_RPS[$gw]} req/s, ${LOAD_PER_CPU[$gw]} req per CPU s"
		echo "    c$EARLY_CONNECTIONS: first $EARLY_DURATION after ready ${FIRST_RPS[$gw]} req/s (p99 ${FIRST_P99[$gw]} ms)," \
			"steady ${STEADY_RPS[$gw]} req/s (p99 ${STEADY_P99[$gw]} ms), first/steady ${EARLY_RATIO[$gw]}${EARLY_ERRORS[$gw]:+; ERRORS ${EARLY_ERRORS[$gw]}}"
	fi
done

echo
echo "goals (issue 17), Junction's figure$( ((VANILLA)) && echo ", vanilla's and the ratio Junction/vanilla from this run"):"
if ((VANILLA)); then
	ratio_verdict="ratio $(goal "$(ratio "${MEDIAN_READY[junction]}" "${MEDIAN_READY[vanilla]}")" "<=" 0.12)"
else
	ratio_verdict="ratio not measured (VANILLA=0)"
fi
echo "  docker run to ready, median of $RUNS: ${MEDIAN_READY[junction]} ms$(vs_vanilla "${MEDIAN_READY[junction]}" "${MEDIAN_READY[vanilla]:-}" " ms")" \
	"(goal ≤ 1.0 s and ≤ 0.12): $(goal "${MEDIAN_READY[junction]}" "<=" 1000), $ratio_verdict"
echo "  JVM CPU until ready, median of $RUNS: ${MEDIAN_CPU[junction]} ms$(vs_vanilla "${MEDIAN_CPU[junction]}" "${MEDIAN_CPU[vanilla]:-}" " ms")" \
	"(goal ≤ 1.5 s): $(goal "${MEDIAN_CPU[junction]}" "<=" 1500)"
if ((LOADED)); then
	echo "  req/s first $EARLY_DURATION after ready / steady state (wrk -t1 -c$EARLY_CONNECTIONS, seed route):" \
		"${FIRST_RPS[junction]} / ${STEADY_RPS[junction]} = ${EARLY_RATIO[junction]}$( ((VANILLA)) &&
			echo "; vanilla ${FIRST_RPS[vanilla]} / ${STEADY_RPS[vanilla]} = ${EARLY_RATIO[vanilla]}")" \
		"(goal ≥ 0.8): $(goal "${EARLY_RATIO[junction]}" ">=" 0.8)"
	echo "  VmRSS after $DURATION at c$CONNECTIONS: ${MEM_RSS[junction]} MiB$(vs_vanilla "${MEM_RSS[junction]}" "${MEM_RSS[vanilla]:-}" " MiB")" \
		"(goal ≤ 160 MiB): $(goal "${MEM_RSS[junction]}" "<=" 160)"
else
	echo "  req/s first 10 s / steady state and VmRSS under load: not measured (DURATION=0)"
fi
