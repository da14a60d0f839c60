package dev.turbocache.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the {@link RgwFixture} of the test run: started on first use, shared by every class
 * in the JVM, stopped when the run ends, failed or not (JUnit closes what the root store holds).
 * Its region is {@value #REGION}, so buckets are created with a LocationConstraint.
 */
public final class RgwExtension implements ParameterResolver {
  public static final String REGION = "eu-west-1";
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RgwExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RgwFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RgwFixture.class, k -> {
      try {
        Path work = Files.createTempDirectory("rgw-");
        return RgwFixture.start(work, REGION);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, RgwFixture.class);
  }
}
