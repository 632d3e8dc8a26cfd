package io.imagehub.app;

import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.Manifest;
import io.imagehub.config.RegionConfig;
import io.imagehub.domain.Image;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.ImageState;
import io.imagehub.domain.Lineage;
import io.imagehub.domain.Transactions;
import io.imagehub.formats.DiskFormat;
import io.imagehub.formats.TinyQcow2;
import io.imagehub.formats.UnsafeImageException;
import io.imagehub.jobs.ImageIngest;
import io.imagehub.jobs.ImageIngest.Ingested;
import io.imagehub.store.StoreException;
import io.imagehub.api.Tc3Signer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The official images every region offers. Their bytes are real disks (a small disk with a boot signature, as a
 * RAW file and as a sparse QCOW2 written by {@link TinyQcow2}), stored through the same ingest as imports, so that
 * launching, copying, exporting and verifying them exercises the same paths as custom images. Seeding is
 * idempotent: ids are derived from region and name.
 */
final class PublicImages {
    private record Official(String name, String osName, String platform, DiskFormat format) {
    }

    private static final List<Official> CATALOGUE = List.of(
            new Official("TencentOS Server 3.1 (TK4)", "TencentOS Server 3.1 (TK4)", "TencentOS", DiskFormat.RAW),
            new Official("Ubuntu Server 22.04 LTS 64bit", "Ubuntu Server 22.04 LTS 64bit", "Ubuntu", DiskFormat.QCOW2));
    private static final int DISK_BYTES = 2 * 1024 * 1024;
    /** The QCOW2's virtual disk: sparse, most of it unallocated, as a cloud image is. */
    private static final long QCOW2_VIRTUAL_BYTES = 8L << 30;
    private static final Instant RELEASED = Instant.parse("2024-01-01T00:00:00Z");

    private PublicImages() {
    }

    static void seed(Transactions transactions, List<RegionConfig> regions, Function<String, ChunkStore> storeOfRegion) {
        for (RegionConfig region : regions) {
            for (Official official : CATALOGUE) {
                String id = "img-" + Tc3Signer.sha256Hex((region.region() + "/" + official.name())
                        .getBytes(StandardCharsets.UTF_8)).substring(0, 8);
                if (transactions.run(uow -> uow.images().find(id)).isPresent()) {
                    continue;
                }
                Ingested disk = write(official, storeOfRegion.apply(region.region()));
                Manifest manifest = disk.manifest();
                Image image = new Image(id, region.region(), null, true, official.name(), official.osName(),
                        ImageState.NORMAL, Image.SOURCE_OFFICIAL, official.osName(), official.platform(), "x86_64",
                        "TencentCloud", "Legacy BIOS", null, false, manifest.size(), manifest.sha256(), 100,
                        Lineage.official(), RELEASED, Map.of(), disk.disk().format().id(),
                        disk.disk().virtualSizeBytes(), null);
                try {
                    transactions.run(uow -> {
                        uow.images().insert(image);
                        uow.images().completeData(id, ImageState.NORMAL, manifest.size(), manifest.sha256(),
                                ImageData.toJson(manifest));
                        return null;
                    });
                } catch (StoreException e) {
                    if (!e.isUniqueViolation()) { // another node seeded it first
                        throw e;
                    }
                }
            }
        }
    }

    private static Ingested write(Official official, ChunkStore store) {
        byte[] disk = new byte[DISK_BYTES];
        new Random(official.name().hashCode()).nextBytes(disk);
        disk[510] = 0x55; // MBR boot signature
        disk[511] = (byte) 0xAA;
        byte[] file = official.format() == DiskFormat.QCOW2 ? TinyQcow2.of(disk, QCOW2_VIRTUAL_BYTES) : disk;
        try {
            return new ImageIngest(QCOW2_VIRTUAL_BYTES).ingest(new ByteArrayInputStream(file), store, bytes -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UnsafeImageException e) {
            throw new IllegalStateException("a seeded public image fails inspection: " + e.getMessage(), e);
        }
    }
}
