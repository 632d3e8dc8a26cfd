package io.imagehub.jobs;

import io.imagehub.domain.InstanceService;
import io.imagehub.domain.InstanceService.Ticket;
import io.imagehub.domain.JobRepository.Job;

/**
 * Ends an instance operation after its short delay: PENDING, STARTING, REBOOTING become RUNNING, STOPPING becomes
 * STOPPED, TERMINATING instances are removed, a reinstall finishes. Idempotent: the domain applies a ticket only to
 * instances whose latest operation is still the ticket's.
 */
public final class InstanceTransitionJob implements JobHandler {
    private final InstanceService instances;

    public InstanceTransitionJob(InstanceService instances) {
        this.instances = instances;
    }

    @Override
    public void run(Job job, JobControl control) {
        instances.completeOperation(Ticket.fromJson(job.payload()));
    }

    @Override
    public void giveUp(Job job, String error) {
        instances.failOperation(Ticket.fromJson(job.payload()));
    }
}
