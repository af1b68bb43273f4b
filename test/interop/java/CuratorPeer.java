// A Curator 5 process driven over stdin/stdout, so the interop tests can put Apache Curator's own
// recipes next to zkit's on one ZooKeeper server.
//
// Protocol (one line each way, space-separated words; the last argument of register may hold
// spaces): every command gets exactly one reply, in order: "ok [result]" or "err <message>".
// Waiting work (acquire, release, rounds) runs on the object's own thread and reports later as
// "event <what> <object> [details]". Times are System.nanoTime(), which on Linux is
// CLOCK_MONOTONIC, the clock of C++'s std::chrono::steady_clock.
//
// The peer exits when stdin closes, so it never outlives the test that started it.
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.SharedCountListener;
import org.apache.curator.framework.recipes.shared.SharedCountReader;
import org.apache.curator.framework.recipes.shared.VersionedValue;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;

public final class CuratorPeer {
  // A payload class of the kind Java services register: Jackson needs a public no-argument
  // constructor and public fields (or getters and setters).
  public static final class Info {
    public String zone;
    public int weight;
  }

  // InterProcessMutex is owned by a thread: acquire and release must run on the same one.
  private static final class Lock {
    final InterProcessMutex mutex;
    final ExecutorService thread = Executors.newSingleThreadExecutor();
    Lock(InterProcessMutex m) { mutex = m; }
    // getLockPath() is protected: this is the lock node of the thread that holds it.
    String node() throws Exception {
      return thread.submit(() -> {
        java.lang.reflect.Method m = InterProcessMutex.class.getDeclaredMethod("getLockPath");
        m.setAccessible(true);
        return (String) m.invoke(mutex);
      }).get();
    }
  }

  // A semaphore and the leases it holds; blocking acquires run on its own thread.
  private static final class Semaphore {
    final InterProcessSemaphoreV2 semaphore;
    final ExecutorService thread = Executors.newSingleThreadExecutor();
    final java.util.Deque<Lease> leases = new java.util.concurrent.ConcurrentLinkedDeque<>();
    Semaphore(InterProcessSemaphoreV2 s) { semaphore = s; }
  }

  private static final ObjectMapper json = new ObjectMapper();
  private static String connect;
  private static int sessionTimeoutMs;
  private static final Map<String, CuratorFramework> clients = new HashMap<>();
  private static final Map<String, Lock> locks = new HashMap<>();
  private static final Map<String, Semaphore> semaphores = new HashMap<>();
  private static final Map<String, LeaderLatch> latches = new HashMap<>();
  private static final Map<String, SharedCount> counts = new HashMap<>();
  private static final Map<String, VersionedValue<Integer>> snapshots = new HashMap<>();
  private static final Map<String, ServiceDiscovery<Object>> discoveries = new HashMap<>();
  private static final Map<String, Class<?>> payloadClasses = new HashMap<>();

  static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static void event(String what) { say("event " + what); }

  static String oneLine(Throwable t) {
    String s = t.getClass().getSimpleName() + ": " + t.getMessage();
    return s.replace('\n', ' ');
  }

  public static void main(String[] args) throws Exception {
    connect = args[0];
    sessionTimeoutMs = args.length > 1 ? Integer.parseInt(args[1]) : 6000;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // Commands run one at a time, in order, on their own thread, so this one keeps reading and
    // sees stdin close even while a command blocks (connecting, say).
    ExecutorService commands = Executors.newSingleThreadExecutor();
    say("ready");
    for (String line; (line = in.readLine()) != null;) {
      if (line.isBlank()) continue;
      final String command = line.trim();
      commands.execute(() -> {
        try {
          String result = run(command.split(" ", -1), command);
          say(result.isEmpty() ? "ok" : "ok " + result);
        } catch (Throwable t) {
          say("err " + oneLine(t));
        }
      });
    }
    // stdin closed: the test is done (or died). halt: do not wait for Curator's threads.
    Runtime.getRuntime().halt(0);
  }

  static CuratorFramework client(String name) {
    CuratorFramework c = clients.get(name);
    if (c == null) throw new IllegalArgumentException("no client " + name);
    return c;
  }

  static <T> T find(Map<String, T> map, String name) {
    T t = map.get(name);
    if (t == null) throw new IllegalArgumentException("no object " + name);
    return t;
  }

