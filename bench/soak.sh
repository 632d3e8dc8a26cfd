#!/usr/bin/env bash
# The soak of issue 14 (io.imagehub.it.ClusterSoak): three node processes (bin/imagehub's server JVM settings) on
# one embedded PostgreSQL and one S3 endpoint (s3proxy on disk), seeded with bench/generate's population through
# batch JDBC, under the mixed workload of ClusterTest plus listing readers, for MINUTES; one node is killed with
# SIGKILL half-way and started again. Samples (RSS, heap, threads, open files, pool and PostgreSQL connections,
# calls/s every 10 s) go to target/soak-samples.csv; then the same load runs on one node over embedded H2 with the
# same population. Run it through /work/coord/bench on a quiet machine. Exit code 1 if any call failed unexpectedly.
# Usage: bench/soak.sh [MINUTES=10] [IMAGES=100000] [CLIENTS=16] [READERS=8] [H2_SECONDS=90]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -DskipTests test-compile >&2
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak.classpath >&2
java_bin="$(ls /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1)"
# the seeded accounts' SecretKeys and the nodes share this key
IMAGEHUB_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export IMAGEHUB_MASTER_KEY
exec "${java_bin:-java}" -Xmx1g -cp "target/test-classes:target/classes:$(cat target/soak.classpath)" \
  io.imagehub.it.ClusterSoak "$@" 2> target/ClusterSoak.log
