package dev.ringmaster.catalog.rest;

import dev.ringmaster.catalog.api.ControlRequest;
import dev.ringmaster.catalog.api.RolloutSummary;
import dev.ringmaster.catalog.api.RolloutView;
import dev.ringmaster.catalog.api.TimelineEntry;
import dev.ringmaster.catalog.domain.Rollout;
import dev.ringmaster.catalog.messaging.RolloutStream;
import dev.ringmaster.catalog.service.RolloutCatalog;
import dev.ringmaster.events.rollout.RolloutControl;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Rollouts: follow one, steer it, read the history. (Start one: {@link ApplicationRolloutResource}.) */
@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "rollouts")
public class RolloutResource {

    private static final Set<String> PHASES =
            Set.of("PENDING", "RUNNING", "PAUSED", "SUCCEEDED", "FAILED", "ERRORED", "ABORTED");

    private final RolloutCatalog rollouts;
    private final RolloutStream stream;

    public RolloutResource(RolloutCatalog rollouts, RolloutStream stream) {
        this.rollouts = rollouts;
        this.stream = stream;
    }

    @GET
    @Path("{id}")
    public RolloutView get(@PathParam("id") String id) {
        return rollouts.get(id);
    }

    /** The history, newest first, optionally filtered; {@code page} from 0, {@code size} 1 to 500 (default 50). */
    @GET
    public List<RolloutSummary> list(
            @QueryParam("application") String application,
            @QueryParam("ring") String ring,
            @QueryParam("phase") String phase,
            @QueryParam("page") String page,
            @QueryParam("size") String size) {
        if (phase != null && !PHASES.contains(phase)) {
            throw new BadRequestException("query parameter 'phase' must be one of " + PHASES);
        }
        Integer p = Requests.intParam("page", page);
        Integer s = Requests.intParam("size", size);
        if ((p != null && p < 0) || (s != null && (s < 1 || s > 500))) {
            throw new BadRequestException("'page' must be 0 or more and 'size' 1 to 500");
        }
        return rollouts.list(
                application, Requests.intParam("ring", ring), phase, p == null ? 0 : p, s == null ? 50 : s);
    }

    @POST
    @Path("{id}/pause")
    public Response pause(@PathParam("id") String id, ControlRequest body) {
        return Response.accepted(rollouts.control(id, RolloutControl.Action.PAUSE, body))
                .build();
    }

    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("id") String id, ControlRequest body) {
        return Response.accepted(rollouts.control(id, RolloutControl.Action.RESUME, body))
                .build();
    }

    @POST
    @Path("{id}/abort")
    public Response abort(@PathParam("id") String id, ControlRequest body) {
        return Response.accepted(rollouts.control(id, RolloutControl.Action.ABORT, body))
                .build();
    }

    /**
     * The rollout's events as server-sent events: the timeline so far, then each new event as it happens; the stream
     * ends when the rollout is over.
     */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking // it reads the stored timeline first
    public Multi<TimelineEntry> events(@PathParam("id") String id) {
        Multi<TimelineEntry> live = stream.follow(id); // buffers from now on: nothing falls between the two parts
        RolloutView view;
        try {
            view = rollouts.get(id);
        } catch (RuntimeException e) {
            live.subscribe().with(x -> {}).cancel();
            throw e;
        }
        List<TimelineEntry> past = view.timeline();
        long last = past.isEmpty() ? 0 : past.get(past.size() - 1).seq();
        if (Rollout.TERMINAL.contains(view.phase())) {
            live.subscribe().with(x -> {}).cancel();
            return Multi.createFrom().iterable(past);
        }
        return Multi.createBy()
                .concatenating()
                .streams(Multi.createFrom().iterable(past), live.filter(e -> e.seq() > last));
    }
}
