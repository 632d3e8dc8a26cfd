package io.imagehub.jobs;

import io.imagehub.blob.ChunkStores;
import io.imagehub.blob.ChunkedImageReader;
import io.imagehub.blob.Manifest;
import io.imagehub.domain.DataPlaneService;
import io.imagehub.domain.DataPlaneService.ExportFile;
import io.imagehub.domain.DataPlaneService.ExportPayload;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.JobRepository.Job;
import io.imagehub.formats.DiskFormat;
import io.imagehub.formats.DiskInfo;
import io.imagehub.formats.DiskInspection;
import io.imagehub.formats.QemuImgConverter;
import io.imagehub.formats.UnsafeImageException;
import io.micrometer.core.instrument.Counter;
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
 * Writes exported images into an export target directory. The stored bytes are written under a temporary name,
 * forced to disk, read back and checked against the image's SHA-256. An export in the stored format is that file;
 * any other format is converted by {@code qemu-img} ({@link QemuImgConverter}) and the output inspected again
 * (the asked format, a disk at least as large, no failed safety check) before it is published. Only then is it
 * renamed to its final name: a reader of the target never sees a partial or wrong file under an exported name.
 * The published file's SHA-256 goes into the job's progress (the export's result) and the audit trail.
 */
public final class ExportJob implements JobHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);
    private static final int BUFFER_BYTES = 1 << 20;

    private final ImageData images;
    private final ChunkStores stores;
    private final Map<String, Path> targets;
    private final QemuImgConverter converter;
    private final long maxVirtualBytes;
    private final Counter exportedBytes;

    public ExportJob(ImageData images, ChunkStores stores, Map<String, Path> targets, QemuImgConverter converter,
                     long maxVirtualBytes, Counter exportedBytes) {
        this.images = images;
        this.stores = stores;
        this.targets = Map.copyOf(targets);
        this.converter = converter;
        this.maxVirtualBytes = maxVirtualBytes;
        this.exportedBytes = exportedBytes;
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
        DiskFormat stored = file.storedFormat() == null ? DiskFormat.RAW : DiskFormat.of(file.storedFormat());
        DiskFormat wanted = file.format() == null ? DiskFormat.RAW : DiskFormat.of(file.format());
        Path staged = Files.createTempFile(root, ".export-", ".tmp");
        Path converted = null;
        String digest;
        try {
            writeStored(manifest, file, staged, control);
            Path published = staged;
            digest = manifest.sha256();
            if (stored != wanted) {
                converted = Files.createTempFile(root, ".export-", ".tmp");
                converter.convert(staged, stored, converted, wanted);
                digest = inspectConverted(converted, wanted, file);
                force(converted);
                published = converted;
            }
            long bytes = Files.size(published);
            Files.move(published, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(root);
            exportedBytes.increment(bytes);
        } finally {
            Files.deleteIfExists(staged);
            if (converted != null) {
                Files.deleteIfExists(converted);
            }
        }
        control.progress("{\"image\":\"" + file.imageId() + "\",\"path\":\"" + file.path() + "\",\"format\":\""
                + wanted.id() + "\",\"sha256\":\"" + digest + "\"}");
        images.exported(file.imageId(), file.path() + " format=" + wanted.id() + " sha256:" + digest);
        LOG.info("exported {} to {} as {}", file.imageId(), target, wanted.id());
    }

    /** The stored bytes into {@code temp}, forced to disk and read back against the image's digest. */
    private void writeStored(Manifest manifest, ExportFile file, Path temp, JobControl control) throws IOException {
        try (InputStream in = ChunkedImageReader.open(manifest, stores.forRegion(file.region()));
             FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            long written = 0;
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                written += n;
                control.progress("{\"image\":\"" + file.imageId() + "\",\"bytes\":" + written + "}");
            }
            out.force(true);
        }
        String digest = readBack(temp, null).sha256();
        if (!digest.equals(manifest.sha256())) {
            throw new IOException("the exported file of " + file.imageId() + " has SHA-256 " + digest
                    + ", not the image's " + manifest.sha256());
        }
    }

    /** qemu-img's output, trusted no more than an upload: it must be the asked format and hold the whole disk. */
    private String inspectConverted(Path converted, DiskFormat wanted, ExportFile file) throws IOException {
        Read read = readBack(converted, new DiskInspection(maxVirtualBytes));
        DiskInfo disk;
        try {
            disk = read.inspection().finish();
        } catch (UnsafeImageException e) {
            throw new IOException("the " + wanted.id() + " export of " + file.imageId() + " is refused: "
                    + e.getMessage());
        }
        if (disk.format() != wanted || disk.virtualSizeBytes() < file.virtualSizeBytes()) {
            throw new IOException("the " + wanted.id() + " export of " + file.imageId() + " came out as a "
                    + disk.format().id() + " disk of " + disk.virtualSizeBytes() + " bytes, not of "
                    + file.virtualSizeBytes());
        }
        return read.sha256();
    }

    private record Read(String sha256, DiskInspection inspection) {
    }

    /** Reads a file back from disk (what is verified is what was written), inspecting it on the way if asked. */
    private static Read readBack(Path file, DiskInspection inspection) throws IOException {
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
                if (inspection != null) {
                    inspection.accept(buffer, 0, n);
                }
            }
        }
        return new Read(HexFormat.of().formatHex(digest.digest()), inspection);
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
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
