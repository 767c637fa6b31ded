"""Bundled YAML data files (platforms, word lists) read into validated pydantic models.

One reader, so every data file fails the same way: one line naming the file and the entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


def load_yaml_model(path: str | Path, model: type[Model], error: type[Exception]) -> Model:
    """Read ``path`` as YAML and validate it as ``model``; any problem raises ``error`` with
    the file and the failing entries in its message."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot read: {exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise error(f"{path}: {where}") from None
