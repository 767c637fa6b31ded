from core.settings import load_settings


def test_weekly_crawl_schedule_has_the_cron_and_timezone_asked_for():
    from flows.serve import deployments

    settings = load_settings(env={"PANTAU_SCHEDULE_CRAWL_CRON": "30 1 * * 2"})
    weekly, reminders, recheck = deployments(settings)
    assert weekly.name == "pantau-weekly"
    (schedule,) = weekly.schedules
    assert schedule.schedule.cron == "30 1 * * 2"
    assert schedule.schedule.timezone == "Asia/Jakarta"
    assert reminders.schedules in (None, []) and recheck.schedules in (None, [])
    assert recheck.name == "pantau-recheck"
    assert weekly.parameters["registry"] == settings.schedule.registry


def test_default_schedule_is_weekly_on_monday_in_jakarta():
    from flows.schedules import crawl_schedule

    schedule = crawl_schedule(load_settings(env={}).schedule)
    assert schedule.cron == "0 2 * * 1" and schedule.timezone == "Asia/Jakarta"


def test_deploy_registers_both_flows_on_a_work_pool(prefect_api, tmp_path):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    from flows.deploy import deploy

    async def create_pool():
        async with get_client() as client:
            await client.create_work_pool(WorkPoolCreate(name="pantau-test", type="process"),
                                          overwrite=True)

    asyncio.run(create_pool())
    settings = tmp_path / "s.yaml"
    settings.write_text("schedule:\n  crawl_cron: '15 3 * * 1'\n  registry: kota.yaml\n")
    ids = deploy("pantau-test", str(settings))

    async def read(deployment_id):
        async with get_client() as client:
            return await client.read_deployment(deployment_id)

    weekly, reminders, recheck = (asyncio.run(read(i)) for i in ids)
    assert recheck.name == "pantau-recheck" and recheck.entrypoint == "flows/recheck.py:recheck_drops"
    assert weekly.name == "pantau-weekly" and weekly.work_pool_name == "pantau-test"
    assert weekly.schedules[0].schedule.cron == "15 3 * * 1"
    assert weekly.schedules[0].schedule.timezone == "Asia/Jakarta"
    assert weekly.parameters["registry"] == "kota.yaml"
    assert weekly.entrypoint == "flows/pipeline.py:weekly_pipeline"
    assert reminders.name == "pantau-reminders" and not reminders.schedules
    assert reminders.entrypoint == "flows/reminders.py:send_reminders"


def test_pantau_deploy_registers_on_the_pool_and_names_a_missing_one(prefect_api, tmp_path):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from typer.testing import CliRunner

    from pantau.cli import app

    async def create_pool():
        async with get_client() as client:
            await client.create_work_pool(WorkPoolCreate(name="pantau-cli", type="process"),
                                          overwrite=True)

    asyncio.run(create_pool())
    result = CliRunner().invoke(app, ["deploy", "--pool", "pantau-cli"], env={"PANTAU_SETTINGS_FILE": ""})
    assert result.exit_code == 0, result.output
    assert "work pool 'pantau-cli'" in result.output
    assert len([line for line in result.output.splitlines() if len(line) == 36]) == 3  # weekly, reminders, recheck


# --- full or smart: flows.schedules.full_crawl_reason / crawl_plan --------------------------


def _state(**kw):
    from datetime import UTC, datetime

    from warehouse.prior import RecrawlState

    values = {"run_id": 4, "reachable": True, "site_changed": False,
              "last_full_at": datetime(2026, 11, 2, 2, 0, tzinfo=UTC)}
    return RecrawlState(**{**values, **kw})


def _prior():
    from scrapers.detection.confirm import PriorFinding, PriorRun

    finding = PriorFinding(category_id="dip", status="found", evidence_url="http://s.id/dip.pdf",
                           evidence_text="DIP", page_url="http://s.id/berkala", document_year=2026,
                           matched_rule="doc", confirmed=True, drop_checks=0)
    return PriorRun(run_id=4, platform="wordpress", findings={"dip": finding})


def test_a_recrawl_is_smart_until_the_last_full_crawl_is_full_every_days_old():
    from datetime import UTC, datetime

    from core.settings import CrawlSettings
    from core.vocabulary import FULL_REASONS
    from flows.schedules import crawl_plan, full_crawl_reason

    crawl = CrawlSettings()
    assert crawl.full_every_days == 30
    week_later = datetime(2026, 11, 9, 2, 0, tzinfo=UTC)
    assert full_crawl_reason(_state(), True, week_later, crawl) is None
    plan = crawl_plan(_state(), _prior(), True, week_later, crawl)
    assert plan.smart is not None and plan.smart.platform == "wordpress"
    assert set(plan.smart.evidence) == {"http://s.id/dip.pdf", "http://s.id/berkala"}
    five_weeks = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    assert full_crawl_reason(_state(), True, five_weeks, crawl).startswith(FULL_REASONS["schedule"])
    assert crawl_plan(_state(), _prior(), True, five_weeks, crawl).smart is None


def test_a_full_crawl_when_the_health_check_or_the_last_run_asks_for_it():
    from datetime import UTC, datetime

    from core.settings import CrawlSettings
    from core.vocabulary import FULL_REASONS
    from flows.schedules import crawl_plan, full_crawl_reason

    crawl, now = CrawlSettings(), datetime(2026, 11, 9, 2, 0, tzinfo=UTC)
    cases = {
        FULL_REASONS["site_changed"]: (_state(site_changed=True), True, False, crawl),
        FULL_REASONS["unreachable"]: (_state(reachable=False), True, False, crawl),
        FULL_REASONS["first"]: (None, True, False, crawl),
        FULL_REASONS["requested"]: (_state(), True, True, crawl),
        FULL_REASONS["disabled"]: (_state(), True, False, CrawlSettings(smart_recrawl=False)),
    }
    moved = _state(url="http://lama.kota.go.id/")
    assert full_crawl_reason(moved, True, now, crawl, url="http://s.id/") == FULL_REASONS["url"]
    assert full_crawl_reason(moved, True, now, crawl, url="http://lama.kota.go.id/") is None
    for reason, (state, has_last, requested, settings) in cases.items():
        assert full_crawl_reason(state, has_last, now, settings, requested) == reason
        plan = crawl_plan(state, _prior(), has_last, now, settings, requested)
        assert plan.smart is None and plan.reason == reason
    # No stored pages (a database from before, or a site never reached): full.
    assert crawl_plan(_state(), _prior(), False, now, crawl).reason == FULL_REASONS["first"]
    assert crawl_plan(_state(), None, True, now, crawl).reason == FULL_REASONS["first"]
