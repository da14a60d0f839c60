package dev.turbocache.server.protocol;

import dev.turbocache.server.http.ApiException;
import dev.turbocache.server.storage.ArtifactMetadata;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.time.Instant;

/** Maps artifact metadata to and from the {@code x-artifact-*} headers turbo sends and reads. */
public final class ArtifactHeaders {
  public static final HttpString DURATION = new HttpString("x-artifact-duration");
  public static final HttpString TAG = new HttpString("x-artifact-tag");
  public static final HttpString SHA = new HttpString("x-artifact-sha");
  public static final HttpString DIRTY_HASH = new HttpString("x-artifact-dirty-hash");
  public static final HttpString CLIENT_CI = new HttpString("x-artifact-client-ci");

  /** Limits from the official remote cache OpenAPI document. */
  static final int MAX_TAG = 600;
  static final int MAX_CLIENT_CI = 50;
  /** sha and dirty-hash are hex digests in practice; the bound only stops abuse. */
  static final int MAX_DIGEST = 256;

  private ArtifactHeaders() {}

  /** Reads and validates the metadata headers of an upload. */
  public static ArtifactMetadata fromUpload(HeaderMap headers, long size) {
    String duration = headers.getFirst(DURATION);
    Long durationMs = null;
    if (duration != null && !duration.isBlank()) {
      try {
        durationMs = Long.parseLong(duration.trim());
      } catch (NumberFormatException e) {
        durationMs = -1L;
      }
      if (durationMs < 0) {
        throw ApiException.badRequest("x-artifact-duration must be a whole number of milliseconds");
      }
    }
    String tag = bounded(headers, TAG, MAX_TAG);
    String sha = bounded(headers, SHA, MAX_DIGEST);
    String dirty = bounded(headers, DIRTY_HASH, MAX_DIGEST);
    String ci = bounded(headers, CLIENT_CI, MAX_CLIENT_CI);
    return new ArtifactMetadata(size, durationMs, tag, sha, dirty, ci, Instant.now());
  }

  /** Writes the headers turbo reads on GET and HEAD. */
  public static void write(ArtifactMetadata m, HeaderMap headers) {
    if (m.durationMs() != null) {
      headers.put(DURATION, m.durationMs());
    }
    putIfPresent(headers, TAG, m.tag());
    putIfPresent(headers, SHA, m.sha());
    putIfPresent(headers, DIRTY_HASH, m.dirtyHash());
  }

  private static void putIfPresent(HeaderMap headers, HttpString name, String value) {
    if (value != null) {
      headers.put(name, value);
    }
  }

  private static String bounded(HeaderMap headers, HttpString name, int max) {
    String value = headers.getFirst(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > max) {
      throw ApiException.badRequest(name + " is " + value.length() + " characters; at most " + max + " are allowed");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw ApiException.badRequest(name + " must be printable ASCII");
      }
    }
    return value;
  }
}
