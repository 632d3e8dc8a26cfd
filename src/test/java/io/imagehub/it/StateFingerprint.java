package io.imagehub.it;

import io.imagehub.app.Imagehub;
import io.imagehub.blob.ChunkStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a node has stored, as one comparable value: every row of every table and every chunk of every store.
 * Two equal fingerprints mean a call changed nothing. Meant for the small databases of tests.
 */
record StateFingerprint(TreeMap<String, List<String>> tables, TreeSet<String> chunks) {

    static StateFingerprint of(Imagehub node) {
        try (Connection c = node.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            // the application's tables: the schema of tables (public) in H2 and PostgreSQL alike
            List<String> names = new ArrayList<>();
            try (ResultSet r = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (r.next()) {
                    if ("public".equalsIgnoreCase(r.getString("TABLE_SCHEM"))) {
                    names.add(r.getString("TABLE_SCHEM") + "." + r.getString("TABLE_NAME"));
                }
                }
            }
            TreeMap<String, List<String>> tables = new TreeMap<>();
            for (String table : names) {
                List<String> rows = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(r.getString(i)).append('\u0001');
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                tables.put(table, rows);
            }
            c.rollback();
            TreeSet<String> chunks = new TreeSet<>();
            for (ChunkStore store : node.chunkStores().distinct()) {
                store.forEach(chunk -> chunks.add(store.id() + "/" + chunk));
            }
            return new StateFingerprint(tables, chunks);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tables whose rows differ from {@code before}'s, not counting the audit events of the refusal of request
     * {@code requestId} with {@code code} (refused attempts are audited, docs/adr on the audit trail).
     */
    List<String> changedSince(StateFingerprint before, String requestId, String code) {
        List<String> changed = new ArrayList<>();
        tables.forEach((name, rows) -> {
            List<String> compared = rows;
            if (name.equalsIgnoreCase("public.audit_events")) {
                compared = rows.stream().filter(row -> !(row.contains(requestId) && row.contains(code))).toList();
            }
            if (!compared.equals(before.tables.get(name))) {
                changed.add(name);
            }
        });
        if (!chunks.equals(before.chunks)) {
            changed.add("chunks");
        }
        return changed;
    }
}
