"""The imports page: operators read every import's report and upload a bundle (CSRF, size
limit); other roles are refused and see no nav entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from tandem.api import create_app
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tests.api.conftest import signed_in_browser
from tests.conftest import Cast, make_settings


def _files(small_bundle: Path, bad_job: bool) -> list[tuple[str, tuple[str, bytes, str]]]:
    jobs = (small_bundle / "jobs.jsonl").read_bytes()
    if bad_job:
        jobs += b'{"id": "no-title", "created_at": "2026-01-01T00:00:00Z"}\n'
    people = (small_bundle / "freelancers.jsonl").read_bytes()
    return [
        ("files", ("jobs.jsonl", jobs, "application/x-ndjson")),
        ("files", ("freelancers.jsonl", people, "application/x-ndjson")),
    ]


def test_the_page_lists_the_cli_import_and_its_report(app: FastAPI, cast: Cast) -> None:
    browser, _ = signed_in_browser(app, cast.tokens["operator"])
    page = browser.get("/imports")
    assert page.status_code == 200 and 'href="/imports"' in page.text  # nav entry
    assert "Showing 1-1 of 1 imports" in page.text
    link = re.search(r'href="(/imports/imp_[^"]+)"', page.text)
    assert link is not None and "0 rejected" in page.text
    report = browser.get(link.group(1)).text
    assert "jobs.jsonl" in report and "every line of the bundle passed validation" in report


def test_an_upload_shows_which_lines_failed_and_why(
    app: FastAPI, engine: Engine, cast: Cast, small_bundle: Path
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["operator"])
    forged = browser.post("/imports", files=_files(small_bundle, True))
    assert forged.status_code == 403
    before = engine.store.imports.page(0, 1)[1]
    done = browser.post(
        "/imports",
        data={"csrf_token": csrf},
        files=_files(small_bundle, True),
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?new=1")
    assert engine.store.imports.page(0, 1)[1] == before + 1
    report = browser.get(done.headers["location"]).text
    assert "1 line(s) rejected" in report
    assert "jobs.jsonl:151: title: Field required" in report
    assert "upload: jobs.jsonl, freelancers.jsonl" in report
    operator = engine.identify_token(cast.tokens["operator"])
    assert operator is not None
    # Who ran it reads as the user's name, not its id (on the report and in the list).
    assert "<dd>operator-webimports, through the web</dd>" in report
    assert f"<dd>{operator.user_id}" not in report
    assert "operator-webimports · web" in browser.get("/imports").text
    wrong = browser.post(
        "/imports",
        data={"csrf_token": csrf},
        files=[("files", ("passwords.txt", b"x", "text/plain"))],
    )
    assert wrong.status_code == 422 and "not a bundle file" in wrong.text
    missing = browser.post(
        "/imports", data={"csrf_token": csrf}, files=_files(small_bundle, False)[:1]
    )
    assert missing.status_code == 422 and "freelancers.jsonl" in missing.text
    for nothing in ([("files", ("", b"", "application/octet-stream"))], None):
        empty = browser.post("/imports", data={"csrf_token": csrf}, files=nothing)
        assert empty.status_code == 422 and "choose the bundle" in empty.text
    listed = browser.get("/imports").text  # the refused one is listed too
    assert '<span class="pill declined">failed</span>' in listed


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, small_bundle: Path
) -> None:
    settings = make_settings(tmp_path / "home").model_copy(update={"max_upload_bytes": 1000})
    engine = Engine(settings, encoder=HashingEncoder())
    try:
        _, token = engine.add_user("op", "operator")
        browser, csrf = signed_in_browser(create_app(engine=engine), token)
        big = browser.post("/imports", data={"csrf_token": csrf}, files=_files(small_bundle, False))
        assert big.status_code == 413 and engine.store.imports.page(0, 1)[1] == 0
        assert big.headers["content-type"].startswith("text/html")  # a page, not the API's JSON
        assert "Too large to upload" in big.text and "the limit for these files is" in big.text
        assert 'href="/imports"' in big.text
        api = browser.post(
            "/api/imports",
            files=_files(small_bundle, False),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert api.status_code == 413 and api.json()["limit_bytes"] == 1000  # the API: JSON

    finally:
        engine.store.close()


def test_the_limit_reads_in_megabytes() -> None:
    from tandem.api.limits import in_mb

    assert in_mb(50 * 1_048_576) == "50 MB" and in_mb(1_572_864) == "1.5 MB"
    assert in_mb(1000) == "less than 0.1 MB"


@pytest.mark.parametrize("who", ["auditor", "client-own", "freelancer-own"])
def test_other_roles_neither_see_nor_use_it(
    app: FastAPI, cast: Cast, small_bundle: Path, who: str
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens[who])
    assert 'href="/imports"' not in browser.get("/jobs").text
    refused = browser.get("/imports")
    assert refused.status_code == 403
    assert "<h1>You don&#39;t have permission</h1>" in refused.text  # the one permission page
    assert "you can&#39;t import data. Who can: operators." in refused.text
    sent = browser.post("/imports", data={"csrf_token": csrf}, files=_files(small_bundle, False))
    assert sent.status_code == 403 and "Who can: operators." in sent.text


def test_an_upload_without_a_required_file_says_so_in_the_uploaders_terms(
    app: FastAPI, cast: Cast, small_bundle: Path
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["operator"])
    jobs = ("files", ("jobs.jsonl", (small_bundle / "jobs.jsonl").read_bytes(), "text/plain"))
    page = browser.post("/imports", data={"csrf_token": csrf}, files=[jobs])
    assert page.status_code == 422
    needs = "a bundle needs freelancers.jsonl and jobs.jsonl"
    said = f"{needs}; it has jobs.jsonl: add freelancers.jsonl"
    assert said in page.text
    assert "tandem-import-" not in page.text  # no server path (the temporary directory)
    listed = browser.get("/imports").text  # the failed import's record says the same
    report = re.search(r'href="(/imports/imp_[^"]+)"', listed)
    assert report is not None
    shown = browser.get(report.group(1)).text
    assert said in shown and "tandem-import-" not in shown


def test_a_report_with_nothing_accepted_says_nothing_was_imported_and_every_reason(
    app: FastAPI, cast: Cast
) -> None:
    browser, csrf = signed_in_browser(app, cast.tokens["operator"])
    files = [
        ("files", ("freelancers.jsonl", b'{"id": "f-bad", "skills": "many"}\n', "text/plain")),
        ("files", ("jobs.jsonl", b'{"id": "j-bad"}\n', "text/plain")),
    ]
    done = browser.post("/imports", data={"csrf_token": csrf}, files=files, follow_redirects=False)
    assert done.status_code == 303
    report = browser.get(done.headers["location"]).text
    assert "Nothing was imported: every line was rejected (2 line(s))" in report
    assert "Imported." not in report and "the good lines imported" not in report
    job_line = re.search(r"<li>(jobs\.jsonl:1: [^<]+)</li>", report)
    assert job_line is not None and "more)" not in job_line.group(1)
    reasons = job_line.group(1).split("; ")
    assert {r.split(":")[-2].strip() for r in reasons} >= {"title", "created_at"}, reasons
    assert '<span class="pill declined">nothing imported</span>' in browser.get("/imports").text
