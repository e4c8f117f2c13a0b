package dev.asyncio.transports;

/**
 * What {@link Transports#createDatagramEndpoint} returns: asyncio's {@code (transport, protocol)} pair.
 *
 * @param transport the endpoint's transport
 * @param protocol the protocol the factory made
 * @param <P> the protocol type
 */
public record DatagramEndpoint<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {
}
