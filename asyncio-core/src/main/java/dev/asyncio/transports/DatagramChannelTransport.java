package dev.asyncio.transports;

import dev.asyncio.EventLoop;
import dev.asyncio.EventLoopIo;
import dev.asyncio.ExceptionContext;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/** asyncio's {@code _SelectorDatagramTransport} on a {@link DatagramChannel}. */
final class DatagramChannelTransport implements DatagramTransport {
    private record Pending(ByteBuffer data, SocketAddress address) {
    }

    private final EventLoop loop;
    private final EventLoopIo io;
    private final DatagramChannel channel;
    private final DatagramProtocol protocol;
    private final SocketAddress peer;
    private final ByteBuffer readBuffer;
    private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
    private int bufferSize;
    private boolean protocolPaused;
    private boolean closing;
    private boolean lost;

    DatagramChannelTransport(EventLoop loop, DatagramChannel channel, DatagramProtocol protocol, SocketAddress peer) {
        this.loop = loop;
        this.io = EventLoopIo.of(loop);
        this.channel = channel;
        this.protocol = Objects.requireNonNull(protocol, "the protocol factory returned null");
        this.peer = peer;
        this.readBuffer = ReadBuffer.forLoop(loop);
    }

    void start(Runnable afterStart) {
        loop.callSoon(() -> protocol.connectionMade(this));
        loop.callSoon(() -> {
            if (!closing) {
                io.addReader(channel, this::readReady);
            }
        });
        loop.callSoon(afterStart);
    }

    private void readReady() {
        if (closing) {
            return;
        }
        ByteBuffer rb = readBuffer;
        rb.clear();
        SocketAddress from;
        try {
            from = channel.receive(rb);
        } catch (PortUnreachableException e) {
            protocol.errorReceived(e);
            return;
        } catch (IOException e) {
            fatalError(e);
            return;
        }
        if (from == null) {
            return;
        }
        rb.flip();
        byte[] data = new byte[rb.remaining()];
        rb.get(data);
        protocol.datagramReceived(data, from);
    }

    @Override
    public void sendto(byte[] data, SocketAddress address) {
        Objects.requireNonNull(data, "data");
        if (peer != null && address != null && !peer.equals(address)) {
            throw new IllegalArgumentException("Invalid address: must be null or " + peer);
        }
        if (peer == null && address == null) {
            throw new IllegalArgumentException("this endpoint is not connected: sendto() needs an address");
        }
        if (lost || closing) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        if (buffer.isEmpty()) {
            try {
                int n = peer != null ? channel.write(b) : channel.send(b, address);
                if (n > 0 || data.length == 0) {
                    return;
                }
            } catch (PortUnreachableException e) {
                protocol.errorReceived(e);
                return;
            } catch (IOException e) {
                fatalError(e);
                return;
            }
            io.addWriter(channel, this::writeReady);
        }
        buffer.add(new Pending(ByteBuffer.wrap(data.clone()), address));
        bufferSize += data.length;
        if (!protocolPaused && bufferSize > Transport.DEFAULT_HIGH_WATER) {
            protocolPaused = true;
            protocol.pauseWriting();
        }
    }

    private void writeReady() {
        while (!buffer.isEmpty()) {
            Pending p = buffer.peekFirst();
            int len = p.data.remaining();
            try {
                int n = peer != null ? channel.write(p.data) : channel.send(p.data, p.address);
                if (n == 0 && len > 0) {
                    return;
                }
            } catch (PortUnreachableException e) {
                protocol.errorReceived(e);
            } catch (IOException e) {
                fatalError(e);
                return;
            }
            buffer.pollFirst();
            bufferSize -= len;
        }
        if (protocolPaused && bufferSize <= Transport.DEFAULT_LOW_WATER) {
            protocolPaused = false;
            protocol.resumeWriting();
        }
        io.removeWriter(channel);
        if (closing) {
            connectionLost(null);
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        io.removeReader(channel);
        if (buffer.isEmpty()) {
            loop.callSoon(() -> connectionLost(null));
        }
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    private void fatalError(IOException e) {
        loop.callExceptionHandler(new ExceptionContext("Fatal error on datagram transport", e, null, null));
        forceClose(e);
    }

    private void forceClose(Exception e) {
        if (lost) {
            return;
        }
        buffer.clear();
        bufferSize = 0;
        io.removeWriter(channel);
        io.removeReader(channel);
        closing = true;
        loop.callSoon(() -> connectionLost(e));
    }

    private void connectionLost(Exception e) {
        if (lost) {
            return;
        }
        lost = true;
        try {
            protocol.connectionLost(e);
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public int getWriteBufferSize() {
        return bufferSize;
    }

    @Override
    public Object getExtraInfo(String name) {
        try {
            return switch (name) {
                case "peername" -> peer;
                case "sockname" -> channel.getLocalAddress();
                case "socket" -> channel;
                default -> null;
            };
        } catch (IOException e) {
            return null;
        }
    }
}
