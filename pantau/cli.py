"""The `pantau` command line. Every command is documented in the README (a test checks it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from core.registry import RegistryError, load_registry
from core.settings import SettingsError, load_settings
from core.vocabulary import (
    FULL_CRAWL,
    NO_SCORE,
    RUN,
    SMART_CRAWL,
    UNREACHABLE_WORD,
    run_crawl_word,
    run_word,
)

app = typer.Typer(
    help="Pantau PPID: memantau kepatuhan publikasi informasi publik badan publik (PPID).",
    no_args_is_help=True,
    add_completion=False,
)
registry_app = typer.Typer(help="Berkas registry badan publik: periksa sebelum dipakai.", no_args_is_help=True)
monev_app = typer.Typer(help="Monev Komisi Informasi: hasil resmi dan lembar bukti.",
                        no_args_is_help=True)
db_app = typer.Typer(help="Gudang data DuckDB: migrasi skema, ekspor untuk analis.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")
app.add_typer(db_app, name="db")
app.add_typer(monev_app, name="monev")
users_app = typer.Typer(help="Peninjau yang boleh mengoreksi temuan di dasbor (berkas pengguna).",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")

DbOption = Annotated[Path, typer.Option("--db", help="Berkas basis data DuckDB.")]
SettingsOption = Annotated[
    Path | None, typer.Option("--settings", help="Berkas pengaturan YAML (lihat README, Configuration).")
]


def fail(message: str, code: int = 1) -> None:
    """Print a message for the user on stderr and exit with ``code``."""
    typer.echo(message, err=True)
    raise typer.Exit(code)


@contextmanager
def database_errors(db: Path) -> Iterator[None]:
    """A bad database file ends the command with one line naming the file and the cause
    (not DuckDB, empty, a directory, read-only, a full disk …) and a non-zero exit."""
    import duckdb

    from warehouse import db as warehouse_db
    from warehouse.load import RunWriteError

    try:
        yield
    except warehouse_db.DatabaseFileError as exc:
        fail(str(exc))
    except (duckdb.Error, RunWriteError, OSError) as exc:
        if isinstance(exc, duckdb.Error) and warehouse_db.is_lock_error(exc):
            fail(f"{db}: sedang dipakai proses lain untuk menulis; coba lagi sebentar lagi")
        fail(str(warehouse_db.file_error(db, exc)))


def settings_or_exit(path: Path | None):
    """The settings, or exit 2 with the one-line reason."""
    try:
        return load_settings(path)
    except SettingsError as exc:
        fail(f"pengaturan: {exc}", 2)


QUIET_PREFECT = {
    # Prefect's own INFO lines (temporary server, flow run names) and its worker-thread
    # warnings would bury the one line per agency this command prints, and its ERROR records
    # carry tracebacks (a failed flow run): the command says what failed in one line itself
    # (a FailedRun's reason, or "Galat tak terduga" with a details file).
    "PREFECT_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_LOGGERS_PREFECT_LEVEL": "CRITICAL",
    # No usage telemetry from a command-line run.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # Without PREFECT_API_URL, Prefect starts a temporary server; its default 20 s to come up
    # is not enough on a busy two-core machine.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


@contextmanager
def quiet_prefect():
    """Keep Prefect's logs, warnings and telemetry off the terminal while the block runs
    (environment defaults for a Prefect not yet imported, logger levels for one that is;
    a value the user set in the environment wins)."""
    import logging
    import os
    import warnings

    for name, value in QUIET_PREFECT.items():
        os.environ.setdefault(name, value)
    logger = logging.getLogger("prefect")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


@app.command(help="Satu putaran pemantauan atas semua badan publik di registry, disimpan ke basis data.")
def crawl(
    registry: Annotated[Path, typer.Option("--registry", help="Berkas registry (YAML, CSV atau .xlsx).")],
    db: DbOption,
    max_pages: Annotated[int | None, typer.Option("--max-pages", help="Halaman per situs (bawaan dari pengaturan: 300).")] = None,
    settings: SettingsOption = None,
    declarations: Annotated[Path | None, typer.Option(
        "--declarations", help="Berkas klaim bukti OPD (YAML atau CSV: agency_id, category_id, url, note).")] = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Crawl penuh: setiap halaman semua situs ditanyakan ulang (bawaan: crawl "
                       "cerdas, kecuali situs yang jatuh tempo crawl penuh).")] = False,
) -> None:
    """One crawl run over every agency in the registry (smart recrawls unless a full crawl is
    due or ``--full`` asks for one), committed to the DuckDB file."""
    loaded = settings_or_exit(settings)
    try:
        agencies = load_registry(registry)
    except RegistryError as exc:
        fail(str(exc), 2)
    declarations_file = check_declarations_file(declarations, loaded, agencies)
    from prefect.exceptions import FailedRun
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from flows import progress
    from flows.crawl import crawl_all_with_runner
    from warehouse import db as warehouse_db

    with database_errors(db):
        warehouse_db.inspect_file(db, writing=True)  # before a crawl that could take hours
    console = Console(highlight=False)
    done: list[progress.AgencyProgress] = []
    bar = Progress(TextColumn("Pemantauan"), BarColumn(), MofNCompleteColumn(),
                   console=console, transient=True)

    def report(line: progress.AgencyProgress) -> None:
        done.append(line)
        bar.console.print(line.line(), markup=False)
        bar.advance(task)

    with database_errors(db), quiet_prefect(), bar, progress.reporting(report):
        flow = crawl_all_with_runner(loaded)
        task = bar.add_task("crawl", total=len(agencies))
        try:
            summary = flow(registry=str(registry), db=str(db),
                           settings_file=str(settings) if settings else None,
                           max_pages=max_pages, declarations=declarations_file, full=full)
        except FailedRun as exc:  # the flow's own one-line reason (a bad or full database)
            fail(str(exc))
    score_table(console, done)
    modes = summary.get("crawl_modes") or {}
    crawl_word = run_crawl_word(modes.get(FULL_CRAWL, 0), modes.get(SMART_CRAWL, 0))
    typer.echo(f"{run_word(summary['run_id'])} selesai" + (f", {crawl_word}" if crawl_word else "")
               + f": {summary['agencies']} badan publik dipantau, {summary['unreachable']} "
               f"{UNREACHABLE_WORD}. Basis data: {db}")
    claims_line(db, summary["run_id"])


def claims_line(db: Path, run_id: int) -> None:
    """One line on the run's checks of declared evidence, when there were any."""
    from core.vocabulary import CLAIM_CONFIRMED_WORD, CLAIM_UNVERIFIED_WORD, CLAIM_WORD
    from warehouse import claims
    from warehouse import db as warehouse_db

    with warehouse_db.read_only(db) as con:
        counts = claims.check_counts(con, run_id)
    if counts["checked"]:
        typer.echo(f"{CLAIM_WORD}: {counts['checked']} diperiksa, {counts['confirmed']} "
                   f"{CLAIM_CONFIRMED_WORD}, {counts['unconfirmed']} {CLAIM_UNVERIFIED_WORD}.")


