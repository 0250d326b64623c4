import json
import logging

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pandas")

import cloudpickle
import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import toy_scoring
from distributed import Client, LocalCluster
from toy_scoring import BrokenSpec, HashScorerSpec

from detector.batch import BatchError, run_batch
from detector.distributed import score_bag, score_dataframe
from detector.writers import read_results

# Rows as a model with a machine-translation head scores them.
SPEC = HashScorerSpec(machine_translated=True)
COMPARED = tuple("id status error score label machine_translated_score evidence paragraphs".split())


@pytest.fixture(scope="module", autouse=True)
def _toy_scorer_by_value():
    # Worker processes import the package but not the tests folder: send the
    # toy scorer's module by value.
    cloudpickle.register_pickle_by_value(toy_scoring)
    yield
    cloudpickle.unregister_pickle_by_value(toy_scoring)


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.WARNING,
    ) as local_cluster:
        yield local_cluster


def _documents(count):
    return [
        {"id": f"doc-{n}", "text": f"Exports from plant {n} fell {n % 9} percent.", "url": f"u{n}"}
        for n in range(count)
    ]


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps(document) for document in _documents(120)]
    lines.insert(50, "{broken")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_run_batch_on_a_cluster_matches_a_local_run(cluster, source, tmp_path):
    local = tmp_path / "local.jsonl"
    remote = tmp_path / "remote.jsonl"
    run_batch([source], local, spec=SPEC, jobs=1, keep=["url"], progress="none")
    summary = run_batch(
        [source],
        remote,
        spec=SPEC,
        scheduler=cluster.scheduler_address,
        chunk_size=16,
        keep=["url"],
        progress="none",
    )
    assert summary.backend.startswith("dask tcp://") and summary.records == 121
    assert remote.read_bytes() == local.read_bytes()


def test_dataframe_and_bag_helpers_match_a_local_run(cluster, tmp_path):
    documents = _documents(60)
    documents[7]["text"] = None
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps(document) + "\n" for document in documents))
    run_batch([source], tmp_path / "local.jsonl", spec=SPEC, jobs=1, keep=["url"], progress="none")
    local = list(read_results(tmp_path / "local.jsonl"))
    expected = [tuple(row[name] for name in (*COMPARED, "url")) for row in local]

    frame = dd.from_pandas(pd.DataFrame(documents), npartitions=4)
    with Client(cluster) as client:
        scored = client.compute(score_dataframe(frame, SPEC, keep=["url"])).result()
        bag_rows = client.compute(
            score_bag(db.from_sequence(documents, npartitions=3), SPEC, keep=["url"])
        ).result()
    assert list(scored.index) == list(range(60))
    frame_rows = scored.astype(object).where(scored.notna(), None).to_dict(orient="records")
    # The dataframe path cannot tell a missing text from a null one.
    assert "not a string" in frame_rows[7]["error"]
    assert [tuple(row[name] for name in (*COMPARED, "url")) for row in frame_rows] == expected
    assert [tuple(row[name] for name in (*COMPARED, "url")) for row in bag_rows] == expected
    # Default ids are unique across partitions.
    texts = [document["text"] or "" for document in documents]
    plain = score_bag(db.from_sequence(texts, npartitions=3), SPEC).compute(scheduler="sync")
    assert len({row["id"] for row in plain}) == 60


def test_a_scorer_that_cannot_load_on_the_workers_is_reported(cluster, source, tmp_path):
    with pytest.raises(BatchError, match=r"cannot build the scorer.*model.npz not found"):
        run_batch(
            [source],
            tmp_path / "out.jsonl",
            spec=BrokenSpec(),
            scheduler=cluster.scheduler_address,
            progress="none",
        )


def test_local_cluster_option(source, tmp_path):
    run_batch([source], tmp_path / "a.parquet", spec=SPEC, jobs=1, progress="none")
    summary = run_batch(
        [source], tmp_path / "b.parquet", spec=SPEC, jobs=2, scheduler="local", progress="none"
    )
    assert summary.backend == "dask LocalCluster, 2 workers"
    assert list(read_results(tmp_path / "a.parquet")) == list(read_results(tmp_path / "b.parquet"))


def test_warc_files_score_one_partition_per_file_as_locally(cluster, tmp_path):
    from detector.distributed import score_files
    from detector.warc import http_response, warc_record

    paths = []
    for number in range(3):
        path = tmp_path / f"crawl-{number}.warc.gz"
        records = []
        for page in range(5):
            url = f"https://site{number}.example.com/{page}"
            body = f"<title>Page {page}</title><p>Plant {page} of site {number} fell.</p>"
            records.append(warc_record("request", url, b"GET / HTTP/1.1\r\n\r\n"))
            records.append(warc_record("response", url, http_response(body.encode())))
        path.write_bytes(b"".join(records))
        paths.append(str(path))
    run_batch(paths, tmp_path / "local.jsonl", spec=SPEC, jobs=1, progress="none")
    local = list(read_results(tmp_path / "local.jsonl"))
    bag = score_files(paths, SPEC)
    assert bag.npartitions == 3
    with Client(cluster) as client:
        remote = client.compute(bag).result()
    fields = (*COMPARED, "url", "domain", "warc_record_id", "warc_offset")
    assert len(local) == 15
    assert [[row[name] for name in fields] for row in remote] == [
        [row[name] for name in fields] for row in local
    ]
