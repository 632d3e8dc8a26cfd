package io.imagehub.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Instances in the metadata store. Bound to one transaction. */
public interface InstanceRepository {
    /** Stores a new instance whose system disk is {@code diskManifestJson} (an image's chunk manifest). */
    void insert(Instance instance, String diskManifestJson);

    Optional<Instance> find(String instanceId);

    /** Finds and locks the instance rows, in id order (a fixed lock order: no deadlock between two batches). */
    List<Instance> findForUpdate(Collection<String> instanceIds);

    /** Instances of the account in the region, in any state: what the instance quota counts. */
    int countOwned(String ownerId, String region);

    Page<Instance> search(InstanceQuery query);

    void updateState(String instanceId, InstanceState state);

    /** Records an operation on the instance: its name, OPERATING/SUCCESS/FAILED, and the RequestId that began it. */
    void updateOperation(String instanceId, String operation, String operationState, String requestId);

    /** Reinstall: the disk becomes a clone of another image. */
    void replaceDisk(String instanceId, Image image, int diskSizeGiB, String diskManifestJson);

    /** The system disk's chunk manifest as JSON: the chunks this instance keeps alive. */
    String diskManifest(String instanceId);

    /** The format and virtual size of the image the instance's disk was last cloned from. */
    record DiskOrigin(String diskFormat, long virtualSizeBytes) {
    }

    /** Records the format and virtual size of the image the disk was just cloned from (launch, reset). */
    void recordDiskOrigin(String instanceId, DiskOrigin origin);

    DiskOrigin diskOrigin(String instanceId);

    void delete(String instanceId);

    /** The instance ids a RunInstances with this ClientToken created, or empty if the token is new. */
    Optional<List<String>> findClientToken(String ownerId, String region, String clientToken);

    void saveClientToken(String ownerId, String region, String clientToken, List<String> instanceIds, Instant now);
}
