package io.imagehub.bench;

import com.tencentcloudapi.common.CommonRequest;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import io.imagehub.bench.SharingBench.Result;
import io.imagehub.it.FileServer;
import io.imagehub.it.Images;
import io.imagehub.it.Shares;
import io.imagehub.it.TestServer;
import io.imagehub.it.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Webhook deliveries next to the audit-trail write they ride on (not a test: run it with bench/webhooks.sh). One
 * embedded node on loopback; 16 clients each toggle SHARE/CANCEL of one account on an image of their own: every call
 * is one audited transaction. Measured first with no webhook (the audit write alone), then with the owner's webhook
 * subscribed to share.added and share.cancelled (every call also writes a delivery and queues its job); then how
 * fast the node's job workers deliver those events to a local receiver (signed POSTs, one per event).
 *
 * <p>Arguments: [warm-up seconds, default 2] [measured seconds, default 6].
 */
public final class WebhookBench {
    private static final String GZ = "ap-guangzhou";
    private static final int CLIENTS = 16;
    private static final String PATH = "/bench";

    public static void main(String[] args) throws Exception {
        Duration warmUp = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 2);
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 6);
        try (FileServer files = new FileServer();
             WebhookReceiver receiver = new WebhookReceiver();
             TestServer server = TestServer.importingFrom(files, c -> {
                 c.webhookAllow.add(receiver.baseUrl());
                 c.jobWorkers = 4;
             })) {
            TestServer.Account owner = server.createAccount("bench-owner");
            TestServer.Account toggled = server.createAccount("bench-toggled");
            String url = files.put("bench.raw", new byte[4096]);
            List<CvmClient> owners = new ArrayList<>();
            List<String> images = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                owners.add(server.client(owner, GZ));
                images.add(Images.importReady(owners.get(i), url, "bench-" + i));
            }
            SharingBench.Call toggle = (c, n) -> Shares.modify(owners.get(c), images.get(c),
                    n % 2 == 0 ? "SHARE" : "CANCEL", toggled.accountId());

            Result bare = SharingBench.measure("SHARE/CANCEL, no webhook (audit write)", CLIENTS, warmUp, measured,
                    toggle);
            server.commonClient(owner, GZ).commonRequest(new CommonRequest("{\"Url\":\"" + receiver.baseUrl()
                    + PATH.substring(1) + "\",\"EventTypes\":[\"share.added\",\"share.cancelled\"]}"),
                    "ImagehubCreateWebhook");
            Instant eventsFrom = Instant.now();
            Result hooked = SharingBench.measure("SHARE/CANCEL, owner's webhook subscribed", CLIENTS, warmUp,
                    measured, toggle);
            int[] delivered = {0};
            Instant last = drain(receiver, delivered);
            double seconds = Duration.between(eventsFrom, last).toMillis() / 1000.0;

            System.out.printf("%s, %d cores, %s %s, warm-up %ds, measured %ds per row%n", Instant.now(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), warmUp.toSeconds(), measured.toSeconds());
            System.out.println("| operation                                              | clients |     req/s | p50 (ms) | p99 (ms) | errors |");
            System.out.println("|--------------------------------------------------------|---------|-----------|----------|----------|--------|");
            System.out.println(bare.row());
            System.out.println(hooked.row());
            System.out.printf("webhook deliveries: %d events delivered in %.1f s from the first event: %.0f deliveries/s "
                    + "(4 job workers)%n", delivered[0], seconds, delivered[0] / seconds);
        }
    }

    /** Waits until no delivery has arrived for 3 s; returns when the last one arrived. */
    private static Instant drain(WebhookReceiver receiver, int[] delivered) throws InterruptedException {
        Instant last = Instant.now();
        while (Duration.between(last, Instant.now()).toSeconds() < 3) {
            int now = receiver.received(PATH).size();
            if (now > delivered[0]) {
                delivered[0] = now;
                last = Instant.now();
            }
            Thread.sleep(20);
        }
        return last;
    }
}
