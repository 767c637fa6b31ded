import pytest

from scrapers.crawling.platforms import GENERIC, detect_platform, platform_named
from scrapers.detection.extract import extract_page

WORDPRESS, JOOMLA, LARAVEL = (platform_named(n) for n in ("wordpress", "joomla", "laravel"))


def page(html, url="http://x.test/"):
    return extract_page(url, html)


def test_the_generator_tag_names_the_platform():
    p = page('<html><head><meta name="generator" content="WordPress 6.4.2"></head><body></body></html>')
    assert p.generator == "WordPress 6.4.2"
    assert detect_platform(p) is WORDPRESS
    assert detect_platform(page('<meta name="generator" content="Joomla! - Open Source">')) is JOOMLA


def test_links_betray_the_platform_without_a_generator_tag():
    p = page('<body><img src="/x.png"><a href="/wp-content/uploads/2025/01/dip.pdf">DIP</a></body>')
    assert detect_platform(p) is WORDPRESS
    assert detect_platform(page('<a href="/storage/app/public/dip.pdf">DIP</a>')) is LARAVEL
    assert detect_platform(page('<a href="/profil">Profil</a>')) is GENERIC


@pytest.mark.parametrize("url", [
    "http://x.test/feed/", "http://x.test/tag/berita/", "http://x.test/author/admin/",
    "http://x.test/?s=lkjip", "http://x.test/wp-login.php", "http://x.test/wp-json/wp/v2/posts",
    "http://x.test/2025/01/berita/?replytocom=12", "http://x.test/login",
])
def test_wordpress_skips_pages_without_ppid_information(url):
    assert WORDPRESS.skip_reason(url) == "wordpress page without PPID information"


@pytest.mark.parametrize("url", [
    "http://x.test/informasi-berkala/", "http://x.test/wp-content/uploads/2025/01/lkjip.pdf",
    "http://x.test/category/informasi-publik/", "http://x.test/page/2/",
    "http://x.test/laporan-keuangan-2025/",
])
def test_wordpress_keeps_pages_that_may_publish(url):
    assert WORDPRESS.skip_reason(url) is None


def test_generic_skips_only_login_share_and_print():
    assert GENERIC.skip_reason("http://x.test/login") is not None
    assert GENERIC.skip_reason("http://x.test/berita?share=facebook") is not None
    assert GENERIC.skip_reason("http://x.test/feed/") is None
    assert GENERIC.skip_reason("http://x.test/informasi-publik") is None


def test_unknown_platform_names_are_refused():
    assert platform_named("drupal").name == "drupal"
    with pytest.raises(ValueError, match="unknown platform 'wix'"):
        platform_named("wix")


def test_the_platform_records_are_data_in_core(tmp_path):
    from core.platforms import PlatformFileError, load_platform_data, platform_names

    assert platform_names() == ("wordpress", "joomla", "drupal", "laravel", "generic")
    assert platform_names()[-1] == GENERIC.name
    bad = tmp_path / "platforms.yaml"
    bad.write_text("platforms:\n  - {name: wix, skips: ['/(unclosed']}\n  - {name: generic}\n")
    with pytest.raises(PlatformFileError, match=r"platforms.yaml: platforms.0.skips.*bad regular"):
        load_platform_data(bad)
    bad.write_text("platforms:\n  - {name: generic}\n  - {name: wix}\n")
    with pytest.raises(PlatformFileError, match="the last platform must be 'generic'"):
        load_platform_data(bad)


def test_publication_hosts_are_checked_where_the_platforms_are(tmp_path):
    from core.platforms import PlatformFileError, load_platform_data

    path = tmp_path / "platforms.yaml"
    path.write_text("platforms:\n  - {name: generic}\npublication_hosts:\n"
                    "  - {name: drive, domains: [drive.google.com], broken_urls: ['/closed(']}\n")
    with pytest.raises(PlatformFileError, match=r"publication_hosts.0.broken_urls.*bad regular"):
        load_platform_data(path)
    path.write_text("platforms:\n  - {name: generic}\npublication_hosts:\n  - {name: jdih}\n")
    with pytest.raises(PlatformFileError, match="needs domains, host_patterns, or any_host paths"):
        load_platform_data(path)
    path.write_text("platforms:\n  - {name: generic}\npublication_hosts:\n"
                    "  - {name: lpse, host_patterns: ['^lpse\\\\.'], publishes: [pengadaan]}\n")
    assert load_platform_data(path).publication_hosts[0].publishes == ("pengadaan",)
