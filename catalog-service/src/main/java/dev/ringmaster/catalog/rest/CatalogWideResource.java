package dev.ringmaster.catalog.rest;

import dev.ringmaster.catalog.api.ClusterView;
import dev.ringmaster.catalog.api.ServiceView;
import dev.ringmaster.catalog.service.ClusterCatalog;
import dev.ringmaster.catalog.service.ServiceCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Listings across every application. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "catalog")
public class CatalogWideResource {

    private final ServiceCatalog services;
    private final ClusterCatalog clusters;

    public CatalogWideResource(ServiceCatalog services, ClusterCatalog clusters) {
        this.services = services;
        this.clusters = clusters;
    }

    /** Every service of every application. */
    @GET
    @Path("services")
    public List<ServiceView> services() {
        return services.listAll();
    }

    /** Every cluster of every application, all or those of one ring ({@code ?ring=0}). */
    @GET
    @Path("clusters")
    public List<ClusterView> clusters(@QueryParam("ring") String ring) {
        return clusters.listAll(Requests.intParam("ring", ring));
    }
}
