"""Build the shipped default model and every number on its card.

The recipe (also in data/README.md), from a checkout with ../shared beside it:

    python scripts/build_default_model.py

1. ``detector synth`` turns Reuters documents [0, N) into originals and their
   round trips, spins, modelled damage and partial documents.
2. The real neural MT sentences are grouped in runs of consecutive source
   sentences, and each run also makes two short documents, its machine and
   its human translations; short excerpts (1 to 4 paragraphs, the same
   window in every variant of a document) are cut from the synthesised
   documents.
3. Reuters documents [20000, 20000 + LM) train the language models; they
   share no document with steps 1 and 4.
4. Groups (source documents or runs of source sentences) are split 80/20
   (Reuters) and 50/50 (neural MT) into train and test by a hash of the group.
5. The classifier is fitted on train; the test halves give the card's
   held-out metrics; each generator is then left out of training in turn
   and measured on its test rows (leave-one-generator-out); the project's
   own negative set (legitimate but odd text) gives a false-positive rate.

Everything generated goes to data/generated/ (git-ignored); only the model
file and its card are written to models/.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import inspect
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from detector.build import (
    add_synonym_table,
    build_resources,
    it_names,
    name_pairs,
    proper_nouns,
)
from detector.collocations import Collocations
from detector.evaluation import card_metrics
from detector.features import feature_names, spinner
from detector.features.document_style import normalise_typography
from detector.known_names import KnownNames
from detector.model import DEFAULT_MODEL, Model
from detector.resources import Resources
from detector.scoring import Scorer, ranked_evidence
from detector.swaps import SwapTable, substitutions
from detector.synth.documents import join_paragraphs
from detector.synth.pipeline import SynthReport, iter_documents
from detector.synth.spinner import SPINNER_THESAURUS
from detector.text import Document
from detector.thesaurus import MAX_CLEAN_TEXTS, MIN_GROUPS
from detector.train import (
    TARGET_FALSE_POSITIVE_RATE,
    PageCounts,
    PatternMatrices,
    Sample,
    base_card,
    cross_fit_swaps,
    family_of,
    featurize,
    fit_stacked,
    flag_share,
    in_test_split,
    leave_one_generator_out,
    load_labelled,
    page_counts,
    pattern_matrix,
    unpaired_candidates,
    unpaired_entries,
)
from detector.train_mt_head import attach_from_data

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "reuters-2006-2012.jsonl.gz"
MT_SENTENCES = SHARED / "data" / "mt-sentences-dev.jsonl"
REAL_WEB = SHARED / "data" / "real-web-dev.jsonl"
MT_DOCUMENTS = SHARED / "data" / "mt-documents-dev.jsonl"
BROAD_ENGLISH = tuple(
    SHARED / "corpus" / f"broad-english-60m.part{part}.jsonl.gz" for part in (1, 2)
)
#: Sources of the broad corpus whose licences let a shipped model use
#: statistics of them (SOURCE-broad-english.md): all of them for research;
#: ``--open-sources`` keeps the openly licensed ones.
OPEN_SOURCES = ("wikipedia", "gutenberg", "medquad")
#: With ``--everyday-weight``: the share of the broad corpus's documents (by a
#: hash of their id) left out of its counts, whose openings become clean
#: training rows of everyday English (:func:`everyday_samples`).
EVERYDAY_SHARE = 0.03
#: The broad corpus's domains those rows come from: its old fiction is not
#: what content farms copy or users score.
EVERYDAY_DOMAINS = ("blogs", "reviews-movies", "reviews-games", "encyclopedia", "health")
#: Characters of a document's opening kept, trimmed back to a sentence end
#: (as the real-web pages were stored).
EVERYDAY_CHARACTERS = 2000
#: Folds of the real-web rows, grouped by domain (and by pair).
WEB_FOLDS = 5
#: False-positive targets of the real-web human pages: at most 2% flagged
#: (the Reuters originals and every other clean kind keep 1%).
WEB_TARGETS = {"web:human_other": 0.02, "web:original": 0.02}
#: What ``--page-model`` may ask for (see its help).
PAGE_MODEL_MODES = ("none", "feature", "linear")
#: Weight of each real-web kind, in shares of one synthetic generator's: the
#: real pages are what users score, and there are few of them.
WEB_WEIGHT = 2.0
NEGATIVE_SET = ROOT / "data" / "negative" / "legitimate-odd.jsonl"
GENERATED = ROOT / "data" / "generated"

#: Group of an MT-sentence id: its source sentence (system name stripped).
MT_GROUP = r"^(wmt21-[a-z]{2}-en-\d+|newstest\d+-[a-z]+-\d+)"
LANGUAGE_MODEL_OFFSET = 20000
#: Consecutive WMT21 source sentences per group and per neural-MT document.
#: WMT21 keeps each test document's sentences in order, so a run of them reads
#: as part of one news story (a run can straddle two stories).
MT_DOCUMENT_SENTENCES = 12
#: Sentences per paragraph in those documents.
MT_PARAGRAPH_SENTENCES = 3
_WMT_SENTENCE = re.compile(r"^wmt21-([a-z]{2})-en-(\d+)-")
_CLOSED = re.compile(r"""[.!?:;]["'\u201d\u2019)]*\s*$""")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def synthesize(limit: int, seed: int, jobs: int) -> Path:
    out = GENERATED / f"reuters-{limit}-seed{seed}.jsonl"
    if out.exists():
        log(f"reusing {out}")
        return out
    command = [
        # this interpreter's detector, whether or not its bin folder is on PATH
        sys.executable, "-c", "from detector.cli import main; main()",
        "synth", str(CORPUS), "--limit", str(limit), "--seed", str(seed),
        "--jobs", str(jobs), "--out", str(out),
    ]  # fmt: skip
    log("running " + " ".join(command))
    subprocess.run(command, check=True)
    return out


def language_model_texts(count: int) -> list[str]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        rows = islice(handle, LANGUAGE_MODEL_OFFSET, LANGUAGE_MODEL_OFFSET + count)
        return [json.loads(line)["text"] for line in rows]


def cached_resources(count: int) -> Resources:
    path = GENERATED / f"resources-lm{count}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            resources = Resources.from_arrays({key: data[key] for key in data.files})
        changed = False
        if not resources.proper_words:
            # cached before the corpus names were learnt: add them, keep the rest
            log(f"learning names from {count} Reuters documents")
            texts = language_model_texts(count)
            resources.proper_words = proper_nouns(Document.of(text) for text in texts)
            changed = True
        if not resources.it_names or not resources.name_pairs:
            # cached before the pronouns family and the two-word names: learn
            # them, keep the rest
            log(f"learning names called 'it' and two-word names from {count} Reuters documents")
            documents = [Document.of(text) for text in language_model_texts(count)]
            resources.it_names = it_names(documents)
            resources.name_pairs = name_pairs(documents)
            changed = True
        if resources.synonym_offsets is None:
            # cached before the substitution family: the table comes from
            # WordNet and the vocabulary alone, so it is added, not rebuilt
            log("adding the WordNet synonym table to the cached language models")
            changed = add_synonym_table(resources) or changed
        if changed:
            np.savez_compressed(path, **resources.to_arrays())
        return resources
    log(f"building language models from {count} Reuters documents")
    resources = build_resources(language_model_texts(count))
    np.savez_compressed(path, **resources.to_arrays())
    return resources


