package dev.ringmaster.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's Prometheus metrics (/q/metrics), read by the drivers. */
final class Metrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");

    private Metrics() {}

    /** The samples whose series (name and labels) starts with {@code prefix}, by series. */
    static Map<String, Double> scrape(String url, String prefix) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return samples(body, prefix);
    }

    static Map<String, Double> samples(String body, String prefix) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = SAMPLE.matcher(body);
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    /** How much each counter grew, "series +n" joined by "; " (the series that did not grow left out). */
    static String since(Map<String, Double> before, Map<String, Double> after) {
        List<String> grown = new ArrayList<>();
        after.forEach((series, value) -> {
            double d = value - before.getOrDefault(series, 0.0);
            if (d != 0) {
                grown.add(String.format("%s +%.0f", series, d));
            }
        });
        return grown.isEmpty() ? "none" : String.join("; ", grown);
    }
}
