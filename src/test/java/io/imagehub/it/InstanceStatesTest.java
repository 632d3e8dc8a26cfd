package io.imagehub.it;

import static io.imagehub.it.Instances.find;
import static io.imagehub.it.Instances.settledIn;
import static io.imagehub.it.SdkAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.AbstractModel;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.cvm.v20170312.CvmClient;
import com.tencentcloudapi.cvm.v20170312.models.DescribeImagesRequest;
import com.tencentcloudapi.cvm.v20170312.models.Filter;
import com.tencentcloudapi.cvm.v20170312.models.Instance;
import com.tencentcloudapi.cvm.v20170312.models.RebootInstancesRequest;
import com.tencentcloudapi.cvm.v20170312.models.ResetInstanceRequest;
import com.tencentcloudapi.cvm.v20170312.models.StartInstancesRequest;
import com.tencentcloudapi.cvm.v20170312.models.StopInstancesRequest;
import com.tencentcloudapi.cvm.v20170312.models.TerminateInstancesRequest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The instance lifecycle observed through DescribeInstances, and the refusal of every operation in a state that
 * does not allow it. Transitions take 4 s here, so a transitional state is still there when the next calls (a few
 * milliseconds later on loopback, but seconds on a machine loaded by a parallel build: 2 s was seen to run out)
 * arrive.
 */
class InstanceStatesTest {
    private static final String GZ = "ap-guangzhou";
    private static final String ZONE = "ap-guangzhou-4";
    private static TestServer server;
    private static CvmClient client;
    private static String image;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(c -> c.instanceTransitionMillis = 4000);
        client = server.client(server.createAccount("lifecycle"), GZ);
        DescribeImagesRequest request = new DescribeImagesRequest();
        Filter publicImages = new Filter();
        publicImages.setName("image-type");
        publicImages.setValues(new String[] {"PUBLIC_IMAGE"});
        request.setFilters(new Filter[] {publicImages});
        image = client.DescribeImages(request).getImageSet()[0].getImageId();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static <R extends AbstractModel> R ids(R request, String id) {
        switch (request) {
            case StartInstancesRequest r -> r.setInstanceIds(new String[] {id});
            case StopInstancesRequest r -> r.setInstanceIds(new String[] {id});
            case RebootInstancesRequest r -> r.setInstanceIds(new String[] {id});
            case TerminateInstancesRequest r -> r.setInstanceIds(new String[] {id});
            default -> throw new IllegalArgumentException(request.getClass().getName());
        }
        return request;
    }

    private static String start(String id) throws TencentCloudSDKException {
        return client.StartInstances(ids(new StartInstancesRequest(), id)).getRequestId();
    }

    private static String stop(String id) throws TencentCloudSDKException {
        return client.StopInstances(ids(new StopInstancesRequest(), id)).getRequestId();
    }

    private static String reboot(String id) throws TencentCloudSDKException {
        return client.RebootInstances(ids(new RebootInstancesRequest(), id)).getRequestId();
    }

    private static String terminate(String id) throws TencentCloudSDKException {
        return client.TerminateInstances(ids(new TerminateInstancesRequest(), id)).getRequestId();
    }

    private static String reset(String id) throws TencentCloudSDKException {
        ResetInstanceRequest request = new ResetInstanceRequest();
        request.setInstanceId(id);
        return client.ResetInstance(request).getRequestId();
    }

    private static void createImage(String id) throws TencentCloudSDKException {
        client.CreateImage(Instances.createImageRequest(id, "from-" + id));
    }

    /** The instance is {@code state} with {@code operation} OPERATING under {@code requestId}. */
    private static void assertInTransition(String id, String state, String operation, String requestId)
            throws TencentCloudSDKException {
        Instance instance = find(client, id).orElseThrow();
        assertThat(instance.getInstanceState()).isEqualTo(state);
        assertThat(instance.getLatestOperation()).isEqualTo(operation);
        assertThat(instance.getLatestOperationState()).isEqualTo("OPERATING");
        assertThat(instance.getLatestOperationRequestId()).isEqualTo(requestId);
    }

