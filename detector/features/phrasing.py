"""Garbled phrasing: word sequences that fluent English news does not use.

A round trip through a rule-based engine reorders clauses, drops or doubles
function words and strings together words that never stand side by side in
English ("compensate its former workers are being forced by the companies to
work with during"). Neural engines are more fluent but still leave unusual
collocations. Two language models trained on clean news, shipped inside the
model file, measure this: a word trigram model (fluency of the words) and a
5-gram model over word classes (function words kept, content words reduced to
a shape), which sees broken syntax whatever the topic. Cheap surface checks
add doubled words, sentences that end on a function word, and spacing damage
(`` ,``, a doubled space where a word was dropped).

False-positive risk: any text far from news (poetry, chat, code, lists,
learners' English) is less fluent under a news model; the classifier weighs
these values against the other families, and the rates are per token so that
length does not count as evidence.

>>> result = extract("Shares rose the the most since March , traders said with during.")
>>> values = result.values
>>> values["phrasing.doubled_word_rate"] > 0, values["phrasing.spacing_damage_rate"] > 0
(True, True)
>>> sorted({e.name for e in result.evidence})
['phrasing.dangling_function_word', 'phrasing.doubled_word', 'phrasing.spacing_damage']
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence

import numpy as np

from detector.features.base import (
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    found_on,
    keep,
    kept_on,
    rate,
    worst_windows,
)
from detector.resources import (
    FIRST_WORD_ID,
    NUMBER,
    EncodedBatch,
    Resources,
    encode,
    encode_batch,
    gram_counts,
)
from detector.text import Document

FAMILY = "phrasing"

FEATURE_NAMES = (
    "phrasing.mean_surprisal",
    "phrasing.p90_surprisal",
    "phrasing.context_gain",
    "phrasing.unseen_bigram_share",
    "phrasing.unseen_trigram_share",
    "phrasing.class_surprisal",
    "phrasing.class_unseen_4gram_share",
    "phrasing.rough_window_share",
    "phrasing.odd_word_share",
    "phrasing.doubled_word_rate",
    "phrasing.dangling_function_rate",
    "phrasing.spacing_damage_rate",
    "phrasing.mean_sentence_words",
    # the same measures over the roughest run of three sentences: a passage
    # spun or translated inside clean text, which the text's means dilute
    "phrasing.worst_block_surprisal",
    "phrasing.worst_block_unseen_bigram_share",
    "phrasing.worst_block_odd_word_share",
)

#: Fewest scored items (tokens, bigrams, words) a run of sentences needs
#: before its mean counts for ``phrasing.worst_block_*``.
BLOCK_MIN_ITEMS = 12

#: Surprisal (bits per word) above which a 4-word window counts as rough.
ROUGH_WINDOW_BITS = 13.0
#: Longest run of evidence windows reported per document.
MAX_ROUGH_EVIDENCE = 5

SPACING_DAMAGE_RE = re.compile(
    # Each alternative opens with the character it consumes first and looks
    # behind only from there, so that the search jumps between spaces and
    # commas instead of trying a look-behind at every position.
    r"""
    # a space before a comma, full stop or closing bracket: "rose , and"
    [ ](?<=\w[ ])[ ]*[,;:)](?=[ ]|$)
    # a doubled space inside a sentence, where a word was dropped: "the  bank"
    | [ ](?<=[a-z,][ ])[ ]+(?=[a-z])
    # a comma or full stop glued to the next word: "rose,and" (not 3,000 or U.S.)
    | [,](?<=[a-z]{2},)(?=[a-z]{2})
    """,
    re.VERBOSE,
)

# Function words that end an English sentence only in rare constructions
# ("what are you looking at?" is a question; these are declarative slips).
_NON_FINAL_WORDS = frozenset(
    "the a an of with during to from by and or but that which whose its their his her "
    "at into than as for".split()
)

_DOUBLE_OK = frozenset({"that", "had", "is", "do", "very", "so", "far", "bye", "no", "ha"})


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document.

    Without ``resources`` the surface checks still run and the model-based
    values use empty models (everything unseen); pass the resources of a
    trained model for real values.
    """
    resources = resources if resources is not None else Resources.empty()
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    if not docs:
        return rows
    column = {name: index for index, name in enumerate(FEATURE_NAMES)}
    batch = encode_batch(docs, resources)
    for name, values in _language_model_values(batch, resources, docs).items():
        rows[:, column[name]] = values
    for index, doc in enumerate(docs):
        if not doc.tokens:
            rows[index] = 0.0
            continue
        doubled, dangling, damage = (len(found) for found in _kept_slips(doc))
        n_words = doc.n_words
        rows[index, column["phrasing.doubled_word_rate"]] = rate(doubled, n_words, per=100)
        rows[index, column["phrasing.dangling_function_rate"]] = rate(dangling, len(doc.sentences))
        rows[index, column["phrasing.spacing_damage_rate"]] = rate(damage, n_words, per=100)
        rows[index, column["phrasing.mean_sentence_words"]] = (
            rate(n_words, len(doc.sentences)) / 25.0
        )
    return rows


