"""The package index this environment is configured with, and the release times it serves.

The index is the first of: the variables UV_DEFAULT_INDEX, UV_INDEX_URL and
PIP_INDEX_URL; `index-url` in pip's configuration files (PIP_CONFIG_FILE, the
site, user and virtual environment files, [install] before [global]); and pip's
own default. Era mode needs the upload time of each release: the JSON form of
the simple API (PEP 691) with PEP 700's `upload-time`, asked over http(s), or
read from `<project>/index.json` in a local `file://` index. An index that does
not serve them gets one line saying so, never a guess.
"""

from __future__ import annotations

import configparser
import json
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

ENVIRONMENT = ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL")
JSON_API = "application/vnd.pypi.simple.v1+json"


class IndexProblem(Exception):
    """The index cannot tell what era mode needs; the message is the line to print."""


def pip_config_files() -> list[Path]:
    """pip's configuration files, lowest precedence first."""
    if os.environ.get("PIP_CONFIG_FILE"):
        return [Path(os.environ["PIP_CONFIG_FILE"])]
    xdg = os.environ.get("XDG_CONFIG_DIRS", "/etc/xdg").split(":")
    files = [Path(folder) / "pip" / "pip.conf" for folder in reversed(xdg)] + [
        Path("/etc/pip.conf")
    ]
    home = Path.home()
    files += [home / ".pip" / "pip.conf", home / ".config" / "pip" / "pip.conf"]
    if os.environ.get("VIRTUAL_ENV"):
        files.append(Path(os.environ["VIRTUAL_ENV"]) / "pip.conf")
    return files


def from_pip_config() -> str | None:
    found = None
    for file in pip_config_files():
        parser = configparser.ConfigParser()
        try:
            parser.read(file, encoding="utf-8")
        except (OSError, configparser.Error):
            continue
        for section in ("global", "install"):
            if parser.has_option(section, "index-url"):
                found = parser.get(section, "index-url")
    return found


def pip_default() -> str | None:
    """The index pip uses when nothing is configured, as pip itself names it."""
    try:
        from pip._internal.models.index import PyPI
    except ImportError:
        return None
    return str(PyPI.simple_url)


def configured_index() -> str:
    """The index URL, by the module's order; IndexProblem when none can be named."""
    for name in ENVIRONMENT:
        if os.environ.get(name):
            return os.environ[name].strip()
    index = from_pip_config() or pip_default()
    if index is None:
        raise IndexProblem(
            "no package index is configured (UV_INDEX_URL, PIP_INDEX_URL or pip's index-url) "
            "and pip is not installed to name its default: set one of them"
        )
    return index.rstrip("/") + "/"


def project_page(index: str, project: str) -> dict[str, object]:
    """The JSON simple-API page of `project` on `index`."""
    if index.startswith("file://"):
        path = Path(unquote(urlsplit(index).path)) / project / "index.json"
        try:
            return dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise IndexProblem(
                f"the local index {index} has no JSON page for {project} ({path}): era mode needs "
                "the upload times of the JSON simple API; use --mode latest"
            ) from exc
    response = httpx.get(
        f"{index}{project}/", headers={"Accept": JSON_API}, timeout=30, follow_redirects=True
    )
    response.raise_for_status()
    if "json" not in response.headers.get("content-type", ""):
        raise IndexProblem(
            f"the index {index} answers {project} without the JSON simple API (PEP 691), so it "
            "serves no upload times: era mode needs them; use --mode latest or another index"
        )
    return dict(response.json())


def release_times(project: str, index: str | None = None) -> dict[str, str]:
    """Upload time of each release of `project`: its earliest file's, yanked files left out."""
    index = index or configured_index()
    page = project_page(index, project)
    files = page.get("files", [])
    assert isinstance(files, list)
    times: dict[str, str] = {}
    prefix = project.replace("-", "_") + "-"
    for item in files:
        name = str(item["filename"])
        version = (
            name.removeprefix(prefix)
            .removeprefix(project + "-")
            .split("-")[0]
            .removesuffix(".tar.gz")
        )
        if item.get("upload-time") and not item.get("yanked"):
            times[version] = min(times.get(version, item["upload-time"]), item["upload-time"])
    if files and not times:
        raise IndexProblem(
            f"the index {index} lists {project} without upload times (PEP 700): era mode needs "
            "them; use --mode latest or another index"
        )
    return times
