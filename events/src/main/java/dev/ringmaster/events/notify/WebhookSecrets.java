package dev.ringmaster.events.notify;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signing secrets as Standard Webhooks writes them: {@code whsec_} followed by the base64 of the key (24 to 64 random
 * bytes). The HMAC key is the decoded bytes, not the string.
 */
public final class WebhookSecrets {

    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {}

    /** A new secret of 32 random bytes. */
    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Whether {@code secret} is a well-formed secret of 24 to 64 bytes. */
    public static boolean isValid(String secret) {
        try {
            int n = key(secret).length;
            return n >= 24 && n <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The HMAC key of a secret. */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }
}
