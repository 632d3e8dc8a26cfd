package io.imagehub.backup;

import io.imagehub.blob.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.stream.Stream;

/** File chores of backups and restores: digests, forcing to disk, atomic writes, empty targets. */
final class BackupFiles {
    private BackupFiles() {
    }

    static String sha256Hex(byte[] data) {
        return Sha256.of(data, data.length);
    }

    static String sha256Hex(Path file) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Sha256.hex(digest);
    }

    static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Makes a directory's entries durable; best effort where a directory cannot be opened (not Linux). */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the entries are written; only their durability is up to the OS
        }
    }

    /** Writes {@code data} under {@code file}'s name only once it is on disk: a reader sees all of it or nothing. */
    static void writeDurably(Path file, byte[] data) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, data);
        force(temp);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(file.getParent());
    }

    /** True if {@code dir} does not exist or is an empty directory. */
    static boolean isAbsentOrEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    /** Removes what a failed backup or restore wrote: {@code dir} itself if it created it, else its contents. */
    static void undo(Path dir, boolean created) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                if (created || !p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
