package io.imagehub.jobs;

import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkStoreException;
import io.imagehub.blob.Manifest;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.JobRepository.Job;
import io.imagehub.domain.OutboundTarget;
import io.imagehub.domain.OutboundUrlPolicy;
import io.imagehub.domain.OutboundUrlRefused;
import io.imagehub.outbound.OutboundHttp;
import io.imagehub.formats.UnsafeImageException;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * Fetches an image file from its URL into the region's chunk store and marks the image NORMAL with its digest, or
 * IMPORTFAILED. The URL is checked by the outbound URL policy again when the job runs (a host name may resolve
 * differently than when the import was asked for) and fetched from the addresses that check allowed. Redirects are
 * not followed (docs/adr/0011-outbound-url-policy.md). A download that stalls longer than the read timeout, breaks
 * off, or delivers fewer bytes than announced fails the import. A chunk store that still fails after its own retries
 * fails only this attempt: the job runs again, and the import fails with the store's error after the last attempt.
 * A rerun after a crash downloads again but writes only the chunks that are missing.
 */
public final class ImportJob implements JobHandler {
    private final ImageData images;
    private final Function<String, ChunkStore> storeOfImage;
    private final ImageIngest ingest;
    private final long maxImageBytes;
    private final OutboundUrlPolicy policy;
    private final OutboundHttp http;
    private final Counter importedBytes;

    public ImportJob(ImageData images, Function<String, ChunkStore> storeOfImage, ImageIngest ingest,
                     long maxImageBytes, OutboundUrlPolicy policy, OutboundHttp http, Counter importedBytes) {
        this.images = images;
        this.storeOfImage = storeOfImage;
        this.ingest = ingest;
        this.maxImageBytes = maxImageBytes;
        this.policy = policy;
        this.http = http;
        this.importedBytes = importedBytes;
    }

    @Override
    public void run(Job job, JobControl control) throws IOException, JobFailedException {
        OutboundTarget target;
        try {
            target = policy.check(job.payload());
        } catch (OutboundUrlRefused e) {
            throw new JobFailedException("the image URL was refused: " + e.getMessage());
        }
        OutboundHttp.Response response;
        try {
            response = http.get(target);
        } catch (IOException e) {
            throw new JobFailedException("the image URL could not be fetched: " + e.getMessage());
        }
        try (response) {
            if (response.status() != 200) {
                throw new JobFailedException("the image URL answered HTTP " + response.status());
            }
            long declared = response.contentLength();
            if (declared > maxImageBytes) {
                throw new JobFailedException("the image file is larger than " + maxImageBytes + " bytes");
            }
            ImageIngest.Ingested ingested;
            try (InputStream body = new BoundedInputStream(response.body(), maxImageBytes,
                    "the image file is larger than " + maxImageBytes + " bytes")) {
                int[] shownPercent = {0};
                ingested = ingest.ingest(body, storeOfImage.apply(job.imageId()), bytes -> {
                    control.progress("{\"bytes\":" + bytes + "}");
                    // SyncPercent while IMPORTING, when the length is known (what the console's bars show)
                    int percent = declared > 0 ? (int) (bytes * 100 / declared) : 0;
                    if (percent > shownPercent[0] && percent < 100) {
                        shownPercent[0] = percent;
                        images.syncProgress(job.imageId(), percent);
                    }
                });
            } catch (UnsafeImageException e) {
                throw new JobFailedException("the image file is refused: " + e.getMessage());
            } catch (BoundedInputStream.TooLongException e) {
                throw new JobFailedException(e.getMessage());
            } catch (ChunkStoreException e) {
                throw e; // not the download's fault: the job runs again, and fails with this reason if it keeps failing
            } catch (IOException e) {
                throw new JobFailedException("the download broke off: " + e.getMessage());
            }
            Manifest manifest = ingested.manifest();
            if (declared >= 0 && manifest.size() != declared) {
                throw new JobFailedException("the download was truncated: " + manifest.size() + " of " + declared + " bytes");
            }
            images.completeData(job.imageId(), manifest, ingested.disk().format().id(),
                    ingested.disk().virtualSizeBytes());
            importedBytes.increment(manifest.size());
        }
    }

    @Override
    public void giveUp(Job job, String error) {
        images.failData(job.imageId(), error);
    }
}
