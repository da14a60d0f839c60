package dev.turbocache.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbocache.operator.redis.HealAction.DeletePod;
import dev.turbocache.operator.redis.HealAction.Failover;
import dev.turbocache.operator.redis.HealAction.Monitor;
import dev.turbocache.operator.redis.HealAction.Promote;
import dev.turbocache.operator.redis.HealAction.ReplicaOf;
import dev.turbocache.operator.redis.HealAction.Reset;
import dev.turbocache.operator.redis.RedisTopology.MonitoredMaster;
import dev.turbocache.operator.redis.RedisTopology.RedisNode;
import dev.turbocache.operator.redis.RedisTopology.Role;
import dev.turbocache.operator.redis.RedisTopology.SentinelNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** One case per situation the topology check meets: observation in, verdict and actions out. */
class TopologyDecisionTest {
  static final int PORT = 6379;
  static final TopologyDecision.Expectations THREE = new TopologyDecision.Expectations(true, 3, 3, 2, PORT, 30);

  static String host(String pod) {
    return pod + ".tc-redis-headless.ns.svc";
  }

  static RedisNode master(int ordinal, long offset, long keys) {
    return new RedisNode("tc-redis-" + ordinal, ordinal, host("tc-redis-" + ordinal), Role.MASTER, null, 0, false, false, 0,
        offset, keys, false, false);
  }

  static RedisNode replica(int ordinal, int masterOrdinal, long offset) {
    return new RedisNode("tc-redis-" + ordinal, ordinal, host("tc-redis-" + ordinal), Role.REPLICA,
        host("tc-redis-" + masterOrdinal), PORT, true, false, 0, offset, 10, false, false);
  }

  static RedisNode waiting(int ordinal, long offset, long orphanedSeconds) {
    return new RedisNode("tc-redis-" + ordinal, ordinal, host("tc-redis-" + ordinal), Role.REPLICA_OF_NOTHING, "127.0.0.1",
        1, false, false, orphanedSeconds, offset, offset == 0 ? 0 : 5, false, false);
  }

  static RedisNode unreachable(int ordinal) {
    return new RedisNode("tc-redis-" + ordinal, ordinal, host("tc-redis-" + ordinal), Role.UNREACHABLE, null, 0, false,
        false, 0, 0, 0, false, false);
  }

  static SentinelNode sentinel(int ordinal, Integer masterOrdinal) {
    MonitoredMaster m = masterOrdinal == null ? null
        : new MonitoredMaster(host("tc-redis-" + masterOrdinal), PORT, false, false, 2, 2);
    return new SentinelNode("tc-sentinel-" + ordinal, "tc-sentinel-" + ordinal + ".h", true, false, m);
  }

  static SentinelNode with(SentinelNode s, UnaryOperator<MonitoredMaster> edit) {
    return new SentinelNode(s.pod(), s.host(), s.reachable(), s.tilt(), edit.apply(s.monitored()));
  }

  static List<SentinelNode> sentinels(Integer masterOrdinal) {
    return List.of(sentinel(0, masterOrdinal), sentinel(1, masterOrdinal), sentinel(2, masterOrdinal));
  }

  static TopologyVerdict decide(List<RedisNode> redis, List<SentinelNode> sentinels) {
    return TopologyDecision.decide(new RedisTopology(redis, sentinels), THREE);
  }

  @Test
  void aHealthySetNeedsNothing() {
    TopologyVerdict v = decide(List.of(master(0, 100, 10), replica(1, 0, 100), replica(2, 0, 100)), sentinels(0));
    assertThat(v.ready()).isTrue();
    assertThat(v.reason()).isEqualTo("Available");
    assertThat(v.master()).isEqualTo("tc-redis-0");
    assertThat(v.replicasInSync()).isEqualTo(2);
    assertThat(v.sentinelsReady()).isEqualTo(3);
    assertThat(v.actions()).isEmpty();
  }

