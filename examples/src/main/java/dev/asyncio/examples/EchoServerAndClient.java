package dev.asyncio.examples;

import dev.asyncio.Asyncio;
import dev.asyncio.streams.StreamConnection;
import dev.asyncio.streams.StreamReader;
import dev.asyncio.streams.StreamWriter;
import dev.asyncio.streams.Streams;
import dev.asyncio.transports.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The streams tutorial's TCP echo server and client, in one program: the server echoes each line
 * back, the client sends a message and prints the answer.
 *
 * <pre>
 * async def handle_echo(reader, writer):
 *     data = await reader.read(100)
 *     writer.write(data)
 *     await writer.drain()
 *     writer.close()
 *     await writer.wait_closed()
 *
 * server = await asyncio.start_server(handle_echo, '127.0.0.1', 8888)
 * reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
 * </pre>
 */
public final class EchoServerAndClient {
    private EchoServerAndClient() {
    }

    static void handleEcho(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] data = reader.read(100);
        String message = new String(data, StandardCharsets.UTF_8);
        System.out.println("Server received " + message.strip() + " from a client");
        writer.write(data);
        writer.drain();
        writer.close();
        writer.waitClosed();
    }

    static void echoClient(int port, String message) throws IOException {
        StreamConnection conn = Streams.openConnection("127.0.0.1", port);
        System.out.println("Send: " + message);
        conn.writer().write(message.getBytes(StandardCharsets.UTF_8));
        conn.writer().drain();
        byte[] data = conn.reader().read(100);
        System.out.println("Received: " + new String(data, StandardCharsets.UTF_8));
        conn.writer().close();
        conn.writer().waitClosed();
    }

    /** Runs the example. */
    public static void run() {
        Asyncio.run(() -> {
            // Port 0: any free port, so the example never collides with a running service.
            Server server = Streams.startServer(EchoServerAndClient::handleEcho, "127.0.0.1", 0);
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            echoClient(port, "Hello World!");
            server.close();
            server.waitClosed();
            System.out.println("Server closed");
        });
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
