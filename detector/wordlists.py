"""Closed word lists shared by the feature families and the resource builder.

Kept in code, not in the model file: they describe English, not a corpus, and
a change to them is a change to the feature definitions (so it is versioned
with the package).
"""

from __future__ import annotations

#: English function words: determiners, pronouns, prepositions, conjunctions,
#: auxiliaries and particles. Their order and agreement carry the syntax that
#: MT round trips garble, independently of the topic of the text.
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those some any no every each either neither all both half
    several many much more most few fewer less least other another such what which
    whose whatever whichever
    i me my mine myself you your yours yourself yourselves he him his himself she her
    hers herself it its itself we us our ours ourselves they them their theirs
    themselves one ones who whom whoever someone something anyone anything everyone
    everything nobody nothing somebody anybody everybody
    about above across after against along amid among around as at before behind
    below beneath beside besides between beyond but by despite down during except for
    from in inside into like near of off on onto out outside over past per since
    through throughout till to toward towards under underneath unlike until up upon
    via with within without
    and or nor so yet because although though while whereas if unless whether than
    once when whenever where wherever why how however therefore thus hence also
    be am is are was were been being have has had having do does did done doing
    will would shall should can could may might must ought
    not n't never only just even still already again too very quite rather almost
    here there then now ago
    """.split()
)

#: British spellings and their American counterparts, as pairs. A document
#: written by one person keeps to one side; a round trip through an engine
#: that normalises spelling leaves a mixture.
BRITISH_AMERICAN = (
    ("colour", "color"),
    ("colours", "colors"),
    ("favour", "favor"),
    ("favourable", "favorable"),
    ("favourite", "favorite"),
    ("honour", "honor"),
    ("labour", "labor"),
    ("neighbour", "neighbor"),
    ("neighbouring", "neighboring"),
    ("behaviour", "behavior"),
    ("harbour", "harbor"),
    ("humour", "humor"),
    ("rumour", "rumor"),
    ("rumours", "rumors"),
    ("vigour", "vigor"),
    ("endeavour", "endeavor"),
    ("flavour", "flavor"),
    ("savour", "savor"),
    ("centre", "center"),
    ("centres", "centers"),
    ("metre", "meter"),
    ("metres", "meters"),
    ("kilometre", "kilometer"),
    ("kilometres", "kilometers"),
    ("litre", "liter"),
    ("litres", "liters"),
    ("theatre", "theater"),
    ("fibre", "fiber"),
    ("calibre", "caliber"),
    ("defence", "defense"),
    ("offence", "offense"),
    ("licence", "license"),
    ("pretence", "pretense"),
    ("analyse", "analyze"),
    ("analysed", "analyzed"),
    ("paralyse", "paralyze"),
    ("catalogue", "catalog"),
    ("dialogue", "dialog"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("cheque", "check"),
    ("cheques", "checks"),
    ("jewellery", "jewelry"),
    ("tyre", "tire"),
    ("tyres", "tires"),
    ("aluminium", "aluminum"),
    ("grey", "gray"),
    ("plough", "plow"),
    ("sceptical", "skeptical"),
    ("manoeuvre", "maneuver"),
    ("oestrogen", "estrogen"),
    ("paediatric", "pediatric"),
    ("anaemia", "anemia"),
    ("haemorrhage", "hemorrhage"),
    ("leukaemia", "leukemia"),
    ("travelled", "traveled"),
    ("travelling", "traveling"),
    ("traveller", "traveler"),
    ("cancelled", "canceled"),
    ("cancelling", "canceling"),
    ("labelled", "labeled"),
    ("modelling", "modeling"),
    ("fuelled", "fueled"),
    ("signalled", "signaled"),
    ("counselling", "counseling"),
    ("jeopardise", "jeopardize"),
    ("organise", "organize"),
    ("organised", "organized"),
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("recognise", "recognize"),
    ("recognised", "recognized"),
    ("realise", "realize"),
    ("realised", "realized"),
    ("emphasise", "emphasize"),
    ("criticise", "criticize"),
    ("criticised", "criticized"),
    ("apologise", "apologize"),
    ("authorise", "authorize"),
    ("authorised", "authorized"),
    ("privatisation", "privatization"),
    ("privatise", "privatize"),
    ("nationalise", "nationalize"),
    ("nationalised", "nationalized"),
    ("stabilise", "stabilize"),
    ("stabilised", "stabilized"),
    ("minimise", "minimize"),
    ("maximise", "maximize"),
    ("utilise", "utilize"),
    ("subsidise", "subsidize"),
    ("subsidised", "subsidized"),
    ("finalise", "finalize"),
    ("finalised", "finalized"),
    ("capitalise", "capitalize"),
    ("capitalisation", "capitalization"),
    ("summarise", "summarize"),
    ("characterise", "characterize"),
    ("prioritise", "prioritize"),
    ("mobilise", "mobilize"),
    ("liberalisation", "liberalization"),
    ("globalisation", "globalization"),
    ("modernisation", "modernization"),
    ("industrialised", "industrialized"),
    ("specialise", "specialize"),
    ("specialised", "specialized"),
    ("normalise", "normalize"),
    ("centralised", "centralized"),
    ("optimise", "optimize"),
    ("sympathise", "sympathize"),
    ("enrol", "enroll"),
    ("fulfil", "fulfill"),
    ("instalment", "installment"),
    ("judgement", "judgment"),
    ("ageing", "aging"),
    ("mould", "mold"),
    ("storey", "story"),
    ("practise", "practice"),
    ("pyjamas", "pajamas"),
    ("whisky", "whiskey"),
)

#: Number words, which the language models fold into the number class.
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve twenty thirty "
    "forty fifty hundred thousand million billion trillion".split()
)
