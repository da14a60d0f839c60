package dev.turbocache.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.turbocache.operator.TestResources;
import dev.turbocache.operator.api.v1alpha1.TurboCache;
import dev.turbocache.operator.api.v1alpha1.spec.RedisSentinelSpec;
import dev.turbocache.operator.api.v1alpha1.spec.RedisTierSpec;
import dev.turbocache.operator.model.Names;
import dev.turbocache.operator.redis.TopologyVerdict;
import dev.turbocache.operator.server.ServerConfigMap;
import dev.turbocache.operator.server.ServerDeployment;
import dev.turbocache.operator.server.ServerSecrets;
import dev.turbocache.server.app.CacheServer;
import dev.turbocache.server.config.ConfigLoader;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered Redis set run for real: the operator's StatefulSets, ConfigMap and Secret for a
 * Sentinel TurboCache become real {@code redis-server} and {@code redis-server --sentinel} processes
 * on loopback addresses ({@link RenderedRedisSet}), and the operator's topology check, as it runs
 * every few seconds in a reconcile, looks at them and heals what it proves wrong.
 */
class RenderedRedisSetIT {
  static final Duration SETTLED = Duration.ofSeconds(90);
  @TempDir Path tmp;
  final List<RenderedRedisSet> sets = new ArrayList<>();
  final List<AutoCloseable> closeLater = new ArrayList<>();

  @BeforeAll
  static void redisProgramsOnThePath() {
    for (String program : List.of("redis-server", "redis-cli")) {
      boolean found = Arrays.stream(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
      assertThat(found).as("%s on the PATH (Debian: apt-get install redis-server; CI's .ci/run installs it)", program).isTrue();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeLater) {
      c.close();
    }
    sets.forEach(RenderedRedisSet::close);
  }

  static TurboCache sentinelCache(String name) {
    TurboCache cr = TestResources.withRedisMode(TestResources.minimal(), RedisTierSpec.Mode.Sentinel);
    cr.getMetadata().setName(name);
    cr.getSpec().tiers.redis.sentinel = new RedisSentinelSpec();
    cr.getSpec().tiers.redis.sentinel.downAfter = "1s";
    cr.getSpec().tiers.redis.sentinel.maxMemory = "64Mi";
    return cr;
  }

  RenderedRedisSet start(String name, String prefix) {
    RenderedRedisSet set = new RenderedRedisSet(sentinelCache(name), prefix, tmp.resolve(name));
    sets.add(set);
    set.startAll();
    return set;
  }

  /** Runs the operator's check, like its reconciles, until the set is healthy; returns the last verdict. */
  static TopologyVerdict untilHealthy(RenderedRedisSet set) {
    List<TopologyVerdict> last = new ArrayList<>(List.of(unknown()));
    awaitWithLogs(set, "a healthy set", () -> {
      TopologyVerdict v = set.check();
      last.set(0, v);
      return v.ready() && v.masters() == 1 && v.replicasInSync() == 2 && v.sentinelsReady() == 3 && v.actions().isEmpty();
    });
    return last.get(0);
  }

  /** Awaits {@code condition}; on a timeout the failure carries the pods' logs as they are then. */
  static void awaitWithLogs(RenderedRedisSet set, String what, Callable<Boolean> condition) {
    try {
      await(what).atMost(SETTLED).pollInterval(Duration.ofMillis(500)).until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + " did not happen within " + SETTLED + "; logs:\n" + set.logs(), e);
    }
  }

  static TopologyVerdict unknown() {
    return new TopologyVerdict(false, "", "", null, 0, 0, 0, 0, 0, false, List.of());
  }

  static void assertOneMasterEveryoneAgreesOn(RenderedRedisSet set, TopologyVerdict verdict) {
    List<RenderedRedisPod> masters = set.masters();
    assertThat(masters).extracting(p -> p.name).containsExactly(verdict.master());
    String masterIp = masters.get(0).ip;
    for (RenderedRedisPod r : set.redis) {
      if (r != masters.get(0)) {
        assertThat(set.info(r, "master_host")).as("%s replicates the master", r.name).isEqualTo(masterIp);
        assertThat(set.info(r, "master_link_status")).isEqualTo("up");
      }
      assertThat(r.probe(r.container.getReadinessProbe())).as("%s passes its rendered readiness probe", r.name).isTrue();
    }
    for (RenderedRedisPod s : set.sentinels) {
      assertThat(set.namedMaster(s)).as("%s names the master", s.name).isEqualTo(masterIp);
      assertThat(s.probe(s.container.getReadinessProbe())).as("%s passes its rendered readiness probe", s.name).isTrue();
    }
  }

