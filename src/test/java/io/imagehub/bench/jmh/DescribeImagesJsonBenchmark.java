package io.imagehub.bench.jmh;

import io.imagehub.api.ActionRegistry;
import io.imagehub.api.ApiGateway;
import io.imagehub.api.ApiGateway.Reply;
import io.imagehub.api.Json;
import io.imagehub.api.RequestAuthenticator.SignedRequest;
import io.imagehub.bench.BenchSupport.Account;
import io.imagehub.domain.CallContext;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Writing a DescribeImages answer of {@code pageSize} images as JSON: in the final JFR profiles of the listings the
 * JSON of 20-50 images was 8-19% of the server's samples (docs/performance.md).
 *
 * <p>The answer is what the real DescribeImages action returns for {@code {"Limit":pageSize}} as the owner of 500
 * generated images (read once at set-up through the node's {@link ActionRegistry}, whatever type the action
 * returns), so both benchmarks follow changes to the action's result and its serialisation.
 */
public class DescribeImagesJsonBenchmark extends BenchmarkSettings {
    /** What the stand-in action binds: nothing, so binding costs as little as it can. */
    public record NoParameters() {
    }

    @Param({"20", "50"})
    public int pageSize;

    private NodeFixture node;
    private Object answer;
    private ApiGateway gateway;
    private SignedRequest request;

    @Setup
    public void setUp() throws Exception {
        node = NodeFixture.generated(10_000); // the other benchmarks' default data dir; the page does not depend on it
        String region = node.region();
        Account owner = node.fixtureAccounts("Owner").get(0);
        ActionRegistry actions = node.actions();
        answer = actions.invokeJson(actions.find("DescribeImages"), new CallContext("jmh", owner.accountId(), region,
                null), ("{\"Limit\":" + pageSize + "}").getBytes(StandardCharsets.UTF_8));
        ActionRegistry fixedAnswer = new ActionRegistry();
        fixedAnswer.register("DescribeImages", NoParameters.class, "A fixed answer.", (ctx, none) -> answer);
        gateway = node.gateway(fixedAnswer);
        request = node.sign(owner, "DescribeImages", region, "{}");
        NodeFixture.expect("images in the envelope", pageSize,
                NodeFixture.success(gateway.handle(request)).get("ImageSet").size());
    }

    @TearDown
    public void tearDown() throws Exception {
        node.close();
    }

    /**
     * The envelope {@code {"Response":{...,"RequestId":...}}} exactly as the gateway writes it. ApiGateway's writer
     * is private, so this goes through {@link ApiGateway#handle} with a DescribeImages action that returns the
     * answer read at set-up: on top of the JSON it pays the warm TC3 check (see {@link SignatureBenchmark#warm}),
     * binding {@code {}} and a RequestId, i.e. {@link ApiGatewayBenchmark#describeRegions} minus its small answer.
     */
    @Benchmark
    public Reply envelope() {
        return gateway.handle(request);
    }

    /**
     * The answer alone (no envelope, no RequestId) written by {@link Json#STRICT}, the API's mapper: Jackson's cost
     * for the images with whatever serialisers the mapper and the answer's types declare.
     */
    @Benchmark
    public byte[] answerOnly() throws Exception {
        return Json.STRICT.writeValueAsBytes(answer);
    }
}
