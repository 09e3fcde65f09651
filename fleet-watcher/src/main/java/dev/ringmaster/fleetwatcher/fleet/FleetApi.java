package dev.ringmaster.fleetwatcher.fleet;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Fleet's resources, group {@code fleet.cattle.io}, version {@code v1alpha1}. */
public final class FleetApi {

    public static final ResourceDefinitionContext GITREPO = ctx("GitRepo", "gitrepos");
    public static final ResourceDefinitionContext BUNDLE_DEPLOYMENT = ctx("BundleDeployment", "bundledeployments");
    public static final ResourceDefinitionContext CLUSTER = ctx("Cluster", "clusters");

    public static final String REPO_NAME = "fleet.cattle.io/repo-name";
    public static final String COMMIT = "fleet.cattle.io/commit";

    private static ResourceDefinitionContext ctx(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("fleet.cattle.io")
                .withVersion("v1alpha1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }

    private FleetApi() {}
}