  @Test
  void aFreshStartGivesExactlyOneMasterAndTheSentinelsAgree() {
    RenderedRedisSet set = start("fresh", "127.0.10");
    TopologyVerdict v = untilHealthy(set);
    assertOneMasterEveryoneAgreesOn(set, v);
    assertThat(v.master()).as("a fresh set chooses its lowest ordinal").isEqualTo(Names.redis(set.cr) + "-0");
  }

  @Test
  void losingTheMasterUnderCacheTrafficFailsOverTheOldMasterReturnsAsAReplica() throws Exception {
    RenderedRedisSet set = start("failover", "127.0.11");
    TopologyVerdict before = untilHealthy(set);
    RenderedRedisPod oldMaster = set.masters().get(0);

    CacheServer server = cacheServer(set);
    Traffic traffic = new Traffic(server.baseUrl());
    Thread load = new Thread(traffic, "cache-traffic");
    load.start();
    closeLater.add(() -> {
      traffic.stop.set(true);
      load.join(30_000);
      server.close();
    });
    await().atMost(SETTLED).until(() -> traffic.succeeded.get() >= 50);

    oldMaster.kill();
    awaitWithLogs(set, "a failover", () -> {
      set.check(); // the operator keeps checking, as its reconciles do
      return set.masters().size() == 1 && !set.masters().get(0).name.equals(oldMaster.name);
    });
    int afterFailover = traffic.succeeded.get();
    await("cache traffic succeeds through the new master").atMost(SETTLED)
        .until(() -> traffic.succeeded.get() >= afterFailover + 50);
    traffic.stop.set(true);
    load.join(30_000);
    System.out.println("cache traffic across the failover, answers by status: " + traffic.statuses);

    assertThat(traffic.statuses.keySet()).as("every request was answered, none with a server error")
        .isSubsetOf(Set.of(200, 202, 404, 503));
    assertThat(traffic.unanswered.get()).as("requests that got no answer").isZero();
    // A read that fails (Sentinel or the operator's check dropping the connection as it
    // reconfigures a pod) is a miss of the only tier, so one 404 is not a loss; a lost artifact
    // stays a 404.
    for (String early : traffic.acknowledged.subList(0, 20)) {
      await("artifact " + early + ", stored before the failover, is still there").atMost(Duration.ofSeconds(15))
          .until(() -> Integer.valueOf(200).equals(traffic.get(early)));
    }

    oldMaster.start();
    TopologyVerdict after = untilHealthy(set);
    assertThat(after.master()).isNotEqualTo(before.master());
    assertThat(set.info(oldMaster, "role")).as("the old master came back as a replica").isEqualTo("slave");
    assertOneMasterEveryoneAgreesOn(set, after);
  }

  @Test
  void restartingEveryPodAtOnceStillGivesExactlyOneMaster() {
    RenderedRedisSet set = start("cold", "127.0.12");
    untilHealthy(set);
    set.killAll();
    set.startAll();
    AtomicInteger mostMastersSeen = new AtomicInteger();
    awaitWithLogs(set, "one master again", () -> {
      mostMastersSeen.accumulateAndGet(set.masters().size(), Math::max);
      TopologyVerdict v = set.check();
      return v.ready() && v.replicasInSync() == 2 && v.sentinelsReady() == 3 && v.actions().isEmpty();
    });
    assertThat(mostMastersSeen.get()).as("never two masters while coming back").isLessThanOrEqualTo(1);
    assertOneMasterEveryoneAgreesOn(set, untilHealthy(set));
  }

  @Test
  void aSentinelWithAStaleViewIsHealedByTheCheck() {
    RenderedRedisSet set = start("stale", "127.0.13");
    TopologyVerdict v = untilHealthy(set);
    RenderedRedisPod master = set.masters().get(0);
    RenderedRedisPod replica = set.redis.stream().filter(r -> r != master).findFirst().orElseThrow();
    RenderedRedisPod sentinel = set.sentinels.get(2);
    sentinel.kill();
    sentinel.start();
    // the restarted sentinel learnt the master from its peers; make its view stale behind their back
    await().atMost(SETTLED).until(() -> master.ip.equals(set.namedMaster(sentinel)));
    set.onSentinel(sentinel, s -> {
      s.remove(Names.redisMaster(set.cr));
      s.monitor(Names.redisMaster(set.cr), replica.ip, 6379, 2);
      return null;
    });
    assertThat(set.namedMaster(sentinel)).isEqualTo(replica.ip);

    await().atMost(SETTLED).pollInterval(Duration.ofMillis(500)).until(() -> {
      set.check();
      return master.ip.equals(set.namedMaster(sentinel));
    });
    assertOneMasterEveryoneAgreesOn(set, untilHealthy(set));
    assertThat(set.masters()).extracting(p -> p.name).containsExactly(v.master());
  }