def held_for_everyday(document_id: str) -> bool:
    """Whether a broad-corpus document is held for the everyday rows (``--everyday-weight``)."""
    digest = hashlib.sha256(f"everyday:{document_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < EVERYDAY_SHARE


def broad_rows() -> Iterator[dict[str, str]]:
    """Every document of the broad everyday-English corpus."""
    for path in BROAD_ENGLISH:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def collocation_texts(open_sources: bool, everyday: bool = False) -> Iterator[str]:
    """The broad everyday-English corpus, then Reuters documents [LM offset, end).

    The Reuters documents that are synthesised into training rows ([0, N))
    are left out, so that no clean training text had its own word pairs
    counted; so are the broad documents held for the everyday rows when
    they are trained on (``everyday``).
    """
    for row in broad_rows():
        if open_sources and not row["source"].lower().startswith(OPEN_SOURCES):
            continue
        if everyday and held_for_everyday(row["id"]):
            continue
        yield row["text"]
    if open_sources:
        return
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in islice(handle, LANGUAGE_MODEL_OFFSET, None):
            yield json.loads(line)["text"]


_Counts = TypeVar("_Counts", Collocations, KnownNames)


def _cached_counts(
    kind: type[_Counts], stem: str, what: str, open_sources: bool, everyday: bool
) -> _Counts:
    """Counts of the broad corpus (:func:`collocation_texts`): built once, then reused.

    The cache's name holds a digest of the module that counts, so counts made
    by other code (another floor for pairs, say) are never taken for these.
    """
    held = f"-everyday{EVERYDAY_SHARE:g}" if everyday else ""
    code = hashlib.sha256(Path(inspect.getfile(kind)).read_bytes()).hexdigest()[:8]
    path = GENERATED / f"{stem}-{code}{'-open' if open_sources else ''}{held}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            table = kind.from_arrays({key: data[key] for key in data.files}, "")
        assert table is not None
        return table
    log(
        f"counting the {what} of the broad English corpus"
        + (" (open sources)" * open_sources)
        + (" (less the everyday rows' documents)" * everyday)
    )
    started = time.time()
    table = kind.build(collocation_texts(open_sources, everyday))
    np.savez_compressed(path, **table.to_arrays(""))
    log(f"{stem}: built in {time.time() - started:.0f} s")
    return table


def cached_collocations(open_sources: bool, everyday: bool = False) -> Collocations:
    """Word and word-pair counts of everyday English."""
    return _cached_counts(Collocations, "collocations", "word pairs", open_sources, everyday)


def cached_known_names(open_sources: bool, everyday: bool = False) -> KnownNames:
    """Counts of the capitalised names of the same corpus."""
    return _cached_counts(KnownNames, "known-names", "names", open_sources, everyday)


_NOTE_SWAP = re.compile(
    r"([A-Za-z][A-Za-z' .:&-]*?)\s*->\s*([A-Za-z][A-Za-z' .:&-]*?)(?=,|\(|;|\)|$)"
)


def note_swaps(note: str) -> list[tuple[str, str]]:
    """The ``original -> spun`` substitutions a real-web row's note names.

    >>> note_swaps("spinner: Call of Duty -> Name of Responsibility, told -> advised")
    [('Call of Duty', 'Name of Responsibility'), ('told', 'advised')]
    """
    swaps = []
    for match in _NOTE_SWAP.finditer(note):
        original = match.group(1).strip().split(": ")[-1].strip()
        swaps.append((original, match.group(2).strip()))
    return swaps


def web_samples() -> tuple[list[Sample], dict[str, list[tuple[str, str]]]]:
    """The real-web rows, grouped by domain (a spun page and its original share a group).

    Returns the samples and, for each spun row, the substitutions its note
    names and those an alignment with its original (where the file has it)
    finds: what a fold's swap table learns from.
    """
    rows = [json.loads(line) for line in REAL_WEB.open(encoding="utf-8")]
    by_id = {row["id"]: row for row in rows}
    group_of = {row["id"]: row["domain"] for row in rows}
    for row in rows:  # an original joins its spun copy's group
        if row["label"] == 1 and row["pair"] in by_id:
            group_of[row["pair"]] = row["domain"]
    samples, swaps = [], {}
    for row in rows:
        samples.append(Sample(row["id"], row["text"], int(row["label"]),
                              f"web:{group_of[row['id']]}", f"web:{row['kind']}",
                              {"evidence": row["evidence"]}))  # fmt: skip
        if row["label"] == 1:
            found = note_swaps(row.get("note") or "")
            if row["pair"] in by_id:
                found += substitutions(by_id[row["pair"]]["text"], row["text"])
            swaps[row["id"]] = found
    return samples, swaps


def web_fold(group: str) -> int:
    """The fold (0 .. WEB_FOLDS - 1) of a real-web group: a stable hash of its domain."""
    return (
        int.from_bytes(hashlib.sha256(f"web-fold:{group}".encode()).digest()[:8], "big") % WEB_FOLDS
    )


def swap_table(
    swaps: dict[str, list[tuple[str, str]]],
    ids: Iterable[str],
    thesaurus: Iterable[tuple[str, str]] = (),
) -> SwapTable:
    """The swap table learnt from the substitutions of the rows ``ids``, plus the spinner's own.

    ``thesaurus`` adds the entries learnt from the same rows' spun pages
    without their originals (:meth:`TrainingSet.thesaurus`).
    """
    return table_of([pair for row_id in ids for pair in swaps.get(row_id, [])], thesaurus)


def table_of(
    pairs: Iterable[tuple[str, str]], unpaired: Iterable[tuple[str, str]] = ()
) -> SwapTable:
    """A swap table of ``pairs`` (named or aligned), the spinner's own and ``unpaired`` entries."""
    return SwapTable.from_pairs([*pairs, *SPINNER_THESAURUS.items()], unpaired=unpaired)


def clean_originals(reuters: Iterable[Sample]) -> list[Sample]:
    """The Reuters originals of the training split: texts a thesaurus entry must stay out of."""
    return [s for s in reuters if s.label == 0 and not in_test_split(s.group, 0.2, "test")]


def auc_metrics(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, Any]:
    return card_metrics(labels, scores, threshold, n_bootstrap=500, seed=0)


def excerpt_window(key: str, paragraphs: int) -> slice:
    """A window of 1 to 4 of ``paragraphs`` paragraphs, chosen by a hash of ``key``."""
    digest = hashlib.sha256(key.encode()).digest()
    length = 1 + digest[0] % 4
    start = int.from_bytes(digest[1:5], "big") % max(1, paragraphs - length + 1)
    return slice(start, start + length)


def excerpts(documents: list[Sample], seed: int) -> list[Sample]:
    """Short excerpts (1 to 4 paragraphs) of every synthesised document, labelled anew.

    Whole Reuters articles are long, while users score single paragraphs and
    short posts, and the scorer scores each paragraph: without short texts in
    training the model has not learnt what a short spun text looks like. The
    same window of paragraphs is cut from every variant of a source document
    (the generators keep paragraphs aligned); a variant whose window is
    unchanged from the original's is dropped, and a partial document's window
    is spun only if it holds a changed paragraph.
    """
    by_group: dict[str, list[Sample]] = {}
    for sample in documents:
        by_group.setdefault(sample.group, []).append(sample)
    result: list[Sample] = []
    for group, variants in by_group.items():
        originals = [s for s in variants if s.kind == "original"]
        if not originals:
            continue
        source_paragraphs = originals[0].text.split("\n\n")
        window = excerpt_window(f"{seed}:excerpt:{group}", len(source_paragraphs))
        reference = "\n\n".join(source_paragraphs[window])
        if len(reference.split()) < 20:
            continue
        for sample in variants:
            paragraphs = sample.text.split("\n\n")
            if len(paragraphs) != len(source_paragraphs):
                continue  # paragraphs not aligned: the window would not match
            text = "\n\n".join(paragraphs[window])
            label = sample.label
            changed = sample.fields.get("paragraph_labels")
            if isinstance(changed, list) and len(changed) == len(paragraphs):
                label = int(any(changed[window]))
            if sample.kind != "original" and (label == 0 or text == reference):
                continue
            result.append(Sample(f"{sample.id}#excerpt", text, label, group, sample.kind))
    return result


_SENTENCE_END = re.compile(r"""[.!?]["'\u201d\u2019)]*(?=\s|$)""")


def opening(text: str, characters: int = EVERYDAY_CHARACTERS) -> str:
    """The first ``characters`` of ``text``, trimmed back to the last sentence end.

    >>> opening("One. Two words here. Three is cut", 25)
    'One. Two words here.'
    """
    head = text[:characters]
    ends = [match.end() for match in _SENTENCE_END.finditer(head)]
    return head[: ends[-1]].strip() if ends else head.strip()


def everyday_samples(open_sources: bool) -> list[Sample]:
    """Clean rows of everyday English: openings of broad-corpus documents never counted.

    Human web pages are blogs, reviews, encyclopedic and health pages as
    much as news; these rows show the model such writing as clean. Each row
    is a document's opening, as the real-web pages were stored; a document
    is its own group. ``--everyday-weight`` trains on them (measured in the
    README: no gain on the real pages, a loss on held-out Reuters excerpts).
    """
    samples = []
    for row in broad_rows():
        if open_sources and not row["source"].lower().startswith(OPEN_SOURCES):
            continue
        if row["domain"] in EVERYDAY_DOMAINS and held_for_everyday(row["id"]):
            text = opening(row["text"])
            if len(text.split()) >= 50:
                samples.append(Sample(f"everyday:{row['id']}", text, 0,
                                      f"everyday:{row['id']}", "everyday"))  # fmt: skip
    return samples


#: Kinds of the WMT22 documents as training rows (``document:`` keeps each
#: in its generator family for leave-one-generator-out).
WMT22_KINDS = {
    "machine_translation": "document:neural-mt:wmt22",
    "human_translation": "document:human-translation:wmt22",
    "english_original": "document:english-original:wmt22",
}


def wmt22_documents() -> list[Sample]:
    """The WMT22 documents (machine and human translations, English originals) as rows.

    Whole news documents of 13 neural systems from six source languages:
    one-way machine translation into English at the length of a web page.
    Typography is normalised first (curly quotes mark most human references
    and few machine outputs); every version of a document shares one group.
    ``--wmt22`` trains on half of the groups (measured in the README: no
    gain on the real pages).
    """
    samples = []
    with MT_DOCUMENTS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            samples.append(Sample(row["id"], normalise_typography(row["text"]), int(row["label"]),
                                  f"wmt22:{row['doc_id']}", WMT22_KINDS[row["kind"]]))  # fmt: skip
    return samples


def page_inputs(samples: list[Sample], wmt22_trained: bool) -> PageCounts:
    """The page model's n-gram counts: every row, and half of the WMT22 documents as extras.

    The page model (:func:`detector.features.translationese.page_scores`)
    learns from the real web pages and the clean news originals among the
    rows (:func:`~detector.train.learns_page`), and from the WMT22
    documents whose ``doc_id`` falls in the training half
    (:func:`wmt22_in_training`): machine translation against English
    originals and human translations. The other half stays unseen, for
    measures on the main model. With ``--wmt22`` those documents are rows
    already, and no extras are added.
    """
    started = time.time()
    extra = [] if wmt22_trained else [s for s in wmt22_documents() if wmt22_in_training(s.group)]
    pages = page_counts(
        [s.text for s in samples], [s.text for s in extra], [s.label for s in extra]
    )
    log(f"page model inputs: {len(samples)} rows and {len(extra)} WMT22 documents, "
        f"{time.time() - started:.0f} s")  # fmt: skip
    return pages


def wmt22_in_training(group: str) -> bool:
    """Whether a WMT22 document (its group, ``wmt22:<doc_id>``) is in the training half."""
    return not in_test_split(group, 0.5, "test")


def mt_runs(sentences: list[Sample]) -> list[Sample]:
    """The WMT21 sentences regrouped by runs of MT_DOCUMENT_SENTENCES source sentences.

    Every translation of a source sentence stays in its run, and a run's
    sentences and the documents made of them (see :func:`mt_documents`) share
    one group, so they fall on one side of every split and every fold. Other
    sentences (the English originals and their human round trips, sampled one
    by one) keep their group.
    """
    regrouped = []
    for sample in sentences:
        match = _WMT_SENTENCE.match(sample.id)
        if match:
            run = (int(match.group(2)) - 1) // MT_DOCUMENT_SENTENCES
            sample = replace(sample, group=f"wmt21-{match.group(1)}-en-run{run}")
        regrouped.append(sample)
    return regrouped


def mt_documents(sentences: list[Sample]) -> list[Sample]:
    """Short news documents of real neural MT and of human translation, a pair per run.

    The sentences scored one by one say little about whole texts, which is
    what users score: a run of consecutive sentences, in order and in
    paragraphs of MT_PARAGRAPH_SENTENCES, makes a document of machine output
    (each sentence from a randomly chosen system, as in the data) and one of
    the professional translations of the same sentences.
    """
    runs: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for sample in sentences:
        match = _WMT_SENTENCE.match(sample.id)
        if match and sample.kind.startswith(("neural-mt:", "human-translation:")):
            kind = sample.kind.split(":")[0]
            runs.setdefault((sample.group, kind), []).append((int(match.group(2)), sample.text))
    documents = []
    for (group, kind), rows in sorted(runs.items()):
        paragraphs: list[list[str]] = [[]]
        for _, text in sorted(rows):
            paragraphs[-1].append(text.strip())
            # a headline (no closing punctuation) stands alone, as in the story
            if len(paragraphs[-1]) == MT_PARAGRAPH_SENTENCES or not _CLOSED.search(text):
                paragraphs.append([])
        label = 1 if kind == "neural-mt" else 0
        text = "\n\n".join(" ".join(sentences) for sentences in paragraphs if sentences)
        documents.append(Sample(f"{group}-{kind}", text, label, group, f"document:{kind}"))
    return documents


#: Clean Reuters documents (lines of the corpus) that set the shipped
#: threshold: never synthesised, never counted by the language models, and
#: apart from those ``benchmarks/fresh_originals.py`` checks it on.
CALIBRATION_LINES = (4000, 6000)
#: How many of them: each scored whole and as one excerpt of 1 to 4 paragraphs.
CALIBRATION_DOCUMENTS = 1000


def fresh_documents(start: int, stop: int, count: int) -> list[tuple[str, list[str]]]:
    """``count`` usable Reuters documents from lines ``[start, stop)``, read as by ``synth``."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        lines = list(islice(handle, start, stop))
    chosen: list[tuple[str, list[str]]] = []
    with tempfile.TemporaryDirectory() as folder:
        part = Path(folder) / "part.jsonl"
        part.write_text("".join(lines), encoding="utf-8")
        for document_id, paragraphs in iter_documents([part], SynthReport(part)):
            chosen.append((document_id, paragraphs))
            if len(chosen) == count:
                break
    return chosen


def fresh_excerpt(paragraphs: list[str], document_id: str, seed: int = 0) -> str:
    """A window of 1 to 4 paragraphs of a document, chosen by a hash of its id."""
    window = excerpt_window(f"{seed}:fresh-excerpt:{document_id}", len(paragraphs))
    return join_paragraphs(paragraphs[window])


def calibration_samples() -> list[Sample]:
    """Clean Reuters articles and excerpts that set the threshold (:func:`calibrated_threshold`)."""
    samples = []
    for document_id, paragraphs in fresh_documents(*CALIBRATION_LINES, CALIBRATION_DOCUMENTS):
        group = f"calibration:{document_id}"
        samples.append(Sample(f"{document_id}#calibration", join_paragraphs(paragraphs), 0,
                              group, "calibration:article"))  # fmt: skip
        samples.append(Sample(f"{document_id}#calibration-excerpt",
                              fresh_excerpt(paragraphs, document_id), 0, group,
                              "calibration:excerpt"))  # fmt: skip
    return samples


def calibrated_threshold(threshold: float, scores: np.ndarray, data: TrainingSet) -> float:
    """``threshold``, raised where the fitted model flags too many fresh clean articles.

    The out-of-fold threshold is set on the fold models' scores, and the
    model fitted on every row scores new clean news higher than they do: on
    held-out Reuters originals it flagged twice the target. So the shipped
    model also scores clean Reuters articles and excerpts that no step of
    the recipe read (:func:`calibration_samples`), and the threshold rises
    until each kind is under the target as :func:`~detector.train.clean_threshold`
    counts it.
    """
    for kind in ("calibration:article", "calibration:excerpt"):
        kind_scores = scores[data.kinds == kind]
        if len(kind_scores):
            share = flag_share(len(kind_scores), TARGET_FALSE_POSITIVE_RATE)
            threshold = max(threshold, float(np.quantile(kind_scores, 1.0 - share)) + 1e-6)
    return round(min(threshold, 0.99), 4)


def write_heldout(samples: list[Sample], test: np.ndarray, source: np.ndarray) -> None:
    """The test rows as files, so that `detector evaluate` can reproduce the card's numbers."""
    for name in ("reuters", "mt", "mt-document", "excerpt"):
        path = GENERATED / f"heldout-{name}.jsonl"
        with open(path, "w", encoding="utf-8") as handle:
            for sample, is_test, origin in zip(samples, test, source, strict=True):
                if is_test and origin == name:
                    row = {"id": sample.id, "text": sample.text, "label": sample.label,
                           "group": sample.group, "kind": sample.kind}  # fmt: skip
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        log(f"wrote {path}")


def feature_cache_stem(samples: list[Sample], args: argparse.Namespace, data: Path) -> Path:
    """Where the features of ``samples`` are cached: a hash of everything they depend on."""
    digest = hashlib.sha256()
    package = ROOT / "detector"
    feature_code = (
        "text.py", "resources.py", "lm.py", "wordlists.py", "train.py", "build.py",
        "collocations.py", "swaps.py", "known_names.py",
    )  # fmt: skip
    for path in sorted([*package.glob("features/*.py"), *(package / n for n in feature_code)]):
        digest.update(path.read_bytes())
    for path in (data, MT_SENTENCES):
        digest.update(f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}".encode())
    digest.update(f"lm{args.lm_documents}".encode())
    digest.update(f"collocations{args.collocations}:{args.open_sources}".encode())
    if args.everyday_weight:  # other counts, and rows made here
        digest.update(f"everyday{EVERYDAY_SHARE}".encode())
        digest.update(inspect.getsource(everyday_samples).encode())
        digest.update(inspect.getsource(opening).encode())
    if args.wmt22:
        digest.update(f"{MT_DOCUMENTS}:{MT_DOCUMENTS.stat().st_size}".encode())
        digest.update(inspect.getsource(wmt22_documents).encode())
    # the rows themselves: excerpts, MT documents and real-web rows are made
    # here, not in the data file (their ids and lengths are hashed below too)
    for function in (excerpts, mt_runs, mt_documents, web_samples):
        digest.update(inspect.getsource(function).encode())
    for sample in samples:
        digest.update(f"{sample.id}\t{len(sample.text)}\n".encode())
    stem = GENERATED / f"features-{digest.hexdigest()[:16]}"
    return stem


def cached_features(
    samples: list[Sample], resources: Resources, args: argparse.Namespace, data: Path
) -> tuple[np.ndarray, PatternMatrices]:
    """Feature matrix and pattern matrices, cached under a hash of everything they depend on.

    The key covers the feature code (the feature families and the modules
    they and the featurising functions import), the data files and the
    language-model corpus size, so a change to any of them recomputes.
    """
    import scipy.sparse as sparse

    stem = feature_cache_stem(samples, args, data)
    files = {
        "matrix": stem.with_suffix(".npy"),
        "documents": stem.with_name(stem.name + "-documents.npz"),
        "sentences": stem.with_name(stem.name + "-sentences.npz"),
        "owner": stem.with_name(stem.name + "-owner.npy"),
    }
    if all(path.exists() for path in files.values()):
        log(f"reusing {stem}")
        return np.load(files["matrix"]), PatternMatrices(
            sparse.load_npz(files["documents"]),
            sparse.load_npz(files["sentences"]),
            np.load(files["owner"]),
        )
    started = time.time()
    matrix = featurize([s.text for s in samples], resources, jobs=args.jobs)
    patterns = pattern_matrix([s.text for s in samples], resources)
    np.save(files["matrix"], matrix)
    sparse.save_npz(files["documents"], patterns.documents)
    sparse.save_npz(files["sentences"], patterns.sentences)
    np.save(files["owner"], patterns.owner)
    log(f"features in {time.time() - started:.0f} s")
    return matrix, patterns


@dataclass
class TrainingSet:
    """Every row of the recipe with its split, features and language models."""

    samples: list[Sample]
    #: held-out rows (True) and where each row comes from (reuters, mt, ...)
    test: np.ndarray
    source: np.ndarray
    kinds: np.ndarray
    labels: np.ndarray
    negative: list[Sample]
    resources: Resources
    matrix: np.ndarray
    patterns: PatternMatrices
    names: tuple[str, ...]
    #: substitutions named or aligned for each spun real-web row
    web_swaps: dict[str, list[tuple[str, str]]]
    #: thesaurus candidates (:func:`detector.thesaurus.candidates`) of each
    #: real-web row, and of each clean Reuters original of the training split
    web_candidates: dict[str, list[tuple[str, str]]]
    clean_candidates: list[list[tuple[str, str]]]
    _documents: list[Document] | None = None
    _web: list[Sample] | None = None

    def thesaurus(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """The thesaurus entries the real-web rows ``ids`` teach.

        The spun rows' candidates count by domain; the human rows among
        ``ids`` and the clean Reuters originals are the clean texts an entry
        must stay out of (:func:`~detector.train.unpaired_entries`).
        """
        if self._web is None:
            self._web = [sample for sample in self.samples if sample.id in self.web_candidates]
        return unpaired_entries(self._web, self.web_candidates, ids, clean=self.clean_candidates)

    def documents(self) -> list[Document]:
        """Every row as a :class:`Document`, made once."""
        if self._documents is None:
            self._documents = [Document.of(sample.text) for sample in self.samples]
        return self._documents


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_data_arguments(parser)
    parser.add_argument("--name", default=DEFAULT_MODEL)
    parser.add_argument("--overwrite", action="store_true")
    return parser.parse_args(argv)


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that decide the training set (shared with the benchmarks)."""
    parser.add_argument("--documents", type=int, default=3000, help="Reuters documents to synth")
    parser.add_argument("--lm-documents", type=int, default=16000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--no-web",
        dest="web",
        action="store_false",
        help="leave the real-web rows out of training (and their folds out of the card)",
    )
    parser.add_argument(
        "--page-model",
        choices=PAGE_MODEL_MODES,
        default="none",
        help="the translationese family's page model: 'feature' fits it (a column of the "
        "trees), 'linear' also adds its score above 0 to the calibrated logit; 'none' "
        "(default) leaves its column out",
    )
    parser.add_argument(
        "--no-collocations",
        dest="collocations",
        action="store_false",
        help="build without the broad-English word-pair counts",
    )
    parser.add_argument(
        "--no-leave-one-out",
        dest="leave_one_out",
        action="store_false",
        help="skip leaving each generator out of training in turn (the longest step)",
    )
    parser.add_argument(
        "--no-mt-head",
        dest="mt_head",
        action="store_false",
        help="write the model without the machine-translation head",
    )
    parser.add_argument(
        "--web-weight", type=float, default=WEB_WEIGHT,
        help="weight of each real-web kind, in shares of one generator's (default %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--no-cross-fit",
        dest="cross_fit",
        action="store_false",
        help="count each real spun page in training with its own swaps in the table "
        "(as detector-v12 did): for ablations",
    )
    parser.add_argument(
        "--no-thesaurus",
        dest="thesaurus",
        action="store_false",
        help="learn no thesaurus entries from spun pages without originals: for ablations",
    )
    parser.add_argument(
        "--no-spun-names",
        dest="spun_names",
        action="store_false",
        help="of those, learn no names that only spun pages write: for ablations",
    )
    parser.add_argument(
        "--everyday-weight", type=float, default=0.0,
        help="also train on openings of everyday English (a share of the broad corpus's "
        "documents, then left out of its counts) at this weight, in shares of one kind's: "
        "for experiments (default %(default)s: none)",
    )  # fmt: skip
    parser.add_argument(
        "--wmt22",
        action="store_true",
        help="also train on half of the WMT22 documents (machine and human translations, "
        "English originals): for experiments",
    )
    parser.add_argument(
        "--web-only",
        action="store_true",
        help="measure the real-web domain folds and stop (no model written): for ablations",
    )
    parser.add_argument(
        "--held-out-only",
        action="store_true",
        help="fit on the training split, print the held-out metrics and stop (no model "
        "written, no real-web folds): for ablations",
    )
    parser.add_argument(
        "--open-sources",
        action="store_true",
        help="count word pairs in the openly licensed parts of the broad corpus only",
    )
    parser.add_argument(
        "--without", action="append", default=[], metavar="GLOB",
        help="leave out the features matching GLOB (repeatable), to measure what they add",
    )  # fmt: skip


def training_set(args: argparse.Namespace) -> TrainingSet:
    """Steps 1 to 4 of the recipe: rows, split, language models and features (cached)."""
    GENERATED.mkdir(parents=True, exist_ok=True)
    reuters_path = synthesize(args.documents, args.seed, args.jobs)
    reuters, problems = load_labelled([reuters_path])
    mt, more = load_labelled([MT_SENTENCES], group_from_id=MT_GROUP)
    mt = mt_runs(mt)
    negative, even_more = load_labelled([NEGATIVE_SET])
    for problem in problems + more + even_more:
        log(f"skipped {problem}")
    short = excerpts(reuters, args.seed)
    mt_docs = mt_documents(mt)
    web, web_swaps = web_samples() if args.web else ([], {})
    calibration = calibration_samples()
    everyday = everyday_samples(args.open_sources) if args.everyday_weight else []
    wmt22 = wmt22_documents() if args.wmt22 else []
    samples: list[Sample] = reuters + mt + short + mt_docs + web + calibration + everyday + wmt22
    test = np.array(
        [in_test_split(s.group, 0.2, "test") for s in reuters]
        + [in_test_split(s.group, 0.5, "test") for s in mt]
        + [in_test_split(s.group, 0.2, "test") for s in short]
        + [in_test_split(s.group, 0.5, "test") for s in mt_docs]
        # the real-web rows are measured by domain folds (web_cross_validation)
        + [False] * len(web)
        # never trained on: they set the threshold (calibrated_threshold)
        + [True] * len(calibration)
        + [in_test_split(s.group, 0.2, "test") for s in everyday]
        + [in_test_split(s.group, 0.5, "test") for s in wmt22]
    )
    source = np.array(
        ["reuters"] * len(reuters) + ["mt"] * len(mt) + ["excerpt"] * len(short)
        + ["mt-document"] * len(mt_docs) + ["web"] * len(web)
        + ["calibration"] * len(calibration) + ["everyday"] * len(everyday)
        + ["wmt22"] * len(wmt22)
    )  # fmt: skip
    log(f"{len(samples)} samples ({test.sum()} test), {len(negative)} negative-set texts")
    write_heldout(samples, test, source)

    resources = cached_resources(args.lm_documents)
    if args.collocations:
        everyday_held = bool(args.everyday_weight)
        resources.collocations = cached_collocations(args.open_sources, everyday_held)
        resources.known_names = cached_known_names(args.open_sources, everyday_held)
    # the spinner family's columns depend on the swap table, which each fold
    # learns anew: computed without one here, filled in by with_swaps()
    resources.swap_table = None
    matrix, patterns = cached_features(samples, resources, args, reuters_path)
    if args.page_model != "none":
        patterns.pages = page_inputs(samples, args.wmt22)
    web_candidates = unpaired_candidates(web, resources) if args.thesaurus else {}
    if not args.spun_names:  # a name comes with an empty original side
        web_candidates = {key: [c for c in found if c[0]] for key, found in web_candidates.items()}
    clean_candidates = (
        list(unpaired_candidates(clean_originals(reuters), resources).values())
        if args.thesaurus
        else []
    )
    every_name = feature_names()
    # without a page model its column would be zero throughout: left out
    dropped = [*args.without, *(["translationese.page_score"] * (args.page_model == "none"))]
    names = tuple(n for n in every_name if not any(fnmatch(n, glob) for glob in dropped))
    if args.without:
        log(f"without {len(every_name) - len(names)} features: {' '.join(args.without)}")
    if len(names) < len(every_name):
        matrix = matrix[:, [every_name.index(name) for name in names]]
    return TrainingSet(
        samples=samples,
        test=test,
        source=source,
        kinds=np.array([s.kind for s in samples]),
        labels=np.array([s.label for s in samples]),
        negative=negative,
        resources=resources,
        matrix=matrix,
        patterns=patterns,
        names=names,
        web_swaps=web_swaps,
        web_candidates=web_candidates,
        clean_candidates=clean_candidates,
    )


def with_swaps(
    data: TrainingSet, table: SwapTable, learnt_from: np.ndarray | None = None
) -> tuple[np.ndarray, Resources]:
    """The feature matrix with the spinner family's columns computed with ``table``.

    ``learnt_from`` marks the real-web rows whose substitutions ``table``
    holds: each of their groups (a domain) gets its columns from the table
    learnt without it (:func:`~detector.train.cross_fit_swaps`). Returns the
    matrix and a copy of the resources that carries ``table``.
    """
    resources = dataclasses.replace(data.resources, swap_table=table)
    columns = [data.names.index(name) for name in spinner.FEATURE_NAMES if name in data.names]
    matrix = data.matrix.copy()
    if not columns:
        return matrix, resources
    keep = [spinner.FEATURE_NAMES.index(data.names[column]) for column in columns]
    documents = data.documents()
    matrix[:, columns] = spinner.transform(documents, resources)[:, keep]
    if learnt_from is not None:
        cross_fit_swaps(
            matrix, data.samples, data.names, data.resources, data.web_swaps,
            table_of,
            documents.__getitem__, pooled=learnt_from,
            unpaired=data.thesaurus if data.web_candidates else None,
        )  # fmt: skip
    return matrix, resources


#: Evidence items of a flagged page checked for one of its real swaps.
TOP_EVIDENCE = 5


def web_boosts(weight: float, everyday: float = 1.0) -> dict[str, float]:
    """Weight multipliers of the real-web kinds and the everyday rows (1: a generator's share)."""
    kinds = ("spinner", "round_trip", "mixed", "original", "human_other")
    return {f"web:{kind}": weight for kind in kinds} | {"everyday": everyday}


def web_cross_validation(
    data: TrainingSet,
    train: np.ndarray,
    seed: int,
    web_weight: float = 1.0,
    cross_fit: bool = True,
    everyday_weight: float = 1.0,
    linear: bool = False,
) -> tuple[dict[str, Any], np.ndarray]:
    """Every real-web row scored by a model that never saw its domain.

    For each of WEB_FOLDS folds of the real-web groups (domains, a spun page
    with its original), the swap table is learnt from the other folds'
    rows, the spinner columns recomputed with it, and the whole model
    (pattern model, trees, calibration, threshold) fitted on the training
    rows less that fold; the fold's rows are then scored, flagged at that
    fit's threshold, and the evidence of each flagged spun page compared
    with the page's known swaps. Returns the card's metrics and the scores.
    """
    web = data.source == "web"
    folds = np.array(
        [web_fold(s.group) if w else -1 for s, w in zip(data.samples, web, strict=False)]
    )
    scores = np.full(len(data.samples), np.nan)
    flagged = np.zeros(len(data.samples), dtype=bool)
    shown: dict[str, bool] = {}
    for fold in range(WEB_FOLDS):
        held = folds == fold
        ids = [s.id for s, h in zip(data.samples, web & ~held, strict=False) if h]
        table = swap_table(data.web_swaps, ids, data.thesaurus(ids))
        learnt_from = web & ~held if cross_fit else None
        matrix, resources = with_swaps(data, table, learnt_from=learnt_from)
        result, fold_scores = fit_stacked(
            data.samples, matrix, data.patterns, resources, train & ~held,
            names=data.names, seed=seed, folds=3, targets=WEB_TARGETS,
            boosts=web_boosts(web_weight, everyday_weight), linear=linear,
        )  # fmt: skip
        threshold = calibrated_threshold(result.model.threshold, fold_scores, data)
        result.model.threshold = threshold
        scores[held] = fold_scores[held]
        flagged[held] = fold_scores[held] >= threshold
        scorer = Scorer(result.model, threshold, paragraphs=False)
        for index in np.flatnonzero(held & flagged & (data.labels == 1)):
            sample = data.samples[index]
            shown[sample.id] = shows_real_swap(sample, scorer)
        terms = ", ".join(
            f"{data.names[int(column)]} x {weight:.3f}"
            for column, weight in zip(
                result.model.linear_features, result.model.linear_weights, strict=True
            )
        )
        log(f"  web fold {fold}: {int(held.sum())} rows, threshold {threshold:.4f}, "
            f"{len(table)} swaps learnt, linear terms: {terms or 'none'}")  # fmt: skip
    kinds = data.kinds[web]
    labels, web_scores, web_flagged = data.labels[web], scores[web], flagged[web]
    metrics = card_metrics(labels, web_scores, 0.5, n_bootstrap=500, seed=0)
    # the rows were flagged at each fold's own threshold (below), not at one
    for key in ("false_positive_rate", "recall", "precision", "f1"):
        metrics.pop(key, None)
    metrics["folds"] = WEB_FOLDS
    metrics["spun_flagged"] = float(web_flagged[labels == 1].mean())
    metrics["human_flagged"] = float(web_flagged[labels == 0].mean())
    metrics["flagged_human_pages"] = [
        s.id
        for s, w, f in zip(data.samples, web, flagged, strict=False)
        if w and f and s.label == 0
    ]
    metrics["by_kind"] = {
        kind: {"n": int((kinds == kind).sum()), "flagged": float(web_flagged[kinds == kind].mean())}
        for kind in sorted(set(kinds.tolist()))
    }
    for kind in sorted(set(kinds[labels == 1].tolist())):
        rows = (kinds == kind) | (labels == 0)
        metrics["by_kind"][kind]["roc_auc"] = card_metrics(
            labels[rows], web_scores[rows], 0.5, n_bootstrap=0, seed=0
        )["roc_auc"]
    metrics["flagged_spun_showing_a_real_swap"] = (
        sum(shown.values()) / len(shown) if shown else None
    )
    return metrics, scores


def shows_real_swap(sample: Sample, scorer: Scorer) -> bool:
    """Whether one of the top evidence items of a page overlaps one of its known swap quotes."""
    quotes = sample.fields.get("evidence") or []
    spans = []
    for quote in quotes:
        start = sample.text.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote)))
    evidence = scorer.score_text(sample.text)["evidence"]
    top = ranked_evidence(evidence)[:TOP_EVIDENCE]
    return any(item["start"] < end and start < item["end"] for item in top for start, end in spans)


