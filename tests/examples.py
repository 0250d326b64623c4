"""Example texts shared by several test modules, all written for this project.

Positive examples carry the artifacts one or more feature families look for;
the negative examples are legitimate-but-odd human writing that must not be
flagged. None of them is copied from a corpus.
"""

from __future__ import annotations

from functools import cache

from detector.text import Document

# --- positive examples: machine-translation and spinner damage

#: Instrument codes damaged the way an MT round trip leaves them.
MT_TICKER_DAMAGE = (
    "Toray Industries (3402.The others are rose 3 percent on Tuesday. Sony Corp (6758.t) "
    "fell, while Exxon Mobil (XOM. N) and Barclays (BARC.L said the results was weak. "
    "Shares of Rio Tinto (RIO.XA) slipped. The market said (7203.T) that it would reform."
)

#: A news story passed through a first-synonym article spinner.
SPUN_NEWS = (
    "Microsoft (MSFT.O) said final 12 months that Home windows 11 would reach 500 million "
    "customers by Could 2023. The chief government officer told the Related Press that the "
    "inventory market on Wall Avenue had reacted well, and the Democratic Get together "
    "welcomed the plan. Analysts expect {strong|robust} growth this 12 months."
)

#: Names and dates lower-cased by a round trip, and a surname read as a word.
LOWERCASED_NAMES = (
    "Talks between japanese and south korean officials resumed in seoul on monday. "
    "President Moon Jae-in met the delegation in January. Later the moon said the "
    "meeting And others had gone well. exports to the european union rose in may 2019."
)

#: Tortured phrases of a paraphrased technical abstract.
TORTURED_ABSTRACT = (
    "We train a counterfeit consciousness model based on profound learning and an "
    "irregular woodland to predict bosom peril from colossal information, and report "
    "the flag to commotion ratio of the help vector machine."
)

# --- negative examples: odd but human, must not be flagged

#: A clean wire story with codes where they belong.
CLEAN_WIRE_STORY = (
    "TOKYO, March 3 (Reuters) - Toyota Motor Corp (7203.T) said on Monday its quarterly "
    "profit rose 15 percent, helped by a weaker yen, while Honda Motor Co (7267.T) cut "
    "its forecast. The Nikkei average .N225 ended 1.2 percent higher.\n\n"
    "Samsung Electronics (005930.KS) and Volkswagen (VOWG_p.DE) were also in focus. "
    '"We think demand will hold up," said Akira Sato, an analyst at a Tokyo brokerage. '
    "Shell Canada Ltd. SHC.TO rose, and Fannie Mae (FNMA.OB) (FNM.N) was unchanged."
)

#: Headlines set in Title Case, one with a capitalised "And".
TITLE_CASE_HEADLINES = (
    "Toyota Profit Jumps as Yen Weakens\n"
    "Nissan And Honda Shares Slide In Tokyo Trade\n"
    "What Investors Need to Know About the Fed on Wednesday"
)

#: A bulletin in capitals, as wire services send it.
ALL_CAPS_BULLETIN = (
    "MARKET WRAP: NIKKEI ENDS UP 1.2 PCT AS EXPORTERS RALLY\n"
    "TOYOTA (7203.T) UP 2 PCT; SONY (6758.T) DOWN 0.5 PCT\n"
    "AMAZON.COM SHARES HIT RECORD AFTER EARNINGS"
)

#: A table of codes and prices, one instrument a line.
TICKER_TABLE = (
    "Company          Code      Close     Change\n"
    "Toyota Motor     7203.T    3,450     +1.2%\n"
    "Sony Group       6758.T    11,020    -0.4%\n"
    "Exxon Mobil      XOM.N     82.15     +0.3%\n"
    "Barclays         BARC.L    152.30    -1.1%\n"
    "Berkshire        BRK.B     310.20    +0.1%"
)

#: British spelling and house style: capitalised Government, per cent.
BRITISH_ENGLISH = (
    "The Government said on Tuesday that the Chancellor of the Exchequer would set out "
    "the Budget in the autumn. The Bank of England kept its base rate at 0.5 per cent, "
    "and the Government said the labour market programme had been a success. The "
    "organisation's centre in Manchester will close at the end of the financial year."
)

