"""Every setting of Pantau PPID, with its default, in one place.

Like Scrapy's ``default_settings.py``: each limit the crawler, the scheduler or the
reminders obey is a named field here with a documented default. Values come from, in
increasing priority:

1. the defaults below;
2. a settings file (YAML): ``--settings FILE`` or ``PANTAU_SETTINGS_FILE``, with one
   mapping per section (``crawl:``, ``schedule:``, ``reminders:``, ``smtp:``, ``dashboard:``);
3. the environment: ``PANTAU_<SECTION>_<FIELD>`` (e.g. ``PANTAU_CRAWL_MAX_PAGES=50``), plus
   the contract's SMTP names ``PANTAU_SMTP_HOST`` … ``PANTAU_SMTP_SECURITY`` and
   ``PANTAU_DASHBOARD_URL``.

The environment wins. Secrets (the SMTP password) are read here and never stored or logged.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

CONTACT_URL = "https://github.com/pantau-ppid/pantau-ppid"


@dataclass(frozen=True)
class CrawlSettings:
    """Limits of one site crawl. Every bound the crawler obeys is here."""

    max_pages: int = 300
    """HTML pages fetched per site (documents are verified, not counted here)."""
    max_depth: int = 5
    """Link hops from the start URL; sitemap URLs enter at depth 1."""
    max_documents: int = 400
    """Documents verified per site (each is a HEAD or a ranged GET)."""
    host_delay: float = 1.0
    """Seconds between two requests to the same host (raised by robots.txt Crawl-delay)."""
    max_crawl_delay: float = 10.0
    """Upper bound on a robots.txt Crawl-delay we honour, so one site cannot stall a run."""
    connections_per_host: int = 1
    """Requests in flight at once to one host."""
    site_concurrency: int = 16
    """Sites crawled in parallel by one worker."""
    connect_timeout: float = 10.0
    """Seconds to open a connection."""
    read_timeout: float = 20.0
    """Seconds between two received bytes."""
    page_timeout: float = 30.0
    """Total seconds for one request: DNS, connect, headers and body, however slowly they drip in."""
    max_timeouts_in_row: int = 3
    """A site whose requests hit ``page_timeout`` this many times in a row is left for this run
    (what it answered so far is kept), so a stuck site cannot hold a host others share."""
    site_timeout: float = 900.0
    """Total seconds for one site; what is not fetched by then is left out of the run."""
    max_page_bytes: int = 5_000_000
    """An HTML body is cut at this size (the rest is not read)."""
    document_probe_bytes: int = 2048
    """First bytes of a document read to check that its type matches (a PDF starts with %PDF)."""
    document_title_bytes: int = 262_144
    """Bytes of a PDF read for its first page's title and year when neither its link text nor
    its file name says what it is (``dokumen-12.pdf`` behind "Unduh"); 0 reads none."""
    host_check_bytes: int = 131_072
    """Bytes of an off-site publication host's answer read to judge it (a deleted Drive file's
    message, a closed Google Form's notice)."""
    max_redirects: int = 5
    """Redirects followed for one URL."""
    retries: int = 2
    """Retries after a connection error or a 5xx answer."""
    retry_backoff: float = 0.5
    """Seconds before the first retry; doubled each time."""
    max_query_variants: int = 20
    """Distinct query strings followed per path (bounds ?page=N archives and calendars)."""
    max_path_segment_repeats: int = 2
    """A URL whose path repeats one segment more often than this is a trap."""
    max_url_length: int = 500
    """Longer URLs are not followed."""
    user_agent: str = f"PantauPPID/0.1 (+{CONTACT_URL}; pemantauan keterbukaan informasi publik)"
    """Names the monitor and where to learn about it."""
    verify_tls: bool = True
    """Check TLS certificates. An agency can opt out in the registry (``insecure_tls``)."""
    use_sitemaps: bool = True
    """Read robots.txt ``Sitemap:`` lines and /sitemap.xml as extra start points."""
    obey_robots: bool = True
    """Honour robots.txt rules (RFC 9309)."""
    max_sitemaps: int = 20
    """Sitemap files read per site (a sitemap index and the sitemaps it lists)."""
    max_sitemap_bytes: int = 10_000_000
    """A sitemap is read (decompressed) up to this size; the rest is left out."""
    document_head_first: bool = False
    """Ask with HEAD before the ranged GET for every document. Off: HEAD only where the first
    bytes prove nothing (CSV, drive links), saving one request per PDF."""
    min_calendar_year: int = 1990
    """Calendar-like URLs (``/agenda/1970/01``, ``?tahun=1850``) before this year are traps."""
    max_calendar_years_ahead: int = 1
    """Calendar-like URLs more than this many years after the current one are traps."""
    allow_private: bool = False
    """Let every agency reach private addresses (10/8, 172.16/12, 192.168/16, fc00::/7): for
    an intranet deployment. Off: only an agency whose registry URL is itself private may."""
    render_enabled: bool = True
    """Render pages whose HTML is an empty app shell in headless Chromium (registry ``render``
    column per site). Off: such a site is ``unreachable`` unless its JSON endpoints can be read."""
    browser_path: str = "/usr/bin/chromium"
    """The Chromium that renders pages (Debian's ``chromium`` package; nothing is downloaded)."""
    render_pages: int = 2
    """Browser pages open at once in one worker process (all its sites share one browser)."""
    render_max_pages: int = 20
    """Pages rendered per site; further shell pages are read without a browser."""
    render_timeout: float = 60.0
    """Seconds to render one page, its script and API requests (made with the per-host delay) included."""
    render_max_requests: int = 60
    """Requests one rendered page may make (scripts, API calls); further ones are refused."""
    max_api_pages: int = 20
    """Pages of one paginated JSON list read (``next_page_url``, ``?page=N``)."""


