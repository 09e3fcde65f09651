package dev.ringmaster.notifier.delivery;

import dev.ringmaster.events.notify.WebhookSecrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook as Standard Webhooks 1.0 says: HMAC-SHA256 over {@code <webhook-id>.<webhook-timestamp>.<body>}
 * with the secret's decoded key, sent as {@code v1,<base64>}; several signatures (during a secret rotation) are
 * separated by a space.
 */
public final class WebhookSigner {

    private WebhookSigner() {}

    /** The {@code webhook-signature} header value: one {@code v1,} signature per secret, in the order given. */
    public static String signatureHeader(List<String> secrets, String id, long timestamp, String body) {
        return secrets.stream().map(s -> "v1," + sign(s, id, timestamp, body)).collect(Collectors.joining(" "));
    }

    static String sign(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WebhookSecrets.key(secret), "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
