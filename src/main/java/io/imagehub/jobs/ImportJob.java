package io.imagehub.jobs;

import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkedImageWriter;
import io.imagehub.blob.Manifest;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.JobRepository.Job;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Fetches an image file from its (allow-listed) URL into the region's chunk store and marks the image NORMAL with
 * its digest, or IMPORTFAILED. Redirects are not followed: they could lead outside the allow-list. A rerun after a
 * crash downloads again but writes only the chunks that are missing.
 */
public final class ImportJob implements JobHandler {
    private static final long PROGRESS_EVERY_BYTES = 64L << 20;

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final ImageData images;
    private final Function<String, ChunkStore> storeOfImage;
    private final long maxImageBytes;

    public ImportJob(ImageData images, Function<String, ChunkStore> storeOfImage, long maxImageBytes) {
        this.images = images;
        this.storeOfImage = storeOfImage;
        this.maxImageBytes = maxImageBytes;
    }

    @Override
    public void run(Job job, JobControl control) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(job.payload())).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                images.failData(job.imageId(), "the image URL answered HTTP " + response.statusCode());
                return;
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxImageBytes) {
                images.failData(job.imageId(), "the image file is larger than " + maxImageBytes + " bytes");
                return;
            }
            Manifest manifest;
            try {
                manifest = ChunkedImageWriter.write(new Bounded(body, maxImageBytes), storeOfImage.apply(job.imageId()),
                        ChunkedImageWriter.DEFAULT_CHUNK_SIZE, progressEvery(control));
            } catch (TooLargeException e) {
                images.failData(job.imageId(), e.getMessage());
                return;
            } catch (IOException e) {
                images.failData(job.imageId(), "the download broke off: " + e.getMessage());
                return;
            }
            if (declared >= 0 && manifest.size() != declared) {
                images.failData(job.imageId(), "the download was truncated: " + manifest.size() + " of " + declared + " bytes");
                return;
            }
            images.completeData(job.imageId(), manifest);
        }
    }

    private static LongConsumer progressEvery(JobControl control) {
        long[] reported = {0};
        return bytes -> {
            if (bytes - reported[0] >= PROGRESS_EVERY_BYTES) {
                reported[0] = bytes;
                control.progress("{\"bytes\":" + bytes + "}");
            }
        };
    }

    @Override
    public void giveUp(Job job, String error) {
        images.failData(job.imageId(), error);
    }

    private static final class TooLargeException extends IOException {
        TooLargeException(long max) {
            super("the image file is larger than " + max + " bytes");
        }
    }

    /** Refuses to read past a bound, so a endless response cannot fill the disk. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private long count;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws TooLargeException {
            count += n;
            if (count > max) {
                throw new TooLargeException(max);
            }
        }
    }
}
