"""Every setting of Pantau PPID, with its default, in one place.

Like Scrapy's ``default_settings.py``: each limit the crawler, the scheduler, the dashboard or
the reminders obey is a typed, validated field here with a documented default (the docstring
under each field is its documentation; the README table is generated from it). Values come
from, in increasing priority:

1. the defaults below;
2. a settings file (YAML): ``--settings FILE`` or ``PANTAU_SETTINGS_FILE``, with one
   mapping per section (``crawl:``, ``schedule:``, ``reminders:``, ``smtp:``, ``checklist:``,
   ``dashboard:``);
3. the environment: ``PANTAU_<SECTION>_<FIELD>`` (e.g. ``PANTAU_CRAWL_MAX_PAGES=50``), plus
   the contract's SMTP names ``PANTAU_SMTP_HOST`` … ``PANTAU_SMTP_SECURITY``,
   ``PANTAU_SMTP_FROM`` and ``PANTAU_DASHBOARD_URL``, and ``PANTAU_CLAIM_SECRET`` (the key
   that signs reminder links to the declaration form).

The environment wins. The layering is pydantic-settings' own (``settings_customise_sources``
with two sources: the environment, then the file); this module only fixes the environment
names (the contract's are not a mechanical ``PANTAU_<SECTION>_<FIELD>``) and turns pydantic's
validation errors into one-line messages naming the file or the variable that held the value.
Secrets (the SMTP password, or the file holding it, the claim secret) are read here and never stored or logged.
"""

from __future__ import annotations

import os
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from core.messages import pydantic_message

CONTACT_URL = "https://github.com/pantau-ppid/pantau-ppid"
MAX_SETTINGS_FILE_BYTES = 1_000_000
"""A settings file is a few lines; anything bigger is refused before parsing."""

NonNegInt = Annotated[int, Field(ge=0)]
PositiveInt = Annotated[int, Field(ge=1)]
Seconds = Annotated[float, Field(ge=0)]
PositiveSeconds = Annotated[float, Field(gt=0)]


def _comma_list(value: Any) -> Any:
    """``a, b`` (an environment variable) as a tuple; lists from YAML pass through."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


class _Section(BaseModel):
    """A settings section: frozen, no unknown keys, each field documented by its docstring."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True,
                              validate_default=True)


