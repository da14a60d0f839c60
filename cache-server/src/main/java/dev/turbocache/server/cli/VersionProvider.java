package dev.turbocache.server.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (absent when running from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"turbocache-server " + (v == null ? "dev" : v)};
  }
}
