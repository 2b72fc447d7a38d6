"""The page benchmark's CDN check: what a page loads from another host, and what it only names."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_pages.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_pages", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("html", "host"),
    [
        ('<script src="https://cdn.jsdelivr.net/npm/x.js"></script>', "cdn.jsdelivr.net"),
        ("<link rel=stylesheet href='//fonts.googleapis.com/css'>", "fonts.googleapis.com"),
        ('<img alt="" src="http://img.example.org/a.png">', "img.example.org"),
        ('.x { background: url("https://cdn.example.com/bg.png") }', "cdn.example.com"),
        ('@import "https://unpkg.com/a.css";', "unpkg.com"),
    ],
)  # fmt: skip
def test_a_load_from_another_host_is_caught(bench: ModuleType, html: str, host: str) -> None:
    loaded, mentioned = bench.external_refs(html, 8000)
    assert loaded == {host} and not mentioned


def test_links_and_names_are_not_loads_and_the_server_itself_is_neither(
    bench: ModuleType,
) -> None:
    html = (
        '<a href="https://example.com/docs">docs</a>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        '<script src="/static/companion.js"></script>'
        '<link rel="stylesheet" href="http://127.0.0.1:8000/static/style.css">'
    )
    loaded, mentioned = bench.external_refs(html, 8000)
    assert not loaded and mentioned == {"example.com", "www.w3.org"}