class CrawlSettings(_Section):
    """Limits of one site crawl. Every bound the crawler obeys is here."""

    max_pages: NonNegInt = 300
    """HTML pages fetched per site (documents are verified, not counted here)."""
    max_depth: NonNegInt = 5
    """Link hops from the start URL; sitemap URLs enter at depth 1."""
    max_documents: NonNegInt = 400
    """Documents verified per site (each is a HEAD or a ranged GET)."""
    host_delay: Seconds = 1.0
    """Seconds between two requests to the same host (raised by robots.txt Crawl-delay)."""
    max_crawl_delay: Seconds = 10.0
    """Upper bound on a robots.txt Crawl-delay we honour, so one site cannot stall a run."""
    connections_per_host: PositiveInt = 1
    """Requests in flight at once to one host."""
    connect_timeout: PositiveSeconds = 10.0
    """Seconds to open a connection."""
    read_timeout: PositiveSeconds = 20.0
    """Seconds between two received bytes."""
    page_timeout: PositiveSeconds = 30.0
    """Total seconds for one request: DNS, connect, headers and body, however slowly they drip in."""
    max_timeouts_in_row: PositiveInt = 3
    """A site whose requests hit ``page_timeout`` this many times in a row is left for this run
    (what it answered so far is kept), so a stuck site cannot hold a host others share."""
    site_timeout: PositiveSeconds = 900.0
    """Total seconds for one site; what is not fetched by then is left out of the run."""
    max_page_bytes: PositiveInt = 5_000_000
    """An HTML body is cut at this size (the rest is not read)."""
    max_robots_bytes: PositiveInt = 500 * 1024
    """robots.txt is read up to this size (RFC 9309 §2.5: at least 500 KiB); the rest is ignored."""
    document_probe_bytes: PositiveInt = 2048
    """First bytes of a document read to check that its type matches (a PDF starts with %PDF)."""
    document_title_bytes: NonNegInt = 262_144
    """Bytes of a PDF read for its first page's title and year when neither its link text nor
    its file name says what it is (``dokumen-12.pdf`` behind "Unduh"); 0 reads none."""
    host_check_bytes: PositiveInt = 131_072
    """Bytes of an off-site publication host's answer read to judge it (a deleted Drive file's
    message, a closed Google Form's notice)."""
    max_redirects: NonNegInt = 5
    """Redirects followed for one URL."""
    retries: NonNegInt = 2
    """Retries after a connection error or a 5xx answer."""
    retry_backoff: Seconds = 0.5
    """Seconds before the first retry; doubled each time."""
    max_query_variants: NonNegInt = 20
    """Distinct query strings followed per path (bounds ?page=N archives and calendars)."""
    max_path_segment_repeats: NonNegInt = 2
    """A URL whose path repeats one segment more often than this is a trap."""
    max_url_length: PositiveInt = 500
    """Longer URLs are not followed."""
    user_agent: str = f"PantauPPID/0.1 (+{CONTACT_URL}; pemantauan keterbukaan informasi publik)"
    """Names the monitor and where to learn about it."""
    verify_tls: bool = True
    """Check TLS certificates. An agency can opt out in the registry (``insecure_tls``)."""
    use_sitemaps: bool = True
    """Read robots.txt ``Sitemap:`` lines and /sitemap.xml as extra start points."""
    obey_robots: bool = True
    """Honour robots.txt rules (RFC 9309)."""
    max_sitemaps: NonNegInt = 20
    """Sitemap files read per site (a sitemap index and the sitemaps it lists)."""
    max_sitemap_bytes: PositiveInt = 10_000_000
    """A sitemap is read (decompressed) up to this size; the rest is left out."""
    document_head_first: bool = False
    """Ask with HEAD before the ranged GET for every document. Off: HEAD only where the first
    bytes prove nothing (CSV, drive links), saving one request per PDF."""
    min_calendar_year: int = 1990
    """Calendar-like URLs (``/agenda/1970/01``, ``?tahun=1850``) before this year are traps."""
    max_calendar_years_ahead: NonNegInt = 1
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
    screenshot_width: Annotated[int, Field(ge=320, le=4000)] = 1280
    """Width in CSS pixels of an evidence page's screenshot (taken on request, same browser)."""
    screenshot_max_height: Annotated[int, Field(ge=200, le=30000)] = 10000
    """An evidence screenshot shows the whole page down to this many pixels (an endless page
    is cut there)."""
    smart_recrawl: bool = True
    """Recrawl smartly: ask again only robots.txt, the sitemaps, the start page, the last run's
    evidence and the pages leading to it, pages whose sitemap ``lastmod`` changed and pages
    not seen before; reuse the rest of the last run unasked. Off: every run is a full crawl."""
    full_every_days: PositiveInt = 30
    """An agency gets a full crawl when its last one is this many days old (and on its first
    run, after a run it was unreachable or its site changed, and with ``pantau crawl --full``)."""
    recrawl_hub_depth: NonNegInt = 0
    """A smart recrawl also asks again every page within this many links of the start page
    (0: the start page only; 1 adds the menu pages)."""