def check_declarations_file(path: Path | None, settings, registry) -> str | None:
    """The run's declarations file (``--declarations`` or ``claims.declarations_file``),
    validated before the crawl starts: a bad one ends the command (exit 2) naming each bad
    row, and nothing is recorded."""
    from core.checklist import load_checklist
    from core.declarations import DeclarationsError, load_declarations
    from scrapers.crawling.declared import declared_host_refusal

    chosen = str(path) if path else settings.claims.declarations_file or None
    if chosen is None:
        return None
    checklist = load_checklist(*settings.checklist.extension_files)
    try:
        load_declarations(chosen, registry, checklist.ids, declared_host_refusal)
    except DeclarationsError as exc:
        fail(str(exc), 2)
    return chosen


def score_table(console, lines) -> None:
    """The run's scores, best first (unreachable last), as a plain table."""
    from rich.table import Table

    from core import formats
    from warehouse.scoring import band

    table = Table(title=f"Skor {RUN} ini", box=None, pad_edge=False, highlight=False)
    table.add_column("Badan publik")
    table.add_column("Skor", justify="right")
    table.add_column("Predikat")
    for line in sorted(lines, key=lambda x: (x.score is None, -(x.score or 0), x.agency_id)):
        table.add_row(line.agency_id, formats.number(line.score),
                      band(line.score) if line.score is not None else NO_SCORE)
    console.print(table, markup=False)


