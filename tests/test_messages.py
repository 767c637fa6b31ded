"""Validation messages reach the user in Bahasa Indonesia."""

import pytest
from pydantic import BaseModel, Field, ValidationError

from core.messages import pydantic_message


class Sample(BaseModel):
    pages: int = Field(ge=0)
    mode: str = "auto"


def only_error(data) -> dict:
    with pytest.raises(ValidationError) as info:
        Sample.model_validate(data)
    return info.value.errors()[0]


def test_common_error_types_are_in_indonesian():
    assert pydantic_message(only_error({"pages": -1})) == "harus paling sedikit 0"
    assert pydantic_message(only_error({"pages": "banyak"})) == "harus bilangan bulat"
    assert pydantic_message(only_error({})) == "wajib diisi"
    assert pydantic_message(only_error({"pages": 1, "mode": 3})) == "harus berupa teks"


def test_pantau_own_value_errors_pass_through_and_unknown_types_keep_pydantic_text():
    error = {"type": "value_error", "msg": "Value error, x", "ctx": {"error": ValueError("id kosong")}}
    assert pydantic_message(error) == "id kosong"
    assert pydantic_message({"type": "something_new", "msg": "Some text"}) == "Some text"
