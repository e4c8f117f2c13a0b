package dev.asyncio.examples;

import static dev.asyncio.Asyncio.gather;
import static dev.asyncio.Asyncio.toThread;
import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.awaitLast;
import static dev.asyncio.reactor.ReactorCoroutines.iterate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import dev.asyncio.flow.PublisherIterator;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tutorials' database queries, both ways a JVM program talks to a database, on one embedded H2
 * database:
 * <ul>
 *   <li><b>R2DBC</b> (a reactive driver): its {@code Publisher}s are awaited and iterated inside the
 *       coroutine, no thread per query; a transaction that commits and one that rolls back; a large
 *       query left after ten rows, which cancels its subscription;</li>
 *   <li><b>JDBC</b> (blocking): each query runs on a worker thread with {@code toThread}, on a bounded
 *       HikariCP pool, several in flight under {@code gather}.</li>
 * </ul>
 *
 * <pre>
 * async with pool.acquire() as conn:               # asyncpg / aiosqlite style
 *     async with conn.transaction():
 *         await conn.execute("INSERT ...")
 *     rows = await conn.fetch("SELECT name FROM item")
 * prices = await asyncio.gather(*(asyncio.to_thread(price_of, i) for i in ids))
 * </pre>
 */
public final class QueryDatabase {
    /** One in-memory database for both drivers; kept while the JVM lives (DB_CLOSE_DELAY=-1). */
    private static final String DATABASE = "asyncio_shop";
    /** The JDBC pool's size: at most this many JDBC queries run at once, whatever gather starts. */
    static final int POOL_SIZE = 2;

    /** What the example saw, for its test. */
    record Outcome(List<String> names, long countAfterRollback, int rowsReadBeforeStop, boolean bigQueryCancelled,
            long countAfterStop, List<Integer> prices, int mostJdbcQueriesAtOnce) {
    }

    private QueryDatabase() {
    }

    /** Runs the example and prints what it found. */
    public static void run() {
        Outcome o = Asyncio.run(QueryDatabase::queries);
        System.out.println("r2dbc: items " + o.names() + ", " + o.countAfterRollback()
                + " after a commit and a rollback");
        System.out.println("r2dbc: a large query left after " + o.rowsReadBeforeStop() + " rows"
                + (o.bigQueryCancelled() ? ", its subscription cancelled" : ", NOT cancelled") + "; the connection then counted "
                + o.countAfterStop() + " items");
        System.out.println("jdbc: prices " + o.prices() + " from " + o.prices().size() + " queries under gather, on a pool of "
                + POOL_SIZE + " connections");
    }

    /** The example's coroutine. */
    static Outcome queries() throws Exception {
        ConnectionFactory factory = ConnectionFactories.get("r2dbc:h2:mem:///" + DATABASE + "?options=DB_CLOSE_DELAY=-1");
        Connection c = await(Mono.from(factory.create()));
        List<String> names = new ArrayList<>();
        long count;
        long countAfterStop;
        int read = 0;
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            update(c, "DROP TABLE IF EXISTS item"); // the database outlives a run in the same JVM
            update(c, "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(40), price INT)");
            await(Mono.from(c.beginTransaction()));
            update(c, "INSERT INTO item VALUES (1, 'apple', 3), (2, 'pear', 4), (3, 'plum', 2)");
            await(Mono.from(c.commitTransaction()));
            await(Mono.from(c.beginTransaction()));
            update(c, "INSERT INTO item VALUES (4, 'quince', 9)");
            await(Mono.from(c.rollbackTransaction()));

            try (PublisherIterator<String> rows = iterate(rows(c, "SELECT name FROM item ORDER BY id", String.class))) {
                for (String name : rows) {
                    names.add(name);
                }
            }
            count = awaitLast(rows(c, "SELECT COUNT(*) FROM item", Long.class));

            // Leaving the loop early closes the iterator, which cancels the query's subscription.
            Flux<Long> million = rows(c, "SELECT X FROM SYSTEM_RANGE(1, 1000000)", Long.class)
                    .doOnCancel(() -> cancelled.set(true));
            try (PublisherIterator<Long> big = iterate(million, 16)) {
                for (Long ignored : big) {
                    if (++read == 10) {
                        break;
                    }
                }
            }
            countAfterStop = awaitLast(rows(c, "SELECT COUNT(*) FROM item", Long.class)); // the connection is free again
        } finally {
            await(Mono.from(c.close()));
        }

        // JDBC blocks its thread: each query goes to a worker thread, and the pool bounds how many run at once.
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + DATABASE + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(POOL_SIZE);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            List<Coroutine<Integer>> lookups = new ArrayList<>();
            for (int id : new int[] {3, 1, 2, 1, 3}) {
                lookups.add(() -> toThread(() -> {
                    try (var connection = pool.getConnection();
                            PreparedStatement q = connection.prepareStatement("SELECT price FROM item WHERE id = ?")) {
                        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        try {
                            q.setInt(1, id);
                            try (ResultSet r = q.executeQuery()) {
                                r.next();
                                return r.getInt(1);
                            }
                        } finally {
                            inFlight.decrementAndGet();
                        }
                    }
                }));
            }
            @SuppressWarnings("unchecked")
            Coroutine<Integer>[] all = lookups.toArray(new Coroutine[0]);
            List<Integer> prices = gather(all).await();
            return new Outcome(names, count, read, cancelled.get(), countAfterStop, prices, most.get());
        }
    }

    /** Runs an update and returns how many rows it changed. */
    private static long update(Connection c, String sql) {
        return awaitLast(Flux.from(c.createStatement(sql).execute()).flatMap(Result::getRowsUpdated));
    }

    /** The first column of every row of a query, as a publisher. */
    private static <T> Flux<T> rows(Connection c, String sql, Class<T> type) {
        return Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.map((row, meta) -> row.get(0, type)));
    }
}
