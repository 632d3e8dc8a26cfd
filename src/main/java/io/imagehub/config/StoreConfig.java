package io.imagehub.config;

import io.imagehub.blob.ChunkStore;
import io.imagehub.blob.DirectoryChunkStore;
import io.imagehub.blob.S3ChunkStore;
import io.imagehub.blob.S3Retries;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A blob store as configured: {@code type} "dir" with a {@code path}, or "s3" with an endpoint, signing region,
 * keys, bucket and key prefix, and optionally how it retries failed calls ({@code retry}, null: the defaults of
 * {@link S3Retries}). Used for the regions' chunk stores and for export targets.
 */
public record StoreConfig(String type, String path, String endpoint, String region, String accessKey,
                          String secretKey, String bucket, String prefix, S3Retries retry) {

    public static final String DIR = "dir";
    public static final String S3 = "s3";

    /** An S3 store (or a directory) with the default retries. */
    public StoreConfig(String type, String path, String endpoint, String region, String accessKey,
                       String secretKey, String bucket, String prefix) {
        this(type, path, endpoint, region, accessKey, secretKey, bucket, prefix, null);
    }

    public static StoreConfig directory(Path path) {
        return new StoreConfig(DIR, path.toString(), null, null, null, null, null, null);
    }

    public boolean isDirectory() {
        return DIR.equals(type);
    }

    /** Opens the chunk store this describes; a relative directory path is taken relative to {@code dataDir}. */
    public ChunkStore openChunkStore(Path dataDir) throws IOException {
        if (isDirectory()) {
            return new DirectoryChunkStore(directoryPath(dataDir));
        }
        if (S3.equals(type)) {
            return S3ChunkStore.connect(URI.create(require(endpoint, "endpoint")),
                    region == null ? "us-east-1" : region, require(accessKey, "accessKey"),
                    require(secretKey, "secretKey"), require(bucket, "bucket"), prefix == null ? "" : prefix,
                    retry == null ? S3Retries.DEFAULT : retry);
        }
        throw new IllegalArgumentException("store type must be \"dir\" or \"s3\", not " + type);
    }

    /** Where the store keeps its chunks, for people: a directory or an S3 location, never its keys. */
    public String location(Path dataDir) {
        if (isDirectory()) {
            return directoryPath(dataDir).toAbsolutePath().toString();
        }
        return "s3 " + endpoint + " bucket " + bucket + (prefix == null || prefix.isEmpty() ? "" : " prefix " + prefix);
    }

    public Path directoryPath(Path dataDir) {
        return dataDir.resolve(require(path, "path"));
    }

    private String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a store of type " + type + " needs `" + name + "`");
        }
        return value;
    }
}