def _kept_slips(
    doc: Document,
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]], list[tuple[int, int]]]:
    """:func:`_surface_slips`, once per document (its values, then its evidence)."""
    return kept_on(doc, _SURFACE, None, _slips_of, doc)


_SURFACE = f"{FAMILY}.surface"


def _slips_of(
    doc: Document,
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]], list[tuple[int, int]]]:
    """:func:`_surface_slips`, or for a part of a document, the document's slips inside it.

    A doubled word is two adjacent tokens and a dangling word the end of
    its sentence, and a part (see :meth:`~detector.text.Document.part`) is
    a run of the document's sentences with their tokens: its doubled and
    dangling words are the document's that lie wholly inside it, moved to
    its offsets. Spacing damage is searched again, as its pattern looks at
    the end of the text.
    """
    within = doc.__dict__.get("_within")
    kept = found_on(within[0], _SURFACE, None) if within is not None else None
    if kept is None:
        return _surface_slips(doc)
    offset = doc.__dict__["_offset"]
    end = offset + len(doc.text)
    doubled, dangling, _ = kept
    return (
        [(s - offset, e - offset, word) for s, e, word in doubled if offset <= s and e <= end],
        [(s - offset, e - offset, word) for s, e, word in dangling if offset <= s and e <= end],
        [match.span() for match in SPACING_DAMAGE_RE.finditer(doc.text)],
    )


