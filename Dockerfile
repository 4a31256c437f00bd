# Junction's container image. Build the jar first, then the image:
#
#   ./mvnw package
#   DOCKER_BUILDKIT=0 docker build -t junction .
#
# Where no registry can be reached, build a local base first (docker/build-base-image.sh)
# and add --build-arg BASE_IMAGE=junction-base:25. Any base with Java 25 on the PATH works.
ARG BASE_IMAGE=eclipse-temurin:25-jre

# Split the Spring Boot jar into its layers, so that the image's layers change only as
# often as their contents: libraries rarely, Junction's own classes on every build.
# Without --launcher the result is a plain junction.jar whose manifest names lib/*.jar
# on its Class-Path: classes then come from ordinary jar files, which the JVM's AOT cache
# (below) can hold, unlike classes from a directory or from jars nested in a jar.
FROM ${BASE_IMAGE} AS layers
WORKDIR /build
COPY target/junction-*.jar junction.jar
RUN java -Djarmode=tools -jar junction.jar extract --layers --destination extracted

FROM ${BASE_IMAGE}
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
# The JVM's defaults, tuned for a container of two cores, in JAVA_TOOL_OPTIONS so that the
# training run below uses them too. To change one, pass the option in JDK_JAVA_OPTIONS,
# which wins over JAVA_TOOL_OPTIONS; setting JAVA_TOOL_OPTIONS replaces them all.
# -XX:+UseSerialGC: what the JVM picks by itself with less than two cores or 1792 MB;
#   with more, it takes G1, whose own structures took 46 MB beside a 400 MB heap.
# -Xmx96m: the serial collector grows the heap until it reaches its maximum under
#   sustained load, so the maximum is what the heap will take in the end. Junction's live
#   data is about 30 MB plus its connections' buffers, which Netty keeps in the heap;
#   96 MB held 2,000 concurrent connections (64 MB with the default young generation did
#   not). It is a fixed size, not a share of the container's memory: give the container
#   the heap plus about 200 MB.
# -Xmn12m: the young generation, which every collection touches in full, so all of it is
#   resident. The default (a third of the heap) kept 30 MB more resident; a smaller one
#   (8 MB) promoted so much short-lived data that the old generation grew instead.
# -XX:TrimNativeHeapInterval=1000: return the memory that the JIT compilers' arenas freed
#   to the system every second. glibc keeps it otherwise: up to 30 MB after a burst of
#   compilations (docs/image-startup.md).
# -Dspring.aot.enabled=true: the bean definitions Spring AOT generated at build time
#   (process-aot) replace reflection and condition evaluation at start-up; routes, pools
#   and junction.* settings are still read from the configuration (README, Container
#   image, lists the Spring Boot and Gateway settings that AOT fixes at build time).
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xmx96m -Xmn12m -XX:TrimNativeHeapInterval=1000 -Dspring.aot.enabled=true"
# A training run for Java 25's AOT cache (JEP 483, 514, 515): `junction.jar train` starts
# Junction on the demo's routes with an echo server on loopback in place of each pool,
# sends it 20,000 requests from 16 clients (about 40 s), and exits; the JVM writes the
# classes it loaded and linked, and the profiles of the methods it ran, start-up and request
# path alike, to junction.aot. Mapping that file at start-up (-XX:AOTCache below) halves the
# CPU time to readiness, and with the request path's profiles the JIT compiles that path
# sooner: in the first 10 s after readiness, 0.40 of the steady rate against 0.31 with a
# cache trained on start-up alone, at no cost in memory (docs/image-startup.md). The cache
# holds only for the same JVM, the same jar files (checked by size and time) on the same
# class path, and the same module options (--enable-native-access, as in the ENTRYPOINT);
# a JVM that finds it stale says so and starts without it. It is rebuilt whenever the
# application layer changes: 70 MB per build. -Xlog:aot=error keeps a warning per class it
# cannot hold (proxies, classes whose optional dependencies are absent) out of the build's
# output.
RUN java --enable-native-access=ALL-UNNAMED -Xlog:aot=error \
	-XX:AOTCacheOutput=/app/junction.aot -jar /app/junction.jar train
# Not root; the uid, not a name, so that Kubernetes' runAsNonRoot can check it. The files
# above stay owned by root: Junction reads them and never writes them.
USER 10001
# 8080: traffic. 8081: management (/actuator/health/readiness, liveness, prometheus).
EXPOSE 8080 8081
# Exec form and no shell: the JVM is PID 1, so `docker stop` sends SIGTERM to it (Junction
# then drains), and arguments after the image name reach Spring, for example
# --spring.config.additional-location=file:/config/junction.yml. Draining takes
# junction.shutdown.drain-delay (10s) plus the graceful shutdown, longer than the 10 s
# `docker stop` waits by default before SIGKILL: run with --stop-timeout 40.
# Out of memory, the JVM exits and the orchestrator restarts it, rather than limping on.
# --enable-native-access lets Netty load its epoll transport without a warning.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", \
	"-XX:AOTCache=/app/junction.aot", "-jar", "/app/junction.jar"]
