"""How well the machine-translation head tells fluent MT from originals and human translations.

Reads the WMT22 document set (``../shared/data/mt-documents-dev.jsonl``,
see its MT-DOCUMENTS-DEV.md), computes the head's inputs on the
typography-normalised text at run time, fits heads with the package's own
fitting (:func:`detector.train_mt_head.fit_parts`) and measures their
out-of-fold logits, always grouped by ``doc_id``:

* ``cv``: 5 folds by ``doc_id``;
* ``lang:xx``: each source language held out (trained on the other
  languages, 5 folds by ``doc_id`` for the English originals);
* ``sys:NAME``: each online engine held out (trained without any of its
  output, and without the fold's documents).

For each, ROC-AUC of the held-out MT against the English originals
(``orig``) and against the human translations of the same documents
(``human``). Then the same for variants: the document-style measures added
(each group of them left out in turn, on the measures-only head), the
translationese scores added, shorter n-grams, other regularisation,
training against originals only, unweighted classes, WMT21 sentences
(``../shared/data/mt-sentences-dev.jsonl``) added as pseudo-documents of
:data:`PSEUDO_DOCUMENT_SENTENCES` sentences, the values of the main model's
families that read word statistics (``collocation``: word pairs of
everyday English; ``phrasing``: the news language model's surprisal;
``lexicon``: word frequencies), how much of a text survives a round trip
through Apertium (Spanish and Catalan; machine output is said to come back
from a second trip less changed than what people write: measured here only,
as it needs Apertium at scoring time), and the reference: 13 document
statistics and the rates of 150 function words, C=1, trained against
originals only.
The summary gives the worst and the mean held-out unit.

Usage::

    python benchmarks/mt_head.py            # every variant (about 30 minutes on one core)
    python benchmarks/mt_head.py --quick    # the default head and the reference only
    python benchmarks/mt_head.py --only "collocation|phrasing"  # and the variants matching
    python benchmarks/mt_head.py --only round-trip  # needs Apertium (Spanish and Catalan)
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from types import ModuleType

import numpy as np

from detector.features import collocation, lexicon, phrasing
from detector.features.document_style import FEATURE_NAMES as STYLE_NAMES
from detector.features.document_style import FUNCTION_WORDS, GROUPS, normalise_typography
from detector.model import load_model
from detector.mt_head import HEAD_FAMILIES, head_features
from detector.text import Document
from detector.train_mt_head import (
    CANDIDATE_NAMES,
    DEFAULT_NAMES,
    HEAD_VARIANT,
    LEXICON_SIZE,
    TRANSLATIONESE_NAMES,
    ClassCounts,
    HeadSettings,
    fit_parts,
    lexicon_words,
)

REPOSITORY = Path(__file__).resolve().parent.parent
GENERATED = REPOSITORY / "data" / "generated"
SHARED = REPOSITORY.parent / "shared" / "data"
DOCUMENTS = SHARED / "mt-documents-dev.jsonl"
SENTENCES = SHARED / "mt-sentences-dev.jsonl"
#: The online engines of the set (MT-DOCUMENTS-DEV.md, "By system").
ONLINE_ENGINES = ("Online-A", "Online-B", "Online-G", "Online-W", "Online-Y")
LANGUAGES = ("cs", "de", "ja", "ru", "uk", "zh")
FOLDS = 5
#: WMT21 sentences per pseudo-document.
PSEUDO_DOCUMENT_SENTENCES = 12
#: Targets: AUC against originals and against human translations, on every held-out unit.
TARGETS = (0.90, 0.75)
#: Values of the main model's families a variant may add beside the n-grams.
FAMILY_NAMES = {
    family.FAMILY: tuple(family.FEATURE_NAMES) for family in (collocation, phrasing, lexicon)
}
#: Every named value the variants read, one column each.
NAMES = (*CANDIDATE_NAMES, *[name for names in FAMILY_NAMES.values() for name in names])


@dataclass
class Data:
    """The document set's columns, one row per document version."""

    kind: np.ndarray
    language: np.ndarray
    system: np.ndarray
    doc: np.ndarray
    fold: np.ndarray
    #: every named value a variant may read (NAMES), one row per document
    matrix: np.ndarray
    #: the class n-gram counts of the documents, then of the extra documents
    counts: ClassCounts
    #: the lexical n-gram counts of the same documents, and the lexicon they keep
    lexical: ClassCounts
    lexicon: tuple[str, ...]
    reference: np.ndarray
    #: the round-trip values of each document (empty without Apertium's round trips)
    round_trip: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    @property
    def machine(self) -> np.ndarray:
        return self.kind == "machine_translation"

    @property
    def original(self) -> np.ndarray:
        return self.kind == "english_original"

    @property
    def human(self) -> np.ndarray:
        return self.kind == "human_translation"


