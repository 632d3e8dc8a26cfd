package io.imagehub.jobs;

import io.imagehub.domain.JobRepository.Job;

/** Runs one kind of durable job. Must be safe to run again from the start after a crash (idempotent steps). */
public interface JobHandler {
    void run(Job job, JobControl control) throws Exception;

    /** Called once when the job has failed too often: leave its image in a failed state, not half-visible. */
    void giveUp(Job job, String error);
}
