from detector.synth.documents import split_paragraphs
from detector.synth.language import looks_english, rejection_reason


def test_short_paragraphs_are_kept_and_long_ones_cut():
    lead = "Shares of the company rose on Monday after it raised its forecast."
    body = " ".join(f"Sentence number {i} has exactly seven words here." for i in range(40))
    paragraphs = split_paragraphs(f"{lead}\n\n{body}", max_words=120)
    assert paragraphs[0] == lead
    assert len(paragraphs) > 10
    assert all(len(p.split()) <= 60 for p in paragraphs[1:])
    assert " ".join(paragraphs[1:]) == body


def test_cutting_can_be_turned_off():
    body = " ".join(["A short sentence is here."] * 50)
    assert split_paragraphs(body, max_words=0) == [body]


def test_english_check_tells_languages_apart():
    assert looks_english("The company said it would sell the unit to a rival group.")
    assert not looks_english(
        "Die Firma sagte, sie werde die Sparte an einen Konkurrenten verkaufen."
    )
    german = (
        "Der Umsatz stieg im dritten Quartal um fünf Prozent, teilte das Unternehmen am "
        "Montag mit, und die Aktie legte deutlich zu, nachdem Analysten mit einem Rückgang "
        "gerechnet hatten."
    )
    assert rejection_reason(german).startswith("not English")
