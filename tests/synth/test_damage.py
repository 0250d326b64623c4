import random

import pytest

from detector.synth import damage as damage_module
from detector.synth.damage import PROFILES, TICKER_TRANSFORMS, TRANSFORMS, damage
from detector.text import paragraph_spans

from .conftest import ARTICLE

#: For each transformation, a text it must change (written for the test).
CASES = {
    "glue_ticker_suffix": "Toray Industries (3402.T) The others rose.",
    "lowercase_ticker_suffix": "Toyota (7203.T) fell.",
    "fake_exchange_suffix": "Exxon (XOM.N) rose.",
    "drop_ticker_bracket": "Samsung (005930.KS) rose.",
    "split_ticker_code": "Sony Corp (6758.T) rose.",
    "lowercase_index_code": "The Nikkei .N225 rose.",
    "name_to_common_noun": "Officials said Rice would visit.",
    "lowercase_nationality": "Sales of Japanese cars rose.",
    "leak_title_case": "Toyota, Honda, and others rose.",
    "break_name_case": "Losses since the Second World War were large.",
    "americanize_spelling": "The labour minister said labour costs rose.",
    "swap_percent": "Sales rose 5 percent.",
    "respell_name": "Shares of Deutsche Bank fell.",
    "move_reporting_clause": "Profit rose 5 percent, the company said.",
    "drop_function_word": "Shares rose after the results.",
    "double_function_word": "Shares rose after the results.",
    "swap_collocation": "Trade talks resumed.",
    "it_to_he": "The bank said it would cut costs.",
}

#: Text that none of the transformations has a place to act on.
UNTOUCHABLE = "Sales rose. Costs fell."


def test_every_transformation_has_a_case():
    assert set(CASES) == set(TRANSFORMS)


def test_fake_suffixes_are_no_market_and_no_web_ending():
    from detector.features.tickers import EXCHANGE_SUFFIXES, NON_EXCHANGE_SUFFIXES

    fakes = {fake for options in damage_module.FAKE_SUFFIXES.values() for fake in options}
    fakes |= set(damage_module.OTHER_FAKE_SUFFIXES)
    assert not fakes & set(EXCHANGE_SUFFIXES)
    assert not fakes & NON_EXCHANGE_SUFFIXES


@pytest.mark.parametrize("seed", range(6))
def test_ticker_damage_is_what_the_ticker_family_sees(seed):
    from detector.features import tickers

    text = "Exxon Mobil (XOM.N) and Toray Industries (3402.T) rose on Monday."
    assert tickers.extract(text).evidence == []
    for name in TICKER_TRANSFORMS:
        changed = TRANSFORMS[name](text, random.Random(seed), 2)
        if changed != text:
            assert tickers.extract(changed).evidence, (name, changed)


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transformation_changes_its_case(name):
    text = CASES[name]
    assert TRANSFORMS[name](text, random.Random(0), 1) != text


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transformation_leaves_text_without_a_place_alone(name):
    assert TRANSFORMS[name](UNTOUCHABLE, random.Random(0), 3) == UNTOUCHABLE


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transformation_keeps_paragraphs(name):
    for seed in range(3):
        result = TRANSFORMS[name](ARTICLE, random.Random(seed), 3)
        assert len(paragraph_spans(result)) == len(paragraph_spans(ARTICLE))


def test_limit_bounds_the_number_of_changes():
    text = "A rose 1 percent, B 2 percent and C 3 percent."
    once = damage_module.swap_percent(text, random.Random(0), 1)
    assert once.count("%") == 1 and once.count("percent") == 2


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_profiles_report_what_they_did(profile):
    result = damage(ARTICLE, profile, random.Random(5))
    assert result.steps and result.text != ARTICLE
    assert set(result.steps) <= set(PROFILES[profile].transforms)
    _, high = PROFILES[profile].n_transforms
    assert len(result.steps) <= high


def test_tickers_profile_touches_codes_only():
    result = damage(ARTICLE, "tickers", random.Random(2))
    assert set(result.steps) <= set(TICKER_TRANSFORMS)
    assert result.text.replace("(3402.T)", "").count("Moon Jae-in") == 1


def test_tickers_profile_without_codes_changes_nothing():
    assert (
        damage("Sales rose 3 percent, the company said.", "tickers", random.Random(0)).steps == []
    )


def test_damage_is_deterministic_for_a_seed():
    first = damage(ARTICLE, "heavy", random.Random(9))
    second = damage(ARTICLE, "heavy", random.Random(9))
    assert (first.text, first.steps) == (second.text, second.steps)
