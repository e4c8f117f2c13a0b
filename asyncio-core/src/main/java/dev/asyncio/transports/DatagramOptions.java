package dev.asyncio.transports;

/**
 * How a datagram endpoint's socket is set up: asyncio's {@code create_datagram_endpoint} keyword
 * arguments {@code reuse_port} and {@code allow_broadcast}. ({@code reuse_address} is not offered: asyncio
 * removed it in 3.11 because {@code SO_REUSEADDR} lets other processes steal a UDP port.) Immutable;
 * start from {@link #DEFAULT}.
 *
 * @param reusePort set {@code SO_REUSEPORT}, so that other sockets (of this or another process) may
 *     bind the same address and port, as long as they all set it
 * @param allowBroadcast set {@code SO_BROADCAST}, so that the endpoint may send to broadcast addresses
 */
public record DatagramOptions(boolean reusePort, boolean allowBroadcast) {
    /** Neither option: asyncio's defaults. */
    public static final DatagramOptions DEFAULT = new DatagramOptions(false, false);

    /**
     * @param reusePort whether to set {@code SO_REUSEPORT}
     * @return a copy with {@code reusePort}
     */
    public DatagramOptions withReusePort(boolean reusePort) {
        return new DatagramOptions(reusePort, allowBroadcast);
    }

    /**
     * @param allowBroadcast whether to set {@code SO_BROADCAST}
     * @return a copy with {@code allowBroadcast}
     */
    public DatagramOptions withAllowBroadcast(boolean allowBroadcast) {
        return new DatagramOptions(reusePort, allowBroadcast);
    }
}
