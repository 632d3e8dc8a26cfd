package io.imagehub.jobs;

import io.imagehub.domain.ImageService;
import io.imagehub.domain.ImageService.ShareExpiry;
import io.imagehub.domain.JobRepository.Job;

/**
 * Ends a share at its ImagehubExpireTime: queued by the share's transaction to run then, on whichever node claims it.
 * Idempotent: a share already ended, re-shared with another expiry, or whose image is gone, is left as it is.
 */
public final class ShareExpiryJob implements JobHandler {
    private final ImageService images;

    public ShareExpiryJob(ImageService images) {
        this.images = images;
    }

    @Override
    public void run(Job job, JobControl control) {
        images.expireShare(ShareExpiry.fromJson(job.payload()));
    }

    /** Nothing is half-done: the share stays refused to launches (it is past its expiry) until its image is touched. */
    @Override
    public void giveUp(Job job, String error) {
    }
}
