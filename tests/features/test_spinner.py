import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.collocations import Collocations, normalise
from detector.features import spinner
from detector.features.spinner import FEATURE_NAMES, evidence, extract, transform
from detector.known_names import KnownNames
from detector.resources import Resources
from detector.swaps import SwapTable
from detector.text import Document

# Everyday sentences written for these tests.
CORPUS = [
    "The naughty dog ran to the park, and she told reporters about it.",
    "A canine is a dog. She advised caution and the review was fair.",
    "The game ended late, and the sport of kings is old.",
    "Microsoft shared its vision for the game with fans.",
    "The imaginative child drew a picture. The prescient analyst was right.",
] * 20

SWAPS = [
    ("dog", "canine"),
    ("told", "advised"),
    ("game", "sport"),
    ("vision", "imaginative and prescient"),
]


@pytest.fixture(scope="module")
def resources() -> Resources:
    built = Resources.empty()
    built.collocations = Collocations.build(CORPUS)
    built.swap_table = SwapTable.from_pairs(SWAPS)
    return built


def snippets(text: str, resources: Resources) -> list[str]:
    return [item.snippet for item in evidence(Document.of(text), resources)]


def test_a_swap_counts_where_the_original_fits_the_neighbour(resources):
    assert snippets("The naughty canine ran to the park.", resources) == ["canine"]
    assert snippets("She advised reporters about it.", resources) == ["advised"]


def test_the_spun_word_in_its_own_usual_company_does_not_count(resources):
    assert snippets("A canine is a dog.", resources) == []
    assert snippets("She advised caution.", resources) == []
    assert snippets("The sport of kings is old.", resources) == []


def test_a_spun_phrase_english_never_says_counts_anywhere(resources):
    text = "Microsoft shared its imaginative and prescient plans."
    assert snippets(text, resources) == ["imaginative and prescient"]


def test_a_cluster_needs_three_distinct_swaps_close_together(resources):
    three = (
        "The naughty canine ran. She advised reporters about it. "
        "Microsoft shared its imaginative and prescient plans."
    )
    two = "The naughty canine ran. She advised reporters about it. The naughty canine slept."
    cluster = FEATURE_NAMES.index("spinner.swap_cluster")
    assert transform([Document.of(three)], resources)[0, cluster] == 3.0
    # the same swap twice is one swap
    assert transform([Document.of(two)], resources)[0, cluster] == 0.0
    # three swaps spread through a long text are a writer's choices
    padding = " ".join(["The park was quiet that day."] * 120)
    spread = transform([Document.of(f"{three} {padding}")], resources)[0, cluster]
    assert spread == 0.0


def test_two_swaps_make_a_cluster_when_one_is_sure(resources):
    cluster = FEATURE_NAMES.index("spinner.swap_cluster")
    plain = "The naughty canine ran. She advised reporters about it."
    unheard = "She advised reporters. Microsoft shared its imaginative and prescient plans."
    in_name = "She advised reporters. Fans of the Naughty Canine studio cheered."
    rows = transform([Document.of(text) for text in (plain, unheard, in_name)], resources)
    assert rows[:, cluster].tolist() == [0.0, 2.0, 2.0]


def test_a_pair_is_two_distinct_swaps_close_together(resources):
    two = "The naughty canine ran. She advised reporters about it."
    repeated = "The naughty canine ran. The naughty canine slept. The park was quiet."
    pair = FEATURE_NAMES.index("spinner.swap_pair")
    rows = transform([Document.of(text) for text in (two, repeated)], resources)
    assert rows[:, pair].tolist() == [2.0, 0.0]
    padding = " ".join(["The park was quiet that day."] * 80)
    assert transform([Document.of(f"{two} {padding}")], resources)[0, pair] == 0.0


def test_a_phrase_at_home_beside_a_content_word_is_no_swap(monkeypatch):
    # "the last" is usual and "the final" unseen, but "final fantasy" is at home
    corpus = ["It was the last day of term."] * 20 + ["Final Fantasy is a game."] * 60
    built = Resources.empty()
    built.collocations = Collocations.build(corpus)
    built.swap_table = SwapTable.from_pairs([("last", "final")])
    # a corpus this small has no function words to speak of
    monkeypatch.setattr(spinner, "COMMONEST_WORDS", 0)
    assert snippets("We love the final fantasy games.", built) == []
    assert snippets("It was the final day of term.", built) == ["final"]
    # beside one of the commonest words, being at home tells nothing
    monkeypatch.setattr(spinner, "COMMONEST_WORDS", 10_000)
    assert snippets("We love the final fantasy games.", built) == ["final"]
    # inside a name only the name's own words tell: "the" stands outside it
    assert snippets("We love the Final Fantasy games.", built) == []


