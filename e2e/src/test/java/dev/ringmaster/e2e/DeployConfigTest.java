package dev.ringmaster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes (rendered with kustomize) and docker-compose.yml: every object parses, and every environment
 * variable given to a service is one the service reads (from its sources, {@link ServiceConfigKeys}).
 */
class DeployConfigTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theCheckKnowsWhatEachServiceReads() {
        var notifier = ServiceConfigKeys.of(ROOT, "notifier");
        var catalog = ServiceConfigKeys.of(ROOT, "catalog-service");
        var committer = ServiceConfigKeys.of(ROOT, "git-committer");
        assertThat(notifier.allows("RINGMASTER_DELIVERY_MAX_ATTEMPTS")).isTrue();
        assertThat(notifier.allows("RINGMASTER_TARGETS_ALLOW_LOOPBACK")).isTrue();
        assertThat(notifier.allows("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
        assertThat(catalog.allows("RINGMASTER_OUTBOX_RELAY_ENABLED")).isTrue(); // through the outbox
        assertThat(catalog.allows("RINGMASTER_DELIVERY_MAX_ATTEMPTS")).isFalse();
        assertThat(catalog.allows("RINGMASTER_GIT_USERNAME")).isFalse();
        assertThat(committer.allows("RINGMASTER_GIT_HOSTS_GITHUB_COM_PASSWORD")).isTrue(); // a Map member
        assertThat(committer.allows("RINGMASTER_DB_URL")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void kustomizeRendersObjectsThatParseAndReferOnlyToWhatServicesRead(String dir) throws Exception {
        List<Map<String, Object>> objects =
                render(ROOT.resolve("deploy/kubernetes").resolve(dir));
        assertThat(objects).isNotEmpty();
        Map<String, Map<String, Object>> configMaps = new java.util.HashMap<>();
        for (Map<String, Object> o : objects) {
            assertThat(o.get("apiVersion")).as("apiVersion of %s", o).isNotNull();
            assertThat(o.get("kind")).isNotNull();
            assertThat(meta(o).get("name")).isNotNull();
            if ("ConfigMap".equals(o.get("kind"))) {
                configMaps.put((String) meta(o).get("name"), o);
            }
        }
        Set<String> deployed = new HashSet<>();
        for (Map<String, Object> d : objects) {
            if (!"Deployment".equals(d.get("kind"))) {
                continue;
            }
            Map<String, Object> spec = map(map(map(d, "spec"), "template"), "spec");
            for (Object c : (List<?>) spec.get("containers")) {
                Map<String, Object> container = cast(c);
                String service = (String) container.get("name");
                if (!ServiceConfigKeys.services().contains(service)) {
                    continue; // Kafka, PostgreSQL of the dev overlay: their images' own variables
                }
                deployed.add(service);
                var allowed = ServiceConfigKeys.of(ROOT, service);
                for (Object e : (List<?>) container.get("env")) {
                    Map<String, Object> env = cast(e);
                    String name = (String) env.get("name");
                    assertThat(allowed.allows(name))
                            .as("%s reads %s (%s)", service, name, dir)
                            .isTrue();
                    Map<String, Object> from = cast(env.get("valueFrom"));
                    if (from != null && from.get("configMapKeyRef") != null) {
                        Map<String, Object> ref = cast(from.get("configMapKeyRef"));
                        Map<String, Object> cm = configMaps.get((String) ref.get("name"));
                        assertThat(cm)
                                .as("ConfigMap %s of %s", ref.get("name"), service)
                                .isNotNull();
                        assertThat(map(cm, "data")).containsKey((String) ref.get("key"));
                    }
                    if (dir.equals("overlays/prod")
                            && name.startsWith("RINGMASTER_DB_")
                            && from != null
                            && from.get("secretKeyRef") != null) {
                        Map<String, Object> secret = cast(from.get("secretKeyRef"));
                        assertThat(secret.get("name")).isEqualTo("ringmaster-db-app");
                    }
                }
                assertThat(map(map(container, "readinessProbe"), "httpGet").get("path"))
                        .isEqualTo("/q/health/ready");
                assertThat(map(map(container, "livenessProbe"), "httpGet").get("path"))
                        .isEqualTo("/q/health/live");
                assertThat(map(map(container, "resources"), "requests")).containsKeys("cpu", "memory");
                if (service.equals("fleet-watcher") && !dir.equals("overlays/dev")) {
                    assertThat((Integer) map(d, "spec").get("replicas")).isGreaterThanOrEqualTo(2);
                    assertThat(spec.get("serviceAccountName")).isEqualTo("fleet-watcher");
                }
            }
        }
        assertThat(deployed).containsExactlyInAnyOrderElementsOf(ServiceConfigKeys.services());
    }

    @Test
    void composeStartsKafkaPostgresAndTheFiveServicesWithOnlyWhatTheyRead() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Object> services = cast(compose.get("services"));
        assertThat(services).containsKeys("kafka", "postgres");
        assertThat(services.keySet()).containsAll(ServiceConfigKeys.services());
        Set<String> ports = new HashSet<>();
        for (String service : ServiceConfigKeys.services()) {
            Map<String, Object> s = cast(services.get(service));
            var allowed = ServiceConfigKeys.of(ROOT, service);
            Map<String, Object> env = cast(s.get("environment"));
            env.keySet()
                    .forEach(k -> assertThat(allowed.allows(k))
                            .as("%s reads %s", service, k)
                            .isTrue());
            assertThat(env).containsKey("KAFKA_BOOTSTRAP_SERVERS");
            Map<String, Object> build = cast(s.get("build"));
            Path context = ROOT.resolve((String) build.get("context"));
            assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
            Map<String, Object> deps = cast(s.get("depends_on"));
            for (Object dep : deps.keySet()) {
                assertThat(services).containsKey((String) dep);
            }
            for (Object p : (List<?>) s.get("ports")) {
                assertThat(ports.add(p.toString())).as("port %s used twice", p).isTrue();
            }
        }
    }

    private static List<Map<String, Object>> render(Path dir) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("kubectl is not installed: cannot render " + dir);
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object o : new Yaml().loadAll(out)) {
            if (o != null) {
                docs.add(cast(o));
            }
        }
        return docs;
    }

    private static Map<String, Object> meta(Map<String, Object> o) {
        return map(o, "metadata");
    }

    private static Map<String, Object> map(Map<String, Object> o, String key) {
        Map<String, Object> m = cast(o.get(key));
        assertThat(m).as("%s in %s", key, o.keySet()).isNotNull();
        return m;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