def held_out_metrics(data: TrainingSet, model: Model, scores: np.ndarray) -> dict[str, Any]:
    """The card's held-out metrics of a model, from its scores of every row."""
    test, source, kinds, labels = data.test, data.source, data.kinds, data.labels
    threshold = model.threshold
    negative_scores = model.probability(
        featurize([s.text for s in data.negative], model.resources, names=data.names)
    )
    held_out: dict[str, Any] = {}
    reuters_test = test & (source == "reuters")
    held_out["reuters_all_generators"] = auc_metrics(
        labels[reuters_test], scores[reuters_test], threshold
    )
    originals = reuters_test & (labels == 0)
    excerpt_test = test & (source == "excerpt")
    held_out["reuters_excerpts"] = auc_metrics(
        labels[excerpt_test], scores[excerpt_test], threshold
    )
    held_out["reuters_by_kind"] = {}
    for kind in sorted(set(kinds[reuters_test & (labels == 1)])):
        rows = reuters_test & (kinds == kind)
        pair = rows | originals
        held_out["reuters_by_kind"][kind] = auc_metrics(labels[pair], scores[pair], threshold)
    mt_test = test & (source == "mt")
    machine = mt_test & (labels == 1)
    for name, prefix in (
        ("mt_vs_original", "human-original"),
        ("mt_vs_human_translation", "human-translation"),
        ("mt_vs_human_roundtrip", "human-roundtrip"),
    ):
        rows = machine | (mt_test & np.char.startswith(kinds.astype(str), prefix))
        held_out[name] = auc_metrics(labels[rows], scores[rows], threshold)
    mt_document_test = test & (source == "mt-document")
    held_out["mt_documents_vs_human_translation"] = auc_metrics(
        labels[mt_document_test], scores[mt_document_test], threshold
    )
    everyday_test = test & (source == "everyday")
    if everyday_test.any():
        held_out["everyday_openings"] = {
            "n": int(everyday_test.sum()),
            "false_positive_rate": float((scores[everyday_test] >= threshold).mean()),
        }
    wmt22_test = test & (source == "wmt22")
    for name, kind in (
        ("wmt22_mt_vs_original", WMT22_KINDS["english_original"]),
        ("wmt22_mt_vs_human_translation", WMT22_KINDS["human_translation"]),
    ):
        rows = wmt22_test & ((kinds == WMT22_KINDS["machine_translation"]) | (kinds == kind))
        if rows.any():
            held_out[name] = auc_metrics(labels[rows], scores[rows], threshold)
    negative = data.negative
    held_out["negative_set"] = {
        "n": len(negative),
        "false_positive_rate": float((negative_scores >= threshold).mean()) if negative else None,
        "flagged": [s.id for s, v in zip(negative, negative_scores, strict=True) if v >= threshold],
    }
    return held_out


