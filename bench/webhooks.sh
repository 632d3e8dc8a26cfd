#!/usr/bin/env bash
# Webhook delivery bench (io.imagehub.bench.WebhookBench): SHARE/CANCEL (one audited transaction each) without and
# with a subscribed webhook, then the delivery rate of the events. Results on stdout; the node's logs go to
# target/WebhookBench.log. Usage: bench/webhooks.sh [warm-up seconds] [measured seconds]
BENCH_CLASS=io.imagehub.bench.WebhookBench exec "$(dirname "$0")/sharing.sh" "$@"
