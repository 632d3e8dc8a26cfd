package io.imagehub.jobs;

/** What a running job may tell the runner. */
public interface JobControl {
    /**
     * Reports progress (call it often: it is cheap); it is saved with each lease renewal. Throws
     * {@link LeaseLostException} when another node has taken the job over, so that the two never both finish it,
     * and an unchecked exception when this node is stopping.
     */
    void progress(String progress);
}
