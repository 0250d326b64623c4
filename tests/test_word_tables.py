"""Word tables answer from their sorted index exactly as the dicts they stand for."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from news_texts import CLEAN_TEXTS

from detector import word_tables
from detector.model import default_model_path
from detector.resources import FIRST_WORD_ID, Resources, word_table_indexes
from detector.text import Document
from detector.word_tables import WordTable, index_arrays, sorted_index

# Words a lookup may meet that a table may not hold, or hold only in part:
# longer than any stored word, a stored word with a NUL after it, odd scripts.
ODD_WORDS = [
    "",
    "the\x00",
    "the\udcff",
    "x" * 200,
    "naïve",
    "größer",
    "東京",
    "don’t",
    "'s",
    "-",
    "\n",
]


@pytest.fixture(scope="module")
def shipped_arrays():
    with np.load(default_model_path(), allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="module")
def indexed_and_plain(shipped_arrays):
    indexed = Resources.from_arrays({**shipped_arrays, **word_table_indexes(shipped_arrays)})
    return indexed, Resources.from_arrays(shipped_arrays)


def _tables(resources):
    return {
        "vocabulary": resources.vocabulary,
        "english_zipf": resources.english_zipf,
        "foreign_words": resources.foreign_words,
        "collocations": resources.collocations.vocabulary,
    }


def test_the_shipped_tables_answer_as_their_dicts(indexed_and_plain):
    indexed, plain = indexed_and_plain
    for name, table in _tables(indexed).items():
        assert isinstance(table, WordTable) and table.indexed, name
        expected = _tables(plain)[name].as_dict()
        words = [*list(expected)[:: max(1, len(expected) // 300)], *ODD_WORDS]
        words += [word.upper() for word in words[:200]]
        for word in words:
            found = table.get(word)
            assert found == expected.get(word) and type(found) is type(expected.get(word)), word
            assert (word in table) == (word in expected), word
        assert len(table) == len(expected), name
        assert table.indexed, f"{name} built its dict to answer lookups"


def test_words_of_ids_come_from_the_index_as_from_the_dict(indexed_and_plain):
    indexed, plain = indexed_and_plain
    ids = [0, 1, FIRST_WORD_ID, FIRST_WORD_ID + 17, len(plain.vocabulary) + 4, 10**6]
    assert [indexed.word_of(i) for i in ids] == [plain.word_of(i) for i in ids]
    pairs, plain_pairs = indexed.collocations, plain.collocations
    assert [pairs.word(i) for i in (0, 1, 2, 500, 65535)] == [
        plain_pairs.word(i) for i in (0, 1, 2, 500, 65535)
    ]
    assert indexed.vocabulary.indexed and pairs.vocabulary.indexed


def test_features_and_evidence_with_the_index_are_those_of_the_dicts(indexed_and_plain):
    from detector.features import extract_batch

    texts = [*CLEAN_TEXTS[:4], "Materialdetecnologia empresa rose 3% at Toyota lifts profit."]
    indexed, plain = indexed_and_plain
    every = [True] * len(texts)
    matrix, evidence = extract_batch([Document.of(text) for text in texts], indexed, every)
    expected, expected_evidence = extract_batch([Document.of(text) for text in texts], plain, every)
    np.testing.assert_array_equal(matrix, expected)
    assert evidence == expected_evidence


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            st.characters(blacklist_characters="\n\x00", blacklist_categories=("Cs",)), max_size=12
        ),
        max_size=30,
    ),
    st.lists(st.text(max_size=14), max_size=10),
)
def test_a_table_answers_as_the_dict_of_its_words(words, others):
    """Words stored twice keep their last value, as in a dict built from the table."""
    packed = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
    values = np.arange(len(words)) * 3
    expected = dict(zip(words, values.tolist(), strict=True))
    if words == [""]:  # one empty word packs as no words at all
        expected = {}
        values = values[:0]
    arrays = {"packed": packed, **index_arrays("packed", packed, values)}
    table = WordTable.of(arrays, "packed", lambda arrays: expected)
    for word in [*words, *others]:
        assert table.get(word, -1) == expected.get(word, -1)
    assert len(table) == len(expected)


def test_a_table_remembers_a_bounded_number_of_answers_and_never_builds_its_dict(monkeypatch):
    monkeypatch.setattr(word_tables, "MEMO_WORDS", 2)
    packed = np.frombuffer(b"rose\nfell\nclimbed\nsank", dtype=np.uint8)
    keys, values = sorted_index(packed, np.arange(4))
    built = []

    def build(arrays):
        built.append(True)
        return {"rose": 0, "fell": 1, "climbed": 2, "sank": 3}

    table = WordTable({}, build, keys, values)
    for _ in range(3):  # the same answers however often the memory starts again
        assert [table.get("rose"), table["sank"], table.get("soared", -1)] == [0, 3, -1]
        assert table.get("fell") == 1 and "climbed" in table and "Rose" not in table
        assert len(table._memo) <= 2
    assert not built and table.indexed
    assert sorted(table) == ["climbed", "fell", "rose", "sank"] and built  # iterating builds it


def test_a_shipped_table_pickles_with_its_index(indexed_and_plain):
    vocabulary = indexed_and_plain[0].vocabulary
    copy = pickle.loads(pickle.dumps(vocabulary))
    assert copy.indexed and copy.get("rose") == vocabulary.get("rose") is not None
