from pathlib import Path

import pytest

from core.registry import RegistryError, load_registry

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

GOOD_YAML = """
agencies:
  - {id: diskominfo, name: Diskominfo Kota Contoh, url: "https://ppid.contoh.go.id/", email: ppid@contoh.go.id, role: utama, parent: ""}
  - {id: dinkes, name: Dinas Kesehatan, url: "http://dinkes.contoh.go.id/ppid", email: "", role: pelaksana, parent: diskominfo, insecure_tls: true}
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    return info.value.problems, str(info.value)


def test_yaml_and_csv_give_the_same_agencies(tmp_path):
    yaml_reg = load_registry(write(tmp_path, "r.yaml", GOOD_YAML))
    csv_reg = load_registry(write(tmp_path, "r.csv",
        "id,name,url,email,role,parent,insecure_tls\n"
        "diskominfo,Diskominfo Kota Contoh,https://ppid.contoh.go.id/,ppid@contoh.go.id,utama,,\n"
        "dinkes,Dinas Kesehatan,http://dinkes.contoh.go.id/ppid,,pelaksana,diskominfo,true\n"))
    assert yaml_reg.agencies == csv_reg.agencies
    dinkes = yaml_reg.get("dinkes")
    assert dinkes.parent == "diskominfo" and dinkes.insecure_tls and dinkes.email == ""
    assert yaml_reg.get("diskominfo").role == "utama"


def test_missing_id_and_url_are_reported_by_row(tmp_path):
    found, message = problems(write(tmp_path, "r.csv",
        "id,name,url,email,role,parent\n"
        "a,A,https://a.go.id/,,utama,\n"
        ",B,https://b.go.id/,,pelaksana,a\n"
        "c,C,,,pelaksana,a\n"))
    assert (2, "missing id") in found
    assert (3, "missing url") in found
    assert "row 2: missing id" in message and "nothing imported" in message


def test_duplicate_id(tmp_path):
    found, _ = problems(write(tmp_path, "r.csv",
        "id,name,url,email,role,parent\n"
        "a,A,https://a.go.id/,,utama,\n"
        "a,A2,https://a2.go.id/,,utama,\n"))
    assert found == [(2, "duplicate id 'a' (first at row 1)")]


@pytest.mark.parametrize("url, reason", [
    ("ftp://a.go.id/", "scheme must be http or https"),
    ("a.go.id/ppid", "scheme must be http or https"),
    ("https:///ppid", "no host"),
    ("https://a.go.id/ppid page", "contains white space"),
    ("https://a.go.id:99999/", "bad port"),
])
def test_malformed_urls(tmp_path, url, reason):
    found, _ = problems(write(tmp_path, "r.yaml",
        f"agencies:\n  - {{id: a, name: A, url: '{url}', role: utama}}\n"))
    assert found == [(1, f"bad url {url!r}: {reason}")]


def test_unknown_parent_and_parent_that_is_not_utama(tmp_path):
    found, _ = problems(write(tmp_path, "r.yaml", """
agencies:
  - {id: utama, name: U, url: "https://u.go.id/", role: utama}
  - {id: dinkes, name: D, url: "https://d.go.id/", role: pelaksana, parent: utama}
  - {id: puskesmas, name: P, url: "https://p.go.id/", role: pelaksana, parent: dinkes}
  - {id: disdik, name: E, url: "https://e.go.id/", role: pelaksana, parent: nobody}
"""))
    assert found == [
        (3, "parent 'dinkes' is not a PPID Utama (role 'pelaksana')"),
        (4, "unknown parent 'nobody'"),
    ]


def test_every_bad_row_is_listed_and_nothing_is_returned(tmp_path):
    found, message = problems(write(tmp_path, "r.yaml", """
agencies:
  - {id: Bad Id, name: X, url: "https://x.go.id/", role: utama}
  - {id: y, name: Y, url: "https://y.go.id/", role: boss}
  - {id: z, name: Z, url: "https://z.go.id/", email: not-an-email, role: pelaksana, colour: red}
  - {id: u, name: U, url: "https://u.go.id/", role: utama, parent: y}
"""))
    rows = sorted({row for row, _ in found})
    assert rows == [1, 2, 3, 4]
    assert "row 3: unknown column(s): colour" in message
    assert "row 3: bad email 'not-an-email'" in message
    assert "row 2: role 'boss' is not one of: utama, pelaksana" in message
    assert "row 4: a PPID Utama has no parent (got 'y')" in message


def test_file_level_problems(tmp_path):
    assert "expected a top-level 'agencies:' list" in problems(write(tmp_path, "r.yaml", "- a\n"))[1]
    assert "not valid YAML" in problems(write(tmp_path, "r.yaml", "agencies: [\n"))[1]
    assert "header lacks column(s): url" in problems(write(tmp_path, "r.csv", "id,name\na,A\n"))[1]
    assert "unknown file type" in problems(write(tmp_path, "r.json", "{}"))[1]
    assert "cannot read file" in problems(tmp_path / "absent.yaml")[1]
    assert "no agencies" in problems(write(tmp_path, "r.yaml", "agencies: []\n"))[1]


def test_the_error_names_the_file(tmp_path):
    path = write(tmp_path, "kota.csv", "id,url\n,https://a.go.id/\n")
    assert str(path) in problems(path)[1]


@pytest.mark.parametrize("name", ["registry-kota-pasuruan.yaml", "registry-small.csv"])
def test_shipped_example_registries_are_valid(name):
    registry = load_registry(EXAMPLES / name)
    utama = [a for a in registry if a.role == "utama"]
    assert len(utama) == 1
    assert all(a.parent == utama[0].id for a in registry if a.role == "pelaksana")


def test_platform_column_is_optional_and_checked(tmp_path):
    good = load_registry(write(tmp_path, "r.csv",
        "id,name,url,email,role,parent,platform\n"
        "a,A,https://a.go.id/,,utama,,WordPress\nb,B,https://b.go.id/,,pelaksana,a,\n"))
    assert good.get("a").platform == "wordpress" and good.get("b").platform == ""
    found, _ = problems(write(tmp_path, "bad.csv",
        "id,name,url,email,role,parent,platform\na,A,https://a.go.id/,,utama,,wix\n"))
    assert found == [(1, "platform 'wix' is not one of: wordpress, joomla, drupal, laravel, generic")]


def test_render_column_is_optional_auto_by_default_and_checked(tmp_path):
    good = load_registry(write(tmp_path, "r.yaml", """
agencies:
  - {id: a, name: A, url: "https://a.go.id/", role: utama, render: Always}
  - {id: b, name: B, url: "https://b.go.id/", role: pelaksana, parent: a, render: never}
  - {id: c, name: C, url: "https://c.go.id/", role: pelaksana, parent: a}
"""))
    assert [a.render for a in good] == ["always", "never", "auto"]
    found, _ = problems(write(tmp_path, "bad.csv",
        "id,name,url,email,role,parent,render\na,A,https://a.go.id/,,utama,,sometimes\n"))
    assert found == [(1, "render 'sometimes' is not one of: auto, always, never")]
