// The zk-throughput workload run with the official Java client (org.apache.zookeeper.ZooKeeper from Debian's
// /usr/share/java/zookeeper.jar), for comparison with SdKit's client on the same server and machine. Compiled and
// started by SdKit.Benchmarks (zk-throughput --client java); prints one JSON line like the .NET scenario.
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

public final class ZkThroughput {
    private static final int WARMUP_OPS = 2000;

    public static void main(String[] args) throws Exception {
        String connect = args[0];
        String mode = args[1];
        int ops = Integer.parseInt(args[2]);
        int concurrency = mode.equals("sync") ? 1 : Integer.parseInt(args[3]);
        int childCount = Integer.parseInt(args[4]);

        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, 30000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        connected.await();
        String root = "/java-bench-" + UUID.randomUUID().toString().replace("-", "");
        zk.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/data", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/members", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        List<String> children = new ArrayList<>();
        if (mode.equals("children")) {
            for (int i = 0; i < childCount; i++) {
                zk.create(String.format(Locale.ROOT, "%s/members/child-%06d", root, i), new byte[30], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            for (String child : zk.getChildren(root + "/members", false)) {
                children.add(root + "/members/" + child);
            }
        }

        try {
            run(zk, root, mode, children, Math.min(WARMUP_OPS, ops), concurrency);
            long[] latencies = new long[ops];
            long started = System.nanoTime();
            int errors = run(zk, root, mode, children, ops, concurrency, latencies);
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(latencies);
            double p50 = latencies[Math.min(ops - 1, (int) (0.50 * ops))] / 1000.0;
            double p99 = latencies[Math.min(ops - 1, (int) (0.99 * ops))] / 1000.0;
            System.out.println(String.format(Locale.ROOT,
                "{\"client\":\"java\",\"mode\":\"%s\",\"ops\":%d,\"concurrency\":%d,\"seconds\":%.3f,\"ops_per_sec\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"errors\":%d,\"alloc_bytes_per_op\":null}",
                mode, ops, concurrency, seconds, ops / seconds, p50, p99, errors));
        } finally {
            deleteTree(zk, root);
            zk.close();
        }
    }

    private static int run(ZooKeeper zk, String root, String mode, List<String> children, int ops, int concurrency) throws Exception {
        return run(zk, root, mode, children, ops, concurrency, new long[ops]);
    }

    private static int run(ZooKeeper zk, String root, String mode, List<String> children, int ops, int concurrency, long[] latencies) throws Exception {
        AtomicInteger errors = new AtomicInteger();
        if (mode.equals("sync")) {
            for (int i = 0; i < ops; i++) {
                long begin = System.nanoTime();
                try {
                    zk.getData(root + "/data", false, null);
                } catch (KeeperException e) {
                    errors.incrementAndGet();
                }
                latencies[i] = System.nanoTime() - begin;
            }
            return errors.get();
        }

        Semaphore outstanding = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(ops);
        for (int i = 0; i < ops; i++) {
            outstanding.acquire();
            final int index = i;
            final long begin = System.nanoTime();
            switch (mode) {
                case "create":
                    zk.create(root + "/members/m-", new byte[30], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL,
                        (rc, path, ctx, name) -> finish(rc, index, begin, latencies, errors, outstanding, done), null);
                    break;
                case "children":
                    int slot = index % (children.size() + 1);
                    if (slot == 0) {
                        zk.getChildren(root + "/members", false,
                            (rc, path, ctx, names, stat) -> finish(rc, index, begin, latencies, errors, outstanding, done), null);
                    } else {
                        zk.getData(children.get(slot - 1), false,
                            (rc, path, ctx, data, stat) -> finish(rc, index, begin, latencies, errors, outstanding, done), null);
                    }
                    break;
                default:
                    zk.getData(root + "/data", false,
                        (rc, path, ctx, data, stat) -> finish(rc, index, begin, latencies, errors, outstanding, done), null);
                    break;
            }
        }
        done.await();
        return errors.get();
    }

    private static void finish(int rc, int index, long begin, long[] latencies, AtomicInteger errors, Semaphore outstanding, CountDownLatch done) {
        latencies[index] = System.nanoTime() - begin;
        if (rc != 0) {
            errors.incrementAndGet();
        }
        outstanding.release();
        done.countDown();
    }

    private static void deleteTree(ZooKeeper zk, String path) throws Exception {
        for (String child : zk.getChildren(path, false)) {
            deleteTree(zk, path + "/" + child);
        }
        zk.delete(path, -1);
    }
}
