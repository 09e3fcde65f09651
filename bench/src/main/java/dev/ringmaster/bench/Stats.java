package dev.ringmaster.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of a sample (nearest rank). */
record Stats(int count, double p50, double p99, double max) {

    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return new Stats(v.size(), rank(v, 0.50), rank(v, 0.99), v.get(v.size() - 1));
    }

    private static double rank(List<Double> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
