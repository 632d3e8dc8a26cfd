#!/usr/bin/env bash
# Web console page latency for an account with 500 custom images, next to the API's DescribeImages of the same
# images from the same run (io.imagehub.bench.ConsoleBench). Starts a fresh server with default settings through
# bench/run. Usage: bench/console.sh [ROUNDS]   (default 200 timed requests per page, after 20 untimed ones)
exec "$(dirname "$0")/run" --main io.imagehub.bench.ConsoleBench --seconds "${1:-200}"