  @Test
  void twoTurboCachesSideBySideNeverMix() {
    RenderedRedisSet one = start("one", "127.0.14");
    RenderedRedisSet two = start("two", "127.0.15");
    untilHealthy(one);
    TopologyVerdict twoBefore = untilHealthy(two);
    one.masters().get(0).kill();
    await().atMost(SETTLED).pollInterval(Duration.ofMillis(500)).until(() -> {
      one.check();
      two.check();
      return one.masters().size() == 1;
    });
    assertThat(two.masters()).extracting(p -> p.name).containsExactly(twoBefore.master());
    Set<String> twosAddresses = Set.copyOf(two.hosts.values());
    for (RenderedRedisPod s : two.sentinels) {
      // a sentinel learns replicas and peers from the master within seconds; then it must know only its own
      await().atMost(SETTLED).untilAsserted(() -> {
        List<String> replicas = two.onSentinel(s, c -> c.replicas(Names.redisMaster(two.cr)).stream().map(r -> r.get("ip")).toList());
        assertThat(replicas).as("%s knows its own replicas, only", s.name).hasSize(2).allMatch(twosAddresses::contains);
      });
      String peers = two.onSentinel(s, c -> c.master(Names.redisMaster(two.cr)).get("num-other-sentinels"));
      assertThat(peers).as("%s counts only its own two peers", s.name).isEqualTo("2");
      int monitored = two.onSentinel(s, c -> c.masters().size());
      assertThat(monitored).as("%s monitors only its own master", s.name).isEqualTo(1);
    }
    assertThat(Names.redisMaster(one.cr)).isNotEqualTo(Names.redisMaster(two.cr));
  }

  /** The real cache server as the rendered Deployment runs it, with Redis as its only tier. */
  CacheServer cacheServer(RenderedRedisSet set) {
    List<Secret> secrets = new ArrayList<>(UserSecrets.of(set.cr).stream()
        .filter(s -> !s.getMetadata().getName().equals(Names.redisAuth(set.cr))).toList());
    secrets.add(set.auth);
    RenderedPod pod = RenderedPod.materialize(ServerDeployment.desired(set.cr, ServerSecrets.observe(set.cr, secrets)),
        ServerConfigMap.desired(set.cr), secrets, tmp.resolve("server"));
    String uri = pod.renderedSettings.get("storage.redis.uri");
    for (Map.Entry<String, String> h : set.hosts.entrySet()) {
      uri = uri.replace(h.getKey(), h.getValue());
    }
    pod.env.put(ConfigLoader.envName("storage.redis.uri"), uri);
    pod.env.put(ConfigLoader.envName("storage.tiers"), "redis");
    return CacheServer.start(pod.load());
  }

  /** PUT then GET of a new artifact, over and over; counts answers by status. */
  static final class Traffic implements Runnable {
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final String base;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());

    Traffic(String base) {
      this.base = base;
    }

    @Override
    public void run() {
      for (int i = 0; !stop.get(); i++) {
        String hash = HexFormat.of().formatHex(("artifact-" + i).getBytes());
        Integer put = send(HttpRequest.newBuilder(url(hash)).PUT(HttpRequest.BodyPublishers.ofString("body-" + i)));
        if (put != null && put == 202) {
          acknowledged.add(hash);
          Integer get = get(hash);
          if (get != null && get == 200) {
            succeeded.incrementAndGet();
          }
        }
      }
    }

    Integer get(String hash) {
      return send(HttpRequest.newBuilder(url(hash)).GET());
    }

    URI url(String hash) {
      return URI.create(base + "/v8/artifacts/" + hash + "?slug=" + UserSecrets.TEAM);
    }

    Integer send(HttpRequest.Builder request) {
      try {
        HttpResponse<Void> r = http.send(request.timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + UserSecrets.TOKEN).build(), HttpResponse.BodyHandlers.discarding());
        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
        return r.statusCode();
      } catch (IOException e) {
        unanswered.incrementAndGet();
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop.set(true);
        return null;
      }
    }
  }
}
