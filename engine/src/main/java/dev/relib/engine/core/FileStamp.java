package dev.relib.engine.core;

import dev.relib.engine.loader.FileIdentities;
import dev.relib.engine.model.FileIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a file looked like: identity, size, modification time. A rebuild changes at least one
 * (cargo replaces the file: a new inode; an in-place write: a new size or time).
 */
record FileStamp(FileIdentity identity, long size, long modifiedNanos) {

    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(FileIdentities.of(file), attributes.size(),
                    attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            return new FileStamp(null, -1, -1);
        }
    }

    boolean changedSince(FileStamp earlier) {
        return !equals(earlier);
    }
}
