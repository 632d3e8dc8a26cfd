package io.imagehub.jobs;

import io.imagehub.domain.ImageService;
import io.imagehub.domain.ImageService.ShareExpiry;
import io.imagehub.domain.JobRepository.Job;
import java.util.function.Consumer;

/**
 * The two jobs a share with an ImagehubExpireTime queues in its transaction, run on whichever node claims them:
 * the notice a notice period before ({@link ImageService#noticeExpiring}) and the end itself
 * ({@link ImageService#expireShare}). Idempotent: a share already ended, re-shared with another expiry, or whose
 * image is gone, is left as it is.
 */
public final class ShareExpiryJob implements JobHandler {
    private final Consumer<ShareExpiry> step;

    private ShareExpiryJob(Consumer<ShareExpiry> step) {
        this.step = step;
    }

    public static ShareExpiryJob ending(ImageService images) {
        return new ShareExpiryJob(images::expireShare);
    }

    public static ShareExpiryJob notice(ImageService images) {
        return new ShareExpiryJob(images::noticeExpiring);
    }

    @Override
    public void run(Job job, JobControl control) {
        step.accept(ShareExpiry.fromJson(job.payload()));
    }

    /** Nothing is half-done: a share past its expiry stays refused to launches until its image is touched. */
    @Override
    public void giveUp(Job job, String error) {
    }
}
