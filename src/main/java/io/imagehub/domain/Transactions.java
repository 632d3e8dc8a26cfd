package io.imagehub.domain;

import java.util.function.Function;

/** Runs domain work in one transaction of the metadata store: all of it commits, or none. */
public interface Transactions {
    <T> T run(Function<UnitOfWork, T> work);

    /** The repositories, all bound to the same transaction. */
    interface UnitOfWork {
        ImageRepository images();

        ShareRepository shares();

        AccountRepository accounts();

        AuditLog audit();

        JobRepository jobs();

        InstanceRepository instances();

        WebhookRepository webhooks();
    }
}
