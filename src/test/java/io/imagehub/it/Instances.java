package io.imagehub.it;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.CreateImageRequest;
import com.tencentcloudapi.cvm.v20170312.models.DescribeInstancesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Instance;
import com.tencentcloudapi.cvm.v20170312.models.ModifyImageSharePermissionRequest;
import com.tencentcloudapi.cvm.v20170312.models.Placement;
import com.tencentcloudapi.cvm.v20170312.models.RunInstancesRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/** SDK chores the instance tests share: launch, look up, wait for a state, share, capture an image. */
public final class Instances {
    private Instances() {
    }

    public static RunInstancesRequest runRequest(String zone, String imageId, long count) {
        RunInstancesRequest request = new RunInstancesRequest();
        Placement placement = new Placement();
        placement.setZone(zone);
        request.setPlacement(placement);
        request.setImageId(imageId);
        request.setInstanceCount(count);
        return request;
    }

    public static String[] run(CvmClient client, String zone, String imageId, long count) throws TencentCloudSDKException {
        return client.RunInstances(runRequest(zone, imageId, count)).getInstanceIdSet();
    }

    /** Launches one instance and waits until it is RUNNING. */
    public static String runReady(CvmClient client, String zone, String imageId) throws TencentCloudSDKException {
        String id = run(client, zone, imageId, 1)[0];
        await(client, id, i -> "RUNNING".equals(i.getInstanceState()));
        return id;
    }

    public static Optional<Instance> find(CvmClient client, String instanceId) throws TencentCloudSDKException {
        DescribeInstancesRequest request = new DescribeInstancesRequest();
        request.setInstanceIds(new String[] {instanceId});
        Instance[] set = client.DescribeInstances(request).getInstanceSet();
        return set.length == 0 ? Optional.empty() : Optional.of(set[0]);
    }

    public static long count(CvmClient client) throws TencentCloudSDKException {
        return client.DescribeInstances(new DescribeInstancesRequest()).getTotalCount();
    }

    /** Polls (at most 60 s) until the instance satisfies {@code settled}; returns it. */
    public static Instance await(CvmClient client, String instanceId, Predicate<Instance> settled)
            throws TencentCloudSDKException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Instance instance = find(client, instanceId).orElseThrow(() -> new IllegalStateException(instanceId + " vanished"));
            if (settled.test(instance)) {
                return instance;
            }
            pause(deadline, instanceId + " still " + instance.getInstanceState() + "/" + instance.getLatestOperationState());
        }
    }

    /** Polls (at most 60 s) until the instance is gone (terminated). */
    public static void awaitGone(CvmClient client, String instanceId) throws TencentCloudSDKException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (find(client, instanceId).isPresent()) {
            pause(deadline, instanceId + " still present");
        }
    }

    /** The operation the instance last accepted has ended (SUCCESS) and the instance is in {@code state}. */
    public static Predicate<Instance> settledIn(String state) {
        return i -> state.equals(i.getInstanceState()) && "SUCCESS".equals(i.getLatestOperationState());
    }

    public static void share(CvmClient owner, String imageId, String accountId, String permission)
            throws TencentCloudSDKException {
        ModifyImageSharePermissionRequest request = new ModifyImageSharePermissionRequest();
        request.setImageId(imageId);
        request.setAccountIds(new String[] {accountId});
        request.setPermission(permission);
        owner.ModifyImageSharePermission(request);
    }

    public static CreateImageRequest createImageRequest(String instanceId, String name) {
        CreateImageRequest request = new CreateImageRequest();
        request.setInstanceId(instanceId);
        request.setImageName(name);
        return request;
    }

    private static void pause(Instant deadline, String what) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException(what + " after 60 s");
        }
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
