package io.imagehub.jobs;

import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.ChunkedImageWriter;
import io.imagehub.blob.Manifest;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.JobRepository.Job;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

/**
 * Fetches an image file from its (allow-listed) URL into the region's chunk store and marks the image NORMAL with
 * its digest, or IMPORTFAILED. Redirects are not followed: they could lead outside the allow-list. A download that
 * stalls longer than the read timeout, breaks off, or delivers fewer bytes than announced fails the import. A rerun
 * after a crash downloads again but writes only the chunks that are missing.
 */
public final class ImportJob implements JobHandler {
    private final ImageData images;
    private final Function<String, ChunkStore> storeOfImage;
    private final long maxImageBytes;
    private final Duration readTimeout;

    public ImportJob(ImageData images, Function<String, ChunkStore> storeOfImage, long maxImageBytes,
                     Duration readTimeout) {
        this.images = images;
        this.storeOfImage = storeOfImage;
        this.maxImageBytes = maxImageBytes;
        this.readTimeout = readTimeout;
    }

    @Override
    public void run(Job job, JobControl control) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(job.payload()).toURL().openConnection();
        connection.setInstanceFollowRedirects(false);
        connection.setConnectTimeout((int) Duration.ofSeconds(10).toMillis());
        connection.setReadTimeout((int) readTimeout.toMillis());
        try {
            int status;
            try {
                status = connection.getResponseCode();
            } catch (IOException e) {
                images.failData(job.imageId(), "the image URL could not be fetched: " + e.getMessage());
                return;
            }
            if (status != 200) {
                images.failData(job.imageId(), "the image URL answered HTTP " + status);
                return;
            }
            long declared = connection.getContentLengthLong();
            if (declared > maxImageBytes) {
                images.failData(job.imageId(), "the image file is larger than " + maxImageBytes + " bytes");
                return;
            }
            Manifest manifest;
            try (InputStream body = new Bounded(connection.getInputStream(), maxImageBytes)) {
                int[] shownPercent = {0};
                manifest = ChunkedImageWriter.write(body, storeOfImage.apply(job.imageId()),
                        ChunkedImageWriter.DEFAULT_CHUNK_SIZE, bytes -> {
                            control.progress("{\"bytes\":" + bytes + "}");
                            // SyncPercent while IMPORTING, when the length is known (what the console's bars show)
                            int percent = declared > 0 ? (int) (bytes * 100 / declared) : 0;
                            if (percent > shownPercent[0] && percent < 100) {
                                shownPercent[0] = percent;
                                images.syncProgress(job.imageId(), percent);
                            }
                        });
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
        } finally {
            connection.disconnect();
        }
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

    /** Refuses to read past a bound, so that an endless response cannot fill the disk. */
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
