package dev.ringmaster.gitcommitter.messaging;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventType;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.CommitFailed;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.gitcommitter.config.CommitterConfig;
import dev.ringmaster.gitcommitter.git.BumpOutcome;
import dev.ringmaster.gitcommitter.git.VersionBumper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * Takes {@code BumpVersion} from {@code git.commands} and answers each on {@code git.events}. The command's offset is
 * committed only after the broker has acknowledged the answer (the answer carries the command's ack), so a crash
 * anywhere before that redelivers the command — which {@link VersionBumper} recognises and answers again.
 *
 * <p>Commands run on worker threads, several at once ({@code ordered = false}); the bumper serialises the commands of
 * one repository. A message that is not a BumpVersion is nacked and lands on {@code git.commands.dlq} with the reason.
 */
@ApplicationScoped
public class GitCommandProcessor {

    private static final Logger LOG = Logger.getLogger(GitCommandProcessor.class);

    private final VersionBumper bumper;
    private final EventCodec codec;
    private final String source;
    private final MeterRegistry metrics;

    public GitCommandProcessor(VersionBumper bumper, EventCodec codec, CommitterConfig config, MeterRegistry metrics) {
        this.bumper = bumper;
        this.codec = codec;
        this.source = config.eventSource();
        this.metrics = metrics;
    }

    @Incoming("git-commands")
    @Outgoing("git-events")
    @Blocking(ordered = false)
    public Message<String> process(Message<String> in) {
        CloudEvent event = codec.decode(in.getPayload());
        if (!EventType.BUMP_VERSION.type().equals(event.type())) {
            throw new IllegalArgumentException(
                    "git.commands carries only " + EventType.BUMP_VERSION.type() + ", not " + event.type());
        }
        BumpVersion cmd = codec.payload(event, BumpVersion.class);
        long started = System.nanoTime();
        BumpOutcome outcome = bumper.bump(cmd);
        Object answer;
        if (outcome instanceof BumpOutcome.Committed c) {
            LOG.infof(
                    "%s %s of %s/%s ring %d: %s",
                    c.changed() ? "committed" : "already there",
                    cmd.version(),
                    cmd.application(),
                    cmd.service(),
                    cmd.ring(),
                    c.commit());
            answer = new VersionCommitted(
                    cmd.commandId(),
                    cmd.rolloutId(),
                    cmd.application(),
                    cmd.service(),
                    cmd.ring(),
                    cmd.repoUrl(),
                    cmd.version(),
                    c.commit(),
                    c.changed());
        } else {
            BumpOutcome.Failed f = (BumpOutcome.Failed) outcome;
            LOG.warnf(
                    "could not set %s of %s/%s ring %d (%s): %s",
                    cmd.version(),
                    cmd.application(),
                    cmd.service(),
                    cmd.ring(),
                    f.retryable() ? "retryable" : "terminal",
                    f.reason());
            answer = new CommitFailed(
                    cmd.commandId(),
                    cmd.rolloutId(),
                    cmd.application(),
                    cmd.service(),
                    cmd.ring(),
                    cmd.repoUrl(),
                    cmd.version(),
                    f.reason(),
                    f.retryable());
        }
        metrics.timer("ringmaster.git.bump", "outcome", answer.getClass().getSimpleName())
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        CloudEvent reply = codec.wrap(source, cmd.rolloutId(), answer);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(cmd.repoUrl())
                .withHeaders(headers)
                .build();
        return Message.of(codec.encode(reply), Metadata.of(meta), () -> in.ack(), (Throwable t) -> in.nack(t));
    }
}