    /** Each call is refused with {@code code} and the instance is exactly as before. */
    private static void assertAllRefused(String id, String code, ThrowingCallable... calls) throws TencentCloudSDKException {
        Instance before = find(client, id).orElseThrow();
        for (ThrowingCallable call : calls) {
            assertRefused(code, call);
        }
        Instance after = find(client, id).orElseThrow();
        assertThat(after.getInstanceState()).isEqualTo(before.getInstanceState());
        assertThat(after.getLatestOperationRequestId()).isEqualTo(before.getLatestOperationRequestId());
        assertThat(after.getImageId()).isEqualTo(before.getImageId());
    }

    @Test
    void lifecycleFollowsTheSpecAndRefusesWrongStates() throws Exception {
        var launch = client.RunInstances(Instances.runRequest(ZONE, image, 1));
        String id = launch.getInstanceIdSet()[0];
        assertInTransition(id, "PENDING", "RunInstances", launch.getRequestId());
        String pending = "UnsupportedOperation.InstanceStatePending";
        assertAllRefused(id, pending, () -> start(id), () -> stop(id), () -> reboot(id), () -> terminate(id),
                () -> reset(id), () -> createImage(id));
        Instances.await(client, id, settledIn("RUNNING"));

        assertAllRefused(id, "UnsupportedOperation.InstanceStateRunning", () -> start(id));
        String stopping = stop(id);
        assertInTransition(id, "STOPPING", "StopInstances", stopping);
        assertAllRefused(id, "UnsupportedOperation.InstanceStateStopping", () -> stop(id), () -> start(id),
                () -> terminate(id));
        Instances.await(client, id, settledIn("STOPPED"));

        assertAllRefused(id, "UnsupportedOperation.InstanceStateStopped", () -> stop(id), () -> reboot(id));
        String starting = start(id);
        assertInTransition(id, "STARTING", "StartInstances", starting);
        assertAllRefused(id, "UnsupportedOperation.InstanceStateStarting", () -> start(id), () -> reboot(id));
        Instances.await(client, id, settledIn("RUNNING"));

        String rebooting = reboot(id);
        assertInTransition(id, "REBOOTING", "RebootInstances", rebooting);
        assertAllRefused(id, "UnsupportedOperation.InstanceStateRebooting", () -> stop(id), () -> reset(id));
        Instances.await(client, id, settledIn("RUNNING"));

        String resetting = reset(id);
        assertInTransition(id, "RUNNING", "ResetInstance", resetting);
        assertAllRefused(id, "OperationDenied.InstanceOperationInProgress", () -> stop(id), () -> terminate(id),
                () -> createImage(id));
        Instances.await(client, id, settledIn("RUNNING"));

        String terminating = terminate(id);
        assertInTransition(id, "TERMINATING", "TerminateInstances", terminating);
        assertAllRefused(id, "UnsupportedOperation.InstanceStateTerminating", () -> terminate(id), () -> start(id));
        Instances.awaitGone(client, id);
        assertRefused("InvalidInstanceId.NotFound", () -> start(id));
    }

    @Test
    void aBatchIsRefusedWholeWhenOneInstanceIsInTheWrongState() throws Exception {
        String[] ids = Instances.run(client, ZONE, image, 2);
        for (String id : ids) {
            Instances.await(client, id, settledIn("RUNNING"));
        }
        stop(ids[0]);
        Instances.await(client, ids[0], settledIn("STOPPED"));
        StopInstancesRequest both = new StopInstancesRequest();
        both.setInstanceIds(ids);
        assertRefused("UnsupportedOperation.InstanceStateStopped", () -> client.StopInstances(both));
        assertThat(find(client, ids[1]).orElseThrow().getInstanceState()).isEqualTo("RUNNING");
        StopInstancesRequest unknown = new StopInstancesRequest();
        unknown.setInstanceIds(new String[] {ids[1], "ins-00000000"});
        assertRefused("InvalidInstanceId.NotFound", () -> client.StopInstances(unknown));
        assertThat(find(client, ids[1]).orElseThrow().getInstanceState()).isEqualTo("RUNNING");
    }
}
