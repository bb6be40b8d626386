#!/usr/bin/python3
"""枞阳县 (340722), first half of 2023, built from nothing through the gateway's public HTTP API.

    tools/county_datagen.py --gateway http://127.0.0.1:8080 --scale 1.0 \
        --civilctl build/gateway/civilctl/civilctl --key var/jwt/dev.key --expect expect.json

Plans the county's counts from ../shared/docs/REPORT.md's figures × --scale, then creates them the
way the bureau works: households → 低保/特困/退职老职工/低保边缘/支出型 applications → investigation
→ 7-day notice → approval by a reviewer other than the clerk → monthly disbursement runs → exits
with their reasons (death, income, moved away) in the month they were decided; cremations under a
fee schedule, marriages and divorce applications through their cooling-off period (affairs);
高龄津贴 enrolments and 居家养老服务补贴 assessments (clerk → reviewer) with their monthly runs,
stations and canteens planned and built, home adaptations surveyed and planned (eldercare); orphans
through application → township check → county approval, their runs and university stipends
(childwelfare); organisations registered, inspected, re-elected, renewed, deregistered, with their
party building (socialorg); a grid and the three notices of every village and community
(governance). Every step is dated inside the period (or, for the caseload the half year starts with, in
December 2022). No SQL: only HTTP requests with bearer tokens of a clerk and a reviewer per
department (minted by `civilctl token`, or read from --tokens FILE: {"<role>": "<jwt>", …}).

--expect writes the figures the plan must produce in the work summary
(GET /v1/reports/work-summary?period_start=2023-01-01&period_end=2023-06-30): {"figures":
{"<department>/<measure>": "<value>"}, "lines": [sentences of the Markdown document]}. Money is
computed with the services' own rules (低保 = standard × persons − income, rounded up to the yuan;
特困 and the special-group subsidies pay the standard; the cremation waiver is the schedule's
items), never typed in.

Fitted to the seed: the person counts are the seed's (× --scale); the money follows from inputs
the bureau sets through the API, chosen so that it lands on the seed's figure at scale 1.0 (and
on the scaled figure near it at any scale) — which of the elderly are 90–99, which orphans live in
the welfare home, which home-care persons are of level 2 (fit_rates); the 低保 households'
investigated incomes by a yuan (fit_incomes); 特困's standard per area (TEKUN_FEN: the seed's
1363万元 for 3,174 rural persons and 68万元 for 98 urban ones are ≈ 716 and ≈ 1,156 yuan a month,
not the deployment's default of 1.3 × 低保 for both) with a few persons enrolled after January;
the 临时救助 and 互助社 amounts (plan_relief_amounts); the funeral schedule's farewell hall
(FEE_ITEMS); the disability subsidies' standards with a few applying later (CARE_FEN, LIVING_FEN,
fit_later_starts). The seed gives only totals, so these are the generator's choices of inputs
consistent with them, not the county's real standards.

Python's standard library only. Requests run on --workers threads (each its own keep-alive
connection); progress, records/s and the total time go to stderr.
"""

import argparse
import datetime as dt
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

COUNTY = "340722"
PERIOD_START, PERIOD_END = "2023-01-01", "2023-06-30"
MONTHS = ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]

# The seed's figures (../shared/docs/REPORT.md) the plan scales.
SEED = {
    "dibao_rural_households": 9847, "dibao_rural_persons": 15044,
    "dibao_urban_households": 1222, "dibao_urban_persons": 1712,
    "tekun_rural_persons": 3174, "tekun_urban_persons": 98,
    "retired_worker_persons": 316,
    "exit_households": 522, "exit_persons": 704,
    "exit_death_households": 266, "exit_death_persons": 311,
    "exit_ineligible_households": 278, "exit_ineligible_persons": 391,
    "relief_cases": 1896, "mutual_aid_societies": 94, "mutual_aid_cases": 158,
    # 城乡社区协商点创建: demonstration sites selected in the county.
    "consultation_sites": 22,
    "marginal_households": 3079, "marginal_persons": 6619,
    "hardship_households": 64, "hardship_persons": 120,
    "old_age_allowance_persons": 22007, "homecare_persons": 4463,
    # The money of the same figures, in fen (发放资金418万元 / 131万元, 发放补助金额148万元).
    "old_age_allowance_fen": 418_0000_00, "homecare_fen": 131_0000_00, "orphans_fen": 148_0000_00,
    "dibao_rural_fen": 3808_0000_00, "dibao_urban_fen": 545_0000_00,
    "tekun_rural_fen": 1363_0000_00, "tekun_urban_fen": 68_0000_00,
    "relief_fen": 304_0000_00, "mutual_aid_fen": 10_4600_00,
    "funeral_fees_waived_fen": 253_0000_00,
    "disability_care_fen": 759_0000_00, "disability_living_fen": 634_0000_00,
    # 兜底解忧暖民心: persons surveyed and their demands resolved; 390 分散供养特困人员 checked by
    # the contracted hospital in the first batch.
    "outreach_persons": 14699, "outreach_demands_resolved": 366, "health_checks": 390,
    "stations_planned": 22, "stations_built": 12, "canteens_planned": 26, "canteens_built": 21,
    "adaptations_planned": 271,
    "orphans": 227, "university_stipends": 26, "health_packs": 807, "condolence_children": 17,
    "so_deregistered": 2, "so_newly_registered": 73, "so_re_elections": 12, "so_renewals": 6,
    "so_inspections_social_groups": 110, "so_inspections_private_non_enterprise": 50,
    "so_party_organisations": 36, "so_trade_unions": 44, "so_youth_leagues": 28,
    "so_womens_organisations": 36, "so_township_stations": 16,
    # 网格化基础信息: 40万余条 reviewed; the returned ones (the generator's choice: about half a
    # percent sent back for a correction) are submitted but not counted.
    "records_reviewed": 401236, "records_returned": 1870,
    "cemetery_planned": 6, "cemetery_completed": 2, "archive_files": 156640,
    "vagrant_relief_cases": 45,
    "cremations": 2516, "marriages": 1615,
    "divorce_applications": 768, "divorces_completed": 428,
    "disability_care_persons": 13594, "disability_living_persons": 10836,
}


