import json

import numpy as np
import pytest

from detector.train import (
    Sample,
    TrainingDataError,
    fit,
    kind_weights,
    load_labelled,
    parse_label,
    split_language_model_texts,
)


def test_trained_model_separates_fixture_texts(tiny_model, labelled_samples):
    model, card = tiny_model
    from detector.evaluation import score_samples

    scores = score_samples(labelled_samples, model)
    labels = np.array([s.label for s in labelled_samples])
    assert scores[labels == 1].min() > scores[labels == 0].max()
    assert card["training_data"]["samples"] == len(labelled_samples)
    assert card["cross_validation"]["roc_auc"] > 0.9
    assert model.resources.pattern_weights is not None
    # the names of the clean texts are counted for the spinner family
    names = card["resources"]["corpus_derived"]["known_names"]
    assert names == len(model.resources.known_names) > 0


def test_load_labelled_reads_rows_folders_and_reports_problems(tmp_path):
    data = tmp_path / "data.jsonl"
    rows = [
        {"id": "a", "text": "One.", "label": "spun", "kind": "x"},
        {"id": "b", "text": "Two.", "label": 0},
        {"id": "c", "text": "Three.", "label": "maybe"},
        {"id": "wmt-7-sysA", "text": "Four.", "label": 1},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    samples, problems = load_labelled([data], group_from_id=r"^wmt-\d+")
    assert [(s.id, s.label, s.group) for s in samples] == [
        ("a", 1, "a"),
        ("b", 0, "b"),
        ("wmt-7-sysA", 1, "wmt-7"),
    ]
    assert len(problems) == 1 and "label" in problems[0]

    folder = tmp_path / "set"
    (folder / "spun").mkdir(parents=True)
    (folder / "clean").mkdir()
    (folder / "spun" / "a.txt").write_text("Spun text.")
    (folder / "clean" / "b.txt").write_text("Clean text.")
    samples, _ = load_labelled([folder])
    assert sorted((s.label, s.text) for s in samples) == [(0, "Clean text."), (1, "Spun text.")]


def test_parse_label_rejects_other_numbers():
    assert parse_label(2) is None and parse_label(1.0) == 1


def test_kind_weights_balance_kinds_within_label():
    samples = [Sample(str(i), "", 1, str(i), "big") for i in range(9)]
    samples.append(Sample("x", "", 1, "x", "small"))
    weights = kind_weights(samples)
    assert weights[:9].sum() == pytest.approx(weights[9:].sum())


def test_language_model_groups_leave_the_classifier_data():
    samples = [Sample(f"{g}-{y}", f"text {g}", y, str(g), "k") for g in range(50) for y in (0, 1)]
    texts, kept = split_language_model_texts(samples, 0.3, seed=0)
    held = {s.group for s in samples} - {s.group for s in kept}
    assert texts and held and len(texts) == len(held)


def test_fit_needs_two_labels_and_two_groups():
    from detector.resources import Resources

    matrix = np.zeros((4, 2))
    with pytest.raises(TrainingDataError):
        fit(
            matrix,
            np.array([1, 1, 1, 1]),
            ["a", "b", "c", "d"],
            Resources.empty(),
            names=("a", "b"),
        )
    with pytest.raises(TrainingDataError):
        fit(matrix, np.array([0, 1, 0, 1]), ["a"] * 4, Resources.empty(), names=("a", "b"))


# Sentences written for these tests, in two styles a wording model can tell
# apart: "machine" ones use "according to" where the "human" ones use "said".
MACHINE_STYLE = [
    f"According to the police, the {noun} was closed on {day}."
    for noun in ("bridge", "road", "school", "station", "market", "airport")
    for day in ("Monday", "Tuesday", "Friday")
]
HUMAN_STYLE = [
    f"Police said the {noun} had been shut since {day}."
    for noun in ("bridge", "road", "school", "station", "market", "airport")
    for day in ("Monday", "Tuesday", "Friday")
]


def _translation_samples():
    samples = []
    for index, (machine, human) in enumerate(zip(MACHINE_STYLE, HUMAN_STYLE, strict=True)):
        group = f"sentence{index}"
        samples.append(Sample(f"{group}-mt", machine, 1, group, "neural-mt:xx-en"))
        samples.append(Sample(f"{group}-ref", human, 0, group, "human-translation:xx-en"))
    return samples


def test_pattern_matrices_select_texts_with_their_sentences(tiny_model):
    from detector.train import pattern_matrix

    model, _ = tiny_model
    texts = ["One. Two words here.", "", "Three is here. Four is too. Five."]
    patterns = pattern_matrix(texts, model.resources)
    assert np.bincount(patterns.owner, minlength=3).tolist() == [2, 0, 3]
    chosen = patterns[np.array([False, True, True])]
    assert len(chosen) == 2
    assert np.bincount(chosen.owner, minlength=2).tolist() == [0, 3]
    assert (chosen.sentences != patterns.sentences[2:]).nnz == 0


def test_wording_scores_of_the_matrices_equal_the_family_text_by_text(tiny_model):
    import dataclasses

    from detector.features import translationese
    from detector.train import pattern_matrix

    model, _ = tiny_model
    rng = np.random.default_rng(0)
    resources = dataclasses.replace(
        model.resources,
        wording_weights=rng.normal(size=2**translationese.WORDING_BITS),
        wording_bias=0.3,
    )
    texts = [
        *MACHINE_STYLE[:3], "No full stop at all", "", "Two. Sentences here and there!",
        " ".join(MACHINE_STYLE[:4]) + " One more. And the last one, here.",
    ]  # fmt: skip
    patterns = pattern_matrix(texts, resources)
    wording = (resources.wording_weights, resources.wording_bias)
    for name, batch in [
        ("translationese.wording_score", patterns.wording_scores(*wording)),
        ("translationese.worst_block_wording", patterns.worst_block_wording(*wording)),
    ]:
        one_by_one = [translationese.extract(text, resources).values[name] for text in texts]
        assert batch / translationese.SCORE_SCALE == pytest.approx(one_by_one), name


def test_wording_model_learns_from_translations_only(tiny_model, labelled_samples):
    import dataclasses

    from detector.features import feature_names
    from detector.train import featurize, pattern_matrix, stack_patterns

    model, _ = tiny_model
    names = feature_names()
    column = names.index("translationese.wording_score")
    mixed = labelled_samples + _translation_samples()
    texts = [s.text for s in mixed]
    labels = np.array([s.label for s in mixed])
    matrix = featurize(texts, model.resources, names=names)
    patterns = pattern_matrix(texts, model.resources)
    resources = dataclasses.replace(model.resources)
    stacked = stack_patterns(
        matrix, patterns, labels, [s.group for s in mixed], resources, names=names,
        weights=np.ones(len(mixed)), kinds=[s.kind for s in mixed], folds=3,
    )  # fmt: skip
    assert resources.wording_weights is not None
    translations = np.array([s.kind.startswith(("neural-mt", "human-")) for s in mixed])
    # out-of-fold scores still tell the two styles apart
    machine = stacked[translations & (labels == 1), column]
    human = stacked[translations & (labels == 0), column]
    assert machine.mean() > human.mean()

    # without neural MT among the kinds, no wording model and a zero column
    plain = dataclasses.replace(model.resources, wording_weights=None)
    stacked = stack_patterns(
        matrix, patterns, labels, [s.group for s in mixed], plain, names=names,
        weights=np.ones(len(mixed)), kinds=["original"] * len(mixed), folds=3,
    )  # fmt: skip
    assert plain.wording_weights is None
    assert not stacked[:, column].any()
    assert not stacked[:, names.index("translationese.worst_block_wording")].any()


def test_a_part_takes_its_wording_scores_from_the_whole_document(tiny_model):
    import dataclasses

    from detector.features import translationese
    from detector.text import Document

    model, _ = tiny_model
    rng = np.random.default_rng(1)
    resources = dataclasses.replace(
        model.resources, wording_weights=rng.normal(size=2**translationese.WORDING_BITS)
    )
    article = "\n\n".join([*MACHINE_STYLE[:2], "One more. And another one here.", *HUMAN_STYLE[:2]])
    doc = Document.of(article)
    spans = doc.paragraphs
    for first in range(len(spans)):
        for last in range(first, len(spans)):
            start, end = spans[first][0], spans[last][1]
            part = translationese.sentence_wording_scores(doc.part(start, end), resources)
            fresh = translationese.sentence_wording_scores(
                Document.of(article[start:end]), resources
            )
            np.testing.assert_allclose(part, fresh)


def test_evidence_floors_come_from_candidates_the_data_bear_out():
    from detector.train import MINIMUM_FLOOR, evidence_floors

    names = ("phrases.spin_syntax_rate", "tickers.lowercase_code_rate", "casing.lowercase_i_rate")
    labels = np.array([1] * 300 + [0] * 300)
    matrix = np.zeros((600, 3))
    matrix[:200, 0] = 1.0  # fires in spun texts only
    matrix[:200, 1] = 1.0
    matrix[300:340, 1] = 1.0  # ... and in clean ones too
    matrix[:300, 2] = 1.0  # not a candidate: people write "i"
    floors = evidence_floors(matrix, labels, names)
    assert list(floors) == ["phrases.spin_syntax_rate"]
    assert MINIMUM_FLOOR <= floors["phrases.spin_syntax_rate"] < 1.0
    # the fewer spun texts it fired in, the lower the floor
    matrix[20:200, 0] = 0.0
    fewer = evidence_floors(matrix, labels, names)
    assert fewer["phrases.spin_syntax_rate"] < floors["phrases.spin_syntax_rate"]


def test_clean_threshold_keeps_a_margin_under_the_target_for_every_kind():
    from detector.train import TARGET_FALSE_POSITIVE_RATE, clean_threshold, flag_share

    originals, translations, spun = np.linspace(0, 1, 2400), np.linspace(0.5, 1, 400), np.ones(100)
    scores = np.concatenate([originals, translations, spun])
    labels = np.array([0] * 2800 + [1] * 100)
    kinds = ["original"] * 2400 + ["human-translation"] * 400 + ["spin"] * 100
    threshold = clean_threshold(scores, labels, kinds)
    # the harder kind sets the threshold, a standard error under the target
    assert (translations >= threshold).mean() == pytest.approx(flag_share(400), abs=1 / 400)
    assert (translations >= threshold).mean() < TARGET_FALSE_POSITIVE_RATE
    assert (originals >= threshold).mean() < flag_share(2400) / 2
    # the margin shrinks as the sample grows, and never passes half the target
    assert flag_share(100) < flag_share(2400) < flag_share(100_000) < TARGET_FALSE_POSITIVE_RATE
    assert flag_share(10) == TARGET_FALSE_POSITIVE_RATE / 2


def test_a_model_fits_and_scores_without_some_features(tiny_model, labelled_samples):
    from detector.features import extract_all, feature_names
    from detector.train import featurize, fit_stacked, pattern_matrix

    model, _ = tiny_model
    mixed = labelled_samples + _translation_samples()
    texts = [s.text for s in mixed]
    names = tuple(n for n in feature_names() if "worst_block" not in n)
    matrix = featurize(texts, model.resources, names=names)
    patterns = pattern_matrix(texts, model.resources)
    result, scores = fit_stacked(
        mixed, matrix, patterns, model.resources, np.ones(len(mixed), dtype=bool),
        names=names, folds=3,
    )  # fmt: skip
    assert result.model.feature_names == names
    assert len(scores) == len(mixed) and np.isfinite(scores).all()
    # scoring a text picks the model's columns by name from every feature
    values = extract_all(texts[0], result.model.resources).values
    row = np.array([[values[name] for name in names]])
    assert 0.0 <= float(result.model.probability(row)[0]) <= 1.0


def test_swap_table_is_learnt_from_paired_rows_and_given_pairs():
    from detector.train import Sample, learn_swap_table

    rows = [
        Sample("o1", "Xbox executive Sarah Bond told Forbes about Game Pass.", 0, "a", "original"),
        Sample(
            "s1",
            "Xbox govt Sarah Bond advised Forbes about Sport Move.",
            1,
            "a",
            "spin",
            {"pair": "o1"},
        ),
        # a spun row whose partner is missing or spun itself teaches nothing
        Sample("s2", "Xbox govt Sarah Bond advised Forbes.", 1, "b", "spin", {"pair": "nope"}),
        Sample("s3", "A text.", 1, "c", "spin", {"pair": "s1"}),
    ]
    table = learn_swap_table(rows, extra=[("vision", "imaginative and prescient")])
    assert table is not None
    assert set(zip(table.originals, table.spun, strict=True)) == {
        ("executive", "govt"),
        ("told", "advised"),
        ("game pass", "sport move"),
        ("vision", "imaginative and prescient"),
    }
    assert learn_swap_table(rows[2:]) is None


def test_spun_rows_without_originals_teach_prose_only_entries():
    from detector.collocations import Collocations
    from detector.features.substitution import synonyms_of
    from detector.resources import Resources
    from detector.train import Sample, learn_swap_table, unpaired_candidates, unpaired_entries

    resources = Resources.empty()
    resources.vocabulary = {"right": 3, "proper": 4}
    resources.synonym_offsets, resources.synonym_ids = synonyms_of(
        resources, {"proper": ["right"], "right": ["proper"]}
    )
    resources.collocations = Collocations.build(["you are right", "a proper meal"] * 10)
    rows = [Sample(f"s{g}", "You are proper.", 1, g, "spin") for g in "ab"]
    rows.append(Sample("c", "We had a proper meal.", 0, "c", "original"))
    found = unpaired_candidates(rows, resources)
    assert found == {"sa": [("right", "proper")], "sb": [("right", "proper")], "c": []}
    entries = unpaired_entries(rows, found)
    table = learn_swap_table(rows, unpaired=entries)
    assert table is not None and table.count_of("right", "proper") == 2
    assert table.prose_only == {"proper"}
    # one site alone is no thesaurus; without a synonym table nothing is a candidate
    assert unpaired_entries(rows[:1], found) == []
    assert unpaired_candidates(rows, Resources.empty()) == {}


def test_spun_rows_without_originals_teach_the_names_only_they_write():
    from detector.collocations import Collocations
    from detector.features.substitution import synonyms_of
    from detector.known_names import KnownNames
    from detector.resources import Resources
    from detector.train import Sample, learn_swap_table, unpaired_candidates, unpaired_entries

    resources = Resources.empty()
    resources.vocabulary = {"right": 3, "proper": 4}
    resources.synonym_offsets, resources.synonym_ids = synonyms_of(resources, {})
    resources.collocations = Collocations.build(["you are right"] * 10)
    resources.known_names = KnownNames.build(["We watched Game of Thrones."] * 2)
    spun = "Fans watched Sport of Thrones, then Home of the Dragon."
    rows = [Sample(f"s{g}", spun, 1, g, "spin") for g in "ab"]
    rows.append(Sample("c", "Fans watched Home of the Dragon.", 0, "c", "original"))
    entries = unpaired_entries(rows, unpaired_candidates(rows, resources))
    table = learn_swap_table(rows, extra=[("game", "sport")], unpaired=entries)
    # a clean text writes the other name: a real one, newer than the corpus
    assert table is not None and table.spun_names == {"sport of thrones"}


def test_unpaired_entries_learn_from_the_chosen_rows_and_shun_every_clean_text():
    from detector.train import Sample, unpaired_entries

    right, lost = ("right", "proper"), ("lost", "misplaced")
    rows = [
        Sample("a1", "", 1, "a.example", "web:spinner"),
        Sample("a2", "", 1, "a.example", "web:spinner"),
        Sample("b1", "", 1, "b.example", "web:spinner"),
        Sample("h1", "", 0, "h.example", "web:human_other"),
    ]
    found = {"a1": [right, lost], "a2": [right], "b1": [right, lost], "h1": [lost]}

    def learnt(ids: list[str]) -> list[tuple[str, str]]:
        return sorted(unpaired_entries(rows, found, ids, clean=[[lost]]))

    # two domains show both; "lost -> misplaced" is also in two clean texts
    assert learnt(["a1", "a2", "b1", "h1"]) == [right, right]
    # without the human page, one clean text is allowed
    assert learnt(["a1", "a2", "b1"]) == [lost, lost, right, right]
    # one domain is not a thesaurus
    assert learnt(["a1", "a2", "h1"]) == []


def test_cross_fitted_spinner_columns_count_a_row_without_its_own_swaps():
    from detector.collocations import Collocations
    from detector.features import spinner
    from detector.resources import Resources
    from detector.swaps import SwapTable
    from detector.text import Document
    from detector.train import Sample, cross_fit_swaps, paired_substitutions

    rows = [
        Sample("oa", "The naughty dog ran home.", 0, "a", "original"),
        Sample("sa", "The naughty canine ran home.", 1, "a", "spin", {"pair": "oa"}),
        Sample("ob", "The big house stood there.", 0, "b", "original"),
        Sample("sb", "The big home stood there.", 1, "b", "spin", {"pair": "ob"}),
        # spun like both, its pair unknown: it taught nothing, so it keeps the whole table
        Sample("sc", "The naughty canine saw the big home.", 1, "c", "spin"),
    ]
    resources = Resources.empty()
    clean = ["the naughty dog ran home", "the big house stood there", "a home"] * 10
    resources.collocations = Collocations.build(clean)
    learnt = paired_substitutions(rows)
    assert learnt == {"sa": [("dog", "canine")], "sb": [("house", "home")]}
    resources.swap_table = SwapTable.from_pairs(pair for pairs in learnt.values() for pair in pairs)
    names = list(spinner.FEATURE_NAMES)
    documents = [Document.of(row.text) for row in rows]
    whole = spinner.transform(documents, resources)
    assert (whole[[1, 3, 4], 0] > 0).all()

    matrix = whole.copy()
    cross_fit_swaps(matrix, rows, names, resources, learnt, SwapTable.from_pairs,
                    documents.__getitem__)  # fmt: skip
    # each spun row's only swap is its own: counted without it, none is left
    assert matrix[1, 0] == matrix[3, 0] == 0.0
    # the row that taught nothing keeps the values of the whole table
    assert matrix[4].tolist() == whole[4].tolist()

    # one fold holding every group: each row counts with the others' swaps, none
    matrix = whole.copy()
    cross_fit_swaps(matrix, rows, names, resources, learnt, SwapTable.from_pairs,
                    documents.__getitem__, folds=1)  # fmt: skip
    assert not matrix[:, 0].any()

    # only the rows whose swaps the table holds are counted again
    pooled = np.array([True, True, False, False, False])
    matrix = whole.copy()
    cross_fit_swaps(matrix, rows, names, resources, learnt, SwapTable.from_pairs,
                    documents.__getitem__, pooled=pooled)  # fmt: skip
    assert matrix[1, 0] == 0.0 and matrix[3].tolist() == whole[3].tolist()


def test_cross_fitted_spinner_columns_learn_unpaired_entries_from_the_other_groups_only():
    from detector.collocations import Collocations
    from detector.features import spinner
    from detector.resources import Resources
    from detector.swaps import SwapTable
    from detector.text import Document
    from detector.train import Sample, cross_fit_swaps

    # three sites, no originals: the entry right -> proper is what they share
    rows = [Sample(f"s{g}", "You are proper.", 1, g, "spin") for g in "abc"]
    resources = Resources.empty()
    resources.collocations = Collocations.build(["you are right"] * 10)
    names = list(spinner.FEATURE_NAMES)
    documents = [Document.of(row.text) for row in rows]
    seen: list[list[str]] = []

    def needing(least: int):
        def unpaired(ids: list[str]) -> list[tuple[str, str]]:
            seen.append(sorted(ids))
            groups = {row.group for row in rows if row.id in ids}
            return [("right", "proper")] * len(groups) if len(groups) >= least else []

        return unpaired

    for least, found in ((2, True), (3, False)):
        seen.clear()
        matrix = np.full((3, len(names)), 9.0)
        cross_fit_swaps(matrix, rows, names, resources, {}, SwapTable.from_pairs,
                        documents.__getitem__, unpaired=needing(least))  # fmt: skip
        # every group is counted again, with what the other two teach
        assert seen == [["sb", "sc"], ["sa", "sc"], ["sa", "sb"]]
        assert (matrix[:, 0] > 0).all() if found else not matrix[:, 0].any()


def test_swaps_file_reads_pairs_and_skips_a_header(tmp_path):
    from detector.swaps import read_swap_file

    path = tmp_path / "swaps.tsv"
    path.write_text(
        "original\tspun\tcount\nvision\timaginative and prescient\t3\nbroken\n\ntold\tadvised\n"
    )
    pairs, skipped = read_swap_file(path)
    assert pairs == [("vision", "imaginative and prescient"), ("told", "advised")]
    assert skipped == [f"{path}:3: not 'original<TAB>spun', skipped"]


def _page_samples():
    """Real-page rows for the page model: "spun" pages in one style, human ones in the other."""
    rng = np.random.default_rng(2)
    samples = []
    for index in range(24):
        group = f"web:site{index}"
        machine = " ".join(rng.choice(MACHINE_STYLE, 5, replace=False))
        human = " ".join(rng.choice(HUMAN_STYLE, 5, replace=False))
        samples.append(Sample(f"{group}-spun", machine, 1, group, "web:spinner"))
        samples.append(Sample(f"{group}-human", human, 0, group, "web:human_other"))
    return samples


def _stacked_pages(model, samples, extra=(), extra_labels=(), names=None):
    import dataclasses

    from detector.features import feature_names
    from detector.train import featurize, page_counts, pattern_matrix, stack_patterns

    names = names or feature_names()
    texts = [s.text for s in samples]
    labels = np.array([s.label for s in samples])
    matrix = featurize(texts, model.resources, names=names)
    patterns = pattern_matrix(texts, model.resources)
    patterns.pages = page_counts(texts, list(extra), list(extra_labels))
    resources = dataclasses.replace(model.resources, page_model=None)
    stacked = stack_patterns(
        matrix, patterns, labels, [s.group for s in samples], resources, names=names,
        weights=np.ones(len(samples)), kinds=[s.kind for s in samples], folds=3,
    )  # fmt: skip
    return stacked, patterns, resources, names


def test_page_model_learns_from_real_pages_and_scores_them_out_of_fold(
    tiny_model, labelled_samples
):
    from detector.features import translationese
    from detector.text import Document
    from detector.train import apply_patterns

    model, _ = tiny_model
    samples = labelled_samples + _page_samples()
    stacked, patterns, resources, names = _stacked_pages(model, samples)
    assert resources.page_model is not None
    column = names.index("translationese.page_score")
    kinds = np.array([s.kind for s in samples])
    labels = np.array([s.label for s in samples])
    # out of fold, the held-out pages still tell the two styles apart
    spun = stacked[(kinds == "web:spinner"), column]
    human = stacked[(kinds == "web:human_other"), column]
    assert spun.min() > human.max()
    # the fitted model gives every row what the family gives its text
    applied = apply_patterns(stacked, patterns, resources, names)[:, column]
    family = translationese.transform([Document.of(s.text) for s in samples], resources)[:, 3]
    np.testing.assert_allclose(applied, family, atol=1e-9)
    assert labels.sum() > 0


def test_page_model_never_learns_from_generated_rows(tiny_model, labelled_samples):
    model, _ = tiny_model
    pages = _page_samples()
    flipped = [
        Sample(s.id, s.text, 1 - s.label, s.group, s.kind) if s.kind.startswith("garble") else s
        for s in labelled_samples
    ]
    _, _, first, _ = _stacked_pages(model, labelled_samples + pages)
    _, _, second, _ = _stacked_pages(model, flipped + pages)
    np.testing.assert_array_equal(first.page_model.ngram_coef, second.page_model.ngram_coef)
    # ...but from the extra pages it is given
    extra = [s.text for s in pages[:8]]
    _, _, third, _ = _stacked_pages(model, labelled_samples + pages, extra, [0] * len(extra))
    assert not np.array_equal(first.page_model.ngram_coef, third.page_model.ngram_coef)


def test_without_real_pages_there_is_no_page_model_and_the_column_is_zero(
    tiny_model, labelled_samples
):
    model, _ = tiny_model
    stacked, _, resources, names = _stacked_pages(model, labelled_samples)
    assert resources.page_model is None
    assert not stacked[:, names.index("translationese.page_score")].any()


def test_linear_terms_join_the_logit_only_when_asked(tiny_model, labelled_samples):
    model, _ = tiny_model
    samples = labelled_samples + _page_samples()
    stacked, _, resources, names = _stacked_pages(model, samples)
    labels = np.array([s.label for s in samples])
    groups = [s.group for s in samples]
    kinds = [s.kind for s in samples]
    plain = fit(stacked, labels, groups, resources, names=names, kinds=kinds, folds=3)
    assert not len(plain.model.linear_features)
    joined = fit(stacked, labels, groups, resources, names=names, kinds=kinds, folds=3, linear=True)
    column = names.index("translationese.page_score")
    assert joined.model.linear_features.tolist() == [column]
    assert joined.model.linear_weights[0] > 0 and joined.model.linear_knots.tolist() == [0.0]


def test_detector_train_fits_a_page_model_from_real_pages_only(labelled_samples):
    from detector.train import train

    clean = [s.text for s in labelled_samples if s.label == 0]
    result, card = train(labelled_samples + _page_samples(), language_model_texts=clean * 3)
    assert result.model.resources.page_model is not None
    assert "translationese page model" in card["resources"]["fitted_on_these_labels"]
    assert card["resources"]["page_model"]["class_ngrams"] > 0
