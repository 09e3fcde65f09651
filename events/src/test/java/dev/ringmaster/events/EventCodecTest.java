package dev.ringmaster.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringmaster.events.catalog.RolloutPlanSet;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void wrapGivesEachEventAFreshIdAndItsTypeAndTopic() {
        CloudEvent a = codec.wrap("/s", "shop", new RolloutPlanSet("shop", "web", "1.0"));
        CloudEvent b = codec.wrap("/s", "shop", new RolloutPlanSet("shop", "web", "1.0"));
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.type()).isEqualTo("ringmaster.catalog.service.rollout-plan-set.v1");
        assertThat(EventType.of(RolloutPlanSet.class).topic()).isEqualTo(Topics.CATALOG_EVENTS);
        assertThat(a.datacontenttype()).isEqualTo("application/json");
    }

    @Test
    void roundTripsThroughBytes() {
        CloudEvent e = codec.wrap("/s", "shop", new RolloutPlanSet("shop", "web", null));
        CloudEvent back = codec.decode(codec.encodeBytes(e));
        assertThat(back).isEqualTo(e);
        assertThat(codec.payload(back, RolloutPlanSet.class).plannedVersion()).isNull();
    }

    @Test
    void refusesWhatIsNotACloudEvent() {
        assertThatThrownBy(() -> codec.decode("{not json")).isInstanceOf(EventFormatException.class);
        assertThatThrownBy(() -> codec.decode("{\"specversion\":\"1.0\",\"type\":\"t\"}"))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("not a CloudEvent");
        assertThatThrownBy(
                        () -> codec.decode("{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}"))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("specversion 0.3");
    }

    @Test
    void refusesAnUnknownTypeAndBadData() {
        CloudEvent unknown = new CloudEvent("1.0", "1", "/s", "ringmaster.unknown.v9", null, null, null, null);
        assertThatThrownBy(() -> codec.payload(unknown))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("unknown event type ringmaster.unknown.v9");
        CloudEvent bad = codec.decode("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\","
                + "\"type\":\"ringmaster.catalog.service.rollout-plan-set.v1\",\"data\":{\"application\":[1,2]}}");
        assertThatThrownBy(() -> codec.payload(bad))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("has bad data");
    }

    @Test
    void deadLetterTopicIsNamedAfterItsTopic() {
        assertThat(Topics.deadLetter(Topics.GIT_COMMANDS)).isEqualTo("git.commands.dlq");
    }
}
