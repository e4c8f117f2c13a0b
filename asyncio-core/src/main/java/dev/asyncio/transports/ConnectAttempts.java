package dev.asyncio.transports;

import dev.asyncio.Coroutine;
import dev.asyncio.EventLoopIo;
import dev.asyncio.TaskGroupException;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The client side of asyncio's {@code create_connection} once the names are resolved: orders the
 * addresses ({@code interleave}), tries them one after another or staggered (Happy Eyeballs, see
 * {@link StaggeredRace}), binds each socket to {@code local_addr} first, and turns the failures into
 * the one exception asyncio raises. Runs on the calling coroutine's loop.
 */
final class ConnectAttempts {
    private ConnectAttempts() {
    }

    /**
     * Connects to the first address that accepts.
     *
     * @param io the loop's I/O methods
     * @param remote the resolved addresses, in the resolver's order
     * @param local the resolved local addresses to bind, or empty
     * @param options the delay, interleave and error settings
     * @return a connected, non-blocking channel with {@code TCP_NODELAY}
     * @throws IOException if no address connects (unless {@code allErrors})
     * @throws TaskGroupException with {@code allErrors}, holding every attempt's error
     */
    static SocketChannel connect(EventLoopIo io, List<InetSocketAddress> remote, List<InetSocketAddress> local,
            ConnectionOptions options) throws IOException {
        List<InetSocketAddress> order = interleave(remote, options.effectiveInterleave());
        List<Throwable> errors = new ArrayList<>();
        if (options.happyEyeballsDelay() == null) {
            for (InetSocketAddress a : order) {
                try {
                    return attempt(io, a, local);
                } catch (IOException e) {
                    errors.add(e);
                }
            }
        } else {
            List<Coroutine<SocketChannel>> attempts = new ArrayList<>();
            for (InetSocketAddress a : order) {
                attempts.add(() -> attempt(io, a, local));
            }
            StaggeredRace.Outcome<SocketChannel> outcome = StaggeredRace.race(attempts, options.happyEyeballsDelay(),
                    ConnectAttempts::closeQuietly);
            if (outcome.winner() != null) {
                return outcome.winner();
            }
            outcome.exceptions().stream().filter(Objects::nonNull).forEach(errors::add);
        }
        throw failure(order, errors, options.allErrors());
    }

    /**
     * asyncio's {@code _interleave_addrinfos}: groups the addresses by family in order of first
     * appearance, puts {@code firstFamilyCount - 1} addresses of the first family first, then takes one
     * address of each family in turn.
     *
     * @param addresses the addresses
     * @param firstFamilyCount 0 for no reordering
     * @return the new order
     */
    static List<InetSocketAddress> interleave(List<InetSocketAddress> addresses, int firstFamilyCount) {
        if (firstFamilyCount == 0) {
            return addresses;
        }
        Map<Boolean, List<InetSocketAddress>> byFamily = new LinkedHashMap<>();
        for (InetSocketAddress a : addresses) {
            byFamily.computeIfAbsent(a.getAddress() instanceof Inet6Address, k -> new ArrayList<>()).add(a);
        }
        List<List<InetSocketAddress>> families = new ArrayList<>(byFamily.values());
        List<InetSocketAddress> out = new ArrayList<>(addresses.size());
        if (firstFamilyCount > 1 && !families.isEmpty()) {
            List<InetSocketAddress> first = families.get(0);
            int n = Math.min(firstFamilyCount - 1, first.size());
            out.addAll(first.subList(0, n));
            families.set(0, first.subList(n, first.size()));
        }
        for (int i = 0; out.size() < addresses.size(); i++) {
            for (List<InetSocketAddress> f : families) {
                if (i < f.size()) {
                    out.add(f.get(i));
                }
            }
        }
        return out;
    }

    /** asyncio's {@code _connect_sock}: one socket, bound to a local address of its family, connected. */
    private static SocketChannel attempt(EventLoopIo io, InetSocketAddress address, List<InetSocketAddress> local)
            throws IOException {
        boolean v6 = address.getAddress() instanceof Inet6Address;
        SocketChannel ch = SocketChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (!local.isEmpty()) {
                bindLocal(ch, local, v6);
            }
            io.sockConnect(ch, address);
            return ch;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void bindLocal(SocketChannel ch, List<InetSocketAddress> local, boolean v6) throws IOException {
        BindException last = null;
        for (InetSocketAddress l : local) {
            if ((l.getAddress() instanceof Inet6Address) != v6) {
                continue;
            }
            try {
                ch.bind(l);
                return;
            } catch (BindException e) {
                BindException named = new BindException("error while attempting to bind on address " + l + ": "
                        + e.getMessage());
                named.initCause(e);
                last = named;
            }
        }
        if (last != null) {
            throw last;
        }
        throw new IOException("no matching local address with family=" + (v6 ? "INET6" : "INET") + " found");
    }

    /**
     * asyncio's choice of what to raise when no address connected: with {@code allErrors} a group of
     * every error (thrown here); else the only error, or the first when all say the same, or one
     * {@link IOException} naming them all (each attached as suppressed).
     */
    private static IOException failure(List<InetSocketAddress> order, List<Throwable> errors, boolean allErrors)
            throws IOException {
        if (errors.isEmpty()) {
            return new IOException("no address to connect to");
        }
        if (allErrors) {
            throw new TaskGroupException("create_connection failed", errors);
        }
        Throwable first = errors.get(0);
        String model = String.valueOf(first.getMessage());
        boolean same = errors.stream().allMatch(e -> String.valueOf(e.getMessage()).equals(model));
        if (errors.size() == 1 || same) {
            return rethrowable(first);
        }
        List<String> each = new ArrayList<>();
        for (Throwable e : errors) {
            each.add(e.toString());
        }
        IOException multiple = new IOException("Multiple exceptions: " + String.join(", ", each) + " (addresses tried: "
                + order + ")");
        errors.forEach(multiple::addSuppressed);
        return multiple;
    }

    /** An attempt's error as the caller throws it: an {@link IOException} as is, anything else thrown here. */
    private static IOException rethrowable(Throwable e) {
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IOException(e);
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing, or a loser of the race
        }
    }
}