@dataclass(frozen=True)
class ScheduleSettings:
    """When the long-running scheduler (``pantau serve``) runs the flows."""

    crawl_cron: str = "0 2 * * 1"
    """Weekly crawl: Monday 02:00."""
    timezone: str = "Asia/Jakarta"
    """Time zone of the cron expressions."""
    registry: str = "registry.yaml"
    """The registry file the scheduled crawl reads."""
    db: str = "pantau.duckdb"
    """The DuckDB file the scheduled crawl writes."""
    task_runner: str = "threads"
    """``threads`` (local pool), ``dask`` (a LocalCluster) or ``dask://HOST:PORT`` (a cluster)."""
    max_workers: int = 8
    """Agencies crawled at once by the local runner."""
    agency_task_timeout: float = 1800.0
    """Seconds before an agency's crawl task is abandoned (that agency is ``unreachable``)."""
    agency_task_retries: int = 1
    """Retries of a failed agency task before it counts as ``unreachable``."""


@dataclass(frozen=True)
class ReminderSettings:
    """Who is reminded, how often, and when the PPID Utama is copied."""

    min_interval_days: int = 7
    """At most one reminder per agency in this many days."""
    escalate_after: int = 3
    """After this many reminders with no improvement, the parent PPID Utama is copied."""
    reply_within_days: int = 14
    """The reply-by date in the message is this many days after sending."""
    send_retries: int = 2
    """Retries of a failed send before it stays ``failed``."""
    templates_dir: str = ""
    """A folder with edited templates; empty means the bundled ones."""
    apprise_urls: tuple[str, ...] = ()
    """Extra channels (WhatsApp, Telegram …) as Apprise URLs, comma-separated in the env."""
    utama_contact: str = ""
    """Contact line of the PPID Utama shown in messages (defaults to its registry email)."""
    retry_backoff: float = 5.0
    """Seconds before the first retry of a failed send; doubled for each further retry."""
    dashboard_page: str = "/badan-publik"
    """Dashboard page of one agency; messages link to ``dashboard.url`` + this + ``?agency=<id>``."""


@dataclass(frozen=True)
class SmtpSettings:
    """Outgoing mail. Read from the environment names of the contract."""

    host: str = ""
    """SMTP server (``PANTAU_SMTP_HOST``); empty means reminders cannot be sent by e-mail."""
    port: int = 25
    """SMTP port (``PANTAU_SMTP_PORT``)."""
    user: str = ""
    """Login name (``PANTAU_SMTP_USER``); empty means no login."""
    password: str = field(default="", repr=False)
    """Login password (``PANTAU_SMTP_PASSWORD``); never stored in DuckDB nor logged."""
    sender: str = "pantau-ppid@localhost"
    """The From address (``PANTAU_SMTP_FROM``)."""
    security: str = "none"
    """``none``, ``starttls`` or ``ssl`` (``PANTAU_SMTP_SECURITY``)."""
    timeout: float = 30.0
    """Seconds before an SMTP connection attempt gives up."""
    password_file: str = ""
    """A file holding the login password (a Docker/systemd secret), read at send time when
    ``PANTAU_SMTP_PASSWORD`` is empty (``PANTAU_SMTP_PASSWORD_FILE``); never stored nor logged."""
    ca_file: str = ""
    """CA certificates (PEM) that verify the server for ``starttls``/``ssl``; empty means the
    system's trust store. The certificate is always verified."""


@dataclass(frozen=True)
class ChecklistSettings:
    """Which checklist the crawl and the reminders use."""

    extension_files: tuple[str, ...] = ()
    """A region's own checklist files (YAML), added to the bundled 30 categories; comma-separated in the env."""


@dataclass(frozen=True)
class DashboardSettings:
    url: str = "http://localhost:8501"
    """Public address of the dashboard, used in reminder links."""
    port: int = 8501
    """Port ``pantau dashboard`` listens on."""


