package dev.ringmaster.fleetsim;

import java.time.Duration;
import java.util.Locale;

/**
 * How the agents' delays spread over the clusters, around the configured delay (its mean). Real fleets are not
 * uniform: most clusters apply a bundle in a few seconds and a few take much longer (slow links, busy nodes, image
 * pulls), which is what an exponential spread gives.
 *
 * <p>A draw is a function of the cluster, the deployment ID and the phase: the same cluster takes the same time for
 * the same deployment in every run (reproducible), and different times for different deployments.
 */
public enum Spread {
    /** Every cluster takes exactly the delay. */
    FIXED,
    /** Uniform between zero and twice the delay. */
    UNIFORM,
    /** Exponential with the delay as its mean: most clusters fast, a long tail of slow ones. */
    EXPONENTIAL;

    /** The delay for one cluster, deployment and phase, around {@code mean}. */
    public Duration draw(Duration mean, String cluster, String deploymentId, String phase) {
        if (this == FIXED || mean.isZero()) {
            return mean;
        }
        double u = unit(cluster + "|" + deploymentId + "|" + phase);
        double factor = this == UNIFORM ? 2 * u : -Math.log(1 - u);
        return Duration.ofNanos((long) (mean.toNanos() * factor));
    }

    /** A number in [0, 1) from the text's hash: stable across runs and JVMs. */
    static double unit(String text) {
        long h = 1125899906842597L;
        for (int i = 0; i < text.length(); i++) {
            h = 31 * h + text.charAt(i);
        }
        h ^= (h >>> 33);
        h *= 0xff51afd7ed558ccdL;
        h ^= (h >>> 33);
        return (h >>> 11) * 0x1.0p-53;
    }

    /** {@code fixed}, {@code uniform} or {@code exponential} (any case). */
    public static Spread parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "delay spread must be fixed, uniform or exponential, not '" + text + "'", e);
        }
    }
}
