"""Server-rendered pages: latency of every page of each role's journey on the demo market.

Run: ``python bench/bench_pages.py`` (the demo market: 2,000 freelancers / 1,000 jobs, seed 7;
20 timed requests per page). ``--home DIR`` keeps the market between runs: a home that already
holds one is served as it is, as ``tandem demo`` does on its second run. ``--train`` runs
``tandem train`` before serving, as an operator would: the models page then lists versions and
their ranking cards, and a version that passes its gate serves.

It starts ``tandem demo`` itself (this checkout's code, in a subprocess on a free port, rate
limit off): on first run that builds the sample market exactly as a user's ``tandem demo``
does, adds one demo user per role, and serves it with uvicorn as served. Then, for each role
(client, freelancer, operator, auditor), it signs in with the demo user's one-click form as a
browser does (the form's CSRF cookie and field, then the session cookie), finds the pages of
that role's journey by following the links the pages themselves show (a job with matches, its
applicants, two candidates to compare, a logged ranking and one of its replays, ...), and
requests each page once to warm up and ``--runs`` times more over one keep-alive connection,
all pages in rotation so that noise falls on every page alike. Each must answer 200. The
operator's and auditor's rotations view a job's matches (a ranking served and logged) between
two views of ``/audit``, so every ``/audit`` view is of a log that grew since the last: the
realistic case of a market serving while an auditor reads (the script prints how many entries
the log gained). It prints p50 / p95 / max per page, the server's CPU per request (from /proc:
on a shared machine the wall time also counts waiting for a core), PASS or FAIL against the
300 ms p95 target, and whether any page, or any stylesheet or script the pages load, loads
from another host.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlencode

import numpy as np

SRC = Path(__file__).resolve().parents[1] / "src"
TARGET_MS = 300.0
ROLES = ("client", "freelancer", "operator", "auditor")
#: An absolute URL; the host is group 1.
URL = re.compile(r"""(?:https?:)?//([A-Za-z0-9.\-]+(?::\d+)?)[^\s"'<>)]*""")
#: Attributes and CSS through which a page makes the browser load something.
LOADS = re.compile(
    r"""(?:<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc\s*=\s*["']?"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?|url\(\s*["']?|@import\s+["']?)(https?:)?//""",
    re.IGNORECASE,
)
ASSETS = re.compile(r"""(?:src|href)\s*=\s*["'](/static[^"'#?]*\.(?:css|js))""")


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the server ------------------------------------------------------------------------------


def start_demo(home: Path, port: int, log: Path, sizes: tuple[int, int]) -> subprocess.Popen[bytes]:
    """``tandem demo`` on ``port``: builds the market on first run, then serves it."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        "TANDEM_HOME": str(home),
        "TANDEM_HOST": "127.0.0.1",
        "TANDEM_RATE_LIMIT_PER_MINUTE": "0",
    }
    code = "import sys; from tandem.cli import main; sys.argv[0] = 'tandem'; sys.exit(main())"
    args = ["demo", "--port", str(port), "--freelancers", str(sizes[0]), "--jobs", str(sizes[1])]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 1800  # the first run imports and indexes the market
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"tandem demo exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(1)
    proc.kill()
    raise SystemExit(f"tandem demo did not answer /api/health:\n{log.read_text()[-3000:]}")


def train(home: Path) -> float:
    """``tandem train`` on the home (promoting what passes its gate, as by default); seconds."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        "TANDEM_HOME": str(home),
    }
    code = "import sys; from tandem.cli import main; sys.argv[0] = 'tandem'; sys.exit(main())"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, "train"], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"tandem train failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - start


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- a browser, as far as the server can tell -------------------------------------------------


