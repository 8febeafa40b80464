"""The package index comes from the environment's configuration, era mode reads a local file index,
and an index without upload times gets one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.index import IndexProblem, configured_index, release_times

FILES = [
    {"filename": "fastapi-0.95.2-py3-none-any.whl", "upload-time": "2023-05-16T13:44:49Z"},
    {"filename": "fastapi-0.95.2.tar.gz", "upload-time": "2023-05-16T13:44:51Z"},
    {"filename": "fastapi-0.100.0-py3-none-any.whl", "upload-time": "2023-07-07T13:12:03Z"},
    {
        "filename": "fastapi-0.99.0-py3-none-any.whl",
        "upload-time": "2023-06-30T00:00:00Z",
        "yanked": True,
    },
]


def file_index(root: Path, files: list[dict]) -> str:
    (root / "fastapi").mkdir(parents=True)
    (root / "fastapi" / "index.json").write_text(json.dumps({"name": "fastapi", "files": files}))
    return root.as_uri() + "/"


@pytest.mark.parametrize("variable", ["UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"])
def test_the_index_comes_from_the_environment(monkeypatch, variable: str) -> None:
    for name in ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "https://mirror.example.internal/python/")
    assert configured_index() == "https://mirror.example.internal/python/"


def test_the_index_comes_from_pip_configuration(monkeypatch, tmp_path: Path) -> None:
    for name in ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "pip.conf"
    config.write_text("[global]\nindex-url = https://company.example/pypi/python\n")
    monkeypatch.setenv("PIP_CONFIG_FILE", str(config))
    assert configured_index() == "https://company.example/pypi/python/"


def test_release_times_from_a_local_file_index(tmp_path: Path) -> None:
    index = file_index(tmp_path / "simple", FILES)
    assert release_times("fastapi", index) == {
        "0.95.2": "2023-05-16T13:44:49Z",
        "0.100.0": "2023-07-07T13:12:03Z",
    }


def test_an_index_without_upload_times_is_one_clear_line(tmp_path: Path) -> None:
    index = file_index(tmp_path / "simple", [{"filename": "fastapi-0.95.2.tar.gz"}])
    with pytest.raises(IndexProblem, match="without upload times"):
        release_times("fastapi", index)


def test_a_local_index_without_json_pages_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "simple" / "fastapi").mkdir(parents=True)
    (tmp_path / "simple" / "fastapi" / "index.html").write_text("<a href='x.whl'>x</a>")
    with pytest.raises(IndexProblem, match="no JSON page for fastapi"):
        release_times("fastapi", (tmp_path / "simple").as_uri() + "/")


def test_era_mode_against_a_local_index_says_what_is_wrong(tmp_path: Path, monkeypatch) -> None:
    from harness.cli import main

    index = file_index(tmp_path / "simple", [{"filename": "fastapi-0.95.2.tar.gz"}])
    monkeypatch.setenv("UV_INDEX_URL", index)
    code = main(
        ["matrix", "--versions", "0.95.2,latest", "--mode", "era", "--out", str(tmp_path / "out")]
    )
    assert code == 2
