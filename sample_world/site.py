"""One sample site on disk: its settings, its files per epoch, and its expected labels.

A site folder holds ``site.yaml`` (settings), ``labels.yaml`` (expected status of every
category, per epoch), ``files/`` (what epoch 1 serves) and optionally ``epochs/<n>/`` overlay
folders plus ``epochs.yaml`` listing files removed from epoch ``n`` on. See README.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from core.vocabulary import STATUSES

from .render import substitute

# The contract's 30 category ids (shared/spec/categories.csv); the tests check they agree.
CATEGORY_IDS = (
    "profil",
    "struktur_organisasi",
    "lhkpn",
    "program_kegiatan",
    "kinerja",
    "laporan_keuangan",
    "laporan_layanan_informasi",
    "regulasi",
    "tata_cara_informasi",
    "pengaduan",
    "pengadaan",
    "peringatan_dini",
    "serta_merta",
    "dip",
    "renstra_renja",
    "agenda_pimpinan",
    "perjanjian_pihak_ketiga",
    "perizinan",
    "inventaris",
    "kepegawaian",
    "surat_menyurat",
    "sarana_layanan_informasi",
    "pelanggaran",
    "penelitian",
    "dik",
    "sk_ppid",
    "sop_ppid",
    "maklumat",
    "formulir_permohonan",
    "formulir_keberatan",
)
EPOCHS = (1, 2, 3)
INDEX_NAMES = ("index.html", "index.htm", "INDEX.HTM")
# Extensionless URLs (/informasi-publik/berkala, /dokumen/12/unduh) resolve to these files.
IMPLIED_SUFFIXES = (".html", ".pdf", ".docx", ".xlsx", ".json")


class SiteError(ValueError):
    """A sample site's files are inconsistent; the message names the file."""

    pass


@dataclass(frozen=True)
class SiteFile:
    """A file the site serves in some epoch: where it lies and the epoch it last changed in."""

    source: Path
    epoch: int


@dataclass
class SiteDef:
    """One sample site: its folder, its configuration and its labels per epoch."""

    id: str
    folder: Path
    config: dict[str, Any]
    labels_by_epoch: dict[int, dict[str, str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.config["name"]

    @property
    def is_host(self) -> bool:
        """An outside document host (the drive), not an agency in the registry."""
        return self.config.get("kind") == "host"

    @property
    def platform(self) -> str:
        """The platform the site is modelled on (``server-rendered`` unless site.yaml says)."""
        return self.config.get("platform", "server-rendered")

    @property
    def render_needed(self) -> bool:
        """Its lists appear only after scripts run (``render: needed`` in site.yaml): a
        crawl without a browser cannot see what the labels describe."""
        return self.config.get("render") == "needed"

    @property
    def down(self) -> bool:
        return bool(self.config.get("down", False))

    @property
    def scheme(self) -> str:
        return self.config.get("scheme", "http")

    @property
    def encoding(self) -> str:
        return self.config.get("encoding", "utf-8")

    @property
    def charset_header(self) -> bool:
        return bool(self.config.get("charset_header", True))

    def labels(self, epoch: int) -> dict[str, str]:
        return dict(self.labels_by_epoch[epoch])

    def files(self, epoch: int, year: int) -> dict[str, SiteFile]:
        """URL path (years substituted, leading ``/``) → file, for one epoch."""
        layers = [(1, self.folder / "files")]
        layers += [(n, self.folder / "epochs" / str(n)) for n in EPOCHS[1:epoch]]
        removed = self._removed_up_to(epoch)
        table: dict[str, SiteFile] = {}
        for layer_epoch, root in layers:
            if not root.is_dir():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                relative = path.relative_to(root).as_posix()
                url_path = "/" + substitute(relative, year, {})
                table[url_path] = SiteFile(path, layer_epoch)
        for relative in removed:
            table.pop("/" + substitute(relative, year, {}), None)
        return table

    def _removed_up_to(self, epoch: int) -> list[str]:
        changes = self.config.get("_epochs", {})
        return [p for n in EPOCHS[1:epoch] for p in (changes.get(n) or {}).get("remove", [])]


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SiteError(f"{path}: {exc}") from exc


def _labels_per_epoch(path: Path, category_ids: tuple[str, ...]) -> dict[int, dict[str, str]]:
    """Epoch 1 is the full ``labels:`` map; epochs 2 and 3 apply cumulative overrides."""
    data = _read_yaml(path)
    base = dict(data.get("labels") or {})
    overrides = data.get("epochs") or {}
    result: dict[int, dict[str, str]] = {}
    current = base
    for epoch in EPOCHS:
        current = {**current, **(overrides.get(epoch) or {})}
        _check_labels(path, epoch, current, category_ids)
        result[epoch] = current
    return result


def _check_labels(path: Path, epoch: int, labels: dict, category_ids: tuple[str, ...]) -> None:
    missing = sorted(set(category_ids) - set(labels))
    extra = sorted(set(labels) - set(category_ids))
    bad = sorted(k for k, v in labels.items() if v not in STATUSES)
    if missing or extra or bad:
        raise SiteError(
            f"{path} epoch {epoch}: missing ids {missing}, unknown ids {extra}, bad statuses {bad}"
        )


def load_site(folder: Path, category_ids: tuple[str, ...] = CATEGORY_IDS) -> SiteDef:
    """Read and check one sample site's folder."""
    config = _read_yaml(folder / "site.yaml")
    if "name" not in config:
        raise SiteError(f"{folder / 'site.yaml'}: no name")
    epochs_file = folder / "epochs.yaml"
    config["_epochs"] = _read_yaml(epochs_file) if epochs_file.exists() else {}
    site = SiteDef(folder.name, folder, config)
    if not site.is_host:
        site.labels_by_epoch = _labels_per_epoch(folder / "labels.yaml", category_ids)
    return site


def load_sites(root: Path, category_ids: tuple[str, ...] = CATEGORY_IDS) -> list[SiteDef]:
    """Every site under ``root/sites``, ordered by the ``order`` key of site.yaml."""
    folders = [p for p in sorted((root / "sites").iterdir()) if (p / "site.yaml").exists()]
    sites = [load_site(folder, category_ids) for folder in folders]
    return sorted(sites, key=lambda s: (s.config.get("order", 100), s.id))


def epoch_date(today: date, epoch: int) -> date:
    """The day an epoch's uploads happened: a week apart, the last one a week before today."""
    return today - timedelta(days=7 * (len(EPOCHS) + 1 - epoch))
