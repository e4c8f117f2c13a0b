package dev.asyncio;

import java.net.SocketAddress;
import java.util.Arrays;

/**
 * One received datagram: what {@link EventLoopIo#sockRecvfrom} returns, asyncio's
 * {@code (data, address)} pair.
 *
 * @param data the bytes (cut to the size asked for)
 * @param address the sender
 */
public record Datagram(byte[] data, SocketAddress address) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Datagram d && Arrays.equals(data, d.data) && java.util.Objects.equals(address, d.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + java.util.Objects.hashCode(address);
    }

    @Override
    public String toString() {
        return "Datagram[" + data.length + " bytes from " + address + "]";
    }
}
