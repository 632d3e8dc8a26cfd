package io.imagehub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagehub.domain.AccountRepository.StoredKey;
import io.imagehub.domain.AuditEvent;
import io.imagehub.domain.Ids;
import io.imagehub.domain.Image;
import io.imagehub.domain.ImageQuery;
import io.imagehub.domain.ImageState;
import io.imagehub.domain.ImageView;
import io.imagehub.domain.JobRepository.Job;
import io.imagehub.domain.ListingVersion;
import io.imagehub.domain.Page;
import io.imagehub.domain.Share;
import io.imagehub.domain.Transactions.UnitOfWork;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every metadata store must do, run against H2 and PostgreSQL alike: the same SQL, the same answers.
 * Subclasses supply a fresh, migrated database per test ({@link StoreContract}).
 */
abstract class RepositoryContract extends StoreContract {
    private String other;

    @BeforeEach
    void addASecondAccount() {
        other = newAccount("other");
    }

    private Image image(String ownerId, String name, Instant created, Map<String, String> tags) {
        return new Image(Ids.imageId(), REGION, ownerId, ownerId == null, name, "d", ImageState.NORMAL,
                Image.SOURCE_IMPORT, "CentOS 7 64bit", "CentOS", "x86_64", "TencentCloud", "Legacy BIOS", null, false,
                1024, "ab".repeat(32), 100, "{}", created, tags);
    }

    private Image insert(Image image) {
        tx.run(uow -> {
            uow.images().insert(image);
            return null;
        });
        return image;
    }

    private Page<ImageView> search(String caller, Set<String> kinds, List<String> names, int offset, int limit) {
        return tx.run(uow -> uow.images().search(new ImageQuery(caller, REGION, kinds, List.of(), names, List.of(),
                List.of(), offset, limit)));
    }

    @Test
    void anImageRoundTripsWithItsTags() {
        Image stored = insert(image(owner, "web", T0, Map.of("env", "prod", "team", "core")));
        Image found = tx.run(uow -> uow.images().find(stored.imageId())).orElseThrow();
        assertThat(found).usingRecursiveComparison().isEqualTo(stored);
    }

    @Test
    void searchShowsPublicOwnAndSharedImagesEachAsWhatTheyAreToTheCaller() {
        Image pub = insert(image(null, "official", T0, Map.of()));
        Image own = insert(image(owner, "mine", T0.plusSeconds(1), Map.of()));
        Image theirs = insert(image(other, "theirs", T0.plusSeconds(2), Map.of()));
        Image sharedToMe = insert(image(other, "shared", T0.plusSeconds(3), Map.of()));
        tx.run(uow -> uow.shares().add(sharedToMe.imageId(), owner, T0));

        Page<ImageView> page = search(owner, ImageQuery.ALL_KINDS, List.of(), 0, 100);
        assertThat(page.items()).extracting(v -> v.image().imageId() + ":" + v.imageType()).containsExactly(
                sharedToMe.imageId() + ":SHARED_IMAGE", own.imageId() + ":PRIVATE_IMAGE", pub.imageId() + ":PUBLIC_IMAGE");
        assertThat(page.totalCount()).isEqualTo(3);
        assertThat(page.items()).noneMatch(v -> v.image().imageId().equals(theirs.imageId()));
        assertThat(search(owner, Set.of(ImageQuery.SHARED), List.of(), 0, 100).items())
                .extracting(v -> v.image().imageId()).containsExactly(sharedToMe.imageId());
    }

    @Test
    void searchFiltersByNameSubstringCaseInsensitivelyAndEscapesWildcards() {
        Image web = insert(image(owner, "Web_Server", T0, Map.of()));
        insert(image(owner, "WebXServer", T0, Map.of()));
        assertThat(search(owner, Set.of(ImageQuery.PRIVATE), List.of("web_s"), 0, 100).items())
                .extracting(v -> v.image().imageId()).containsExactly(web.imageId());
    }

    @Test
    void searchFiltersByTags() {
        Image prod = insert(image(owner, "a", T0, Map.of("env", "prod")));
        insert(image(owner, "b", T0, Map.of("env", "dev")));
        Page<ImageView> page = tx.run(uow -> uow.images().search(new ImageQuery(owner, REGION, ImageQuery.ALL_KINDS,
                List.of(), List.of(), List.of(), List.of(new ImageQuery.TagFilter(List.of("env"), List.of("prod"))), 0, 10)));
        assertThat(page.items()).extracting(v -> v.image().imageId()).containsExactly(prod.imageId());
    }

    @Test
    void pagesAreStableAndTheTotalCountsEveryMatch() {
        for (int i = 0; i < 7; i++) {
            insert(image(owner, "img" + i, T0.plus(i, ChronoUnit.MINUTES), Map.of()));
        }
        Page<ImageView> first = search(owner, Set.of(ImageQuery.PRIVATE), List.of(), 0, 3);
        Page<ImageView> last = search(owner, Set.of(ImageQuery.PRIVATE), List.of(), 6, 3);
        Page<ImageView> beyond = search(owner, Set.of(ImageQuery.PRIVATE), List.of(), 10, 3);
        assertThat(first.items()).extracting(v -> v.image().name()).containsExactly("img6", "img5", "img4");
        assertThat(last.items()).extracting(v -> v.image().name()).containsExactly("img0");
        assertThat(List.of(first.totalCount(), last.totalCount(), beyond.totalCount())).containsOnly(7L);
    }