class ScheduleSettings(_Section):
    """When the long-running scheduler (``pantau serve``) runs the flows, and how widely."""

    crawl_cron: str = "0 2 * * 1"
    """Weekly crawl: Monday 02:00."""
    timezone: str = "Asia/Jakarta"
    """Time zone of the cron expressions, of a run's "today" and of reminder times (WIB here)."""
    registry: str = "registry.yaml"
    """The registry file the scheduled crawl reads."""
    db: str = "pantau.duckdb"
    """The DuckDB file the scheduled crawl writes."""
    task_runner: str = "threads"
    """``threads`` (local pool), ``dask`` (a LocalCluster) or ``dask://HOST:PORT`` (a cluster)."""
    max_workers: PositiveInt = 8
    """Agencies crawled at once: threads of the local runner, or worker processes of ``dask``."""
    dask_threads_per_worker: PositiveInt = 4
    """Threads in each worker process of the ``dask`` LocalCluster (agencies per process)."""
    agency_task_timeout: PositiveSeconds = 1800.0
    """Seconds before an agency's crawl task is abandoned (that agency is ``unreachable``)."""
    agency_task_retries: NonNegInt = 1
    """Retries of a failed agency task before it counts as ``unreachable``."""
    agency_task_retry_backoff: Seconds = 5.0
    """Seconds before the first retry of a failed agency task; doubled for each further retry."""
    agencies_per_task: PositiveInt = 25
    """Most agencies one crawl task takes (one after another, each with its own retries and
    timeout); fewer for a small registry. Agencies on one host always share a task."""
    crawl_tag: str = ""
    """A Prefect tag put on the crawl tasks (e.g. ``pantau-crawl``) so that a tag concurrency
    limit caps crawls across all runs; empty means no tag (each tagged task asks the Prefect
    server for a slot before it starts)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"zona waktu {value!r} tidak dikenal (pakai nama IANA seperti Asia/Jakarta)") from exc
        return value


class ReminderSettings(_Section):
    """Who is reminded, how often, and when the PPID Utama is copied."""

    min_interval_days: NonNegInt = 7
    """At most one reminder per agency in this many days."""
    escalate_after: NonNegInt = 3
    """After this many reminders with no improvement, the parent PPID Utama is copied."""
    reply_within_days: NonNegInt = 14
    """The reply-by date in the message is this many days after sending."""
    send_retries: NonNegInt = 2
    """Retries of a failed send before it stays ``failed``."""
    templates_dir: str = ""
    """A folder with edited templates; empty means the bundled ones."""
    apprise_urls: tuple[str, ...] = ()
    """Extra channels (WhatsApp, Telegram …) as Apprise URLs, comma-separated in the env."""
    utama_contact: str = ""
    """Contact line of the PPID Utama shown in messages (defaults to its registry email)."""
    retry_backoff: Seconds = 5.0
    """Seconds before the first retry of a failed send; doubled for each further retry."""
    dashboard_page: str = "/badan-publik"
    """Dashboard page of one agency; messages link to ``dashboard.url`` + this + ``?agency=<id>``."""
    long_unreachable_weeks: Annotated[int, Field(ge=0)] = 4
    """A site unreachable for this many weeks is listed as long unreachable in the PPID Utama's
    digest (with its last known findings' age)."""

    _split_urls = field_validator("apprise_urls", mode="before")(_comma_list)


class TrustSettings(_Section):
    """When a change is believed: confirmation of drops and the site-health alarm."""

    drop_confirmations: Annotated[int, Field(ge=0)] = 2
    """Failing re-checks of the evidence that was live last time before a drop from
    found/stale to missing/broken counts (the first is made later in the same run, the next
    at the following run or by the scheduled re-check). 0 believes every drop at once."""
    recheck_after_hours: Seconds = 0.0
    """Hours after a crawl at which ``pantau serve`` re-checks unconfirmed drops; 0 leaves the
    re-check to the next run."""
    site_change_fall: Annotated[float, Field(gt=0, le=1)] = 0.5
    """A run whose pages, documents or categories found fell by at least this share against the
    site's previous run is a sharp fall."""
    site_change_min_baseline: Annotated[int, Field(ge=1)] = 3
    """A fall counts only from a previous count of at least this many (3 pages → 1 is noise)."""
    site_change_alive_share: Annotated[float, Field(ge=0, le=1)] = 0.5
    """A sharp fall while at least this share of the old evidence URLs still answers means the
    site changed, not its content ("situs berubah"): drops and reminders are held."""


class SmtpSettings(_Section):
    """Outgoing mail. Read from the environment names of the contract."""

    host: str = ""
    """SMTP server (``PANTAU_SMTP_HOST``); empty means reminders cannot be sent by e-mail."""
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    """SMTP port (``PANTAU_SMTP_PORT``)."""
    user: str = ""
    """Login name (``PANTAU_SMTP_USER``); empty means no login."""
    password: str = Field(default="", repr=False)
    """Login password (``PANTAU_SMTP_PASSWORD``); never stored in DuckDB nor logged."""
    sender: str = "pantau-ppid@localhost"
    """The From address (``PANTAU_SMTP_FROM``)."""
    security: Literal["none", "starttls", "ssl"] = "none"
    """``none``, ``starttls`` or ``ssl`` (``PANTAU_SMTP_SECURITY``)."""
    timeout: PositiveSeconds = 30.0
    """Seconds before an SMTP connection attempt gives up."""
    password_file: str = ""
    """A file holding the login password (a Docker/systemd secret), read at send time when
    ``PANTAU_SMTP_PASSWORD`` is empty (``PANTAU_SMTP_PASSWORD_FILE``); never stored nor logged."""
    ca_file: str = ""
    """CA certificates (PEM) that verify the server for ``starttls``/``ssl``; empty means the
    system's trust store. The certificate is always verified."""


class ChecklistSettings(_Section):
    """Which checklist the crawl and the reminders use."""

    extension_files: tuple[str, ...] = ()
    """A region's own checklist files (YAML), added to the bundled 30 categories; comma-separated in the env."""

    _split_files = field_validator("extension_files", mode="before")(_comma_list)


class DashboardSettings(_Section):
    """The Streamlit dashboard."""

    url: str = "http://localhost:8501"
    """Public address of the dashboard, used in reminder links."""
    port: Annotated[int, Field(ge=1, le=65535)] = 8501
    """Port ``pantau dashboard`` listens on."""
    refresh_seconds: Annotated[float, Field(ge=0.5)] = 30.0
    """How often an open page checks for a newly committed run (and then redraws)."""
    read_wait: Seconds = 10.0
    """Seconds a read waits while the crawl holds the file before the page says it is busy."""


class ReviewSettings(_Section):
    """Reviewers who may correct findings (``pantau users``) and the dashboard's sign-in."""

    users_file: str = ""
    """The reviewers file (names, salted scrypt password hashes); empty means beside the
    database: ``pantau.duckdb`` → ``pantau.users.json``."""
    min_password_length: Annotated[int, Field(ge=8, le=1024)] = 10
    """Shortest password ``pantau users add`` accepts."""
    signin_max_failures: PositiveInt = 5
    """Failed sign-ins for one name within ``signin_window_minutes`` after which that name is
    refused (even with the right password) until the window has passed."""
    signin_window_minutes: Annotated[float, Field(gt=0)] = 15.0
    """The window over which failed sign-ins are counted (from the audit trail)."""
    signin_delay: Seconds = 1.0
    """Seconds the dashboard waits before answering a failed sign-in (slows guessing)."""
    reason_max_chars: Annotated[int, Field(ge=20, le=5000)] = 500
    """Longest reason a reviewer may give for an override (shown as text, never HTML)."""
    write_wait: Seconds = 5.0
    """Seconds a reviewer's save waits for the database while a crawl writes it, before the
    page says to try again (a save itself takes milliseconds)."""


class ClaimsSettings(_Section):
    """Declared evidence (an OPD's "klaim bukti"): the file, the reminder link, the form."""

    declarations_file: str = ""
    """The declarations file (YAML or CSV: ``agency_id, category_id, url, note``) the scheduled
    crawl reads before each run; empty: none (``pantau crawl --declarations FILE`` names one)."""
    secret: str = Field(default="", repr=False)
    """The key that signs reminder links to the declaration form (``PANTAU_CLAIM_SECRET``);
    empty: reminders carry no link and the form is off. Never stored nor logged."""
    token_days: PositiveInt = 14
    """Days a reminder's link to the form stays valid (it is also spent by one submission)."""
    form_page: str = "/klaim"
    """Dashboard page of the declaration form; links go to ``dashboard.url`` + this."""
    max_documents: NonNegInt = 20
    """Documents linked from a declared page that are verified for its category (each a
    ranged GET, as the crawler verifies documents)."""


SECTIONS: dict[str, type[_Section]] = {
    "crawl": CrawlSettings,
    "schedule": ScheduleSettings,
    "reminders": ReminderSettings,
    "trust": TrustSettings,
    "smtp": SmtpSettings,
    "checklist": ChecklistSettings,
    "dashboard": DashboardSettings,
    "review": ReviewSettings,
    "claims": ClaimsSettings,
}

# The contract fixes these environment names; other fields use PANTAU_<SECTION>_<FIELD>.
CONTRACT_ENV = {
    ("smtp", "host"): "PANTAU_SMTP_HOST",
    ("smtp", "port"): "PANTAU_SMTP_PORT",
    ("smtp", "user"): "PANTAU_SMTP_USER",
    ("smtp", "password"): "PANTAU_SMTP_PASSWORD",
    ("smtp", "password_file"): "PANTAU_SMTP_PASSWORD_FILE",
    ("smtp", "sender"): "PANTAU_SMTP_FROM",
    ("smtp", "security"): "PANTAU_SMTP_SECURITY",
    ("dashboard", "url"): "PANTAU_DASHBOARD_URL",
    ("claims", "secret"): "PANTAU_CLAIM_SECRET",
}
SETTINGS_FILE_ENV = "PANTAU_SETTINGS_FILE"


def env_name(section: str, name: str) -> str:
    """The environment variable that sets ``section.name``."""
    return CONTRACT_ENV.get((section, name), f"PANTAU_{section.upper()}_{name.upper()}")


class SettingsError(ValueError):
    """A settings file or variable is unusable; the message names it and the setting."""


# What load_settings hands to the two sources below for one instantiation of Settings.
_inputs: ContextVar[tuple[dict, dict[str, str]] | None] = ContextVar("pantau_settings_inputs",
                                                                       default=None)


class _FileSource(PydanticBaseSettingsSource):
    """The settings file's sections (already read and size-checked by ``load_settings``)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ gives whole sections

    def __call__(self) -> dict[str, Any]:
        inputs = _inputs.get()
        return dict(inputs[0]) if inputs else {}


class _EnvSource(PydanticBaseSettingsSource):
    """``PANTAU_<SECTION>_<FIELD>`` and the contract's names; empty values are ignored."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        inputs = _inputs.get()
        env = inputs[1] if inputs else {}
        values: dict[str, dict[str, str]] = {}
        for section, name in _all_fields():
            value = env.get(env_name(section, name), "")
            if value != "":
                values.setdefault(section, {})[name] = value
        return values


def _all_fields() -> list[tuple[str, str]]:
    return [(section, name) for section, cls in SECTIONS.items() for name in cls.model_fields]


class Settings(BaseSettings):
    """All sections. Build it with :func:`load_settings`; ``Settings()`` alone is the defaults."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid")

    crawl: CrawlSettings = CrawlSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    reminders: ReminderSettings = ReminderSettings()
    trust: TrustSettings = TrustSettings()
    smtp: SmtpSettings = SmtpSettings()
    checklist: ChecklistSettings = ChecklistSettings()
    dashboard: DashboardSettings = DashboardSettings()
    review: ReviewSettings = ReviewSettings()
    claims: ClaimsSettings = ClaimsSettings()

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings,
                                   dotenv_settings, file_secret_settings):
        """Highest priority first: explicit arguments, the environment, the settings file."""
        return init_settings, _EnvSource(settings_cls), _FileSource(settings_cls)

    def replace(self, section: str, **changes: Any) -> Settings:
        """A copy with some fields of one section changed (validated like a loaded value)."""
        current = getattr(self, section)
        updated = type(current).model_validate({**current.model_dump(), **changes})
        return self.model_copy(update={section: updated})


def load_settings(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Defaults, overlaid by the settings file, overlaid by the environment."""
    env = dict(os.environ if env is None else env)
    path = path or env.get(SETTINGS_FILE_ENV) or None
    data = _read_file(Path(path)) if path else {}
    token = _inputs.set((data, env))
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(_explain(exc, path, data, env)) from None
    finally:
        _inputs.reset(token)


def _read_file(path: Path) -> dict:
    try:
        size = path.stat().st_size
        if size > MAX_SETTINGS_FILE_BYTES:
            raise SettingsError(f"{path}: berkas pengaturan berukuran {size} bita; paling "
                                f"besar {MAX_SETTINGS_FILE_BYTES} yang dibaca")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"{path}: berkas pengaturan tidak dapat dibaca: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path}: bukan teks UTF-8: {exc.reason}") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path}: bukan YAML yang sah: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: isinya harus pemetaan bagian (crawl:, schedule: …)")
    return {section: {} if values is None else values for section, values in data.items()}


