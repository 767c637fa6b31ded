"""Whose publication a document is: another region's or agency's document copied or linked on a
site is not this agency's publication (pure).

Copy-paste sites link another pemda's DIP or another dinas' LKjIP. A document's title, file
name (or first page) that names a region — ``Kabupaten Malang``, ``Kota Batu``, ``Pemkab
Sleman``, ``kab-malang`` — other than the agency's own, or (for a PPID Pelaksana) an agency
of another kind or name — ``Dinas Pendidikan`` on the Dinas Kesehatan site — is rejected,
and the finding records which name gave it away.

The agency's own region and name come from the registry: its ``name`` ("Dinas Kesehatan Kota
Pasuruan") and its URL's host (``dinkes.pasuruankota.go.id`` names Pasuruan). When neither
names a region, no region is judged foreign (nothing to compare with).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from core.words import detection_words
from scrapers.detection.match import normalize

WORDS = detection_words()

REGION_WORDS = dict(WORDS.region_words)
"""Words that introduce a region's name, and the kind of region they mean."""

NOT_A_NAME = frozenset(WORDS.not_a_region_name)
"""Words that follow a region word without being a region's name ("Kota Layak Anak",
"Kabupaten/Kota", "Pemerintah Kota Tahun 2024")."""

AGENCY_HEADS = frozenset(WORDS.agency_heads)
"""Words that start an agency's name (not kelurahan or puskesmas: a kecamatan or a health
office publishes for those under it)."""

AGENCY_NAME_WORDS = 2
"""Words of an agency mention compared with the agency's own name ("Dinas Pendidikan")."""

GENERIC_HOST_LABELS = frozenset(WORDS.generic_host_labels)
"""Labels of a host name that name no agency."""


@dataclass(frozen=True)
class Owner:
    """The agency whose site is being judged, as the registry describes it."""

    name: str
    url: str = ""
    role: str = "pelaksana"
    regions: frozenset[str] = field(default=frozenset())
    """First words of its own region names, normalised (``pasuruan``)."""
    host_words: tuple[str, ...] = ()
    """Labels of its URL's host, which often hold the region glued (``pasuruankota``)."""

    @classmethod
    def of(cls, name: str, url: str = "", role: str = "pelaksana", parent_name: str = "") -> Owner:
        """The owner from a registry row's name, URL and role; the parent PPID's name gives
        the region when the agency's own does not ("Kecamatan Barat" under "… Kota Contoh")."""
        regions = frozenset(name for _kind, name in region_mentions(name))
        if not regions and parent_name:
            regions = frozenset(name for _kind, name in region_mentions(parent_name))
        host = (urlsplit(url).hostname or "").lower()
        labels = tuple(
            label for label in host.split(".")
            if label and not label.isdigit() and label not in GENERIC_HOST_LABELS
        )
        return cls(name=name, url=url, role=role, regions=regions, host_words=labels)

    @property
    def knows_its_region(self) -> bool:
        """Whether its name, its parent's name or its host names a region to compare with."""
        return bool(self.regions or self.host_words)

    def owns_region(self, name: str) -> bool:
        """Whether a region name (first word, normalised) is the agency's own."""
        if name in self.regions:
            return True
        return any(name in label for label in self.host_words if len(name) >= 4)


def region_mentions(text: str) -> list[tuple[str, str]]:
    """(kind, first word of the name) of every region a text names: "LKjIP Kab. Malang 2023"
    → ``[("kabupaten", "malang")]``."""
    tokens = normalize(text).split()
    found = []
    for index, token in enumerate(tokens[:-1]):
        kind = REGION_WORDS.get(token)
        if kind is None:
            continue
        name = tokens[index + 1]
        if name in NOT_A_NAME or name in REGION_WORDS or not name.isalpha() or len(name) < 3:
            continue
        found.append((kind, name))
    return found


def agency_mentions(text: str) -> list[str]:
    """Agency names a text mentions, as their first words ("dinas pendidikan")."""
    tokens = normalize(text).split()
    found = []
    for index, token in enumerate(tokens):
        if token in AGENCY_HEADS:
            words = []
            for word in tokens[index + 1:index + AGENCY_NAME_WORDS]:
                if word in REGION_WORDS or word in NOT_A_NAME or word in AGENCY_HEADS or not word.isalpha():
                    break  # "Kantor Kecamatan": the kecamatan is named next
                words.append(word)
            found.append(" ".join([token, *words]))
    return found


def foreign_mention(texts: list[str], owner: Owner | None, *, check_agency: bool = True) -> str | None:
    """Why texts (a document's title, file name, first page) make it another body's
    document: ``names another region (kabupaten malang)`` or ``names another agency
    (dinas pendidikan)``; None when they do not.

    The agency check applies to a PPID Pelaksana only (a PPID Utama publishes for every
    agency of its government) and can be switched off (regulations name other bodies).
    """
    if owner is None:
        return None
    texts = [t for t in texts if t]  # each on its own: a file name's last word and the
    province_owner = "provinsi" in normalize(owner.name).split()  # next text's first are not a name
    if owner.knows_its_region:
        for kind, name in (m for text in texts for m in region_mentions(text)):
            if kind == "provinsi" and not province_owner:
                continue  # a city or regency lies in a province we do not know
            if not owner.owns_region(name):
                return f"names another region ({kind} {name})"
    if check_agency and owner.role != "utama":
        own = f" {normalize(owner.name)} "
        for mention in (m for text in texts for m in agency_mentions(text)):
            if not _same_agency(mention, own):
                return f"names another agency ({mention})"
    return None


NAMED_HEADS = frozenset(WORDS.named_agency_heads)
"""Heads that name a body on their own (a hospital, the inspectorate)."""

HEAD_SPELLINGS = dict(WORDS.agency_head_spellings)
"""Agency heads that names spell out in full as well."""


def _same_agency(mention: str, own: str) -> bool:
    """A mention names the agency itself when its head (or the head spelled out) and its
    following words occur in the agency's name ("dinas kesehatan" in "dinas kesehatan
    pengendalian penduduk …", "rsud soetomo" in "rumah sakit umum daerah dr soetomo")."""
    head, *words = mention.split()
    if not words and head not in NAMED_HEADS:
        return True  # "Badan Publik", "Dinas terkait": a kind of body, no body named
    if not any(f" {spelling} " in own for spelling in HEAD_SPELLINGS.get(head, (head,))):
        return False
    if not words:
        return True
    own_words = set(own.split())
    # Words of two letters are abbreviations ("Satpol PP") the full name spells out.
    return all(word in own_words for word in words if word not in NOT_A_NAME and len(word) > 2)
