package io.github.miniomigrator.config;

import io.github.miniomigrator.i18n.Messages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * Where `run`'s HTTP server (the webhook, /observe/health, /observe/metrics) listens: migration.http.host and
 * migration.http.port. Unset, the host is the loopback address, so nothing outside this machine reaches the server
 * unless the operator says so; webhook mode then refuses to start, since MinIO (usually on another machine) could not
 * deliver a single event and `run` would wait, deaf, while saying "drained".
 */
public record HttpAddress(String host, int port, boolean hostGiven) {
    /** The address used when migration.http.host is empty: reachable from this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    public static HttpAddress of(Settings settings) {
        String host = settings.get(Setting.HTTP_HOST);
        int port = SettingRange.HTTP_PORT.readInt(settings);
        return host.isEmpty() ? new HttpAddress(LOOPBACK, port, false) : new HttpAddress(host, port, true);
    }

    /**
     * The webhook receiver needs MinIO to reach it: an address left to its loopback default is refused, naming what to
     * set. An explicit 127.0.0.1 is accepted (MinIO on this machine).
     */
    public void checkReachableByMinio() {
        if (!hostGiven) {
            throw new SettingsException(Messages.text("cli.http.webhook-needs-host", Setting.EVENTS_MODE.key(), Setting.HTTP_HOST.key(), LOOPBACK));
        }
    }

    /** The address the server binds, resolved; a name that does not resolve is the setting's fault and says so. */
    public InetAddress resolve() {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new SettingsException(Messages.text("cli.http.host-unresolved", Setting.HTTP_HOST.key(), host, LOOPBACK));
        }
    }

    /** True when anything beyond this machine may reach the server (every interface, or an address other than loopback). */
    public boolean reachableFromOtherMachines() {
        return !resolve().isLoopbackAddress();
    }

    /**
     * Binds the address once and lets it go: Camel starts its server in the background and only logs a failure to bind,
     * so a port taken, or a host that is not this machine's, would leave `run` without its webhook while it says
     * "drained" (found while checking on Ceph RGW: bench/rgw-notes.md).
     */
    public void checkFree() {
        InetAddress address = resolve();
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            if (!local(address)) {
                throw new SettingsException(Messages.text("cli.http.host-not-here", Setting.HTTP_HOST.key(), host, e.getMessage(), LOOPBACK));
            }
            throw new SettingsException(Messages.text("cli.http.port-taken", Setting.HTTP_PORT.key(), port, e.getMessage(), host,
                    Setting.HTTP_HOST.key()));
        }
    }

    private static boolean local(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: the port is the likelier cause
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