class Browser:
    """One keep-alive connection with a cookie jar: what a browser sends a server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str, str]:
        """(status, body, Location) of one request; cookies kept as a browser keeps them."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body or None, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("set-cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if value and "max-age=0" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, text, response.headers.get("location", "")

    def get(self, path: str) -> str:
        status, text, _ = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}: {text[:300]}")
        return text

    def sign_in(self, demo_user: str) -> None:
        """The sign-in page's one-click form for a demo user (its CSRF cookie and field)."""
        page = self.get("/signin")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if token is None:
            raise SystemExit("the sign-in page has no CSRF field")
        form = urlencode({"csrf_token": token.group(1), "demo_user": demo_user, "next": "/"})
        status, text, _ = self.request("POST", "/signin", form)
        if status != 303 or "tandem_session" not in self.cookies:
            raise SystemExit(f"signing in as {demo_user} failed ({status}): {text[:300]}")


def links(html: str, pattern: str) -> list[str]:
    """Every href in ``html`` that matches ``pattern`` (unescaped, in page order, unique)."""
    found = [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]
    return list(dict.fromkeys(h for h in found if re.fullmatch(pattern, h)))


def first(html: str, pattern: str, what: str) -> str:
    hits = links(html, pattern)
    if not hits:
        raise SystemExit(f"no link to {what} found")
    return hits[0]


# -- each role's journey, found by following links --------------------------------------------


def own_job(home: Path) -> str:
    """The demo client's job with the most proposals (open first): its matches and applicants.

    The web UI has no "my jobs" list yet, so this one id is read from the store.
    """
    from tandem.engine import Engine
    from tandem.settings import Settings

    engine = Engine(Settings(home=home))
    try:
        user = engine.store.users.by_name("demo-client")
        if user is None or not user.client_id:
            raise SystemExit("no demo client in this home")
        jobs = engine.store.jobs.where(client_id=user.client_id)
        if not jobs:
            raise SystemExit(f"the demo client {user.client_id} has no job")
        counts = {j.id: len(engine.store.proposals.where(job_id=j.id)) for j in jobs}
        return max(jobs, key=lambda j: (j.status == "open", counts[j.id], j.id)).id
    finally:
        engine.store.close()


def log_head(home: Path) -> int:
    """The decision log's last entry number: the difference over a run is what it logged."""
    from tandem.engine import Engine
    from tandem.settings import Settings

    engine = Engine(Settings(home=home))
    try:
        return engine.store.decisions.head()[0]
    finally:
        engine.store.close()


def log_pages(b: Browser, kind: str) -> dict[str, str]:
    """The decision log, one logged ranking of ``kind``, and one result's replay."""
    pages = {"log": "/log", f"log, {kind} only": f"/log?kind={kind}"}
    entry = first(b.get(f"/log?kind={kind}"), r"/log/[^/?]+", "a logged ranking")
    pages["log entry"] = entry
    replays = links(b.get(entry), r"/log/[^/?]+/why/[^?]+")
    if replays:
        pages["replay"] = replays[0]
    return pages


def client_pages(b: Browser, job: str) -> dict[str, str]:
    page2 = "/jobs" + first(b.get("/jobs"), r"\?page=2", "page 2 of the jobs")
    job_html = b.get(f"/jobs/{job}")
    people = [p.split("?")[0] for p in links(job_html, r"/freelancers/[^?]+\?rid=.+")]
    rid = re.search(r'name="rid" value="([^"]+)"', job_html)
    if len(people) < 2 or rid is None:
        raise SystemExit(f"job {job} shows fewer than two matches to its client")
    compare = f"/jobs/{job}/compare?" + urlencode(
        {"rid": rid.group(1), "a": people[0].rsplit("/", 1)[1], "b": people[1].rsplit("/", 1)[1]}
    )
    b.get(f"/jobs/{job}")  # a ranking of this client's to find in the log
    return {
        "home": "/",
        "jobs, page 2": page2,
        "jobs, search": "/jobs?" + urlencode({"q": "logo design"}),
        "post a job": "/jobs/new",
        "job + matches": f"/jobs/{job}",
        "applicants tab": f"/jobs/{job}?candidates=proposals",
        "compare two": compare,
        "close job (confirm)": f"/jobs/{job}/close",
        "edit job": f"/jobs/{job}/edit",
        "your jobs": "/me/posts",
        "talent": "/talent",
        "talent, search": "/talent?" + urlencode({"q": "python developer"}),
        "talent, 3 filters": "/talent?"
        + urlencode({"q": "python", "max_rate": "80", "min_job_success": "80", "available": "1"}),
        "profile (from a match)": people[0],
        **log_pages(b, "match"),
    }


