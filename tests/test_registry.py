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
    assert (3, "id kosong") in found  # spreadsheet rows: the header is row 1
    assert (4, "url kosong") in found
    assert "baris 3: id kosong" in message and "tidak ada yang diimpor" in message


def test_duplicate_id(tmp_path):
    found, _ = problems(write(tmp_path, "r.csv",
        "id,name,url,email,role,parent\n"
        "a,A,https://a.go.id/,,utama,\n"
        "a,A2,https://a2.go.id/,,utama,\n"))
    assert found == [(3, "id 'a' ganda (pertama di baris 2)")]


@pytest.mark.parametrize("url, reason", [
    ("ftp://a.go.id/", "harus diawali http:// atau https://"),
    ("a.go.id/ppid", "harus diawali http:// atau https://"),
    ("https:///ppid", "tanpa nama host"),
    ("https://a.go.id/ppid page", "mengandung spasi"),
    ("https://a.go.id:99999/", "nomor port tidak sah"),
])
def test_malformed_urls(tmp_path, url, reason):
    found, _ = problems(write(tmp_path, "r.yaml",
        f"agencies:\n  - {{id: a, name: A, url: '{url}', role: utama}}\n"))
    assert found == [(1, f"url {url!r} tidak sah: {reason}")]


def test_unknown_parent_and_parent_that_is_not_utama(tmp_path):
    found, _ = problems(write(tmp_path, "r.yaml", """
agencies:
  - {id: utama, name: U, url: "https://u.go.id/", role: utama}
  - {id: dinkes, name: D, url: "https://d.go.id/", role: pelaksana, parent: utama}
  - {id: puskesmas, name: P, url: "https://p.go.id/", role: pelaksana, parent: dinkes}
  - {id: disdik, name: E, url: "https://e.go.id/", role: pelaksana, parent: nobody}
"""))
    assert found == [
        (3, "parent 'dinkes' bukan PPID Utama (role 'pelaksana')"),
        (4, "parent 'nobody' tidak dikenal"),
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
    assert "badan publik ke-3 (baris 5): kolom tak dikenal: colour" in message
    assert "badan publik ke-3 (baris 5): email 'not-an-email' tidak sah" in message
    assert "badan publik ke-2 (baris 4): role 'boss' bukan salah satu dari: utama, pelaksana" in message
    assert "badan publik ke-4 (baris 6): PPID Utama tidak punya parent (tertulis 'y')" in message


def test_file_level_problems(tmp_path):
    assert "tidak ada daftar 'agencies:' di tingkat teratas" in problems(write(tmp_path, "r.yaml", "- a\n"))[1]
    assert "bukan YAML yang sah" in problems(write(tmp_path, "r.yaml", "agencies: [\n"))[1]
    assert "baris judul tidak memuat kolom: url, email, role, parent (yang ada: id, name)" in problems(
        write(tmp_path, "r.csv", "id,name\na,A\n"))[1]
    assert "jenis berkas tak dikenal '.json'" in problems(write(tmp_path, "r.json", "{}"))[1]
    assert "simpan sebagai .xlsx atau CSV" in problems(write(tmp_path, "r.xls", "x"))[1]
    assert "berkas tidak dapat dibaca" in problems(tmp_path / "absent.yaml")[1]
    assert "tidak ada badan publik" in problems(write(tmp_path, "r.yaml", "agencies: []\n"))[1]


def test_the_error_names_the_file(tmp_path):
    path = write(tmp_path, "kota.csv", "id,name,url,email,role,parent\n,A,https://a.go.id/,,utama,\n")
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
    assert found == [(2, "platform 'wix' bukan salah satu dari: wordpress, joomla, drupal, laravel, generic")]


HEADER = "id,name,url,email,role,parent\n"
UTAMA_ROW = "diskominfo,Diskominfo,https://ppid.contoh.go.id/,ppid@contoh.go.id,utama,\n"


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    import tracemalloc

    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("agencies: *a9")  # 9**10 strings once expanded
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    tracemalloc.start()
    try:
        found, message = problems(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "alias (*nama) tidak diizinkan dalam registry (salah satunya di baris 2)" in message
    assert peak < 5_000_000


def test_a_huge_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(25_000_000)  # sparse: the size is what counts
    assert "berkas berukuran 25.000.000 bita; registry paling besar 20.000.000" in problems(path)[1]


def test_the_contract_columns_are_required(tmp_path):
    found, message = problems(write(tmp_path, "r.csv",
        "id,name,url\ndiskominfo,Diskominfo,https://ppid.contoh.go.id/\n"))
    assert found == [(None, "baris judul tidak memuat kolom: email, role, parent (yang ada: id, name, "
                            "url); registry memerlukan id, name, url, email, role, parent — email "
                            "dan parent boleh kosong pada satu baris")]
    found, _ = problems(write(tmp_path, "r.yaml",
        "agencies:\n  - {id: a, url: 'https://a.go.id/'}\n"))
    assert found == [(1, "name kosong"), (1, "role kosong")]


def test_every_pelaksana_needs_a_parent(tmp_path):
    found, message = problems(write(tmp_path, "r.csv", HEADER + UTAMA_ROW +
        "dinkes,Dinas Kesehatan,https://dinkes.contoh.go.id/,,pelaksana,\n"))
    assert found == [(3, "PPID Pelaksana memerlukan parent: id PPID Utama tempatnya melapor")]
    assert "baris 3: PPID Pelaksana memerlukan parent" in message


def test_semicolon_csv_as_excel_writes_it_in_indonesian_settings(tmp_path):
    text = ("id;name;url;email;role;parent\r\n"
            "diskominfo;\"Dinas Komunikasi, Informatika dan Persandian\";https://ppid.contoh.go.id/;"
            "ppid@contoh.go.id;utama;\r\n"
            "dinkes;Dinas Kesehatan;https://dinkes.contoh.go.id/;;pelaksana;diskominfo\r\n"
            ";;;;;\r\n")
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # Excel's "CSV UTF-8" has a BOM
    registry = load_registry(path)
    assert [a.id for a in registry] == ["diskominfo", "dinkes"]
    assert registry.get("diskominfo").name == "Dinas Komunikasi, Informatika dan Persandian"
    assert registry.get("dinkes").parent == "diskominfo"


def test_a_csv_in_a_windows_code_page_is_refused_with_the_way_out(tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_bytes((HEADER + "dinkes,Dinas Kesehatan – Kota,https://d.go.id/,,utama,\n").encode("cp1252"))
    message = problems(path)[1]
    assert "bukan teks UTF-8 (bita 0x96 pada posisi" in message and "'CSV UTF-8'" in message


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows_them(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "name", "url", "email", "role", "parent", "insecure_tls"])
    sheet.append(["diskominfo", "Diskominfo", "https://ppid.contoh.go.id/", None, "utama", None, False])
    sheet.append(["dinkes", "Dinas Kesehatan", "https://dinkes.contoh.go.id/", None, "pelaksana",
                  "diskominfo", True])
    sheet.append([None] * 7)
    sheet.append(["disdik", "Dinas Pendidikan", "ftp://disdik/", None, "pelaksana", "diskominfo"])
    path = tmp_path / "registry.xlsx"
    book.save(path)
    found, message = problems(path)
    assert found == [(5, "url 'ftp://disdik/' tidak sah: harus diawali http:// atau https://")]
    sheet.delete_rows(5)
    book.save(path)
    registry = load_registry(path)
    assert [a.id for a in registry] == ["diskominfo", "dinkes"]
    assert registry.get("dinkes").insecure_tls and not registry.get("diskominfo").insecure_tls
    assert "bukan buku kerja .xlsx" in problems(write(tmp_path, "fake.xlsx", "id,name\n"))[1]


def test_an_xlsx_zip_bomb_is_refused_unopened(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/sharedStrings.xml", "w") as part:
            block = b"\0" * 1_000_000
            for _ in range(210):
                part.write(block)
    assert path.stat().st_size < 1_000_000
    assert "buku kerja terurai menjadi 210.000.000 bita" in problems(path)[1]


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
    assert found == [(2, "render 'sometimes' bukan salah satu dari: auto, always, never")]
