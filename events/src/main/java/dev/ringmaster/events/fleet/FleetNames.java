package dev.ringmaster.events.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How Rancher Fleet names things (from its source, v0.16.1): the namespace that holds a cluster's
 * BundleDeployments, and wrangler's name helpers. Pure.
 */
public final class FleetNames {

    /**
     * The namespace of a cluster's BundleDeployments, Fleet's {@code Cluster.status.namespace}:
     * {@code SafeConcatName("cluster", ns, name, KeyHash(ns + "::" + name))}.
     */
    public static String clusterNamespace(String clusterNamespace, String clusterName) {
        return safeConcatName("cluster", clusterNamespace, clusterName, keyHash(clusterNamespace + "::" + clusterName));
    }

    /** wrangler's KeyHash: the first 12 hex digits of the SHA-256 of the first 100 characters. */
    public static String keyHash(String s) {
        String in = s.length() > 100 ? s.substring(0, 100) : s;
        return hex(sha256(in)).substring(0, 12);
    }

    /**
     * wrangler's SafeConcatName: the parts joined by {@code -}; a result of 64 characters or more is cut to 57
     * characters plus {@code -} and 5 hex digits of its SHA-256 (56 plus 6 when character 56 is not [a-z0-9]).
     */
    public static String safeConcatName(String... parts) {
        String full = String.join("-", parts);
        if (full.length() < 64) {
            return full;
        }
        String digest = hex(sha256(full));
        char c = full.charAt(56);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            return full.substring(0, 57) + "-" + digest.substring(0, 5);
        }
        return full.substring(0, 56) + "-" + digest.substring(0, 6);
    }

    /**
     * The name of the GitRepo Ringmaster keeps for one service of one application: {@code <application>-<service>},
     * cut to 63 characters with a hash as Fleet's own names are.
     */
    public static String gitRepoName(String application, String service) {
        return safeConcatName(application, service);
    }

    /** The label that puts a Fleet Cluster in an application (value {@code "true"}). */
    public static String applicationLabel(String application) {
        return "app.ringmaster.dev/" + application;
    }

    /**
     * The name of the Bundle of a GitRepo's path, in the simple case Ringmaster creates: {@code <gitrepo>-<path>}
     * with {@code /} as {@code -}, lower-case letters, digits and '-' only; path {@code .} gives the GitRepo's name.
     * (Fleet appends hashes for other characters and long names; Ringmaster's names never need them, and the watcher
     * finds BundleDeployments by their labels, not by this name.)
     */
    public static String bundleName(String gitRepo, String path) {
        String p = path == null || path.equals(".") || path.isEmpty() ? "" : "-" + path.replace('/', '-');
        return (gitRepo + p).toLowerCase();
    }

    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private FleetNames() {}
}
