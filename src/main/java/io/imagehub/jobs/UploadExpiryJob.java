package io.imagehub.jobs;

import io.imagehub.domain.ImageData;
import io.imagehub.domain.JobRepository.Job;

/**
 * An upload's job, due when the upload expires: an image still IMPORTING then fails, and its job stops holding
 * back garbage collection, which then removes whatever chunks the unfinished upload wrote (docs/adr/0012). A
 * completed upload finishes its job itself, so this runs only for uploads that never completed, crash or not.
 */
public final class UploadExpiryJob implements JobHandler {
    private final ImageData images;

    public UploadExpiryJob(ImageData images) {
        this.images = images;
    }

    @Override
    public void run(Job job, JobControl control) {
        images.expireUpload(job.imageId());
    }

    @Override
    public void giveUp(Job job, String error) {
        images.failData(job.imageId(), error);
    }
}
