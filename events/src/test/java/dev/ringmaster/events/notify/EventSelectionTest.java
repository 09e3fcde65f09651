package dev.ringmaster.events.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSelectionTest {

    private static final String OLD = EventType.CLUSTER_READY.type();
    private static final String NEW = EventType.CLUSTERS_READY.type();

    @Test
    void theRetiredPerClusterTypeCannotBeChosenButNamingItMeansItsSuccessor() {
        assertThat(EventSelection.selectable()).contains(NEW).doesNotContain(OLD);
        assertThat(EventSelection.normalize("rollout.cluster-ready")).contains(NEW);
        assertThat(EventSelection.normalize(OLD)).contains(NEW);
        assertThat(EventSelection.normalize("rollout.clusters-ready")).contains(NEW);
        assertThat(EventSelection.normalize("rollout.no-such-thing")).isEmpty();
    }

    @Test
    void aStoredChoiceOfTheRetiredTypeReceivesItsSuccessor() {
        assertThat(EventSelection.effective("WEBHOOK", List.of(OLD, "ringmaster.rollout.succeeded.v1")))
                .containsExactly(NEW, "ringmaster.rollout.succeeded.v1");
        assertThat(EventSelection.effective("WEBHOOK", List.of(OLD, NEW))).containsExactly(NEW);
    }

    @Test
    void slackGetsNoProgressEventsByDefaultAWebhookGetsAll() {
        assertThat(EventSelection.effective("SLACK", List.of()))
                .doesNotContain(NEW, OLD)
                .contains("ringmaster.rollout.succeeded.v1", "ringmaster.rollout.cluster-failed.v1");
        assertThat(EventSelection.effective("WEBHOOK", null)).isEqualTo(EventSelection.selectable());
    }
}
