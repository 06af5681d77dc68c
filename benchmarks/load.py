"""HTTP load on the real server, 1 replica against 2, with wrk (issue 11 "Load").

    /work/venv/bin/python benchmarks/load.py [--duration 10] [--rounds 3] [--connections 16]
                                             [--warm-up 2] [--json FILE]

A scratch PostgreSQL database (``VAXX_BENCH_POSTGRES_URL``, default the test server) and,
when Redis answers at ``VAXX_BENCH_REDIS_URL`` (default redis://127.0.0.1:6379/15), Redis
under a fresh key prefix are what the replicas share. Seeded: API clients, the demo sites
and slots, one certificate to verify, and per replica count one slot with as many places as
there are eligible people queued for it. Two servers run side by side, ``vaxx serve`` with
1 and with 2 uvicorn workers (one listening socket: the simplest "one address"), and take
turns: in each of ``--rounds`` rounds wrk drives each endpoint class for ``--duration``
seconds on one, then the other (the order alternates by round; medians with min-max are
printed, PERFORMANCE.md: the machine is noisy). Each server's first run of an endpoint
follows an unmeasured ``--warm-up`` (first requests load caches: trust list, rules, keys).

- healthz: ``GET /healthz``, the baseline of the same run (no database, no auth);
- verify: ``POST /verifier/verify`` of the seeded HC1;
- issue: ``POST /issuer/certificates`` with a Bundle and a fresh Idempotency-Key each time
  (the key is held in the shared state while the certificate is signed and stored);
- open-data: ``GET /open-data/availability`` (1,000 rows of the demo data);
- booking: ``POST /booking/appointments`` for one slot, a distinct eligible person per
  request (contention on one row; a 409 is a booking the slot could not take).

Printed per replica count and endpoint: requests/s and its ratio to /healthz, p50/p99
latency, 2xx, 4xx and 5xx counts, and server CPU seconds per 1,000 requests (utime+stime of
the whole ``vaxx serve`` process tree from /proc, before and after the run), then the
2-replica / 1-replica CPU-per-request ratio (target <= 1.1x: adding a replica must not make
each request dearer through shared state). On a machine with two or more cores wrk is
pinned to one core (``taskset``) and the servers, once started, to another, so the servers'
CPU is theirs; the two replicas then time-share one core, which costs something by itself:
/healthz (no shared state) measures that, and each endpoint's ratio is also printed over
/healthz's. Rate limits are set far above the load (their counters still run).
Loopback only; every run is bounded by ``--duration``.
"""

# ruff: noqa: E402 - the sys.path fix below must run before the vaxx imports

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/booking.py would shadow the booking package this script seeds through.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from booking import demo
from vaxx import db
from vaxx.auth import service as auth_service
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT.parent / "shared/examples/issue-vaccination-request.json"
PG_URL = os.environ.get(
    "VAXX_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("VAXX_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PATHS = {
    "healthz": "/healthz",
    "verify": "/verifier/verify",
    "issue": "/issuer/certificates",
    "open-data": "/open-data/availability",
    "booking": "/booking/appointments",
}
ENDPOINTS = tuple(PATHS)
CLK_TCK = os.sysconf("SC_CLK_TCK")
WARM_UP_PEOPLE = 1000
LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))

# Counts statuses in every wrk thread and prints one machine-readable line at the end
# (wrk's own summary lumps 4xx and 5xx together as "Non-2xx or 3xx").
LUA_COMMON = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  s2, s4, s409, s5 = 0, 0, 0, 0
  -- per wrk run: a tag (fresh idempotency keys) and the slice of people it books for
  tag, first, count = args[1] or "-", tonumber(args[2] or "0"), tonumber(args[3] or "0")
end
function response(status, headers, body)
  if status < 300 then s2 = s2 + 1
  elseif status == 409 then s409 = s409 + 1
  elseif status < 500 then s4 = s4 + 1
  else s5 = s5 + 1 end
end
function done(summary, latency, requests)
  local a, b, c, d = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("s2"); b = b + t:get("s4"); c = c + t:get("s409"); d = d + t:get("s5")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d s2xx=%d s4xx=%d s409=%d s5xx=%d " ..
    "p50_us=%d p99_us=%d socket_errors=%d\\n",
    summary.requests, summary.duration, a, b, c, d,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Run:
    round: int
    replicas: int
    endpoint: str
    requests: int
    seconds: float
    s2xx: int
    s4xx: int
    s409: int
    s5xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    cpu_seconds: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_per_1000(self) -> float:
        return 1000 * self.cpu_seconds / max(self.requests, 1)


