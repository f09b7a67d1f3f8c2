"""Claim sizes follow the pace of the last batch, within the probe and the batch size."""

from __future__ import annotations

from docflow.claim_size import PROBE, TARGET_SECONDS, ClaimSize


def test_a_run_starts_with_a_probe_and_sizes_claims_by_the_last_batchs_pace():
    size = ClaimSize(most=1000)
    assert size() == PROBE
    size.measured(PROBE, 0.001)  # plain text: straight to the batch size
    assert size() == 1000
    size.measured(10, 80.0)  # scans at 8 s each: one at a time
    assert size() == 1
    size.measured(4, 2.0)  # 0.5 s each: what TARGET_SECONDS holds
    assert size() == int(TARGET_SECONDS / 0.5)


def test_nothing_read_changes_nothing_and_a_small_batch_size_caps_the_probe():
    size = ClaimSize(most=1)
    assert size() == 1
    size.measured(0, 5.0)
    assert size() == 1
