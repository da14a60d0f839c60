package dev.turbocache.server.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisReadOnlyException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class RedisConnectionTest {

  @Test
  void recognisesReadOnlyRepliesHoweverWrapped() {
    var readOnly = new RedisCommandExecutionException(
        "READONLY You can't write against a read only replica.");
    assertThat(RedisConnection.isReadOnly(readOnly)).isTrue();
    assertThat(RedisConnection.isReadOnly(new RedisReadOnlyException("READONLY x"))).isTrue();
    assertThat(RedisConnection.isReadOnly(new ExecutionException(readOnly))).isTrue();
    assertThat(RedisConnection.isReadOnly(new RedisCommandExecutionException("ERR wrong"))).isFalse();
    assertThat(RedisConnection.isReadOnly(new IOException("READONLY"))).isFalse();
  }
}