def _surface_slips(
    doc: Document,
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Doubled words, sentences ending on a function word, spacing damage: their spans."""
    doubled = []
    tokens = doc.tokens
    lowered = doc.lowered
    for index, same in enumerate(map(operator.eq, lowered, lowered[1:]), 1):
        if not same:
            continue
        lower, previous, token = lowered[index], tokens[index - 1], tokens[index]
        if lower.isalpha() and lower not in _DOUBLE_OK and token.start - previous.end <= 1:
            doubled.append((previous.start, token.end, lower))
    dangling = []
    for sentence in doc.sentence_tokens:
        # the last word must be the token before a final . or ! (four words and it)
        if len(sentence) < 5 or sentence[-1].text not in ".!":
            continue
        last = sentence[-2]
        if not last.text[0].isalpha() or last.text.lower() not in _NON_FINAL_WORDS:
            continue
        if sum(1 for t in sentence if t.text[0].isalpha()) >= 4:
            dangling.append((last.start, last.end, last.text))
    damage = [match.span() for match in SPACING_DAMAGE_RE.finditer(doc.text)]
    return doubled, dangling, damage


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """The roughest word sequences and the surface slips of one document."""
    resources = resources if resources is not None else Resources.empty()
    items: list[Evidence] = []
    if not doc.tokens:
        return items
    items.extend(_rough_sequences(doc, resources))
    doubled, dangling, damage = _kept_slips(doc)
    for start, end, lower in doubled:
        items.append(
            evidence_at(
                doc.text, FAMILY, "phrasing.doubled_word", start, end, f"'{lower}' twice in a row"
            )
        )
    for start, end, word in dangling:
        items.append(
            evidence_at(
                doc.text, FAMILY, "phrasing.dangling_function_word", start, end,
                f"sentence ends on '{word}', a word that needs a continuation",
            )
        )  # fmt: skip
    for start, end in damage:
        items.append(
            evidence_at(
                doc.text, FAMILY, "phrasing.spacing_damage", start, end,
                "spacing around punctuation that a typesetter would not leave",
            )
        )  # fmt: skip
    return items


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Garbled-phrasing measures of a text, with the roughest spans as evidence (a batch of one)."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)


def _segment_mean(values: np.ndarray, owner: np.ndarray, where: np.ndarray, n: int) -> np.ndarray:
    """Per document, the mean of ``values`` over the positions ``where`` (0 with none)."""
    totals = np.bincount(owner[where], weights=values[where], minlength=n)
    counts = np.bincount(owner[where], minlength=n)
    return np.divide(totals, counts, out=np.zeros(n), where=counts > 0)


def _segment_percentile(values: np.ndarray, owner: np.ndarray, n: int, q: float) -> np.ndarray:
    """Per document, ``np.percentile(its values, q)`` (linear method), 0 with none.

    >>> _segment_percentile(np.array([3.0, 1.0, 2.0, 5.0]), np.array([0, 0, 0, 2]), 3, 50).tolist()
    [2.0, 0.0, 5.0]
    """
    counts = np.bincount(owner, minlength=n)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    has = counts > 0
    if np.all(owner[1:] >= owner[:-1]):
        # laid out document by document (as a batch is): each document's
        # values sorted on their own, quicker than one sort of them all
        ends = (first + counts)[has].tolist()
        pieces = [np.sort(values[a:b]) for a, b in zip(first[has].tolist(), ends, strict=True)]
        ordered = np.concatenate(pieces) if pieces else values[:0]
    else:
        ordered = values[np.lexsort((values, owner))]
    # numpy's "linear" method: the virtual index (n - 1) q, interpolated as in
    # numpy.lib._function_base_impl._lerp, so the numbers are numpy's own
    virtual = (counts[has] - 1) * (q / 100)
    previous = np.floor(virtual).astype(np.int64)
    following = np.minimum(previous + 1, counts[has] - 1)
    gamma = virtual - previous
    low = ordered[first[has] + previous]
    high = ordered[first[has] + following]
    difference = high - low
    lerp = low + difference * gamma
    lerp = np.where(gamma >= 0.5, high - difference * (1 - gamma), lerp)
    result = np.zeros(n)
    result[has] = lerp
    return result


def _language_model_values(
    batch: EncodedBatch, resources: Resources, docs: Sequence[Document] = ()
) -> dict[str, np.ndarray]:
    """The language-model measures of every document of a batch, by feature name.

    Each of ``docs`` (the batch's documents) keeps its words' surprisal for
    its evidence (:func:`_rough_sequences`).
    """
    n = len(batch.bounds) - 1
    values = {name: np.zeros(n) for name in _LANGUAGE_MODEL_NAMES}
    if not batch.inside.any():
        return values
    word_model = resources.word_model
    word_ids, inside, owner, local = batch.word_ids, batch.inside, batch.document, batch.local
    surprisal = word_model.surprisal_batch(batch.word_counts, local)
    bounds = batch.bounds.tolist()
    for index, doc in enumerate(docs):
        keep(doc, f"{FAMILY}.surprisal", resources, surprisal[bounds[index] : bounds[index + 1]])
    unigram = (
        0.0 - np.log2(np.maximum(batch.word_counts[0], 0.5) / max(word_model.total, 1))
        if word_model.total
        else surprisal
    )
    scored = np.bincount(owner[inside], minlength=n) > 0  # documents with a token
    sentence, first = batch.sentence, batch.first_sentence

    def block(items: np.ndarray, where: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Each document's worst run's mean of ``items`` over the positions ``where``."""
        hits = np.bincount(at[where], weights=items[where].astype(float), minlength=batch.sentences)
        totals = np.bincount(at[where], minlength=batch.sentences)
        return worst_windows(hits, totals, first, min_count=BLOCK_MIN_ITEMS)

    values["phrasing.worst_block_surprisal"] = block(surprisal, inside, sentence) / 10.0
    values["phrasing.mean_surprisal"] = _segment_mean(surprisal, owner, inside, n) / 10.0
    values["phrasing.p90_surprisal"] = (
        _segment_percentile(surprisal[inside], owner[inside], n, 90) / 10.0
    )
    # How much the context helps: fluent text is predictable from its neighbours.
    values["phrasing.context_gain"] = _segment_mean(unigram - surprisal, owner, inside, n) / 10.0

    # n-grams made only of known words and inside one sentence (the markers
    # are not known words, so no n-gram that counts crosses a document's end)
    known = (word_ids >= FIRST_WORD_ID) | (word_ids == NUMBER)
    size = len(word_ids)
    bigram_ok = np.zeros(size, dtype=bool)  # by the bigram's first position
    bigram_ok[:-1] = known[:-1] & known[1:]
    seen = batch.word_counts[1] > 0 if word_model.order >= 2 else np.zeros(size, dtype=bool)
    unseen_share = 1.0 - _segment_mean(seen.astype(float), owner, bigram_ok, n)
    has_bigram = np.bincount(owner[bigram_ok], minlength=n) > 0
    values["phrasing.unseen_bigram_share"] = np.where(has_bigram, unseen_share, 0.0)
    values["phrasing.worst_block_unseen_bigram_share"] = block(~seen, bigram_ok, sentence)
    # A word swapped for a synonym breaks both of its bigrams while its
    # neighbours stay ordinary: the signature of a spinner or of a word
    # translated out of its collocation ("raising inventory price").
    triple = np.zeros(size, dtype=bool)  # by the middle word's position
    triple[1:-1] = known[:-2] & known[1:-1] & known[2:] & (word_ids[1:-1] >= FIRST_WORD_ID)
    odd = np.zeros(size, dtype=bool)
    odd[1:-1] = ~seen[:-2] & ~seen[1:-1]
    odd &= triple
    values["phrasing.odd_word_share"] = _segment_mean(odd.astype(float), owner, triple, n)
    values["phrasing.worst_block_odd_word_share"] = block(odd, triple, sentence)
    trigram_ok = np.zeros(size, dtype=bool)
    trigram_ok[:-1] = bigram_ok[:-1] & bigram_ok[1:]
    seen3 = batch.word_counts[2] > 0 if word_model.order >= 3 else np.zeros(size, dtype=bool)
    has_trigram = np.bincount(owner[trigram_ok], minlength=n) > 0
    unseen3 = 1.0 - _segment_mean(seen3.astype(float), owner, trigram_ok, n)
    values["phrasing.unseen_trigram_share"] = np.where(has_trigram, unseen3, 0.0)

    class_model = resources.class_model
    class_surprisal = class_model.surprisal_batch(batch.class_counts, local)
    values["phrasing.class_surprisal"] = _segment_mean(class_surprisal, owner, inside, n) / 10.0
    if class_model.order >= 4:
        # every 4-gram of the document, markers included
        lengths = np.diff(batch.bounds)[owner]
        starts = local + 4 <= lengths
        seen4 = (batch.class_counts[3] > 0).astype(float)
        values["phrasing.class_unseen_4gram_share"] = np.where(
            np.bincount(owner[starts], minlength=n) > 0,
            1.0 - _segment_mean(seen4, owner, starts, n),
            0.0,
        )

    # Rough windows: four consecutive tokens of one sentence whose mean word
    # surprisal is high (see _rough_sequences for the evidence).
    window, valid = _windows(surprisal, inside, local, np.diff(batch.bounds)[owner])
    rough = (window > ROUGH_WINDOW_BITS) & valid
    valid_counts = np.bincount(owner[valid], minlength=n)
    values["phrasing.rough_window_share"] = np.bincount(owner[rough], minlength=n) / np.maximum(
        valid_counts, 1
    )
    for name in values:
        values[name] = np.where(scored, values[name], 0.0)
    return values


def _windows(
    surprisal: np.ndarray, inside: np.ndarray, local: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean surprisal of the four tokens from each position, and where four tokens stand."""
    size = len(surprisal)
    masked = np.where(inside, surprisal, 0.0)
    window = np.zeros(size)
    count = np.zeros(size)
    for offset in range(4):
        ahead = np.minimum(np.arange(size) + offset, max(size - 1, 0))
        window += masked[ahead] * 0.25
        count += inside[ahead]
    valid = (local + 4 <= lengths) & (count == 4)
    return window, valid


def _surprisal(doc: Document, resources: Resources) -> np.ndarray:
    """The word model's surprisal of each position of a document's encoding."""
    word_counts, _ = gram_counts(doc, resources)
    return resources.word_model.surprisal(encode(doc, resources)[0], word_counts)


def _rough_sequences(doc: Document, resources: Resources) -> list[Evidence]:
    """The roughest runs of four words of one document, not overlapping."""
    word_ids, _, positions = encode(doc, resources)
    inside = np.asarray(positions, dtype=np.int64) >= 0
    if not inside.any() or len(word_ids) < 4:
        return []
    surprisal = kept_on(doc, f"{FAMILY}.surprisal", resources, _surprisal, doc, resources)
    kernel = np.ones(4)
    window = np.convolve(np.where(inside, surprisal, 0.0), kernel / 4.0, mode="valid")
    valid = np.convolve(inside.astype(float), kernel, mode="valid") == 4
    rough = (window > ROUGH_WINDOW_BITS) & valid
    tokens = doc.tokens
    covered: set[int] = set()
    items = []
    for start in np.argsort(-np.where(rough, window, -np.inf), kind="stable"):
        if not rough[start] or len(covered) >= 4 * MAX_ROUGH_EVIDENCE:
            break
        span = range(int(start), int(start) + 4)
        if covered.intersection(span):
            continue
        covered.update(span)
        begin, end = tokens[positions[start]].start, tokens[positions[start + 3]].end
        items.append(
            evidence_at(
                doc.text, FAMILY, "phrasing.rough_sequence", begin, end,
                f"word sequence unusual in clean news ({window[start]:.0f} bits per word)",
            )
        )  # fmt: skip
    return items


#: The values counted from the tokens alone; the rest need the language
#: models (zeros without them).
_TOKEN_NAMES = frozenset(
    {
        "phrasing.doubled_word_rate",
        "phrasing.dangling_function_rate",
        "phrasing.spacing_damage_rate",
        "phrasing.mean_sentence_words",
    }
)
_LANGUAGE_MODEL_NAMES = tuple(name for name in FEATURE_NAMES if name not in _TOKEN_NAMES)
