#!/usr/bin/env bash
# CLI benchmark (docs/performance.md (CLI)): `imagehub image import` of a local file next to `sha256sum` of the same
# file, alternating in one run (the file stays in the page cache), then the CLI's start-up for one
# `cvm DescribeRegions` next to `curl` of /healthz, with farm-bench. Run it on the quiet machine:
#   /work/coord/bench bench/cli.sh [MiB] [runs]    (default 1024 MiB, 3 runs; needs ~3x MiB free under $TMPDIR)
set -euo pipefail
cd "$(dirname "$0")/.."
MIB="${1:-1024}"
RUNS="${2:-3}"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
bin/imagehub --version >/dev/null # builds the jar if the sources are newer
IMAGEHUB_REQUEST_LOG=OFF bin/imagehub serve --port 0 --data-dir "$work/data" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  endpoint="$(sed -n 's/.*imagehub listening on http:\/\/\([0-9.]*:[0-9]*\).*/\1/p' "$work/serve.log" | head -1)"
  [ -n "$endpoint" ] && break
  sleep 0.5
done
[ -n "$endpoint" ] || { echo "the server did not start; see $work/serve.log" >&2; exit 1; }
account="$(bin/imagehub account create --name bench --endpoint "http://$endpoint" --data-dir "$work/data")"
export HOME="$work/home" IMAGEHUB_ENDPOINT="$endpoint" TENCENTCLOUD_REGION=ap-guangzhou
TENCENTCLOUD_SECRET_ID="$(sed -n 's/.*"SecretId" *: *"\([^"]*\)".*/\1/p' <<<"$account")"
TENCENTCLOUD_SECRET_KEY="$(sed -n 's/.*"SecretKey" *: *"\([^"]*\)".*/\1/p' <<<"$account")"
export TENCENTCLOUD_SECRET_ID TENCENTCLOUD_SECRET_KEY
mkdir -p "$HOME"
head -c "$((MIB << 20))" /dev/urandom >"$work/disk.raw"

echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "file: ${MIB} MiB of random bytes (distinct chunks), server: bin/imagehub serve, directory chunk store"
sha256sum "$work/disk.raw" >/dev/null            # page cache
bin/imagehub cvm DescribeRegions >/dev/null      # the client's class-data-sharing archive
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
for run in $(seq 1 "$RUNS"); do
  bare="$(seconds sha256sum "$work/disk.raw")"
  cli="$(seconds bin/imagehub image import "$work/disk.raw" --name "bench-$run-$RANDOM")"
  printf 'run %d: sha256sum %6.2f s %7.1f MiB/s | image import %6.2f s %7.1f MiB/s | %5.1f %%\n' "$run" \
    "$bare" "$(echo "$MIB / $bare" | bc -l)" "$cli" "$(echo "$MIB / $cli" | bc -l)" "$(echo "100 * $bare / $cli" | bc -l)"
done
echo "start-up: bin/imagehub cvm DescribeRegions (A) vs curl /healthz (B)"
farm-bench -n 10 --warmup 2 --vs "curl -s http://$endpoint/healthz" -- bin/imagehub cvm DescribeRegions
