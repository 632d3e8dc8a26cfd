#!/usr/bin/env bash
# Sharing throughput/latency bench (io.imagehub.bench.SharingBench): builds the test classes, then runs the bench
# on the newest JDK >= 21 found. Results (a Markdown table) on stdout; the node's logs go to target/SharingBench.log.
# Usage: bench/sharing.sh [warm-up seconds] [measured seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile
classpath_file=target/sharing-bench.classpath
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
java_bin=""
for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    if [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
        java_bin="$candidate/bin/java"
        break
    fi
done
if [ -z "$java_bin" ]; then
    echo "no JDK >= 21 found (set JAVA_HOME)" >&2
    exit 1
fi
# BENCH_CLASS: another load generator of the same shape (bench/webhooks.sh runs WebhookBench)
bench_class=${BENCH_CLASS:-io.imagehub.bench.SharingBench}
exec "$java_bin" -Xmx1g -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
    "$bench_class" "$@" 2> "target/${bench_class##*.}.log"
