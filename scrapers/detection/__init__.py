"""Detection: pure functions over parsed pages (extraction, matching, years, verdicts). No I/O."""
