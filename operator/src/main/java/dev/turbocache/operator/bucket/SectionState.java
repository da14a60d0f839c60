package dev.turbocache.operator.bucket;

/** What reading one {@link BucketSection} of the live bucket found. */
public sealed interface SectionState {

  /** The section as S3 has it. */
  record Present(SectionValue value) implements SectionState {}

  /** S3 has none (NoSuchLifecycleConfiguration, NoSuchTagSet, NoSuchBucketPolicy, ...). */
  record Absent() implements SectionState {}

  /** The endpoint does not implement the section's API: nothing to keep, a warning. */
  record Unsupported(BucketError error) implements SectionState {}

  /** Reading it failed (access denied, an outage): the section is left alone this time. */
  record Failed(BucketError error) implements SectionState {}
}
