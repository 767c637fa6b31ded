"""The declarations file: validated like the registry, every bad row named, all or nothing."""

from __future__ import annotations

import pytest

from core.checklist import load_checklist
from core.declarations import (
    MAX_NOTE_CHARS,
    MAX_URL_CHARS,
    Declaration,
    DeclarationsError,
    load_declarations,
)
from core.registry import Agency, Registry
from scrapers.crawling.declared import declared_host_refusal

REGISTRY = Registry("registry.yaml", (
    Agency("diskominfo", "Dinas Kominfo Kota Contoh", "https://ppid.contoh.go.id/", role="utama"),
    Agency("dinkes", "Dinas Kesehatan Kota Contoh", "https://dinkes.contoh.go.id/ppid/",
           parent="diskominfo"),
))
CATEGORIES = load_checklist().ids


def load(path):
    return load_declarations(path, REGISTRY, CATEGORIES, declared_host_refusal)


def test_a_good_csv_and_yaml_give_the_same_declarations(tmp_path):
    csv = tmp_path / "klaim.csv"
    csv.write_text("agency_id;category_id;url;note\n"
                   "dinkes;lhkpn;https://dinkes.contoh.go.id/ppid/lhkpn-2025.pdf;halaman 2\n"
                   "dinkes;dip;https://drive.google.com/file/d/1AbCdEfGhIjK/view;\n"
                   ";;;\n", encoding="utf-8")
    yaml = tmp_path / "klaim.yaml"
    yaml.write_text("declarations:\n"
                    "  - {agency_id: dinkes, category_id: lhkpn,"
                    " url: 'https://dinkes.contoh.go.id/ppid/lhkpn-2025.pdf', note: halaman 2}\n"
                    "  - {agency_id: dinkes, category_id: dip,"
                    " url: 'https://drive.google.com/file/d/1AbCdEfGhIjK/view'}\n",
                    encoding="utf-8")
    expected = (
        Declaration("dinkes", "lhkpn", "https://dinkes.contoh.go.id/ppid/lhkpn-2025.pdf", "halaman 2"),
        Declaration("dinkes", "dip", "https://drive.google.com/file/d/1AbCdEfGhIjK/view", ""),
    )
    assert load(csv) == expected
    assert load(yaml) == expected


def test_a_subdomain_of_the_agency_s_domain_is_its_own_site(tmp_path):
    # ppid.contoh.go.id and dinkes.contoh.go.id share contoh.go.id, as the crawler treats a
    # start URL that moves within the registrable domain.
    path = tmp_path / "klaim.csv"
    path.write_text("agency_id,category_id,url,note\n"
                    "dinkes,lhkpn,https://arsip.contoh.go.id/lhkpn.pdf,\n", encoding="utf-8")
    assert load(path)[0].url == "https://arsip.contoh.go.id/lhkpn.pdf"


def test_every_bad_row_is_named_with_its_spreadsheet_row_and_nothing_is_taken(tmp_path):
    path = tmp_path / "klaim.csv"
    long_note = "x" * (MAX_NOTE_CHARS + 1)
    path.write_text(
        "agency_id,category_id,url,note\n"
        "dinkes,lhkpn,https://dinkes.contoh.go.id/ok.pdf,\n"          # row 2: fine
        "dinsos,lhkpn,https://dinsos.contoh.go.id/a.pdf,\n"           # 3: unknown agency
        "dinkes,bukan-kategori,https://dinkes.contoh.go.id/a.pdf,\n"  # 4: unknown category
        "dinkes,dip,ftp://dinkes.contoh.go.id/dip.pdf,\n"             # 5: not http(s)
        "dinkes,sop_ppid,https://evil.example.com/sop.pdf,\n"            # 6: another host
        "dinkes,lhkpn,https://dinkes.contoh.go.id/again.pdf,\n"       # 7: duplicate
        f"dinkes,maklumat,https://dinkes.contoh.go.id/m,{long_note}\n"  # 8: note too long
        f"dinkes,profil,https://dinkes.contoh.go.id/{'p' * MAX_URL_CHARS},\n"  # 9: url too long
        "dinkes,,https://dinkes.contoh.go.id/x,\n",                  # 10: no category
        encoding="utf-8")
    with pytest.raises(DeclarationsError) as refused:
        load(path)
    rows = {row for row, _ in refused.value.problems}
    assert rows == {3, 4, 5, 6, 7, 8, 9, 10}
    text = str(refused.value)
    assert text.startswith(f"{path}: berkas klaim ditolak (8 masalah); tidak ada yang dicatat")
    assert "baris 3: badan publik 'dinsos' tidak dikenal" in text
    assert "baris 4: kategori 'bukan-kategori' tidak dikenal" in text
    assert "baris 5: url 'ftp://dinkes.contoh.go.id/dip.pdf' tidak sah" in text
    assert "baris 6: url 'https://evil.example.com/sop.pdf' ditolak" in text
    assert "bukan situs badan publik ini" in text
    assert "baris 7: badan publik dan kategori 'dinkes', 'lhkpn' ganda (pertama di baris 2)" in text
    assert f"baris 8: note sepanjang {MAX_NOTE_CHARS + 1} karakter" in text
    assert "baris 9: url" in text and "paling panjang 500" in text
    assert "baris 10: category_id kosong" in text


