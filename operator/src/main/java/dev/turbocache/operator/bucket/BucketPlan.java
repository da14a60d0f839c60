package dev.turbocache.operator.bucket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What to write to bring a bucket to its desired sections (pure). A section is written only when it
 * is absent or differs semantically ({@link SectionValue} equality), so a bucket that already looks
 * right gets no write at all, and writing the plan then reading back yields an empty plan: the
 * operator never flaps.
 *
 * @param writes the desired values of the sections that differ, in section order
 * @param unsupported sections whose read API the endpoint lacks (left alone, warned about)
 * @param failures sections that could not be read (left alone this time)
 */
public record BucketPlan(List<SectionValue> writes, List<BucketError> unsupported, List<BucketError> failures) {

  public static BucketPlan of(DesiredBucket desired, Map<BucketSection, SectionState> observed) {
    List<SectionValue> writes = new ArrayList<>();
    List<BucketError> unsupported = new ArrayList<>();
    List<BucketError> failures = new ArrayList<>();
    for (SectionValue want : desired.values()) {
      SectionState state = observed.getOrDefault(want.section(), new SectionState.Absent());
      switch (state) {
        case SectionState.Present present -> {
          if (!present.value().equals(want)) {
            writes.add(want);
          }
        }
        case SectionState.Absent absent -> writes.add(want);
        case SectionState.Unsupported u -> unsupported.add(u.error());
        case SectionState.Failed f -> failures.add(f.error());
      }
    }
    return new BucketPlan(List.copyOf(writes), List.copyOf(unsupported), List.copyOf(failures));
  }
}
