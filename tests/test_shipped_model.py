"""What the shipped model says about short texts whose artifacts a reader spots at once.

A single paragraph with a spinner's slip inside a name, unresolved spin
syntax, a foreign phrase run together into one word, or a ticker suffix
glued to the next word or naming no exchange is spun, however fluent the
rest; a paragraph of legitimate text that uses the same words correctly is
not, and neither is the stiff wording of a human translation. The texts are
written for these tests.
"""

from __future__ import annotations

import pytest

from detector.scoring import Scorer

#: One paragraph each, every one with evidence that people do not produce.
CERTAINLY_SPUN = {
    "spinner slips": (
        "The Nationwide Guard was deployed on Could 5 after the protests, and lawmakers "
        "who back the Inexperienced New Deal said the past weeks had been hard for "
        "families in the state."
    ),
    "spin syntax": (
        "The company said {that a|the} new plant would open next year and employ about "
        "2,000 workers, making it one of the largest investments in the region in a "
        "decade, officials said."
    ),
    "glued ticker suffix": (
        "Shares of Toray Industries (3402.The others are fell 3 percent on Monday after "
        "the company cut its forecast for the year, citing weaker demand for its "
        "products in Asia."
    ),
    "no such exchange": (
        "Shares of Toray Industries (3402.TK) fell 3 percent on Monday after the company "
        "cut its forecast for the year, citing weaker demand for its products in Asia, "
        "traders in Tokyo said."
    ),
    "glued untranslated phrase": (
        "The company, which supplies materialdetecnologia to aircraft makers, said net "
        "profit rose 12 percent in the quarter and that it would build a new plant in "
        "Spain next year."
    ),
    "spun software name": (
        "Microsoft said on Tuesday that Home windows 11 would reach more computers than "
        "any earlier version by the end of the year, as companies replace machines "
        "bought during the pandemic."
    ),
}

#: Web articles of the kind content farms spin, with a commercial spinner's
#: everyday swaps (Game Pass -> Sport Move, vision -> imaginative and
#: prescient, executive -> govt, told -> advised, more games -> extra video
#: games), and the same articles as people wrote them. Written for these tests.
SPUN_WEB = {
    "gaming news": (
        "Xbox govt Sarah Bond advised reporters on Tuesday that Sport Move subscribers now "
        "play extra video games than ever, and that Microsoft's imaginative and prescient for "
        "the service is to carry content material to each display screen.\n\n"
        "The corporate mentioned the subscription would add eight new titles this month, "
        "together with two from its personal studios, and that costs would keep the identical "
        "for the remainder of the 12 months."
    ),
}
HUMAN_WEB = {
    "gaming news": (
        "Xbox executive Sarah Bond told reporters on Tuesday that Game Pass subscribers now "
        "play more games than ever, and that Microsoft's vision for the service is to bring "
        "its content to every screen.\n\n"
        "The company said the subscription would add eight new titles this month, including "
        "two from its own studios, and that prices would stay the same for the rest of the "
        "year."
    ),
    "a fan's post": (
        "I play this game since two years and honestly its the best one in Game Pass. My "
        "friend tell me the graphic is not so good but I dont care, the story is very "
        "interesting and I finish it in one week. Cant wait for the next season pass!!"
    ),
}


