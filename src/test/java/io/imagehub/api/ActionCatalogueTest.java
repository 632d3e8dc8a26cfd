package io.imagehub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagehub.api.ActionDescription.Kind;
import io.imagehub.api.ActionDescription.Member;
import io.imagehub.api.ImageActions.EmptyRequest;
import io.imagehub.it.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionCatalogueTest {

    @Test
    void aStartedNodeAnswersExactlyTheCataloguedActions() throws Exception {
        try (TestServer server = new TestServer()) {
            assertThat(server.node().actions().descriptions())
                    .isEqualTo(ActionRegistry.catalogue().descriptions());
        }
    }

    @Test
    void everyActionAndEveryMemberHasAHelpLine() {
        for (ActionDescription action : ActionRegistry.catalogue().descriptions()) {
            assertThat(action.help()).as(action.name()).isNotBlank();
            for (Member member : action.members()) {
                assertThat(member.help()).as(action.name() + "." + member.name()).isNotBlank();
            }
        }
    }

    @Test
    void membersAreDescribedAsOnTheWireWithNestedTypesAndLimits() {
        ActionDescription describe = describe("DescribeImages");
        assertThat(describe.regionRequired()).isTrue();
        assertThat(describe.members()).extracting(Member::name)
                .containsExactly("ImageIds", "Filters", "Offset", "Limit", "InstanceType");
        Member filters = describe.member("Filters");
        assertThat(filters.type().display()).isEqualTo("Array of Filter");
        assertThat(filters.maxItems()).isEqualTo(10);
        assertThat(filters.type().element().members()).extracting(Member::name, Member::required)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Name", true),
                        org.assertj.core.groups.Tuple.tuple("Values", true));
        assertThat(describe.member("Limit").max()).isEqualTo(100L);
        assertThat(describe.member("Limit").type().kind()).isEqualTo(Kind.INTEGER);

        Member permission = describe("ModifyImageSharePermission").member("Permission");
        assertThat(permission.required()).isTrue();
        assertThat(permission.allowed()).containsExactly("SHARE", "CANCEL");
        assertThat(describe("ImportImage").member("ImageName").maxLength()).isEqualTo(Params.MAX_IMAGE_NAME);
        assertThat(describe("RunInstances").member("Placement").type().members()).extracting(Member::name)
                .contains("Zone");
        assertThat(describe("DescribeRegions").regionRequired()).isFalse();
    }

    @Test
    void aSecondActionOfTheSameNameIsRefused() {
        ActionRegistry registry = new ActionRegistry();
        registry.register("Ping", EmptyRequest.class, "Answers.", (ctx, r) -> null);
        assertThatThrownBy(() -> registry.register("Ping", EmptyRequest.class, "Again.", (ctx, r) -> null))
                .hasMessageContaining("registered twice");
    }

    private static ActionDescription describe(String name) {
        List<ActionDescription> all = ActionRegistry.catalogue().descriptions();
        return all.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }
}
