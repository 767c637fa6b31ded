import pytest

from core.words import WORDS_FILE, WordsFileError, detection_words, load_words
from scrapers.detection import detect, extract, match


def test_detection_reads_its_words_from_the_data_file():
    words = detection_words()
    assert "unduh" in words.generic_anchor_words and "unduh" in words.download_words
    assert words.spelling_variants["ijin"] == "izin"
    assert extract.PLACEHOLDER_PHRASES == words.placeholder_phrases
    assert match.CONNECTIVES == frozenset(words.connectives)
    assert detect.SHARE_HOSTS == frozenset(words.share_hosts)
    assert detect.is_generic_anchor("Unduh Dokumen (1.2 MB)")


@pytest.mark.parametrize("change, message", [
    (("download_words: [unduh, download, unduhan, downloads]", "download_words: [Unduh]"),
     "download_words: Value error, 'Unduh' is not lower case"),
    (("connectives: [dan, yang, serta, atau]", "connectives: [dan, dan]"),
     "connectives: Value error, repeated: dan"),
    (("connectives: [dan, yang, serta, atau]", "connectives: [dan]\nsynonyms: [x]"),
     "synonyms: Extra inputs are not permitted"),
    (("connectives: [dan, yang, serta, atau]", ""), "connectives: Field required"),
])
def test_a_bad_words_file_names_the_file_and_the_list(tmp_path, change, message):
    text = WORDS_FILE.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "words.yaml"
    path.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(WordsFileError) as info:
        load_words(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_detection_modules_read_their_other_lists_from_the_data_file():
    from scrapers.detection import firstpage, inline_data, ownership

    words = detection_words()
    assert detect.DEFINITION_VERBS == frozenset(words.definition_verbs)
    assert extract.DETAIL_TITLE_KEYS == frozenset(words.detail_title_keys)
    assert "tahun" in extract.COLUMN_NAMES
    assert ownership.REGION_WORDS["pemkab"] == "kabupaten"
    assert ownership.HEAD_SPELLINGS["rsud"] == ("rsud", "rumah sakit")
    assert "scan" in firstpage.NOTHING_WORDS
    assert inline_data.URL_KEYS[0] == "file_url" and inline_data.YEAR_KEYS == words.json_year_keys


def test_a_named_head_must_be_an_agency_head(tmp_path):
    text = WORDS_FILE.read_text(encoding="utf-8")
    old = "named_agency_heads: [rsud, inspektorat, satpol]"
    assert old in text
    path = tmp_path / "words.yaml"
    path.write_text(text.replace(old, "named_agency_heads: [rsud, puskesmas]"), encoding="utf-8")
    with pytest.raises(WordsFileError) as info:
        load_words(path)
    assert "heads not in agency_heads: puskesmas" in str(info.value)
