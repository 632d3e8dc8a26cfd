#!/usr/bin/env bash
# Data-plane benchmark (docs/performance.md (data plane)): import, upload, sync and their bare peers, in one JVM.
# Usage: bench/dataplane.sh [MiB]   (default 1024; needs ~8x that in free space under $TMPDIR)
# Profile: BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=dp.jfr,settings=profile" bench/dataplane.sh 256
# Also reports SyncImages between two S3 buckets (s3proxy) next to a bare AWS SDK multipart copy.
# Ends with one line: dataplane: import N% of read+hash, upload N% of read+hash, sync N% of cp+sync
# (upload: ImportImage + the signed PUT of the file through SignedClient, the CLI's HTTP path).
set -euo pipefail
cd "$(dirname "$0")/.."
MIB="${1:-1024}"
export IMAGEHUB_REQUEST_LOG=OFF  # one log line per request would only measure the console
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
if [ -z "${JAVA:-}" ]; then  # the newest JDK >= 21 present, as the build's toolchain picks it
  for candidate in /usr/lib/jvm/*/bin/java; do
    version=$("$candidate" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    if [ "${version:-0}" -ge 21 ] && [ "${version}" -ge "${best:-0}" ]; then best=$version; JAVA=$candidate; fi
  done
fi
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "java: $("$JAVA" -version 2>&1 | head -1)  size: ${MIB} MiB"
exec "$JAVA" -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.imagehub.bench.DataPlaneBench "$MIB"