  @Test
  void noMasterAndNoSentinelKnowingOneBootstrapsThePodWithTheMostData() {
    TopologyVerdict v = decide(List.of(waiting(0, 0, 5), waiting(1, 500, 5), waiting(2, 500, 5)), sentinels(null));
    assertThat(v.reason()).isEqualTo("Bootstrapping");
    assertThat(v.actions()).first().isEqualTo(new Promote("tc-redis-1", "no sentinel knows a master"));
    assertThat(v.actions()).filteredOn(a -> a instanceof Monitor).hasSize(3)
        .allSatisfy(a -> assertThat(((Monitor) a).masterHost()).isEqualTo(host("tc-redis-1")));
    assertThat(v.actions()).filteredOn(a -> a instanceof ReplicaOf).extracting(a -> ((ReplicaOf) a).pod())
        .containsExactly("tc-redis-0", "tc-redis-2");
    assertThat(v.actions().indexOf(v.actions().stream().filter(a -> a instanceof Monitor).findFirst().orElseThrow()))
        .as("replicas first, so the sentinels learn them with the master").isEqualTo(3);
  }

  @Test
  void aFreshSetBootstrapsTheLowestOrdinal() {
    TopologyVerdict v = decide(List.of(waiting(2, 0, 1), waiting(0, 0, 1), waiting(1, 0, 1)), sentinels(null));
    assertThat(v.actions()).first().satisfies(a -> assertThat(((Promote) a).pod()).isEqualTo("tc-redis-0"));
  }

  @Test
  void bootstrapWaitsForEveryPodThatMightKnowBetter() {
    List<SentinelNode> oneDown = List.of(sentinel(0, null), sentinel(1, null),
        new SentinelNode("tc-sentinel-2", "h", false, false, null));
    TopologyVerdict v = decide(List.of(waiting(0, 0, 5), waiting(1, 0, 5), waiting(2, 0, 5)), oneDown);
    assertThat(v.reason()).isEqualTo("Bootstrapping");
    assertThat(v.actions()).isEmpty();
    assertThat(v.message()).contains("2 of 3 sentinels");

    TopologyVerdict late = decide(List.of(waiting(0, 0, 60), waiting(1, 0, 60), unreachable(2)), oneDown);
    assertThat(late.actions()).as("the ones that answer waited long enough").first().isInstanceOf(Promote.class);
  }