@dataclass
class Extra:
    """Additional training documents (WMT21 pseudo-documents), never tested on."""

    texts: list[str]
    label: np.ndarray
    is_original: np.ndarray
    language: np.ndarray
    system: np.ndarray
    matrix: np.ndarray


@dataclass
class Variant:
    name: str
    #: the named values read beside the n-grams
    names: tuple[str, ...] = DEFAULT_NAMES
    settings: HeadSettings = field(default_factory=HeadSettings)
    negatives: tuple[str, ...] = ("english_original", "human_translation")
    extra: bool = False
    reference: bool = False
    #: read the round-trip values (:func:`round_trip_values`) beside ``names``
    round_trip: bool = False


_SENTENCE_WORDS_RE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def reference_features(texts: Sequence[str]) -> np.ndarray:
    """13 document statistics and the rates of 150 function words, computed plainly."""
    function_words = FUNCTION_WORDS[:150]
    index = {word: position for position, word in enumerate(function_words)}
    rows = []
    for text in texts:
        text = normalise_typography(text)
        doc = Document.of(text)
        words = [match.group().lower() for match in _SENTENCE_WORDS_RE.finditer(text)]
        n = max(len(words), 1)
        lengths = [
            len(_SENTENCE_WORDS_RE.findall(text[start:end])) for start, end in doc.sentences
        ] or [0]
        counts = np.zeros(len(function_words))
        for word in words:
            if word in index:
                counts[index[word]] += 1
        punctuation = sum(text.count(mark) for mark in ",;:()\"'!?-")
        statistics = [
            np.mean(lengths), np.std(lengths), len(set(words)) / n,
            np.mean([len(word) for word in words]) if words else 0.0,
            punctuation / n, text.count(",") / n, text.count(";") / n, text.count(":") / n,
            text.count("(") / n, text.count('"') / n, (text.count("?") + text.count("!")) / n,
            counts.sum() / n, np.mean([len(word) >= 9 for word in words]) if words else 0.0,
        ]  # fmt: skip
        rows.append(np.concatenate([statistics, counts / n]))
    return np.array(rows)


def load_documents(resources: object, extra: Extra | None) -> Data:
    rows = [json.loads(line) for line in DOCUMENTS.open(encoding="utf-8")]
    lexicon = lexicon_words(LEXICON_SIZE)
    texts = [row["text"] for row in rows]
    doc = np.array([row["doc_id"] for row in rows])
    unique = np.unique(doc)
    order = np.random.default_rng(0).permutation(len(unique))
    fold_of = {name: position % FOLDS for position, name in zip(order, unique, strict=True)}
    return Data(
        kind=np.array([row["kind"] for row in rows]),
        language=np.array([row["source_language"] for row in rows]),
        system=np.array([str(row["system"]) for row in rows]),
        doc=doc,
        fold=np.array([fold_of[name] for name in doc]),
        matrix=head_features(texts, resources, NAMES),
        counts=ClassCounts.of(texts + (extra.texts if extra is not None else [])),
        lexical=ClassCounts.lexical(texts + (extra.texts if extra is not None else []), lexicon),
        lexicon=lexicon,
        reference=reference_features(texts),
    )