def resource_sources(args: argparse.Namespace) -> dict[str, Any]:
    """What the model's corpus-derived resources were built from, with their licences."""
    sources: dict[str, Any] = {
        "language_models": {
            "from": f"Reuters 2006-2012 documents [{LANGUAGE_MODEL_OFFSET}, "
            f"{LANGUAGE_MODEL_OFFSET + args.lm_documents})",
            "licence": "none granted (research use); statistics only",
        },
        "english_frequencies": {"from": "wordfreq", "licence": "MIT code; data CC BY-SA 4.0"},
        "synonyms": {"from": "WordNet 3.0", "licence": "WordNet licence (BSD-like)"},
    }
    if args.collocations:
        broad = (
            "Wikipedia (CC BY-SA 3.0), Project Gutenberg (public domain), MedQuAD (CC BY 4.0)"
            if args.open_sources
            else "Wikipedia (CC BY-SA 3.0), Blog Authorship Corpus (non-commercial research), "
            "Large Movie Review Dataset (research), Project Gutenberg (public domain), "
            "MedQuAD (CC BY 4.0), Steam reviews (user content)"
        )
        sources["collocations"] = {
            "from": f"broad-english-60m: {broad}"
            + (" (less the documents of the everyday rows)" if args.everyday_weight else "")
            + ("" if args.open_sources else f"; Reuters documents [{LANGUAGE_MODEL_OFFSET}, end)"),
            "licence": "statistics only (word and word-pair counts); see each source",
        }
        sources["known_names"] = {
            "from": sources["collocations"]["from"],
            "licence": "statistics only (hashed capitalised word spans and their counts); "
            "see each source",
        }
    if args.everyday_weight:
        sources["everyday_rows"] = {
            "from": "broad-english-60m: openings of a hashed share of its blog, review, "
            "encyclopedia and health documents, counted in neither the collocations nor the "
            "known names",
            "licence": "clean training rows (research use); the model keeps no text of them",
        }
    if args.web:
        sources["swap_table"] = {
            "from": "real-web dev set (spun pages and originals; research use), and WordNet 3.0 "
            "synonyms for the entries learnt from spun pages without originals",
            "licence": "statistics only (phrase pairs and counts)",
        }
    return sources


