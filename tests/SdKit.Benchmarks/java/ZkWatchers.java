// The watching side of zk-watchers run with the official Java client (org.apache.zookeeper.ZooKeeper from Debian's
// /usr/share/java/zookeeper.jar): N sessions, each with a persistent recursive watch on the service path that reads a
// created child's data (the instance), as SdKit's recursive watch does. Started by SdKit.Benchmarks beside SdKit's own
// watchers; talks over stdin/stdout:
//   prints "ready" once every session watches;
//   "expect NAME" -> waits until every session has seen instance NAME, prints "seen NAME t1 ... tN" (System.nanoTime
//   of each session's sighting: CLOCK_MONOTONIC on Linux, the clock .NET's Stopwatch reads);
//   "gone NAME" -> waits until every session has seen NAME removed, prints "gone NAME";
//   "quit" -> closes the sessions.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

public final class ZkWatchers {
    /** One watching session: the instances it has seen (node path to instance) and when each instance appeared. */
    private static final class Session {
        final Map<String, String> byNode = new ConcurrentHashMap<>();
        final Map<String, Long> seenAt = new ConcurrentHashMap<>();
        volatile ZooKeeper zk;
    }

    public static void main(String[] args) throws Exception {
        String connect = args[0];
        String path = args[1];
        int count = Integer.parseInt(args[2]);
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Session session = new Session();
            CountDownLatch connected = new CountDownLatch(1);
            session.zk = new ZooKeeper(connect, 4000, event -> {
                if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            });
            if (!connected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("session " + i + " did not connect to " + connect);
            }
            session.zk.addWatch(path, event -> {
                String node = event.getPath();
                if (node == null || node.equals(path)) {
                    return;
                }
                if (event.getType() == Watcher.Event.EventType.NodeCreated) {
                    session.zk.getData(node, false, (rc, p, ctx, data, stat) -> {
                        if (rc == 0) {
                            long now = System.nanoTime();
                            String instance = data == null || data.length == 0 ? p.substring(p.lastIndexOf('/') + 1) : new String(data, StandardCharsets.UTF_8);
                            session.byNode.put(p, instance);
                            session.seenAt.put(instance, now);
                        }
                    }, null);
                } else if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                    String instance = session.byNode.remove(node);
                    if (instance != null) {
                        session.seenAt.remove(instance);
                    }
                }
            }, AddWatchMode.PERSISTENT_RECURSIVE);
            sessions.add(session);
        }

        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ", 2);
            if (parts[0].equals("quit")) {
                break;
            }
            String instance = parts[1];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean expectSeen = parts[0].equals("expect");
            while (true) {
                boolean done = true;
                for (Session session : sessions) {
                    if (session.seenAt.containsKey(instance) != expectSeen) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every session saw " + line + " within 30 s");
                }
                Thread.sleep(1);
            }
            StringBuilder reply = new StringBuilder(expectSeen ? "seen " : "gone ").append(instance);
            if (expectSeen) {
                for (Session session : sessions) {
                    reply.append(' ').append(session.seenAt.get(instance));
                }
            }
            System.out.println(reply);
            System.out.flush();
        }

        for (Session session : sessions) {
            session.zk.close();
        }
    }
}
