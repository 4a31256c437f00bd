#!/usr/bin/env bash
# What clients see when an app server dies or hangs under load.
#
# Starts three nginx app servers (one process each, so exactly one can be killed or
# stopped) and Junction in front of them as pool services-foo-v1, warms Junction up,
# then runs the same wrk load three times:
#   baseline  no failure
#   kill      app02's nginx gets kill -9 after 5 s (then it is restarted)
#   hang      app02's nginx gets SIGSTOP after 5 s: the kernel still accepts
#             connections, nothing answers (then SIGCONT)
# and prints wrk's figures, the status codes and error bodies clients got, app02's
# retry/ejection counters, a summary table and Junction's server state changes.
#
# Usage: bench/failover.sh        (about 2 minutes once nginx, wrk and the jar exist)
# Environment: JUNCTION_PORT (18080), MANAGEMENT_PORT (18081), APP_PORT_BASE (19100:
# app servers on +1..+3), WARMUP (15s), DURATION (20s), CONNECTIONS (16), FAIL_AFTER (5),
# WRK_TIMEOUT (10s), KEEP_DIR (copy Junction's log, configs and wrk reports there).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_CLOCK=%H:%M:%S.%3N  # milliseconds: the failures' effects are that short

JUNCTION_PORT=${JUNCTION_PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
APP_PORT_BASE=${APP_PORT_BASE:-19100}
WARMUP=${WARMUP:-15s}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
FAIL_AFTER=${FAIL_AFTER:-5}
# wrk's default 2 s timeout would leave slow requests out of the latency histogram
# (and count them as socket timeouts); a client behind an ELB waits much longer.
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
URL="http://127.0.0.1:${JUNCTION_PORT}/services/foo/v1/hello"
HEALTH_URL="http://127.0.0.1:${MANAGEMENT_PORT}/actuator/health"
JAVA=java  # the java on PATH: this bench takes no JAVA setting

need_tools nginx wrk curl
need_java
find_jar
ports_free "$JUNCTION_PORT" "$MANAGEMENT_PORT" $((APP_PORT_BASE + 1)) $((APP_PORT_BASE + 2)) $((APP_PORT_BASE + 3))
bench_tmp failover "logs and configs"

# --- app servers ---------------------------------------------------------------------
# start_app NAME: nginx appNN answering its name, and /health for Junction's checks.
start_app() {
	start_nginx "$1" "$(app_port "$1")" "location / { return 200 \"$1\\n\"; }
        location = /health { return 200 \"ok\\n\"; }"
}

# Ends a process we started and reaps it, so bash does not report the kill.
reap() { wait "$1" 2>/dev/null || true; }

for name in app01 app02 app03; do
	start_app "$name"
done
log "$(load_average) (other work on this machine skews every figure)"
log "nginx app01-app03 on 127.0.0.1:$(app_port app01)-$(app_port app03), PIDs ${SERVER_PIDS[app01]} ${SERVER_PIDS[app02]} ${SERVER_PIDS[app03]}"

# --- Junction ------------------------------------------------------------------------
{
	cat <<'EOF'
junction:
  backends:
    services-foo-v1:
      # HTTP checks, so that a hung server is noticed; every request setting is the
      # default (response-timeout 30s, no try-timeout, on-down: cancel).
      health-check: {path: /health, interval: 1s, timeout: 500ms, rise: 2, fall: 3}
      servers:
EOF
	yaml_app_servers
	yaml_routes
	yaml_prefix_route services-foo-v1 /services/foo/v1/
	yaml_default_route services-foo-v1
	cat <<'EOF'
logging:
  level:
    # One line (with its cause) per error answer, to see what clients got.
    io.junction.routing.RoutingErrorWebExceptionHandler: debug
EOF
} >"$TMP/junction.yml"
JLOG="$TMP/junction.log"
started=$SECONDS
start_junction "$JLOG" "$JUNCTION_PORT" "$MANAGEMENT_PORT" "$TMP/junction.yml"
wait_ready Junction "$JUNCTION_PID" "$MANAGEMENT_PORT" "$JLOG" 60
log "Junction $JAR ready in $((SECONDS - started)) s (PID $JUNCTION_PID), :$JUNCTION_PORT, management :$MANAGEMENT_PORT"

# Every server UP in the pool (active checks passed) before any load.
# /actuator/health answers 503 when some component is down: read the body whatever the status.
health_json() { curl -s --max-time 2 "$HEALTH_URL" | tr -d ' \n' || true; }
server_state() {
	local json
	json=$(health_json)
	[[ $json =~ \"$1\":\{\"state\":\"([A-Z]+)\" ]] && echo "${BASH_REMATCH[1]}" || echo "?"
}
server_up() { [[ $(server_state "$1") == UP ]]; }
wait_up() {
	local name=$1 limit=$2 from=$SECONDS
	until server_up "$name"; do
		((SECONDS - from < limit)) || {
			log "WARNING: $name not UP after $limit s: $(health_json)" >&2
			return 1
		}
		sleep 0.2
	done
	log "$name is UP in /actuator/health after $((SECONDS - from)) s"
}
for name in app01 app02 app03; do wait_up "$name" 15 >/dev/null || die "$name never came UP"; done

# --- load ----------------------------------------------------------------------------
# Tallies status codes and keeps the first body of each non-2xx status.
cat >"$TMP/statuses.lua" <<'EOF'
-- What clients got: status codes, the first body of each non-2xx status, responses per
-- second, and the longest stretch with no response at all (wrk has no per-request view).
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } junction_timeval;
int gettimeofday(junction_timeval *tv, void *tz);
]]
local tv = ffi.new("junction_timeval")
local function now()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
end
-- Globals, so that done() can read them from the thread with thread:get().
counts = {}   -- responses by status
bodies = {}   -- first body of each status >= 300
seconds = {}  -- responses by wall-clock second
bad = {}      -- status >= 300 by wall-clock second
gap = 0       -- longest time between two responses (s)
gap_from = 0  -- when it began
local last = nil
function response(status, headers, body)
  local t = now()
  if last ~= nil and t - last > gap then
    gap, gap_from = t - last, last
  end
  last = t
  counts[status] = (counts[status] or 0) + 1
  local second = math.floor(t)
  seconds[second] = (seconds[second] or 0) + 1
  if status >= 300 then
    bad[second] = (bad[second] or 0) + 1
    if bodies[status] == nil then bodies[status] = body end
  end
end
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
local function add(into, from)
  for k, v in pairs(from or {}) do into[k] = (into[k] or 0) + v end
end
function done(summary, latency, requests)
  local total, first, per_second, bad_per_second = {}, {}, {}, {}
  local longest, longest_from = 0, 0
  for _, thread in ipairs(threads) do
    add(total, thread:get("counts"))
    add(per_second, thread:get("seconds"))
    add(bad_per_second, thread:get("bad"))
    for status, body in pairs(thread:get("bodies") or {}) do first[status] = first[status] or body end
    if thread:get("gap") > longest then longest, longest_from = thread:get("gap"), thread:get("gap_from") end
  end
  local statuses = {}
  for status in pairs(total) do table.insert(statuses, status) end
  table.sort(statuses)
  for _, status in ipairs(statuses) do
    io.write(string.format("status %d: %d responses\n", status, total[status]))
    if first[status] then io.write(string.format("  first body: %q\n", first[status])) end
  end
  local times = {}
  for t in pairs(per_second) do table.insert(times, t) end
  table.sort(times)
  if #times > 0 then
    io.write(string.format("responses per second from %s UTC:", os.date("!%H:%M:%S", times[1])))
    for t = times[1], times[#times] do
      io.write(" " .. (per_second[t] or 0))
      if bad_per_second[t] then io.write("(" .. bad_per_second[t] .. " non-2xx)") end
    end
    io.write("\n")
  end
  io.write(string.format("longest time without any response: %d ms, from %s.%03d UTC\n", longest * 1000,
    os.date("!%H:%M:%S", math.floor(longest_from)), (longest_from % 1) * 1000))
end
EOF

# Sum of app02's junction_server_* counters, as "name value" lines.
meters() {
	curl -fs "http://127.0.0.1:${MANAGEMENT_PORT}/actuator/prometheus" |
		awk '/^junction_server_(retries|redispatches|ejections|check_failures)_total\{/ && /server="app02"/ {
			name = $1; sub(/\{.*/, "", name); sub(/^junction_server_/, "", name); sub(/_total$/, "", name); print name, $2 }' |
		sort || true
}

declare -A R_REQ R_ERR R_NON2XX R_SOCK R_RPS R_P50 R_P99 R_MAX R_STALL

# parse_wrk SCENARIO OUTPUT_FILE: the scenario's figures out of wrk's report; prints them.
parse_wrk() {
	local scenario=$1 out=$2
	local non2xx sock max
	wrk_figures "$out"
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF; exit }' "$out")
	local connect=0 read=0 write=0 timeout=0
	# "Socket errors: connect A, read B, write C, timeout D", only when one is not 0.
	read -r connect read write timeout < <(awk '/Socket errors:/ { gsub(/,/, ""); print $4, $6, $8, $10; found = 1; exit }
		END { if (!found) print 0, 0, 0, 0 }' "$out")
	sock=$((connect + read + write + timeout))
	max=$(awk '$1 == "Latency" && NF >= 4 { print $4; exit }' "$out")
	R_STALL[$scenario]=$(awk '/longest time without any response:/ { print $6 "ms"; exit }' "$out")
	R_REQ[$scenario]=$REQUESTS
	R_NON2XX[$scenario]=${non2xx:-0}
	R_SOCK[$scenario]=${sock:-0}
	R_ERR[$scenario]=$((${non2xx:-0} + ${sock:-0}))
	R_RPS[$scenario]=$RPS
	R_P50[$scenario]=$P50
	R_P99[$scenario]=$P99
	R_MAX[$scenario]=${max:--}
	echo "  => requests ${R_REQ[$scenario]}, req/s ${R_RPS[$scenario]}, non-2xx/3xx ${R_NON2XX[$scenario]}," \
		"socket errors connect $connect read $read write $write timeout $timeout, p50 ${R_P50[$scenario]}, p99 ${R_P99[$scenario]}"
}

# run SCENARIO [ACTION]: wrk for DURATION; ACTION runs FAIL_AFTER seconds in.
run() {
	local scenario=$1 action=${2:-}
	local out="$TMP/wrk-$scenario.txt" before_meters log_from
	FAILED_AT_MS=""
	before_meters=$(meters)
	log_from=$(($(wc -l <"$JLOG") + 1))
	log "scenario $scenario: wrk -t1 -c$CONNECTIONS -d$DURATION --latency --timeout $WRK_TIMEOUT${action:+ ($action after $FAIL_AFTER s)}"
	wrk_start "$out" "$CONNECTIONS" "$DURATION" "$URL" --latency --timeout "$WRK_TIMEOUT" -s "$TMP/statuses.lua"
	if [[ -n $action ]]; then
		sleep "$FAIL_AFTER"
		"$action"
	fi
	wrk_wait
	echo "---------------- $scenario ----------------"
	sed 's/^/  /' "$out"
	parse_wrk "$scenario" "$out"
	echo "  app02 counters during the run (Junction):" \
		"$(join -a2 -e0 -o '0,1.2,2.2' <(echo "$before_meters") <(meters) | awk '{ printf "%s +%d  ", $1, $3 - $2 }')"
	local errors
	errors=$(tail -n +"$log_from" "$JLOG" | grep 'RoutingErrorWebExceptionHandler' | sed 's/.*RoutingErrorWebExceptionHandler *: //' | sort | uniq -c || true)
	if [[ -n $errors ]]; then
		echo "  error answers Junction logged (count, route: status detail):"
		echo "$errors" | sed 's/^/    /'
		echo "  their causes (exception, count):"
		tail -n +"$log_from" "$JLOG" | awk '/RoutingErrorWebExceptionHandler/ { want = 1; next }
			want && NF { sub(/^[[:space:]]+/, ""); print; want = 0 }' | sort | uniq -c | sed 's/^/    /' || true
	fi
	local changes line at
	changes=$(tail -n +"$log_from" "$JLOG" | grep -E 'is DOWN|is UP|ejected' || true)
	if [[ -n $changes ]]; then
		echo "  state changes${FAILED_AT_MS:+ (ms after the failure)}:"
		while IFS= read -r line; do
			if [[ -n $FAILED_AT_MS ]] && at=$(date -u -d "${line%% *}" +%s%3N 2>/dev/null); then
				printf '    %+6d ms  %s\n' "$((at - FAILED_AT_MS))" "$(state_change "$line")"
			else
				echo "    $(state_change "$line")"
			fi
		done <<<"$changes"
	fi
	echo
}

# The message of a state-change log line, with its time.
state_change() { echo "${1%% *} ${1#*io.junction.health*: }"; }

kill_app02() {
	log "kill -9 app02 (nginx PID ${SERVER_PIDS[app02]})"
	FAILED_AT_MS=$(date +%s%3N)
	kill -9 "${SERVER_PIDS[app02]}"
	reap "${SERVER_PIDS[app02]}"
	unset 'SERVER_PIDS[app02]'
}

stop_app02() {
	log "kill -STOP app02 (nginx PID ${SERVER_PIDS[app02]})"
	FAILED_AT_MS=$(date +%s%3N)
	kill -STOP "${SERVER_PIDS[app02]}"
}

# warmup_run DURATION: one unmeasured run; its req/s in RPS, error lines in ERRORS.
WARMUPS=0
warmup_run() {
	WARMUPS=$((WARMUPS + 1))
	local out="$TMP/wrk-warmup-$WARMUPS.txt"
	wrk_start "$out" "$CONNECTIONS" "$1" "$URL"
	wrk_wait
	wrk_figures "$out"
}
# The JIT keeps speeding Junction up: after the first run, go on with 10 s runs until two
# in a row agree within 5% (at most WARMUP_EXTRA_RUNS of them).
log "warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP"
warmup_run "$WARMUP"
previous=$RPS
log "warm-up: $previous req/s${ERRORS:+ ($ERRORS)}"
for _ in $(seq 1 "${WARMUP_EXTRA_RUNS:-3}"); do
	# Keeps the whole script under 3 minutes.
	((SECONDS - START_TIME <= ${WARMUP_UNTIL:-70})) || { log "warm-up: stopping (time budget)"; break; }
	warmup_run 10s
	log "warm-up: $RPS req/s (10 s)${ERRORS:+ ($ERRORS)}"
	agree "$previous" "$RPS" && break
	previous=$RPS
done

run baseline

run kill kill_app02
log "restarting app02 on port $(app_port app02)"
start_app app02
wait_up app02 10 || true

run hang stop_app02
log "kill -CONT app02"
kill -CONT "${SERVER_PIDS[app02]}"
wait_up app02 10 || true

# --- summary -------------------------------------------------------------------------
echo
echo "Summary: wrk -t1 -c$CONNECTIONS -d$DURATION --timeout $WRK_TIMEOUT on $URL, pool of 3 nginx, app02 fails $FAIL_AFTER s in"
echo "(errors = non-2xx responses + socket errors connect/read/write/timeout. wrk 4 corrects its latency"
echo " percentiles for coordinated omission: every slow request adds synthetic samples, one per expected"
echo " request interval it blocked, so p99 reflects how long requests were stuck, not how many were; max is real)"
echo "(stall = longest time in which no client got any response)"
printf '%-9s | %9s | %6s | %7s | %6s | %9s | %8s | %8s | %8s | %8s\n' scenario requests errors non-2xx socket req/s p50 p99 max stall
printf '%s\n' "----------|-----------|--------|---------|--------|-----------|----------|----------|----------|---------"
for scenario in baseline kill hang; do
	printf '%-9s | %9s | %6s | %7s | %6s | %9s | %8s | %8s | %8s | %8s\n' "$scenario" "${R_REQ[$scenario]}" \
		"${R_ERR[$scenario]}" "${R_NON2XX[$scenario]}" "${R_SOCK[$scenario]}" "${R_RPS[$scenario]}" \
		"${R_P50[$scenario]}" "${R_P99[$scenario]}" "${R_MAX[$scenario]}" "${R_STALL[$scenario]:--}"
done
echo
echo "Junction's server state changes (is DOWN / is UP / ejected):"
grep -E 'is DOWN|is UP|ejected' "$JLOG" | sed 's/^/  /' || echo "  (none)"
innocent=$(grep -E 'is DOWN|ejected' "$JLOG" | grep -v ' server app02 ' || true)
if [[ -n $innocent ]]; then
	echo
	echo "NOTE: servers that never failed were ejected or marked DOWN:"
	echo "$innocent" | sed 's/^/  /'
fi
others=$(grep -E '^[^ ]+ +(ERROR|WARN) ' "$JLOG" | grep -vE 'is DOWN|is ejected' || true)
if [[ -n $others ]]; then
	echo
	echo "Other warnings and errors in Junction's log (count, level logger: message):"
	echo "$others" | sed -E 's/^[^ ]+ +(ERROR|WARN) .*\] ([^ ]+) +: /\1 \2: /' | sort | uniq -c | sort -rn | head -20 | sed 's/^/  /'
fi
echo
log "load average $(cut -d' ' -f1-3 /proc/loadavg); done in $((SECONDS - START_TIME)) s"