    @Test
    void namesAreUniquePerOwnerAndRegion() {
        insert(image(owner, "same", T0, Map.of()));
        insert(image(other, "same", T0, Map.of()));
        assertThat(tx.<Boolean>run(uow -> uow.images().nameTaken(owner, REGION, "same", null))).isTrue();
        assertThat(tx.<Integer>run(uow -> uow.images().countOwned(owner, REGION))).isEqualTo(1);
        assertThatThrownBy(() -> insert(image(owner, "same", T0, Map.of())))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isUniqueViolation()).isTrue());
    }

    @Test
    void sharesAreAddedAndRemovedIdempotently() {
        Image img = insert(image(owner, "s", T0, Map.of()));
        assertThat(tx.<Boolean>run(uow -> uow.shares().add(img.imageId(), other, T0))).isTrue();
        assertThat(tx.<Boolean>run(uow -> uow.shares().add(img.imageId(), other, T0))).isFalse();
        assertThat(tx.<Integer>run(uow -> uow.shares().count(img.imageId()))).isEqualTo(1);
        assertThat(tx.<List<Share>>run(uow -> uow.shares().list(img.imageId()))).singleElement()
                .satisfies(s -> assertThat(s.accountId()).isEqualTo(other));
        assertThat(tx.<Boolean>run(uow -> uow.shares().remove(img.imageId(), other))).isTrue();
        assertThat(tx.<Boolean>run(uow -> uow.shares().remove(img.imageId(), other))).isFalse();
    }

    @Test
    void aShareKeepsItsExpiryAndDeclineAndIsDueFromTheInstantOfItsExpiry() {
        Image img = insert(image(owner, "e", T0, Map.of()));
        Instant expiry = T0.plusSeconds(60);
        tx.run(uow -> uow.shares().add(img.imageId(), other, T0));
        tx.run(uow -> { uow.shares().setExpiry(img.imageId(), other, expiry); return null; });
        assertThat(tx.<List<Share>>run(uow -> uow.shares().due(img.imageId(), expiry.minusMillis(1)))).isEmpty();
        assertThat(tx.<List<Share>>run(uow -> uow.shares().due(img.imageId(), expiry))).singleElement()
                .satisfies(s -> assertThat(s.expiresAt()).isEqualTo(expiry));
        assertThat(tx.<Boolean>run(uow -> uow.shares().setDeclined(img.imageId(), other, T0))).isTrue();
        assertThat(tx.<Optional<Share>>run(uow -> uow.shares().find(img.imageId(), other))).get()
                .satisfies(s -> assertThat(s.declined()).isTrue());
        tx.run(uow -> { uow.shares().setExpiry(img.imageId(), other, null); return null; });
        assertThat(tx.<List<Share>>run(uow -> uow.shares().due(img.imageId(), expiry.plusSeconds(3600)))).isEmpty();
        assertThat(tx.<Boolean>run(uow -> uow.shares().setDeclined(img.imageId(), owner, T0)))
                .as("no such share").isFalse();
    }

    private ListingVersion version(String accountId) {
        return tx.run(uow -> uow.images().listingVersion(accountId));
    }

    /** Runs {@code change} and returns the accounts whose listing version it bumped, out of {@code watched}. */
    private Set<String> bumpedBy(Function<UnitOfWork, ?> change, String... watched) {
        Map<String, ListingVersion> before = new HashMap<>();
        for (String a : watched) {
            before.put(a, version(a));
        }
        tx.run(change);
        Set<String> bumped = new TreeSet<>();
        for (String a : watched) {
            if (!version(a).equals(before.get(a))) {
                bumped.add(a);
            }
        }
        return bumped;
    }

    @Test
    void everyChangeBumpsTheListingVersionOfExactlyTheAccountsThatSeeTheImage() {
        String recipient = newAccount("recipient");
        String bystander = newAccount("bystander");
        Image own = image(owner, "mine", T0, Map.of());
        String id = own.imageId();

        assertThat(bumpedBy(uow -> { uow.images().insert(own); return null; }, owner, recipient, bystander))
                .containsExactly(owner);
        assertThat(bumpedBy(uow -> uow.shares().add(id, recipient, T0), owner, recipient, bystander))
                .containsExactly(recipient);
        assertThat(bumpedBy(uow -> { uow.images().updateAttributes(id, "renamed", "d", null, false); return null; },
                owner, recipient, bystander)).containsExactlyInAnyOrder(owner, recipient);
        assertThat(bumpedBy(uow -> { uow.images().updateSyncPercent(id, 50); return null; },
                owner, recipient, bystander)).containsExactlyInAnyOrder(owner, recipient);
        assertThat(bumpedBy(uow -> { uow.images().completeData(id, ImageState.NORMAL, 1, "cd".repeat(32), "{}");
            return null; }, owner, recipient, bystander)).containsExactlyInAnyOrder(owner, recipient);
        assertThat(bumpedBy(uow -> uow.shares().setDeclined(id, recipient, T0), owner, recipient, bystander))
                .containsExactly(recipient);
        assertThat(bumpedBy(uow -> { uow.shares().setExpiry(id, recipient, T0.plusSeconds(60)); return null; },
                owner, recipient, bystander)).as("an expiry changes no listing until the share ends").isEmpty();
        assertThat(bumpedBy(uow -> uow.shares().remove(id, recipient), owner, recipient, bystander))
                .containsExactly(recipient);
        assertThat(bumpedBy(uow -> uow.shares().remove(id, recipient), owner, recipient, bystander))
                .as("removing a share that is not there changes nothing").isEmpty();
        assertThat(bumpedBy(uow -> { uow.images().delete(id); return null; }, owner, recipient, bystander))
                .containsExactly(owner);
        assertThat(bumpedBy(uow -> uow.images().listingVersion(owner), owner)).as("reads bump nothing").isEmpty();
    }

    @Test
    void aNewPublicImageBumpsThePublicVersionEveryAccountReads() {
        ListingVersion before = version(owner);
        insert(image(null, "official", T0, Map.of()));
        ListingVersion after = version(owner);
        assertThat(after.publicImages()).isGreaterThan(before.publicImages());
        assertThat(after.account()).isEqualTo(before.account());
        assertThat(version(other).publicImages()).isEqualTo(after.publicImages());
    }

    @Test
    void aRolledBackChangeBumpsNothing() {
        Image own = insert(image(owner, "mine", T0, Map.of()));
        ListingVersion before = version(owner);
        assertThatThrownBy(() -> tx.run(uow -> {
            uow.images().updateAttributes(own.imageId(), "renamed", "d", null, false);
            throw new IllegalStateException("abandoned");
        })).hasMessage("abandoned");
        assertThat(version(owner)).isEqualTo(before);
    }

    @Test
    void keysAndAccountsAreFound() {
        tx.run(uow -> {
            uow.accounts().insertKey("AKIDkey" + owner, owner, "sealed");
            return null;
        });
        assertThat(tx.<Optional<StoredKey>>run(uow -> uow.accounts().findKey("AKIDkey" + owner))).get()
                .satisfies(k -> assertThat(k.accountId()).isEqualTo(owner));
        assertThat(tx.<Set<String>>run(uow -> uow.accounts().existing(List.of(owner, "999999999999")))).containsExactly(owner);
    }

    @Test
    void auditEventsComeBackNewestFirstByImageOrAccount() {
        tx.run(uow -> {
            uow.audit().append(new AuditEvent(0, T0, "r1", owner, "ShareImage", "img-aaaaaaaa", List.of(other), "Success", null));
            uow.audit().append(new AuditEvent(0, T0, "r2", owner, "DeleteImages", "img-aaaaaaaa", List.of(), "InvalidImageId.InShared", null));
            uow.audit().append(new AuditEvent(0, T0, "r3", other, "ImportImage", "img-bbbbbbbb", List.of(), "Success", null));
            return null;
        });
        assertThat(tx.<List<AuditEvent>>run(uow -> uow.audit().query("img-aaaaaaaa", null, 10))).extracting(AuditEvent::requestId)
                .containsExactly("r2", "r1");
        assertThat(tx.<List<AuditEvent>>run(uow -> uow.audit().query(null, other, 10))).extracting(AuditEvent::requestId)
                .containsExactly("r3", "r1");
    }

    @Test
    void aClaimedJobIsSkippedByOtherClaimersUntilItsLeaseRunsOut() throws Exception {
        tx.run(uow -> uow.jobs().enqueue("import", "img-cccccccc", "u", T0));
        CountDownLatch claimedByA = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(1)) {
            // A holds its claim's row lock in an open transaction while B tries to claim
            Future<Optional<Job>> a = pool.submit(() -> tx.run(uow -> {
                Optional<Job> job = uow.jobs().claim("A", T0, T0.plusSeconds(30));
                claimedByA.countDown();
                await(releaseA);
                return job;
            }));
            await(claimedByA);
            assertThat(tx.<Optional<Job>>run(uow -> uow.jobs().claim("B", T0, T0.plusSeconds(30)))).isEmpty();
            releaseA.countDown();
            assertThat(a.get()).isPresent();
        }
        assertThat(tx.<Optional<Job>>run(uow -> uow.jobs().claim("B", T0.plusSeconds(10), T0.plusSeconds(40)))).isEmpty();
        Optional<Job> takenOver = tx.run(uow -> uow.jobs().claim("B", T0.plusSeconds(31), T0.plusSeconds(61)));
        assertThat(takenOver).get().satisfies(j -> assertThat(j.attempts()).isEqualTo(2));
        assertThat(tx.<Boolean>run(uow -> uow.jobs().heartbeat(takenOver.get().jobId(), "A", T0.plusSeconds(90), "{}"))).isFalse();
        assertThat(tx.<Boolean>run(uow -> uow.jobs().heartbeat(takenOver.get().jobId(), "B", T0.plusSeconds(90), "{}"))).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
