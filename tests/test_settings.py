import pytest

from core.settings import CrawlSettings, SettingsError, describe_settings, load_settings


def test_defaults_without_file_or_environment():
    settings = load_settings(env={})
    assert settings.crawl == CrawlSettings()
    assert settings.crawl.max_pages == 300 and settings.crawl.max_depth == 5
    assert settings.crawl.host_delay == 1.0
    assert "Pantau" in settings.crawl.user_agent
    assert settings.schedule.timezone == "Asia/Jakarta"
    assert settings.reminders.min_interval_days == 7 and settings.reminders.escalate_after == 3


def test_file_then_environment_wins(tmp_path):
    path = tmp_path / "pantau.yaml"
    path.write_text("crawl:\n  max_pages: 50\n  host_delay: 0.2\nsmtp:\n  host: mail.file\n")
    settings = load_settings(path, env={"PANTAU_CRAWL_MAX_PAGES": "70", "PANTAU_SMTP_HOST": "mail.env",
                                         "PANTAU_SMTP_SECURITY": "starttls", "PANTAU_SMTP_FROM": "a@b.c",
                                         "PANTAU_DASHBOARD_URL": "https://pantau.example/"})
    assert settings.crawl.max_pages == 70
    assert settings.crawl.host_delay == 0.2
    assert settings.smtp.host == "mail.env" and settings.smtp.security == "starttls"
    assert settings.smtp.sender == "a@b.c"
    assert settings.dashboard.url == "https://pantau.example/"


def test_the_settings_file_may_come_from_the_environment(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("schedule:\n  crawl_cron: '0 3 * * 2'\n")
    assert load_settings(env={"PANTAU_SETTINGS_FILE": str(path)}).schedule.crawl_cron == "0 3 * * 2"


def test_password_is_not_in_repr():
    settings = load_settings(env={"PANTAU_SMTP_PASSWORD": "rahasia"})
    assert settings.smtp.password == "rahasia"
    assert "rahasia" not in repr(settings)


@pytest.mark.parametrize("text, message", [
    ("crawl:\n  max_pagez: 3\n", "pengaturan tak dikenal di 'crawl': max_pagez"),
    ("crowl:\n  max_pages: 3\n", "bagian tak dikenal: crowl"),
    ("crawl:\n  max_pages: many\n", "crawl.max_pages"),
    ("crawl: 5\n", "bagian 'crawl' harus berupa pemetaan"),
    ("- a\n", "harus pemetaan bagian"),
])
def test_bad_settings_files_name_the_file_and_the_setting(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(SettingsError) as info:
        load_settings(path, env={})
    assert message in str(info.value) and ("bad.yaml" in str(info.value) or message.startswith("harus"))


def test_bad_environment_values_name_the_variable():
    with pytest.raises(SettingsError, match="PANTAU_CRAWL_VERIFY_TLS"):
        load_settings(env={"PANTAU_CRAWL_VERIFY_TLS": "perhaps"})
    with pytest.raises(SettingsError, match="smtp.security"):
        load_settings(env={"PANTAU_SMTP_SECURITY": "tls13"})


def test_every_setting_is_documented():
    rows = describe_settings()
    undocumented = [f"{s}.{n}" for s, n, _, doc in rows if not doc]
    assert undocumented == []
    assert ("crawl", "max_pages", 300) in [(s, n, d) for s, n, d, _ in rows]


def test_values_are_typed_and_validated_where_they_come_from(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("crawl:\n  max_pages: -1\nschedule:\n  timezone: Asia/Jakarta\n")
    with pytest.raises(SettingsError) as info:
        load_settings(path, env={})
    assert "s.yaml: crawl.max_pages" in str(info.value) and "harus paling sedikit 0" in str(info.value)
    with pytest.raises(SettingsError, match="variabel lingkungan PANTAU_SCHEDULE_TIMEZONE.*zona waktu .* tidak dikenal"):
        load_settings(env={"PANTAU_SCHEDULE_TIMEZONE": "Asia/Atlantis"})
    with pytest.raises(SettingsError, match="variabel lingkungan PANTAU_SMTP_PORT"):
        load_settings(env={"PANTAU_SMTP_PORT": "70000"})


def test_lists_come_comma_separated_from_the_environment_and_as_lists_from_the_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("checklist:\n  extension_files: [a.yaml, b.yaml]\nreminders:\n")
    assert load_settings(path, env={}).checklist.extension_files == ("a.yaml", "b.yaml")
    env = {"PANTAU_REMINDERS_APPRISE_URLS": "tgram://1/2, mailto://x ,"}
    assert load_settings(env=env).reminders.apprise_urls == ("tgram://1/2", "mailto://x")


def test_empty_environment_values_are_ignored_and_the_contract_names_are_read():
    settings = load_settings(env={"PANTAU_CRAWL_MAX_PAGES": "", "PANTAU_SMTP_PASSWORD_FILE": "/run/secrets/smtp"})
    assert settings.crawl.max_pages == 300
    assert settings.smtp.password_file == "/run/secrets/smtp"


def test_replace_validates_like_a_loaded_value():
    settings = load_settings(env={})
    assert settings.replace("crawl", max_pages=7).crawl.max_pages == 7
    assert settings.crawl.max_pages == 300
    with pytest.raises(ValueError):
        settings.replace("smtp", security="tls13")


def test_a_huge_or_unreadable_settings_file_is_refused_by_name(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("#" * 2_000_000)
    with pytest.raises(SettingsError, match="huge.yaml: berkas pengaturan berukuran 2000000 bita"):
        load_settings(path, env={})
    with pytest.raises(SettingsError, match="missing.yaml: berkas pengaturan tidak dapat dibaca"):
        load_settings(tmp_path / "missing.yaml", env={})