def yuan_at_least(fen):
    """`fen` rounded up to the whole yuan (standards and fees are set in yuan)."""
    return -(-int(fen) // 100) * 100


# The standards the plan's money is computed with (deploy/local/seed/assistance-standards-340722.json:
# fen per month). The generator records them itself from 2022-12-01 (the caseload the half year
# starts with is approved in December 2022), so it does not depend on how the services were seeded.
DIBAO_FEN = 79000
RETIRED_FEN = 62300
# 特困: FITTED TO THE SEED, one standard per area. The deployment's default (1.3 × 低保 = 1,027
# yuan for both areas) pays 1956万元 / 60万元 where the seed says 1363万元 for 3,174 rural persons
# (≈ 716 yuan a person-month) and 68万元 for 98 urban ones (≈ 1,156): the county pays its two
# areas differently. Each area's standard is the smallest whole yuan that reaches the seed's money
# with everyone paid the six months; whole yuan cannot land on the seed exactly, so a fitted few
# persons are enrolled from February (plan_assistance), as fit_rates does for the tiers. The
# standards are set per township (set_standards): the county's default is seeded from 2023-01-01
# by `make run`, a standard is never edited, and the most local one wins (benefit.h).
TEKUN_FEN = {area: yuan_at_least(SEED[f"tekun_{w}_fen"] / (SEED[f"tekun_{w}_persons"] * 6))
             for area, w in (("AREA_RURAL", "rural"), ("AREA_URBAN", "urban"))}
# Investigated monthly income per person (fen) near the seed's money per person-month: rural
# 3808万元 / (6 × 15044) ≈ 421.9 yuan paid of 790, urban 545万元 / (6 × 1712) ≈ 530.6 yuan, a little
# more since the households enrolled during the half year are paid fewer months. The rest is
# fitted: a whole yuan per person more (or less) income for as many households as land the seed's
# money (fit_incomes).
INCOME_PER_PERSON = {"AREA_RURAL": 36400, "AREA_URBAN": 24600}
# The funeral fee schedule: every cremation of a county resident waives its items. FITTED TO THE
# SEED: 253万元 for 2,516 cremations is 1,005.6 yuan a cremation where the fire and the urn are
# 900; the farewell hall carries the rest, in whole yuan (106).
FEE_BASE_ITEMS = [("CREMATION", "遗体火化", 60000), ("URN", "骨灰盒", 30000)]
WAIVER_FEN = (SEED["funeral_fees_waived_fen"] + SEED["cremations"] * 50) // SEED["cremations"] // 100 * 100
FEE_ITEMS = FEE_BASE_ITEMS + [("HALL", "告别厅", WAIVER_FEN - sum(i[2] for i in FEE_BASE_ITEMS))]

TOWNSHIPS = [f"{COUNTY}{t:03d}" for t in (100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110,
                                            111, 112, 113, 114, 115, 200, 201, 202, 203, 204, 205)]
VILLAGES = [f"{t}{v:03d}" for t in TOWNSHIPS for v in range(1, 13)]

# The callers the generator acts as: name → role (two clerks where a check needs another person).
ROLES = {"assistance.clerk": "assistance.clerk", "assistance.reviewer": "assistance.reviewer",
         "affairs.clerk": "affairs.clerk", "affairs.reviewer": "affairs.reviewer",
         "eldercare.clerk": "eldercare.clerk", "eldercare.reviewer": "eldercare.reviewer",
         "childwelfare.clerk": "childwelfare.clerk",
         "childwelfare.township": "childwelfare.clerk",
         "childwelfare.reviewer": "childwelfare.reviewer",
         "socialorg.clerk": "socialorg.clerk", "socialorg.reviewer": "socialorg.reviewer",
         "governance.clerk": "governance.clerk", "governance.reviewer": "governance.reviewer",
         "leadership": "leadership"}


# ---- ID numbers (GB 11643) ---------------------------------------------------------------------

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id_number(birth: dt.date, serial: int, male: bool) -> str:
    seq = serial % 500 * 2 + (1 if male else 0)  # odd: male, even: female
    body = f"{COUNTY}{birth:%Y%m%d}{seq:03d}"
    return body + _CHECK[sum(int(c) * w for c, w in zip(body, _WEIGHTS)) % 11]


class People:
    """Distinct ID numbers, born within [first, last]: every person of the county is new."""

    def __init__(self):
        self.n = 0
        self.lock = threading.Lock()

    def person(self, first: dt.date, last: dt.date, male=None):
        with self.lock:
            self.n += 1
            n = self.n
        span = (last - first).days + 1
        # serial n → day (n mod span), sequence block (n // span); the block is unique per day
        # for 500 × span people per range, and ranges start on distinct days per caller.
        birth = first + dt.timedelta(days=n % span)
        is_male = (n % 2 == 1) if male is None else male
        return id_number(birth, n // span + (n % 7) * 71, is_male), birth


# ---- HTTP --------------------------------------------------------------------------------------

class Api:
    def __init__(self, base: str, tokens: dict):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.tokens = tokens
        self.local = threading.local()
        self.count = 0
        self.lock = threading.Lock()

    def _conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = http.client.HTTPConnection(self.host, self.port, timeout=120)
            self.local.conn = c
        return c

    def call(self, role: str, method: str, path: str, body=None, ok=(200,)):
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Authorization": "Bearer " + self.tokens[role]}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(5):
            try:
                c = self._conn()
                c.request(method, path, body=data, headers=headers)
                r = c.getresponse()
                text = r.read().decode()
                status = r.status
            except (http.client.HTTPException, OSError):
                self.local.conn = None
                time.sleep(0.2 * (attempt + 1))
                continue
            if status in (429, 503) and attempt < 4:
                time.sleep(0.5 * (attempt + 1))
                continue
            break
        else:
            raise RuntimeError(f"{method} {path}: no answer")
        with self.lock:
            self.count += 1
        if status not in ok:
            raise RuntimeError(f"{method} {path} as {role} → {status} {text[:400]}")
        return json.loads(text) if text else {}


class Progress:
    def __init__(self, api: Api):
        self.api = api
        self.t0 = time.monotonic()
        self.records = 0
        self.lock = threading.Lock()
        self.phase = ""
        self.last = 0.0

    def start(self, phase: str, total: int):
        self.phase, self.total, self.done = phase, total, 0
        self.report(force=True)

    def tick(self, records=1):
        with self.lock:
            self.done += 1
            self.records += records
        self.report()

    def report(self, force=False):
        now = time.monotonic()
        if not force and now - self.last < 2 and self.done != self.total:
            return
        self.last = now
        el = max(now - self.t0, 1e-6)
        print(f"[{el:7.1f}s] {self.phase}: {self.done}/{self.total}  records {self.records} "
              f"({self.records / el:.0f}/s)  requests {self.api.count} ({self.api.count / el:.0f}/s)",
              file=sys.stderr, flush=True)


def run_all(pool, progress, phase, items, fn):
    """fn(item) → records created; every item on the pool, failures stop the run."""
    items = list(items)
    progress.start(phase, len(items))

    def one(item):
        n = fn(item)
        progress.tick(n or 1)

    for f in [pool.submit(one, it) for it in items]:
        f.result()


# ---- the plan ----------------------------------------------------------------------------------

def scaled(key, scale):
    return int(round(SEED[key] * scale))


def scaled_min1(key, scale):
    """Counts the county has a handful of (facilities, organisations): at least one."""
    return max(1, scaled(key, scale)) if SEED[key] else 0


def fit_rates(months, low, high, target):
    """Which of the persons paid `months[k]` months at `low` fen are paid at `high` instead so that
    the money lands nearest `target` (the seed's figure, scaled): those of a full half year,
    spread evenly over them (and so over the villages). Returns one flag per person."""
    full = [k for k, m in enumerate(months) if m == len(MONTHS)]
    base = sum(m * low for m in months)
    flips = max(0, min(len(full), round((target - base) / ((high - low) * len(MONTHS)))))
    high_rate = [False] * len(months)
    for j, k in enumerate(full):
        if (j + 1) * flips // len(full) > j * flips // len(full):
            high_rate[k] = True
    return high_rate


def spread_order(n):
    """0 … n−1 in an order whose every beginning is spread evenly over them (golden ratio): the
    first k of it are k persons spread over the villages and the months, whatever k."""
    return sorted(range(n), key=lambda j: ((j * 0.6180339887498949) % 1.0, j))


def fit_changes(items, delta, remaining):
    """The items (in spread order) that a change worth delta(item) fen each (> 0) is applied to,
    one at a time while it brings the money nearer `remaining` fen; returns (chosen set, what is
    left of `remaining`)."""
    chosen = set()
    for j in spread_order(len(items)):
        if remaining <= 0:
            break
        d = delta(items[j])
        if 0 < d <= remaining + d // 2:
            chosen.add(j)
            remaining -= d
    return chosen, remaining


def fit_later_starts(rates, target):
    """Start months (one per person, "2023-01" … "2023-06") for persons paid rates[k] fen a month
    from their start to June, so that the money lands nearest `target`: everyone from January but
    a fitted few, spread over the list, who apply in February … June (in turn)."""
    starts = ["2023-01"] * len(rates)
    remaining = sum(r * len(MONTHS) for r in rates) - target
    turn = 0
    for j in spread_order(len(rates)):
        if remaining <= 0:
            break
        r = rates[j]
        months = (remaining + r // 2) // r if r > 0 else 0  # the nearest number of months less
        if months <= 0:
            continue
        late = min(1 + turn % 5, months)
        turn += 1
        starts[j] = MONTHS[late]
        remaining -= late * r
    return starts


def split(total, parts, lo=1, hi=4):
    """`total` persons over `parts` households, each lo..hi, as even as possible."""
    if parts <= 0:
        return []
    total = max(min(total, parts * hi), parts * lo)
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def day(month: str, d: int) -> str:
    return f"{month}-{d:02d}"


def prev_month(month: str) -> str:
    y, m = map(int, month.split("-"))
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


def next_month(month: str) -> str:
    y, m = map(int, month.split("-"))
    return f"{y + 1}-01" if m == 12 else f"{y}-{m + 1:02d}"


def plan_assistance(scale):
    """Households of 低保 with their members, start month and exits: [dict]."""
    households = []
    seq = 0

    def household(area, size, start="2023-01", exits=(), programme="PROGRAMME_DIBAO", income=None):
        nonlocal seq
        seq += 1
        h = {"seq": seq, "area": area, "size": size, "start": start, "exits": list(exits),
             "programme": programme, "village": VILLAGES[seq % len(VILLAGES)]}
        h["income"] = INCOME_PER_PERSON[area] * size if income is None else income
        households.append(h)
        return h

    eh, ep = scaled("exit_households", scale), scaled("exit_persons", scale)
    dh, dp = scaled("exit_death_households", scale), scaled("exit_death_persons", scale)
    ih, ip = scaled("exit_ineligible_households", scale), scaled("exit_ineligible_persons", scale)
    overlap = max(0, min(dh, ih, dh + ih - eh))
    moved_only = max(0, eh - (dh + ih - overlap))
    dp, ip = max(dp, dh), max(ip, ih)
    moved = max(0, ep - dp - ip)
    # An exit: (member index or None for the whole enrolment, reason, month decided).
    # Death: members die one at a time, a member stays (the household stays enrolled). Income:
    # the whole enrolment ends. Both: a member dies, later the rest leave for income.
    death_sizes = split(dp - overlap, dh - overlap, 1, 3) if dh - overlap > 0 else []
    inel_sizes = split(ip - overlap, ih - overlap, 1, 4) if ih - overlap > 0 else []
    both_inel = split(ip - sum(inel_sizes), overlap, 1, 4) if overlap else []
    i = 0
    for n in death_sizes:
        m = MONTHS[i % 5]
        i += 1
        exits = [(k, "EXIT_REASON_DEATH", m) for k in range(n)]
        if moved > moved_only:  # the moved-away persons not in a household of their own
            exits.append((n, "EXIT_REASON_MOVED_AWAY", MONTHS[(i + 1) % 5]))
            moved -= 1
            household("AREA_RURAL", n + 2, exits=exits)
        else:
            household("AREA_RURAL", n + 1, exits=exits)
    for n in inel_sizes:
        household("AREA_RURAL", n, exits=[(None, "EXIT_REASON_INELIGIBLE_INCOME", MONTHS[i % 5])])
        i += 1
    for n in both_inel:
        a = i % 4
        i += 1
        household("AREA_RURAL", n + 1, exits=[(0, "EXIT_REASON_DEATH", MONTHS[a]),
                                               (None, "EXIT_REASON_INELIGIBLE_INCOME", MONTHS[a + 1])])
    for k in range(moved_only):
        household("AREA_RURAL", 2, exits=[(0, "EXIT_REASON_MOVED_AWAY", MONTHS[k % 5])])
        moved = max(0, moved - 1)

    # The caseload active at the period's end, less what the exit households leave active.
    for area, hk, pk in (("AREA_RURAL", "dibao_rural_households", "dibao_rural_persons"),
                         ("AREA_URBAN", "dibao_urban_households", "dibao_urban_persons")):
        staying = [h for h in households if h["area"] == area and h["programme"] == "PROGRAMME_DIBAO"
                   and active_members_at_end(h) > 0]
        left_h = scaled(hk, scale) - len(staying)
        left_p = scaled(pk, scale) - sum(active_members_at_end(h) for h in staying)
        for j, n in enumerate(split(left_p, left_h, 1, 4)):
            # One in twenty starts during the half year (approved in the month before).
            start = MONTHS[1 + j % 5] if j % 20 == 7 else "2023-01"
            household(area, n, start=start)

    fit_incomes(households, scale)
    for area, w in (("AREA_RURAL", "rural"), ("AREA_URBAN", "urban")):
        # The area's fitted standard (TEKUN_FEN) and a fitted few enrolled after January.
        n = scaled(f"tekun_{w}_persons", scale)
        for start in fit_later_starts([TEKUN_FEN[area]] * n, scaled(f"tekun_{w}_fen", scale)):
            household(area, 1, start=start, programme="PROGRAMME_TEKUN", income=0)
    for j in range(scaled("retired_worker_persons", scale)):
        household("AREA_URBAN" if j % 3 == 0 else "AREA_RURAL", 1,
                  programme="PROGRAMME_RETIRED_WORKER_SUBSIDY", income=0)
    for k, (hk, pk, prog) in enumerate((("marginal_households", "marginal_persons", "PROGRAMME_MARGINAL"),
                                        ("hardship_households", "hardship_persons",
                                         "PROGRAMME_EXPENDITURE_HARDSHIP"))):
        for n in split(scaled(pk, scale), scaled(hk, scale), 1, 4):
            # 低保边缘: income 1.2 × the line; 支出型: at the line, below it after medical costs.
            income = DIBAO_FEN * n * 12 // 10 if k == 0 else DIBAO_FEN * n
            household("AREA_RURAL", n, programme=prog, income=income)
    return households


def fit_incomes(households, scale):
    """The investigated incomes of 低保 households enrolled all half year without an exit, moved
    by a whole yuan a person (first all of them, then as many households as it takes, spread over
    the villages) so that each area's money lands nearest the seed's, scaled."""
    for area, w in (("AREA_RURAL", "rural"), ("AREA_URBAN", "urban")):
        mine = [h for h in households if h["area"] == area and h["programme"] == "PROGRAMME_DIBAO"]
        full = [h for h in mine if not h["exits"] and h["start"] == MONTHS[0]]
        persons = sum(h["size"] for h in full)
        if not persons:
            continue
        gap = sum(monthly_fen(h, m) for h in mine for m in MONTHS) - scaled(f"dibao_{w}_fen", scale)
        sign = 1 if gap > 0 else -1  # more income, less paid
        per_yuan = 100 * len(MONTHS)  # one yuan a person: paid that less every month
        every = abs(gap) // (per_yuan * persons)
        rest = abs(gap) - every * per_yuan * persons
        chosen, _ = fit_changes(full, lambda h: per_yuan * h["size"], rest)
        for j, h in enumerate(full):
            h["income"] += sign * 100 * h["size"] * (every + (1 if j in chosen else 0))


def active_members_at_end(h):
    gone = set()
    for member, reason, month in h["exits"]:
        if member is None:
            return 0
        gone.add(member)
    return h["size"] - len(gone)


def monthly_fen(h, month):
    """What the household's enrolment pays for `month` under the services' rules (0: nothing)."""
    if month < h["start"]:
        return 0
    persons = h["size"]
    for member, reason, decided in h["exits"]:
        if next_month(decided) <= month:  # effective from the month after the decision
            if member is None:
                return 0
            persons -= 1
    if h["programme"] == "PROGRAMME_DIBAO":
        gap = DIBAO_FEN * persons - h["income"]  # incomes are whole yuan: no rounding
        return max(gap, 0)
    return {"PROGRAMME_TEKUN": TEKUN_FEN[h["area"]],
            "PROGRAMME_RETIRED_WORKER_SUBSIDY": RETIRED_FEN}.get(h["programme"], 0)


def report_count(n, unit):
    """governance's ReportCount (services/governance/summary.cc): 40万余条, 8025条."""
    if n < 10000:
        return f"{n}{unit}"
    return f"{n // 10000}万{'余' if n % 10000 else ''}{unit}"


def wan(fen):
    """The kit's ReportWanYuan."""
    if fen >= 50 * 1000000:
        return f"{(fen + 500000) // 1000000}万元"
    hundredths = fen // 10000 + (1 if fen % 10000 >= 5000 else 0)
    text = f"{hundredths // 100}.{hundredths % 100:02d}".rstrip("0").rstrip(".")
    return text + "万元"


def expect_assistance(households):
    fig, lines = {}, []
    word = {"PROGRAMME_DIBAO": "dibao", "PROGRAMME_TEKUN": "tekun",
            "PROGRAMME_RETIRED_WORKER_SUBSIDY": "retired_worker_subsidy",
            "PROGRAMME_MARGINAL": "marginal", "PROGRAMME_EXPENDITURE_HARDSHIP": "expenditure_hardship"}
    agg = {}
    for h in households:
        key = (h["programme"], h["area"])
        a = agg.setdefault(key, {"households": 0, "persons": 0, "paid": 0})
        n = active_members_at_end(h)
        if n > 0:
            a["households"] += 1
            a["persons"] += n
        a["paid"] += sum(monthly_fen(h, m) for m in MONTHS)
    for (prog, area), a in agg.items():
        m = f"assistance/{word[prog]}.{area[5:].lower()}"
        fig[m + ".households"] = a["households"]
        fig[m + ".persons"] = a["persons"]
        fig[m + ".paid"] = a["paid"]
    for area, w in (("AREA_RURAL", "农村"), ("AREA_URBAN", "城市")):
        a = agg.get(("PROGRAMME_DIBAO", area))
        if a:
            lines.append(f"{w}低保对象{a['households']}户{a['persons']}人,发放资金{wan(a['paid'])}")
    for area, w in (("AREA_RURAL", "农村"), ("AREA_URBAN", "城市")):
        a = agg.get(("PROGRAMME_TEKUN", area))
        if a:
            lines.append(f"{w}特困人员{a['persons']}人,发放资金{wan(a['paid'])}")
    rp = sum(a["persons"] for (p, _), a in agg.items() if p == "PROGRAMME_RETIRED_WORKER_SUBSIDY")
    rf = sum(a["paid"] for (p, _), a in agg.items() if p == "PROGRAMME_RETIRED_WORKER_SUBSIDY")
    if rp:
        lines.append(f"退职老职工{rp}人,发放资金{wan(rf)}")
    # Exits (低保, rural: every exit household is rural).
    by = {}
    eh = ep = 0
    for h in households:
        if h["programme"] != "PROGRAMME_DIBAO" or not h["exits"]:
            continue
        eh += 1
        reasons = {}
        active = h["size"]
        for member, reason, _ in h["exits"]:
            persons = active if member is None else 1
            active -= persons
            ep += persons
            reasons[reason] = reasons.get(reason, 0) + persons
        for reason, persons in reasons.items():
            b = by.setdefault(reason, [0, 0])
            b[0] += 1
            b[1] += persons
    fig["assistance/dibao.rural.exit.households"] = eh
    fig["assistance/dibao.rural.exit.persons"] = ep
    for reason, (bh, bp) in by.items():
        r = reason[len("EXIT_REASON_"):].lower()
        fig[f"assistance/dibao.rural.exit.{r}.households"] = bh
        fig[f"assistance/dibao.rural.exit.{r}.persons"] = bp
    d, i = by.get("EXIT_REASON_DEATH", [0, 0]), by.get("EXIT_REASON_INELIGIBLE_INCOME", [0, 0])
    if ep:
        lines.append(f"退出低保保障{eh}户{ep}人(其中死亡退出{d[0]}户{d[1]}人,"
                     f"家庭经济状况等不符退出{i[0]}户{i[1]}人)")
    mh = sum(a["households"] for (p, _), a in agg.items() if p == "PROGRAMME_MARGINAL")
    mp = sum(a["persons"] for (p, _), a in agg.items() if p == "PROGRAMME_MARGINAL")
    xh = sum(a["households"] for (p, _), a in agg.items() if p == "PROGRAMME_EXPENDITURE_HARDSHIP")
    xp = sum(a["persons"] for (p, _), a in agg.items() if p == "PROGRAMME_EXPENDITURE_HARDSHIP")
    if mh or xh:
        lines.append(f"纳入城乡低保边缘家庭{mh}户{mp}人,支出型困难家庭{xh}户{xp}人")
    return fig, lines


# ---- assistance through the API ----------------------------------------------------------------

def set_standards(api):
    rows = [("PROGRAMME_DIBAO", DIBAO_FEN), ("PROGRAMME_RETIRED_WORKER_SUBSIDY", RETIRED_FEN)]
    for eff in ("2022-12-01", "2023-01-01"):
        for prog, fen in rows:
            for area in ("AREA_RURAL", "AREA_URBAN"):
                body = {"programme": prog, "area": area, "regionPrefix": COUNTY,
                        "effectiveFrom": eff, "monthlyFen": str(fen), "reason": "县标准(演示数据)"}
                if prog == "PROGRAMME_DIBAO":
                    body.update({"supplementSeriouslyIllFen": "10000",
                                 "supplementSeverelyDisabledFen": "10000",
                                 "supplementElderlyFen": "5000", "supplementMinorFen": "5000",
                                 "marginalMultiplierPermille": 1500})
                # 409: the services were seeded with the same standard already.
                api.call("assistance.reviewer", "POST", "/v1/assistance/standards",
                         {"standard": body},
                         ok=(200, 409))
    # 特困: each area's fitted standard (TEKUN_FEN), township by township from 2022-12-01 — more
    # local than the county's seeded default, so it is the one in force (409: a re-run).
    for town in TOWNSHIPS:
        for area in ("AREA_RURAL", "AREA_URBAN"):
            api.call("assistance.reviewer", "POST", "/v1/assistance/standards",
                     {"standard": {"programme": "PROGRAMME_TEKUN", "area": area,
                                   "regionPrefix": town, "effectiveFrom": "2022-12-01",
                                   "monthlyFen": str(TEKUN_FEN[area]),
                                   "reason": "特困供养标准(演示数据,按上半年报告拟合)"}},
                     ok=(200, 409))


def enrol(api, people, h):
    """Household → application → investigation → notice → approval (another person)."""
    adult = h["programme"] in ("PROGRAMME_DIBAO", "PROGRAMME_MARGINAL",
                               "PROGRAMME_EXPENDITURE_HARDSHIP")
    # 低保 members are 18–59 all year (no age supplement: the money is standard × persons −
    # income); 特困 and 退职老职工 persons are elderly.
    first, last = (dt.date(1966, 1, 1), dt.date(2003, 12, 31)) if adult else \
        (dt.date(1935, 1, 1), dt.date(1955, 12, 31))
    members = []
    for k in range(h["size"]):
        idn, _ = people.person(first, last)
        members.append({"name": f"居民{h['seq']}-{k}", "idNumber": idn,
                        "relation": "RELATION_HEAD" if k == 0 else "RELATION_CHILD"})
    hh = api.call("assistance.clerk", "POST", "/v1/assistance/households",
                  {"regionCode": h["village"], "area": h["area"], "members": members})["household"]
    h["member_ids"] = [m["memberId"] for m in hh["members"]]
    h["member_idns"] = [m["idNumber"] for m in members]
    h["household_id"] = hh["householdId"]
    decided_month = prev_month(h["start"])  # approval enrols from the next month
    create = {"programme": h["programme"], "householdId": hh["householdId"],
              "submittedOn": day(decided_month, 1)}
    if h["programme"] in ("PROGRAMME_TEKUN", "PROGRAMME_RETIRED_WORKER_SUBSIDY"):
        create["memberId"] = h["member_ids"][0]
    if h["programme"] == "PROGRAMME_TEKUN":
        create["careMode"] = "CARE_MODE_DISPERSED"
    app = api.call("assistance.clerk", "POST", "/v1/assistance/applications", create)["application"]
    path = "/v1/assistance/applications/" + app["applicationId"]
    inv = {"householdMonthlyIncomeFen": str(h["income"]), "assetsWithinLimits": True,
           "visitNote": "入户核查:收入、财产符合规定", "investigatedOn": day(decided_month, 2)}
    if h["programme"] == "PROGRAMME_TEKUN":
        inv["tekunGrounds"] = {"category": "TEKUN_CATEGORY_ELDERLY", "noWorkCapacity": True,
                               "noIncome": True, "noSupporter": True}
    if h["programme"] == "PROGRAMME_EXPENDITURE_HARDSHIP":
        inv["rigidExpenses"] = {"medicalFen": "30000", "educationFen": "0"}
    api.call("assistance.clerk", "POST", path + ":investigate", inv)
    api.call("assistance.clerk", "POST", path + ":publish", {"noticeStart": day(decided_month, 3)})
    r = api.call("assistance.reviewer", "POST", path + ":approve",
                 {"decidedOn": day(decided_month, 10), "note": "同意纳入"})
    h["enrolment_id"] = r["enrolment"]["enrolmentId"]
    return 1 + h["size"]


def exit_step(api, h, member, reason, decided):
    body = {"reason": reason, "effectiveMonth": next_month(decided), "decidedOn": day(decided, 15),
            "note": {"EXIT_REASON_DEATH": "死亡", "EXIT_REASON_MOVED_AWAY": "迁出本县",
                     "EXIT_REASON_INELIGIBLE_INCOME": "家庭经济状况不符"}[reason]}
    if member is not None:
        body["memberId"] = h["member_ids"][member]
    api.call("assistance.reviewer", "POST",
             f"/v1/assistance/enrolments/{h['enrolment_id']}:exit", body)


def build_assistance(api, pool, progress, households):
    set_standards(api)
    run_all(pool, progress, "assistance: households → applications → approval", households,
            lambda h: enrol(api, api.people, h))
    paid_programmes = ["PROGRAMME_DIBAO", "PROGRAMME_TEKUN", "PROGRAMME_RETIRED_WORKER_SUBSIDY"]
    for month in MONTHS:
        # The month's runs (one per programme, county-wide), then the exits decided in it.
        for prog in paid_programmes:
            r = api.call("assistance.reviewer", "POST", "/v1/assistance/disbursements",
                         {"programme": prog, "month": month})
            progress.records += int(r.get("batch", {}).get("payments", 0) or 0)
        steps = [(h, member, reason) for h in households
                 for member, reason, decided in h["exits"] if decided == month]
        # One household's steps in order (a death before the income exit of the rest).
        by_h = {}
        for h, member, reason in steps:
            by_h.setdefault(h["seq"], []).append((h, member, reason))

        def do(seq_steps, month=month):
            for h, member, reason in seq_steps:
                exit_step(api, h, member, reason, month)
            return len(seq_steps)

        run_all(pool, progress, f"assistance: {month} disbursed, exits", by_h.values(), do)


# 临时救助: 1,603 yuan a case on average in the seed (304万元 / 1,896); amounts above the township
# limit (1,000 yuan) are decided by the county's reviewer. 互助社 cases: 662 yuan on average
# (10.46万元 / 158). The amounts go round these lists, and a fitted number of cases (spread over
# the half year) get RELIEF_STEP_FEN / MUTUAL_AID_STEP_FEN more, so that the money lands on the
# seed's (plan_relief_amounts): the lists alone pay 1,575 and 632 yuan a case, 299万 / 9.99万.
RELIEF_FEN = [100000, 150000, 200000, 180000]
RELIEF_STEP_FEN = 50000
MUTUAL_AID_FEN = [50000, 60000, 80000]
MUTUAL_AID_STEP_FEN = 10000


def plan_relief_amounts(n, base, step, target):
    """n case amounts: base[k mod len], and `step` more for as many cases as land nearest target."""
    amounts = [base[k % len(base)] for k in range(n)]
    chosen, _ = fit_changes(amounts, lambda a: step, target - sum(amounts))
    return [a + (step if k in chosen else 0) for k, a in enumerate(amounts)]


def build_relief(api, pool, progress, households, scale):
    """临时救助 cases (clerk → reviewer → paid) and mutual-aid societies with their cases, for
    members of the 低保 households; all dated in the period."""
    pool_h = [h for h in households if h["programme"] == "PROGRAMME_DIBAO" and not h["exits"]]
    n = scaled_min1("relief_cases", scale)
    relief_amounts = plan_relief_amounts(n, RELIEF_FEN, RELIEF_STEP_FEN, scaled("relief_fen", scale))

    def relief(k):
        h = pool_h[k % len(pool_h)]
        on = period_day(k, n)
        amount = relief_amounts[k]
        c = api.call("assistance.clerk", "POST", "/v1/assistance/relief-cases",
                     {"householdId": h["household_id"], "memberId": h["member_ids"][0],
                      "reason": "突发重病,医疗支出大", "amountFen": str(amount),
                      "happenedOn": on})
        cid = (c.get("case") or c.get("reliefCase"))["caseId"]
        api.call("assistance.reviewer", "POST", f"/v1/assistance/relief-cases/{cid}:approve",
                 {"decidedOn": on, "note": "同意救助"})
        api.call("assistance.reviewer", "POST", f"/v1/assistance/relief-cases/{cid}:pay",
                 {"paidOn": on, "amountFen": str(amount)})
        return 1

    run_all(pool, progress, "assistance: 临时救助 cases", range(n), relief)
    relief_fen = sum(relief_amounts)

    societies = scaled_min1("mutual_aid_societies", scale)
    # One society per village (villages of the 低保 households, registered on 1 January); a case
    # helps a household of the society's own village.
    ids = {}
    villages = list(dict.fromkeys(h["village"] for h in pool_h))[:societies]
    for k, village in enumerate(villages):
        r = api.call("assistance.clerk", "POST", "/v1/assistance/mutual-aid-societies",
                     {"regionCode": village, "name": f"第{k + 1}村救急难互助社",
                      "registeredOn": "2023-01-01"})
        ids[village] = (r.get("society") or r)["societyId"]
    societies = len(ids)
    helped = [h for h in pool_h if h["village"] in ids]
    m = scaled_min1("mutual_aid_cases", scale) if helped else 0
    aid_amounts = plan_relief_amounts(m, MUTUAL_AID_FEN, MUTUAL_AID_STEP_FEN,
                                      scaled("mutual_aid_fen", scale))

    def aid(k):
        h = helped[(k * 7 + 3) % len(helped)]
        api.call("assistance.clerk", "POST",
                 f"/v1/assistance/mutual-aid-societies/{ids[h['village']]}/cases",
                 {"householdId": h["household_id"], "memberId": h["member_ids"][0],
                  "amountFen": str(aid_amounts[k]),
                  "helpedOn": period_day(k, m), "note": "互助金"})
        return 1

    run_all(pool, progress, "assistance: mutual-aid cases", range(m), aid)
    aid_fen = sum(aid_amounts)
    fig = {"assistance/temporary_relief.cases": n, "assistance/temporary_relief.paid": relief_fen,
           "assistance/mutual_aid.societies_registered": societies,
           "assistance/mutual_aid.cases": m, "assistance/mutual_aid.paid": aid_fen,
           # 专项整治: no finding confirmed (the seed's 0 应享未享, 0 重复享受, 0 违规享受).
           "assistance/rectification.findings_confirmed": 0}
    lines = [f"临时救助{n}人次,发放资金{wan(relief_fen)}",
             f"已完成{societies}家村(社区)互助社登记设立,开展救助{m}人次,发放救助金{wan(aid_fen)}"]
    return fig, lines


def build_outreach(api, pool, progress, households, scale):
    """兜底解忧暖民心: visits of persons of the assistance households (低保, 特困, 低保边缘, 支出型;
    those without an exit, spread over them), some raising a demand, most of them resolved a week
    later; the first batch of contracted health checks (第一批, 枞阳华瑞医院) of 特困 persons in
    dispersed care enrolled all half year; then the 专项整治 audit as of the period's end."""
    persons = [(h, k) for h in households if not h["exits"] for k in range(h["size"])]
    n = min(scaled("outreach_persons", scale), len(persons))
    visited = [persons[j] for j in sorted(spread_order(len(persons))[:n])]
    resolved_n = scaled("outreach_demands_resolved", scale)
    open_n = resolved_n // 10  # raised in a visit, not resolved by the period's end
    # The visits raising a demand: evenly over those of 1 January … 20 June (a week to resolve).
    early = [k for k in range(n) if period_day(k, n) <= "2023-06-20"]
    raising = min(resolved_n + open_n, len(early))
    resolved_n = min(resolved_n, raising)
    open_n = raising - resolved_n
    demand_of = {}
    for i in range(raising):
        stays_open = (i + 1) * open_n // raising > i * open_n // raising
        demand_of[early[i * len(early) // raising]] = not stays_open

    def visit(k):
        h, m = visited[k]
        on = period_day(k, n)
        body = {"householdId": h["household_id"], "memberId": h["member_ids"][m], "visitedOn": on,
                "note": "入户走访,了解生活状况"}
        if k in demand_of:
            body["demands"] = ["申请协助办理医疗救助报销"]
        v = api.call("assistance.clerk", "POST", "/v1/assistance/visits", body)["visit"]
        if demand_of.get(k):
            d = v["demands"][0]["demandId"]
            api.call("assistance.clerk", "POST", f"/v1/assistance/demands/{d}:resolve",
                     {"resolvedOn": (dt.date.fromisoformat(on) + dt.timedelta(days=7)).isoformat(),
                      "resolution": "已协助办理"})
            return 2
        return 1

    run_all(pool, progress, "assistance: 兜底解忧暖民心 visits and demands", range(n), visit)

    tekun = [h for h in households if h["programme"] == "PROGRAMME_TEKUN" and h["start"] == MONTHS[0]
             and not h["exits"]]
    c = min(scaled("health_checks", scale), len(tekun))
    checked = [tekun[j] for j in sorted(spread_order(len(tekun))[:c])]
    batch = api.call("assistance.clerk", "POST", "/v1/assistance/health-check-batches",
                     {"regionPrefix": COUNTY, "provider": "枞阳华瑞医院", "name": "第一批",
                      "service": "生命体征检测等家庭医生服务", "startedOn": "2023-03-01"})["batch"]

    def check(k):
        h = checked[k]
        on = dt.date(2023, 3, 1) + dt.timedelta(days=k * 121 // max(c, 1))
        api.call("assistance.clerk", "POST",
                 f"/v1/assistance/health-check-batches/{batch['batchId']}/checks",
                 {"householdId": h["household_id"], "memberId": h["member_ids"][0],
                  "checkedOn": on.isoformat(),
                  "healthRecord": "血压、血糖、心率等生命体征检测正常;已建立健康管理档案"})
        return 1

    run_all(pool, progress, "assistance: 第一批 health checks (分散供养特困)", range(c), check)
    # 专项整治: the reviewer's audit of the county as of 30 June. The report counts the findings a
    # reviewer confirmed (none: the seed's 排查未发现); what the run finds stays open for review.
    r = api.call("assistance.reviewer", "POST", "/v1/assistance/audits",
                 {"regionPrefix": COUNTY, "asOf": PERIOD_END})
    print(f"assistance: audit as of {PERIOD_END}: {r.get('found', [])} (open, not confirmed)",
          file=sys.stderr)
    fig = {"assistance/outreach.persons_surveyed": n,
           "assistance/outreach.demands_resolved": resolved_n,
           "assistance/health_checks.persons": c}
    lines = ["排查未发现“应享未享”“重复享受”“违规享受”等问题",
             f"摸排人数(包含对低保对象、特困人员的摸排数){n}人,解决困难对象的有效诉求数{resolved_n}次",
             f"完成第一批{c}名分散供养特困人员生命体征检测等家庭医生服务,并建立健康管理档案"]
    return fig, lines


# ---- affairs -----------------------------------------------------------------------------------

def period_day(k, n):
    """The k-th of n days spread over the period (k = 0 … n−1)."""
    span = (dt.date(2023, 6, 30) - dt.date(2023, 1, 1)).days + 1
    return (dt.date(2023, 1, 1) + dt.timedelta(days=(k * span) // max(n, 1))).isoformat()


def build_affairs(api, pool, progress, people, scale):
    api.call("affairs.reviewer", "POST", "/v1/affairs/funeral-fee-schedules",
             {"regionPrefix": COUNTY, "effectiveFrom": "2020-01-01",
              "items": [{"code": c, "name": n, "amountFen": str(f)} for c, n, f in FEE_ITEMS]},
             ok=(200, 409))
    cremations = scaled("cremations", scale)

    def cremation(k):
        idn, _ = people.person(dt.date(1925, 1, 1), dt.date(1960, 12, 31))
        on = period_day(k, cremations)
        api.call("affairs.clerk", "POST", "/v1/affairs/cremations",
                 {"name": f"逝者{k}", "idNumber": idn,
                  "dateOfDeath": (dt.date.fromisoformat(on) - dt.timedelta(days=1)).isoformat()
                  if on > "2023-01-01" else on,
                  "cremationDate": on, "funeralHome": "枞阳县殡仪馆",
                  "regionCode": VILLAGES[k % len(VILLAGES)]})
        return 1

    run_all(pool, progress, "affairs: cremations", range(cremations), cremation)

    marriages = scaled("marriages", scale)

    def couple():
        man, _ = people.person(dt.date(1970, 1, 1), dt.date(1998, 12, 31), male=True)
        woman, _ = people.person(dt.date(1972, 1, 1), dt.date(2000, 12, 31), male=False)
        return man, woman

    def marriage(k):
        man, woman = couple()
        api.call("affairs.clerk", "POST", "/v1/affairs/marriages",
                 {"partyA": {"name": f"男方{k}", "idNumber": man},
                  "partyB": {"name": f"女方{k}", "idNumber": woman},
                  "registrationDate": period_day(k, marriages),
                  "certificateNumber": f"J340722-2023-{k:06d}", "regionCode": COUNTY})
        return 1

    run_all(pool, progress, "affairs: marriages", range(marriages), marriage)

    applications = scaled("divorce_applications", scale)
    completed = min(scaled("divorces_completed", scale), applications)
    done = [0]

    def divorce(k):
        man, woman = couple()
        # Married years ago (before the period), applied between January and April, so that the
        # 30-day cooling-off period ends inside the half year.
        api.call("affairs.clerk", "POST", "/v1/affairs/marriages",
                 {"partyA": {"name": f"男方D{k}", "idNumber": man},
                  "partyB": {"name": f"女方D{k}", "idNumber": woman},
                  "registrationDate": f"{2010 + k % 10}-05-01",
                  "certificateNumber": f"J340722-{2010 + k % 10}-D{k:06d}", "regionCode": COUNTY})
        applied = (dt.date(2023, 1, 3) + dt.timedelta(days=(k * 115) // max(applications, 1)))
        a = api.call("affairs.clerk", "POST", "/v1/affairs/divorce-applications",
                     {"partyAIdNumber": man, "partyBIdNumber": woman,
                      "applicationDate": applied.isoformat(), "regionCode": COUNTY})["application"]
        if k < completed:
            on = dt.date.fromisoformat(a["coolingOffEndDate"]) + dt.timedelta(days=1)
            for _ in range(10):  # the first working day after the cooling-off period
                r = None
                try:
                    api.call("affairs.clerk", "POST",
                             f"/v1/affairs/divorce-applications/{a['applicationId']}:complete",
                             {"date": on.isoformat(), "certificateNumber": f"L340722-2023-{k:06d}"})
                    r = True
                except RuntimeError:
                    on += dt.timedelta(days=1)
                if r:
                    break
            else:
                raise RuntimeError(f"divorce {k}: could not complete")
            if on > dt.date(2023, 6, 30):
                raise RuntimeError(f"divorce {k} completed after the period: {on}")
            done[0] += 1
        return 3

    run_all(pool, progress, "affairs: divorce applications", range(applications), divorce)
    fig = {"affairs/cremations": cremations, "affairs/funeral_fees_waived": cremations * WAIVER_FEN,
           "affairs/marriages_registered": marriages, "affairs/divorce_applications": applications,
           "affairs/divorces_completed": completed}
    lines = [f"累计火化遗体{cremations}具,免除本县居民殡葬基本服务费{wan(cremations * WAIVER_FEN)}",
             f"共办理结婚{marriages}对,离婚申请{applications}对,离婚办结{completed}对"]
    return fig, lines


# 残疾人两项补贴 (affairs), fen per month from 2023-01 in the county: the living subsidy for every
# grade, the care subsidy by grade (1 and 2 only; one in three recipients is of grade 1, who gets
# CARE_GRADE1_MORE_FEN more). FITTED TO THE SEED: its 759万元 for 13,594 care recipients and 634万元
# for 10,836 living ones are 93.1 and 97.5 yuan a person-month if everyone were paid the six
# months, where 100/80 and 100 yuan with a tenth applying in June paid 648万 / 596万. Each standard
# is the smallest whole yuan that reaches the seed's money with everyone paid from January; a
# fitted few apply later in the half year so that it lands on the seed (fit_later_starts).
def care_grade(k):
    return 1 if k % 3 == 0 else 2


CARE_GRADE1_MORE_FEN = 2000
LIVING_FEN = yuan_at_least(SEED["disability_living_fen"] / (SEED["disability_living_persons"] * 6))
_CARE_GRADE1 = sum(1 for k in range(SEED["disability_care_persons"]) if care_grade(k) == 1)
_CARE_GRADE2_FEN = yuan_at_least((SEED["disability_care_fen"] / 6 - _CARE_GRADE1 * CARE_GRADE1_MORE_FEN)
                                 / SEED["disability_care_persons"])
CARE_FEN = {1: _CARE_GRADE2_FEN + CARE_GRADE1_MORE_FEN, 2: _CARE_GRADE2_FEN}


def build_disability(api, pool, progress, households, scale):
    """Disabled persons registered by the clerk, their subsidies applied for (the living subsidy
    for members of 低保 households assistance confirms, the care subsidy for grade 1–2 persons
    needing long-term care), and the reviewer's monthly payment runs of each kind."""
    for kind, grade, fen in (("SUBSIDY_KIND_LIVING", 0, LIVING_FEN),
                             ("SUBSIDY_KIND_CARE", 1, CARE_FEN[1]),
                             ("SUBSIDY_KIND_CARE", 2, CARE_FEN[2])):
        api.call("affairs.reviewer", "POST", "/v1/affairs/subsidy-standards",
                 {"kind": kind, "grade": grade, "regionPrefix": COUNTY, "effectiveMonth": "2023-01",
                  "monthlyFen": str(fen)})
    # The living subsidy: members of 低保 households enrolled all half year (no exit), so that
    # the monthly runs pay each of them from the month applied in to June.
    members = [(h, idn) for h in households
               if h["programme"] == "PROGRAMME_DIBAO" and not h["exits"] and h["start"] == "2023-01"
               for idn in h["member_idns"]]
    n_living = min(scaled("disability_living_persons", scale), len(members))
    n_care = scaled("disability_care_persons", scale)
    # (k, kind, grade, month applied, ID number, village): a fitted few apply later in the half
    # year (fit_later_starts).
    plan = []
    living_starts = fit_later_starts([LIVING_FEN] * n_living,
                                     scaled("disability_living_fen", scale))
    for k in range(n_living):
        h, idn = members[k]
        plan.append((k, "SUBSIDY_KIND_LIVING", 3 + k % 2, living_starts[k], idn, h["village"]))
    care_starts = fit_later_starts([CARE_FEN[care_grade(k)] for k in range(n_care)],
                                   scaled("disability_care_fen", scale))
    for k in range(n_care):
        idn, _ = api.people.person(dt.date(1940, 1, 1), dt.date(2005, 12, 31))
        plan.append((k, "SUBSIDY_KIND_CARE", care_grade(k), care_starts[k], idn,
                     VILLAGES[k % len(VILLAGES)]))

    def subsidy(item):
        k, kind, grade, month, idn, village = item
        person = api.call("affairs.clerk", "POST", "/v1/affairs/disabled-persons",
                          {"name": f"残疾人{kind[13]}{k}", "idNumber": idn, "regionCode": village,
                           "category": "DISABILITY_CATEGORY_PHYSICAL", "grade": grade,
                           "certifiedDate": "2020-03-01",
                           "longTermCare": kind == "SUBSIDY_KIND_CARE"})["person"]
        s = api.call("affairs.clerk", "POST",
                     f"/v1/affairs/disabled-persons/{person['personId']}/subsidies",
                     {"kind": kind, "applicationDate": day(month, 5 + k % 10)})["subsidy"]
        if s.get("status") != "SUBSIDY_STATUS_ACTIVE":
            raise RuntimeError(f"{kind} subsidy {k}: {s.get('status')} (assistance not asked?)")
        return 2

    run_all(pool, progress, "affairs: disabled persons → subsidies", plan, subsidy)
    for month in MONTHS:
        for kind in ("SUBSIDY_KIND_LIVING", "SUBSIDY_KIND_CARE"):
            r = api.call("affairs.reviewer", "POST", "/v1/affairs/subsidy-payment-runs",
                         {"kind": kind, "month": month})
            progress.records += int(r.get("paid", 0) or 0)

    def months_from(month):
        return sum(1 for m in MONTHS if m >= month)

    living_fen = sum(LIVING_FEN * months_from(m) for _, kind, _, m, _, _ in plan
                     if kind == "SUBSIDY_KIND_LIVING")
    care_fen = sum(CARE_FEN[g] * months_from(m) for _, kind, g, m, _, _ in plan
                   if kind == "SUBSIDY_KIND_CARE")
    fig = {"affairs/disability_care_subsidy.persons": n_care,
           "affairs/disability_care_subsidy.paid": care_fen,
           "affairs/disability_living_subsidy.persons": n_living,
           "affairs/disability_living_subsidy.paid": living_fen}
    lines = [f"享有重度残疾人护理补贴发放{n_care}人,累计发放资金{wan(care_fen)}",
             f"困难残疾人生活补贴发放{n_living}人,累计发放资金{wan(living_fen)}"]
    return fig, lines


# ---- eldercare ---------------------------------------------------------------------------------

# The county's default schedules (services/eldercare/migrations 0002 and 0004, 340722 from
# 2023-01): 高龄津贴 by age tier, 居家养老服务补贴 by level; fen per month.
ALLOWANCE_TIER_FEN = {"80-89": 3000, "90-99": 5000}
HOMECARE_LEVEL_FEN = {1: 4000, 2: 6000}


def build_eldercare(api, pool, progress, people, scale):
    n = scaled("old_age_allowance_persons", scale)
    # Births that keep one tier all half year (the tier of month M is the age on the last day of
    # M−1): 80–89 born 1934-01 … 1942-06, 90–99 born 1924-01 … 1932-06. A tenth applies later;
    # as many of the others are 90–99 as land the seed's money (418万元 for 22,007 persons is
    # 31.7 yuan a person-month: about one in six).
    starts = [MONTHS[1 + k % 4] if k % 10 == 9 else "2023-01" for k in range(n)]
    older = fit_rates([sum(1 for m in MONTHS if m >= s) for s in starts],
                      ALLOWANCE_TIER_FEN["80-89"], ALLOWANCE_TIER_FEN["90-99"],
                      scaled("old_age_allowance_fen", scale))
    plan = [(k, "90-99" if older[k] else "80-89", starts[k]) for k in range(n)]

    def allowance(item):
        k, tier, month = item
        first, last = ((dt.date(1924, 1, 1), dt.date(1932, 6, 30)) if tier == "90-99"
                       else (dt.date(1934, 1, 1), dt.date(1942, 6, 30)))
        idn, _ = people.person(first, last)
        on = day(month, 2 + k % 20)
        e = api.call("eldercare.clerk", "POST", "/v1/eldercare/allowance-enrolments",
                     {"name": f"老人{k}", "idNumber": idn, "regionCode": VILLAGES[k % len(VILLAGES)],
                      "applicationDate": on})["enrolment"]
        api.call("eldercare.reviewer", "POST",
                 f"/v1/eldercare/allowance-enrolments/{e['enrolmentId']}:approve",
                 {"decisionDate": on})
        return 1

    run_all(pool, progress, "eldercare: 高龄津贴 enrolments (clerk → reviewer)", plan, allowance)
    paid = sum(ALLOWANCE_TIER_FEN[tier] * sum(1 for m in MONTHS if m >= month)
               for _, tier, month in plan)

    h = scaled("homecare_persons", scale)
    # Everyone is paid the half year; as many at level 2 as land the seed's 131万元 (4,463
    # persons: 48.9 yuan a person-month, about 45% at level 2).
    level2 = fit_rates([len(MONTHS)] * h, HOMECARE_LEVEL_FEN[1], HOMECARE_LEVEL_FEN[2],
                       scaled("homecare_fen", scale))
    hplan = [(k, 2 if level2[k] else 1) for k in range(h)]

    def homecare(item):
        k, level = item
        idn, _ = people.person(dt.date(1936, 1, 1), dt.date(1960, 12, 31))
        on = day("2023-01", 2 + k % 25)
        sub = api.call("eldercare.clerk", "POST", "/v1/eldercare/homecare-subsidies",
                       {"name": f"居家{k}", "idNumber": idn, "regionCode": VILLAGES[k % len(VILLAGES)],
                        "livingAlone": True, "level": level, "assessmentDate": on,
                        "assessor": "县养老服务评估中心"})["subsidy"]
        api.call("eldercare.reviewer", "POST",
                 f"/v1/eldercare/homecare-subsidies/{sub['subsidyId']}:approve",
                 {"decisionDate": on})
        return 1

    run_all(pool, progress, "eldercare: 居家养老服务补贴 assessments", hplan, homecare)
    hpaid = sum(HOMECARE_LEVEL_FEN[level] * 6 for _, level in hplan)

    progress.start("eldercare: monthly runs", len(MONTHS))
    for month in MONTHS:
        for path in ("/v1/eldercare/allowance-payment-runs", "/v1/eldercare/homecare-payment-runs"):
            r = api.call("eldercare.reviewer", "POST", path, {"month": month})
            progress.records += int(r.get("paid", 0) or 0)
        progress.tick(0)

    # Facilities with target year 2023: planned in January, the built ones completed by June.
    facilities = []
    for kind, word, pk, bk in (("FACILITY_KIND_VILLAGE_STATION", "养老服务站", "stations_planned",
                                "stations_built"),
                               ("FACILITY_KIND_CANTEEN", "老年食堂", "canteens_planned",
                                "canteens_built")):
        planned, built = scaled_min1(pk, scale), scaled_min1(bk, scale)
        built = min(built, planned)
        facilities += [(kind, word, k, k < built) for k in range(planned)]

    def facility(item):
        kind, word, k, built = item
        f = api.call("eldercare.clerk", "POST", "/v1/eldercare/facilities",
                     {"kind": kind, "name": f"第{k + 1}{word}", "regionCode": VILLAGES[k * 7 % len(VILLAGES)],
                      "targetYear": 2023, "capacity": 20, "plannedDate": "2023-01-10"})["facility"]
        if built:
            for status, on in (("FACILITY_STATUS_UNDER_CONSTRUCTION", "2023-02-15"),
                               ("FACILITY_STATUS_COMPLETED", day(MONTHS[2 + k % 4], 20))):
                api.call("eldercare.clerk", "POST",
                         f"/v1/eldercare/facilities/{f['facilityId']}:advance",
                         {"status": status, "date": on})
        return 1

    run_all(pool, progress, "eldercare: facilities", facilities, facility)

    a = scaled_min1("adaptations_planned", scale)

    def adaptation(k):
        idn, _ = people.person(dt.date(1930, 1, 1), dt.date(1955, 12, 31))
        ad = api.call("eldercare.clerk", "POST", "/v1/eldercare/adaptations",
                      {"headName": f"改造{k}", "headIdNumber": idn,
                       "regionCode": VILLAGES[k % len(VILLAGES)], "targetYear": 2023,
                       "findings": "卫生间无扶手,地面湿滑", "surveyDate": day("2023-03", 1 + k % 28)})
        ad = ad["adaptation"]
        api.call("eldercare.clerk", "POST",
                 f"/v1/eldercare/adaptations/{ad['adaptationId']}:plan",
                 {"items": [{"item": "安装扶手", "costFen": "80000"},
                            {"item": "防滑地面", "costFen": "120000"}],
                  "date": day("2023-04", 1 + k % 28)})
        return 1

    run_all(pool, progress, "eldercare: home adaptations (survey → plan)", range(a), adaptation)

    # The weekly-visit pilots of the seed's three townships, declared in January.
    pilots = [("340722107", "会宫镇"), ("340722114", "雨坛镇"), ("340722106", "浮山镇")]
    for code, name in pilots:
        api.call("eldercare.reviewer", "POST", "/v1/eldercare/visit-pilots",
                 {"townshipCode": code, "townshipName": name, "startDate": "2023-01-09"},
                 ok=(200, 409))

    sp = sum(1 for f in facilities if f[0] == "FACILITY_KIND_VILLAGE_STATION")
    sb = sum(1 for f in facilities if f[0] == "FACILITY_KIND_VILLAGE_STATION" and f[3])
    cp = sum(1 for f in facilities if f[0] == "FACILITY_KIND_CANTEEN")
    cb = sum(1 for f in facilities if f[0] == "FACILITY_KIND_CANTEEN" and f[3])
    fig = {"eldercare/old_age_allowance.persons": n, "eldercare/old_age_allowance.paid": paid}
    lines = [f"享有高龄津贴{n}人,发放资金{wan(paid)}",
             f"居家养老服务补贴{h}人,发放资金{wan(hpaid)}",
             f"2023年全县确定建设村(居)级养老服务站{sp}个、城乡老年食堂(助餐点){cp}个,"
             f"目前养老服务站已建设完成{sb}个,老年食堂(助餐点)已经建设完成{cb}个",
             f"确定老年人家庭适老化改造{a}户",
             # The township names in the order the department lists them (by code).
             "在" + "、".join(n for _, n in sorted(pilots)) +
             "开展特殊困难老年人探视走访试点项目试点,实施特殊困难独居老年人周探访"]
    return fig, lines


# ---- childwelfare ------------------------------------------------------------------------------

# The county's default standards (services/childwelfare migration 0002, 340722 from 2023-01).
CHILD_STANDARD_FEN = {"CATEGORY_ORPHAN_CENTRALISED": 150000, "CATEGORY_ORPHAN_DISPERSED": 110000}
STIPEND_FEN = 1000000


def build_childwelfare(api, pool, progress, people, scale):
    n = scaled_min1("orphans", scale)
    s = scaled_min1("university_stipends", scale)
    # One in eight is identified during the half year; as many of the others live in the
    # welfare home (集中供养) as land the seed's 148万元.
    starts = [MONTHS[1 + k % 4] if k % 8 == 5 else "2023-01" for k in range(n)]
    home = fit_rates([sum(1 for m in MONTHS if m >= s) for s in starts],
                     CHILD_STANDARD_FEN["CATEGORY_ORPHAN_DISPERSED"],
                     CHILD_STANDARD_FEN["CATEGORY_ORPHAN_CENTRALISED"], scaled("orphans_fen", scale))
    plan = [("allowance", k,
             "CATEGORY_ORPHAN_CENTRALISED" if home[k] else "CATEGORY_ORPHAN_DISPERSED", starts[k])
            for k in range(n)]
    # University students: orphans identified as children in 2021, aged out before 2023, the
    # stipend of academic year 2022-2023 paid in the half year.
    plan += [("stipend", k, "CATEGORY_ORPHAN_DISPERSED", "2021-09") for k in range(s)]
    item_ids = []

    def child(item):
        what, k, cat, month = item
        if what == "allowance":
            idn, _ = people.person(dt.date(2006, 1, 1), dt.date(2018, 12, 31))
        else:
            idn, _ = people.person(dt.date(2004, 1, 1), dt.date(2004, 11, 30))
        on = day(month, 3 + k % 20)
        c = api.call("childwelfare.clerk", "POST", "/v1/childwelfare/children",
                     {"name": f"儿童{what[0]}{k}", "idNumber": idn,
                      "regionCode": VILLAGES[k % len(VILLAGES)], "category": cat,
                      "father": "PARENT_SITUATION_DECEASED", "mother": "PARENT_SITUATION_DECEASED",
                      "guardianName": f"监护人{k}", "guardianRelation": "祖母",
                      "placement": "福利院" if cat == "CATEGORY_ORPHAN_CENTRALISED" else "祖母家",
                      "applicationDate": on})["child"]
        path = f"/v1/childwelfare/children/{c['childId']}"
        if what == "allowance":
            item_ids.append((VILLAGES[k % len(VILLAGES)][:9], c["childId"]))
        api.call("childwelfare.township", "POST", path + ":check", {"passed": True, "checkDate": on})
        api.call("childwelfare.reviewer", "POST", path + ":approve", {"decisionDate": on})
        if what == "stipend":
            api.call("childwelfare.reviewer", "POST", path + "/stipends",
                     {"academicYear": "2022-2023", "university": "安徽大学",
                      "date": day(MONTHS[k % 6], 10)})
        return 1

    # The stipend students were identified in 2021: the county's standard of those years (the
    # same amount as the shipped one from 2023-01).
    api.call("childwelfare.reviewer", "POST", "/v1/childwelfare/allowance-standards",
             {"regionPrefix": COUNTY, "effectiveMonth": "2021-01",
              "category": "CATEGORY_ORPHAN_DISPERSED",
              "monthlyFen": str(CHILD_STANDARD_FEN["CATEGORY_ORPHAN_DISPERSED"])}, ok=(200, 409))
    run_all(pool, progress, "childwelfare: orphans (clerk → township → county)", plan, child)
    progress.start("childwelfare: monthly runs", len(MONTHS))
    for month in MONTHS:
        r = api.call("childwelfare.reviewer", "POST", "/v1/childwelfare/allowance-payment-runs",
                     {"month": month})
        progress.records += int(r.get("paid", 0) or 0)
        progress.tick(0)
    paid = sum(CHILD_STANDARD_FEN[cat] * sum(1 for m in MONTHS if m >= month)
               for what, _, cat, month in plan if what == "allowance")
    # Care distributions: 健康包 in three batches; 500 yuan of 慰问金 to registered children.
    packs = scaled_min1("health_packs", scale)
    for j, q in enumerate(split(packs, min(3, packs), 1, packs)):
        api.call("childwelfare.clerk", "POST", "/v1/childwelfare/care-distributions",
                 {"kind": "DISTRIBUTION_KIND_HEALTH_PACKS", "quantity": q,
                  "regionCode": TOWNSHIPS[j], "distributionDate": day(MONTHS[j + 1], 12),
                  "campaign": "关爱儿童健康行动", "giver": "县民政局"})
    helped = min(scaled_min1("condolence_children", scale), len(item_ids))
    item_ids.sort()
    by_town = {}
    for town, cid in item_ids[:helped]:
        by_town.setdefault(town, []).append(cid)
    for town, cids in sorted(by_town.items()):  # one distribution per township
        api.call("childwelfare.clerk", "POST", "/v1/childwelfare/care-distributions",
                 {"kind": "DISTRIBUTION_KIND_CONDOLENCE_MONEY", "regionCode": town,
                  "distributionDate": "2023-05-30", "campaign": "六一慰问", "giver": "县民政局",
                  "recipients": [{"registry": "RECIPIENT_REGISTER_CHILD", "id": i,
                                  "amountFen": "50000"} for i in cids]})
    fig = {"childwelfare/orphan_allowance.persons": n, "childwelfare/orphan_allowance.paid": paid,
           "childwelfare/university_stipends.persons": s,
           "childwelfare/university_stipends.paid": s * STIPEND_FEN}
    lines = [f"孤儿基本生活保障对象{n}人,发放补助金额{wan(paid)}",
             f"发放“健康包”{packs}份,对生活困难的{helped}名儿童发放慰问金{wan(helped * 50000)}",
             f"为在校孤儿大学生按照每人每学年{wan(STIPEND_FEN)}的标准,发放补助费用,"
             f"共发放资金{wan(s * STIPEND_FEN)},惠及{s}人"]
    return fig, lines


# ---- socialorg ---------------------------------------------------------------------------------

_CC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(kind_digit: str, serial: int) -> str:
    """A unified social credit code (GB 32100): civil affairs (5), the kind, the county."""
    body = f"5{kind_digit}{COUNTY}MJA{serial % 1000000:06d}"
    check = 31 - sum(_CC_ALPHABET.index(c) * w for c, w in zip(body, _CC_WEIGHTS)) % 31
    return body + _CC_ALPHABET[0 if check == 31 else check]


def build_socialorg(api, pool, progress, people, scale):
    sg = scaled_min1("so_inspections_social_groups", scale)
    pne = scaled_min1("so_inspections_private_non_enterprise", scale)
    re_el = scaled_min1("so_re_elections", scale)
    renew = scaled_min1("so_renewals", scale)
    dereg = scaled_min1("so_deregistered", scale)
    new = scaled_min1("so_newly_registered", scale)
    party = {k: scaled_min1(k, scale) for k in ("so_party_organisations", "so_trade_unions",
                                                 "so_youth_leagues", "so_womens_organisations")}
    # The register the half year starts with: social groups and private non-enterprise units
    # established 2015–2021, each inspected for 2022 in the period; then those deregistered.
    existing = max(sg + pne, re_el + renew, max(party.values()))
    orgs = []
    for k in range(existing):
        kind = "ORGANISATION_KIND_SOCIAL_GROUP" if k < max(sg, existing - pne) else \
            "ORGANISATION_KIND_PRIVATE_NON_ENTERPRISE_UNIT"
        orgs.append({"k": k, "kind": kind, "established": f"{2015 + k % 7}-03-01", "new": False})
    for k in range(dereg):
        orgs.append({"k": existing + k, "kind": "ORGANISATION_KIND_SOCIAL_GROUP",
                     "established": "2016-05-01", "new": False, "dereg": True})
    for k in range(new):
        orgs.append({"k": existing + dereg + k, "kind": "ORGANISATION_KIND_SOCIAL_GROUP" if k % 3
                     else "ORGANISATION_KIND_PRIVATE_NON_ENTERPRISE_UNIT",
                     "established": period_day(k, new), "new": True})
    sg_i = pne_i = 0
    for o in orgs:  # who is inspected for 2022: the first sg social groups and pne units
        if o["new"] or o.get("dereg"):
            continue
        if o["kind"] == "ORGANISATION_KIND_SOCIAL_GROUP" and sg_i < sg:
            o["inspect"], sg_i = True, sg_i + 1
        elif o["kind"] == "ORGANISATION_KIND_PRIVATE_NON_ENTERPRISE_UNIT" and pne_i < pne:
            o["inspect"], pne_i = True, pne_i + 1
    old = [o for o in orgs if not o["new"] and not o.get("dereg")]
    for j, o in enumerate(old):
        if j < re_el:
            o["re_elect"] = True
        elif j < re_el + renew:
            o["renew"] = True
        for key in party:
            o.setdefault("party", {})[key] = j < party[key]

    def organisation(o):
        k = o["k"]
        digit = "1" if o["kind"] == "ORGANISATION_KIND_SOCIAL_GROUP" else "2"
        idn, _ = people.person(dt.date(1960, 1, 1), dt.date(1990, 12, 31))
        body = {"name": f"枞阳县第{k + 1}{'协会' if digit == '1' else '服务中心'}",
                "creditCode": credit_code(digit, 500000 + k), "kind": o["kind"],
                "supervisingUnit": "枞阳县民政局", "domicile": "枞阳县枞阳镇",
                "legalRepresentativeName": f"法人{k}", "legalRepresentativeIdNumber": idn,
                "registeredCapitalFen": "3000000", "regionCode": TOWNSHIPS[k % len(TOWNSHIPS)],
                "businessScope": "公益服务", "establishmentDate": o["established"],
                "documents": ["成立登记申请书", "章程"]}
        if not o["new"]:
            y = int(o["established"][:4])
            body.update({"termStart": o["established"], "termEnd": f"{y + 5}-02-28",
                         "certificateValidUntil": "2023-06-30"})
        r = api.call("socialorg.clerk", "POST", "/v1/socialorg/organisations", body)
        oid = r["organisation"]["organisationId"]
        n = 1

        def approve(event_id, on):
            api.call("socialorg.reviewer", "POST", f"/v1/socialorg/events/{event_id}:approve",
                     {"decisionDate": on})

        approve(r["establishmentEventId"], o["established"])
        path = f"/v1/socialorg/organisations/{oid}"
        if o.get("inspect"):
            api.call("socialorg.clerk", "POST", path + "/inspections",
                     {"year": 2022, "completedDate": day(MONTHS[2 + k % 3], 10),
                      "result": "INSPECTION_RESULT_QUALIFIED"})
            n += 1
        if o.get("re_elect"):
            e = api.call("socialorg.clerk", "POST", path + "/re-elections",
                         {"eventDate": "2023-03-01", "documents": ["换届选举报告"],
                          "termStart": "2023-03-01", "termEnd": "2028-02-29"})
            approve(e["event"]["eventId"], "2023-03-08")
            n += 1
        if o.get("renew"):
            e = api.call("socialorg.clerk", "POST", path + "/certificate-renewals",
                         {"eventDate": "2023-04-03", "documents": ["换证申请书"],
                          "certificateValidUntil": "2028-06-30"})
            approve(e["event"]["eventId"], "2023-04-10")
            n += 1
        if o.get("party") and any(o["party"].values()):
            pb = o["party"]
            api.call("socialorg.clerk", "POST", path + "/party-building",
                     {"effectiveDate": "2023-02-01",
                      "partyOrganisation": pb["so_party_organisations"],
                      "tradeUnion": pb["so_trade_unions"], "youthLeague": pb["so_youth_leagues"],
                      "womensOrganisation": pb["so_womens_organisations"]})
            n += 1
        if o.get("dereg"):
            e = api.call("socialorg.clerk", "POST", path + "/deregistrations",
                         {"eventDate": "2023-05-15", "documents": ["注销登记申请书"],
                          "liquidation": "清算组清算报告", "liquidationDate": "2023-05-10"})
            approve(e["event"]["eventId"], "2023-05-20")
            n += 1
        return n

    run_all(pool, progress, "socialorg: registrations, inspections, filings", orgs, organisation)

    # Social-work stations: the county's and the townships', established last year, accepted
    # (reviewer) and visited by the supervisor in the period.
    stations = scaled_min1("so_township_stations", scale)

    def station(k):
        region = COUNTY if k < 0 else TOWNSHIPS[k]
        st = api.call("socialorg.clerk", "POST", "/v1/socialorg/stations",
                      {"name": ("枞阳县社工总站" if k < 0 else f"{TOWNSHIPS[k]}社工站"),
                       "regionCode": region, "establishedDate": "2022-10-01"})["station"]
        path = f"/v1/socialorg/stations/{st['stationId']}"
        api.call("socialorg.reviewer", "POST", path + "/acceptances",
                 {"result": "ACCEPTANCE_RESULT_PASSED", "acceptedDate": day(MONTHS[1 + (k + 1) % 4], 15)})
        if k >= 0:
            api.call("socialorg.clerk", "POST", path + "/visits",
                     {"visitedDate": day(MONTHS[5], 5 + k % 20), "visitor": "县社工总站督导",
                      "findings": "台账齐全"})
        return 1

    run_all(pool, progress, "socialorg: social-work stations", range(-1, stations), station)
    fig = {"socialorg/deregistered": dereg, "socialorg/newly_registered": new,
           "socialorg/re_election_or_renewal_filings": re_el + renew,
           "socialorg/inspections.completed": sg + pne,
           "socialorg/inspections.social_groups": sg,
           "socialorg/inspections.private_non_enterprise_units": pne,
           "socialorg/party_organisations": party["so_party_organisations"],
           "socialorg/trade_unions": party["so_trade_unions"],
           "socialorg/youth_leagues": party["so_youth_leagues"],
           "socialorg/womens_organisations": party["so_womens_organisations"],
           "socialorg/stations.township_accepted": stations,
           "socialorg/stations.township_visited": stations}
    lines = [f"依法办理社会组织注销{dereg}家、批准新成立社会组织{new}家、换届、换证备案{re_el + renew}家",
             f"已完成年检{sg + pne}家,其中社会团体{sg}家,民办非企业{pne}家",
             f"已建党组织{party['so_party_organisations']}家,工会{party['so_trade_unions']}家,"
             f"共青团{party['so_youth_leagues']}家,妇女组织{party['so_womens_organisations']}家",
             f"完成县社工总站建设工作及全县{stations}家社工站进行验收工作",
             f"完成对全县{stations}家乡镇社工站的督导工作"]
    return fig, lines


# ---- governance --------------------------------------------------------------------------------

def build_governance(api, pool, progress, people, scale):
    # The county's villages and communities as the department's region tree holds them.
    villages, towns, token = [], [], ""
    while True:
        r = api.call("governance.clerk", "GET",
                     f"/v1/governance/regions?parentCode={COUNTY}&pageSize=500&pageToken={token}")
        towns += [t["code"] for t in r.get("regions", [])]
        token = r.get("nextPageToken", "")
        if not token:
            break
    for t in towns:
        token = ""
        while True:
            r = api.call("governance.clerk", "GET",
                         f"/v1/governance/regions?parentCode={t}&pageSize=500&pageToken={token}")
            villages += [v["code"] for v in r.get("regions", [])]
            token = r.get("nextPageToken", "")
            if not token:
                break

    # One grid per village and its three notices, published in February.
    grids = {}

    def community(v):
        g = api.call("governance.clerk", "POST", "/v1/governance/grids",
                     {"villageCode": v, "name": "第一网格"})["grid"]
        grids[v] = g
        for kind in ("NOTICE_KIND_INTRODUCTION", "NOTICE_KIND_GRID_MAP", "NOTICE_KIND_SERVICE_FLOW"):
            api.call("governance.clerk", "POST", f"/v1/governance/communities/{v}/notices",
                     {"villageCode": v, "kind": kind, "publishDate": "2023-02-15",
                      "document": f"{v}-{kind}.pdf"})
        return 4

    run_all(pool, progress, "governance: grids and their three notices", villages, community)

    # Residents' basic records (网格化基础信息): collected January to May, each imported with the
    # day it was collected (CSV parts under the gateway's 1 MiB body, rowOffset keeping the file's
    # row numbers), then the reviewer works through each grid's worklist a page at a time
    # (reviewBatch, dated 2023-06-20), returning the first `returned` records for a correction.
    reviewed_n = scaled("records_reviewed", scale)
    returned_n = scaled("records_returned", scale)
    total = reviewed_n + returned_n
    codes = [grids[v]["gridCode"] for v in villages]
    part_rows = 4000
    header = "grid_code,name,id_number,address,household,tags,submit_date\n"

    def part(first):
        rows = []
        for k in range(first, min(first + part_rows, total)):
            idn, _ = people.person(dt.date(1935, 1, 1), dt.date(2015, 12, 31))
            collected = dt.date(2023, 1, 5) + dt.timedelta(days=k * 146 // max(total, 1))
            rows.append(f"{codes[k % len(codes)]},居民{k},{idn},{k % 40 + 1}组{k % 97 + 1}号,"
                        f"H{k:06d},,{collected.isoformat()}\n")
        r = api.call("governance.clerk", "POST", "/v1/governance/resident-records:importCsv",
                     {"csv": header + "".join(rows), "rowOffset": str(first)})
        if int(r.get("created", 0) or 0) != len(rows) or int(r.get("rejected", 0) or 0):
            raise RuntimeError(f"records {first}…: {r}")
        return len(rows)

    run_all(pool, progress, "governance: residents' records imported", range(0, total, part_rows),
            part)
    to_return = [returned_n]
    lock = threading.Lock()

    def review(v):
        grid_id, done = grids[v]["gridId"], 0
        while True:
            page = api.call("governance.reviewer", "GET",
                            f"/v1/governance/resident-records?gridId={grid_id}"
                            "&status=RECORD_STATUS_SUBMITTED&pageSize=500")
            ids = [r["recordId"] for r in page.get("records", [])]
            if not ids:
                return done
            with lock:
                back = min(to_return[0], len(ids) // 10)
                to_return[0] -= back
            for chosen, decision, reason in ((ids[:back], "RECORD_STATUS_RETURNED", "门牌号不全"),
                                             (ids[back:], "RECORD_STATUS_REVIEWED", "")):
                if not chosen:
                    continue
                r = api.call("governance.reviewer", "POST",
                             "/v1/governance/resident-records:reviewBatch",
                             {"recordIds": chosen, "decision": decision, "reason": reason,
                              "reviewDate": "2023-06-20"})
                if int(r.get("decided", 0) or 0) != len(chosen):
                    raise RuntimeError(f"review of grid {v}: {r}")
                done += len(chosen)

    run_all(pool, progress, "governance: records reviewed a page at a time", villages, review)
    if to_return[0]:
        raise RuntimeError(f"governance: {to_return[0]} records meant to be returned were not")

    # Consultation demonstration sites (城乡社区协商点创建), selected by the county in April, one
    # village every so many, so that they spread over the townships.
    sites_n = min(len(villages), scaled_min1("consultation_sites", scale))
    step = max(1, len(villages) // max(1, sites_n))
    progress.start("governance: consultation demonstration sites", sites_n)
    for k in range(sites_n):
        api.call("governance.reviewer", "POST", "/v1/governance/consultation-sites",
                 {"villageCode": villages[k * step], "name": f"城乡社区协商示范点{k + 1}",
                  "selectedDate": "2023-04-20"})
        progress.tick(1)

    fig = {"governance/communities": len(villages),
           "governance/communities_with_all_notices": len(villages),
           "governance/records_reviewed": reviewed_n,
           "governance/records_reviewed_in_period": reviewed_n,
           "governance/consultation_sites": sites_n}
    lines = ["全县村和社区实行社区简介、网格示意图、网格服务管理流程图等网格化基础信息公示全覆盖",
             f"完成网格化{report_count(reviewed_n, '条')}基础信息审核工作",
             f"开展城乡社区协商点创建活动,在全县范围内推选出{sites_n}个示范点"]
    return fig, lines


def build_affairs_projects(api, pool, progress, people, scale):
    """Township cemetery projects (target year 2023, two completed awaiting acceptance), the two
    disability service pilots accepted, the marriage archive digitised, vagrant relief cases."""
    planned = scaled_min1("cemetery_planned", scale)
    completed = min(planned, scaled_min1("cemetery_completed", scale))
    progress.start("affairs: cemetery projects, pilots, archive, vagrant relief", 4)
    for k in range(planned):
        pr = api.call("affairs.clerk", "POST", "/v1/affairs/cemetery-projects",
                      {"name": f"{TOWNSHIPS[k]}乡镇级公墓改扩建", "regionCode": TOWNSHIPS[k],
                       "targetYear": 2023, "dueDate": "2023-09-30"})
        pid = (pr.get("project") or pr)["projectId"]
        steps = [("MILESTONE_STARTED", "2023-03-01")]
        if k < completed:
            steps.append(("MILESTONE_COMPLETED", "2023-06-10"))
        for milestone, on in steps:
            api.call("affairs.clerk", "POST", f"/v1/affairs/cemetery-projects/{pid}/milestones",
                     {"milestone": milestone, "date": on})
    progress.tick(planned)
    for kind, name in (("PROJECT_KIND_CARE_SERVICE_PILOT", "贫困重度残疾人照护服务项目"),
                       ("PROJECT_KIND_MENTAL_HEALTH_REHAB_PILOT", "精神障碍患者社区康复试点")):
        pr = api.call("affairs.clerk", "POST", "/v1/affairs/pilot-projects",
                      {"kind": kind, "name": name, "regionCode": TOWNSHIPS[0], "targetYear": 2023,
                       "dueDate": "2023-06-30"})
        pid = (pr.get("project") or pr)["projectId"]
        for milestone, on in (("MILESTONE_STARTED", "2023-01-10"),
                              ("MILESTONE_COMPLETED", "2023-04-20"),
                              ("MILESTONE_ACCEPTED", "2023-05-18")):
            api.call("affairs.clerk", "POST", f"/v1/affairs/pilot-projects/{pid}/milestones",
                     {"milestone": milestone, "date": on})
    progress.tick(2)
    files = max(1, scaled("archive_files", scale))
    b = api.call("affairs.clerk", "POST", "/v1/affairs/marriage-archive-batches",
                 {"regionCode": COUNTY, "coversFrom": "2005-09", "coversTo": "2022-12",
                  "filesTotal": str(files), "receivedDate": "2023-01-05"})
    bid = (b.get("batch") or b)["batchId"]
    for stage, on in (("ARCHIVE_STAGE_SCANNED", "2023-03-31"), ("ARCHIVE_STAGE_VERIFIED", "2023-04-30"),
                      ("ARCHIVE_STAGE_TRANSFERRED", "2023-05-31")):
        api.call("affairs.clerk", "POST", f"/v1/affairs/marriage-archive-batches/{bid}/progress",
                 {"stage": stage, "files": str(files), "date": on})
    progress.tick(files)
    cases = scaled_min1("vagrant_relief_cases", scale)
    for k in range(cases):
        api.call("affairs.clerk", "POST", "/v1/affairs/relief-cases",
                 {"regionCode": TOWNSHIPS[k % len(TOWNSHIPS)], "place": "枞阳县汽车站",
                  "intakeDate": period_day(k, cases), "identityKnown": False,
                  "services": ["RELIEF_SERVICE_KIND_FOOD", "RELIEF_SERVICE_KIND_ACCOMMODATION"],
                  "moneyFen": "200000", "note": "护送返乡"})
    progress.tick(cases)
    fig = {"affairs/cemetery_projects.planned": planned,
           "affairs/cemetery_projects.completed": completed,
           "affairs/cemetery_projects.awaiting_acceptance": completed,
           "affairs/care_service_pilots.projects": 1, "affairs/care_service_pilots.accepted": 1,
           "affairs/mental_health_rehab_pilots.projects": 1,
           "affairs/mental_health_rehab_pilots.accepted": 1,
           "affairs/marriage_archive_files_digitised": files,
           "affairs/vagrant_relief.cases": cases, "affairs/vagrant_relief.money": cases * 200000}
    lines = [f"确定改扩建乡镇级公墓{planned}个,其中已完工待验收{completed}个",
             "贫困重度残疾人照护服务项目1个,已完工验收1个", "精神障碍患者社区康复试点1个,已完工验收1个",
             f"共计{files}份婚姻档案数字电子化整理、扫描、入馆等工作",
             f"实施流浪乞讨救助{cases}人次,使用资金{wan(cases * 200000)}"]
    return fig, lines


# ---- main --------------------------------------------------------------------------------------

def mint_tokens(civilctl, key):
    tokens = {}
    for name, role in ROLES.items():
        subject = "datagen-" + name.replace(".", "-")
        tokens[name] = subprocess.check_output(
            [civilctl, "token", "--subject", subject, "--roles", role, "--region", COUNTY,
             "--ttl", "21600", "--key", key], text=True).strip()
    return tokens


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--gateway", default="http://127.0.0.1:8080")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--expect", help="write the plan's expected report figures here (JSON)")
    p.add_argument("--tokens", help='JSON file {"<name>": "<jwt>"} for ' + ", ".join(
                       f"{n} (role {r})" for n, r in ROLES.items()))
    p.add_argument("--civilctl", default="build/gateway/civilctl/civilctl")
    p.add_argument("--key", default="var/jwt/dev.key")
    p.add_argument("--workers", type=int, default=16)
    p.add_argument("--only", default="assistance,affairs,eldercare,childwelfare,socialorg,governance",
                   help="departments to build (comma-separated)")
    args = p.parse_args()

    if args.tokens:
        with open(args.tokens) as f:
            tokens = json.load(f)
    else:
        tokens = mint_tokens(args.civilctl, args.key)
    api = Api(args.gateway, tokens)
    api.people = People()
    progress = Progress(api)
    only = set(args.only.split(","))
    figures, lines = {}, []
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        if "assistance" in only:
            households = plan_assistance(args.scale)
            f, l = expect_assistance(households)
            print(f"plan: assistance {len(households)} households", file=sys.stderr)
            build_assistance(api, pool, progress, households)
            figures.update(f)
            lines += l
            f, l = build_relief(api, pool, progress, households, args.scale)
            figures.update(f)
            lines += l
            f, l = build_outreach(api, pool, progress, households, args.scale)
            figures.update(f)
            lines += l
            if "affairs" in only:  # the living subsidy is for 低保 members
                f, l = build_disability(api, pool, progress, households, args.scale)
                figures.update(f)
                lines += l
        for name, build in (("affairs", build_affairs), ("affairs", build_affairs_projects),
                            ("eldercare", build_eldercare),
                            ("childwelfare", build_childwelfare), ("socialorg", build_socialorg),
                            ("governance", build_governance)):
            if name in only:
                f, l = build(api, pool, progress, api.people, args.scale)
                figures.update(f)
                lines += l
    elapsed = time.monotonic() - t0
    print(f"done: {progress.records} records, {api.count} requests in {elapsed:.1f}s "
          f"({progress.records / elapsed:.0f} records/s, {api.count / elapsed:.0f} requests/s)",
          file=sys.stderr)
    if args.expect:
        with open(args.expect, "w") as f:
            json.dump({"scale": args.scale, "periodStart": PERIOD_START, "periodEnd": PERIOD_END,
                       "figures": {k: str(v) for k, v in sorted(figures.items())}, "lines": lines},
                      f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