@app.command(help="Dasbor Streamlit atas basis data itu.")
def dashboard(
    db: DbOption,
    port: Annotated[int | None, typer.Option("--port", help="Port dasbor (bawaan: PANTAU_DASHBOARD_PORT atau 8501).")] = None,
) -> None:
    """The Streamlit dashboard on that database."""
    from dashboard import launch

    if port is None:
        port = settings_or_exit(None).dashboard.port
    try:
        launch.check_database(db)
        typer.echo(f"Dasbor Pantau PPID: http://{launch.HOST}:{port} (Ctrl+C untuk berhenti)")
        code = launch.run_foreground(db, port)
    except launch.LaunchError as exc:
        fail(str(exc))
    raise typer.Exit(code)


@app.command(help="Pengingat untuk kekurangan yang ditemukan pada putaran terakhir.")
def remind(
    db: DbOption,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Tampilkan yang akan dikirim, tanpa mengirim.")] = False,
    settings: SettingsOption = None,
) -> None:
    """Reminders for what the latest run found missing, broken or stale (the send_reminders flow)."""
    from reminders import RemindersBusy, SmtpNotConfigured
    from reminders.compose import Composer, TemplateConfigError
    from reminders.store import ensure_schema
    from warehouse.db import SchemaError

    loaded = settings_or_exit(settings)
    if not dry_run and not loaded.smtp.host:  # checked before anything is read or written
        fail(str(SmtpNotConfigured()), 2)
    try:  # what a user can get wrong, told plainly before the flow starts
        Composer(loaded)
        with database_errors(db):
            from warehouse import db as warehouse_db

            warehouse_db.inspect_file(db, writing=not dry_run)  # before the flow starts
            ensure_schema(db)
    except (FileNotFoundError, SchemaError, TemplateConfigError) as exc:
        fail(f"pengingat: {exc}")
    from flows.reminders import send_reminders

    try:
        with database_errors(db), quiet_prefect():
            result = send_reminders(db=str(db), dry_run=dry_run,
                                    settings_file=str(settings) if settings else None)
    except (FileNotFoundError, SchemaError, RemindersBusy, TemplateConfigError) as exc:
        fail(f"pengingat: {exc}")
    typer.echo(result["report"], nl=False)
    if result["failed"]:
        raise typer.Exit(1)


@app.command(help="Penjadwal berjalan terus: pemantauan mingguan, lalu pengingat (Prefect).")
def serve(settings: SettingsOption = None) -> None:
    """The long-running scheduler: weekly crawl, reminders after it (Prefect deployments)."""
    loaded = settings_or_exit(settings)
    try:
        load_registry(loaded.schedule.registry)
    except RegistryError as exc:
        fail(f"schedule.registry: {exc}", 2)
    from flows.serve import serve_forever

    typer.echo(f"Menjadwalkan crawl '{loaded.schedule.crawl_cron}' ({loaded.schedule.timezone}) "
               f"atas {loaded.schedule.registry} ke {loaded.schedule.db}; Ctrl-C untuk berhenti.")
    serve_forever(loaded, str(settings) if settings else None)


