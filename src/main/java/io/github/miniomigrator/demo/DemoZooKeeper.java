package io.github.miniomigrator.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/** The demo's ZooKeeper, holding the application's storage settings as the runbook describes them. */
final class DemoZooKeeper implements AutoCloseable {
    static final String NODE = "/api-archive/pri";
    private final ZooKeeperServerEmbedded server;
    private final ZooKeeper client;
    private final String connect;

    private DemoZooKeeper(ZooKeeperServerEmbedded server, ZooKeeper client, String connect) {
        this.server = server;
        this.client = client;
        this.connect = connect;
    }

    static DemoZooKeeper start(Path dir) throws Exception {
        int port = FreePort.next();
        Properties config = new Properties();
        config.setProperty("clientPort", String.valueOf(port));
        config.setProperty("clientPortAddress", "127.0.0.1");
        config.setProperty("admin.enableServer", "false");
        config.setProperty("maxCnxns", "60"); // unset, ZooKeeper warns about its default at start
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(config)
                .exitHandler(ExitHandler.LOG_ONLY).build();
        server.start(30_000);
        String connect = "127.0.0.1:" + port;
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(connect, 15_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        connected.await(15, TimeUnit.SECONDS);
        return new DemoZooKeeper(server, client, connect);
    }

    String connectString() {
        return connect;
    }

    /** The application before the switch: storeType 2 (MinIO). */
    void seedMinioSettings(String minioEndpoint) throws Exception {
        create("/api-archive", "");
        create(NODE, "");
        create(NODE + "/storeType", "2");
        create(NODE + "/endPoint", minioEndpoint);
        create(NODE + "/SECRET_KEY_ID", "minio-secret-of-the-app");
    }

    private void create(String path, String value) throws Exception {
        client.create(path, value.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    /** storeType and endPoint as the application would read them (the secret is not shown). */
    String show() throws Exception {
        return "storeType=" + read(NODE + "/storeType") + ", endPoint=" + read(NODE + "/endPoint") + ", ERP_ARCHIVE_BUCKET_NAME="
                + read(NODE + "/ERP_ARCHIVE_BUCKET_NAME");
    }

    private String read(String path) throws Exception {
        try {
            return new String(client.getData(path, false, null), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            return io.github.miniomigrator.i18n.Messages.text("cli.demo.zookeeper-absent");
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        server.close();
    }
}
