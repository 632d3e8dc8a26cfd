package io.imagehub.jobs;

/**
 * Thrown by a handler whose job cannot succeed however often it runs (an import whose URL answers 404 or whose file
 * is refused): the runner fails it at once, without retries, through the handler's {@link JobHandler#giveUp}.
 */
public final class JobFailedException extends Exception {
    public JobFailedException(String reason) {
        super(reason, null, false, false);
    }
}