@app.command(help="Daftarkan jadwal mingguan dan pengingat sebagai deployment di work pool Prefect.")
def deploy(
    pool: Annotated[str, typer.Option("--pool", help="Work pool Prefect tujuan.")],
    settings: SettingsOption = None,
) -> None:
    """Register the weekly pipeline and the reminders as deployments on a Prefect work pool."""
    loaded = settings_or_exit(settings)
    from flows.deploy import deploy as deploy_flows

    try:
        with quiet_prefect():
            ids = deploy_flows(pool, str(settings) if settings else None)
    except Exception as exc:  # noqa: BLE001 - a server or pool problem, told without a traceback
        fail(f"deploy: {exc}")
    typer.echo(f"Terdaftar di work pool '{pool}': weekly-pipeline/pantau-weekly "
               f"('{loaded.schedule.crawl_cron}', {loaded.schedule.timezone}) dan "
               f"send-reminders/pantau-reminders.")
    for deployment_id in ids:
        typer.echo(str(deployment_id))


@app.command(help="Situs PPID contoh di loopback, tiga putaran pemantauan, lalu dasbornya.")
def demo(
    workdir: Annotated[Path, typer.Option("--dir", help="Folder basis data dan registry demo.")] = Path("demo-data"),
    port: Annotated[int | None, typer.Option("--port", help="Port dasbor (bawaan: PANTAU_DASHBOARD_PORT atau 8501).")] = None,
    dashboard: Annotated[bool, typer.Option("--dashboard/--no-dashboard", help="Buka dasbor setelah pemantauan.")] = True,
) -> None:
    """Bundled sample PPID sites on loopback, crawled three times into a local database, and the dashboard."""
    from dashboard.launch import LaunchError
    from sample_world.demo import run_demo

    if port is None:
        port = settings_or_exit(None).dashboard.port
    try:
        run_demo(workdir, port=port, dashboard=dashboard, say=typer.echo)
    except LaunchError as exc:
        fail(str(exc))


@app.command(help="Laporan PDF dan HTML siap cetak: kota dan setiap badan publik (atau --agency saja).")
def report(
    db: DbOption,
    out: Annotated[Path, typer.Option("--out", help="Folder berkas laporan.")],
    agency: Annotated[str | None, typer.Option("--agency", help="Hanya laporan badan publik ini (id-nya).")] = None,
    settings: SettingsOption = None,
) -> None:
    """PDF and printable HTML reports: the city's and one per agency (or only --agency's)."""
    from warehouse import db as warehouse_db
    from warehouse.reports.files import write_reports

    loaded = settings_or_exit(settings)
    try:
        files = write_reports(db, out, agency=agency, tz=loaded.schedule.timezone,
                              reply_within_days=loaded.reminders.reply_within_days)
    except (FileNotFoundError, warehouse_db.SchemaError, LookupError) as exc:
        fail(f"laporan: {exc}")
    typer.echo(f"{len(files)} berkas laporan ditulis ke {out}:")
    for path in files:
        typer.echo(f"  {path}")


@app.command(help="Rincian bukti satu temuan (rantai URL, status HTTP, jenis, ukuran, SHA-256); "
                  "--screenshot memotret halaman buktinya.")
