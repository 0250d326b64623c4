"""Synonym swaps: a word whose synonym is far more usual in this exact place.

An article spinner replaces words with thesaurus synonyms without looking at
their neighbours, and an MT round trip brings a word back through the pivot
language as another of its translations: "export" comes back as "output",
"shares rose" as "shares climbed", "said" as "stated". Each swap alone is
English, but the word now sits between neighbours that take its synonym, not
it. The word trigram model of clean news (shipped in the model) measures
this: for a content word ``w`` between ``a`` and ``b`` it compares how usual
``w`` is there, ``c(a, w) c(w, b) / c(w)`` (an estimate of the count of the
trigram ``a w b``), with the same estimate for each of ``w``'s synonyms from
the synonym table the model carries (WordNet, restricted to its vocabulary
and inflected alike). A word counts as a likely swap when it is unseen next
to one of its neighbours while a synonym is seen next to both and is at
least :data:`SWAP_RATIO` times as usual in that context.

False-positive risk: writers choose the less usual word on purpose (variety,
register, a quotation), and names that are also words ("Stone", "Bush") have
synonyms; capitalised words inside a sentence are never evidence. The values
are shares of the content words that have synonyms, shrunk towards zero for
short texts (one swap in a single sentence is weak evidence), and the
classifier weighs them against the other families.

>>> from detector.build import build_resources
>>> clean = ["Exports rose sharply in May, the ministry said.", "The index climbed."] * 3
>>> resources = build_resources(clean, min_trigram_count=1, min_word_count=1, synonyms=False)
>>> resources.synonym_offsets, resources.synonym_ids = synonyms_of(
...     resources, {"rose": ["climbed"], "climbed": ["rose"]})
>>> result = extract("Exports climbed sharply in May, the ministry said.", resources)
>>> round(result.values["substitution.swap_share"], 3)  # 1 swap / (1 word + SHARE_PRIOR)
0.048
>>> result.evidence[0].note
"'climbed' where 'rose' is far more usual here"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detector.features.base import (
    Evidence,
    FeatureResult,
    batch_of_one,
    evidence_at,
    items_of,
    keep,
    kept_on,
)
from detector.lm import NgramModel
from detector.resources import (
    FIRST_WORD_ID,
    SENTENCE_START,
    EncodedBatch,
    Resources,
    encode,
    encode_batch,
)
from detector.text import Document, Token

FAMILY = "substitution"

FEATURE_NAMES = (
    "substitution.swap_share",
    "substitution.strong_swap_share",
    "substitution.mean_log_ratio",
    "substitution.swap_rate",
)

#: How many times more usual than the word its synonym must be in the word's
#: context (estimated trigram counts) for the word to count as a swap.
SWAP_RATIO = 20.0
#: Least count of each of the synonym's two bigrams with the word's neighbours.
MIN_SYNONYM_BIGRAM = 2
#: Least trigram count of the synonym between the word's neighbours for a
#: strong swap (the word itself never seen there).
MIN_SYNONYM_TRIGRAM = 3
#: Added to every bigram count, so that unseen bigrams keep a finite estimate.
SMOOTHING = 0.5
#: Log-ratios are clipped here (natural log) before averaging, and scaled by it.
MAX_LOG_RATIO = 10.0
#: Pseudo-words added to every denominator: one swap among the five content
#: words of a short sentence is weak evidence, the same share of a whole
#: article is not.
SHARE_PRIOR = 20.0
#: Swaps reported as evidence per document, at most (the clearest first).
MAX_EVIDENCE = 5


@dataclass
class SwapBatch:
    """The content words with synonyms of a batch of documents, and what was found.

    Candidate ``i`` is the word at position ``position[i]`` of the batch's
    encoding (see :class:`~detector.resources.EncodedBatch`), in document
    ``document[i]``; ``candidates[d]`` counts document ``d``'s.
    """

    document: np.ndarray
    position: np.ndarray
    log_ratio: np.ndarray
    swap: np.ndarray
    strong: np.ndarray
    best_synonym: np.ndarray
    candidates: np.ndarray
    batch: EncodedBatch


def find_swaps(docs: Sequence[Document], resources: Resources) -> SwapBatch | None:
    """Every likely synonym swap of a batch (None without a synonym table)."""
    offsets, synonyms = resources.synonym_offsets, resources.synonym_ids
    if offsets is None or synonyms is None:
        return None
    batch = encode_batch(docs, resources)
    ids = batch.word_ids
    model = resources.word_model
    # Content words with synonyms (the table has rows for those only); every
    # word has neighbours, since sentences are wrapped in markers.
    in_table = (ids >= FIRST_WORD_ID) & (ids < len(offsets) - 1)
    safe = np.where(in_table, ids, 0)
    counts = np.where(in_table, offsets[safe + 1] - offsets[safe], 0)
    where = np.flatnonzero(counts > 0)
    n = len(where)
    document = batch.document[where]
    log_ratio = np.zeros(n)
    swap = np.zeros(n, dtype=bool)
    strong = np.zeros(n, dtype=bool)
    best_synonym = np.zeros(n, dtype=np.int64)
    found = SwapBatch(
        document, where, log_ratio, swap, strong, best_synonym,
        np.bincount(document, minlength=len(docs)), batch,
    )  # fmt: skip
    if n == 0 or model.order < 2:
        return found
    words, before, after = ids[where], ids[where - 1], ids[where + 1]
    per_word = counts[where]

    # First the words themselves: most are seen beside both neighbours, and
    # only the others need their synonyms looked up.
    shift = np.int64(model.bits)
    # word_counts[1][p] counts the bigram of positions p and p + 1 (shared with phrasing)
    bigrams = np.concatenate([batch.word_counts[1][where - 1], batch.word_counts[1][where]])
    unusual = (bigrams[:n] == 0) | (bigrams[n:] == 0)
    rows = np.flatnonzero(unusual)
    if len(rows):
        best, ratio = _best_synonyms(
            model, offsets, synonyms, words[rows], before[rows], after[rows], per_word[rows],
            bigrams[rows], bigrams[n + rows],
        )  # fmt: skip
        log_ratio[rows] = ratio
        best_synonym[rows] = best
        swap[rows] = ratio >= np.log(SWAP_RATIO)
        hits = rows[swap[rows]]
        if len(hits):
            # Strong: the synonym is a seen trigram there, the word never was.
            pairs = np.concatenate([words[hits], best_synonym[hits]])
            trigrams = model.lookup(
                (np.tile(before[hits], 2) << (2 * shift))
                | (pairs << shift)
                | np.tile(after[hits], 2),
                3,
            )
            strong[hits] = (trigrams[: len(hits)] == 0) & (
                trigrams[len(hits) :] >= MIN_SYNONYM_TRIGRAM
            )

    # Capitalised words inside a sentence are names, not swaps: dropped from
    # the counts (checked on the few candidates only, to keep this cheap).
    for index in np.flatnonzero(swap):
        if _token(docs, resources, found, int(index)).text[:1].isupper() and (
            ids[where[index] - 1] != SENTENCE_START
        ):
            swap[index] = strong[index] = False
    return found


def _token(docs: Sequence[Document], resources: Resources, found: SwapBatch, index: int) -> Token:
    """The token of candidate ``index``."""
    return _token_in(docs[int(found.document[index])], resources, found, index)


def _token_in(doc: Document, resources: Resources, found: SwapBatch, index: int) -> Token:
    """The token of candidate ``index``, which lies in ``doc``."""
    local = int(found.position[index] - found.batch.bounds[found.document[index]])
    return doc.tokens[encode(doc, resources)[2][local]]


def transform(docs: Sequence[Document], resources: Resources | None = None) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per document.

    Without ``resources``, or with resources whose model carries no synonym
    table (models built before this family existed), every value is 0.0.
    """
    rows = np.zeros((len(docs), len(FEATURE_NAMES)))
    if resources is None or not docs:
        return rows
    found = find_swaps(docs, resources)
    if found is None:
        return rows
    for index, doc in enumerate(docs):  # for evidence(), which then looks nothing up
        keep(doc, FAMILY, resources, (found, index))
    n = len(docs)
    denominators = found.candidates + SHARE_PRIOR
    swaps = np.bincount(found.document, weights=found.swap, minlength=n)
    strong = np.bincount(found.document, weights=found.strong, minlength=n)
    clipped = np.clip(found.log_ratio, 0.0, MAX_LOG_RATIO) / MAX_LOG_RATIO
    rows[:, 0] = swaps / denominators
    rows[:, 1] = strong / denominators
    rows[:, 2] = np.bincount(found.document, weights=clipped, minlength=n) / denominators
    words = np.array([doc.n_words for doc in docs], dtype=np.float64)
    rows[:, 3] = swaps * 100.0 / np.maximum(words + SHARE_PRIOR, 1.0)
    rows[found.candidates == 0] = 0.0
    return rows


