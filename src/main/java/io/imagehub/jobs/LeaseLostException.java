package io.imagehub.jobs;

public class LeaseLostException extends RuntimeException {
    public LeaseLostException(long jobId) {
        super("lease on job " + jobId + " was lost");
    }
}