def test_swaps_inside_names_are_counted_apart(resources):
    doc = Document.of("Fans of the Naughty Canine studio cheered. The naughty canine slept.")
    items = evidence(doc, resources)
    assert [(item.snippet, item.name) for item in items] == [
        ("Canine", "spinner.name_swap"),
        ("canine", "spinner.known_swap"),
    ]
    row = transform([doc], resources)[0]
    rate = row[FEATURE_NAMES.index("spinner.known_swap_rate")]
    assert row[FEATURE_NAMES.index("spinner.name_swap_rate")] == pytest.approx(rate / 2)
    assert row[FEATURE_NAMES.index("spinner.sentence_share")] == 1.0
    assert "stands for 'dog'" in items[0].note


def test_inside_a_name_only_the_names_own_words_are_neighbours(resources):
    # "dog ran" is usual and "canine ran" unseen, but "ran" stands outside the name
    assert snippets("The Big Canine ran to the park.", resources) == []
    assert snippets("The big canine ran to the park.", resources) == ["canine"]
    # beside a word of the name, a swap inside it still counts
    assert snippets("Fans of the Naughty Canine studio cheered.", resources) == ["Canine"]


def test_an_entry_learnt_without_an_original_counts_in_running_text_only(resources):
    learnt = Resources(**{**vars(resources)})
    learnt.swap_table = SwapTable.from_pairs(SWAPS[1:], unpaired=[("dog", "canine")])
    assert snippets("The naughty canine ran to the park.", learnt) == ["canine"]
    # a thesaurus word inside a name is often the name's own
    assert snippets("Fans of the Naughty Canine studio cheered.", learnt) == []
    assert snippets("Fans of the Naughty Canine studio cheered.", resources) == ["Canine"]


# Names written for these tests, each seen often enough to be known.
NAME_TEXTS = [
    "We watched Game of Thrones again.",
    "Old Street Fighter II fans and Modern War fans love Modern Warfare II too.",
]


@pytest.fixture(scope="module")
def with_names(resources) -> Resources:
    built = Resources(**{**vars(resources)})
    built.known_names = KnownNames.build(NAME_TEXTS * spinner.KNOWN_NAME_COUNT)
    built.swap_table = SwapTable.from_pairs([*SWAPS, ("street", "road"), ("war", "warfare")])
    return built


def test_a_name_one_swap_from_a_known_name_is_a_swap_inside_a_name(with_names):
    text = "Critics loved Sport of Thrones. Many played Road Fighter II as kids."
    items = evidence(Document.of(text), with_names)
    assert [(item.snippet, item.name) for item in items] == [
        ("Sport", "spinner.name_swap"),
        ("Road", "spinner.name_swap"),
    ]
    assert "(the name is 'Game of Thrones')" in items[0].note
    assert "(the name is 'Street Fighter II')" in items[1].note
    # two swaps inside names in a short text: a sure pair
    row = transform([Document.of(text)], with_names)[0]
    assert row[FEATURE_NAMES.index("spinner.swap_cluster")] == 2.0


def test_a_name_is_put_back_through_aligned_entries_only(with_names):
    learnt = Resources(**{**vars(with_names)})
    learnt.swap_table = SwapTable.from_pairs(SWAPS, unpaired=[("street", "road")])
    text = "Many played Road Fighter II as kids."
    assert snippets(text, learnt) == []
    assert snippets(text, with_names) == ["Road"]


def test_names_the_corpus_knows_and_unknown_names_are_left_alone(with_names):
    # the spun word is the writer's own where the corpus knows a span around it
    assert snippets("Fans of Modern Warfare II queued.", with_names) == []
    assert snippets("They met at Modern Warfare fan events.", with_names) == []
    # put back, the name must be one the corpus knows
    assert snippets("They watched Sport of Kings yesterday.", with_names) == []
    # a headline's capitals: one content word is no name
    assert snippets("Read Sport That Matters today.", with_names) == []
    # lower case is not a name; a sentence's first word is capitalised anyway
    assert snippets("a sport of thrones", with_names) == []
    assert snippets("Sport Thrones", with_names) == []
    # without the counts, the family works as before
    assert (
        snippets(
            "Critics loved Sport of Thrones.",
            Resources(**{**vars(with_names), "known_names": None}),
        )
        == []
    )