def evidence(
    agency: Annotated[str, typer.Argument(help="Id badan publik.")],
    category: Annotated[str, typer.Argument(help="Id kategori (mis. kinerja).")],
    db: DbOption,
    run: Annotated[int | None, typer.Option("--run", help="Putaran (bawaan: yang terakhir).")] = None,
    screenshot: Annotated[bool, typer.Option(
        "--screenshot", help="Potret halaman bukti dengan peramban pemantau dan simpan.")] = False,
    settings: SettingsOption = None,
) -> None:
    """Print one finding's evidence bundle in Indonesian; with --screenshot, take and keep a
    screenshot of its evidence page first (audited)."""
    from warehouse import audit
    from warehouse import db as warehouse_db
    from warehouse.evidence_text import CHAIN_LABEL, chain_lines, describe
    from warehouse.screenshots import evidence_bundle, take_screenshot

    loaded = settings_or_exit(settings)
    tz = loaded.schedule.timezone
    try:
        with database_errors(db):
            if screenshot:
                result = take_screenshot(db, agency, category, settings=loaded.crawl,
                                         actor=audit.CLI, run_id=run)
                typer.echo(result.message)
            with warehouse_db.read_only(db) as con:
                bundle = evidence_bundle(con, agency, category, run)
    except (FileNotFoundError, warehouse_db.SchemaError) as exc:
        fail(f"bukti: {exc}")
    if bundle is None:
        fail(f"bukti: temuan {agency}/{category} tidak punya bukti pada "
             f"{'putaran ' + str(run) if run else 'putaran terakhir'} "
             "(tidak ditemukan, tidak terjangkau, atau id tidak dikenal)")
    for label, value in describe(bundle, tz):
        typer.echo(f"{label}: {value}")
    lines = chain_lines(bundle)
    if lines:
        typer.echo(f"{CHAIN_LABEL}:")
        for line in lines:
            typer.echo(f"  {line}")
    if screenshot and not (result.taken or result.not_applicable):
        raise typer.Exit(1)


@monev_app.command("import", help="Catat hasil resmi Monev tahun-tahun sebelumnya (ditampilkan di samping skor Pantau).")
def monev_import(
    file: Annotated[Path, typer.Argument(help="CSV/YAML: agency_id, year, score, band, source.")],
    db: DbOption,
) -> None:
    """Record official Monev results of earlier years (shown beside Pantau's score)."""
    from warehouse import db as warehouse_db
    from warehouse.reports.monev import MonevFileError, read_results_file, record_results

    try:
        results = read_results_file(file)
        with warehouse_db.writing(db) as con:
            count = record_results(con, results)
    except (MonevFileError, warehouse_db.SchemaError) as exc:
        fail(str(exc))
    typer.echo(f"{count} hasil Monev dicatat di {db}.")


@monev_app.command("sheet", help="Lembar bukti Monev badan publik (Excel dan PDF) dengan perkiraan predikat.")
def monev_sheet(
    db: DbOption,
    agency: Annotated[str, typer.Option("--agency", help="Id badan publik.")],
    out: Annotated[Path, typer.Option("--out", help="Folder berkas lembar bukti.")],
    settings: SettingsOption = None,
) -> None:
    """The agency's Monev evidence sheet (Excel and PDF) with a labelled band estimate."""
    from warehouse import db as warehouse_db
    from warehouse.reports.files import file_stem
    from warehouse.reports.monev import evidence_sheet, sheet_excel, sheet_pdf

    loaded = settings_or_exit(settings)
    try:
        with warehouse_db.read_only(db) as con:
            sheet = evidence_sheet(con, agency, tz=loaded.schedule.timezone)
    except (FileNotFoundError, warehouse_db.SchemaError, LookupError) as exc:
        fail(f"lembar bukti: {exc}")
    out.mkdir(parents=True, exist_ok=True)
    stem = file_stem(agency).replace("laporan-", "lembar-bukti-monev-", 1)
    (out / f"{stem}.xlsx").write_bytes(sheet_excel(sheet))
    (out / f"{stem}.pdf").write_bytes(sheet_pdf(sheet))
    typer.echo(f"Lembar bukti Monev ditulis: {out / (stem + '.xlsx')}, {out / (stem + '.pdf')}")


@registry_app.command("check", help="Periksa berkas registry; setiap baris yang salah disebutkan.")
def registry_check(file: Annotated[Path, typer.Argument(help="Berkas registry (YAML, CSV atau .xlsx).")]) -> None:
    """Validate a registry file; lists every bad row."""
    try:
        registry = load_registry(file)
    except RegistryError as exc:
        fail(str(exc))
    utama = sum(1 for a in registry if a.role == "utama")
    typer.echo(f"{file}: OK — {len(registry)} badan publik ({utama} PPID Utama, "
               f"{len(registry) - utama} PPID Pelaksana)")
    silent = [a for a in registry if not (a.email or "").strip()]
    if silent:
        typer.echo(f"Peringatan: {len(silent)} badan publik tanpa e-mail tidak akan menerima "
                   "pengingat (isi kolom email):")
        for agency in silent:
            typer.echo(f"  - {agency.id}: {agency.name}")


