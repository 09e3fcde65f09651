package dev.ringmaster.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void schemasAreCleanSeparateAndDropped() throws Exception {
        TestPostgres.Server server = TestPostgres.server();
        String a = server.createSchema("a");
        String b = server.createSchema("a");
        assertThat(a).isNotEqualTo(b).startsWith("t_a_");
        try (Connection c = DriverManager.getConnection(server.urlFor(a), server.user(), server.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE x (id int)");
            ResultSet rs = s.executeQuery("SELECT current_schema()");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(a);
        }
        try (Connection c = DriverManager.getConnection(server.urlFor(b), server.user(), server.password());
                Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
            rs.next();
            assertThat(rs.getInt(1)).as("a new schema is empty").isZero();
        }
        server.dropSchema(a);
        server.dropSchema(b);
        try (Connection c = server.connect();
                Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM information_schema.schemata WHERE schema_name IN ('" + a + "','" + b + "')");
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
