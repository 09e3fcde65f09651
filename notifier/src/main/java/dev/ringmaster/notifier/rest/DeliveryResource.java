package dev.ringmaster.notifier.rest;

import dev.ringmaster.notifier.delivery.DeliveryStore;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * What the notifier knows and did. The catalog serves the same delivery log at the same path (users call the
 * catalog); these are for it and for operators.
 */
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryStore store;

    public DeliveryResource(DeliveryStore store) {
        this.store = store;
    }

    /** The subscriptions the notifier delivers to, as learned from catalog.events (no secrets). */
    @GET
    public List<Map<String, Object>> subscriptions() {
        return store.subscriptions();
    }

    /** A subscription's newest deliveries (default 50, at most 1,000), each with every attempt. */
    @GET
    @Path("{name}/deliveries")
    public List<DeliveryView> deliveries(@PathParam("name") String name, @QueryParam("limit") Integer limit) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 1000) {
            throw new BadRequestException("limit must be between 1 and 1000");
        }
        return store.deliveries(name, n);
    }
}
