// W5 through Apache Curator 5.4 (Debian's jars): the same two measurements as zkit's
// (recipes_workload.cpp) and kazoo's (kazoo_w5.py), printed as one JSON object on stdout.
//
//   java -cp <classes>:<Curator's jars> CuratorW5 <connect> <root> <contenders> <hand-offs>
//        <members> <failovers> <session timeout ms>
//
// Lock hand-off: one session and one InterProcessMutex per contender on <root>/lock, each on its
// own thread, acquiring and releasing at once in turn; the time from a holder calling release()
// to the next holder's acquire() returning. Leader failover: one session and one LeaderLatch per
// member on <root>/election; the leader's session is closed and the time to the next member's
// isLeader() is measured; a new member then joins. Times are System.nanoTime()
// (CLOCK_MONOTONIC on Linux).
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;

public final class CuratorW5 {
  static String connect;
  static int sessionTimeoutMs;

  static CuratorFramework session() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder()
        .connectString(connect)
        .sessionTimeoutMs(sessionTimeoutMs)
        .connectionTimeoutMs(15000)
        .retryPolicy(new RetryNTimes(20, 100))
        .build();
    c.start();
    if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) throw new IllegalStateException("a session did not connect");
    return c;
  }

  // Nearest-rank percentiles, as the C++ side computes them.
  static String summary(List<Double> micros) {
    List<Double> v = new ArrayList<>(micros);
    Collections.sort(v);
    return String.format("{\"count\": %d, \"p50_us\": %.1f, \"p99_us\": %.1f, \"max_us\": %.1f}", v.size(),
                         rank(v, 50), rank(v, 99), v.isEmpty() ? 0.0 : v.get(v.size() - 1));
  }

  static double rank(List<Double> v, double p) {
    if (v.isEmpty()) return 0;
    int r = (int) Math.ceil(p / 100.0 * v.size());
    return v.get(Math.min(Math.max(r, 1), v.size()) - 1);
  }

  static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }

  static String lockHandoff(String root, int contenders, int rounds) throws Exception {
    List<CuratorFramework> sessions = new ArrayList<>();
    for (int i = 0; i < contenders; ++i) sessions.add(session());
    List<Double> micros = Collections.synchronizedList(new ArrayList<>());
    AtomicLong released = new AtomicLong(0);  // 0: nobody released yet
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (CuratorFramework s : sessions) {
      InterProcessMutex m = new InterProcessMutex(s, root + "/lock");
      Thread t = new Thread(() -> {
        try {
          while (micros.size() < rounds && failure.get() == null) {
            if (!m.acquire(60, TimeUnit.SECONDS)) {
              failure.compareAndSet(null, "lock acquire timed out");
              break;
            }
            long last = released.get();
            if (last != 0 && micros.size() < rounds) micros.add((System.nanoTime() - last) / 1000.0);
            released.set(System.nanoTime());
            m.release();
          }
        } catch (Exception e) {
          failure.compareAndSet(null, "lock: " + e);
        }
      });
      threads.add(t);
    }
    for (Thread t : threads) t.start();
    for (Thread t : threads) t.join(300_000);
    for (CuratorFramework s : sessions) s.close();
    String f = failure.get();
    return "{\"contenders\": " + contenders + ", \"handoff\": " + summary(micros) +
        (f != null ? ", \"failure\": " + quote(f) : "") + "}";
  }

  static final class Member {
    CuratorFramework session;
    LeaderLatch latch;
    volatile long acquired = 0;  // nanoTime of its last isLeader(), 0 if none since reset
  }

  // Notified on every isLeader(), so the measuring thread waits instead of spinning (2 cores).
  static final Object elected = new Object();

  static Member join(String root, int id) throws Exception {
    Member m = new Member();
    m.session = session();
    m.latch = new LeaderLatch(m.session, root + "/election", "member-" + id);
    m.latch.addListener(new LeaderLatchListener() {
      @Override public void isLeader() {
        synchronized (elected) {
          m.acquired = System.nanoTime();
          elected.notifyAll();
        }
      }
      @Override public void notLeader() {}
    });
    m.latch.start();
    // In the election once its node exists.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (m.latch.getParticipants().stream().noneMatch(p -> p.getId().equals("member-" + id))) {
      if (System.nanoTime() > until) throw new IllegalStateException("a member did not join the election in time");
      Thread.sleep(1);
    }
    return m;
  }

  static String leaderFailover(String root, int members, int failovers) throws Exception {
    List<Member> all = new ArrayList<>();
    List<Member> gone = new ArrayList<>();
    List<Double> micros = new ArrayList<>();
    String failure = null;
    int joined = 0;
    try {
      for (int i = 0; i < members; ++i) all.add(join(root, joined++));
      for (int round = 0; round < failovers; ++round) {
        Member leader = null;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (leader == null) {
          for (Member m : all) if (m.latch.hasLeadership()) leader = m;
          if (leader != null) break;
          if (System.nanoTime() > until) throw new IllegalStateException("no leader in time");
          Thread.sleep(1);
        }
        for (Member m : all) m.acquired = 0;
        // The leader's session closes (its ephemeral node goes with it): the next one takes over.
        long start = System.nanoTime();
        leader.session.close();
        Member next = null;
        synchronized (elected) {
          while (next == null) {
            for (Member m : all) if (m != leader && m.acquired != 0) next = m;
            if (next != null) break;
            long left = until - System.nanoTime();
            if (left <= 0) throw new IllegalStateException("no new leader in time after round " + round);
            elected.wait(Math.max(1, left / 1_000_000));
          }
        }
        micros.add((next.acquired - start) / 1000.0);
        all.remove(leader);
        gone.add(leader);
        all.add(join(root, joined++));
      }
    } catch (Exception e) {
      failure = e.toString();
    }
    for (Member m : all) {
      m.latch.close();
      m.session.close();
    }
    return "{\"members\": " + members + ", \"failover\": " + summary(micros) +
        (failure != null ? ", \"failure\": " + quote(failure) : "") + "}";
  }

  public static void main(String[] a) throws Exception {
    connect = a[0];
    String root = a[1];
    int contenders = Integer.parseInt(a[2]), handoffs = Integer.parseInt(a[3]);
    int members = Integer.parseInt(a[4]), failovers = Integer.parseInt(a[5]);
    sessionTimeoutMs = Integer.parseInt(a[6]);
    String lock = lockHandoff(root, contenders, handoffs);
    String election = leaderFailover(root, members, failovers);
    System.out.println("{\"client\": \"curator\", \"lock\": " + lock + ", \"election\": " + election + "}");
    System.exit(0);  // Curator's threads are not daemons
  }
}
