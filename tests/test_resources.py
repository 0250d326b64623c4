import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from news_texts import CLEAN_TEXTS, garble

from detector import resources as resources_module
from detector.resources import encode, gram_counts, prefetch_gram_counts
from detector.text import Document

ARTICLE = "\n\n".join((*CLEAN_TEXTS[:3], garble(CLEAN_TEXTS[3], 0), "Short one."))


@pytest.fixture(scope="module")
def resources(tiny_model):
    return tiny_model[0].resources


def _same_counts(one, other):
    assert len(one) == len(other)
    for mine, theirs in zip(one, other, strict=True):
        assert len(mine) == len(theirs)
        for a, b in zip(mine, theirs, strict=True):
            np.testing.assert_array_equal(a, b)


def test_a_part_is_encoded_and_counted_as_its_own_text(resources):
    doc = Document.of(ARTICLE)
    spans = doc.paragraphs
    for first in range(len(spans)):
        for last in range(first, len(spans)):
            start, end = spans[first][0], spans[last][1]
            part, fresh = doc.part(start, end), Document.of(ARTICLE[start:end])
            for mine, theirs in zip(encode(part, resources), encode(fresh, resources), strict=True):
                assert list(mine) == list(theirs)
            _same_counts(gram_counts(part, resources), gram_counts(fresh, resources))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([*CLEAN_TEXTS, "", "A b.", "x", "3402.T ."]), max_size=6))
def test_prefetched_counts_equal_counts_one_by_one(resources, texts):
    together = [Document.of(text) for text in texts]
    prefetch_gram_counts(together, resources)
    for doc, text in zip(together, texts, strict=True):
        _same_counts(gram_counts(doc, resources), gram_counts(Document.of(text), resources))


def test_token_memo_stays_bounded(resources, monkeypatch):
    monkeypatch.setattr(resources_module, "MAX_MEMO_TOKENS", 5)
    resources.token_memo.clear()
    for text in CLEAN_TEXTS[:3]:
        encode(Document.of(text), resources)
        assert len(resources.token_memo) <= 5 + len(Document.of(text).tokens)
    fresh = encode(Document.of(CLEAN_TEXTS[0]), resources)
    resources.token_memo.clear()
    again = encode(Document.of(CLEAN_TEXTS[0]), resources)
    assert [list(a) for a in fresh] == [list(b) for b in again]


def test_proper_words_survive_the_round_trip_through_arrays(resources):
    from detector.resources import Resources

    copy = Resources.from_arrays(resources.to_arrays())
    assert copy.proper_words == resources.proper_words


def test_word_frequencies_are_built_as_the_model_file_keeps_them(resources):
    from detector.resources import Resources

    # a model trained right after the build must see the values it is scored with
    assert resources.english_zipf
    copy = Resources.from_arrays(resources.to_arrays())
    assert copy.english_zipf == resources.english_zipf


def test_resources_without_proper_words_still_load(resources):
    from detector.resources import Resources

    arrays = resources.to_arrays()
    del arrays["proper_words"]
    assert Resources.from_arrays(arrays).proper_words == frozenset()


def test_learnt_names_and_wording_model_survive_the_round_trip(resources):
    import dataclasses

    import numpy as np

    from detector.resources import Resources

    learnt = dataclasses.replace(
        resources,
        it_names=frozenset({"toray", "samsung"}),
        name_pairs=frozenset({"world war", "wall street"}),
        wording_weights=np.linspace(-1.0, 1.0, 16),
        wording_bias=-0.25,
    )
    copy = Resources.from_arrays(learnt.to_arrays())
    assert copy.it_names == learnt.it_names
    assert copy.name_pairs == learnt.name_pairs
    assert copy.wording_bias == -0.25
    assert np.allclose(copy.wording_weights, learnt.wording_weights, atol=1e-6)


def test_resources_older_than_the_learnt_names_still_load(resources):
    from detector.resources import Resources

    arrays = resources.to_arrays()
    for key in ("it_names", "name_pairs", "wording_weights", "wording_bias"):
        arrays.pop(key, None)
    old = Resources.from_arrays(arrays)
    assert old.it_names == frozenset() and old.name_pairs == frozenset()
    assert old.wording_weights is None


def test_page_model_survives_the_round_trip_and_scores_the_same(resources):
    import dataclasses

    from detector.features import translationese
    from detector.mt_head import MachineTranslationHead
    from detector.resources import Resources

    page = MachineTranslationHead(
        feature_names=(), mean=np.zeros(0), scale=np.zeros(0), coef=np.zeros(0),
        intercept=-0.5, calibration=(1.0, 0.0), threshold=0.5,
        ngrams=("the", "<w> ,", ", but"), ngram_idf=np.array([1.0, 2.0, 3.0]),
        ngram_coef=np.array([0.5, -1.0, 2.0]), lexicon=("lot", "there"),
        lexical_ngrams=("a lot", "there is"), lexical_idf=np.ones(2),
        lexical_coef=np.array([1.5, 0.5]),
    )  # fmt: skip
    with_page = dataclasses.replace(resources, page_model=page)
    arrays = with_page.to_arrays()
    assert not any(key.startswith("mt_head.") for key in arrays)
    copy = Resources.from_arrays(arrays)
    assert copy.page_model is not None and copy.page_model.lexicon == ("lot", "there")
    docs = [Document.of(text) for text in (ARTICLE, "There is a lot of rain, but it stops.")]
    scores = translationese.transform(docs, copy)[:, 3]
    assert scores.tolist() == pytest.approx(
        (page.decision(np.zeros((2, 0)), *page.sequences(docs)) / 4.0).tolist()
    )
    assert scores[1] > scores[0]
    assert Resources.from_arrays(resources.to_arrays()).page_model is None
