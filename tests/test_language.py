"""The language check, and the compact identifier against py3langid's own.

:class:`detector._langid.LeanIdentifier` must give exactly what
``py3langid.langid.LanguageIdentifier(..., norm_probs=True)`` gives: the same
language and the same probability, on prose in many scripts and on text that
is no language at all. All texts are written for this project.
"""

from __future__ import annotations

import importlib.util
import io
import lzma

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import detector._langid as langid
from detector.language import _identifier, detect_language, identify
from tests.hostile.strategies import PROPERTY_SETTINGS, hostile_text

# every test but the refused layout reads py3langid's model or compares with it
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("py3langid") is None,
    reason="needs py3langid (a runtime dependency) installed",
)

#: One sentence in each language, and its code, with the texts that are no
#: language (code None): what py3langid answers for those is whatever it is.
TEXTS: dict[str, tuple[str, str | None]] = {
    "german": (
        "Der Stadtrat hat gestern Abend beschlossen, die alte Brücke über den Fluss im "
        "nächsten Frühjahr abzureißen und durch einen Neubau zu ersetzen.",
        "de",
    ),
    "french": (
        "Le conseil municipal a décidé hier soir de démolir le vieux pont sur la rivière "
        "au printemps prochain et de le remplacer par un nouvel ouvrage.",
        "fr",
    ),
    "spanish": (
        "El ayuntamiento decidió anoche derribar el viejo puente sobre el río la próxima "
        "primavera y sustituirlo por una nueva construcción.",
        "es",
    ),
    "italian": (
        "Il consiglio comunale ha deciso ieri sera di demolire il vecchio ponte sul fiume "
        "la prossima primavera e di sostituirlo con una nuova struttura.",
        "it",
    ),
    "dutch": (
        "De gemeenteraad heeft gisteravond besloten de oude brug over de rivier volgend "
        "voorjaar af te breken en te vervangen door een nieuwe.",
        "nl",
    ),
    "portuguese": (
        "A câmara municipal decidiu ontem à noite demolir a velha ponte sobre o rio na "
        "próxima primavera e substituí-la por uma nova estrutura.",
        "pt",
    ),
    "russian": (
        "Городской совет вчера вечером решил весной снести старый мост через реку и "
        "построить на его месте новый.",
        "ru",
    ),
    "chinese": ("市议会昨晚决定明年春天拆除河上的旧桥，并用一座新桥取而代之。", "zh"),
    "japanese": (
        "市議会は昨夜、川に架かる古い橋を来年の春に取り壊し、新しい橋に架け替えることを決めた。",
        "ja",
    ),
    "arabic": (
        "قرر مجلس المدينة مساء أمس هدم الجسر القديم فوق النهر "
        "في الربيع المقبل واستبداله بجسر جديد.",
        "ar",
    ),
    "greek": (
        "Το δημοτικό συμβούλιο αποφάσισε χθες το βράδυ να κατεδαφίσει την παλιά γέφυρα "
        "πάνω από το ποτάμι την επόμενη άνοιξη.",
        "el",
    ),
    "english": (
        "The city council decided last night to pull down the old bridge over the river "
        "next spring and replace it with a new one.",
        "en",
    ),
    # all capitals: py3langid lower-cases such a text first
    "english_capitals": (
        "THE CITY COUNCIL DECIDED LAST NIGHT TO PULL DOWN THE OLD BRIDGE OVER THE RIVER.",
        "en",
    ),
    "figures": (
        "2023  1,204.5  3.2%  -0.7\n2024  1,388.0  4.1%  +0.9\nQ1  312.4  0.8%  12.03\n"
        "Q2  355.9  1.1%  -3.40\nQ3  298.7  -0.2%  7.15\nQ4  401.2  2.6%  -11.08",
        None,
    ),
    "empty": ("", None),
    "emoji": ("🎉🎉 👍🏽 🚀✨ 😂😂😂 👨\u200d👩\u200d👧", None),
    "garbage": ("\x00\x1b[31m\ufffd\ufffd ÿþ\x7f Ã©Ã¨ \u202e\u200b ~~##@@ \x85\x9f", None),
    "lone_surrogate": ("\ud83d half an emoji \udc80", None),
    "long_german": (
        "Der Stadtrat hat gestern Abend beschlossen, die alte Brücke abzureißen. " * 60,
        "de",
    ),
}


@pytest.fixture(scope="module")
def lean() -> langid.LeanIdentifier:
    identifier = _identifier()
    assert isinstance(identifier, langid.LeanIdentifier), "fell back to py3langid's loader"
    return identifier


@pytest.fixture(scope="module")
def reference():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _assert_same_answer(lean, reference, text: str) -> None:
    language, probability = lean.classify(text)
    expected_language, expected_probability = reference.classify(text)
    assert language == expected_language
    assert probability == pytest.approx(expected_probability, abs=1e-6)
    assert 0.0 <= probability <= 1.0


@pytest.mark.parametrize("name", TEXTS)
def test_lean_identifier_answers_as_py3langid(lean, reference, name) -> None:
    text, language = TEXTS[name]
    _assert_same_answer(lean, reference, text)
    if language is not None:
        assert reference.classify(text)[0] == language  # the text is what it claims