@dataclass(frozen=True)
class Settings:
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    checklist: ChecklistSettings = field(default_factory=ChecklistSettings)
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)

    def replace(self, section: str, **changes: Any) -> Settings:
        """A copy with some fields of one section changed."""
        return dataclasses.replace(
            self, **{section: dataclasses.replace(getattr(self, section), **changes)}
        )


class SettingsError(ValueError):
    pass


# The contract fixes these environment names; other fields use PANTAU_<SECTION>_<FIELD>.
CONTRACT_ENV = {
    ("smtp", "host"): "PANTAU_SMTP_HOST",
    ("smtp", "port"): "PANTAU_SMTP_PORT",
    ("smtp", "user"): "PANTAU_SMTP_USER",
    ("smtp", "password"): "PANTAU_SMTP_PASSWORD",
    ("smtp", "sender"): "PANTAU_SMTP_FROM",
    ("smtp", "security"): "PANTAU_SMTP_SECURITY",
    ("dashboard", "url"): "PANTAU_DASHBOARD_URL",
}


def _coerce(value: Any, default: Any, where: str) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"not a boolean: {value!r}")
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{where}: {exc}") from exc


def _section(cls: type, file_values: dict, name: str, env: dict[str, str], source: str):
    unknown = set(file_values) - {f.name for f in fields(cls)}
    if unknown:
        raise SettingsError(f"{source}: unknown setting(s) in '{name}': {', '.join(sorted(unknown))}")
    values = {}
    for f in fields(cls):
        default = getattr(cls(), f.name)
        if f.name in file_values:
            values[f.name] = _coerce(file_values[f.name], default, f"{source}: {name}.{f.name}")
        env_name = CONTRACT_ENV.get((name, f.name), f"PANTAU_{name.upper()}_{f.name.upper()}")
        if env_name in env and env[env_name] != "":
            values[f.name] = _coerce(env[env_name], default, f"environment {env_name}")
    return cls(**values)


def load_settings(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Defaults, overlaid by the settings file, overlaid by the environment."""
    env = dict(os.environ if env is None else env)
    path = path or env.get("PANTAU_SETTINGS_FILE")
    data: dict = {}
    source = "defaults"
    if path:
        source = str(path)
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise SettingsError(f"{path}: cannot read settings file: {exc}") from exc
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise SettingsError(f"{path}: expected a mapping of sections")
    sections = {f.name: f.default_factory for f in fields(Settings)}
    unknown = set(data) - set(sections)
    if unknown:
        raise SettingsError(f"{source}: unknown section(s): {', '.join(sorted(unknown))}")
    built = {}
    for name, factory in sections.items():
        section_data = data.get(name) or {}
        if not isinstance(section_data, dict):
            raise SettingsError(f"{source}: section '{name}' must be a mapping")
        built[name] = _section(factory, section_data, name, env, source)
    settings = Settings(**built)
    if settings.smtp.security not in {"none", "starttls", "ssl"}:
        raise SettingsError(
            f"smtp.security must be none, starttls or ssl, not {settings.smtp.security!r}"
        )
    return settings


def describe_settings() -> list[tuple[str, str, Any, str]]:
    """(section, field, default, doc) for every setting, for the README and `--help`."""
    import ast
    import inspect

    docs: dict[tuple[str, str], str] = {}
    tree = ast.parse(inspect.getsource(sys.modules[__name__]))
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            body = node.body
            for i, stmt in enumerate(body):
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    nxt = body[i + 1] if i + 1 < len(body) else None
                    if isinstance(nxt, ast.Expr) and isinstance(getattr(nxt, "value", None), ast.Constant):
                        docs[(node.name, stmt.target.id)] = str(nxt.value.value)
    rows = []
    for section in fields(Settings):
        cls = section.default_factory
        for f in fields(cls):
            rows.append((section.name, f.name, getattr(cls(), f.name), docs.get((cls.__name__, f.name), "")))
    return rows


def env_name(section: str, name: str) -> str:
    return CONTRACT_ENV.get((section, name), f"PANTAU_{section.upper()}_{name.upper()}")


def settings_table() -> str:
    """The README's settings table (Markdown), generated from the fields above."""
    lines = ["| setting | environment | default | meaning |", "|---|---|---|---|"]
    for section, name, default, doc in describe_settings():
        shown = ",".join(default) if isinstance(default, tuple) else default
        doc = " ".join(doc.replace("``", "`").split())
        lines.append(f"| `{section}.{name}` | `{env_name(section, name)}` | `{shown!s}` | {doc} |")
    return "\n".join(lines)


def update_readme(path: str | Path) -> bool:
    """Rewrite the generated settings table in the README; True when it changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    start = text.index("<!-- settings-table")
    start = text.index("\n", start) + 1
    end = text.index("<!-- end settings-table -->")
    updated = text[:start] + settings_table() + "\n" + text[end:]
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    return updated != text


if __name__ == "__main__":
    import sys as _sys

    target = _sys.argv[1] if len(_sys.argv) > 1 else "README.md"
    print("updated" if update_readme(target) else "up to date", target)
