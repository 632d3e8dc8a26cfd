#!/usr/bin/env bash
# RunInstances + CreateImage latency from a 1 GiB image (no image bytes are copied), with DescribeRegions measured in
# the same run as the bare-stack reference. Starts a fresh server with default settings through bench/run.
# Usage: bench/instances.sh [ROUNDS]   (default 40 timed calls per action, after 5 untimed ones)
exec "$(dirname "$0")/run" --main io.imagehub.bench.InstancesBench --seconds "${1:-40}"
