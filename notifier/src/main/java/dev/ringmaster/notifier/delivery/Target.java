package dev.ringmaster.notifier.delivery;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscription as the notifier knows it, at the moment of an attempt.
 *
 * @param secrets the secrets to sign with: the current one, then the previous one while its grace period lasts
 */
public record Target(String name, String kind, String url, List<String> secrets) {

    static Target of(
            String name,
            String kind,
            String url,
            String secret,
            String previousSecret,
            OffsetDateTime previousExpiresAt,
            OffsetDateTime now) {
        List<String> secrets = new ArrayList<>();
        if (secret != null) {
            secrets.add(secret);
        }
        if (previousSecret != null && previousExpiresAt != null && previousExpiresAt.isAfter(now)) {
            secrets.add(previousSecret);
        }
        return new Target(name, kind, url, List.copyOf(secrets));
    }

    public boolean isSlack() {
        return "SLACK".equals(kind);
    }

    @Override
    public String toString() {
        return "Target[" + name + ", " + kind + "]"; // never the URL (Slack's carries a credential) or secrets
    }
}