#: Quotations in dialect, spelled as spoken.
DIALECT_QUOTE = (
    '"Ah dinnae ken whit ye mean," said the farmer, leaning on the gate. '
    '"We wis aw ower the moon when the rain came." His neighbour laughed: '
    "\"Y'all reckon it'll hold till Sunday?\""
)

#: A learner's English: misspellings, dropped articles, wrong agreement.
LEARNER_ENGLISH = (
    "Yesterday I go to market for buy some vegetable and my sister she come with me. "
    "The price is very expensive becuase of inflasion, I think goverment must to do "
    "something. In my country Brazil we speak Portuguese but I study English since two year."
)

#: A learner who types everything in lower case.
LOWERCASE_LEARNER = (
    "i live in tokyo since last year and i study english every monday. my friend from "
    "korea say japanese food is very good but expensive."
)

#: Loose blog style, lower case and exclamation marks.
LOOSE_BLOG = (
    "ok so this week was kinda wild lol. went to the market, grabbed coffee, then back "
    "home to write this post!!! anyway the new phone is sooo good, battery lasts forever"
)

#: Abbreviations, decimals, web addresses, domains, file names and versions.
ABBREVIATIONS_AND_URLS = (
    "The U.S. economy grew 3.5 percent, the Commerce Department said at 8:30 a.m. "
    "(1230 GMT). Read more at reuters.com or write to press@example.com. Amazon.com Inc "
    "(AMZN.O) rose, while Booking.com and Web.de were unchanged. The update moved to "
    "Python 3.11 and version 2.x of the app, saved as REPORT.PDF and notes_v2.txt, and "
    "shipped at 5 p.m. on Friday. J.P. Morgan analysts said the U.S.-based firm did well."
)

#: Correct uses of "12 months", "Could" and "May".
CORRECT_12_MONTHS = (
    "Prices have risen 8 percent over the past 12 months, and 12 months ago few expected "
    "that. The lease runs for 12 months. His final 12 months in office were difficult, and "
    "over the subsequent 12 months the firm recovered. Could 5 million people be wrong? "
    "May 5 is a holiday, and in May sales rose. Home windows need cleaning in spring."
)

#: Every negative example, by name.
NEGATIVE_EXAMPLES = {
    "clean_wire_story": CLEAN_WIRE_STORY,
    "title_case_headlines": TITLE_CASE_HEADLINES,
    "all_caps_bulletin": ALL_CAPS_BULLETIN,
    "ticker_table": TICKER_TABLE,
    "british_english": BRITISH_ENGLISH,
    "dialect_quote": DIALECT_QUOTE,
    "learner_english": LEARNER_ENGLISH,
    "lowercase_learner": LOWERCASE_LEARNER,
    "loose_blog": LOOSE_BLOG,
    "abbreviations_and_urls": ABBREVIATIONS_AND_URLS,
    "correct_12_months": CORRECT_12_MONTHS,
}

#: CPU seconds a family may take on one of the inputs below. A linear scan takes
#: one or two on this project's machines, a quadratic one takes minutes: the
#: budget tells them apart, and CPU time does not grow when other jobs load the machine.
ADVERSARIAL_SECONDS = 10.0

#: Inputs of a megabyte or so that would make a careless regex backtrack.
ADVERSARIAL_INPUTS = {
    "open_brackets": "(" * 10**6,
    "letter_dots": "a." * 500_000,
    "capitals": "A" * 10**6,
    "title_case_run": "Ab " * 333_333,
    "digits_and_dots": "1234." * 200_000,
    "code_like_run": "(XOM.N" * 150_000,
    "spin_pipes": "{" + "a|" * 400_000,
    "spin_words": "{" + "ab " * 300_000,
    "braces": "{a b}" * 200_000,
    "months": "12 months " * 100_000,
    "could": "in Could " * 110_000,
    "index_dots": ".N225" * 200_000,
    "spaces_and_dots": ". " * 500_000,
    "hyphens": "Moon Jae-" * 110_000,
}


@cache
def adversarial_document(name: str) -> Document:
    """The :class:`Document` of an adversarial input, built once per test session.

    Tokenising a megabyte is the shared :mod:`detector.text` layer's cost, paid
    once for every family that is timed on it.
    """
    doc = Document.of(ADVERSARIAL_INPUTS[name])
    doc.sentence_tokens  # noqa: B018
    doc.words  # noqa: B018
    return doc
