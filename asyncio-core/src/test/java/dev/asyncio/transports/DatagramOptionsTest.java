package dev.asyncio.transports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code create_datagram_endpoint}'s {@code reuse_port} and {@code allow_broadcast}, on loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DatagramOptionsTest {

    private static DatagramChannel socketOf(DatagramEndpoint<DatagramProtocol> e) {
        return (DatagramChannel) e.transport().getExtraInfo("socket");
    }

    @Test
    void optionsAreSetOnTheSocket() {
        Asyncio.run(() -> {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            DatagramEndpoint<DatagramProtocol> plain = Transports.createDatagramEndpoint(() -> new DatagramProtocol() { },
                    any, null);
            assertFalse(socketOf(plain).getOption(StandardSocketOptions.SO_BROADCAST));
            DatagramEndpoint<DatagramProtocol> broadcast = Transports.createDatagramEndpoint(
                    () -> new DatagramProtocol() { }, any, null, DatagramOptions.DEFAULT.withAllowBroadcast(true));
            assertTrue(socketOf(broadcast).getOption(StandardSocketOptions.SO_BROADCAST));
            plain.transport().close();
            broadcast.transport().close();
            return null;
        });
    }

    @Test
    void reusePortLetsTwoEndpointsShareAPort() {
        Asyncio.run(() -> {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            DatagramOptions reuse = DatagramOptions.DEFAULT.withReusePort(true);
            DatagramEndpoint<DatagramProtocol> first = Transports.createDatagramEndpoint(() -> new DatagramProtocol() { },
                    any, null, reuse);
            InetSocketAddress bound = (InetSocketAddress) first.transport().getExtraInfo("sockname");
            DatagramEndpoint<DatagramProtocol> second = Transports.createDatagramEndpoint(() -> new DatagramProtocol() { },
                    bound, null, reuse);
            assertEquals(bound, second.transport().getExtraInfo("sockname"));
            assertThrows(java.net.BindException.class, () -> Transports.createDatagramEndpoint(
                    () -> new DatagramProtocol() { }, bound, null), "without reusePort the port is taken");
            first.transport().close();
            second.transport().close();
            return null;
        });
    }
}