def test_a_name_the_text_writes_intact_elsewhere_tells_a_swap_inside_it(with_names):
    # "Xbox Series X" is no name the corpus knows, but the text writes it
    table = SwapTable.from_pairs([*SWAPS, ("series", "sequence")])
    own = Resources(**{**vars(with_names), "swap_table": table})
    text = "Xbox Series X review. We tested the Xbox Sequence X for a month."
    items = evidence(Document.of(text), own)
    assert [item.snippet for item in items] == ["Sequence"]
    assert "(the name is 'Xbox Series X')" in items[0].note
    # without the intact name, nothing tells
    assert snippets("Review. We tested the Xbox Sequence X for a month.", own) == []


def test_a_word_at_home_beside_its_neighbour_in_the_name_is_left_alone(with_names):
    # "sport fans" is usual English (the corpus writes it), so "Sport Fans
    # Thrones" is no mangled "Game Fans Thrones"
    home = Resources(**{**vars(with_names)})
    home.collocations = Collocations.build([*CORPUS, *["Sport fans cheered."] * 10])
    home.known_names = KnownNames.build(["We saw Game Fans Thrones."] * spinner.KNOWN_NAME_COUNT)
    assert snippets("We saw Sport Fans Thrones.", with_names) == []  # not a known name
    assert snippets(
        "We saw Sport Fans Thrones.",
        Resources(**{**vars(home), "collocations": with_names.collocations}),
    ) == ["Sport"]
    assert snippets("We saw Sport Fans Thrones.", home) == []


def test_a_name_only_spinners_write_holds_a_swap_where_the_table_puts_a_word_back(resources):
    table = SwapTable.from_pairs(
        [*SWAPS, ("house", "home"), ("studio's", "studios")],
        unpaired=[("", "Home of the Dragon"), ("", "Dambuster Studios"), ("", "Blue Moon")],
    )
    learnt = Resources(**{**vars(resources), "swap_table": table})
    text = "Home of the Dragon is back. We watched Home of the Dragon again."
    items = evidence(Document.of(text), learnt)
    assert [(item.snippet, item.name) for item in items] == [("Home", "spinner.name_swap")] * 2
    assert "stands for 'house' here (the name is 'House of the Dragon')" in items[0].note
    # a closing possessive is no part of the name
    table_dog = SwapTable.from_pairs(SWAPS, unpaired=[("", "Naughty Canine")])
    dog = Resources(**{**vars(resources), "swap_table": table_dog})
    items = evidence(Document.of("Fans love Naughty Canine’s games."), dog)
    assert [item.snippet for item in items] == ["Canine’s"]
    assert "(the name is 'Naughty Dog’s')" in items[0].note
    table_creed = SwapTable.from_pairs(
        [("assassin's", "murderer's")], unpaired=[("", "Murderer's Creed Valhalla")]
    )
    creed = Resources(**{**vars(resources), "swap_table": table_creed})
    items = evidence(Document.of("We played Murderer's Creed Valhalla."), creed)
    assert [item.snippet for item in items] == ["Murderer's"]
    assert "(the name is 'Assassin's Creed Valhalla')" in items[0].note
    # written in lower case it is no name; without the entry the table cannot put it back
    assert snippets("The home of the dragon is a cave.", learnt) == []
    # a plural or an 's apart is the same word, and a name with no entry stays
    assert snippets("Dambuster Studios made it. Blue Moon sold.", learnt) == []
    assert snippets(text, resources) == []


_NAMED = SwapTable.from_pairs(
    [("house", "home"), ("dog", "canine"), ("dragon", "dragons")],
    unpaired=[("", "Home of the Dragon"), ("", "Naughty Canine"), ("", "Home Dragons")],
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Home", "home", "of", "the", "Dragon", "Dragons", "Naughty", "Canine",
                         "Canine’s", "canine", "We", "saw", ".", ",", ":", "\n\n"]),
        max_size=30,
    )
)  # fmt: skip
def test_learnt_names_found_in_any_text_are_capitalised_words_put_back(resources, words):
    # untrusted text: never raises; no word is counted twice, and each swap a learnt name
    # tells is one capitalised word the table puts back, the name put back beside it
    doc = Document.of(" ".join(words))
    swaps = spinner.find_swaps(doc, _NAMED, resources.collocations)
    assert len({swap.start for swap in swaps}) == len(swaps)
    for swap in (swap for swap in swaps if swap.name):
        word = doc.text[swap.start : swap.end]
        assert swap.in_name and word[:1].isupper() and " " not in word
        # "Dragons" for "dragon" is a plural apart: no swap
        assert swap.original in {"house", "dog"}
        assert normalise(swap.name).replace("'s", "") in {
            "house of the dragon",
            "naughty dog",
            "house dragons",
        }


