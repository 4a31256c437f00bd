#!/usr/bin/env bash
# Where Junction spends its time and what it allocates under load (issue 6).
#
# Starts three nginx app servers (one process each) and a website nginx, and Junction on
# the seed's routing (or, with ROUTES=N, on N generated prefix routes with the request
# matching the last). Warms it up with wrk -t1 -c32, then records a JFR profile
# (settings=profile: a Java stack sample every 10 ms per thread, allocation samples)
# while wrk -t1 -c32 runs, and summarises the recording with `jfr print` and awk:
#   - the top 25 hot frames (the method a sample was in), and the top 25 when JDK and
#     Netty frames are skipped (the first frame outside java.*, jdk.*, sun.*, io.netty.*)
#   - self time by library (the leaf frame's package)
#   - time by activity: each sample goes to the work it was done for, the first frame
#     from the leaf that is not the JDK or Reactor's operators (route matching, load
#     balancer, header copying, metrics, logging, connection pool, ...)
#   - the top 15 allocated classes (sampled allocation weight) and top allocation sites
#   - GC pauses and CPU use during the recording
#
# Usage: bench/profile.sh                 (about 2 minutes once the tools and jar exist)
#        ROUTES=2000 bench/profile.sh     (2,000 routes, request matching the last)
# Environment: PORT (28580; management +1), APP_PORT_BASE (29400: app01-03 on +1..+3,
#   website on +80), ROUTES (0: the seed's 3 routes), CONNECTIONS (32), WARMUP (45s),
#   PROFILE_SECONDS (30), TOP (25), TOP_ALLOC (15), JAVA (java), JAVA_OPTS (none),
#   KEEP_JFR (copy the recording to this file), ANALYSE (a .jfr file: only summarise it).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-28580}
MANAGEMENT_PORT=$((PORT + 1))
APP_PORT_BASE=${APP_PORT_BASE:-29400}
ROUTES=${ROUTES:-0}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-45s}
PROFILE_SECONDS=${PROFILE_SECONDS:-30}
TOP=${TOP:-25}
TOP_ALLOC=${TOP_ALLOC:-15}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
if ((ROUTES > 0)); then
	REQUEST_PATH=/svc/$(printf 'r%04d' $((ROUTES - 1)))/hello
	ROUTING="$ROUTES generated prefix routes, request matching the last"
else
	REQUEST_PATH=/services/foo/v1/hello
	ROUTING="the seed's 3 routes"
fi

need_tools nginx wrk curl
need_java
[[ -x $JCMD && -x $JFR ]] || die "jcmd and jfr not found beside $JAVA (a JDK is needed, not a JRE)"