def evidence(doc: Document, resources: Resources | None = None) -> list[Evidence]:
    """The clearest synonym swaps of one document."""
    if resources is None or not doc.tokens:
        return []
    found, own = kept_on(doc, FAMILY, resources, _found_alone, doc, resources)
    if found is None:
        return []
    items = []
    mine = items_of(found.document, own)
    swap, log_ratio = found.swap[mine], found.log_ratio[mine]
    for index in np.argsort(-np.where(swap, log_ratio, -np.inf), kind="stable")[:MAX_EVIDENCE]:
        if not swap[index]:
            break
        token = _token_in(doc, resources, found, int(mine[index]))
        usual_word = resources.word_of(int(found.best_synonym[mine[index]]))
        items.append(
            evidence_at(
                doc.text, FAMILY, "substitution.likely_synonym_swap", token.start, token.end,
                f"'{token.text}' where '{usual_word}' is far more usual here",
            )
        )  # fmt: skip
    items.sort(key=lambda item: item.start)
    return items


def _found_alone(doc: Document, resources: Resources) -> tuple[SwapBatch | None, int]:
    """:func:`find_swaps` of a batch of one, and the document's index in it."""
    return find_swaps([doc], resources), 0


def extract(text: str | Document, resources: Resources | None = None) -> FeatureResult:
    """Synonym-swap measures of a text, with the clearest swaps as evidence (a batch of one)."""
    return batch_of_one(Document.of(text), resources, transform, evidence, FEATURE_NAMES)


