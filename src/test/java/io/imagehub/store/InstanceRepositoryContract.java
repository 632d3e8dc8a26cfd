package io.imagehub.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagehub.domain.Ids;
import io.imagehub.domain.Image;
import io.imagehub.domain.ImageState;
import io.imagehub.domain.Instance;
import io.imagehub.domain.InstanceQuery;
import io.imagehub.domain.InstanceState;
import io.imagehub.domain.JobRepository.Job;
import io.imagehub.domain.Page;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the instance store must do on H2 and PostgreSQL alike (run as a nested suite of both repository tests):
 * the V4 migration, creation order, filters, the disk manifest, client tokens and delayed jobs.
 */
abstract class InstanceRepositoryContract extends StoreContract {
    private Instance launch(String name, String zone, String manifest) {
        Instance instance = new Instance(Ids.instanceId(), "uuid-" + name, owner, REGION, zone, "S5.MEDIUM2", 2, 2, name,
                InstanceState.PENDING, "img-aaaaaaaa", null, "CentOS 7", "CentOS", "x86_64", "TencentCloud",
                "Legacy BIOS", Ids.diskId(), "CLOUD_PREMIUM", 50, "10.0.0.2", "RunInstances", Instance.OPERATING,
                "req-1", T0);
        tx.run(uow -> {
            uow.instances().insert(instance, manifest);
            return null;
        });
        return instance;
    }

    private Page<Instance> search(List<String> zones, List<String> names, List<InstanceState> states, int offset,
                                  int limit) {
        return tx.run(uow -> uow.instances().search(new InstanceQuery(owner, REGION, List.of(), zones, names, states,
                offset, limit)));
    }

    @Test
    void anInstanceRoundTripsAndKeepsItsDiskManifest() {
        Instance stored = launch("web", "ap-guangzhou-3", "{\"chunks\":[\"ab\"],\"size\":1,\"sha256\":\"cd\"}");
        assertThat(tx.<Optional<Instance>>run(uow -> uow.instances().find(stored.instanceId()))).contains(stored);
        assertThat(tx.<String>run(uow -> uow.instances().diskManifest(stored.instanceId())))
                .isEqualTo("{\"chunks\":[\"ab\"],\"size\":1,\"sha256\":\"cd\"}");
        assertThat(tx.<Integer>run(uow -> uow.instances().countOwned(owner, REGION))).isEqualTo(1);
    }

    @Test
    void searchKeepsCreationOrderAndFiltersByZoneNameAndState() {
        // same creation time: the order is still the order of insertion
        Instance a = launch("app_1", "ap-guangzhou-3", "{}");
        Instance b = launch("appX1", "ap-guangzhou-4", "{}");
        Instance c = launch("db", "ap-guangzhou-3", "{}");
        tx.run(uow -> {
            uow.instances().updateState(c.instanceId(), InstanceState.RUNNING);
            return null;
        });
        assertThat(search(List.of(), List.of(), List.of(), 0, 10).items()).extracting(Instance::instanceId)
                .containsExactly(a.instanceId(), b.instanceId(), c.instanceId());
        assertThat(search(List.of(), List.of(), List.of(), 1, 1).items()).extracting(Instance::instanceId)
                .containsExactly(b.instanceId());
        assertThat(search(List.of("ap-guangzhou-3"), List.of(), List.of(), 0, 10).totalCount()).isEqualTo(2);
        assertThat(search(List.of(), List.of("p_1"), List.of(), 0, 10).items()).extracting(Instance::instanceId)
                .as("_ is a literal, not a wildcard").containsExactly(a.instanceId());
        assertThat(search(List.of(), List.of(), List.of(InstanceState.RUNNING), 0, 10).items())
                .extracting(Instance::instanceId).containsExactly(c.instanceId());
    }

    @Test
    void aReinstallReplacesImageAndDiskAndTheOperationIsRecorded() {
        Instance stored = launch("web", "ap-guangzhou-3", "{\"old\":1}");
        Image image = new Image("img-bbbbbbbb", REGION, owner, false, "other", "", ImageState.NORMAL,
                Image.SOURCE_IMPORT, "Ubuntu 22.04", "Ubuntu", "x86_64", "TencentCloud", "UEFI", null, false, 1, "ab",
                100, "{}", T0, Map.of());
        tx.run(uow -> {
            uow.instances().replaceDisk(stored.instanceId(), image, 60, "{\"new\":1}");
            uow.instances().updateOperation(stored.instanceId(), "ResetInstance", Instance.SUCCESS, "req-2");
            return null;
        });
        Instance after = tx.run(uow -> uow.instances().findForUpdate(List.of(stored.instanceId()))).get(0);
        assertThat(after.imageId()).isEqualTo("img-bbbbbbbb");
        assertThat(after.imageOwnerId()).isEqualTo(owner);
        assertThat(after.osName()).isEqualTo("Ubuntu 22.04");
        assertThat(after.diskSizeGiB()).isEqualTo(60);
        assertThat(after.latestOperation() + "/" + after.latestOperationState() + "/" + after.latestOperationRequestId())
                .isEqualTo("ResetInstance/SUCCESS/req-2");
        assertThat(tx.<String>run(uow -> uow.instances().diskManifest(stored.instanceId()))).isEqualTo("{\"new\":1}");
        tx.run(uow -> {
            uow.instances().delete(stored.instanceId());
            return null;
        });
        assertThat(tx.<Optional<Instance>>run(uow -> uow.instances().find(stored.instanceId()))).isEmpty();
    }

    @Test
    void aClientTokenRemembersItsInstancesPerAccountAndRegion() {
        tx.run(uow -> {
            uow.instances().saveClientToken(owner, REGION, "t-1", List.of("ins-aaaaaaaa", "ins-bbbbbbbb"), T0);
            return null;
        });
        assertThat(tx.<Optional<List<String>>>run(uow -> uow.instances().findClientToken(owner, REGION, "t-1")))
                .contains(List.of("ins-aaaaaaaa", "ins-bbbbbbbb"));
        assertThat(tx.<Optional<List<String>>>run(uow -> uow.instances().findClientToken(owner, "ap-shanghai", "t-1"))).isEmpty();
    }

    @Test
    void aDelayedJobIsNotClaimedBeforeItsTime() {
        tx.run(uow -> uow.jobs().enqueueAfter("instance-transition", null, "{}", T0, T0.plusSeconds(5)));
        assertThat(tx.<Optional<Job>>run(uow -> uow.jobs().claim("A", T0.plusSeconds(4), T0.plusSeconds(34)))).isEmpty();
        assertThat(tx.<Optional<Job>>run(uow -> uow.jobs().claim("A", T0.plusSeconds(5), T0.plusSeconds(35))))
                .hasValueSatisfying(job -> assertThat(job.kind()).isEqualTo("instance-transition"));
    }
}
