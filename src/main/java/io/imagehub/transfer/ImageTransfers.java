package io.imagehub.transfer;

import io.imagehub.blob.ChunkStores;
import io.imagehub.blob.ChunkedImageReader;
import io.imagehub.blob.Manifest;
import io.imagehub.domain.ApiException;
import io.imagehub.domain.ErrorCodes;
import io.imagehub.domain.Image;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.ImageData.PendingUpload;
import io.imagehub.domain.ImagePolicy;
import io.imagehub.domain.ImageState;
import io.imagehub.domain.Transactions;
import io.imagehub.domain.TransferTokens;
import io.imagehub.domain.TransferTokens.Direction;
import io.imagehub.jobs.BoundedInputStream;
import io.imagehub.jobs.ImageIngest;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes behind signed transfer URLs (docs/adr/0012-uploads.md), independent of the HTTP server: an upload's
 * body goes through {@link ImageIngest} (the import's own path) into the image's region store, and a download
 * streams an owned image's chunks back. Every refusal is an {@link ApiException} with a Tencent error code.
 */
public final class ImageTransfers {
    private final TransferTokens tokens;
    private final ImageData images;
    private final Transactions transactions;
    private final ImageIngest ingest;
    private final ChunkStores stores;
    /** Uploads receiving bytes on this node: a second body for the same image waits for the first to end. */
    private final Set<String> receiving = ConcurrentHashMap.newKeySet();

    private final Counter uploadedBytes;

    public ImageTransfers(TransferTokens tokens, ImageData images, Transactions transactions, ImageIngest ingest,
                          ChunkStores stores, Counter uploadedBytes) {
        this.tokens = tokens;
        this.images = images;
        this.transactions = transactions;
        this.ingest = ingest;
        this.stores = stores;
        this.uploadedBytes = uploadedBytes;
    }

    /** What an upload made: the image, now NORMAL, and its digest and size. */
    public record Received(String imageId, String sha256, long sizeBytes) {
    }

    /**
     * Receives an upload's whole body ({@code contentLength} negative: not announced). A body that breaks off or
     * has the wrong length changes nothing: the upload stays open until it expires, so it can be sent again (chunks
     * already stored are not written twice).
     */
    public Received receive(String imageId, String expires, String signature, long contentLength, InputStream body) {
        tokens.verify(imageId, Direction.UPLOAD, expires, signature);
        PendingUpload upload = images.pendingUpload(imageId).orElseThrow(() -> new ApiException(
                ErrorCodes.INVALID_IMAGE_STATE, "The image `" + imageId + "` has no upload under way: it was "
                + "completed, expired or deleted."));
        if (contentLength >= 0 && contentLength != upload.sizeBytes()) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE, "The body has " + contentLength
                    + " bytes; the upload was opened for " + upload.sizeBytes() + ".");
        }
        if (!receiving.add(imageId)) {
            throw new ApiException(ErrorCodes.UNSUPPORTED_OPERATION, "The image `" + imageId
                    + "` is receiving its bytes already; send them again when that upload has ended.");
        }
        try {
            ImageIngest.Ingested ingested = ingest.ingest(new BoundedInputStream(body, upload.sizeBytes(),
                    "the body is longer than the " + upload.sizeBytes() + " bytes announced"),
                    stores.forRegion(upload.region()), bytes -> { });
            Manifest manifest = ingested.manifest();
            if (manifest.size() != upload.sizeBytes()) {
                throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE, "The upload was not accepted: the file was "
                        + "truncated: " + manifest.size() + " of " + upload.sizeBytes() + " bytes; send the file again.");
            }
            if (!images.completeUpload(imageId, upload.jobId(), manifest, ingested.disk().format().id(),
                    ingested.disk().virtualSizeBytes())) {
                throw new ApiException(ErrorCodes.INVALID_IMAGE_STATE, "The upload of `" + imageId
                        + "` expired or its image was deleted while the bytes arrived.");
            }
            uploadedBytes.increment(manifest.size());
            return new Received(imageId, manifest.sha256(), manifest.size());
        } catch (io.imagehub.formats.UnsafeImageException e) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE, "The upload was not accepted: " + e.getMessage());
        } catch (IOException e) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE, "The upload broke off (" + e.getMessage()
                    + "); send the file again.");
        } finally {
            receiving.remove(imageId);
        }
    }

    /** An owned image's bytes, to be sent with its digest and length. */
    public record Outgoing(String imageId, String sha256, long sizeBytes, InputStream body) {
    }

    public Outgoing send(String imageId, String expires, String signature) {
        tokens.verify(imageId, Direction.DOWNLOAD, expires, signature);
        Image image = transactions.run(uow -> uow.images().find(imageId)).orElseThrow(() -> ImagePolicy.notFound(imageId));
        Manifest manifest = images.manifest(imageId);
        if (image.state() != ImageState.NORMAL || manifest == null) {
            throw new ApiException(ErrorCodes.INVALID_IMAGE_STATE, "The image `" + imageId + "` is not NORMAL.");
        }
        return new Outgoing(imageId, manifest.sha256(), manifest.size(),
                ChunkedImageReader.open(manifest, stores.forRegion(image.region())));
    }
}
