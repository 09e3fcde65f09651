package dev.ringmaster.gitcommitter.support;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.CommitFailed;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.infra.TopicReader;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Sends BumpVersion commands and reads the answers, as the orchestrator would. */
public final class Commands {

    public static final EventCodec CODEC = new EventCodec();

    public static BumpVersion bump(String rollout, String repoUrl, String service, String path, int ring, String v) {
        return new BumpVersion(
                UUID.randomUUID().toString(),
                rollout,
                "shop",
                service,
                ring,
                repoUrl,
                "main",
                path,
                "helm.values.image.tag",
                v,
                "ring",
                "ring-{n}");
    }

    public static void send(String broker, List<BumpVersion> commands) {
        TopicReader.sendStructured(
                broker,
                Topics.GIT_COMMANDS,
                commands.stream()
                        .map(c -> Map.entry(
                                c.repoUrl(), CODEC.encode(CODEC.wrap("/test/orchestrator", c.rolloutId(), c))))
                        .toList());
    }

    /** An answer on git.events, decoded. */
    public record Answer(CloudEvent event, String key, Object payload) {
        public String commandId() {
            return payload instanceof VersionCommitted v ? v.commandId() : ((CommitFailed) payload).commandId();
        }

        public VersionCommitted committed() {
            return (VersionCommitted) payload;
        }

        public CommitFailed failed() {
            return (CommitFailed) payload;
        }
    }

    public static Answer decode(ConsumerRecord<String, String> r) {
        CloudEvent e = CODEC.decode(r.value());
        return new Answer(e, r.key(), CODEC.payload(e));
    }

    /** The answers read so far whose command is one of {@code ids}. */
    public static List<Answer> answersFor(TopicReader reader, java.util.Collection<String> ids) {
        return reader.records().stream()
                .map(Commands::decode)
                .filter(a -> ids.contains(a.commandId()))
                .toList();
    }

    private Commands() {}
}