def load_pseudo_documents(resources: object) -> Extra:
    """WMT21 sentences, grouped by pair, kind and system into runs of consecutive sentences."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for line in SENTENCES.open(encoding="utf-8"):
        row = json.loads(line)
        kind, _, pair = row["kind"].partition(":")
        groups.setdefault((kind, pair, str(row["system"])), []).append(row["text"])
    texts, labels, originals, languages, systems = [], [], [], [], []
    for (kind, pair, system), sentences in groups.items():
        if kind == "human-roundtrip":
            continue
        for start in range(0, len(sentences) - PSEUDO_DOCUMENT_SENTENCES + 1,
                           PSEUDO_DOCUMENT_SENTENCES):  # fmt: skip
            texts.append(" ".join(sentences[start : start + PSEUDO_DOCUMENT_SENTENCES]))
            labels.append(int(kind == "neural-mt"))
            originals.append(kind == "human-original")
            languages.append(pair.split("-")[0])
            systems.append(system)
    return Extra(
        texts=texts,
        label=np.array(labels),
        is_original=np.array(originals),
        language=np.array(languages),
        system=np.array(systems),
        matrix=head_features(texts, resources, NAMES),
    )


#: Pivots of the round trips, and what each gives: the share of word
#: unigrams and of bigrams the text and its round trip have in common (F1 of
#: their multisets), and difflib's ratio of their word sequences.
ROUND_TRIP_PIVOTS = ("spa", "cat")
_ROUND_TRIP_MEASURES = ("unigram_f1", "bigram_f1", "sequence_ratio")
ROUND_TRIP = ModuleType("round_trip")
ROUND_TRIP.FAMILY = "round_trip"  # type: ignore[attr-defined]
ROUND_TRIP.FEATURE_NAMES = tuple(  # type: ignore[attr-defined]
    f"round_trip.{pivot}_{measure}"
    for pivot in ROUND_TRIP_PIVOTS
    for measure in _ROUND_TRIP_MEASURES
)
_ROUND_TRIP_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+")
#: Documents per engine call.
_ROUND_TRIP_BATCH = 100


def round_trip_similarity(text: str, back: str) -> list[float]:
    """How much of ``text`` its round trip ``back`` keeps (see :data:`ROUND_TRIP_PIVOTS`).

    >>> round_trip_similarity("The cat sat on the mat.", "The cat sat on a mat.")
    [0.8333333333333334, 0.6, 0.8333333333333334]
    """
    words = [word.lower() for word in _ROUND_TRIP_WORD_RE.findall(text)]
    again = [word.lower() for word in _ROUND_TRIP_WORD_RE.findall(back)]
    if not words or not again:
        return [0.0, 0.0, 0.0]
    unigrams = sum((Counter(words) & Counter(again)).values()) * 2 / (len(words) + len(again))
    pairs = Counter(pairwise(words))
    pairs_again = Counter(pairwise(again))
    bigrams = sum((pairs & pairs_again).values()) * 2 / max(len(words) + len(again) - 2, 1)
    ratio = difflib.SequenceMatcher(None, words, again, autojunk=False).ratio()
    return [unigrams, bigrams, ratio]


def round_trip_values(texts: Sequence[str]) -> np.ndarray:
    """:func:`round_trip_similarity` of each typography-normalised text, pivot by pivot.

    The round trips are kept in ``data/generated`` (by a hash of the texts),
    as a second run would otherwise wait minutes for the engine again.
    """
    from detector.synth.apertium import Apertium

    normalised = [normalise_typography(text) for text in texts]
    digest = hashlib.sha256("\0".join(normalised).encode("utf-8")).hexdigest()[:16]
    engine = Apertium()
    engine.check(ROUND_TRIP_PIVOTS)
    columns = []
    for pivot in ROUND_TRIP_PIVOTS:
        kept = GENERATED / f"mt-head-round-trips-{pivot}-{digest}.json"
        if kept.exists():
            backs = json.loads(kept.read_text(encoding="utf-8"))
        else:
            backs = []
            for start in range(0, len(normalised), _ROUND_TRIP_BATCH):
                backs += engine.round_trip(normalised[start : start + _ROUND_TRIP_BATCH], pivot)
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(json.dumps(backs), encoding="utf-8")
        columns.append(
            [
                round_trip_similarity(text, back or "")
                for text, back in zip(normalised, backs, strict=True)
            ]
        )
    return np.hstack([np.array(column) for column in columns])


def units(data: Data) -> list[tuple[str, np.ndarray]]:
    none = np.zeros(len(data.kind), dtype=bool)
    return [
        ("cv", none),
        *[(f"lang:{language}", data.language == language) for language in LANGUAGES],
        *[(f"sys:{system}", data.system == system) for system in ONLINE_ENGINES],
    ]


def evaluate(data: Data, variant: Variant, extra: Extra | None) -> dict[str, tuple[float, float]]:
    """``{unit: (AUC vs originals, AUC vs human translations)}`` of one variant."""
    n = len(data.kind)
    if variant.reference:
        named, names = (
            data.reference,
            tuple(f"reference.{i}" for i in range(data.reference.shape[1])),
        )
    else:
        columns = [NAMES.index(name) for name in variant.names]
        named, names = data.matrix[:, columns], variant.names
        if variant.round_trip:
            named = np.hstack([named, data.round_trip])
            names = (*names, *ROUND_TRIP.FEATURE_NAMES)
            # no family computes them: the head takes them as a family known here only
            HEAD_FAMILIES.setdefault(ROUND_TRIP.FAMILY, ROUND_TRIP)
    extra_named = extra.matrix[:, columns] if extra is not None and variant.extra else None
    trainable = data.machine | np.isin(data.kind, variant.negatives)
    results = {}
    for name, held in units(data):
        scores = np.full(n, np.nan)
        for fold in range(FOLDS):
            train = np.flatnonzero((data.fold != fold) & ~held & trainable)
            x, y = named[train], data.machine[train].astype(int)
            rows = train
            if extra is not None and extra_named is not None:
                use = (extra.label == 1) | extra.is_original
                if "human_translation" in variant.negatives:
                    use |= extra.label == 0
                if name.startswith("lang:"):
                    use &= extra.language != name[5:]
                if name.startswith("sys:"):
                    use &= extra.system != name[4:]
                x = np.vstack([x, extra_named[use]])
                y = np.concatenate([y, extra.label[use]])
                rows = np.concatenate([train, n + np.flatnonzero(use)])
            test = np.flatnonzero(data.fold == fold)
            if variant.reference:
                scores[test] = _reference_scores(data.reference[train], y, data.reference[test])
                continue
            lexical = data.lexical if variant.settings.lexicon_size > 0 else None
            parts = fit_parts(
                x, data.counts.rows(rows), y, names, variant.settings,
                lexical.rows(rows) if lexical is not None else None, data.lexicon,
            )  # fmt: skip
            scores[test] = parts.decision(
                named[test], data.counts.rows(test),
                lexical.rows(test) if lexical is not None else None,
            )  # fmt: skip
        positive = data.machine & (held if name != "cv" else True)
        if name.startswith("sys:"):
            humans = data.human & np.isin(data.doc, np.unique(data.doc[held]))
        elif name.startswith("lang:"):
            humans = data.human & held
        else:
            humans = data.human
        results[name] = (
            _auc(data.machine, scores, positive | data.original),
            _auc(data.machine, scores, positive | humans),
        )
    return results


def _reference_scores(train: np.ndarray, labels: np.ndarray, test: np.ndarray) -> np.ndarray:
    """The reference: standardised values, scikit-learn's logistic regression (C=1)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=5000))
    return np.asarray(pipeline.fit(train, labels).decision_function(test))