  @Test
  void noMasterWhileTheSentinelsMonitorOneIsTheirs() {
    TopologyVerdict v = decide(List.of(unreachable(0), replica(1, 0, 100), replica(2, 0, 100)), sentinels(0));
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).isEqualTo("NoMaster");
    assertThat(v.actions()).isEmpty();
  }

  @Test
  void theSentinelsStuckWithoutAGoodReplicaAreHelpedOnlyAfterTheyHadTheirChance() {
    List<RedisNode> soon = List.of(waiting(0, 0, 10), waiting(1, 0, 10), waiting(2, 0, 10));
    assertThat(decide(soon, sentinels(0)).actions()).isEmpty();

    List<RedisNode> stuck = List.of(waiting(0, 0, 31), waiting(1, 700, 31), waiting(2, 0, 31));
    TopologyVerdict v = decide(stuck, sentinels(0));
    assertThat(v.reason()).isEqualTo("Recovering");
    assertThat(v.actions()).first().isEqualTo(new Promote("tc-redis-1",
        "no master for 30s and no replica with a working link, so the sentinels cannot fail over"));
    assertThat(v.actions()).filteredOn(a -> a instanceof Monitor).hasSize(3);
  }

  @Test
  void aDeadMasterTheSentinelsCannotReplaceIsReplacedOnceTheySeeItDownLongEnough() {
    List<SentinelNode> seeDown = List.of(sentinel(0, 0), sentinel(1, 0), sentinel(2, 0)).stream()
        .map(s -> with(s, m -> new MonitoredMaster(m.host(), m.port(), true, false, 0, 2))).toList();
    RedisNode linkDown = new RedisNode("tc-redis-1", 1, host("tc-redis-1"), Role.REPLICA, host("tc-redis-0"), PORT, false,
        false, 31, 400, 9, false, false);
    RedisNode other = new RedisNode("tc-redis-2", 2, host("tc-redis-2"), Role.REPLICA, host("tc-redis-0"), PORT, false,
        false, 31, 300, 9, false, false);
    TopologyVerdict v = decide(List.of(unreachable(0), linkDown, other), seeDown);
    assertThat(v.reason()).isEqualTo("Recovering");
    assertThat(v.actions()).first().isEqualTo(new Promote("tc-redis-1",
        "no master for 30s and no replica with a working link, so the sentinels cannot fail over"));

    List<SentinelNode> seeUp = List.of(sentinel(0, 0), sentinel(1, 0), sentinel(2, 0));
    assertThat(decide(List.of(unreachable(0), linkDown, other), seeUp).actions())
        .as("the sentinels still reach the master the operator cannot: not proven gone").isEmpty();
  }

  @Test
  void aSentinelThatKnowsNoReplicaYetCannotFailOverSoItIsNotReady() {
    List<SentinelNode> learning = List.of(
        with(sentinel(0, 0), m -> new MonitoredMaster(m.host(), m.port(), false, false, 0, 2)),
        with(sentinel(1, 0), m -> new MonitoredMaster(m.host(), m.port(), false, false, 0, 2)),
        sentinel(2, 0));
    TopologyVerdict v = decide(List.of(master(0, 1, 1), replica(1, 0, 1), replica(2, 0, 1)), learning);
    assertThat(v.sentinelsReady()).isEqualTo(1);
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).isEqualTo("NoQuorum");
  }

  @Test
  void nothingChangesWhileASentinelIsInTilt() {
    List<SentinelNode> tilt = new ArrayList<>(sentinels(null));
    tilt.set(1, new SentinelNode("tc-sentinel-1", "h", true, true, null));
    TopologyVerdict v = decide(List.of(waiting(0, 0, 99), waiting(1, 0, 99), waiting(2, 0, 99)), tilt);
    assertThat(v.reason()).isEqualTo("SentinelTilt");
    assertThat(v.message()).contains("tc-sentinel-1");
    assertThat(v.actions()).isEmpty();
  }

  @Test
  void nothingChangesDuringAFailover() {
    List<SentinelNode> failing = new ArrayList<>(sentinels(0));
    failing.set(0, with(failing.get(0), m -> new MonitoredMaster(m.host(), m.port(), true, true, 2, 2)));
    TopologyVerdict v = decide(List.of(unreachable(0), replica(1, 0, 1), waiting(2, 0, 99)), failing);
    assertThat(v.reason()).isEqualTo("FailoverInProgress");
    assertThat(v.actions()).isEmpty();
  }

  @Test
  void aSentinelWithAStaleMasterAddressIsPointedAtTheMasterTheOthersAgreeOn() {
    List<SentinelNode> stale = List.of(sentinel(0, 1), sentinel(1, 0), sentinel(2, 0));
    TopologyVerdict v = decide(List.of(master(0, 1, 1), replica(1, 0, 1), replica(2, 0, 1)), stale);
    assertThat(v.actions()).singleElement().satisfies(a -> {
      assertThat(a).isInstanceOf(Monitor.class);
      assertThat(((Monitor) a).sentinel()).isEqualTo("tc-sentinel-0");
      assertThat(((Monitor) a).masterHost()).isEqualTo(host("tc-redis-0"));
      assertThat(a.why()).contains("still monitors " + host("tc-redis-1")).contains("the other sentinels agree");
    });
    assertThat(v.sentinelsReady()).isEqualTo(2);
    assertThat(v.ready()).as("two of three still watch it: a failover is possible").isTrue();
  }

  @Test
  void aSentinelThatMonitorsNothingIsPointedAtTheMaster() {
    List<SentinelNode> blank = List.of(sentinel(0, 0), sentinel(1, null), sentinel(2, 0));
    TopologyVerdict v = decide(List.of(master(0, 1, 1), replica(1, 0, 1), replica(2, 0, 1)), blank);
    assertThat(v.actions()).singleElement().isEqualTo(new Monitor("tc-sentinel-1", host("tc-redis-0"), PORT,
        "it monitors no master"));
  }

  @Test
  void aReplicaOfNothingOrOfAnotherHostIsPointedAtTheMaster() {
    RedisNode elsewhere = new RedisNode("tc-redis-2", 2, host("tc-redis-2"), Role.REPLICA, "10.0.0.9", PORT, false, false,
        40, 0, 0, false, false);
    TopologyVerdict v = decide(List.of(master(0, 1, 1), waiting(1, 0, 3), elsewhere), sentinels(0));
    assertThat(v.actions()).containsExactly(
        new ReplicaOf("tc-redis-1", host("tc-redis-0"), PORT, "it was waiting for a master"),
        new ReplicaOf("tc-redis-2", host("tc-redis-0"), PORT, "it replicates 10.0.0.9, which is not the master"));
  }

  @Test
  void twoMastersAreResolvedOnlyTowardsTheFullerOneTheSentinelsAgreeOn() {
    TopologyVerdict agreed = decide(List.of(master(0, 900, 50), master(1, 10, 0), replica(2, 0, 900)), sentinels(0));
    assertThat(agreed.splitBrain()).isTrue();
    assertThat(agreed.ready()).isFalse();
    assertThat(agreed.reason()).isEqualTo("TwoMasters");
    assertThat(agreed.actions()).containsExactly(new ReplicaOf("tc-redis-1", host("tc-redis-0"), PORT,
        "two masters: the sentinels agree on tc-redis-0, which holds the most keys"));

    TopologyVerdict emptyChosen = decide(List.of(master(0, 900, 50), master(1, 10, 0), replica(2, 0, 900)), sentinels(1));
    assertThat(emptyChosen.actions()).as("never pick the empty one").isEmpty();
    assertThat(emptyChosen.message()).contains("tc-redis-0 (50 keys)").contains("tc-redis-1 (0 keys)")
        .contains("does not choose");

    TopologyVerdict noAgreement = decide(List.of(master(0, 900, 50), master(1, 10, 3), replica(2, 0, 900)),
        List.of(sentinel(0, 0), sentinel(1, 1), sentinel(2, null)));
    assertThat(noAgreement.actions()).isEmpty();
    assertThat(noAgreement.message()).contains("agree on none");
  }

  @Test
  void tooFewSentinelsWatchingTheMasterIsNotReady() {
    List<SentinelNode> lone = List.of(sentinel(0, 0), new SentinelNode("tc-sentinel-1", "h", false, false, null),
        new SentinelNode("tc-sentinel-2", "h", false, false, null));
    TopologyVerdict v = decide(List.of(master(0, 1, 1), replica(1, 0, 1), replica(2, 0, 1)), lone);
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).isEqualTo("NoQuorum");
    assertThat(v.message()).contains("1 of 3 sentinels");
  }

  @Test
  void aSyncingReplicaIsReportedAndHoldsTheRollingUpdate() {
    RedisNode syncing = new RedisNode("tc-redis-2", 2, host("tc-redis-2"), Role.REPLICA, host("tc-redis-0"), PORT, false,
        true, 0, 0, 0, true, false);
    RedisNode outdated = outdated(replica(1, 0, 1));
    TopologyVerdict v = decide(List.of(master(0, 1, 1), outdated, syncing), sentinels(0));
    assertThat(v.reason()).isEqualTo("ReplicaSyncing");
    assertThat(v.message()).contains("still syncing: tc-redis-2");
    assertThat(v.replicasInSync()).isEqualTo(1);
    assertThat(v.actions()).as("no pod is replaced while a replica syncs").isEmpty();
  }

  @Test
  void sentinelsCountingPodsThatNoLongerExistAreResetOneAtATime() {
    List<SentinelNode> counts = List.of(
        with(sentinel(0, 0), m -> new MonitoredMaster(m.host(), m.port(), false, false, 4, 2)),
        with(sentinel(1, 0), m -> new MonitoredMaster(m.host(), m.port(), false, false, 2, 5)),
        sentinel(2, 0));
    TopologyVerdict v = decide(List.of(master(0, 1, 1), replica(1, 0, 1), replica(2, 0, 1)), counts);
    assertThat(v.actions()).singleElement().satisfies(a -> {
      assertThat(a).isInstanceOf(Reset.class);
      assertThat(((Reset) a).sentinel()).isEqualTo("tc-sentinel-0");
      assertThat(a.why()).contains("4 replicas").contains("there are 2");
    });
  }

  static RedisNode outdated(RedisNode n) {
    return new RedisNode(n.pod(), n.ordinal(), n.host(), n.role(), n.masterHost(), n.masterPort(), n.linkUp(), n.syncing(),
        n.orphanedSeconds(), n.offset(), n.keys(), true, false);
  }

  static RedisNode passwordChanged(RedisNode n) {
    return new RedisNode(n.pod(), n.ordinal(), n.host(), n.role(), n.masterHost(), n.masterPort(), n.linkUp(), n.syncing(),
        n.orphanedSeconds(), n.offset(), n.keys(), true, true);
  }

  @Test
  void aRollingUpdateReplacesReplicasFirstOneAtATimeThenFailsTheMasterOver() {
    TopologyVerdict first = decide(List.of(outdated(master(0, 1, 1)), outdated(replica(1, 0, 1)), outdated(replica(2, 0, 1))),
        sentinels(0));
    assertThat(first.actions()).singleElement().isEqualTo(new DeletePod("tc-redis-2", "rolling update: replicas first, one at a time"));

    TopologyVerdict master = decide(List.of(outdated(master(0, 1, 1)), replica(1, 0, 1), replica(2, 0, 1)), sentinels(0));
    assertThat(master.actions()).singleElement().isInstanceOf(Failover.class);

    TopologyVerdict afterFailover = decide(List.of(outdated(replica(0, 1, 1)), master(1, 1, 1), replica(2, 1, 1)),
        sentinels(1));
    assertThat(afterFailover.actions()).singleElement().isEqualTo(new DeletePod("tc-redis-0", "rolling update: replicas first, one at a time"));
  }

  @Test
  void aPasswordChangeRestartsEveryPodStillUsingTheOldOne() {
    TopologyVerdict v = decide(List.of(passwordChanged(master(0, 1, 1)), passwordChanged(replica(1, 0, 1)),
        passwordChanged(replica(2, 0, 1))), sentinels(0));
    assertThat(v.actions()).extracting(a -> ((DeletePod) a).pod()).containsExactlyInAnyOrder("tc-redis-0", "tc-redis-1", "tc-redis-2");
  }

  @Test
  void nothingAnswersYet() {
    List<SentinelNode> none = List.of(new SentinelNode("tc-sentinel-0", "h", false, false, null));
    TopologyVerdict v = decide(List.of(unreachable(0), unreachable(1), unreachable(2)), none);
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).isEqualTo("WaitingForPods");
    assertThat(v.message()).contains("none of the 3 Redis pods and 3 sentinels answers yet");
    assertThat(v.actions()).isEmpty();
  }

  @Test
  void standaloneIsReadyWithItsMaster() {
    TopologyDecision.Expectations standalone = new TopologyDecision.Expectations(false, 1, 0, 0, PORT, 30);
    assertThat(TopologyDecision.decide(new RedisTopology(List.of(master(0, 0, 0)), List.of()), standalone).ready()).isTrue();
    TopologyVerdict down = TopologyDecision.decide(new RedisTopology(List.of(unreachable(0)), List.of()), standalone);
    assertThat(down.ready()).isFalse();
    assertThat(down.message()).contains("tc-redis-0 does not answer yet");
  }
}