# --- the summary ---------------------------------------------------------------------
# summarise: prints the tables out of $RECORDING.
summarise() {
cat >"$TMP/samples.awk" <<'EOF'
# Reads `jfr print --events jdk.ExecutionSample`; prints "section<TAB>key" lines, one per
# counted thing, for sort | uniq -c.
function flush(   i, f, leaf, own, activity) {
	if (n == 0) return
	samples++
	leaf = frames[1]
	print "self\t" leaf
	own = ""
	for (i = 1; i <= n; i++) {
		if (frames[i] !~ /^(java\.|javax\.|jdk\.|sun\.|com\.sun\.|io\.netty\.)/) { own = frames[i]; break }
	}
	print "own\t" (own == "" ? "(only JDK/Netty frames)" : own)
	print "library\t" library(leaf)
	# The work this sample was done for: walking from the leaf, the first frame of a
	# specific activity (route matching, load balancer, headers, ...), skipping the JDK,
	# Reactor's operators and Spring's generic code (beans, core, util), which run on
	# behalf of whatever called them; else the library of the first other frame.
	activity = ""
	for (i = 1; i <= n; i++) {
		f = frames[i]
		activity = specific(f)
		if (activity != "") break
		if (f ~ /^(java\.|javax\.|jdk\.|sun\.|com\.sun\.|reactor\.core\.|reactor\.util\.|org\.springframework\.(beans|core|util|context|aop)\.)/) continue
		activity = broad(f)
		break
	}
	if (activity == "") activity = "JDK, Reactor operators or Spring core only"
	print "activity\t" activity
	print "thread\t" thread
	n = 0
}
function library(f) {
	if (f ~ /^(java\.|javax\.|jdk\.|sun\.|com\.sun\.)/) return "JDK"
	if (f ~ /^io\.netty\./) return "Netty"
	if (f ~ /^reactor\.netty\./) return "Reactor Netty"
	if (f ~ /^reactor\./) return "Reactor core (operators, the reactive hops)"
	if (f ~ /^org\.springframework\.cloud\.gateway\./) return "Spring Cloud Gateway"
	if (f ~ /^org\.springframework\.cloud\./) return "Spring Cloud (LoadBalancer, commons)"
	if (f ~ /^org\.springframework\./) return "Spring Framework (WebFlux, web, core)"
	if (f ~ /^io\.micrometer\./) return "Micrometer"
	if (f ~ /^(ch\.qos\.logback|org\.slf4j|org\.apache\.logging)\./) return "logging"
	if (f ~ /^io\.junction\./) return "Junction"
	return "other"
}
function specific(f) {
	# FluxFilterWhen: RoutePredicateHandlerMapping.lookupRoute runs every route's predicate
	# through Flux.filterWhen; its drain loop is on the stack of each route tested.
	if (f ~ /RoutePredicateHandlerMapping|RoutePredicateFactory|AsyncPredicate|GatewayPredicate|^org\.springframework\.web\.util\.pattern\.|PathContainer|CachingRouteLocator|reactor\.core\.publisher\.FluxFilterWhen/) return "route matching"
	if (f ~ /LoadBalancer|loadbalancer|NamedContextFactory|io\.junction\.pools\.(RoundRobin|FailedServers|ServerState)/) return "load balancer (incl. its per-request bean lookups)"
	if (f ~ /io\.junction\.pools\.PoolRetryFilter/) return "retry filter (Junction)"
	if (f ~ /HttpHeadersFilter|XForwarded|HttpHeaders|HeadersAdapter|LinkedCaseInsensitiveMap|MultiValueMapAdapter|io\.netty\.handler\.codec\.(http\.)?(Default|ReadOnly|Combined)?(Http)?Headers|HeaderUtils/) return "header copying"
	if (f ~ /^io\.micrometer\.|GatewayMetricsFilter|[Oo]bservation|MetricsFilter/) return "metrics / observation"
	if (f ~ /^(ch\.qos\.logback|org\.slf4j|org\.apache\.commons\.logging)\.|LogFormatUtils|LogDelegateFactory|[Ll]ogger\./) return "logging"
	if (f ~ /RewritePath|RouteToRequestUrl|UriComponents|DefaultServerHttpRequestBuilder|^java\.net\.URI|UriEndpoint/) return "URL rewriting (RewritePath, request URL, URI parsing)"
	if (f ~ /^reactor\.netty\.resources\.|reactor\.netty\.internal\.shaded\.reactor\.pool|PooledConnection/) return "connection pool (Reactor Netty)"
	return ""
}
function broad(f) {
	if (f ~ /^reactor\.netty\.http\.client\.|NettyRoutingFilter|NettyWriteResponseFilter/) return "HTTP client to the app server (Reactor Netty client, NettyRoutingFilter)"
	if (f ~ /^reactor\.netty\.http\.server\.|^org\.springframework\.http\.server\.reactive\.|^org\.springframework\.web\.|DispatcherHandler/) return "HTTP server side (Reactor Netty server, WebFlux)"
	if (f ~ /^reactor\.netty\./) return "Reactor Netty channel operations"
	if (f ~ /^io\.netty\.(channel|util\.concurrent|util\.internal)/) return "Netty event loop / socket I/O"
	if (f ~ /^io\.netty\.buffer|^io\.netty\.util\.(Recycler|ReferenceCount)/) return "Netty buffers"
	if (f ~ /^io\.netty\.handler\.codec/) return "Netty HTTP codec"
	if (f ~ /^io\.netty\./) return "Netty other"
	if (f ~ /^org\.springframework\.cloud\.gateway\./) return "gateway filter chain (other)"
	if (f ~ /^io\.junction\./) return "Junction (other)"
	if (f ~ /^org\.springframework\./) return "Spring (other)"
	return "other: " f
}
/^jdk\.ExecutionSample/ { n = 0; instack = 0; thread = ""; next }
/^[ \t]*sampledThread = / {
	thread = $0; sub(/^[^"]*"/, "", thread); sub(/".*$/, "", thread); gsub(/[0-9]+/, "N", thread); next
}
/^[ \t]*stackTrace = \[/ { instack = 1; next }
instack && /^[ \t]*\]/ { instack = 0; flush(); next }
instack {
	f = $0
	sub(/^[ \t]+/, "", f)
	if (f == "...") next
	sub(/[ \t]+line:.*$/, "", f)
	sub(/\(.*$/, "", f)
	gsub(/\$\$Lambda\$[0-9]+[^.]*(\.[0-9]+)?/, "$$Lambda", f)
	frames[++n] = f
	next
}
END { print "total\t" samples }
EOF

cat >"$TMP/allocations.awk" <<'EOF'
# Reads `jfr print --events jdk.ObjectAllocationSample`; prints "class<TAB>name<TAB>bytes"
# and "site<TAB>frame<TAB>bytes" per sample (weight = bytes the sample stands for). On
# Java 17 the first sample of each thread carries all the thread allocated before the
# recording began (gigabytes): each thread's earliest sample is left out.
function bytes(v,   n, u) {
	n = v + 0; u = v; sub(/^[0-9.,]+ */, "", u)
	if (u ~ /^kB/) n *= 1024; else if (u ~ /^MB/) n *= 1048576; else if (u ~ /^GB/) n *= 1073741824
	return n
}
/^jdk\.ObjectAllocationSample/ { cls = ""; w = 0; site = ""; instack = 0; t = ""; th = ""; next }
/^[ \t]*startTime = / { t = $3; next }
/^[ \t]*eventThread = / { th = $0; sub(/^[^"]*"/, "", th); sub(/".*$/, "", th); next }
/^[ \t]*objectClass = / { cls = $0; sub(/^[ \t]*objectClass = /, "", cls); sub(/ \(classLoader.*$/, "", cls); gsub(/\$\$Lambda\$[0-9]+[^.]*(\.[0-9]+)?/, "$$Lambda", cls); next }
/^[ \t]*weight = / { w = $0; sub(/^[ \t]*weight = /, "", w); w = bytes(w); next }
/^[ \t]*stackTrace = \[/ { instack = 1; next }
instack && /^[ \t]*\]/ {
	instack = 0
	k++
	C[k] = cls; S[k] = (site == "" ? "(only JDK/Netty frames)" : site); W[k] = w; T[k] = th
	if (!(th in first) || t < firstTime[th]) { first[th] = k; firstTime[th] = t }
	next
}
instack && site == "" {
	f = $0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*$/, "", f); sub(/\(.*$/, "", f)
	gsub(/\$\$Lambda\$[0-9]+[^.]*(\.[0-9]+)?/, "$$Lambda", f)
	if (f != "..." && f !~ /^(java\.|javax\.|jdk\.|sun\.|com\.sun\.|io\.netty\.)/) site = f
	next
}
END {
	for (i = 1; i <= k; i++) {
		if (first[T[i]] == i) continue
		print "class\t" C[i] "\t" W[i]
		print "site\t" S[i] "\t" W[i]
	}
}
EOF

log "summarising the recording"
"$JFR" print --events jdk.ExecutionSample --stack-depth 256 "$RECORDING" | awk -f "$TMP/samples.awk" >"$TMP/samples.tsv"
"$JFR" print --events jdk.ObjectAllocationSample --stack-depth 64 "$RECORDING" | awk -f "$TMP/allocations.awk" >"$TMP/allocations.tsv"
TOTAL=$(awk -F'\t' '$1 == "total" { print $2 }' "$TMP/samples.tsv")
((${TOTAL:-0} > 0)) || die "the recording holds no execution samples"

# top SECTION N TITLE: the N most frequent keys of a section, with their share of samples.
top() {
	echo
	echo "$3 ($TOTAL samples)"
	awk -F'\t' -v s="$1" '$1 == s { print $2 }' "$TMP/samples.tsv" | sort | uniq -c | sort -rn | awk -v n="$2" 'NR <= n' |
		awk -v t="$TOTAL" '{ c = $1; $1 = ""; sub(/^ /, ""); printf "  %5.1f%%  %6d  %s\n", 100 * c / t, c, $0 }'
}
# top_bytes SECTION N TITLE: the N keys with the most sampled bytes.
top_bytes() {
	echo
	echo "$3"
	awk -F'\t' -v s="$1" '$1 == s { b[$2] += $3; t += $3 } END { for (k in b) printf "%.0f\t%.4f\t%s\n", b[k], 100 * b[k] / t, k }' \
		"$TMP/allocations.tsv" | sort -t$'\t' -k1,1 -rn | awk -v n="$2" 'NR <= n' |
		awk -F'\t' '{ printf "  %5.1f%%  %9.1f MiB  %s\n", $2, $1 / 1048576, $3 }'
}

echo
if [[ -n ${ANALYSE:-} ]]; then
	echo "==== JFR profile $RECORDING ===="
else
	echo "==== JFR profile of Junction, $ROUTING, wrk -t1 -c$CONNECTIONS ${PROFILE_SECONDS}s on $REQUEST_PATH ===="
	echo "$(date -u +%Y-%m-%d) on $(nproc) cores, $("$JAVA" -version 2>&1 | sed -n 1p); $RPS req/s, p99 $P99 while recording"
	echo "JVM: ${JAVA_CMD[*]:0:$((${#java_opts[@]} + 2))} -jar ...  + jcmd JFR.start settings=profile"
fi
top self "$TOP" "Top $TOP hot frames (the method each execution sample was in)"
top own "$TOP" "Top $TOP hot frames outside the JDK and Netty (first frame from the leaf not in java.*, jdk.*, sun.*, io.netty.*)"
top library 20 "Self time by library (the leaf frame's package)"
top activity 30 "Time by activity (walking from the leaf: the first frame of a known activity, skipping JDK, Reactor operators and Spring core)"
top thread 10 "Samples by thread (digits as N)"
top_bytes class "$TOP_ALLOC" "Top $TOP_ALLOC allocated classes (sampled allocation weight, share of all bytes)"
top_bytes site 10 "Top 10 allocation sites outside the JDK and Netty"
# Exact totals: each thread's allocated bytes at the start and end of the recording.
"$JFR" print --events jdk.ThreadAllocationStatistics "$RECORDING" | awk -v r="${REQUESTS:-0}" '
	function bytes(v, u) { if (u ~ /^kB/) v *= 1024; else if (u ~ /^MB/) v *= 1048576; else if (u ~ /^GB/) v *= 1073741824; return v }
	/^[ \t]*startTime = / { t = $3; if (t0 == "" || t < t0) t0 = t; if (t > t1) t1 = t }
	/^[ \t]*allocated = / { a = bytes($3, $4) }
	/^[ \t]*thread = / { th = $0; sub(/^[^"]*"/, "", th); sub(/".*$/, "", th)
		if (!(th in lo) || a < lo[th]) lo[th] = a; if (a > hi[th]) hi[th] = a }
	END { for (th in hi) total += hi[th] - lo[th]
		split(t0, x, ":"); split(t1, y, ":"); d = (y[1] * 3600 + y[2] * 60 + y[3]) - (x[1] * 3600 + x[2] * 60 + x[3])
		printf "  allocated in all (jdk.ThreadAllocationStatistics): %.0f MiB in %.0f s = %.0f MiB/s", total / 1048576, d, (d > 0) ? total / 1048576 / d : 0
		if (r > 0) printf ", %.1f KiB per request (%d requests)", total / 1024 / r, r
		printf "\n" }'

echo
echo "GC and CPU during the recording"
"$JFR" print --events jdk.GarbageCollection "$RECORDING" | awk '
	/^jdk\.GarbageCollection/ { n++ }
	/^[ \t]*name = / { name = $3; gsub(/"/, "", name); names[name]++ }
	/^[ \t]*sumOfPauses = / { v = $3 + 0; u = $4; if (u == "s") v *= 1000; else if (u == "us") v /= 1000; else if (u == "ns") v /= 1e6; total += v; if (v > max) max = v }
	END { printf "  %d collections (", n; sep = ""; for (k in names) { printf "%s%s %d", sep, k, names[k]; sep = ", " }
	      printf "), pauses %.1f ms in all, longest %.2f ms\n", total, max }'
"$JFR" print --events jdk.CPULoad "$RECORDING" | awk '
	/^[ \t]*jvmUser = / { u += $3; n++ } /^[ \t]*jvmSystem = / { s += $3 } /^[ \t]*machineTotal = / { m += $3 }
	END { if (n) printf "  JVM CPU: user %.0f%% + system %.0f%% of the machine (2 cores = 100%%); whole machine %.0f%%\n", u / n, s / n, m / n }'
}

if [[ -n ${ANALYSE:-} ]]; then
	[[ -s $ANALYSE ]] || die "no recording at $ANALYSE"
	bench_tmp profile
	RECORDING=$ANALYSE
	summarise
	exit 0
fi

find_jar
WEBSITE_PORT=$((APP_PORT_BASE + 80))
ports_free "$PORT" "$MANAGEMENT_PORT" "$(app_port app01)" "$(app_port app02)" "$(app_port app03)" "$WEBSITE_PORT"
bench_tmp profile
log "$(uptime)"

# --- app servers ---------------------------------------------------------------------
for name in app01 app02 app03; do start_nginx "$name" "$(app_port "$name")"; done
start_nginx website "$WEBSITE_PORT"

# --- Junction ------------------------------------------------------------------------
{
	yaml_pools services-foo-v1 services-bar-v1
	yaml_website_pool "$WEBSITE_PORT"
	yaml_routes
	if ((ROUTES > 0)); then yaml_generated_routes "$ROUTES"; else yaml_seed_routes; fi
} >"$TMP/junction.yml"

JLOG="$TMP/junction.log"
read -r -a java_opts <<<"$JAVA_OPTS"
# Reactive stacks are deep: keep 256 frames per sample (JFR's default is 64), so that the
# work a sample was done for is still on its stack.
start_junction "$JLOG" "$PORT" "$MANAGEMENT_PORT" "$TMP/junction.yml" -XX:FlightRecorderOptions=stackdepth=256 "${java_opts[@]}"
wait_ready Junction "$JUNCTION_PID" "$MANAGEMENT_PORT" "$JLOG" 120
URL="http://127.0.0.1:$PORT$REQUEST_PATH"
body=$(curl -fsS --max-time 5 "$URL") || die "$URL failed"
[[ $body == app0[123]" /hello" ]] || die "$URL answered \"$body\", not an app server with path /hello"
log "Junction ready (PID $JUNCTION_PID) on :$PORT with $ROUTING; $URL -> $body"

# run_wrk DURATION OUT: wrk on URL; its figures as wrk_figures reads them.
run_wrk() {
	wrk_start "$2" "$CONNECTIONS" "$1" "$URL" --timeout 5s --latency
	wrk_wait
	wrk_figures "$2"
}
log "warm-up: wrk -t1 -c$CONNECTIONS -d$WARMUP"
run_wrk "$WARMUP" "$TMP/warmup.txt"
log "  $RPS req/s"

# --- the recording -------------------------------------------------------------------
RECORDING="$TMP/junction.jfr"
log "JFR: jcmd $JUNCTION_PID JFR.start settings=profile, with wrk -t1 -c$CONNECTIONS -d${PROFILE_SECONDS}s"
"$JCMD" "$JUNCTION_PID" JFR.start name=bench settings=profile >"$TMP/jfr-start.txt" 2>&1 ||
	die "JFR.start failed: $(cat "$TMP/jfr-start.txt")"
run_wrk "${PROFILE_SECONDS}s" "$TMP/profile-wrk.txt"
"$JCMD" "$JUNCTION_PID" JFR.stop name=bench filename="$RECORDING" >"$TMP/jfr-stop.txt" 2>&1 ||
	die "JFR.stop failed: $(cat "$TMP/jfr-stop.txt")"
[[ -s $RECORDING ]] || die "no recording written: $(cat "$TMP/jfr-stop.txt")"
log "  recorded: $RPS req/s, p99 $P99 while recording${ERRORS:+ ($ERRORS)}; $(du -h "$RECORDING" | cut -f1) recording"
if [[ -n ${KEEP_JFR:-} ]]; then
	cp "$RECORDING" "$KEEP_JFR" && log "  recording kept in $KEEP_JFR"
fi
# The server can go now; the analysis needs only the recording.
kill -TERM "$JUNCTION_PID" 2>/dev/null || true

summarise
echo
log "$(uptime)"
log "done in $((SECONDS - START_TIME)) s"