def test_a_batch_gives_the_rows_of_its_documents_one_by_one(resources):
    texts = ["The naughty canine ran.", "", "She advised reporters. The game ended late."]
    batch = transform([Document.of(text) for text in texts], resources)
    single = np.vstack([transform([Document.of(text)], resources) for text in texts])
    assert np.allclose(batch, single)


def test_spans_are_exact_and_the_family_is_named(resources):
    text = "The  naughty canine ran.\n\nShe advised   reporters; Imaginative and  prescient."
    for item in evidence(Document.of(text), resources):
        assert text[item.start : item.end] == item.snippet
        assert item.family == spinner.FAMILY


def test_without_a_table_or_counts_every_value_is_zero(resources):
    for missing in (Resources.empty(), Resources(**{**vars(resources), "swap_table": None})):
        result = extract("The naughty canine ran to the park.", missing)
        assert set(result.values) == set(FEATURE_NAMES)
        assert all(value == 0.0 for value in result.values.values())


def _plain_find_swaps(doc, table, pairs):
    """find_swaps as first written: every candidate phrase compared at every word."""
    starts = table.phrases_by_first_word()
    found = []
    for sentence_index, tokens in enumerate(doc.sentence_tokens):
        forms = [normalise(token.text) for token in tokens]
        index = 0
        while index < len(tokens):
            length = next(
                (
                    len(p)
                    for p in starts.get(forms[index], [])
                    if tuple(forms[index : index + len(p)]) == p
                ),
                0,
            )
            if not length:
                index += 1
                continue
            spun = " ".join(forms[index : index + length])
            words = tokens[index : index + length]
            in_name = index > 0 and all(token.text[:1].isupper() for token in words)
            before = spinner.neighbour(tokens, forms, index - 1)
            after = spinner.neighbour(tokens, forms, index + length)
            if in_name:  # only the name's own words are neighbours
                before = before if tokens[index - 1].text[:1].isupper() else ""
                outside = index + length >= len(tokens)
                after = "" if outside or not tokens[index + length].text[:1].isupper() else after
            better = spinner.better_original(spun, table.originals_of(spun), before, after, pairs)
            if in_name and spun in table.prose_only:
                better = None
            if better is not None:
                found.append(
                    spinner.Swap(
                        words[0].start, words[-1].end, better[0], in_name, sentence_index, better[1]
                    )
                )
            index += length
    return found


_TABLE = SwapTable.from_pairs(
    [("nice dog food", "lovely dog chow"), ("nice dog", "lovely dog"), ("dog", "canine"),
     ("big game", "large sport"), ("game", "sport")],
    unpaired=[("food", "chow")],
)  # fmt: skip
_PAIRS = Collocations.build(
    ["The nice dog barked at the big game.", "A nice dog food bowl.", "We fed the dog."] * 40
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["the", "lovely", "Lovely", "dog", "Dog", "chow", "Chow", "canine",
                         "Canine", "large", "sport", "Sport", "barked", "we", ".", ",", "\n\n"]),
        max_size=30,
    )
)  # fmt: skip
def test_swaps_found_by_phrase_lengths_equal_those_of_every_candidate_compared(words):
    doc = Document.of(" ".join(words))
    assert spinner.find_swaps(doc, _TABLE, _PAIRS) == _plain_find_swaps(doc, _TABLE, _PAIRS)


def test_a_pair_seen_once_counts_as_never_written_beside_the_spun_word():
    # "advised forbes" once, in a list or a typo: no sign that English says it
    pairs = Collocations.build(["she told forbes"] * 6 + ["she advised forbes"])
    assert pairs.pair_count_of("advised", "forbes") == 1
    assert spinner.better_original("advised", ["told"], "she", "forbes", pairs) == ("told", False)
    twice = Collocations.build(["she told forbes"] * 6 + ["she advised forbes"] * 2)
    assert spinner.better_original("advised", ["told"], "she", "forbes", twice) is None
