import pytest

from detector.synth.apertium import (
    PIVOTS,
    Apertium,
    ApertiumMissing,
    clean_output,
    install_hint,
    join_batch,
    split_batch,
)
from detector.text import paragraph_spans

from .conftest import ARTICLE


def test_batch_round_trips_through_separators():
    texts = ["One.\n\nTwo.", "A text with ||| inside.", "Three."]
    pieces = split_batch(join_batch(texts), 3)
    assert pieces == ["One.\n\nTwo.", "A text with | | | inside.", "Three."]


def test_a_lost_separator_leaves_a_gap():
    output = join_batch(["One.", "Two."]).replace("|||1|||", "lost")
    assert split_batch(output, 2)[1] is None


def test_clean_output_strips_generation_marks_and_space_runs():
    assert clean_output("He  move# away.\n\n\n\n#Next  one.") == "He move away.\n\nNext one."


def test_install_hint_names_the_packages_of_each_pivot():
    assert install_hint(list(PIVOTS)) == (
        "sudo apt-get install apertium apertium-eng-spa apertium-eng-cat "
        "apertium-en-gl apertium-eo-en"
    )


def test_missing_executable_names_the_apt_get_line(tmp_path):
    engine = Apertium(executable=str(tmp_path / "no-such-apertium"))
    with pytest.raises(ApertiumMissing, match=r"sudo apt-get install apertium apertium-eng-spa"):
        engine.check(["spa"])


@pytest.mark.apertium
def test_missing_language_pair_names_its_package(tmp_path):
    (tmp_path / "modes").mkdir()
    engine = Apertium(data_dir=str(tmp_path))
    with pytest.raises(ApertiumMissing, match=r"eng-cat/cat-eng.*apertium apertium-eng-cat$"):
        engine.check(["cat"])


def test_unknown_pivot_is_refused():
    with pytest.raises(KeyError, match="unknown pivot 'fra'"):
        Apertium().check(["fra"])


@pytest.mark.apertium
@pytest.mark.parametrize("pivot", list(PIVOTS))
def test_round_trip_changes_text_and_keeps_paragraphs(pivot):
    short = "The bank said it would cut costs.\n\nShares fell 2 percent on Monday."
    results = Apertium().round_trip([ARTICLE, short], pivot)
    assert len(results) == 2
    # A plain sentence may come back word for word (Esperanto often does);
    # the article, with its codes and names, never does.
    assert results[0] != ARTICLE
    for original, result in zip([ARTICLE, short], results, strict=True):
        assert len(paragraph_spans(result)) == len(paragraph_spans(original))
        assert "|||" not in result