#: The same words, used correctly by people.
LEGITIMATE = {
    "twelve months": (
        "Sales rose 4 percent over the past 12 months, and the company expects the next "
        "12 months to be harder as interest rates stay high and shoppers cut back on "
        "large purchases."
    ),
    "a question with could": (
        "Could the central bank raise rates again in May? Economists polled this week "
        "were split, with half expecting a pause and the rest a quarter-point increase "
        "before the summer."
    ),
    "template fields": (
        "To send the reminder, write {name} where the customer's name should appear and "
        "{date} for the appointment; the mail program fills both in before the message "
        "is sent to each customer."
    ),
    "a human translation": (
        "The measures will be valid until they are cancelled, informed the spokesman of "
        "the city hall. According to him, the decision was taken on Sunday evening after "
        "the meeting of the crisis staff, which the mayor convened already on Friday.\n\n"
        "The town hall asks the citizens to respect the rules and to use the public "
        "transport only when it is necessary. The police will control the compliance "
        "with the measures in the centre of the city."
    ),
    "a foreign phrase quoted": (
        "The company, which sells its carbon fibre in Spain under the Material de "
        "Tecnologia brand, said net profit rose 12 percent in the quarter and that it "
        "would build a new plant there next year."
    ),
    "a learner's essay": (
        "Yesterday I go to the market with my friend and we buyed many vegetable. The "
        "price was very expensive because of the inflation in my country, so we can not "
        "buy the fish what my mother want."
    ),
    "clean ticker": (
        "Shares of Toray Industries (3402.T) fell 3 percent on Monday after the company "
        "cut its forecast for the year, citing weaker demand for its carbon fibre in "
        "Asia and Europe."
    ),
}


#: Articles with one slip a careful reader spots, but that leaves no evidence
#: the model treats as settling the question: the shipped model calls them
#: clean. Kept as strict expected failures, so that a model that catches
#: one shows up as a pass.
KNOWN_MISSES = {
    "garbled clause": (
        "A South Korean court on Tuesday ordered the Japanese firm to compensate its "
        "former workers are being forced by the companies to work with during the war. "
        "The ruling is likely to strain ties between the two countries further, analysts "
        "said, and the company said it would appeal."
    ),
    "a name translated as a word": (
        "President Moon Jae-in said on Tuesday that Seoul would respond firmly to the "
        "measures. The moon took part in a meeting of the National Security Council, his "
        "office said, and ordered ministers to prepare a plan by the end of the week."
    ),
    "names and titles translated": (
        "Angels Mayor Eric Garcetti met House spokeswoman Nancy Pelosi in Washington on "
        "Monday to ask for more federal money for the city's transit projects, which "
        "have run over budget, officials said."
    ),
    "a company called he": (
        "Apple said he would invest $1 billion in a new campus in Texas over the next "
        "three years. The company also said it expected sales to rise in the holiday "
        "quarter, helped by demand for its new phones."
    ),
    "lexical swaps": (
        "Toray, the world's biggest maker of carbon-carbon, said output to South Korea "
        "fell 20 percent in the quarter after Seoul tightened checks on Japanese goods, "
        "and that it would cut its forecast for the year."
    ),
}


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.load()


@pytest.mark.parametrize("name", sorted(CERTAINLY_SPUN))
def test_certain_evidence_makes_a_short_text_spun(scorer, name):
    result = scorer.score_text(CERTAINLY_SPUN[name])
    assert result["status"] == "ok"
    assert result["label"] == "spun", (name, result["score"], result["evidence"])


@pytest.mark.parametrize("name", sorted(LEGITIMATE))
def test_the_same_words_used_correctly_stay_clean(scorer, name):
    result = scorer.score_text(LEGITIMATE[name])
    assert result["status"] == "ok"
    assert result["label"] == "clean", (name, result["score"], result["evidence"])


@pytest.mark.xfail(strict=True, reason="a single slip with no settling evidence")
@pytest.mark.parametrize("name", sorted(KNOWN_MISSES))
def test_known_misses(scorer, name):
    result = scorer.score_text(KNOWN_MISSES[name])
    assert result["status"] == "ok"
    assert result["label"] == "spun", (name, result["score"], result["evidence"])


@pytest.mark.parametrize("name", sorted(SPUN_WEB))
def test_a_spun_web_article_is_spun_and_shows_its_swaps(scorer, name):
    result = scorer.score_text(SPUN_WEB[name])
    assert result["label"] == "spun", result["score"]
    shown = {item["snippet"] for item in result["evidence"] if item["family"] == "spinner"}
    assert {"Sport Move", "imaginative and prescient"} & shown, shown


@pytest.mark.parametrize("name", sorted(HUMAN_WEB))
def test_the_same_web_article_by_people_is_clean(scorer, name):
    result = scorer.score_text(HUMAN_WEB[name])
    assert result["label"] == "clean", result["score"]