@db_app.command("migrate", help="Buat atau perbarui skema basis data.")
def db_migrate(db: DbOption) -> None:
    """Create or upgrade the database schema."""
    from warehouse import db as warehouse_db

    try:
        with database_errors(db), warehouse_db.writing(db) as con:
            version = warehouse_db.schema_version(con)
    except warehouse_db.SchemaError as exc:
        fail(str(exc))
    typer.echo(f"{db}: versi skema {version}")


@db_app.command("export", help="Ekspor semua view analis dan tabelnya sebagai Parquet atau CSV.")
def db_export(
    out_dir: Annotated[Path, typer.Argument(help="Folder berkas ekspor.")],
    db: DbOption,
    fmt: Annotated[str, typer.Option("--format", help="parquet atau csv.")] = "parquet",
) -> None:
    """Export every analyst view (and agencies, categories, runs) as Parquet or CSV files."""
    from warehouse import db as warehouse_db
    from warehouse.export import FORMATS, export

    if fmt not in FORMATS:
        fail(f"--format harus salah satu dari: {', '.join(FORMATS)}", 2)
    try:
        with database_errors(db), warehouse_db.read_only(db) as con:
            files = export(con, out_dir, fmt)
    except (FileNotFoundError, warehouse_db.SchemaError) as exc:
        fail(str(exc))
    for path in files:
        typer.echo(str(path))


PASSWORD_ENV = "PANTAU_USER_PASSWORD"
"""A new reviewer's password for scripts (instead of the prompt); never stored nor logged."""
UsersFileOption = Annotated[
    Path | None, typer.Option("--users-file", help="Berkas pengguna (bawaan: review.users_file, "
                                                   "atau <basis data>.users.json di sampingnya).")
]


def users_file_or_exit(db: Path, users_file: Path | None, settings: Path | None) -> tuple[Path, object]:
    """The users file (option, setting, or beside the database) and the settings."""
    from core.users import users_path

    loaded = settings_or_exit(settings)
    return (users_file or users_path(loaded.review.users_file, db)), loaded


def new_password(from_stdin: bool) -> str:
    """The new reviewer's password: one line of stdin (``--password-stdin``), else
    ``PANTAU_USER_PASSWORD``, else asked twice without echo."""
    import getpass
    import os
    import sys

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        fail(f"kata sandi: ketik di terminal, atau berikan lewat --password-stdin atau "
             f"variabel {PASSWORD_ENV}", 2)
    try:
        first = getpass.getpass("Kata sandi: ")
        again = getpass.getpass("Ulangi kata sandi: ")
    except (EOFError, KeyboardInterrupt):
        fail("dibatalkan; tidak ada yang diubah", 1)
    if first != again:
        fail("kedua kata sandi tidak sama; tidak ada yang diubah", 2)
    return first


@users_app.command("add", help="Tambahkan peninjau (kata sandi ditanyakan, atau --password-stdin / PANTAU_USER_PASSWORD).")
def users_add(
    name: Annotated[str, typer.Argument(help="Nama pengguna (huruf kecil, angka, . _ -).")],
    db: DbOption,
    users_file: UsersFileOption = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Baca kata sandi dari satu baris stdin.")] = False,
    settings: SettingsOption = None,
) -> None:
    """Add a reviewer to the users file (salted scrypt hash), with its audit row."""
    from core.clock import local_now
    from core.users import UserError, UsersFileError, check_name
    from warehouse import db as warehouse_db
    from warehouse import reviewers

    path, loaded = users_file_or_exit(db, users_file, settings)
    try:
        check_name(name)
    except UserError as exc:
        fail(str(exc), 2)
    password = new_password(password_stdin)
    with database_errors(db):
        warehouse_db.inspect_file(db, writing=True)
        try:
            user = reviewers.add(db, path, name, password, local_now(loaded),
                                 min_length=loaded.review.min_password_length)
        except (UserError, UsersFileError, warehouse_db.SchemaError) as exc:
            fail(str(exc))
    typer.echo(f"Peninjau {user.name} ditambahkan ke {path}.")


