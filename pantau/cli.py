"""The `pantau` command line. Every command is documented in the README (a test checks it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from core.registry import RegistryError, load_registry
from core.settings import SettingsError, load_settings
from core.vocabulary import UNREACHABLE_WORD, run_word

app = typer.Typer(
    help="Pantau PPID: memantau kepatuhan publikasi informasi publik badan publik (PPID).",
    no_args_is_help=True,
    add_completion=False,
)
registry_app = typer.Typer(help="Registry files: check before importing.", no_args_is_help=True)
db_app = typer.Typer(help="The DuckDB warehouse: migrate, export.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")
app.add_typer(db_app, name="db")

DbOption = Annotated[Path, typer.Option("--db", help="The DuckDB file.")]
SettingsOption = Annotated[
    Path | None, typer.Option("--settings", help="A settings YAML file (see README, Configuration).")
]


def fail(message: str, code: int = 1) -> None:
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
    try:
        return load_settings(path)
    except SettingsError as exc:
        fail(f"settings: {exc}", 2)


@app.command()
def crawl(
    registry: Annotated[Path, typer.Option("--registry", help="Registry file (YAML or CSV).")],
    db: DbOption,
    max_pages: Annotated[int | None, typer.Option("--max-pages", help="Pages per site (default from settings: 300).")] = None,
    settings: SettingsOption = None,
) -> None:
    """One full crawl run over every agency in the registry, committed to the DuckDB file."""
    loaded = settings_or_exit(settings)
    try:
        agencies = load_registry(registry)
    except RegistryError as exc:
        fail(str(exc), 2)
    from prefect.exceptions import FailedRun

    from flows.crawl import crawl_all_with_runner
    from warehouse import db as warehouse_db

    with database_errors(db):
        warehouse_db.inspect_file(db, writing=True)  # before a crawl that could take hours
        flow = crawl_all_with_runner(loaded)
        try:
            run_id = flow(registry=str(registry), db=str(db),
                          settings_file=str(settings) if settings else None,
                          max_pages=max_pages)
        except FailedRun as exc:  # the flow's own one-line reason (a bad or full database)
            fail(str(exc))
        with warehouse_db.read_only(db) as con:
            unreachable = warehouse_db.scalar(
                con, "SELECT count(*) FROM agency_runs WHERE run_id = ? AND NOT reachable",
                [run_id])
    typer.echo(f"{run_word(run_id)} selesai: {len(agencies)} badan publik dipantau, "
               f"{unreachable} {UNREACHABLE_WORD}. Database: {db}")


@app.command()
def dashboard(
    db: DbOption,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 8501).")] = None,
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


@app.command()
def remind(
    db: DbOption,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be sent; send nothing.")] = False,
    settings: SettingsOption = None,
) -> None:
    """Reminders for what the latest run found missing, broken or stale."""
    from reminders import (
        RemindersBusy,
        SmtpNotConfigured,
        format_dry_run,
        format_summary,
        run_reminders,
    )
    from reminders.compose import TemplateConfigError
    from warehouse.db import SchemaError

    loaded = settings_or_exit(settings)
    try:
        with database_errors(db):
            summary = run_reminders(db, loaded, dry_run=dry_run)
    except SmtpNotConfigured as exc:  # checked before anything is read or written
        fail(str(exc), 2)
    except (FileNotFoundError, SchemaError, RemindersBusy, TemplateConfigError) as exc:
        fail(f"pengingat: {exc}")
    typer.echo(format_dry_run(summary.plan) if dry_run else format_summary(summary), nl=False)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
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


@app.command()
def demo(
    workdir: Annotated[Path, typer.Option("--dir", help="Folder for the demo database and registry.")] = Path("demo-data"),
    port: Annotated[int, typer.Option("--port", help="Dashboard port.")] = 8501,
    dashboard: Annotated[bool, typer.Option("--dashboard/--no-dashboard", help="Open the dashboard after the crawls.")] = True,
) -> None:
    """Bundled sample PPID sites on loopback, crawled three times into a local database, and the dashboard."""
    from sample_world.demo import run_demo

    run_demo(workdir, port=port, dashboard=dashboard, say=typer.echo)


@registry_app.command("check")
def registry_check(file: Annotated[Path, typer.Argument(help="Registry file (YAML or CSV).")]) -> None:
    """Validate a registry file; lists every bad row."""
    try:
        registry = load_registry(file)
    except RegistryError as exc:
        fail(str(exc))
    utama = sum(1 for a in registry if a.role == "utama")
    typer.echo(f"{file}: OK — {len(registry)} badan publik ({utama} PPID Utama, "
               f"{len(registry) - utama} PPID Pelaksana)")


@db_app.command("migrate")
def db_migrate(db: DbOption) -> None:
    """Create or upgrade the database schema."""
    from warehouse import db as warehouse_db

    try:
        with database_errors(db), warehouse_db.writing(db) as con:
            version = warehouse_db.schema_version(con)
    except warehouse_db.SchemaError as exc:
        fail(str(exc))
    typer.echo(f"{db}: schema version {version}")


@db_app.command("export")
def db_export(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the exported files.")],
    db: DbOption,
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
) -> None:
    """Export every analyst view (and agencies, categories, runs) as Parquet or CSV files."""
    from warehouse import db as warehouse_db
    from warehouse.export import FORMATS, export

    if fmt not in FORMATS:
        fail(f"--format must be one of: {', '.join(FORMATS)}", 2)
    try:
        with database_errors(db), warehouse_db.read_only(db) as con:
            files = export(con, out_dir, fmt)
    except (FileNotFoundError, warehouse_db.SchemaError) as exc:
        fail(str(exc))
    for path in files:
        typer.echo(str(path))


def main() -> None:
    app()