def _best_synonyms(
    model: NgramModel,
    offsets: np.ndarray,
    synonyms: np.ndarray,
    words: np.ndarray,
    before: np.ndarray,
    after: np.ndarray,
    per_word: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The most usual supported synonym of each word in its context, and its log-ratio.

    ``left`` and ``right`` are the words' own bigram counts with their
    neighbours. A word without a supported synonym gets synonym 0 and
    log-ratio 0.
    """
    shift = np.int64(model.bits)
    best = np.zeros(len(words), dtype=np.int64)
    ratio = np.zeros(len(words))
    # Every (word, synonym) pair, flattened: row index and synonym id.
    row = np.repeat(np.arange(len(words)), per_word)
    first_pair = np.cumsum(per_word) - per_word
    starts = np.repeat(offsets[words] - first_pair, per_word)
    candidates = synonyms[np.arange(len(row)) + starts].astype(np.int64)
    # A synonym must be seen after the left neighbour, then before the right
    # one: each step looks up only the pairs the previous one kept.
    synonym_left = model.lookup((before[row] << shift) | candidates, 2)
    kept = synonym_left >= MIN_SYNONYM_BIGRAM
    row, candidates, synonym_left = row[kept], candidates[kept], synonym_left[kept]
    synonym_right = model.lookup((candidates << shift) | after[row], 2)
    kept = synonym_right >= MIN_SYNONYM_BIGRAM
    if not kept.any():
        return best, ratio
    row, candidates = row[kept], candidates[kept]
    synonym_left, synonym_right = synonym_left[kept], synonym_right[kept]
    unigrams = model.lookup(np.concatenate([words, candidates]), 1)
    word_usual = _usual(left, right, unigrams[: len(words)])
    score = _usual(synonym_left, synonym_right, unigrams[len(words) :])
    # The best pair of each row: sort by row, then by score (highest first).
    order = np.lexsort((-score, row))
    leading = np.ones(len(order), dtype=bool)
    leading[1:] = row[order][1:] != row[order][:-1]
    best_pair = order[leading]
    found = row[best_pair]
    ratio[found] = np.maximum(score[best_pair] - word_usual[found], 0.0)
    best[found] = np.where(ratio[found] > 0, candidates[best_pair], 0)
    return best, ratio


def _usual(left: np.ndarray, right: np.ndarray, unigrams: np.ndarray) -> np.ndarray:
    """Log of ``c(a, x) c(x, b) / c(x)``, an estimate of the count of the trigram ``a x b``.

    >>> _usual(np.array([4.0]), np.array([9.0]), np.array([3.0])).round(2).tolist()
    [2.37]
    """
    return np.log(left + SMOOTHING) + np.log(right + SMOOTHING) - np.log(unigrams + 1.0)


def synonyms_of(resources: Resources, table: dict[str, list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """CSR synonym arrays (see :class:`~detector.resources.Resources`) from a word table.

    Words and synonyms outside the vocabulary are left out. For tests and
    examples; real tables come from :func:`detector.build.synonym_table`.

    >>> resources = Resources.empty()
    >>> resources.vocabulary = {"rose": FIRST_WORD_ID, "climbed": FIRST_WORD_ID + 1}
    >>> offsets, ids = synonyms_of(resources, {"rose": ["climbed", "soared"]})
    >>> ids[offsets[FIRST_WORD_ID] : offsets[FIRST_WORD_ID + 1]].tolist()
    [6]
    """
    vocabulary = resources.vocabulary
    size = max(vocabulary.values(), default=FIRST_WORD_ID - 1) + 1
    rows: list[list[int]] = [[] for _ in range(size)]
    for word, others in table.items():
        if word in vocabulary:
            rows[vocabulary[word]] = [vocabulary[o] for o in others if o in vocabulary]
    offsets = np.zeros(size + 1, dtype=np.int32)
    offsets[1:] = np.cumsum([len(r) for r in rows])
    return offsets, np.array([o for r in rows for o in r], dtype=np.uint16)
