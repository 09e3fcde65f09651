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
import dev.ringmaster.messaging.Batches;
import dev.ringmaster.messaging.Stopping;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Takes {@code BumpVersion} from {@code git.commands} and answers each on {@code git.events}.
 *
 * <p>Delivery: the command is acknowledged (its offset committed) only once the broker has acknowledged the answer,
 * so a crash anywhere before that redelivers the command — which {@link VersionBumper} recognises and answers again.
 * A message that is not a BumpVersion, or that fails unexpectedly, is nacked: the channel's failure strategy parks it
 * on {@code git.commands.dlq} with the reason, and the channel goes on — unless the service is stopping: then the
 * command is left unacknowledged for the next instance (the failure is the shutdown's). Nothing here throws into the
 * stream (a thrown exception would stop the channel).
 *
 * <p>Commands run on worker threads, several at once ({@code ordered = false}); the bumper serialises the commands of
 * one repository, so a slow repository holds up no other.
 */
@ApplicationScoped
public class GitCommandConsumer {

    private static final Logger LOG = Logger.getLogger(GitCommandConsumer.class);

    private final VersionBumper bumper;
    private final EventCodec codec;
    private final String source;
    private final MeterRegistry metrics;
    private final Emitter<String> answers;
    private final Stopping stopping;

    public GitCommandConsumer(
            VersionBumper bumper,
            EventCodec codec,
            CommitterConfig config,
            MeterRegistry metrics,
            @Channel("git-events") @OnOverflow(OnOverflow.Strategy.BUFFER) Emitter<String> answers,
            Stopping stopping) {
        this.bumper = bumper;
        this.codec = codec;
        this.source = config.eventSource();
        this.metrics = metrics;
        this.answers = answers;
        this.stopping = stopping;
    }

    @Incoming("git-commands")
    @Blocking(ordered = false)
    public CompletionStage<Void> process(Message<String> in) {
        BumpVersion cmd;
        Object answer;
        try {
            cmd = decode(in.getPayload());
            answer = carryOut(cmd);
        } catch (RuntimeException e) {
            if (stopping.now()) { // e.g. the Git work interrupted by the shutdown: the next instance bumps again
                return Batches.unacknowledged("a BumpVersion of git.commands", LOG);
            }
            LOG.errorf("cannot handle a message of git.commands, parking it: %s", e.getMessage());
            return in.nack(e);
        }
        CloudEvent reply = codec.wrap(source, cmd.rolloutId(), answer);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(cmd.repoUrl())
                .withHeaders(headers)
                .build();
        CompletableFuture<Void> published = new CompletableFuture<>();
        answers.send(Message.of(
                codec.encode(reply),
                Metadata.of(meta),
                () -> {
                    published.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                (Throwable t) -> {
                    published.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                }));
        return published.thenCompose(v -> in.ack()).exceptionallyCompose(t -> {
            if (stopping.now()) { // the answer's channel closed under it: the next instance answers again
                return Batches.unacknowledged("command " + cmd.commandId(), LOG);
            }
            LOG.errorf("cannot publish the answer to command %s: %s", cmd.commandId(), t.getMessage());
            return in.nack(t);
        });
    }

    private BumpVersion decode(String payload) {
        CloudEvent event = codec.decode(payload);
        if (!EventType.BUMP_VERSION.type().equals(event.type())) {
            throw new IllegalArgumentException(
                    "git.commands carries only " + EventType.BUMP_VERSION.type() + ", not " + event.type());
        }
        return codec.payload(event, BumpVersion.class);
    }

    private Object carryOut(BumpVersion cmd) {
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
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return answer;
    }
}