def _auc(labels: np.ndarray, scores: np.ndarray, chosen: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels[chosen], scores[chosen]))


def variants(quick: bool) -> list[Variant]:
    measures_only = HeadSettings(c=0.01, min_documents=0)

    def without(dropped: Sequence[str]) -> tuple[str, ...]:
        return tuple(name for name in STYLE_NAMES if name not in set(dropped))

    classes_only = HeadSettings(lexicon_size=0)
    chosen = [
        Variant(HEAD_VARIANT),
        Variant("reference: 13 stats + 150 fw, C=1, vs orig",
                negatives=("english_original",), reference=True),
        Variant("head without lexical n-grams: class 1-3-grams", settings=classes_only),
    ]  # fmt: skip
    if quick:
        return chosen
    chosen += [
        Variant("head + document_style measures", names=STYLE_NAMES),
        Variant("head + document_style measures, weight 0.1", names=STYLE_NAMES,
                settings=HeadSettings(named_weight=0.1)),
        Variant("head + translationese scores", names=TRANSLATIONESE_NAMES),
        Variant("head, class 1-2-grams", settings=HeadSettings(ngram_order=2)),
        Variant("head, n-grams in >= 5 documents", settings=HeadSettings(min_documents=5)),
        Variant("head, C=0.3", settings=HeadSettings(c=0.3)),
        Variant("head, C=3", settings=HeadSettings(c=3.0)),
        Variant("head, trained vs orig only", negatives=("english_original",)),
        Variant("head, classes unweighted", settings=HeadSettings(balanced=False)),
        Variant("head + WMT21 pseudo-documents", extra=True),
        Variant("measures only (document_style), C=0.01", names=STYLE_NAMES,
                settings=measures_only),
        *[Variant(f"measures only, without {group}", names=without(group_names),
                  settings=measures_only) for group, group_names in GROUPS.items()],
        Variant("measures only + translationese", names=CANDIDATE_NAMES, settings=measures_only),
        *[Variant(f"head + {family} values", names=names)
          for family, names in FAMILY_NAMES.items()],
        Variant("head + Apertium round-trip similarity", round_trip=True),
    ]  # fmt: skip
    return chosen


