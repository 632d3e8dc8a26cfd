package io.imagehub.webhooks;

import io.imagehub.domain.JobRepository.Job;
import io.imagehub.domain.OutboundTarget;
import io.imagehub.domain.OutboundUrlPolicy;
import io.imagehub.domain.OutboundUrlRefused;
import io.imagehub.domain.WebhookService;
import io.imagehub.domain.WebhookService.Attempt;
import io.imagehub.jobs.JobControl;
import io.imagehub.jobs.JobHandler;
import io.imagehub.outbound.OutboundHttp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of one delivery: the destination is checked again by the outbound URL policy (a name may resolve
 * elsewhere by now) and the request goes only to the checked addresses, with the body signed, connect and read
 * timeouts, and at most {@link #MAX_RESPONSE_BYTES} of the answer read. The outcome goes to the delivery log;
 * a failure queues the next attempt after its backoff ({@link WebhookService#recordAttempt}). A node that dies
 * after sending and before recording sends it again: at least once, with the same EventId.
 */
public final class WebhookDeliveryJob implements JobHandler {
    public static final String EVENT_HEADER = "X-Imagehub-Event";
    public static final String DELIVERY_HEADER = "X-Imagehub-Event-Id";
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final WebhookService webhooks;
    private final OutboundUrlPolicy destinations;
    private final OutboundHttp http;

    public WebhookDeliveryJob(WebhookService webhooks, OutboundUrlPolicy destinations, OutboundHttp http) {
        this.webhooks = webhooks;
        this.destinations = destinations;
        this.http = http;
    }

    @Override
    public void run(Job job, JobControl control) {
        Optional<Attempt> next = webhooks.nextAttempt(Long.parseLong(job.payload()));
        if (next.isEmpty()) {
            return; // delivered, failed for good, or its webhook was deleted
        }
        Attempt attempt = next.get();
        byte[] body = attempt.delivery().body().getBytes(StandardCharsets.UTF_8);
        Integer status = null;
        String error = null;
        try {
            OutboundTarget target = destinations.check(attempt.url());
            try (OutboundHttp.Response response = http.postJson(target, body, Map.of(
                    WebhookSignature.HEADER, WebhookSignature.of(attempt.secret(), body),
                    EVENT_HEADER, attempt.delivery().eventType(),
                    DELIVERY_HEADER, attempt.delivery().eventId()));
                 InputStream in = response.body()) {
                status = response.status();
                in.readNBytes(MAX_RESPONSE_BYTES); // a bounded look at the answer; the rest is never read
            }
        } catch (OutboundUrlRefused refused) {
            error = "destination refused: " + refused.getMessage();
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        webhooks.recordAttempt(attempt.delivery(), status, error);
    }

    /** The runner gave up on the job itself (the database failed thrice); the delivery stays PENDING in the log. */
    @Override
    public void giveUp(Job job, String error) {
    }
}
