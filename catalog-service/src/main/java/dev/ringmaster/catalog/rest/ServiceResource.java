package dev.ringmaster.catalog.rest;

import dev.ringmaster.catalog.api.DependenciesRequest;
import dev.ringmaster.catalog.api.PlanRequest;
import dev.ringmaster.catalog.api.ServiceRequest;
import dev.ringmaster.catalog.api.ServiceView;
import dev.ringmaster.catalog.service.ServiceCatalog;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/applications/{app}/services")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "services")
public class ServiceResource {

    private final ServiceCatalog services;

    public ServiceResource(ServiceCatalog services) {
        this.services = services;
    }

    @POST
    public Response create(@PathParam("app") String app, ServiceRequest body, UriInfo uri) {
        ServiceView created = services.create(app, Requests.body(body));
        return Response.created(
                        uri.getAbsolutePathBuilder().path(created.name()).build())
                .entity(created)
                .build();
    }

    @GET
    public List<ServiceView> list(@PathParam("app") String app) {
        return services.list(app);
    }

    @GET
    @Path("{service}")
    public ServiceView get(@PathParam("app") String app, @PathParam("service") String service) {
        return services.get(app, service);
    }

    /** Replaces the service's dependencies; refused (422) with the cycle's path if they would close a cycle. */
    @PUT
    @Path("{service}/dependencies")
    public ServiceView setDependencies(
            @PathParam("app") String app, @PathParam("service") String service, DependenciesRequest body) {
        DependenciesRequest req = Requests.body(body);
        if (req.dependsOn() == null) {
            throw new BadRequestException("field 'dependsOn' is required (an empty list removes every dependency)");
        }
        return services.setDependencies(app, service, req.dependsOn());
    }

    /** Sets the rollout plan: the version the next rollouts take the service to. */
    @PUT
    @Path("{service}/plan")
    public ServiceView setPlan(@PathParam("app") String app, @PathParam("service") String service, PlanRequest body) {
        PlanRequest req = Requests.body(body);
        if (req.version() == null) {
            throw new BadRequestException("field 'version' is required (DELETE the plan to clear it)");
        }
        return services.setPlan(app, service, req.version());
    }

    /** Clears the rollout plan. */
    @DELETE
    @Path("{service}/plan")
    public ServiceView clearPlan(@PathParam("app") String app, @PathParam("service") String service) {
        return services.setPlan(app, service, null);
    }

    @DELETE
    @Path("{service}")
    public Response delete(@PathParam("app") String app, @PathParam("service") String service) {
        services.delete(app, service);
        return Response.noContent().build();
    }
}
