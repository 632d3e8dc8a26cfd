package io.imagehub.backup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Puts chunk files into another directory store's layout: a hard link where source and target share a file system
 * (a chunk file is never changed once published, so the link is as good as a copy and costs nothing), else a copy
 * forced to disk. The directories it added entries to are forced once, at {@link #finish}.
 */
final class ChunkPlacer {
    enum Outcome { LINKED, COPIED, ALREADY_THERE, ABSENT }

    private final boolean copyOnly;
    private final Set<Path> touched = new LinkedHashSet<>();
    private boolean linksFail;
    private long linked;
    private long copied;

    /** {@code copyOnly}: never link (the target must not share its files' fate with the source). */
    ChunkPlacer(boolean copyOnly) {
        this.copyOnly = copyOnly;
    }

    Outcome place(Path source, Path target) throws IOException {
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            touched.add(dir.getParent().getParent());
            touched.add(dir.getParent());
        }
        touched.add(dir);
        if (!copyOnly && !linksFail) {
            try {
                Files.createLink(target, source);
                linked++;
                return Outcome.LINKED;
            } catch (NoSuchFileException e) {
                return Outcome.ABSENT;
            } catch (FileAlreadyExistsException e) {
                return Outcome.ALREADY_THERE;
            } catch (UnsupportedOperationException | FileSystemException e) {
                linksFail = true; // another file system (or none with links): copy from now on
            }
        }
        try {
            Files.copy(source, target);
        } catch (NoSuchFileException e) {
            return Outcome.ABSENT;
        } catch (FileAlreadyExistsException e) {
            return Outcome.ALREADY_THERE;
        }
        BackupFiles.force(target);
        copied++;
        return Outcome.COPIED;
    }

    /** Makes the new directory entries durable. */
    void finish() {
        touched.forEach(BackupFiles::forceDirectory);
        touched.clear();
    }

    long linked() {
        return linked;
    }

    long copied() {
        return copied;
    }
}
