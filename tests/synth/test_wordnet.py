import pytest

from detector.synth.wordnet import (
    LEXNAMES,
    WordNetMissing,
    default_cache_dir,
    ensure_wordnet_data,
    lexnames_text,
)

from .conftest import wordnet_installed


def test_lexnames_file_has_the_45_numbered_names():
    lines = lexnames_text().splitlines()
    assert len(lines) == len(LEXNAMES) == 45
    assert lines[3] == "03\tnoun.Tops\t1"
    assert lines[-1] == "44\tadj.ppl\t3"


def test_default_cache_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "detector" / "nltk_data"


def test_missing_wordnet_gives_the_apt_get_line(tmp_path):
    with pytest.raises(WordNetMissing, match="apt-get install wordnet-base wordnet-sense-index"):
        ensure_wordnet_data(tmp_path / "cache", source=tmp_path / "nowhere")
    assert not (tmp_path / "cache").exists()


@pytest.mark.skipif(not wordnet_installed(), reason="needs Debian's wordnet-base")
def test_data_folder_is_copied_not_linked(tmp_path):
    root = ensure_wordnet_data(tmp_path)
    folder = root / "corpora" / "wordnet"
    assert (folder / "lexnames").read_text() == lexnames_text()
    assert (folder / "data.noun").is_file() and not (folder / "data.noun").is_symlink()
    # A second call finds the copy up to date and leaves it alone.
    stamp = (folder / "detector-source.txt").stat().st_mtime_ns
    ensure_wordnet_data(tmp_path)
    assert (folder / "detector-source.txt").stat().st_mtime_ns == stamp


def test_reader_answers_synonym_queries(wordnet):
    assert "twelvemonth" in wordnet.synsets("year")[0].lemma_names()
    assert wordnet.morphy("rose", "v") == "rise"
