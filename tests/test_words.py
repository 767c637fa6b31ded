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
