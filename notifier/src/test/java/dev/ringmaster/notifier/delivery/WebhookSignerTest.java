package dev.ringmaster.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.notify.WebhookSecrets;
import dev.ringmaster.notifier.support.SpecVerifier;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    // The test vector published with the Standard Webhooks specification.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";

    @Test
    void reproducesTheSpecificationsTestVector() {
        assertThat(WebhookSigner.signatureHeader(List.of(SECRET), ID, TIMESTAMP, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void duringARotationBothSecretsSignAndEitherVerifies() {
        String next = WebhookSecrets.generate();
        String header = WebhookSigner.signatureHeader(List.of(next, SECRET), ID, TIMESTAMP, BODY);
        assertThat(header.split(" ")).hasSize(2);
        Instant at = Instant.ofEpochSecond(TIMESTAMP);
        assertThat(new SpecVerifier(SECRET).verify(ID, "1614265330", header, BODY, at))
                .isTrue();
        assertThat(new SpecVerifier(next).verify(ID, "1614265330", header, BODY, at))
                .isTrue();
        assertThat(new SpecVerifier(WebhookSecrets.generate()).verify(ID, "1614265330", header, BODY, at))
                .isFalse();
    }
}