def national_id(serial: int, letter: str = "B", sex: str = "2") -> str:
    """A valid Taiwan national ID (the check digit computed) with ``serial`` in the middle."""
    first = LETTERS[letter]
    body = f"{sex}{serial:07d}"
    total = first // 10 + (first % 10) * 9
    total += sum(int(d) * w for d, w in zip(body, range(8, 0, -1), strict=True))
    return f"{letter}{body}{(10 - total % 10) % 10}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cores() -> tuple[str | None, str | None]:
    """(wrk's core, the servers' core) when there are two to split, else no pinning."""
    cpus = sorted(os.sched_getaffinity(0))
    if shutil.which("taskset") is None or len(cpus) < 2:
        return None, None
    return str(cpus[0]), str(cpus[1])


def _pinned(core: str | None, command: list[str]) -> list[str]:
    return command if core is None else ["taskset", "-c", core, *command]


def _tree(root: int) -> dict[int, int]:
    """CPU clock ticks (utime + stime) of ``root`` and each of its descendants, by pid."""
    parents: dict[int, int] = {}
    times: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = int(fields[11]) + int(fields[12])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return {pid: times[pid] for pid in tree if pid in times}


def _tree_cpu_seconds(root: int) -> float:
    """CPU seconds of the whole server: the parent and uvicorn's worker processes."""
    return sum(_tree(root).values()) / CLK_TCK


def _idle(root: int, window: float = 1.0) -> bool:
    """True when the process tree used (almost) no CPU for ``window`` seconds."""
    before = _tree_cpu_seconds(root)
    time.sleep(window)
    return _tree_cpu_seconds(root) - before < 0.05 * window


@contextmanager
def _scratch_database() -> Iterator[str]:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"vaxx_load_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def _redis_prefix() -> Iterator[str | None]:
    """A fresh key prefix on Redis (deleted afterwards), or None when Redis is not there."""
    try:
        import redis
    except ImportError:
        yield None
        return
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        yield None
        return
    prefix = f"vaxx-load-{uuid.uuid4().hex[:8]}:"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)
        client.close()


