import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceProvider;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.apache.curator.x.discovery.details.ServiceCacheListener;
import org.apache.curator.utils.ZKPaths;

/**
 * The Curator side of SdKit's interop tests: Curator x-discovery used the way its documentation shows, with a
 * java.util.Map payload and JsonInstanceSerializer. Every result is one tab-separated line on standard output.
 *
 * register CONNECT BASEPATH NAME ID|- ADDRESS PORT [key=value...]
 *   Registers a DYNAMIC (ephemeral) instance and prints "REGISTERED id" and "DATA json" (the node's bytes). Then reads
 *   commands from standard input: "update key=value..." (updateService with a new payload; prints "UPDATED") and
 *   "stop" or end of input (unregisterService, close; prints "STOPPED"). SIGTERM unregisters and closes too (a shutdown
 *   hook; prints "TERMINATED").
 * query CONNECT BASEPATH NAME
 *   Prints queryForInstances as "INSTANCE" lines and "QUERY n", then a round-robin ServiceProvider's getInstance() as
 *   "PROVIDER id" (or "PROVIDER -" when it has none), and exits.
 * watch CONNECT BASEPATH NAME
 *   Starts a ServiceCache and prints its instances now and after every cacheChanged as "INSTANCE" lines followed by
 *   "CACHE n". Reads standard input until "stop" or its end.
 *
 * An INSTANCE line is: INSTANCE id address port sslPort enabled payload-as-json.
 */
public final class CuratorPeer {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: register|query|watch CONNECT BASEPATH NAME ...");
            System.exit(2);
        }

        String mode = args[0];
        try (CuratorFramework client = CuratorFrameworkFactory.newClient(args[1], 30000, 10000, new ExponentialBackoffRetry(100, 5))) {
            client.start();
            if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ZooKeeper " + args[1] + " did not answer within 30 s");
            }

            client.getConnectionStateListenable().addListener((c, state) -> {
                if (state != ConnectionState.CONNECTED) {
                    System.err.println("curator-peer: connection " + state);
                }
            });
            JsonInstanceSerializer<Map> serializer = new JsonInstanceSerializer<>(Map.class);
            try (ServiceDiscovery<Map> discovery = ServiceDiscoveryBuilder.builder(Map.class)
                    .client(client).basePath(args[2]).serializer(serializer).build()) {
                discovery.start();
                switch (mode) {
                    case "register" -> register(client, discovery, args);
                    case "query" -> query(discovery, args[3]);
                    case "watch" -> watch(discovery, args[3]);
                    default -> throw new IllegalArgumentException("unknown mode " + mode);
                }
            }
        }

        System.out.flush();
    }

    private static void register(CuratorFramework client, ServiceDiscovery<Map> discovery, String[] args) throws Exception {
        var builder = ServiceInstance.<Map>builder().name(args[3]).address(args[5]).port(Integer.parseInt(args[6])).payload(payload(args, 7));
        if (!args[4].equals("-")) {
            builder.id(args[4]);
        }

        ServiceInstance<Map> instance = builder.build();
        discovery.registerService(instance);
        var current = new java.util.concurrent.atomic.AtomicReference<>(instance);
        Thread hook = new Thread(() -> {
            try {
                discovery.unregisterService(current.get());
                client.close();
                print("TERMINATED", current.get().getId());
            } catch (Exception e) {
                System.err.println("curator-peer: shutdown hook failed: " + e);
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        String path = ZKPaths.makePath(args[2], args[3], instance.getId());
        print("REGISTERED", instance.getId());
        print("DATA", new String(client.getData().forPath(path), StandardCharsets.UTF_8));
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = input.readLine()) != null && !line.equals("stop")) {
            if (line.startsWith("update")) {
                String[] words = line.trim().split(" ");
                instance = ServiceInstance.<Map>builder().name(instance.getName()).id(instance.getId())
                        .address(instance.getAddress()).port(instance.getPort()).payload(payload(words, 1)).build();
                discovery.updateService(instance);
                current.set(instance);
                print("UPDATED", new String(client.getData().forPath(path), StandardCharsets.UTF_8));
            }
        }

        Runtime.getRuntime().removeShutdownHook(hook);
        discovery.unregisterService(instance);
        print("STOPPED", instance.getId());
    }

    private static void query(ServiceDiscovery<Map> discovery, String name) throws Exception {
        Collection<ServiceInstance<Map>> found = discovery.queryForInstances(name);
        for (ServiceInstance<Map> instance : found) {
            printInstance(instance);
        }

        print("QUERY", Integer.toString(found.size()));
        try (ServiceProvider<Map> provider = discovery.serviceProviderBuilder().serviceName(name).build()) {
            provider.start();
            ServiceInstance<Map> picked = provider.getInstance();
            print("PROVIDER", picked == null ? "-" : picked.getId());
        }
    }

    private static void watch(ServiceDiscovery<Map> discovery, String name) throws Exception {
        try (ServiceCache<Map> cache = discovery.serviceCacheBuilder().name(name).build()) {
            Object lock = new Object();
            cache.addListener(new ServiceCacheListener() {
                @Override
                public void cacheChanged() {
                    synchronized (lock) {
                        printCache(cache);
                    }
                }

                @Override
                public void stateChanged(CuratorFramework client, ConnectionState state) {
                }
            });
            cache.start();
            synchronized (lock) {
                printCache(cache);
            }

            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = input.readLine()) != null && !line.equals("stop")) {
                // Nothing else to do: the cache reports by itself.
            }
        }
    }

    private static void printCache(ServiceCache<Map> cache) {
        var instances = cache.getInstances();
        for (ServiceInstance<Map> instance : instances) {
            printInstance(instance);
        }

        print("CACHE", Integer.toString(instances.size()));
    }

    private static void printInstance(ServiceInstance<Map> instance) {
        try {
            print("INSTANCE", instance.getId(), instance.getAddress(), String.valueOf(instance.getPort()),
                    String.valueOf(instance.getSslPort()), String.valueOf(instance.isEnabled()), JSON.writeValueAsString(instance.getPayload()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> payload(String[] words, int from) {
        Map<String, String> payload = new TreeMap<>();
        for (int i = from; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            payload.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }

        return new java.util.HashMap<>(payload);
    }

    private static synchronized void print(String... fields) {
        System.out.println(String.join("\t", fields));
        System.out.flush();
    }
}
