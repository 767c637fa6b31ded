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
