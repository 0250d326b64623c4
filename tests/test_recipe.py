"""The default model's recipe (``scripts/build_default_model.py``): how it shapes its data.

The sentences below are written for these tests, in the id scheme of the
WMT21 rows (``wmt21-PAIR-en-NUMBER-SYSTEM``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from detector.train import Sample, family_of, in_test_split, learns_wording

RECIPE = Path(__file__).resolve().parent.parent / "scripts" / "build_default_model.py"


@pytest.fixture(scope="module")
def recipe():
    spec = importlib.util.spec_from_file_location("build_default_model", RECIPE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # registered before it runs, as importlib's recipe does: its dataclasses look it up
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def _sentences(numbers: range) -> list[Sample]:
    rows = []
    for number in numbers:
        group = f"wmt21-de-en-{number}"
        headline = number % 7 == 1
        machine = f"Machine sentence {number} about the council" + ("" if headline else ".")
        human = f"Human sentence {number} about the council" + ("" if headline else ".")
        rows.append(Sample(f"{group}-Online-B", machine, 1, group, "neural-mt:de-en"))
        rows.append(Sample(f"{group}-ref", human, 0, group, "human-translation:de-en"))
    original = "newstest2014-ende-3"
    rows.append(Sample(f"{original}-orig", "An English original.", 0, original, "human-original:x"))
    return rows


def test_runs_group_consecutive_source_sentences(recipe):
    size = recipe.MT_DOCUMENT_SENTENCES
    regrouped = recipe.mt_runs(_sentences(range(1, 2 * size + 1)))
    groups = {sample.id: sample.group for sample in regrouped}
    assert groups["wmt21-de-en-1-Online-B"] == groups["wmt21-de-en-1-ref"]
    assert groups["wmt21-de-en-1-ref"] == groups[f"wmt21-de-en-{size}-ref"]
    assert groups[f"wmt21-de-en-{size}-ref"] != groups[f"wmt21-de-en-{size + 1}-ref"]
    # sentences sampled one by one keep their own group
    assert groups["newstest2014-ende-3-orig"] == "newstest2014-ende-3"


def test_documents_pair_machine_and_human_translation_of_each_run(recipe):
    size = recipe.MT_DOCUMENT_SENTENCES
    sentences = recipe.mt_runs(_sentences(range(1, 2 * size + 1)))
    documents = recipe.mt_documents(sentences)
    assert (
        sorted(d.kind for d in documents)
        == ["document:human-translation"] * 2 + ["document:neural-mt"] * 2
    )
    for document in documents:
        members = [s for s in sentences if s.group == document.group]
        assert len(members) == 2 * size
        wanted = "neural-mt:" if document.label == 1 else "human-translation:"
        expected = [s.text for s in members if s.kind.startswith(wanted)]
        # every sentence of the run, in order, and nothing else
        assert document.text.split() == " ".join(expected).split()
        # a headline (no closing stop) ends its paragraph
        for paragraph in document.text.split("\n\n"):
            body = paragraph.split(" about the council")
            assert all(part.startswith(".") for part in body[1:-1])
    # each document falls on the same side of the split as its sentences
    for document in documents:
        members = [s for s in sentences if s.group == document.group]
        assert {in_test_split(s.group, 0.5) for s in members} == {
            in_test_split(document.group, 0.5)
        }


def test_documents_belong_to_their_sentences_generator_but_teach_no_wording(recipe):
    documents = recipe.mt_documents(recipe.mt_runs(_sentences(range(1, 13))))
    machine = next(d for d in documents if d.label == 1)
    assert family_of(machine.kind) == "neural-mt"
    assert not learns_wording(machine.kind)


def test_paragraphs_hold_at_most_the_set_number_of_sentences(recipe):
    documents = recipe.mt_documents(recipe.mt_runs(_sentences(range(2, 12))))
    for document in documents:
        for paragraph in document.text.split("\n\n"):
            assert paragraph.count(".") <= recipe.MT_PARAGRAPH_SENTENCES


def test_note_swaps_read_every_named_substitution(recipe):
    note = (
        "spinner: Call of Duty -> Name of Responsibility, told -> advised (twice), "
        "Game Pass -> Sport Move; rest unchanged"
    )
    assert recipe.note_swaps(note) == [
        ("Call of Duty", "Name of Responsibility"),
        ("told", "advised"),
        ("Game Pass", "Sport Move"),
    ]
    assert recipe.note_swaps("human page, no substitutions") == []


def test_web_rows_keep_a_spun_page_and_its_original_in_one_group(recipe, tmp_path, monkeypatch):
    import json

    rows = [
        {"id": "copy", "domain": "spun.example", "label": 1, "kind": "spinner",
         "pair": "source", "text": "She advised Forbes the sport was fun.",
         "evidence": ["advised Forbes"], "note": "told -> advised"},
        {"id": "source", "domain": "news.example", "label": 0, "kind": "original",
         "pair": "copy", "text": "She told Forbes the game was fun.", "evidence": [], "note": ""},
        {"id": "blog", "domain": "blog.example", "label": 0, "kind": "human_other",
         "pair": None, "text": "I liked the game.", "evidence": [], "note": ""},
    ]  # fmt: skip
    path = tmp_path / "web.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    monkeypatch.setattr(recipe, "REAL_WEB", path)
    samples, swaps = recipe.web_samples()
    groups = {sample.id: sample.group for sample in samples}
    assert groups == {"copy": "web:spun.example", "source": "web:spun.example",
                      "blog": "web:blog.example"}  # fmt: skip
    assert [sample.kind for sample in samples] == ["web:spinner", "web:original", "web:human_other"]
    # the note's swap, and the alignment's (game -> sport) that the note left out
    assert swaps == {"copy": [("told", "advised"), ("told", "advised"), ("game", "sport")]}
    assert samples[0].fields["evidence"] == ["advised Forbes"]
    assert {recipe.web_fold(group) for group in groups.values()} <= set(range(recipe.WEB_FOLDS))


def test_a_folds_swap_table_learns_only_from_its_rows(recipe):
    swaps = {"a": [("review", "evaluation")], "b": [("studio", "workshop")]}
    table = recipe.swap_table(swaps, ["a"])
    assert table.count_of("review", "evaluation") == 1
    assert table.count_of("studio", "workshop") == 0
    # the synthetic spinner's own thesaurus is always in
    assert table.count_of("skin", "pores and skin") == 1


def test_a_folds_swap_table_holds_its_thesaurus_entries_as_prose_only(recipe):
    table = recipe.swap_table({"a": [("studio", "workshop")]}, ["a"], [("right", "proper")] * 2)
    assert table.count_of("right", "proper") == 2 and table.count_of("studio", "workshop") == 1
    assert table.prose_only == {"proper"}


def test_clean_originals_are_the_training_splits_reuters_originals(recipe):
    rows = [Sample(f"d{n}", "", label, f"doc-{n}", "original" if not label else "spin")
            for n in range(40) for label in (0, 1)]  # fmt: skip
    clean = recipe.clean_originals(rows)
    assert clean and all(row.label == 0 for row in clean)
    assert all(not in_test_split(row.group, 0.2, "test") for row in clean)
    assert len(clean) < 40  # some groups are held out


def test_everyday_rows_are_openings_of_broad_documents_never_counted(recipe, tmp_path, monkeypatch):
    import gzip
    import json

    sentence = "The kettle in our kitchen sings a little before the water boils. "
    rows = [
        {"id": f"doc{n}", "source": "Blogs", "domain": domain, "text": sentence * 60}
        for n, domain in enumerate(["blogs", "fiction", "health", "encyclopedia"] * 10)
    ]
    path = tmp_path / "broad.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)
    monkeypatch.setattr(recipe, "BROAD_ENGLISH", (path,))
    monkeypatch.setattr(recipe, "CORPUS", tmp_path / "no-reuters.jsonl.gz")
    monkeypatch.setattr(recipe, "EVERYDAY_SHARE", 0.5)
    with gzip.open(recipe.CORPUS, "wt", encoding="utf-8") as handle:
        handle.write("")
    held = {row["id"] for row in rows if recipe.held_for_everyday(row["id"])}
    assert 0 < len(held) < len(rows)
    everyday = recipe.everyday_samples(open_sources=False)
    chosen = {row["id"] for row in rows if row["id"] in held and row["domain"] != "fiction"}
    assert {sample.id.removeprefix("everyday:") for sample in everyday} == chosen
    assert all(sample.label == 0 and sample.kind == "everyday" for sample in everyday)
    # an opening: at most the set characters, ending at a sentence's end
    assert all(len(s.text) <= recipe.EVERYDAY_CHARACTERS for s in everyday)
    assert all(s.text.endswith("boils.") for s in everyday)
    # never counted when they are trained on; every document counted otherwise
    counted = list(recipe.collocation_texts(open_sources=False, everyday=True))
    assert len(counted) == len(rows) - len(held)
    assert len(list(recipe.collocation_texts(open_sources=False))) == len(rows)
    # the open sources only: none of these rows is from one
    assert recipe.everyday_samples(open_sources=True) == []


def test_wmt22_documents_are_rows_with_normalised_typography(recipe, tmp_path, monkeypatch):
    import json

    rows = [
        {"id": "wmt22-de-en-d1-sysA", "kind": "machine_translation", "label": 1,
         "doc_id": "d1", "text": "The \u201cnew\u201d rules apply from Monday."},
        {"id": "wmt22-de-en-d1-refA", "kind": "human_translation", "label": 0,
         "doc_id": "d1", "text": "The new rules take effect on Monday."},
        {"id": "wmt22-en-original-d2", "kind": "english_original", "label": 0,
         "doc_id": "d2", "text": "It rained all week in the valley."},
    ]  # fmt: skip
    path = tmp_path / "mt-documents.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    monkeypatch.setattr(recipe, "MT_DOCUMENTS", path)
    samples = recipe.wmt22_documents()
    assert [s.label for s in samples] == [1, 0, 0]
    assert samples[0].text == 'The "new" rules apply from Monday.'
    # every version of a document in one group, so that a split keeps them together
    assert samples[0].group == samples[1].group != samples[2].group
    assert [family_of(s.kind) for s in samples] == [
        "neural-mt", "human-translation", "english-original"
    ]  # fmt: skip
    assert not any(learns_wording(s.kind) for s in samples)
