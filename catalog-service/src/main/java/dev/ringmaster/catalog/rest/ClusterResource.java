package dev.ringmaster.catalog.rest;

import dev.ringmaster.catalog.api.ClusterRequest;
import dev.ringmaster.catalog.api.ClusterView;
import dev.ringmaster.catalog.api.RingRequest;
import dev.ringmaster.catalog.service.ClusterCatalog;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/applications/{app}/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "clusters")
public class ClusterResource {

    private final ClusterCatalog clusters;

    public ClusterResource(ClusterCatalog clusters) {
        this.clusters = clusters;
    }

    @POST
    public Response register(@PathParam("app") String app, ClusterRequest body, UriInfo uri) {
        ClusterView created = clusters.register(app, Requests.body(body));
        return Response.created(
                        uri.getAbsolutePathBuilder().path(created.name()).build())
                .entity(created)
                .build();
    }

    /** The application's clusters, all or those of one ring ({@code ?ring=0}). */
    @GET
    public List<ClusterView> list(@PathParam("app") String app, @QueryParam("ring") String ring) {
        return clusters.list(app, Requests.intParam("ring", ring));
    }

    @GET
    @Path("{cluster}")
    public ClusterView get(@PathParam("app") String app, @PathParam("cluster") String cluster) {
        return clusters.get(app, cluster);
    }

    /** The other clusters of the same application on the same ring. */
    @GET
    @Path("{cluster}/siblings")
    public List<ClusterView> siblings(@PathParam("app") String app, @PathParam("cluster") String cluster) {
        return clusters.siblings(app, cluster);
    }

    /** Moves the cluster to another ring. */
    @PUT
    @Path("{cluster}/ring")
    public ClusterView setRing(@PathParam("app") String app, @PathParam("cluster") String cluster, RingRequest body) {
        return clusters.setRing(app, cluster, Requests.body(body).ring());
    }

    @DELETE
    @Path("{cluster}")
    public Response remove(@PathParam("app") String app, @PathParam("cluster") String cluster) {
        clusters.remove(app, cluster);
        return Response.noContent().build();
    }
}