def main() -> None:
    args = parse_arguments()
    data = training_set(args)
    samples, test = data.samples, data.test
    train = ~test
    web_metrics: dict[str, Any] | None = None
    if args.web and not args.held_out_only:
        log("real-web rows, by domain folds")
        web_metrics, web_scores = web_cross_validation(
            data,
            train,
            args.seed,
            args.web_weight,
            args.cross_fit,
            args.everyday_weight,
            args.page_model == "linear",
        )
        log(
            f"  real-web ROC-AUC {web_metrics['roc_auc']:.4f}, spun flagged "
            f"{web_metrics['spun_flagged']:.1%}, human flagged {web_metrics['human_flagged']:.1%}"
        )
        suffix = "".join(f"-without-{re.sub(r'[^a-z]+', '_', g)}" for g in args.without)
        suffix += f"-weight{args.web_weight:g}" if args.web_weight != WEB_WEIGHT else ""
        suffix += "" if args.cross_fit else "-no-cross-fit"
        suffix += "" if args.thesaurus else "-no-thesaurus"
        suffix += "" if args.spun_names else "-no-spun-names"
        suffix += f"-everyday{args.everyday_weight:g}" if args.everyday_weight else ""
        suffix += "-wmt22" if args.wmt22 else ""
        suffix += "" if args.page_model == "none" else f"-page-model-{args.page_model}"
        with open(GENERATED / f"real-web-folds{suffix}.jsonl", "w", encoding="utf-8") as out:
            for sample, score in zip(samples, web_scores, strict=True):
                if not np.isnan(score):
                    row = {"id": sample.id, "label": sample.label, "kind": sample.kind,
                           "group": sample.group, "score": round(float(score), 6)}  # fmt: skip
                    out.write(json.dumps(row) + "\n")
        if args.web_only:
            print(json.dumps(web_metrics, indent=1, default=str))
            return
    # the shipped model's swap table: every real-web row's substitutions
    web_ids = [s.id for s, w in zip(samples, data.source == "web", strict=True) if w]
    thesaurus = data.thesaurus(web_ids)
    table = swap_table(data.web_swaps, web_ids, thesaurus)
    learnt_from = data.source == "web" if args.cross_fit else None
    data.matrix, data.resources = with_swaps(data, table, learnt_from=learnt_from)
    matrix, patterns, resources, names = data.matrix, data.patterns, data.resources, data.names
    train_samples = [s for s, t in zip(samples, train, strict=True) if t]
    result, scores = fit_stacked(
        samples, matrix, patterns, resources, train, names=names, seed=args.seed,
        targets=WEB_TARGETS, boosts=web_boosts(args.web_weight, args.everyday_weight),
        linear=args.page_model == "linear",
    )  # fmt: skip
    model = result.model
    log(f"threshold out of fold {model.threshold:.4f}")
    model.threshold = calibrated_threshold(model.threshold, scores, data)
    log(f"threshold after the fresh clean articles {model.threshold:.4f}")
    held_out = held_out_metrics(data, model, scores)
    if args.held_out_only:
        measured = {"threshold": model.threshold, "held_out": held_out}
        print(json.dumps(measured, indent=1, default=str))
        return

    card = base_card(train_samples, (
        f"Reuters 2006-2012 documents [0, {args.documents}) through `detector synth` "
        f"(seed {args.seed}), 80% of source documents; WMT21 neural MT and human sentences "
        "(mt-sentences-dev) and short documents made of runs of them, 50% of the runs; "
        "every row of the real-web dev set (real spun, round-tripped and human pages)"
        + (
            f"; openings of {EVERYDAY_SHARE:.0%} of the broad everyday-English corpus's "
            f"documents ({', '.join(EVERYDAY_DOMAINS)}; left out of its counts), 80% of them, "
            f"weight {args.everyday_weight:g}"
            if args.everyday_weight
            else ""
        )
        + ("; WMT22 documents (mt-documents-dev), 50% of them" if args.wmt22 else "")
        + (
            "; the translationese page model also learns from the WMT22 documents "
            "(mt-documents-dev) of half of the doc_id groups, never rows of the classifier"
            if args.page_model != "none" and not args.wmt22
            else ""
        )
        + ". Language models: Reuters documents "
        f"[{LANGUAGE_MODEL_OFFSET}, {LANGUAGE_MODEL_OFFSET + args.lm_documents})."
    ))  # fmt: skip
    card["name"] = args.name
    card["language_model_texts"] = args.lm_documents
    card["recipe"] = (
        "python scripts/build_default_model.py"
        + "".join(f" --without '{glob}'" for glob in args.without)
        + (f" --web-weight {args.web_weight:g}" if args.web_weight != WEB_WEIGHT else "")
        + ("" if args.cross_fit else " --no-cross-fit")
        + ("" if args.thesaurus else " --no-thesaurus")
        + ("" if args.spun_names else " --no-spun-names")
        + (f" --everyday-weight {args.everyday_weight:g}" if args.everyday_weight else "")
        + (" --wmt22" if args.wmt22 else "")
        + ("" if args.page_model == "none" else f" --page-model {args.page_model}")
    )
    card["cross_validation"] = {
        key: result.cv_metrics[key] for key in ("roc_auc", "false_positive_rate", "recall", "folds")
    }
    card["held_out"] = held_out
    if web_metrics is not None:
        card["real_web_domain_folds"] = web_metrics
    card["swap_table"] = {
        "entries": len(table),
        "learnt_from": "substitutions named in the notes of the real-web dev set's spun rows "
        "and found by aligning its spun rows with their originals, plus the synthetic "
        "spinner's own thesaurus, plus the thesaurus entries learnt from the spun rows "
        f"without originals (WordNet synonyms that fit the neighbours, on the spun pages of "
        f"{MIN_GROUPS} domains or more and at most {MAX_CLEAN_TEXTS} clean text), plus the "
        f"names that only spun pages write (unknown to the corpus of everyday English, on "
        f"the spun pages of {MIN_GROUPS} domains or more and in no clean text)",
        "learnt_without_originals": len({entry for entry in thesaurus if entry[0]}),
        "spun_names": len(table.spun_names),
        "training_rows": "each real-web row counted with the table learnt without its own domain"
        if args.cross_fit
        else "each real-web row counted with the whole table, its own swaps in",
        "real_web_weight": args.web_weight,
    }
    card["resources"] = resource_sources(args)
    # replaced by the rounds' numbers once they are measured (after writing)
    card["leave_one_generator_out"] = "not measured"
    path = model.save(ROOT / "models" / args.name, card, overwrite=args.overwrite)
    log(f"wrote {path}")
    leave_one_out: dict[str, Any] = {}
    if args.leave_one_out:
        leave_one_out = leave_one_generator_out_metrics(data, train, args.seed)
        # the card gains the rounds' numbers; the model file (and its checksum) stays
        card_path = path.with_suffix(".json")
        written = json.loads(card_path.read_text(encoding="utf-8"))
        written["leave_one_generator_out"] = leave_one_out
        card_path.write_text(json.dumps(written, indent=1) + "\n", encoding="utf-8")
    if args.mt_head:
        log("machine-translation head")
        path = attach_from_data(
            path, MT_DOCUMENTS, path, held_out=mt_head_numbers(), overwrite=True
        )
        log(f"wrote {path} with the head")
    summary = {
        "real_web": web_metrics,
        "held_out": {k: v for k, v in held_out.items() if k != "reuters_by_kind"},
        "leave_one_generator_out": {k: v["roc_auc"] for k, v in leave_one_out.items()},
    }
    print(json.dumps(summary, indent=1, default=str))