@pytest.mark.parametrize("name", ["german", "japanese", "figures", "empty", "garbage"])
def test_lean_identifier_gives_the_whole_distribution(lean, reference, name) -> None:
    text = TEXTS[name][0]
    expected = dict(reference.rank(text))
    found: dict[str, float] = {}
    for label, probability in zip(lean.classes, lean.probabilities(text).tolist(), strict=True):
        # an alias (a label given to two columns) holds its sum in the first column
        found.setdefault(label, probability)
    assert found.keys() == expected.keys()
    for label, probability in expected.items():
        assert found[label] == pytest.approx(probability, abs=1e-6), label


@PROPERTY_SETTINGS
@given(
    st.one_of(
        hostile_text,
        # bytes decoded the way a careless reader does: lone surrogates included
        st.binary(max_size=300).map(lambda data: data.decode("utf-8", "surrogateescape")),
    )
)
def test_lean_identifier_never_raises_and_agrees(lean, reference, text) -> None:
    _assert_same_answer(lean, reference, text)


@pytest.mark.parametrize("name", ["german", "chinese", "garbage", "empty"])
def test_the_byte_by_byte_walk_gives_the_same_states(lean, name, monkeypatch) -> None:
    data = TEXTS[name][0].encode("utf8", errors="surrogatepass")
    np.testing.assert_array_equal(lean._walk(data), lean._states(data))
    # a window too short for the automaton falls back to the walk, still exact
    monkeypatch.setattr(langid, "WINDOW", 1)
    np.testing.assert_array_equal(lean._walk(data), lean._states(data))


def test_the_model_is_held_compactly(lean) -> None:
    # py3langid 0.4 holds about 73 MB; the arrays here hold 28.8 MB
    assert lean.nbytes < 30_000_000


def test_a_model_of_another_layout_is_refused(tmp_path) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, ptc=np.zeros((2, 2), dtype=np.float16), pc=np.zeros(2, dtype=np.float32))
    path = tmp_path / "model.npz.xz"
    path.write_bytes(lzma.compress(buffer.getvalue()))
    with pytest.raises(ValueError, match=r"not a py3langid 0\.4 model"):
        langid.LeanIdentifier.from_model_file(path)


def test_another_layout_falls_back_to_py3langid_with_a_warning(monkeypatch) -> None:
    def refuse(path):
        raise ValueError(f"{path}: not a py3langid 0.4 model")

    monkeypatch.setattr(langid.LeanIdentifier, "from_model_file", refuse)
    monkeypatch.setenv("DETECTOR_ARRAY_CACHE", "0")  # else the cached arrays are mapped
    with pytest.warns(RuntimeWarning, match="py3langid's own loader"):
        identifier = _identifier.__wrapped__()
    assert identifier.classify(TEXTS["german"][0])[0] == "de"


def _probabilities(identifier) -> list[np.ndarray]:
    return [identifier.probabilities(text) for text, _ in TEXTS.values()]


def test_the_identifier_is_kept_in_the_array_cache_and_mapped(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DETECTOR_ARRAY_CACHE", "0")
    built = _identifier.__wrapped__()
    monkeypatch.setenv("DETECTOR_ARRAY_CACHE", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = _identifier.__wrapped__()  # builds, stores, maps
    (folder,) = (tmp_path / "detector" / "arrays").glob("langid-*")
    assert (folder / "complete").exists()
    again = _identifier.__wrapped__()  # maps what the first stored
    for identifier in (first, again):
        assert isinstance(identifier.nextmove, np.memmap)
        assert not identifier.nextmove.flags.writeable
        assert identifier.classes == built.classes
        for mapped, expected in zip(_probabilities(identifier), _probabilities(built), strict=True):
            np.testing.assert_array_equal(mapped, expected)


@pytest.mark.parametrize("damage", ["truncated", "wrong_size", "missing"])
def test_a_damaged_cached_identifier_is_built_again(tmp_path, monkeypatch, damage) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _identifier.__wrapped__()
    (folder,) = (tmp_path / "detector" / "arrays").glob("langid-*")
    if damage == "truncated":
        data = (folder / "nextmove.npy").read_bytes()
        (folder / "nextmove.npy").write_bytes(data[: len(data) // 2])
    elif damage == "wrong_size":
        np.save(folder / "values.npy", np.zeros(3, dtype=np.float32))
    else:
        (folder / "offsets.npy").unlink()
    identifier = _identifier.__wrapped__()
    assert isinstance(identifier, langid.LeanIdentifier)
    assert identifier.classify(TEXTS["german"][0])[0] == "de"
    assert identifier.classify(TEXTS["japanese"][0])[0] == "ja"


@pytest.mark.parametrize(
    ("name", "english", "language"),
    [
        ("english", True, "en"),
        ("german", False, "de"),
        ("russian", False, "ru"),
        ("japanese", False, "ja"),
        ("empty", True, None),
    ],
)
def test_detect_language(name, english, language) -> None:
    # twice over: one sentence may have too few words to judge
    guess = detect_language(" ".join([TEXTS[name][0]] * 2))
    assert (guess.english, guess.language) == (english, language)


def test_identify_reads_a_sample_of_a_long_text() -> None:
    text = TEXTS["long_german"][0] * 5
    assert len(text) > 10_000
    language, probability = identify(text)
    assert language == "de" and 0.5 < probability <= 1.0
