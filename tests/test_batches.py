"""Agencies cut into crawl tasks: a host's agencies together, enough batches for every slot."""

from __future__ import annotations

from core.registry import Agency
from flows.batches import batch_size, host_key, plan_batches


def agency(i: int, url: str | None = None) -> Agency:
    return Agency(id=f"a{i}", name=f"Dinas {i}", url=url or f"https://ppid{i}.example.go.id/",
                  email="", role="pelaksana", parent="")


def test_host_key_is_host_and_port():
    assert host_key("https://PPID.Kota.go.id/informasi") == "ppid.kota.go.id"
    assert host_key("http://127.0.0.1:8081/") == "127.0.0.1:8081"
    assert host_key("http://user@host.test:80/x") == "host.test:80"


def test_a_small_registry_gets_one_agency_per_task():
    assert batch_size(20, slots=8, most=25) == 1
    assert [len(b) for b in plan_batches([agency(i) for i in range(20)], 8, 25)] == [1] * 20


def test_a_large_registry_gets_full_batches_in_registry_order():
    agencies = [agency(i) for i in range(1000)]
    batches = plan_batches(agencies, slots=8, most=25)
    assert [len(b) for b in batches] == [25] * 40
    assert [a for b in batches for a in b] == agencies


def test_agencies_on_one_host_share_a_batch_even_past_the_size():
    shared = [agency(i, f"https://kota.go.id/opd-{i}") for i in range(30)]
    others = [agency(100 + i) for i in range(100)]
    batches = plan_batches(others[:50] + shared + others[50:], slots=2, most=10)
    holding = [b for b in batches if any(a in shared for a in b)]
    assert len(holding) == 1 and set(shared) <= set(holding[0])
    assert sorted(a.id for b in batches for a in b) == sorted(a.id for a in shared + others)
    assert max(len(b) for b in batches if b is not holding[0]) <= 10


def test_runner_done_asks_the_runner_s_own_future_without_waiting():
    from concurrent.futures import Future
    from types import SimpleNamespace

    from flows.batches import runner_done

    pending, finished = Future(), Future()
    finished.set_result([])
    assert not runner_done(SimpleNamespace(wrapped_future=pending))
    assert runner_done(SimpleNamespace(wrapped_future=finished))
    assert not runner_done(object())  # a future without a runner's future behind it