def test_yaml_rows_are_named_by_position_and_line(tmp_path):
    path = tmp_path / "klaim.yaml"
    path.write_text("declarations:\n"
                    "  - agency_id: dinkes\n    category_id: lhkpn\n"
                    "    url: https://dinkes.contoh.go.id/a.pdf\n"
                    "  - agency_id: dinkes\n    category_id: lhkpn\n"
                    "    url: javascript:alert(1)\n    extra: 1\n", encoding="utf-8")
    with pytest.raises(DeclarationsError) as refused:
        load(path)
    text = str(refused.value)
    assert "klaim 2 (baris 5): kolom tak dikenal: extra" in text
    assert "klaim 2 (baris 5): url 'javascript:alert(1)' tidak sah" in text


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("klaim.txt", "x", "jenis berkas tak dikenal '.txt'"),
    ("klaim.csv", "agency,url\nx,y\n", "baris judul tidak memuat kolom: agency_id, category_id"),
    ("klaim.yaml", "declarations: [\n", "bukan YAML yang sah"),
    ("klaim.yaml", "a: &x [1]\nb: *x\n", "alias (*nama)"),
    ("klaim.yaml", "- 1\n", "tidak ada daftar 'declarations:'"),
    ("klaim.csv", b"agency_id,category_id,url\n\xff\n", "bukan teks UTF-8"),
])
def test_a_broken_file_is_refused_with_one_clear_reason(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(DeclarationsError) as refused:
        load(path)
    assert expected in str(refused.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DeclarationsError, match="berkas tidak dapat dibaca"):
        load(tmp_path / "tidak-ada.csv")


def test_an_empty_file_declares_nothing(tmp_path):
    (tmp_path / "a.yaml").write_text("declarations:\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("agency_id,category_id,url,note\n", encoding="utf-8")
    assert load(tmp_path / "a.yaml") == ()
    assert load(tmp_path / "b.csv") == ()


def test_pantau_crawl_refuses_a_bad_declarations_file_before_crawling(tmp_path):
    from typer.testing import CliRunner

    from pantau.cli import app

    registry = tmp_path / "registry.csv"
    registry.write_text("id,name,url,email,role,parent\n"
                        "utama,Diskominfo,https://ppid.contoh.go.id/,,utama,\n", encoding="utf-8")
    bad = tmp_path / "klaim.csv"
    bad.write_text("agency_id,category_id,url,note\nutama,lhkpn,http://10.0.0.1/x.pdf,\n",
                   encoding="utf-8")
    db = tmp_path / "pantau.duckdb"
    result = CliRunner().invoke(app, ["crawl", "--registry", str(registry), "--db", str(db),
                                      "--declarations", str(bad)])
    assert result.exit_code == 2
    assert "baris 2: url 'http://10.0.0.1/x.pdf' ditolak" in result.output
    assert "Traceback" not in result.output
    assert not db.exists()  # nothing crawled, nothing stored
