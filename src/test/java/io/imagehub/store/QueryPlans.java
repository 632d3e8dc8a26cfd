package io.imagehub.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagehub.config.ServerConfig;
import io.imagehub.domain.ImageQuery;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prints the query plans (EXPLAIN ANALYZE, on H2 or PostgreSQL) of the statements the repositories
 * really run for the benchmark's hot operations, on a data dir made by bench/generate: every statement a repository
 * prepares is explained with its actual parameters before it runs. For docs/performance.md.
 * Usage: QueryPlans DATA_DIR [JDBC_URL [USER]]
 */
public final class QueryPlans {
    public static void main(String[] args) throws Exception {
        ServerConfig config = new ServerConfig();
        config.dataDir = Path.of(args[0]);
        String url = args.length > 1 ? args[1] : config.effectiveDbUrl();
        JsonNode client = new ObjectMapper().readTree(config.dataDir.resolve("bench-fixtures.json").toFile())
                .get("Clients").get(0);
        String owner = client.get("Owner").get("AccountId").asText();
        String recipient = client.get("Recipient").get("AccountId").asText();
        String image = client.get("ShareListImage").asText();
        String region = "ap-guangzhou";
        try (Database database = new Database(url, args.length > 2 ? args[2] : "", "", 2)) {
            database.inTransaction(c -> {
                Connection explaining = explaining(c, "EXPLAIN ANALYZE ");
                System.out.println("## DescribeImages as owner (Limit 20)");
                new JdbcImageRepository(explaining, new ListingChanges()).search(new ImageQuery(owner, region, ImageQuery.ALL_KINDS,
                        List.of(), List.of(), List.of(), List.of(), 0, 20));
                System.out.println("## DescribeImages as recipient (SHARED_IMAGE, Limit 100)");
                new JdbcImageRepository(explaining, new ListingChanges()).search(new ImageQuery(recipient, region, Set.of(ImageQuery.SHARED),
                        List.of(), List.of(), List.of(), List.of(), 0, 100));
                System.out.println("## DescribeImageSharePermission");
                new JdbcShareRepository(explaining, new ListingChanges()).list(image);
                System.out.println("## ModifyImageAttribute / ModifyImageSharePermission / DeleteImages: the image row lock");
                new JdbcImageRepository(explaining, new ListingChanges()).findForUpdate(image);
                System.out.println("## ImportImage quota check");
                new JdbcImageRepository(explaining, new ListingChanges()).countOwned(owner, region);
                c.rollback();
                return null;
            });
        }
    }

    /** A connection whose prepared statements print their plan (with the bound parameters) before they run. */
    private static Connection explaining(Connection c, String explain) {
        return (Connection) Proxy.newProxyInstance(QueryPlans.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, c, args);
                    if (method.getName().equals("prepareStatement") && args.length == 1) {
                        return explainingStatement(c, (PreparedStatement) result, (String) args[0], explain);
                    }
                    return result;
                });
    }

    private static PreparedStatement explainingStatement(Connection c, PreparedStatement real, String sql, String explain) {
        Map<Integer, Object> params = new TreeMap<>();
        return (PreparedStatement) Proxy.newProxyInstance(QueryPlans.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setObject")) {
                        params.put((Integer) args[0], args[1]);
                    }
                    if (method.getName().equals("executeQuery")) {
                        System.out.println("```sql\n" + sql + "\n```\n```");
                        try (PreparedStatement plan = c.prepareStatement(explain + sql)) {
                            for (Map.Entry<Integer, Object> p : params.entrySet()) {
                                plan.setObject(p.getKey(), p.getValue());
                            }
                            try (ResultSet rs = plan.executeQuery()) {
                                while (rs.next()) {
                                    System.out.println(rs.getString(1));
                                }
                            }
                        }
                        System.out.println("```");
                    }
                    return invoke(method, real, args);
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
