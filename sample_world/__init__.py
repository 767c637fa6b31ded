"""The bundled sample world: sample PPID sites of "Kota Contoh" with their expected labels,
served on loopback by :class:`SampleWorld` (see README.md in this folder)."""

from .server import PLATFORM_WORLD, SampleWorld
from .site import CATEGORY_IDS, STATUSES

__all__ = ["CATEGORY_IDS", "PLATFORM_WORLD", "STATUSES", "SampleWorld"]
