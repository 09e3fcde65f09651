package dev.ringmaster.fleetwatcher.domain;

import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Fleet's answer for one cluster, from its BundleDeployment: whether it runs the expected commit and is ready. Pure.
 *
 * <p>A cluster counts as ready when its BundleDeployment carries the expected commit, or a commit that has it as an
 * ancestor (a newer push overwrites the label), its staged, spec and applied deployment IDs are equal, it is not
 * paused, and it reports ready and nonModified. {@code GitRepo.status.commit} is no proof: it moves before the
 * deployment does.
 */
public final class Readiness {

    /** What the BundleDeployment says now. */
    public enum Verdict {
        /** Runs the commit (or a descendant) and is ready. */
        READY,
        /** Helm failed: Deployed=False and the new deployment ID not applied. Final for this expectation. */
        ERR_APPLIED,
        /** Applied and ready but drifted (nonModified false). Final for this expectation. */
        MODIFIED,
        /** Applied, not ready (yet): a failure only if still so at the deadline. */
        NOT_READY,
        /** Not there yet: an older commit, not applied, held back, or no BundleDeployment. */
        WAITING
    }

    /** The verdict and, for a failure, Fleet's message and when Fleet reported it (null if unknown). */
    public record Result(Verdict verdict, String message, java.time.OffsetDateTime reportedAt) {
        Result(Verdict verdict, String message) {
            this(verdict, message, null);
        }
    }

    private Readiness() {}

    /**
     * Judges a BundleDeployment ({@code labels}, {@code spec}, {@code status} as Fleet writes them; null when there is
     * none) against the expected commit. {@code descends(candidate, expected)} answers whether {@code candidate} has
     * {@code expected} as an ancestor; it is asked only when the commit label differs.
     */
    @SuppressWarnings("unchecked")
    public static Result judge(
            Map<String, String> labels,
            Map<String, Object> spec,
            Map<String, Object> status,
            String expectedCommit,
            BiPredicate<String, String> descends) {
        if (labels == null || spec == null) {
            return new Result(Verdict.WAITING, "no BundleDeployment yet");
        }
        String commit = labels.get("fleet.cattle.io/commit");
        if (commit == null) {
            return new Result(Verdict.WAITING, "no commit label");
        }
        if (!commit.equals(expectedCommit) && !descends.test(commit, expectedCommit)) {
            return new Result(
                    Verdict.WAITING, "runs commit " + abbreviate(commit) + ", not yet " + abbreviate(expectedCommit));
        }
        Map<String, Object> st = status == null ? Map.of() : status;
        String deploymentId = (String) spec.get("deploymentID");
        String staged = (String) spec.get("stagedDeploymentID");
        String applied = (String) st.get("appliedDeploymentID");
        String deployedFalse = conditionMessage(st, "Deployed", "False");
        if (deploymentId == null || !deploymentId.equals(applied)) {
            if (deployedFalse != null) {
                return new Result(Verdict.ERR_APPLIED, deployedFalse, conditionTime(st, "Deployed"));
            }
            return new Result(Verdict.WAITING, "waiting for the agent to apply");
        }
        if (staged == null || !staged.equals(deploymentId) || Boolean.TRUE.equals(spec.get("paused"))) {
            return new Result(Verdict.WAITING, "held back by the rollout strategy (OutOfSync)");
        }
        if (!Boolean.TRUE.equals(st.get("ready"))) {
            String msg = conditionMessage(st, "Ready", "False");
            return new Result(Verdict.NOT_READY, msg == null || msg.isEmpty() ? "not ready" : msg);
        }
        if (!Boolean.TRUE.equals(st.get("nonModified"))) {
            String msg = conditionMessage(st, "Ready", "False");
            return new Result(
                    Verdict.MODIFIED, msg == null || msg.isEmpty() ? "modified" : msg, conditionTime(st, "Ready"));
        }
        return new Result(Verdict.READY, "");
    }

    @SuppressWarnings("unchecked")
    private static String conditionMessage(Map<String, Object> status, String type, String value) {
        if (status.get("conditions") instanceof List<?> cs) {
            for (Object o : cs) {
                if (o instanceof Map<?, ?> c && type.equals(c.get("type")) && value.equals(c.get("status"))) {
                    Object m = c.get("message");
                    return m == null ? "" : m.toString();
                }
            }
        }
        return null;
    }

    private static java.time.OffsetDateTime conditionTime(Map<String, Object> status, String type) {
        if (status.get("conditions") instanceof List<?> cs) {
            for (Object o : cs) {
                if (o instanceof Map<?, ?> c && type.equals(c.get("type")) && c.get("lastUpdateTime") != null) {
                    try {
                        return java.time.OffsetDateTime.parse(
                                c.get("lastUpdateTime").toString());
                    } catch (java.time.format.DateTimeParseException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