  static String run(String[] a, String line) throws Exception {
    switch (a[0]) {
      // --- sessions -----------------------------------------------------------------------
      case "client": {  // client <c>: a new session; result: its id in hex
        CuratorFramework c = CuratorFrameworkFactory.builder()
            .connectString(connect)
            .sessionTimeoutMs(sessionTimeoutMs)
            .connectionTimeoutMs(sessionTimeoutMs)
            .retryPolicy(new RetryNTimes(20, 100))
            .build();
        c.getConnectionStateListenable().addListener(
            (cf, st) -> event("state " + a[1] + " " + st.name().toLowerCase()));
        c.start();
        if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) throw new IllegalStateException("not connected");
        clients.put(a[1], c);
        return "0x" + Long.toHexString(c.getZookeeperClient().getZooKeeper().getSessionId());
      }
      case "close-client": {  // close-client <c>
        client(a[1]).close();
        clients.remove(a[1]);
        return "";
      }
      case "children": {  // children <c> <path>: names, comma-separated ("-" for none)
        List<String> kids = client(a[1]).getChildren().forPath(a[2]);
        return kids.isEmpty() ? "-" : String.join(",", kids);
      }
      // --- InterProcessMutex ----------------------------------------------------------------
      case "mutex": {  // mutex <m> <c> <path>
        locks.put(a[1], new Lock(new InterProcessMutex(client(a[2]), a[3])));
        return "";
      }
      case "rwlock": {  // rwlock <name> <c> <path>: two locks, <name>.read and <name>.write
        InterProcessReadWriteLock rw = new InterProcessReadWriteLock(client(a[2]), a[3]);
        locks.put(a[1] + ".read", new Lock(rw.readLock()));
        locks.put(a[1] + ".write", new Lock(rw.writeLock()));
        return "";
      }
      case "acquire": {  // acquire <m> <timeoutMs>: event acquired <m> <nanos> | acquire-failed <m> <why>
        Lock l = find(locks, a[1]);
        long timeout = Long.parseLong(a[2]);
        l.thread.execute(() -> {
          try {
            boolean got = l.mutex.acquire(timeout, TimeUnit.MILLISECONDS);
            long at = System.nanoTime();
            event(got ? "acquired " + a[1] + " " + at : "acquire-failed " + a[1] + " timeout");
          } catch (Throwable t) {
            event("acquire-failed " + a[1] + " " + oneLine(t));
          }
        });
        return "";
      }
      case "release": {  // release <m>: event released <m> <nanos just before the release>
        Lock l = find(locks, a[1]);
        l.thread.execute(() -> {
          long at = System.nanoTime();
          try {
            l.mutex.release();
            event("released " + a[1] + " " + at);
          } catch (Throwable t) {
            event("release-failed " + a[1] + " " + oneLine(t));
          }
        });
        return "";
      }
      case "lock-node": {  // lock-node <m>: the full path of the node that holds for us
        return find(locks, a[1]).node();
      }
      case "held": {  // held <m>: true | false
        return Boolean.toString(find(locks, a[1]).mutex.isAcquiredInThisProcess());
      }
      case "lock-participants": {  // lock-participants <m>: node paths, comma-separated, in order
        return String.join(",", find(locks, a[1]).mutex.getParticipantNodes());
      }
      case "rounds": {  // rounds <m> <n> <holdMs> <timeoutMs>: event held <m> <in> <out> per round
        Lock l = find(locks, a[1]);
        int n = Integer.parseInt(a[2]);
        long hold = Long.parseLong(a[3]);
        long timeout = Long.parseLong(a[4]);
        l.thread.execute(() -> {
          try {
            for (int i = 0; i < n; ++i) {
              if (!l.mutex.acquire(timeout, TimeUnit.MILLISECONDS)) throw new IllegalStateException("timeout");
              long in = System.nanoTime();
              Thread.sleep(hold);  // the work done under the lock
              long out = System.nanoTime();
              l.mutex.release();
              event("held " + a[1] + " " + in + " " + out);
            }
            event("rounds-done " + a[1]);
          } catch (Throwable t) {
            event("rounds-failed " + a[1] + " " + oneLine(t));
          }
        });
        return "";
      }
      // --- InterProcessSemaphoreV2 ----------------------------------------------------------
      case "semaphore": {  // semaphore <s> <c> <path> <max leases>
        semaphores.put(a[1], new Semaphore(new InterProcessSemaphoreV2(client(a[2]), a[3], Integer.parseInt(a[4]))));
        return "";
      }
      case "sem-acquire": {  // sem-acquire <s> <n> <timeoutMs>: event sem-acquired <s> <nanos> | sem-failed <s> <why>
        Semaphore sem = find(semaphores, a[1]);
        int n = Integer.parseInt(a[2]);
        long timeout = Long.parseLong(a[3]);
        sem.thread.execute(() -> {
          try {
            java.util.Collection<Lease> got = sem.semaphore.acquire(n, timeout, TimeUnit.MILLISECONDS);
            long at = System.nanoTime();
            if (got == null) {
              event("sem-failed " + a[1] + " timeout");
            } else {
              sem.leases.addAll(got);
              event("sem-acquired " + a[1] + " " + at);
            }
          } catch (Throwable t) {
            event("sem-failed " + a[1] + " " + oneLine(t));
          }
        });
        return "";
      }
      case "sem-release": {  // sem-release <s>: returns the oldest lease; result: nanos just before
        Lease lease = find(semaphores, a[1]).leases.poll();
        if (lease == null) throw new IllegalStateException("no lease held");
        long at = System.nanoTime();
        find(semaphores, a[1]).semaphore.returnLease(lease);
        return Long.toString(at);
      }
      case "sem-participants": {  // sem-participants <s>: lease node names, comma-separated
        return String.join(",", find(semaphores, a[1]).semaphore.getParticipantNodes());
      }
      // --- LeaderLatch -------------------------------------------------------------------
      case "latch": {  // latch <l> <c> <path> <id>: events leader <l> | not-leader <l>
        LeaderLatch l = new LeaderLatch(client(a[2]), a[3], a[4]);
        l.addListener(new LeaderLatchListener() {
          public void isLeader() { event("leader " + a[1]); }
          public void notLeader() { event("not-leader " + a[1]); }
        });
        latches.put(a[1], l);
        l.start();
        return "";
      }
      case "latch-leader": {  // latch-leader <l>: the leader's id and whether it is this latch
        LeaderLatch l = find(latches, a[1]);
        Participant p = l.getLeader();
        return (p.isLeader() ? p.getId() : "-") + " " + l.hasLeadership();
      }
      case "latch-participants": {  // latch-participants <l>: ids in order, '*' marks the leader
        List<String> ids = new ArrayList<>();
        for (Participant p : find(latches, a[1]).getParticipants()) ids.add(p.getId() + (p.isLeader() ? "*" : ""));
        return String.join(",", ids);
      }
      case "latch-close": {  // latch-close <l>
        find(latches, a[1]).close();
        latches.remove(a[1]);
        return "";
      }
      // --- SharedCount ---------------------------------------------------------------------
      case "count": {  // count <s> <c> <path> <seed>: event count <s> <value> on each change
        SharedCount s = new SharedCount(client(a[2]), a[3], Integer.parseInt(a[4]));
        s.addListener(new SharedCountListener() {
          public void countHasChanged(SharedCountReader r, int value) { event("count " + a[1] + " " + value); }
          public void stateChanged(CuratorFramework c, ConnectionState st) {}
        });
        s.start();
        counts.put(a[1], s);
        return "";
      }
      case "count-get": {  // count-get <s>: value and version as this SharedCount knows them
        VersionedValue<Integer> v = find(counts, a[1]).getVersionedValue();
        return v.getValue() + " " + v.getVersion();
      }
      case "count-snapshot": {  // count-snapshot <s>: keeps the current versioned value for later
        VersionedValue<Integer> v = find(counts, a[1]).getVersionedValue();
        snapshots.put(a[1], v);
        return v.getValue() + " " + v.getVersion();
      }
      case "count-try-set": {  // count-try-set <s> <value>: trySetCount from the snapshot
        return Boolean.toString(find(counts, a[1]).trySetCount(find(snapshots, a[1]), Integer.parseInt(a[2])));
      }
      case "count-set": {  // count-set <s> <value>
        find(counts, a[1]).setCount(Integer.parseInt(a[2]));
        return "";
      }
      case "count-close": {
        find(counts, a[1]).close();
        counts.remove(a[1]);
        return "";
      }
      // --- ServiceDiscovery ----------------------------------------------------------------
      case "discovery": {  // discovery <d> <c> <base> <map|info>: payload class Map or Info
        Class<?> payload = a[4].equals("map") ? Map.class : Info.class;
        @SuppressWarnings("unchecked")
        ServiceDiscovery<Object> d = ServiceDiscoveryBuilder.builder((Class<Object>) payload)
            .client(client(a[2]))
            .basePath(a[3])
            .serializer(new JsonInstanceSerializer<>((Class<Object>) payload))
            .build();
        d.start();
        discoveries.put(a[1], d);
        payloadClasses.put(a[1], payload);
        return "";
      }
      case "register": {  // register <d> <name> <id> <address> <port> <payload JSON>
        ServiceDiscovery<Object> d = find(discoveries, a[1]);
        String payloadText = line.split(" ", 7)[6];
        Object payload = json.readValue(payloadText, payloadClasses.get(a[1]));
        d.registerService(ServiceInstance.builder()
            .name(a[2]).id(a[3]).address(a[4]).port(Integer.parseInt(a[5]))
            .payload(payload).serviceType(ServiceType.DYNAMIC).build());
        return "";
      }
      case "unregister": {  // unregister <d> <name> <id>
        ServiceDiscovery<Object> d = find(discoveries, a[1]);
        d.unregisterService(d.queryForInstance(a[2], a[3]));
        return "";
      }
      case "query-names": {  // query-names <d>: names, comma-separated
        return String.join(",", find(discoveries, a[1]).queryForNames());
      }
      case "query": {  // query <d> <name> <id>: what Curator read, as JSON ("null" if missing)
        ServiceInstance<Object> i = find(discoveries, a[1]).queryForInstance(a[2], a[3]);
        if (i == null) return "null";
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("name", i.getName());
        out.put("id", i.getId());
        out.put("address", i.getAddress());
        out.put("port", i.getPort());
        out.put("registrationTimeUTC", i.getRegistrationTimeUTC());
        out.put("serviceType", i.getServiceType().name());
        out.put("enabled", i.isEnabled());
        out.put("payloadClass", i.getPayload() == null ? null : i.getPayload().getClass().getName());
        out.put("payload", i.getPayload());
        return json.writeValueAsString(out);
      }
      case "raw": {  // raw <c> <path>: the node's data as text
        return new String(client(a[1]).getData().forPath(a[2]), StandardCharsets.UTF_8);
      }
      default:
        throw new IllegalArgumentException("unknown command " + a[0]);
    }
  }
}
