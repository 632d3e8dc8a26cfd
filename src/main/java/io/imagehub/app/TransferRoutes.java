package io.imagehub.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.imagehub.api.Json;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.ErrorCodes;
import io.imagehub.domain.TransferTokens;
import io.imagehub.transfer.ImageTransfers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed transfer URLs on the API port (docs/adr/0012-uploads.md): {@code PUT /imagehub/uploads/<image>} takes
 * an upload's bytes, {@code GET /imagehub/downloads/<image>} returns an owned image's. Answers (and refusals) are
 * Tencent envelopes with HTTP 200, as every API answer is; a download's bytes carry their digest in a header.
 */
final class TransferRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(TransferRoutes.class);
    static final String SHA256_HEADER = "X-Imagehub-Sha256";

    private final ImageTransfers transfers;

    TransferRoutes(ImageTransfers transfers) {
        this.transfers = transfers;
    }

    void register(HttpRules rules) {
        rules.put(TransferTokens.UPLOAD_PATH + "{imageId}", this::upload)
                .get(TransferTokens.DOWNLOAD_PATH + "{imageId}", this::download);
    }

    private void upload(ServerRequest req, ServerResponse res) {
        String requestId = UUID.randomUUID().toString();
        try (InputStream body = req.content().inputStream()) {
            ImageTransfers.Received received = transfers.receive(req.path().pathParameters().get("imageId"),
                    query(req, "Expires"), query(req, "Signature"), req.headers().contentLength().orElse(-1),
                    body);
            ObjectNode response = Json.STRICT.createObjectNode()
                    .put("ImageId", received.imageId())
                    .put("ImagehubSha256", "sha256:" + received.sha256())
                    .put("ImagehubSizeBytes", received.sizeBytes())
                    .put("RequestId", requestId);
            send(res, requestId, response);
        } catch (ApiException e) {
            send(res, requestId, error(e.code(), e.getMessage(), requestId));
        } catch (IOException | UncheckedIOException e) {
            send(res, requestId, error(ErrorCodes.INVALID_PARAMETER_VALUE, "The upload broke off; send it again.",
                    requestId));
        } catch (RuntimeException e) {
            LOG.error("upload {} failed", requestId, e);
            send(res, requestId, error(ErrorCodes.INTERNAL_ERROR, "An internal error occurred; quote RequestId "
                    + requestId + ".", requestId));
        }
    }

    private void download(ServerRequest req, ServerResponse res) {
        String requestId = UUID.randomUUID().toString();
        ImageTransfers.Outgoing outgoing;
        try {
            outgoing = transfers.send(req.path().pathParameters().get("imageId"), query(req, "Expires"),
                    query(req, "Signature"));
        } catch (ApiException e) {
            send(res, requestId, error(e.code(), e.getMessage(), requestId));
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        res.header(HeaderNames.CONTENT_LENGTH, Long.toString(outgoing.sizeBytes()));
        res.header(SHA256_HEADER, "sha256:" + outgoing.sha256());
        res.header(HttpServer.REQUEST_ID, requestId);
        try (InputStream in = outgoing.body(); OutputStream out = res.outputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the client went away, or a chunk could not be read: the length or digest check fails on its side
            LOG.warn("download {} of {} ended early: {}", requestId, outgoing.imageId(), e.toString());
        }
    }

    private static String query(ServerRequest req, String name) {
        return req.query().first(name).orElse(null);
    }

    private static ObjectNode error(String code, String message, String requestId) {
        ObjectNode response = Json.STRICT.createObjectNode();
        response.putObject("Error").put("Code", code).put("Message", message);
        return response.put("RequestId", requestId);
    }

    private static void send(ServerResponse res, String requestId, ObjectNode response) {
        ObjectNode envelope = Json.STRICT.createObjectNode();
        envelope.set("Response", response);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HttpServer.REQUEST_ID, requestId);
        try {
            res.send(Json.STRICT.writeValueAsBytes(envelope));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