def _explain(exc: ValidationError, path: Any, data: dict, env: dict[str, str]) -> str:
    """One line per problem, each naming where the bad value came from."""
    source = str(path) if path else "bawaan"
    unknown_sections = sorted(str(e["loc"][0]) for e in exc.errors()
                              if e["type"] == "extra_forbidden" and len(e["loc"]) == 1)
    lines = [f"{source}: bagian tak dikenal: {', '.join(unknown_sections)}"] if unknown_sections else []
    unknown_fields: dict[str, list[str]] = {}
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        if error["type"] == "extra_forbidden":
            if len(loc) == 2:
                unknown_fields.setdefault(loc[0], []).append(loc[1])
            continue
        if len(loc) == 1:
            lines.append(f"{source}: bagian '{loc[0]}' harus berupa pemetaan")
            continue
        section, name = loc[0], loc[1]
        variable = env_name(section, name)
        if env.get(variable, "") != "":
            where = f"variabel lingkungan {variable} ({section}.{name})"
        else:
            where = f"{source}: {section}.{name}"
        shown = repr(error.get("input"))[:80]
        lines.append(f"{where}: {pydantic_message(error)} (tertulis {shown})")
    for section, names in unknown_fields.items():
        lines.append(f"{source}: pengaturan tak dikenal di '{section}': {', '.join(sorted(names))}")
    return "; ".join(lines)


def describe_settings() -> list[tuple[str, str, Any, str]]:
    """(section, field, default, doc) for every setting, for the README and `--help`."""
    return [(section, name, info.default, " ".join((info.description or "").split()))
            for section, cls in SECTIONS.items() for name, info in cls.model_fields.items()]


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
    target = sys.argv[1] if len(sys.argv) > 1 else "README.md"
    print("updated" if update_readme(target) else "up to date", target)
