package dev.asyncio.transports;

/**
 * What {@link Transports#createConnection} returns: asyncio's {@code (transport, protocol)} pair.
 *
 * @param transport the connected transport
 * @param protocol the protocol the factory made, already told {@code connectionMade}
 * @param <P> the protocol type
 */
public record Connection<P extends Protocol>(Transport transport, P protocol) {
}
