package io.imagehub.jobs;

import io.imagehub.blob.ChunkStores;
import io.imagehub.blob.ChunkedImageReader;
import io.imagehub.blob.Manifest;
import io.imagehub.domain.DataPlaneService;
import io.imagehub.domain.DataPlaneService.ExportFile;
import io.imagehub.domain.DataPlaneService.ExportPayload;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.JobRepository.Job;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes exported images (their stored bytes, RAW) into an export target directory. Each file is written under a
 * temporary name, forced to disk, read back and checked against the image's SHA-256, and only then renamed to its
 * final name: a reader of the target never sees a partial or wrong file under an exported name.
 */
public final class ExportJob implements JobHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);
    private static final int BUFFER_BYTES = 1 << 20;

    private final ImageData images;
    private final ChunkStores stores;
    private final Map<String, Path> targets;

    public ExportJob(ImageData images, ChunkStores stores, Map<String, Path> targets) {
        this.images = images;
        this.stores = stores;
        this.targets = Map.copyOf(targets);
    }

    @Override
    public void run(Job job, JobControl control) throws IOException {
        ExportPayload payload = DataPlaneService.parse(job.payload(), ExportPayload.class);
        Path root = targets.get(payload.bucket());
        if (root == null) {
            throw new IOException("the export target `" + payload.bucket() + "` is no longer configured");
        }
        Files.createDirectories(root);
        for (ExportFile file : payload.files()) {
            Manifest manifest = images.manifest(file.imageId());
            if (manifest == null) {
                throw new IOException("the image " + file.imageId() + " has no bytes (deleted?)");
            }
            export(manifest, file, root, control);
        }
    }

    private void export(Manifest manifest, ExportFile file, Path root, JobControl control) throws IOException {
        Path target = root.resolve(file.path().substring(1));
        Path temp = Files.createTempFile(root, ".export-", ".tmp");
        try {
            try (InputStream in = ChunkedImageReader.open(manifest, stores.forRegion(file.region()));
                 FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                long written = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    written += n;
                    control.progress("{\"image\":\"" + file.imageId() + "\",\"bytes\":" + written + "}");
                }
                out.force(true);
            }
            String digest = sha256Of(temp);
            if (!digest.equals(manifest.sha256())) {
                throw new IOException("the exported file of " + file.imageId() + " has SHA-256 " + digest
                        + ", not the image's " + manifest.sha256());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(root);
        } finally {
            Files.deleteIfExists(temp);
        }
        LOG.info("exported {} to {}", file.imageId(), target);
    }

    /** Reads the file back from disk: what is verified is what was written, not what was meant to be. */
    private static String sha256Of(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // best effort, as in DirectoryChunkStore: the rename is atomic either way
        }
    }

    @Override
    public void giveUp(Job job, String error) {
        LOG.error("export task {} failed for good: {}", job.jobId(), error);
    }
}
