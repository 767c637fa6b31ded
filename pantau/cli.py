"""The `pantau` command line. Every command is documented in the README (a test checks it)."""

from __future__ import annotations

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
        load_registry(registry)  # a bad registry exits 2 before the flow starts
    except RegistryError as exc:
        fail(str(exc), 2)
    from flows.crawl import crawl_all_with_runner

    flow = crawl_all_with_runner(loaded)
    summary = flow(registry=str(registry), db=str(db),
                   settings_file=str(settings) if settings else None, max_pages=max_pages)
    typer.echo(f"{run_word(summary['run_id'])} selesai: {summary['agencies']} badan publik "
               f"dipantau, {summary['unreachable']} {UNREACHABLE_WORD}. Database: {db}")


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
        ensure_schema(db)
    except (FileNotFoundError, SchemaError, TemplateConfigError) as exc:
        fail(f"pengingat: {exc}")
    from flows.reminders import send_reminders

    try:
        result = send_reminders(db=str(db), dry_run=dry_run,
                                settings_file=str(settings) if settings else None)
    except (FileNotFoundError, SchemaError, RemindersBusy, TemplateConfigError) as exc:
        fail(f"pengingat: {exc}")
    typer.echo(result["report"], nl=False)
    if result["failed"]:
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
def deploy(
    pool: Annotated[str, typer.Option("--pool", help="The Prefect work pool to register the deployments on.")],
    settings: SettingsOption = None,
) -> None:
    """Register the weekly pipeline and the reminders as deployments on a Prefect work pool."""
    loaded = settings_or_exit(settings)
    from flows.deploy import deploy as deploy_flows

    try:
        ids = deploy_flows(pool, str(settings) if settings else None)
    except Exception as exc:  # noqa: BLE001 - a server or pool problem, told without a traceback
        fail(f"deploy: {exc}")
    typer.echo(f"Terdaftar di work pool '{pool}': weekly-pipeline/pantau-weekly "
               f"('{loaded.schedule.crawl_cron}', {loaded.schedule.timezone}) dan "
               f"send-reminders/pantau-reminders.")
    for deployment_id in ids:
        typer.echo(str(deployment_id))


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
        with warehouse_db.writing(db) as con:
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
        with warehouse_db.read_only(db) as con:
            files = export(con, out_dir, fmt)
    except (FileNotFoundError, warehouse_db.SchemaError) as exc:
        fail(str(exc))
    for path in files:
        typer.echo(str(path))


def main() -> None:
    app()
