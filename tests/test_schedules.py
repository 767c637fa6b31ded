from pantau.settings import load_settings


def test_weekly_crawl_schedule_has_the_cron_and_timezone_asked_for():
    from flows.serve import deployments

    settings = load_settings(env={"PANTAU_SCHEDULE_CRAWL_CRON": "30 1 * * 2"})
    weekly, reminders = deployments(settings)
    assert weekly.name == "pantau-weekly"
    (schedule,) = weekly.schedules
    assert schedule.schedule.cron == "30 1 * * 2"
    assert schedule.schedule.timezone == "Asia/Jakarta"
    assert reminders.schedules in (None, [])
    assert weekly.parameters["registry"] == settings.schedule.registry


def test_default_schedule_is_weekly_on_monday_in_jakarta():
    from flows.schedules import crawl_schedule

    schedule = crawl_schedule(load_settings(env={}).schedule)
    assert schedule.cron == "0 2 * * 1" and schedule.timezone == "Asia/Jakarta"
