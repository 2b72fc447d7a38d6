"""Pages of the web lists: ``?page=N``, counts that are true, every open job reachable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import QueryParams

from tandem.api import create_app
from tandem.api.pager import PER_PAGE, Pager, page_link
from tandem.embed import HashingEncoder
from tandem.engine import Engine
from tandem.engine.types import MAX_TOP
from tests.conftest import make_settings, sign_in

JOB_LINK = re.compile(r'<a class="title" href="/jobs/([^"]+)">')
COUNT = re.compile(r"Showing (\d+)-(\d+) of (\d+) open jobs")


def test_a_pager_counts_what_it_shows_and_stops_at_the_ranking_depth() -> None:
    middle = Pager(page=2, total=85, shown=20)
    assert (middle.first, middle.last, middle.pages) == (21, 40, 5)
    assert middle.has_prev and middle.has_next
    end = Pager(page=5, total=85, shown=5)
    assert (end.first, end.last, end.has_next) == (81, 85, False)
    past = Pager(page=9, total=85, shown=0)
    assert (past.first, past.has_next) == (0, False)
    deep = Pager(page=MAX_TOP // PER_PAGE, total=MAX_TOP * 3, shown=PER_PAGE)
    assert deep.reachable == MAX_TOP and not deep.has_next
    assert Pager(page=1, total=0, shown=0).pages == 1


def test_a_page_link_keeps_the_search_and_replaces_the_page() -> None:
    params = QueryParams("q=logo+design&category=Design&page=3")
    assert page_link(params, 4) == "?q=logo+design&category=Design&page=4"
    assert page_link(params, 1) == "?q=logo+design&category=Design"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, small_bundle: Path) -> Iterator[TestClient]:
    """A signed-in operator's browser on an engine of its own (pages log their rankings)."""
    engine = Engine(make_settings(tmp_path_factory.mktemp("pager-home")), encoder=HashingEncoder())
    engine.import_bundle(small_bundle)
    closed = [j for j in engine.store.jobs.iter_all() if j.status == "closed"]
    for job in closed[:30]:  # more open jobs than two pages hold, some closed ones left
        engine.save_job(job.model_copy(update={"status": "open"}))
    with TestClient(create_app(engine=engine), raise_server_exceptions=False) as c:
        sign_in(c, engine.add_user("pager", "operator")[1])
        c.app_state = engine  # type: ignore[attr-defined]
        yield c
    engine.store.close()


def test_every_open_job_is_reachable_page_by_page_with_true_counts(client: TestClient) -> None:
    engine: Engine = client.app_state  # type: ignore[attr-defined]
    open_ids = {j.id for j in engine.store.jobs.iter_all() if j.status == "open"}
    closed = engine.store.jobs.count() - len(open_ids)
    assert len(open_ids) > PER_PAGE and closed > 0  # the bundle has pages, and closed jobs
    home = client.get("/").text
    assert f"{len(open_ids)} open jobs ·" in home
    seen: list[str] = []
    url = "/jobs"
    for number in range(1, 100):
        page = client.get(url).text
        found = COUNT.search(page)
        assert found is not None, page[-2000:]
        first, last, total = map(int, found.groups())
        ids = JOB_LINK.findall(page)
        assert (first, last, total) == (len(seen) + 1, len(seen) + len(ids), len(open_ids))
        seen += ids
        following = re.search(r'<a rel="next" href="([^"]+)"', page)
        if following is None:
            break
        url = "/jobs" + following.group(1).replace("&amp;", "&")
        assert url == f"/jobs?page={number + 1}"
    assert len(seen) == len(set(seen)) and set(seen) == open_ids
    assert 'rel="prev"' in client.get("/jobs?page=2").text


def test_empty_states_say_what_to_do(client: TestClient) -> None:
    past = client.get("/jobs?page=40").text
    assert "is past the end" in past and 'href="?page=1"' not in past and 'href="?"' in past
    assert client.get("/jobs?page=banana").status_code == 200  # a bad page number: page 1
    none = client.get("/jobs?category=No+such+category").text
    assert "No open jobs match" in none and 'href="/jobs"' in none
    nobody = client.get("/talent?skill=Underwater+basket+weaving").text
    assert "No freelancers match these filters" in nobody and "clear every filter" in nobody


def test_talent_pages_count_and_continue(client: TestClient) -> None:
    engine: Engine = client.app_state  # type: ignore[attr-defined]
    people = engine.store.freelancers.count()
    second = client.get("/talent?page=2").text
    assert f"Showing 21-40 of {people} freelancers" in second
    assert 'rel="prev" href="?"' in second and 'rel="next" href="?page=3"' in second


def test_the_home_pages_next_link_leads_to_the_next_page(client: TestClient) -> None:
    """The home page is the jobs list: its relative ``?page=2`` link must not show page 1."""
    home = client.get("/").text
    following = re.search(r'<a rel="next" href="([^"]+)"', home)
    assert following is not None
    second = client.get("/" + following.group(1).replace("&amp;", "&")).text
    found = COUNT.search(second)
    assert found is not None and found.group(1) == str(PER_PAGE + 1)
    assert JOB_LINK.findall(second)[0] not in JOB_LINK.findall(home)


