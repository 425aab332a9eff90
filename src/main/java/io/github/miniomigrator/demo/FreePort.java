package io.github.miniomigrator.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback port free right now, for the embedded servers of the demo and the tests. Taken below Linux's ephemeral
 * range (32768 and up by default), from which the kernel hands out the local ports of outgoing connections: a port
 * found free there can be taken by any client connection before the server that wanted it binds it, which a busy
 * test run on a 2-core machine meets.
 */
public final class FreePort {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;

    private FreePort() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // in use: another one
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        }
    }
}
