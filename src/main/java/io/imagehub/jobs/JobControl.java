package io.imagehub.jobs;

/** What a running job may tell the runner. */
public interface JobControl {
    /**
     * Saves progress and renews the lease; throws {@link LeaseLostException} when another node has taken the job
     * over, so that the two never both finish it.
     */
    void progress(String progress);
}