def _logged(engine: Engine) -> int:
    return engine.store.decisions.page(0, 1)[1]


def test_a_page_past_the_end_says_so_truthfully_with_a_link_to_page_1(client: TestClient) -> None:
    jobs = client.get("/jobs?page=40").text
    assert "Page 40 is past the end" in jobs and "Page 40 of" not in jobs
    assert 'href="?">Go to page 1' in jobs
    client.get("/jobs?q=design")  # at least one ranking in the log
    log = client.get("/log?page=49").text
    assert "Page 49 is past the end" in log and "Nothing logged" not in log
    assert 'href="?">Go to page 1' in log
    talent = client.get("/talent?page=49").text
    assert "Page 49 is past the end" in talent and "Page 49 of" not in talent


def test_a_page_past_what_is_ranked_says_the_page_asked_for_and_links_the_last(
    client: TestClient,
) -> None:
    """``?page=999`` is read as the furthest rankable page, but said back as asked."""
    for url in ("/jobs?page=999", "/talent?page=999", "/log?page=999"):
        page = client.get(url).text
        assert "Page 999 is past the end" in page, url
        last = re.search(r'href="\?page=(\d+)">Go to the last page \((\d+)\)', page)
        if last is None:  # a list of one page: page 1 is the last
            assert 'href="?">Go to page 1</a><span>(the only page)' in page, url
            continue
        assert last.group(1) == last.group(2), url
        there = client.get(f"{url.split('?')[0]}?page={last.group(1)}").text
        assert "Showing " in there and "past the end" not in there


def test_viewing_the_job_list_logs_nothing_a_search_with_words_is_logged(
    client: TestClient,
) -> None:
    engine: Engine = client.app_state  # type: ignore[attr-defined]
    before = _logged(engine)
    for url in ("/", "/jobs", "/jobs?page=2", "/jobs?category=Design"):
        assert client.get(url).status_code == 200
    assert _logged(engine) == before  # a list in date order is no ranking decision
    client.get("/jobs?q=logo+design")
    assert _logged(engine) == before + 1


def test_a_search_finds_only_jobs_with_its_words(client: TestClient) -> None:
    engine: Engine = client.app_state  # type: ignore[attr-defined]
    absent = "Qzxvkwy"  # a word no job has, nor anything close to it in meaning
    none = client.get(f"/jobs?q={absent}").text
    assert JOB_LINK.findall(none) == [] and f"No open jobs match “{absent}”" in none
    assert "Try other words" in none and 'href="/jobs"' in none
    open_jobs = [j for j in engine.store.jobs.iter_all() if j.status == "open"]
    word = open_jobs[0].title.split()[0]
    found = client.get(f"/jobs?q={word}").text
    total = COUNT.search(found.replace(" open jobs found", " open jobs"))
    assert total is not None and 0 < int(total.group(3)) < len(open_jobs)
    assert open_jobs[0].id in JOB_LINK.findall(found) or int(total.group(3)) > PER_PAGE


def test_viewing_the_talent_list_logs_nothing_a_search_with_words_is_logged(
    client: TestClient,
) -> None:
    engine: Engine = client.app_state  # type: ignore[attr-defined]
    before = _logged(engine)
    for url in ("/talent", "/talent?page=2", "/talent?country=DE", "/talent?available=1&q=+"):
        assert client.get(url).status_code == 200
    assert _logged(engine) == before  # a filtered list is no ranking decision
    first, again = client.get("/talent").text, client.get("/talent").text
    assert TALENT_LINK.findall(first) == TALENT_LINK.findall(again) != []  # a stable order
    client.get("/talent?q=design")
    assert _logged(engine) == before + 1


TALENT_LINK = re.compile(r'<a class="title" href="/freelancers/([^"]+)">')
TALENT_COUNT = re.compile(r"Showing \d+-\d+ of (\d+) freelancers")


def test_a_talent_search_finds_only_people_with_its_words(client: TestClient) -> None:
    engine: Engine = client.app_state  # type: ignore[attr-defined]
    none = client.get("/talent?q=Zyzzogeton").text
    assert TALENT_LINK.findall(none) == [] and "No freelancers match “Zyzzogeton”" in none
    assert "Try other words" in none and 'href="/talent"' in none
    people = list(engine.store.freelancers.iter_all())
    word = people[0].title.split()[-1]
    found = client.get(f"/talent?q={word}").text
    total = TALENT_COUNT.search(found.replace(" freelancers found", " freelancers"))
    assert total is not None and 0 < int(total.group(1)) < len(people)
    having = {p.id for p in people if word.lower() in p.model_dump_json().lower()}
    assert set(TALENT_LINK.findall(found)) <= having
