"""Off-site publication hosts: recognising their links and judging their answers."""

import pytest

from scrapers.detection.hosts import HostRule, host_rule_for, judge_host_answer

DRIVE = HostRule("google-drive", domains=("drive.google.com", "drive.usercontent.google.com"),
                 paths=(r"^/file/d/[\w-]{8,}", r"^/uc$", r"^/drive/folders/"), any_host=True,
                 broken_phrases=("Sorry, the file you have requested does not exist",
                                 "Maaf, file yang Anda minta tidak ada"))
FORMS = HostRule("google-forms", domains=("docs.google.com", "forms.gle"), paths=(r"^/forms/", r"^/\w+$"),
                 any_host=False, publishes=("formulir_permohonan",),
                 broken_phrases=("no longer accepting responses", "tidak lagi menerima tanggapan"),
                 broken_urls=(r"/closedform",))
LPSE = HostRule("lpse", host_patterns=(r"^lpse\.", r"^spse\."), publishes=("pengadaan",))
RULES = (DRIVE, FORMS, LPSE)


@pytest.mark.parametrize(
    "url, name",
    [
        ("https://drive.google.com/file/d/1AbCdEfGhIj/view?usp=sharing", "google-drive"),
        ("http://127.0.0.1:8123/file/d/1AbCdEfGhIj/view", "google-drive"),  # a stand-in: by its shape
        ("https://docs.google.com/forms/d/e/1FAIpQL/viewform", "google-forms"),
        ("https://forms.gle/AbC123", "google-forms"),
        ("https://lpse.malangkab.go.id/eproc4", "lpse"),
        ("https://docs.google.com/document/d/1AbC/edit", None),
        ("https://www.google.com/search?q=lpse", None),
    ],
)
def test_host_rule_for(url, name):
    rule = host_rule_for(url, RULES)
    assert (rule.name if rule else None) == name


@pytest.mark.parametrize(
    "rule, status, final, text, expected",
    [
        (DRIVE, 200, "https://drive.google.com/file/d/1AbCdEfGhIj/view", "<title>laporan.pdf</title>", (True, "")),
        (DRIVE, 404, "", "", (False, "google-drive: deleted or never there (http 404)")),
        (DRIVE, 200, "", "Sorry, the file you have requested does not exist.",
         (False, "google-drive: says 'Sorry, the file you have requested does not exist'")),
        (DRIVE, 200, "https://accounts.google.com/ServiceLogin?continue=x", "Sign in",
         (False, "google-drive: not public: leads to a log-in page (/ServiceLogin)")),
        (FORMS, 200, "https://docs.google.com/forms/d/e/1FAI/closedform", "",
         (False, "google-forms: closed (/forms/d/e/1FAI/closedform)")),
        (FORMS, 200, "", "Formulir ini tidak lagi menerima tanggapan",
         (False, "google-forms: says 'tidak lagi menerima tanggapan'")),
        (LPSE, 503, "", "", (False, "lpse: http 503")),
        (LPSE, None, "", "", (False, "no answer")),
    ],
)
def test_judge_host_answer(rule, status, final, text, expected):
    assert judge_host_answer(rule, "https://x.test/a", status, final, text) == expected


def test_the_bundled_table_knows_the_hosts_agencies_publish_on():
    from scrapers.detection.hosts import bundled_host_rules

    rules = bundled_host_rules()
    expected = {
        "https://drive.google.com/file/d/1AbCdEfGhIjK/view?usp=sharing": "google-drive",
        "https://docs.google.com/forms/d/e/1FAIpQLSx/viewform": "google-forms",
        "https://forms.gle/AbC123xyz": "google-forms-link",
        "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjK/edit": "google-sheets",
        "https://sirup.lkpp.go.id/sirup/ro/rekap/klpd/D123": "sirup",
        "https://lpse.malangkab.go.id/eproc4": "lpse",
        "https://jdih.malangkab.go.id/produk-hukum": "jdih",
        "https://elhkpn.kpk.go.id/portal/user/check_pengumuman": "elhkpn",
        "https://www.lapor.go.id/": "lapor",
        "https://ppid.malangkab.go.id/dip": None,
    }
    assert {url: getattr(host_rule_for(url, rules), "name", None) for url in expected} == expected
    publishes = {rule.name: rule.publishes for rule in rules}
    assert publishes["sirup"] == ("pengadaan",) and publishes["jdih"] == ("regulasi",)
    assert publishes["elhkpn"] == ("lhkpn",)