def mt_head_numbers() -> Path:
    """The machine-translation head's held-out ROC-AUC per language and engine (cached).

    Measured by ``benchmarks/mt_head.py --quick``, cached under a hash of the
    code and data it depends on.
    """
    digest = hashlib.sha256()
    code = ("benchmarks/mt_head.py", "detector/mt_head.py", "detector/train_mt_head.py",
            "detector/features/document_style.py")  # fmt: skip
    for source in code:
        digest.update((ROOT / source).read_bytes())
    digest.update(f"{MT_DOCUMENTS.stat().st_size}:{MT_DOCUMENTS.stat().st_mtime_ns}".encode())
    path = GENERATED / f"mt-head-{digest.hexdigest()[:16]}.json"
    if not path.exists():
        benchmark = [sys.executable, str(ROOT / "benchmarks" / "mt_head.py"), "--quick"]
        subprocess.run([*benchmark, "--json", str(path)], check=True)
    return path


def leave_one_generator_out_metrics(
    data: TrainingSet, train: np.ndarray, seed: int
) -> dict[str, Any]:
    """Each synthetic generator family left out of training in turn, measured on its test rows."""
    samples, matrix, patterns, resources, names = (
        data.samples, data.matrix, data.patterns, data.resources, data.names
    )  # fmt: skip
    test, source, kinds, labels = data.test, data.source, data.kinds, data.labels
    log("leave-one-generator-out")
    families = np.array([family_of(k) for k in kinds])
    leave_one_out: dict[str, Any] = {}
    generators = sorted({family_of(kind) for kind in kinds[labels == 1]} - {"web"})
    for held in leave_one_generator_out(
        samples,
        matrix,
        patterns,
        resources,
        train,
        names=names,
        seed=seed,
        folds=3,
        only=generators,
    ):
        family = held.family
        domain = source == ("mt" if family == "neural-mt" else "reuters")
        rows = test & domain & ((families == family) | (labels == 0))
        leave_one_out[family] = auc_metrics(
            labels[rows], held.scores[rows], held.fit.model.threshold
        )
        log(f"  {family}: ROC-AUC {leave_one_out[family]['roc_auc']:.4f}")
        if family == "neural-mt":
            rows = test & (source == "mt-document")
            leave_one_out["neural-mt-documents"] = auc_metrics(
                labels[rows], held.scores[rows], held.fit.model.threshold
            )
            log(f"  neural-mt documents: {leave_one_out['neural-mt-documents']['roc_auc']:.4f}")

    return leave_one_out


if __name__ == "__main__":
    main()
