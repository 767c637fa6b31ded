"""The audit trail: rows are appended with their zone, read back newest first."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from warehouse import audit, db, queries


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "pantau.duckdb")
    yield connection
    connection.close()


def test_record_appends_rows_read_back_newest_first(con):
    wib = ZoneInfo("Asia/Jakarta")
    first = audit.record(con, at=datetime(2026, 12, 1, 9, 0, tzinfo=wib), actor=audit.CLI,
                         action="user_add", after={"username": "budi"})
    second = audit.record(con, at=datetime(2026, 12, 1, 9, 5, tzinfo=wib),
                          actor=audit.reviewer_actor("budi"), action="override",
                          agency_id="dinkes", category_id="lhkpn",
                          before={"status": "missing"}, after={"status": "found"},
                          note="dokumen hanya untuk pengguna yang masuk")
    assert second > first
    rows = queries.records(con, "audit_log", agency_id=None, limit=10)
    assert [r["action"] for r in rows] == ["override", "user_add"]
    assert rows[0]["actor"] == "pengguna:budi"
    assert rows[0]["logged_at"].astimezone(UTC) == datetime(2026, 12, 1, 2, 5, tzinfo=UTC)
    assert '"found"' in rows[0]["after"]
    only = queries.records(con, "audit_log", agency_id="dinkes", limit=10)
    assert [r["id"] for r in only] == [second]


def test_record_refuses_a_time_without_zone(con):
    with pytest.raises(ValueError):
        audit.record(con, at=datetime(2026, 12, 1, 9, 0), actor=audit.CLI, action="x")
