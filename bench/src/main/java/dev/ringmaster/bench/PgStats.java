package dev.ringmaster.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What PostgreSQL did per table between two moments, from its cumulative statistics ({@code pg_stat_user_tables}):
 * rows read by sequential and by index scans, rows written, and (auto)vacuum and analyze runs. A run whose database
 * took far more CPU than the others shows here which table it read.
 */
final class PgStats {

    /** One table's counters: seq scans, rows read by them, rows fetched by index scans, rows written, autovacuums. */
    record Table(long seqScans, long seqRead, long indexFetched, long written, long autovacuums) {
        static final Table ZERO = new Table(0, 0, 0, 0, 0);

        Table minus(Table before) {
            return new Table(
                    seqScans - before.seqScans,
                    seqRead - before.seqRead,
                    indexFetched - before.indexFetched,
                    written - before.written,
                    autovacuums - before.autovacuums);
        }

        long read() {
            return seqRead + indexFetched;
        }
    }

    private PgStats() {}

    /** The counters now, by schema.table. */
    static Map<String, Table> snapshot(Connection c) throws SQLException {
        Map<String, Table> tables = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT schemaname || '.' || relname, seq_scan, seq_tup_read,"
                        + " coalesce(idx_tup_fetch, 0), n_tup_ins + n_tup_upd + n_tup_del,"
                        + " autovacuum_count + autoanalyze_count FROM pg_stat_user_tables")) {
            while (r.next()) {
                tables.put(
                        r.getString(1),
                        new Table(r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6)));
            }
        }
        return tables;
    }

    /** The {@code top} tables that read most rows between the snapshots, one line. */
    static String since(Map<String, Table> before, Map<String, Table> after, int top) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().minus(before.getOrDefault(e.getKey(), Table.ZERO))))
                .sorted(Comparator.comparingLong(
                                (Map.Entry<String, Table> e) -> e.getValue().read())
                        .reversed())
                .limit(top)
                .map(e -> String.format(
                        "%s %,d read (%,d by %,d seq scans), %,d written, %d autovacuum/analyze",
                        e.getKey(),
                        e.getValue().read(),
                        e.getValue().seqRead(),
                        e.getValue().seqScans(),
                        e.getValue().written(),
                        e.getValue().autovacuums()))
                .collect(Collectors.joining("; "));
    }
}