def _environment(data_dir: Path, database_url: str, prefix: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAXX_")}
    env |= {
        "VAXX_DATA_DIR": str(data_dir),
        "VAXX_DATABASE_URL": database_url,
        "VAXX_AVAILABILITY_PULL_SECONDS": "0",
        "VAXX_RATE_LIMIT_OPEN_DATA": "1000000000",
        "VAXX_RATE_LIMIT_BOOKING": "1000000000",
    }
    if prefix is not None:
        env |= {"VAXX_REDIS_URL": REDIS_URL, "VAXX_REDIS_PREFIX": prefix}
    return env


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def _server(env: dict[str, str], workers: int, log: Path) -> Iterator[Server]:
    """``vaxx serve --workers N`` on a free port, stopped at the end."""
    port = _free_port()
    command = [sys.executable, "-m", "vaxx", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own server
            [*command, "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Server(process, f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ready(server: Server, core: str | None) -> None:
    """Wait until ``server`` answers /readyz and its process tree is idle, then pin it.

    One worker answering is not enough: another would still be importing the app during
    the measurement (and worker logs do not reach the parent's log to say so). Pinned only
    once started, so start-up may use every core.
    """
    deadline = time.monotonic() + 120
    while True:
        if server.process.poll() is not None:
            raise SystemExit(f"vaxx serve exited with {server.process.returncode}: {server.log}")
        with suppress(httpx.TransportError):
            if httpx.get(f"{server.base}/readyz", timeout=2).is_success and _idle(server.pid):
                break
        if time.monotonic() > deadline:
            raise SystemExit(f"vaxx serve did not get ready in 120 s: see {server.log}")
        time.sleep(0.2)
    if core is not None:
        for pid in _tree(server.pid):
            for task in os.listdir(f"/proc/{pid}/task"):  # every thread, not just the main
                os.sched_setaffinity(int(task), {int(core)})


STARTED = time.monotonic()


def _progress(what: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {what}", file=sys.stderr, flush=True)


@dataclass
class Seed:
    tokens: dict[str, str]
    qr: str
    bundle: str
    slots: dict[int, int]
    people: dict[int, list[str]]
    per_run: int
    """People for each measured booking run (round r books slice r); the rest of the list,
    after ``rounds * per_run``, is for the warm-up."""
    rounds: int


def _seed(database_url: str, base: str, per_run: int, rounds: int) -> Seed:
    """Clients, demo data, an HC1 to verify, and one contended slot per replica count
    (straight in the database where the API would only add start-up time)."""
    engine = db.make_engine(database_url)
    now = datetime.now(UTC)
    try:
        with db.transaction(db.make_sessionmaker(engine)) as session:
            tokens = {
                scope.value: auth_service.create_client(
                    session, name=f"load {scope.value}", scopes=[scope], now=now, actor="load"
                ).token
                for scope in (Scope.ISSUER, Scope.VERIFIER, Scope.BOOKING_STAFF)
            }
            demo.load(session, now)
    finally:
        engine.dispose()
    issued = httpx.post(
        f"{base}/issuer/certificates",
        content=BUNDLE.read_bytes(),
        headers={"Authorization": f"Bearer {tokens['issuer']}", "Content-Type": "application/json"},
        timeout=60,
    )
    if issued.status_code != 201:
        raise SystemExit(f"seeding the HC1: {issued.status_code} {issued.text}")
    qr = issued.json()["hc1"]
    total = rounds * per_run + WARM_UP_PEOPLE
    people = {
        replicas: [national_id(replicas * 1_000_000 + n) for n in range(total)]
        for replicas in (1, 2)
    }
    headers = {"Authorization": f"Bearer {tokens['booking-staff']}"}
    day = (datetime.now(UTC) + timedelta(hours=8) + timedelta(days=1)).date()
    with httpx.Client(base_url=base, headers=headers, timeout=60) as staff:

        def call(method: str, url: str, **kwargs: Any) -> Any:
            response = staff.request(method, url, **kwargs)
            if response.status_code >= 300:
                raise SystemExit(f"seeding {method} {url}: {response.status_code} {response.text}")
            return response.json()

        site = {
            "code": "0131069999", "name_zh": "負載測試診所", "name_en": "Load test clinic",
            "type": "clinic", "county": "臺北市", "district": "中正區", "address": "-",
            "sessions": ["morning", "afternoon"], "channels": ["web"],
            "issues_certificates": False,
        }  # fmt: skip
        call("POST", "/booking/staff/sites", json=site)
        vials = -(-2 * total // 10)
        lot = {"vaccine_code": "CoV Moderna", "lot_number": "LOAD1", "lot_type": "central",
               "expires_on": "2099-01-01", "doses_per_vial": 10, "vials_total": vials}  # fmt: skip
        lot_id = call("POST", "/booking/staff/lots", json=lot)["id"]
        call("POST", f"/booking/staff/lots/{lot_id}/allocations",
             json={"county": "63000", "vials": vials})  # fmt: skip
        call("POST", f"/booking/staff/lots/{lot_id}/deliveries",
             json={"site_code": site["code"], "vials": vials})  # fmt: skip
        slots = {}
        for replicas, part in ((1, "morning"), (2, "afternoon")):
            slot = {"day": day.isoformat(), "session": part, "vaccine_code": "CoV Moderna",
                    "capacity": total}  # fmt: skip
            slots[replicas] = call("POST", f"/booking/staff/sites/{site['code']}/slots",
                                   json=slot)["id"]  # fmt: skip
        category = {"code": "9", "name_zh": "負載", "name_en": "Load",
                    "vaccine_codes": ["CoV Moderna"], "active_from": "2000-01-01"}  # fmt: skip
        call("PUT", "/booking/staff/categories/9", json=category)
        week = (day - timedelta(days=day.weekday())).isoformat()
        listed = "\n".join(["national_id", *people[1], *people[2]])
        call("PUT", f"/booking/staff/eligibility/9/{week}", content=listed.encode(),
             headers={"Content-Type": "text/csv"})  # fmt: skip
    return Seed(tokens, qr, BUNDLE.read_text(), slots, people, per_run, rounds)


def _lua(seed: Seed, endpoint: str, replicas: int, threads: int) -> str:
    def long_string(value: str) -> str:
        assert "]==]" not in value
        return f"[==[{value}]==]"

    auth = {"verify": "verifier", "issue": "issuer"}.get(endpoint)
    lines = [LUA_COMMON]
    if endpoint in ("verify", "issue", "booking"):
        lines.append('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"')
    if auth is not None:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {seed.tokens[auth]}"')
    if endpoint == "verify":
        lines.append(f"wrk.body = {long_string(json.dumps({'qr': seed.qr}))}")
    elif endpoint == "issue":
        lines.append(f"""
local body = {long_string(seed.bundle)}
local sent = 0
function request()
  sent = sent + 1
  local headers = {{}}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Idempotency-Key"] = tag .. "-" .. tid .. "-" .. sent
  return wrk.format(nil, nil, headers, body)
end""")
    elif endpoint == "booking":
        people = ",".join(f'"{person}"' for person in seed.people[replicas])
        lines.append(f"""
local people = {{{people}}}
local sent = 0
function request()
  local person = people[first + (sent * {threads} + tid - 1) % count + 1]
  sent = sent + 1
  local body = '{{"slot_id":{seed.slots[replicas]},"id_type":"national-id","id_value":"'
    .. person .. '","birth_date":"1990-01-01"}}'
  return wrk.format(nil, nil, nil, body)
end""")
    return "\n".join(lines)


def _drive(
    base: str,
    pid: int,
    script: Path,
    connections: int,
    seconds: int,
    core: str | None,
    script_args: tuple[object, ...],
) -> dict[str, float]:
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "30s", "--latency", "-s", str(script)]  # fmt: skip
    endpoint = script.stem.split(".")[0]
    command += [f"{base}{PATHS[endpoint]}", "--", *map(str, script_args)]
    before = _tree_cpu_seconds(pid)
    done = subprocess.run(  # noqa: S603 - wrk from Debian, loopback only
        _pinned(core, command), capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    cpu = _tree_cpu_seconds(pid) - before
    found = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if found is None:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    values = {key: float(value) for key, value in re.findall(r"(\w+)=(\d+)", found.group(1))}
    return values | {"cpu_seconds": cpu}


def _measure(
    seed: Seed,
    server: Server,
    replicas: int,
    endpoint: str,
    round_: int,
    args: argparse.Namespace,
    work: Path,
    core: str | None,
) -> Run:
    script = work / f"{endpoint}.{replicas}.lua"
    if not script.exists():
        script.write_text(_lua(seed, endpoint, replicas, threads=1))
    if round_ == 0 and endpoint != "healthz" and args.warm_up > 0:
        # Unmeasured first: each worker's first requests load what it caches (trust list,
        # rules, keys). Bookings in the warm-up go to the people kept for it.
        warm = ("warm", seed.rounds * seed.per_run, WARM_UP_PEOPLE)
        _drive(server.base, server.pid, script, args.connections, args.warm_up, core, warm)
    mine = (uuid.uuid4().hex[:8], round_ * seed.per_run, seed.per_run)
    got = _drive(server.base, server.pid, script, args.connections, args.duration, core, mine)
    return Run(
        round=round_,
        replicas=replicas,
        endpoint=endpoint,
        requests=int(got["requests"]),
        seconds=got["duration_us"] / 1e6,
        s2xx=int(got["s2xx"]),
        s4xx=int(got["s4xx"]),
        s409=int(got["s409"]),
        s5xx=int(got["s5xx"]),
        socket_errors=int(got["socket_errors"]),
        p50_ms=got["p50_us"] / 1000,
        p99_ms=got["p99_us"] / 1000,
        cpu_seconds=got["cpu_seconds"],
    )


def _spread(values: list[float], fmt: str) -> str:
    median = statistics.median(values)
    if len(values) == 1:
        return format(median, fmt)
    return f"{median:{fmt}} ({min(values):{fmt}}-{max(values):{fmt}})"


def _report(runs: list[Run], args: argparse.Namespace, redis_note: str, pinning: str) -> None:
    print(f"wrk 1 thread, {args.connections} connections, {args.duration} s per endpoint, "
          f"{args.rounds} interleaved round(s) (median (min-max)); PostgreSQL; {redis_note}; "
          f"{pinning}")  # fmt: skip
    health = {(r.round, r.replicas): r.rps for r in runs if r.endpoint == "healthz"}
    cells: dict[tuple[int, str], list[Run]] = {}
    for run in runs:
        cells.setdefault((run.replicas, run.endpoint), []).append(run)
    print(f"{'replicas':>8} {'endpoint':<10} {'req/s':>20} {'vs healthz':>10} {'p50 ms':>7} "
          f"{'p99 ms':>7} {'2xx':>6} {'409':>5} {'4xx':>4} {'5xx':>4} {'sockerr':>7} "
          f"{'server CPU s / 1k req':>22}")  # fmt: skip
    for replicas in (1, 2):
        for endpoint in ENDPOINTS:
            cell = cells[(replicas, endpoint)]
            ratio = statistics.median(r.rps / health[(r.round, r.replicas)] for r in cell)
            print(f"{replicas:>8} {endpoint:<10} {_spread([r.rps for r in cell], '.0f'):>20} "
                  f"{ratio:>9.3f}x {statistics.median(r.p50_ms for r in cell):>7.1f} "
                  f"{statistics.median(r.p99_ms for r in cell):>7.1f} "
                  f"{sum(r.s2xx for r in cell):>6} {sum(r.s409 for r in cell):>5} "
                  f"{sum(r.s4xx for r in cell):>4} {sum(r.s5xx for r in cell):>4} "
                  f"{sum(r.socket_errors for r in cell):>7} "
                  f"{_spread([r.cpu_per_1000 for r in cell], '.2f'):>22}")  # fmt: skip
    # /healthz touches no shared state (no database, no Redis, no rate limit), so its own
    # 2/1 ratio is what two processes time-sharing one core cost; dividing by it leaves
    # what the endpoint's shared state adds (an approximation: the switching cost of a
    # heavier request need not scale like a trivial one's).
    ratios = {
        endpoint: [
            two.cpu_per_1000 / one.cpu_per_1000 if one.cpu_per_1000 else float("nan")
            for one, two in zip(cells[(1, endpoint)], cells[(2, endpoint)], strict=True)
        ]
        for endpoint in ENDPOINTS
    }
    print("2 replicas / 1 replica, server CPU per request, per round (target <= 1.1x); "
          "then the same over /healthz's ratio of the round:")  # fmt: skip
    for endpoint in ENDPOINTS:
        raw = ratios[endpoint]
        verdict = "ok" if statistics.median(raw) <= 1.1 else "OVER"
        net = [r / h for r, h in zip(raw, ratios["healthz"], strict=True)]
        print(f"  {endpoint:<10} {_spread(raw, '.2f') + 'x':>22} {verdict:<4} "
              f"{_spread(net, '.2f') + 'x':>22}")  # fmt: skip
    for replicas in (1, 2):
        cell = cells[(replicas, "booking")]
        rates = _spread([r.s2xx / r.seconds for r in cell], ".1f")
        refused = sum(r.s409 for r in cell)
        print(f"booking under contention (one slot), {replicas} replica(s): "
              f"{rates} bookings/s, {refused} refused (409)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warm-up", type=int, default=2, help="Unmeasured seconds before each")
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds (medians)")
    parser.add_argument("--json", type=Path, help="Also write the figures here")
    parser.add_argument(
        "--no-pin", dest="pin", action="store_false", help="Let wrk and servers share the cores"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    wrk_core, server_core = _cores() if args.pin else (None, None)
    pinning = (f"wrk on CPU {wrk_core}, servers on CPU {server_core}" if wrk_core
               else "not pinned (--no-pin, or taskset or a second core missing)")  # fmt: skip
    runs: list[Run] = []
    work = Path(tempfile.mkdtemp(prefix="vaxx-load-"))
    with _scratch_database() as database_url, _redis_prefix() as prefix, ExitStack() as stack:
        if "redis_url" not in Settings.model_fields:
            prefix, redis_note = None, "no Redis (this vaxx has no VAXX_REDIS_URL setting)"
        elif prefix is None:
            redis_note = f"no Redis (nothing answers at {REDIS_URL}): in-process shared state"
        else:
            redis_note = f"Redis {REDIS_URL} prefix {prefix}"
        env = _environment(work / "data", database_url, prefix)
        per_run = min((10_000 - WARM_UP_PEOPLE) // args.rounds, max(300, args.duration * 400))
        # Both servers stay up and take turns (the idle one costs nothing); the second
        # starts once the first has migrated the database, and boots while we seed.
        _progress("starting vaxx serve --workers 1 (1 replica)")
        servers = {1: stack.enter_context(_server(env, 1, work / "server-1.log"))}
        _ready(servers[1], server_core)
        _progress("starting vaxx serve --workers 2 (2 replicas); seeding")
        servers[2] = stack.enter_context(_server(env, 2, work / "server-2.log"))
        seed = _seed(database_url, servers[1].base, per_run, args.rounds)
        _ready(servers[2], server_core)
        for round_ in range(args.rounds):
            for endpoint in ENDPOINTS:
                for replicas in (1, 2) if round_ % 2 == 0 else (2, 1):
                    _progress(f"round {round_ + 1}: {endpoint}, {replicas} replica(s)")
                    server = servers[replicas]
                    got = _measure(seed, server, replicas, endpoint, round_, args, work, wrk_core)
                    runs.append(got)
        _progress("done; stopping the servers")
        for server in servers.values():  # both at once; each _server then waits for its own
            server.process.terminate()
    _progress("stopped; scratch database dropped")
    _report(runs, args, redis_note, pinning)
    if args.json is not None:
        rows = [asdict(run) | {"rps": run.rps, "cpu_per_1000": run.cpu_per_1000} for run in runs]
        args.json.write_text(json.dumps({"redis": redis_note, "runs": rows}, indent=1))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
