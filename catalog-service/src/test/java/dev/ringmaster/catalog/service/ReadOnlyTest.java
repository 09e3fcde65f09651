package dev.ringmaster.catalog.service;

import static dev.ringmaster.catalog.support.Api.createApp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringmaster.catalog.domain.Application;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/** What {@link ReadOnly} promises: a read's own transaction is read-only; a write that reads through it stays a write. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ReadOnlyTest {

    @Inject
    Probe probe;

    @Test
    void aReadInItsOwnTransactionLoadsReadOnlyAndWritesNothing() {
        createApp("ro-alone");
        String before = probe.description("ro-alone");
        assertTrue(probe.readAndChange("ro-alone", "changed in a read"), "the session is read-only");
        assertEquals(before, probe.description("ro-alone"), "a change made in a read is not flushed");
    }

    @Test
    void aWriteThatCallsAReadStaysAWrite() {
        createApp("ro-joined");
        assertFalse(probe.writeThroughARead("ro-joined", "changed in a write"), "the write's session is not read-only");
        assertEquals("changed in a write", probe.description("ro-joined"));
    }

    @Test
    void aFailedReadStillAnswersWithItsOwnException() {
        IllegalStateException e =
                org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> probe.failingRead());
        assertEquals("no such thing", e.getMessage());
    }

    @ApplicationScoped
    static class Probe {

        @Inject
        Reader reader;

        /** Changes a loaded entity inside a read; answers whether the session was read-only. */
        boolean readAndChange(String app, String description) {
            return reader.change(app, description);
        }

        @Transactional
        boolean writeThroughARead(String app, String description) {
            return reader.change(app, description);
        }

        @Transactional
        String description(String app) {
            return Application.<Application>find("name", app).firstResult().description;
        }

        void failingRead() {
            reader.fail();
        }
    }

    @ApplicationScoped
    static class Reader {

        @Inject
        Session session;

        @ReadOnly
        @Transactional
        boolean change(String app, String description) {
            Application a = Application.<Application>find("name", app).firstResult();
            a.description = description;
            return session.isDefaultReadOnly();
        }

        @ReadOnly
        @Transactional
        void fail() {
            throw new IllegalStateException("no such thing");
        }
    }
}
