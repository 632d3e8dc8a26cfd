package io.imagehub.jobs;

import io.imagehub.blob.Manifest;
import io.imagehub.domain.ImageData;
import io.imagehub.domain.InstanceService;
import io.imagehub.domain.InstanceService.Ticket;
import io.imagehub.domain.JobRepository.Job;

/**
 * Finishes CreateImage: the instance's CreateImage operation ends (a forced power-off reaches STOPPED), then the new
 * image, which already holds the instance's disk manifest (no bytes are copied), becomes NORMAL with that manifest's
 * size and digest. In that order, a caller who sees the image NORMAL can use the instance at once; the instance may
 * change its disk before then without touching the image, whose manifest was taken when CreateImage was accepted.
 * Rerunnable: both steps are idempotent.
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
        instances.completeOperation(Ticket.fromJson(job.payload()));
        images.completeData(job.imageId(), disk);
    }

    @Override
    public void giveUp(Job job, String error) {
        images.failData(job.imageId(), error);
        instances.failOperation(Ticket.fromJson(job.payload()));
    }
}
