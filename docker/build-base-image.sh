#!/usr/bin/env bash
# Builds the local Java 25 base image for Junction's Dockerfile, once per machine:
#
#   docker/build-base-image.sh [TAG]        (default TAG: junction-base:25)
#
# Use it only where no image registry can be reached; everywhere else the Dockerfile's
# default base (a public Temurin 25 JRE image) is simpler. The image is a Debian bookworm
# root made by debootstrap from the mirror this machine's apt already uses, plus a Java
# runtime jlinked from the local Temurin 25 JDK, with a non-root user (uid 10001).
# It does nothing when TAG already exists; `docker image rm TAG` forces a rebuild.
#
# Environment: JDK25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64).
# Needs root (debootstrap, chroot) and a running Docker daemon.
set -euo pipefail

tag="${1:-junction-base:25}"
jdk="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
suite=bookworm

# The runtime's modules. `jdeps --print-module-deps` over the extracted Junction jar gives
# this set; start-up, routing and /actuator/prometheus were tried in a trial run. A
# smaller set also starts (java.base, java.desktop, java.logging, java.naming, java.xml,
# jdk.management, jdk.unsupported), but saves only 1 MB of 64 MB and would leave classes
# that the libraries do reference (java.sql types in Jackson, JFR events, java.net.http)
# to fail at run time. java.desktop is needed for java.beans, which Spring uses.
# jdk.crypto.ec is left out: since Java 22 the EC provider lives in java.base.
modules=java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.prefs,java.scripting,java.sql,jdk.jfr,jdk.management,jdk.unsupported

say() { echo "base-image: $*"; }
fail() {
	echo "base-image: FAILED: $*" >&2
	exit 1
}

now() { date +%s.%N; }
since() { awk -v from="$1" -v to="$(now)" 'BEGIN { printf "%.1f s", to - from }'; }

# The first http(s) or file URI of a `deb` source for $suite in this machine's apt
# configuration, in either format: one-line (sources.list) or deb822 (*.sources).
find_mirror() {
	local files=() f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		if [[ -f "$f" ]]; then files+=("$f"); fi
	done
	if ((${#files[@]} == 0)); then return 0; fi
	awk -v suite="$suite" '
		function usable(uri) { return uri ~ /^(https?:\/\/|file:\/)/ }
		function has(list, word,    n, i, parts) {
			n = split(list, parts, /[ \t]+/)
			for (i = 1; i <= n; i++) if (parts[i] == word) return 1
			return 0
		}
		function flush() {
			if (types != "" && has(types, "deb") && has(suites, suite) && enabled != "no") {
				n = split(uris, u, /[ \t]+/)
				for (i = 1; i <= n; i++) if (usable(u[i])) { print u[i]; found = 1; exit }
			}
			types = ""; uris = ""; suites = ""; enabled = ""
		}
		FNR == 1 { flush() }
		/^[ \t]*#/ { next }
		FILENAME ~ /\.sources$/ {
			if ($0 ~ /^[ \t]*$/) { flush(); next }
			line = $0; key = tolower(line); sub(/:.*/, "", key); sub(/^[^:]*:[ \t]*/, "", line)
			if (key == "types") types = line
			else if (key == "uris") uris = line
			else if (key == "suites") suites = line
			else if (key == "enabled") enabled = tolower(line)
			next
		}
		$1 == "deb" {
			# deb [option=value ...] uri suite component...
			i = 2
			if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
			if (usable($i) && $(i + 1) == suite) { print $i; found = 1; exit }
		}
		END { if (!found) flush() }
	' "${files[@]}"
}

if docker image inspect "$tag" >/dev/null 2>&1; then
	say "$tag already exists; nothing to do (docker image rm $tag to rebuild)"
	exit 0
fi

[[ $(id -u) -eq 0 ]] || fail "run as root: debootstrap and chroot need it"
[[ -x "$jdk/bin/jlink" ]] || fail "no jlink in $jdk (set JDK25_HOME to a Java 25 JDK)"
docker info >/dev/null 2>&1 || fail "the Docker daemon does not answer (docker info)"

start=$(now)

if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null \
		|| { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null; } \
		|| fail "could not install debootstrap"
fi

mirror=$(find_mirror)
[[ -n "$mirror" ]] || fail "no 'deb' source for $suite in /etc/apt/sources.list{,.d/*.list,.d/*.sources}"
say "mirror (from this machine's apt sources): $mirror"

work=$(mktemp -d "${TMPDIR:-/tmp}/junction-base.XXXXXX")
root="$work/rootfs"
cleanup() {
	# debootstrap mounts proc and sys inside the root while it works; if it was
	# interrupted they may still be there, and rm must never walk into them.
	local mnt
	for mnt in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount -l "$mnt" 2>/dev/null || true
	done
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

step=$(now)
say "debootstrap --variant=minbase $suite (log: $work/debootstrap.log)"
if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
	tail -n 20 "$work/debootstrap.log" >&2
	fail "debootstrap failed"
fi
say "debootstrap took $(since "$step")"
if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
	fail "debootstrap left file systems mounted under $root"
fi

# Files no container reads: package caches and lists, docs (but not the copyright files),
# man pages. Docker mounts its own /dev, so the device nodes debootstrap made go too.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
	"$root"/usr/share/man/* "$root"/usr/share/info/* \
	"$root"/var/log/*.log "$root"/var/cache/debconf/*-old
find "$root/usr/share/doc" -xdev -mindepth 1 ! -type d ! -name copyright -delete
find "$root/dev" -xdev -mindepth 1 -delete

# The user Junction runs as. A fixed uid, so that Kubernetes' runAsNonRoot can check it
# and files on mounted volumes can be granted to it.
chroot "$root" groupadd --gid 10001 junction
chroot "$root" useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
	--shell /usr/sbin/nologin junction

step=$(now)
say "jlink from $jdk"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
	--compress=zip-6 --output "$root/opt/java"
java_version=$("$root/opt/java/bin/java" -XshowSettings:properties -version 2>&1 \
	| awk -F' = ' '/java.runtime.version/ { print $2 }')
say "jlink took $(since "$step"): Java $java_version, $(du -sh "$root/opt/java" | cut -f1)"

step=$(now)
say "docker import as $tag ($(du -sh --one-file-system "$root" | cut -f1))"
tar --numeric-owner -C "$root" -c . | docker import \
	-c 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	-c 'ENV JAVA_HOME=/opt/java' \
	-c 'ENV LANG=C.UTF-8' \
	-c "LABEL io.junction.base.java-version=$java_version io.junction.base.suite=$suite" \
	-m "Debian $suite minbase and a jlinked Java $java_version, built by docker/build-base-image.sh" \
	- "$tag" >/dev/null
say "docker import took $(since "$step")"

docker run --rm "$tag" java -version 2>&1 | sed 's/^/base-image:   /'
say "built $tag in $(since "$start")"
