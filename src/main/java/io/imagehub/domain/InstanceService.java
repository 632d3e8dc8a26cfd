package io.imagehub.domain;

import io.imagehub.domain.InstanceRepository.DiskOrigin;
import static io.imagehub.domain.ErrorCodes.INSTANCE_ID_NOT_FOUND;
import static io.imagehub.domain.ErrorCodes.INSTANCE_OPERATION_IN_PROGRESS;
import static io.imagehub.domain.ErrorCodes.INSTANCE_QUOTA_EXCEEDED;
import static io.imagehub.domain.ErrorCodes.INVALID_PARAMETER_VALUE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.domain.Transactions.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The instance operations. Launch permission is the image rule of {@link ImagePolicy#requireMayLaunch}, with the
 * caller's relation computed exactly as for every image operation; changes are audited like image changes. Every
 * state change is a durable job that runs after a short delay, never a sleep in a request thread: the job completes
 * the operation only if it is still the one that queued it (same RequestId), so reruns are harmless.
 */
public final class InstanceService {
    public static final String JOB_INSTANCE_TRANSITION = "instance-transition";
    public static final String JOB_CREATE_IMAGE = "create-image";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GIB = 1L << 30;
    private static final int DEFAULT_DISK_GIB = 50;
    private static final Set<InstanceState> SETTLED = Set.of(InstanceState.RUNNING, InstanceState.STOPPED);

    private final Transactions transactions;
    private final ImageService images;
    private final Clock clock;
    private final int instanceQuota;
    private final Duration transitionDelay;

    public InstanceService(Transactions transactions, ImageService images, Clock clock, int instanceQuota,
                           Duration transitionDelay) {
        this.transactions = transactions;
        this.images = images;
        this.clock = clock;
        this.instanceQuota = instanceQuota;
        this.transitionDelay = transitionDelay;
    }

    /** What to launch, with zone and type already checked against the region's catalogue. */
    public record LaunchSpec(String imageId, String zone, String instanceType, int cpu, int memoryGiB,
                             List<String> names, String diskType, Integer diskSizeGiB, LoginSettings login) {
    }

    /** The payload of a transition job: which instances, and the request whose operation it completes. */
    public record Ticket(List<String> instanceIds, String requestId) {
        public String toJson() {
            try {
                return JSON.writeValueAsString(Map.of("InstanceIds", instanceIds, "RequestId", requestId));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        public static Ticket fromJson(String json) {
            try {
                var node = JSON.readTree(json);
                List<String> ids = new ArrayList<>();
                node.get("InstanceIds").forEach(id -> ids.add(id.asText()));
                return new Ticket(ids, node.get("RequestId").asText());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable instance job payload", e);
            }
        }
    }

    /**
     * RunInstances. A repeated ClientToken answers the instances of the first call and creates nothing. With
     * {@code dryRun} every check runs (permission, quota, disk size) and nothing is written.
     */
    public List<String> run(CallContext ctx, LaunchSpec spec, String clientToken, boolean dryRun) {
        int count = spec.names().size();
        return images.audited(ctx, "RunInstances", spec.imageId(), List.of(), uow -> {
            uow.accounts().lock(ctx.accountId()); // serialises quota and ClientToken checks of one account
            if (clientToken != null && !dryRun) {
                Optional<List<String>> earlier = uow.instances().findClientToken(ctx.accountId(), ctx.region(), clientToken);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            Image image = launchableImage(uow, ctx, spec.imageId());
            spec.login().requireValidFor(image);
            int used = uow.instances().countOwned(ctx.accountId(), ctx.region());
            if (used + count > instanceQuota) {
                throw new ApiException(INSTANCE_QUOTA_EXCEEDED, "Your account has " + used + " instances in `"
                        + ctx.region() + "`; the quota is " + instanceQuota + ", so " + count + " more cannot be created.");
            }
            int diskGiB = diskSize(image, spec.diskSizeGiB(), DEFAULT_DISK_GIB);
            if (dryRun) {
                return List.<String>of();
            }
            String manifest = uow.images().manifest(image.imageId());
            Instant now = clock.instant();
            List<String> ids = new ArrayList<>();
            for (String name : spec.names()) {
                Instance instance = new Instance(Ids.instanceId(), UUID.randomUUID().toString(), ctx.accountId(),
                        ctx.region(), spec.zone(), spec.instanceType(), spec.cpu(), spec.memoryGiB(), name,
                        InstanceState.PENDING, image.imageId(), image.isPublic() ? null : image.ownerId(),
                        image.osName(), image.platform(), image.architecture(), image.licenseType(), image.bootMode(),
                        Ids.diskId(), spec.diskType(), diskGiB, privateIp(), "RunInstances", Instance.OPERATING,
                        ctx.requestId(), now);
                uow.instances().insert(instance, manifest);
                uow.instances().recordDiskOrigin(instance.instanceId(), diskOrigin(image));
                ids.add(instance.instanceId());
            }
            if (clientToken != null) {
                uow.instances().saveClientToken(ctx.accountId(), ctx.region(), clientToken, ids, now);
            }
            enqueueTransition(uow, ids, ctx.requestId(), now);
            return ids;
        }, "zone=" + spec.zone() + " count=" + count, dryRun);
    }

    public Page<Instance> describe(InstanceQuery query) {
        return transactions.run(uow -> uow.instances().search(query));
    }

    public void start(CallContext ctx, List<String> instanceIds) {
        change(ctx, "StartInstances", instanceIds, Set.of(InstanceState.STOPPED), InstanceState.STARTING);
    }

    public void stop(CallContext ctx, List<String> instanceIds) {
        change(ctx, "StopInstances", instanceIds, Set.of(InstanceState.RUNNING), InstanceState.STOPPING);
    }

    public void reboot(CallContext ctx, List<String> instanceIds) {
        change(ctx, "RebootInstances", instanceIds, Set.of(InstanceState.RUNNING), InstanceState.REBOOTING);
    }

    public void terminate(CallContext ctx, List<String> instanceIds) {
        change(ctx, "TerminateInstances", instanceIds, Set.of(InstanceState.RUNNING, InstanceState.STOPPED,
                InstanceState.SHUTDOWN), InstanceState.TERMINATING);
    }

    /**
     * ResetInstance: the disk becomes a clone of {@code imageId} (default: the instance's current image), which
     * must be launchable by the caller now: an image whose share was cancelled, or that was deleted, is not found.
     */
    public void reset(CallContext ctx, String instanceId, String imageId, Integer diskSizeGiB, LoginSettings login) {
        images.audited(ctx, "ResetInstance", imageId, List.of(), uow -> {
            Instance instance = lockOwned(uow, ctx, List.of(instanceId)).get(0);
            requireMayStart(instance, SETTLED);
            Image image = launchableImage(uow, ctx, imageId != null ? imageId : instance.imageId());
            login.requireValidFor(image);
            if (diskSizeGiB != null && diskSizeGiB < instance.diskSizeGiB()) {
                throw new ApiException(INVALID_PARAMETER_VALUE, "`SystemDisk.DiskSize` cannot shrink the disk of `"
                        + instanceId + "` below its " + instance.diskSizeGiB() + " GiB.");
            }
            int diskGiB = diskSize(image, diskSizeGiB, instance.diskSizeGiB());
            uow.instances().replaceDisk(instanceId, image, diskGiB, uow.images().manifest(image.imageId()));
            uow.instances().recordDiskOrigin(instanceId, diskOrigin(image));
            uow.instances().updateOperation(instanceId, "ResetInstance", Instance.OPERATING, ctx.requestId());
            enqueueTransition(uow, List.of(instanceId), ctx.requestId(), clock.instant());
            return null;
        }, "instance " + instanceId, false);
    }

    /**
     * CreateImage: a new PRIVATE image of the instance's account whose bytes are the instance's current disk
     * manifest, so no chunk is written. The image row holds the manifest from the start (CREATING), so its chunks
     * stay referenced whatever happens to the instance; a job makes it NORMAL with its digest.
     */
    public Image createImage(CallContext ctx, String instanceId, String name, String description,
                             boolean forcePoweroff, String family, Map<String, String> tags, boolean dryRun) {
        return images.audited(ctx, "CreateImage", null, List.of(), uow -> {
            uow.accounts().lock(ctx.accountId());
            Instance instance = lockOwned(uow, ctx, List.of(instanceId)).get(0);
            requireMayStart(instance, SETTLED);
            images.requireQuotaRoom(uow, ctx.accountId(), ctx.region(), 1);
            ImageService.requireNameFree(uow, ctx.accountId(), ctx.region(), name, null);
            Instant now = clock.instant();
            DiskOrigin disk = uow.instances().diskOrigin(instanceId);
            Image draft = new Image(Ids.imageId(), ctx.region(), ctx.accountId(), false, name, description,
                    ImageState.CREATING, Image.SOURCE_CREATE, instance.osName(), instance.platform(),
                    instance.architecture(), instance.licenseType(), instance.bootMode(), family, false, 0, null, null,
                    Lineage.created(instanceId, instance.imageId(), instance.imageOwnerId()), now, tags,
                    disk.diskFormat(), disk.virtualSizeBytes(), null);
            if (dryRun) {
                return draft;
            }
            uow.images().insert(draft);
            uow.images().completeData(draft.imageId(), ImageState.CREATING, 0, null,
                    uow.instances().diskManifest(instanceId));
            if (forcePoweroff && instance.state() == InstanceState.RUNNING) {
                uow.instances().updateState(instanceId, InstanceState.STOPPING);
            }
            uow.instances().updateOperation(instanceId, "CreateImage", Instance.OPERATING, ctx.requestId());
            uow.jobs().enqueueAfter(JOB_CREATE_IMAGE, draft.imageId(),
                    new Ticket(List.of(instanceId), ctx.requestId()).toJson(), now, now.plus(transitionDelay));
            return draft;
        }, "instance " + instanceId, dryRun);
    }

    /**
     * Ends the operation a ticket names, on each instance where it is still the latest and still OPERATING: the
     * transitional state reaches its end (TERMINATING: the instance is removed), the operation becomes SUCCESS.
     */
    public void completeOperation(Ticket ticket) {
        transactions.run(uow -> {
            for (Instance instance : pendingOperation(uow, ticket)) {
                InstanceState next = switch (instance.state()) {
                    case PENDING, STARTING, REBOOTING -> InstanceState.RUNNING;
                    case STOPPING -> InstanceState.STOPPED;
                    case TERMINATING -> null;
                    default -> "ResetInstance".equals(instance.latestOperation()) ? InstanceState.RUNNING
                            : instance.state();
                };
                if (next == null) {
                    uow.instances().delete(instance.instanceId());
                } else {
                    uow.instances().updateState(instance.instanceId(), next);
                    uow.instances().updateOperation(instance.instanceId(), instance.latestOperation(),
                            Instance.SUCCESS, ticket.requestId());
                }
            }
            return null;
        });
    }

    /** The job gave up: the operation FAILED; a launch becomes LAUNCH_FAILED, other transitions fall back. */
    public void failOperation(Ticket ticket) {
        transactions.run(uow -> {
            for (Instance instance : pendingOperation(uow, ticket)) {
                InstanceState back = switch (instance.state()) {
                    case PENDING -> InstanceState.LAUNCH_FAILED;
                    case STARTING -> InstanceState.STOPPED;
                    case STOPPING, REBOOTING -> InstanceState.RUNNING;
                    default -> instance.state();
                };
                uow.instances().updateState(instance.instanceId(), back);
                uow.instances().updateOperation(instance.instanceId(), instance.latestOperation(), Instance.FAILED,
                        ticket.requestId());
            }
            return null;
        });
    }

    private List<Instance> pendingOperation(UnitOfWork uow, Ticket ticket) {
        return uow.instances().findForUpdate(ticket.instanceIds()).stream()
                .filter(i -> i.operationInProgress() && ticket.requestId().equals(i.latestOperationRequestId()))
                .toList();
    }

    /** Start, stop, reboot, terminate: all or nothing; every instance is locked and checked before any changes. */
    private void change(CallContext ctx, String action, List<String> instanceIds, Set<InstanceState> from,
                        InstanceState to) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(instanceIds));
        images.audited(ctx, action, null, List.of(), uow -> {
            List<Instance> instances = lockOwned(uow, ctx, ids);
            instances.forEach(instance -> requireMayStart(instance, from));
            for (Instance instance : instances) {
                uow.instances().updateState(instance.instanceId(), to);
                uow.instances().updateOperation(instance.instanceId(), action, Instance.OPERATING, ctx.requestId());
            }
            enqueueTransition(uow, ids, ctx.requestId(), clock.instant());
            return null;
        }, String.join(",", ids), false);
    }

    private void enqueueTransition(UnitOfWork uow, List<String> ids, String requestId, Instant now) {
        uow.jobs().enqueueAfter(JOB_INSTANCE_TRANSITION, null, new Ticket(ids, requestId).toJson(), now,
                now.plus(transitionDelay));
    }

    /** The caller's instances in the request region, locked; any other id answers as one that does not exist. */
    private static List<Instance> lockOwned(UnitOfWork uow, CallContext ctx, List<String> ids) {
        List<Instance> found = uow.instances().findForUpdate(ids).stream()
                .filter(i -> i.ownerId().equals(ctx.accountId()) && i.region().equals(ctx.region())).toList();
        Set<String> foundIds = new LinkedHashSet<>(found.stream().map(Instance::instanceId).toList());
        for (String id : ids) {
            if (!foundIds.contains(id)) {
                throw new ApiException(INSTANCE_ID_NOT_FOUND, "The instance `" + id + "` does not exist.");
            }
        }
        return found;
    }

    /** A refusal names the state the instance is in (spec 5.6), or the operation still running on it. */
    private static void requireMayStart(Instance instance, Set<InstanceState> allowed) {
        if (!allowed.contains(instance.state())) {
            throw new ApiException(instance.state().refusalCode(), "The instance `" + instance.instanceId()
                    + "` is " + instance.state() + "; the operation needs " + allowed + ".");
        }
        if (instance.operationInProgress()) {
            throw new ApiException(INSTANCE_OPERATION_IN_PROGRESS, "The instance `" + instance.instanceId()
                    + "` is still busy with " + instance.latestOperation() + ".");
        }
    }

    /** The image locked against a concurrent delete, so the disk never clones a manifest that is going away. */
    private Image launchableImage(UnitOfWork uow, CallContext ctx, String imageId) {
        Image image = uow.images().findForUpdate(imageId).orElseThrow(() -> ImagePolicy.notFound(imageId));
        images.requireMayLaunch(uow, ctx, image);
        return image;
    }

    /** What the disk cloned from {@code image} is: the captured image of CreateImage will be the same. */
    private static DiskOrigin diskOrigin(Image image) {
        return new DiskOrigin(image.diskFormat(), image.diskBytes());
    }

    /**
     * A system disk holds at least the image's virtual disk; without a request, {@code fallback} GiB or the image's
     * virtual size.
     */
    private static int diskSize(Image image, Integer requestedGiB, int fallbackGiB) {
        int imageGiB = (int) Math.max(1, (image.diskBytes() + GIB - 1) / GIB);
        if (requestedGiB != null && requestedGiB < imageGiB) {
            throw new ApiException(INVALID_PARAMETER_VALUE, "`SystemDisk.DiskSize` " + requestedGiB
                    + " GiB is smaller than the image `" + image.imageId() + "` (" + imageGiB + " GiB).");
        }
        return requestedGiB != null ? requestedGiB : Math.max(fallbackGiB, imageGiB);
    }

    private static String privateIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (2 + r.nextInt(250));
    }
}