def freelancer_pages(b: Browser) -> dict[str, str]:
    mine = b.get("/me/jobs")
    fit = first(mine, r"/me/jobs/[^/?]+", "a job for me")
    apply = first(mine, r"/me/jobs/[^/?]+/apply", "a job to apply to")
    me = first(b.get("/me/profile"), r"/freelancers/[^/?]+", "my public profile")
    return {
        "home": "/",
        "my profile": "/me/profile",
        "jobs for me": "/me/jobs",
        "jobs for me, page 2": "/me/jobs?page=2",
        "raise my match": fit,
        "draft a proposal": apply,
        "my proposals": "/me/proposals",
        "my profile, public + recs": me,
        "a job": "/jobs/" + quote(fit.rsplit("/", 1)[1], safe=""),
        **log_pages(b, "recommend"),
    }


def operator_pages(b: Browser, job: str) -> dict[str, str]:
    models = b.get("/models")
    cards = links(models, r"/models/[^/?]+")
    b.get(f"/jobs/{job}")  # a ranking with people in it to find in the log
    pages = {
        "home": "/",
        "models": "/models",
        **({"ranking card": cards[0]} if cards else {}),
        "job + matches": f"/jobs/{job}",
        "talent, search": "/talent?" + urlencode({"q": "python developer"}),
        **log_pages(b, "match"),
        "audit report": "/audit",
    }
    return pages


def auditor_pages(b: Browser, job: str) -> dict[str, str]:
    return {
        "home": "/",
        "audit report": "/audit",
        "models": "/models",
        "job + matches (by position)": f"/jobs/{job}",
        **log_pages(b, "match"),
    }


# -- timing and the CDN check -----------------------------------------------------------------


@dataclass
class Timed:
    role: str
    page: str
    path: str
    ms: list[float] = field(default_factory=list)
    cpu_ticks: int = 0  # the server's CPU over the timed requests
    external: set[str] = field(default_factory=set)  # hosts the page loads from
    mentions: set[str] = field(default_factory=set)  # hosts it only links to or names


def external_refs(text: str, port: int) -> tuple[set[str], set[str]]:
    """Hosts other than this server that ``text`` loads from, and those it only mentions."""
    own = {f"127.0.0.1:{port}", f"localhost:{port}", "127.0.0.1", "localhost"}
    loads = {m.end() for m in LOADS.finditer(text)}  # just past the "//" of a load
    loaded, mentioned = set(), set()
    for match in URL.finditer(text):
        host = match.group(1).lower()
        if host in own or "." not in host:
            continue
        after_slashes = match.start() + match.group(0).index("//") + 2
        (loaded if after_slashes in loads else mentioned).add(host)
    return loaded, mentioned


def measure(b: Browser, role: str, pages: dict[str, str], runs: int, pid: int) -> list[Timed]:
    """Each page once (warm-up, what it refers to), then ``runs`` rounds over all of them."""
    timed = [Timed(role, name, path) for name, path in pages.items()]
    for t in timed:
        t.external, t.mentions = external_refs(b.get(t.path), b.port)
    for _ in range(runs):
        for t in timed:
            ticks, start = cpu_ticks(pid), time.perf_counter()
            b.get(t.path)
            t.ms.append((time.perf_counter() - start) * 1000)
            t.cpu_ticks += cpu_ticks(pid) - ticks
    return timed


