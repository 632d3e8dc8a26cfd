package io.imagehub.jobs;

import io.imagehub.blob.Manifest;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.InstanceService;
import io.imagehub.domain.InstanceService.Ticket;
import io.imagehub.domain.JobRepository.Job;

/**
 * Finishes CreateImage: the new image already holds the instance's disk manifest (no bytes are copied), so it
 * becomes NORMAL with that manifest's size and digest; then the instance's CreateImage operation ends (a forced
 * power-off reaches STOPPED). Rerunnable: both steps are idempotent.
 */
public final class CreateImageJob implements JobHandler {
    private final ImageData images;
    private final InstanceService instances;

    public CreateImageJob(ImageData images, InstanceService instances) {
        this.images = images;
        this.instances = instances;
    }

    @Override
    public void run(Job job, JobControl control) {
        Manifest disk = images.manifest(job.imageId());
        if (disk == null) {
            giveUp(job, "the instance disk manifest is missing");
            return;
        }
        images.completeData(job.imageId(), disk);
        instances.completeOperation(Ticket.fromJson(job.payload()));
    }

    @Override
    public void giveUp(Job job, String error) {
        images.failData(job.imageId(), error);
        instances.failOperation(Ticket.fromJson(job.payload()));
    }
}