@users_app.command("remove", help="Hapus peninjau dari berkas pengguna.")
def users_remove(
    name: Annotated[str, typer.Argument(help="Nama pengguna.")],
    db: DbOption,
    users_file: UsersFileOption = None,
    settings: SettingsOption = None,
) -> None:
    """Remove a reviewer from the users file, with its audit row."""
    from core.clock import local_now
    from core.users import UserError, UsersFileError
    from warehouse import db as warehouse_db
    from warehouse import reviewers

    path, loaded = users_file_or_exit(db, users_file, settings)
    with database_errors(db):
        warehouse_db.inspect_file(db, writing=True)
        try:
            user = reviewers.remove(db, path, name, local_now(loaded))
        except (UserError, UsersFileError, warehouse_db.SchemaError) as exc:
            fail(str(exc))
    typer.echo(f"Peninjau {user.name} dihapus dari {path}.")


@users_app.command("list", help="Daftar peninjau: nama dan kapan ditambahkan (tanpa hash).")
def users_list(
    db: DbOption,
    users_file: UsersFileOption = None,
    settings: SettingsOption = None,
) -> None:
    """List the reviewers (names and when they were added; never the hashes)."""
    from core.formats import moment
    from core.users import UsersFileError, load_users

    path, loaded = users_file_or_exit(db, users_file, settings)
    try:
        found = load_users(path)
    except UsersFileError as exc:
        fail(str(exc))
    if not found:
        typer.echo(f"Belum ada peninjau di {path}. Tambahkan: pantau users add NAMA --db {db}")
        return
    typer.echo(f"{len(found)} peninjau di {path}:")
    for user in found:
        typer.echo(f"  {user.name}  ditambahkan {moment(user.added, loaded.schedule.timezone)}")


def main() -> None:
    """Entry point of the ``pantau`` command.

    Prefect stays quiet for the whole process, not only inside a command: its ephemeral
    server logs "Stopping temporary server" from an exit hook, after the command returned.
    Not for `pantau serve`: a long-running scheduler whose flow-run logs operators read (in
    the terminal and in Prefect's UI)."""
    import logging
    import os
    import sys

    if sys.argv[1:2] != ["serve"]:
        for name, value in QUIET_PREFECT.items():
            os.environ.setdefault(name, value)
        if os.environ["PREFECT_LOGGING_LEVEL"] == QUIET_PREFECT["PREFECT_LOGGING_LEVEL"]:
            logging.getLogger("prefect").setLevel(logging.CRITICAL)
    try:
        app()
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        typer.echo(unexpected_error(exc), err=True)
        raise SystemExit(1) from None


def unexpected_error(exc: BaseException) -> str:
    """An Indonesian line for an error no command foresaw; the traceback goes to a file
    the line names, for whoever maintains the installation."""
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile("w", prefix="pantau-galat-", suffix=".txt", delete=False,
                                     encoding="utf-8") as file:
        file.write("".join(traceback.format_exception(exc)))
    if "ephemeral Prefect API" in str(exc):
        cause = ("server Prefect sementara tidak siap tepat waktu (mesin sibuk?); coba lagi, "
                 "atau setel PREFECT_API_URL ke server Prefect yang berjalan (`prefect server start`)")
    else:
        cause = f"{type(exc).__name__}: {exc}"
    return f"Galat tak terduga: {cause}\nRincian teknis: {file.name}"