def assets_external(b: Browser, timed: list[Timed], port: int) -> dict[str, set[str]]:
    """The stylesheets and scripts the pages load, each with the other hosts it loads from."""
    seen: dict[str, set[str]] = {}
    for t in timed:
        for asset in ASSETS.findall(b.get(t.path)):
            if asset not in seen:
                seen[asset] = external_refs(b.get(asset), port)[0]
    return seen


def table(rows: list[Timed]) -> str:
    out = [
        "| role | page | path | p50 ms | p95 ms | max ms | server CPU ms | p95 < 300 ms "
        "| loads from elsewhere |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t in rows:
        p50, p95 = np.percentile(t.ms, 50), np.percentile(t.ms, 95)
        verdict = "PASS" if p95 < TARGET_MS else "**FAIL**"
        path = t.path if len(t.path) <= 48 else t.path[:45] + "..."
        hosts = ", ".join(sorted(t.external)) or "none"
        out.append(
            f"| {t.role} | {t.page} | `{path}` | {p50:.1f} | {p95:.1f} | {max(t.ms):.1f} | "
            f"{1000 * t.cpu_ticks / CLK_TCK / len(t.ms):.0f} | {verdict} | {hosts} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, help="TANDEM_HOME to build or reuse (default: temp)")
    parser.add_argument("--freelancers", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--roles", nargs="+", default=list(ROLES), choices=ROLES)
    parser.add_argument(
        "--train",
        action="store_true",
        help="run tandem train first (the models page gets versions and ranking cards)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        home = args.home or Path(tmp) / "home"
        port, log = free_port(), Path(tmp) / "serve.log"
        started = time.perf_counter()
        proc = start_demo(home, port, log, (args.freelancers, args.jobs))
        print(f"tandem demo answered after {time.perf_counter() - started:.1f} s ({home})")
        if args.train:
            stop(proc)
            print(f"tandem train took {train(home):.1f} s")
            proc = start_demo(home, port, log, (args.freelancers, args.jobs))
        try:
            run(home, port, proc.pid, args.roles, args.runs)
        finally:
            stop(proc)


def run(home: Path, port: int, pid: int, roles: list[str], runs: int) -> None:
    job = own_job(home)
    journeys: dict[str, Callable[[Browser], dict[str, str]]] = {
        "client": lambda b: client_pages(b, job),
        "freelancer": freelancer_pages,
        "operator": lambda b: operator_pages(b, job),
        "auditor": lambda b: auditor_pages(b, job),
    }
    rows: list[Timed] = []
    assets: dict[str, set[str]] = {}
    load = os.getloadavg()
    head = log_head(home)
    for role in roles:
        b = Browser(port)
        b.sign_in(f"demo-{role}")
        timed = measure(b, role, journeys[role](b), runs, pid)
        assets.update(assets_external(b, timed, port))
        rows += timed
    print(f"\nDemo market in {home}; the demo client's job {job}; {runs} timed requests per page "
          f"after one warm-up; load average {load[0]:.2f} at the start, "
          f"{os.getloadavg()[0]:.2f} at the end.\n")  # fmt: skip
    print(table(rows))
    print(f"\n{log_head(home) - head} entries were appended to the decision log during the run "
          "(the operator's and auditor's rotations view a job's matches, a logged ranking, "
          "between two views of /audit: each /audit view counts a log that grew).")  # fmt: skip
    missed = [f"{t.role} {t.page}" for t in rows if np.percentile(t.ms, 95) >= TARGET_MS]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} pages meet p95 < {TARGET_MS:.0f} ms"
          + (f"; missed: {', '.join(missed)}" if missed else "."))  # fmt: skip
    loaded = {h for t in rows for h in t.external} | {h for hs in assets.values() for h in hs}
    print(f"Stylesheets and scripts the pages load: {', '.join(sorted(assets)) or 'none'}.")
    print("Loads from another host (CDN check): " + (", ".join(sorted(loaded)) or "none: PASS"))
    mentioned = sorted({h for t in rows for h in t.mentions})
    print("Other hosts only named or linked to (not loaded): " + (", ".join(mentioned) or "none"))


if __name__ == "__main__":
    main()
