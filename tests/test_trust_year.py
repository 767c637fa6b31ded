"""The simulated-year benchmark (benchmarks/trust_year.py) at a tiny size: flaky sites
(30 % of requests answer 503, no crawler retries) show false drops without confirmation and
none in the e-mails with it, while a real deletion still reaches the e-mails."""

from __future__ import annotations

from benchmarks import trust_year

TINY = trust_year.Size(runs=5, agencies=4, fault_rate=0.3, retries=0, deletions=((1, 2),),
                       seed=7)


def test_confirmation_keeps_false_drops_out_of_the_emails(tmp_path):
    out = trust_year.run(TINY, tmp_path, log=lambda *_: None)
    before, after = out.raw["counts"]["before"], out.raw["counts"]["after"]
    assert out.raw["faults"] > 0
    assert before["dashboard"] > 0 and before["email"] > 0, "the faults must bite without confirmation"
    assert after["email"] == 0
    assert after["dashboard"] < before["dashboard"]
    assert out.raw["deletion_delay"]["after_email"]["seen"] == 1
    assert [r.met for r in out.rows][:2] == [True, True]
