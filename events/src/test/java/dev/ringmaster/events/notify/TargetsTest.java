package dev.ringmaster.events.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.notify.Targets.Policy;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetsTest {

    @ParameterizedTest
    @CsvSource({
        "https://hooks.slack.com/services/T0/B0/x, ",
        "http://example.com:8080/hook?x=1, ",
        "ftp://example.com/hook, must be an http or https URL",
        "file:///etc/passwd, must be an http or https URL",
        "https://user:pw@example.com/, must not carry credentials; use the subscription's secret",
        "http://localhost:9000/, must not point to this machine (loopback)",
        "http://127.0.0.1:9000/, resolves to a loopback address (127.0.0.1)",
        "http://[::1]:9000/, resolves to a loopback address (0:0:0:0:0:0:0:1)",
        "http://169.254.169.254/latest/meta-data, resolves to a link-local address (169.254.169.254)",
        "http://10.1.2.3/, resolves to a private address (10.1.2.3)",
        "http://172.16.0.1/, resolves to a private address (172.16.0.1)",
        "http://192.168.1.1/, resolves to a private address (192.168.1.1)",
        "http://100.64.0.1/, resolves to a private address (100.64.0.1)",
        "http://[fd00::1]/, resolves to a private address (fd00:0:0:0:0:0:0:1)",
        "http://0.0.0.0/, resolves to a wildcard or multicast address (0.0.0.0)",
        "'not a url', is not a URL: Illegal character in path",
        "example.com/hook, must be an http or https URL",
        "https:///nohost, must name a host",
    })
    void strictPolicyRefusesWhatCouldReachInside(String url, String reason) {
        assertThat(Targets.checkUrl(url, Policy.STRICT).orElse(null)).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource({"http://localhost:9000/", "http://127.0.0.1:9000/", "http://[::1]:9000/"})
    void loopbackWhenAllowed(String url) {
        assertThat(Targets.checkUrl(url, new Policy(true, false))).isEmpty();
        assertThat(Targets.checkUrl("http://10.0.0.1/", new Policy(true, false)))
                .isPresent();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1", "192.168.0.10", "fd12::5"})
    void privateWhenAllowedButNeverLinkLocal(String address) throws Exception {
        Policy p = new Policy(false, true);
        assertThat(Targets.checkAddress(InetAddress.getByName(address), p)).isEmpty();
        assertThat(Targets.checkAddress(InetAddress.getByName("169.254.169.254"), p))
                .isPresent();
        assertThat(Targets.checkAddress(InetAddress.getByName("127.0.0.1"), p)).isPresent();
    }
}
