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
FROM ${BASE_IMAGE} AS layers
WORKDIR /build
COPY target/junction-*.jar junction.jar
RUN java -Djarmode=tools -jar junction.jar extract --layers --launcher --destination extracted

FROM ${BASE_IMAGE}
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
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
# Add JVM options with JAVA_TOOL_OPTIONS. The heap takes 75% of the container's memory
# limit; out of memory, the JVM exits and the orchestrator restarts it, rather than
# limping on. --enable-native-access lets Netty load its epoll transport without a warning.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
	"--enable-native-access=ALL-UNNAMED", \
	"-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]