def summary(results: dict[str, tuple[float, float]]) -> tuple[float, float, float, float]:
    held = [value for name, value in results.items() if name != "cv"]
    originals = [value[0] for value in held]
    humans = [value[1] for value in held]
    return min(originals), float(np.mean(originals)), min(humans), float(np.mean(humans))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="default head and reference only")
    parser.add_argument(
        "--only", metavar="PATTERN",
        help="of the other variants, run those whose name this regular expression finds",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the table as JSON here")
    arguments = parser.parse_args()
    if not DOCUMENTS.exists():
        sys.exit(f"{DOCUMENTS} is missing: this benchmark needs ../shared/data")
    started = time.perf_counter()
    resources = load_model().resources
    chosen = variants(arguments.quick and arguments.only is None)
    if arguments.only is not None:  # the default head and the reference always run
        pattern = re.compile(arguments.only)
        chosen = chosen[:2] + [v for v in chosen[2:] if pattern.search(v.name)]
    extra = load_pseudo_documents(resources) if any(v.extra for v in chosen) else None
    data = load_documents(resources, extra)
    if any(variant.round_trip for variant in chosen):
        from detector.synth.apertium import ApertiumError

        try:
            data.round_trip = round_trip_values(
                [json.loads(line)["text"] for line in DOCUMENTS.open(encoding="utf-8")]
            )
        except ApertiumError as error:  # the other variants need no engine
            print(f"round-trip variant left out: {error}", file=sys.stderr)
            chosen = [variant for variant in chosen if not variant.round_trip]
    print(f"{len(data.kind)} documents, {data.counts.matrix.shape[1]} class n-grams; "
          f"features in {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
    table = {}
    for variant in chosen:
        began = time.perf_counter()
        table[variant.name] = evaluate(data, variant, extra)
        took = time.perf_counter() - began
        print(f"  {variant.name}: {took:.0f} s", file=sys.stderr, flush=True)
    first, reference = table[chosen[0].name], table[chosen[1].name]
    print("\nROC-AUC per held-out unit (orig = vs English originals, human = vs human "
          "translations of the same documents)")  # fmt: skip
    print(f"{'unit':<14} {'head orig':>9} {'head human':>10} {'ref orig':>9} {'ref human':>10}")
    for unit in first:
        print(f"{unit:<14} {first[unit][0]:>9.3f} {first[unit][1]:>10.3f} "
              f"{reference[unit][0]:>9.3f} {reference[unit][1]:>10.3f}")  # fmt: skip
    print(f"\nheld-out units (languages and engines; targets: orig >= {TARGETS[0]}, "
          f"human >= {TARGETS[1]} on each)")  # fmt: skip
    print(f"{'variant':<45} {'cv orig':>7} {'cv hum':>7} {'min orig':>8} {'mean orig':>9} "
          f"{'min hum':>7} {'mean hum':>8}")  # fmt: skip
    for name, results in table.items():
        low_o, mean_o, low_h, mean_h = summary(results)
        print(f"{name:<45} {results['cv'][0]:>7.3f} {results['cv'][1]:>7.3f} {low_o:>8.3f} "
              f"{mean_o:>9.3f} {low_h:>7.3f} {mean_h:>8.3f}")  # fmt: skip
    if arguments.json is not None:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps({
            name: {unit: {"orig": round(o, 4), "human": round(h, 4)}
                   for unit, (o, h) in results.items()}
            for name, results in table.items()
        }, indent=1) + "\n")  # fmt: skip
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
