#!/usr/bin/env python3
"""Writes deploy/grafana/dashboards/*.json: one dashboard per component (golden signals, pool
saturation, events, its business series) and one for the bureau. Edit this script, not the JSON,
then run it; tests/deploy checks the committed files are what it writes, and that every series a
panel queries is exported by the running processes (deploy_metrics_e2e)."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DS = {"type": "prometheus", "uid": "civil-prometheus"}

# Business panels of each component: (title, expr, legend, unit).
BUSINESS = {
    "assistance": [
        ("Money paid by monthly runs this range (yuan)",
         'sum by (program) (increase(civil_payments_fen_total{job="civil-assistance"}[$__range])) / 100',
         "{{program}}", "currencyCNY"),
        ("Disbursement progress", 'assistance_disbursement_progress_ratio{job="civil-assistance"}',
         "{{program}}", "percentunit"),
        ("Disbursement rows done / planned",
         'assistance_disbursement_rows_done{job="civil-assistance"}', "{{program}} done", "short"),
    ],
    "eldercare": [
        ("Monthly allowance payments written",
         'sum by (allowance) (increase(civil_monthly_run_payments_total{job="civil-eldercare"}[$__range]))',
         "{{allowance}}", "short"),
        ("Monthly run progress", 'civil_monthly_run_progress_ratio{job="civil-eldercare"}',
         "{{allowance}}", "percentunit"),
    ],
    "childwelfare": [
        ("Monthly allowance payments written",
         'sum by (allowance) (increase(civil_monthly_run_payments_total{job="civil-childwelfare"}[$__range]))',
         "{{allowance}}", "short"),
        ("Monthly run progress", 'civil_monthly_run_progress_ratio{job="civil-childwelfare"}',
         "{{allowance}}", "percentunit"),
    ],
    "governance": [
        ("Resident records imported",
         'sum by (outcome) (rate(civil_governance_imported_rows_total{job="civil-governance"}[$__rate_interval]))',
         "{{outcome}}", "rowsps"),
        ("Imports in progress (rows)", 'civil_governance_import_rows{job="civil-governance"}',
         "{{state}}", "short"),
    ],
    # socialorg exports no series of its own: its business is read off the calls that do it
    # (grpc_server_handled_total has every method of its services from the start) and the kit's
    # ID-view and grievance series, which its process exports.
    "socialorg": [
        ("Registrations and lifecycle filings this range",
         'sum by (grpc_method) (increase(grpc_server_handled_total{job="civil-socialorg",grpc_code="OK",'
         'grpc_method=~"RegisterOrganisation|FileChange|FileReElection|FileCertificateRenewal|FileDeregistration"}[$__range]))',
         "{{grpc_method}}", "short"),
        ("Lifecycle events decided this range",
         'sum by (grpc_method) (increase(grpc_server_handled_total{job="civil-socialorg",grpc_code="OK",'
         'grpc_service="civil.socialorg.v1.LifecycleService",grpc_method=~"ApproveEvent|RejectEvent"}[$__range]))',
         "{{grpc_method}}", "short"),
        ("Full ID numbers shown (each with its audit row)",
         'sum (increase(civil_full_id_views_total{job="civil-socialorg"}[$__range]))', "views", "short"),
        ("Grievances past their deadline", 'sum (civil_grievances_overdue{job="civil-socialorg"})',
         "overdue", "short"),
    ],
    "affairs": [
        ("Death reports recorded",
         'sum by (origin, outcome) (rate(civil_death_reports_total{job="civil-affairs"}[$__rate_interval]))',
         "{{origin}} {{outcome}}", "ops"),
    ],
    # report neither: the work summaries and targets it serves, by their calls.
    "report": [
        ("Work summaries produced this range, by outcome",
         'sum by (grpc_code) (increase(grpc_server_handled_total{job="civil-report",'
         'grpc_service="civil.report.v1.WorkSummaryService"}[$__range]))', "{{grpc_code}}", "short"),
        ("Work summary time p95 (each department asked within CIVIL_REPORT_DEPARTMENT_DEADLINE_MS)",
         'histogram_quantile(0.95, sum by (le) (rate(grpc_server_handling_seconds_bucket{job="civil-report",'
         'grpc_service="civil.report.v1.WorkSummaryService"}[$__rate_interval])))', "p95", "s"),
        ("Targets set, changed, removed this range",
         'sum by (grpc_method) (increase(grpc_server_handled_total{job="civil-report",grpc_code="OK",'
         'grpc_service="civil.report.v1.TargetService",grpc_method=~"CreateTarget|UpdateTarget|DeleteTarget"}[$__range]))',
         "{{grpc_method}}", "short"),
    ],
    "exchange": [
        ("Records other systems sent, by outcome",
         'sum by (kind, outcome) (increase(civil_exchange_records_total{job="civil-exchange"}[$__range]))',
         "{{kind}} {{outcome}}", "short"),
        ("Records by source system",
         'sum by (source) (rate(civil_exchange_records_total{job="civil-exchange"}[$__rate_interval]))',
         "{{source}}", "ops"),
        ("Subscription notifications sent, by outcome",
         'sum by (outcome) (rate(civil_exchange_notifications_total{job="civil-exchange"}[$__rate_interval]))',
         "{{outcome}}", "ops"),
    ],
}
# Components that read through the Redis cache, and those that consume other departments' events
# (the others export no such series: a panel for them would query nothing).
CACHED = {"assistance"}
CONSUMERS = {"assistance", "eldercare", "childwelfare", "affairs"}
KIT = ["assistance", "eldercare", "childwelfare", "governance", "socialorg", "affairs", "report",
       "exchange"]


class Board:
    def __init__(self, uid, title, tags, time_from="now-6h"):
        self.doc = {"uid": uid, "title": title, "tags": tags, "timezone": "Asia/Shanghai",
                    "schemaVersion": 37, "version": 1, "editable": False, "refresh": "30s",
                    "time": {"from": time_from, "to": "now"}, "panels": [],
                    "templating": {"list": []}, "annotations": {"list": []}}
        self.y = 0
        self.x = 0

    def row(self, title):
        if self.x:
            self.y += 8
            self.x = 0
        self.doc["panels"].append({"type": "row", "title": title, "collapsed": False,
                                   "id": len(self.doc["panels"]) + 1,
                                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.y += 1

    def panel(self, title, targets, unit="short", kind="timeseries", width=12):
        if self.x + width > 24:
            self.y += 8
            self.x = 0
        self.doc["panels"].append({
            "type": kind, "title": title, "id": len(self.doc["panels"]) + 1, "datasource": DS,
            "gridPos": {"h": 8, "w": width, "x": self.x, "y": self.y},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "targets": [{"refId": chr(ord("A") + i), "datasource": DS, "expr": expr,
                         "legendFormat": legend} for i, (expr, legend) in enumerate(targets)]})
        self.x += width

    def write(self, name):
        with open(os.path.join(HERE, "dashboards", name), "w") as out:
            json.dump(self.doc, out, indent=2, ensure_ascii=False)
            out.write("\n")


def golden(board, job):
    board.row("Golden signals")
    board.panel("Requests per second by method",
                [(f'civil:grpc_requests:rate5m{{job="{job}"}}', "{{grpc_method}}")], "reqps")
    board.panel("Server error ratio by method",
                [(f'civil:grpc_errors:ratio_rate5m{{job="{job}"}}', "{{grpc_method}}")], "percentunit")
    board.panel("p99 latency by method",
                [(f'civil:grpc_latency_seconds:p99_5m{{job="{job}"}}', "{{grpc_method}}")], "s")
    board.panel("Calls by status code",
                [(f'sum by (grpc_code) (rate(grpc_server_handled_total{{job="{job}"}}[$__rate_interval]))',
                  "{{grpc_code}}")], "reqps")
    board.panel("Up", [(f'up{{job="{job}"}}', "{{instance}}")], "short", "stat", 6)


def saturation(board, job):
    board.row("Saturation")
    board.panel("PostgreSQL pool connections",
                [(f'sum by (state) (civil_pool_connections{{job="{job}"}})', "{{state}}"),
                 (f'sum (civil_pool_max_connections{{job="{job}"}})', "max")], "short")
    board.panel("Callers waiting for a connection; timeouts; connect errors",
                [(f'sum (civil_pool_waiting{{job="{job}"}})', "waiting"),
                 (f'sum (rate(civil_pool_acquire_timeouts_total{{job="{job}"}}[$__rate_interval]))', "timeouts/s"),
                 (f'sum (rate(civil_pool_connect_errors_total{{job="{job}"}}[$__rate_interval]))', "connect errors/s")],
                "short")
    if job.removeprefix("civil-") not in CACHED:
        return
    board.panel("Cache lookups",
                [(f'sum by (result) (rate(civil_cache_requests_total{{job="{job}"}}[$__rate_interval]))',
                  "{{result}}")], "ops")


def events(board, job):
    board.row("Events")
    board.panel("Outbox lag",
                [(f'max (civil_outbox_lag_seconds{{job="{job}"}})', "oldest unpublished (s)"),
                 (f'sum (civil_outbox_lag_rows{{job="{job}"}})', "rows")], "short")
    targets = [(f'sum (rate(civil_events_published_total{{job="{job}"}}[$__rate_interval]))', "published")]
    if job.removeprefix("civil-") in CONSUMERS:
        targets += [
            (f'sum by (type) (rate(civil_events_consumed_total{{job="{job}"}}[$__rate_interval]))', "consumed {{type}}"),
            (f'sum by (type) (increase(civil_events_dead_lettered_total{{job="{job}"}}[$__range]))', "dead {{type}}")]
    board.panel("Events published, consumed, dead-lettered", targets, "ops")
    board.panel("Event delivery p99",
                [(f'histogram_quantile(0.99, sum by (le) (rate(civil_events_delivery_seconds_bucket{{job="{job}"}}[$__rate_interval])))',
                  "p99")], "s")


def component(name):
    job = f"civil-{name}"
    board = Board(f"civil-{name}", f"Civil · {name}", ["civil", name])
    golden(board, job)
    saturation(board, job)
    events(board, job)
    if BUSINESS[name]:
        board.row("Business")
        for title, expr, legend, unit in BUSINESS[name]:
            board.panel(title, [(expr, legend)], unit)
    board.write(f"{name}.json")


def gateway():
    board = Board("civil-gateway", "Civil · gateway", ["civil", "gateway"])
    board.row("Golden signals")
    board.panel("HTTP requests per second", [('job:civil_http_requests:rate5m', "{{job}}")], "reqps")
    board.panel("HTTP 5xx ratio", [('job:civil_http_errors:ratio_rate5m', "{{job}}")], "percentunit")
    board.panel("HTTP p99 latency", [('job:civil_http_latency_seconds:p99_5m', "{{job}}")], "s")
    board.panel("Requests by status",
                [('sum by (code) (rate(http_requests_total{job="civil-gateway"}[$__rate_interval]))', "{{code}}")],
                "reqps")
    board.panel("In flight", [('sum (http_requests_in_flight{job="civil-gateway"})', "in flight")])
    board.row("Protection")
    board.panel("Rate-limited requests",
                [('sum by (class) (rate(gateway_rate_limited_total{job="civil-gateway"}[$__rate_interval]))', "{{class}}")],
                "reqps")
    board.panel("Authentication rejections",
                [('sum by (reason) (rate(gateway_auth_rejections_total{job="civil-gateway"}[$__rate_interval]))', "{{reason}}")],
                "reqps")
    board.panel("Backend answers by gRPC code",
                [('sum by (grpc_code) (rate(gateway_backend_responses_total{job="civil-gateway"}[$__rate_interval]))', "{{grpc_code}}")],
                "reqps")
    board.panel("Calls sent again to another replica",
                [('sum (rate(gateway_backend_retries_total{job="civil-gateway"}[$__rate_interval]))', "retries/s")],
                "ops")
    board.panel("Redis reachable", [('gateway_redis_up{job="civil-gateway"}', "{{instance}}")], "short", "stat", 6)
    board.write("gateway.json")


def bureau():
    board = Board("civil-bureau", "Civil · the bureau (民政局)", ["civil", "bureau"], "now/M")
    board.row("This month")
    board.panel("Money paid this month by programme (yuan)",
                [('sum by (program) (increase(civil_payments_fen_total[$__range])) / 100', "{{program}}")],
                "currencyCNY", "bargauge", 12)
    board.panel("Payments this month by programme",
                [('sum by (program) (increase(civil_payments_total[$__range]))', "{{program}}"),
                 ('sum by (allowance) (increase(civil_monthly_run_payments_total[$__range]))', "{{allowance}}")],
                "short", "bargauge", 12)
    board.panel("Active caseload (cases being paid or served now)",
                [('sum by (department, programme) (civil_caseload_active)',
                  "{{department}} {{programme}}")],
                "short", "bargauge", 12)
    board.panel("Applications waiting, by the step they wait for",
                [('sum by (department, programme, step) (civil_cases_waiting)',
                  "{{department}} {{programme}} {{step}}")],
                "short", "table", 12)
    board.panel("Monthly runs in progress",
                [('assistance_disbursement_progress_ratio', "{{program}}"),
                 ('civil_monthly_run_progress_ratio', "{{job}} {{allowance}}")], "percentunit")
    board.row("Platform")
    board.panel("Events waiting in outboxes (oldest, s)",
                [('max by (job) (civil_outbox_lag_seconds)', "{{job}}")], "s")
    board.panel("Dead-lettered events this month",
                [('sum by (job, type) (increase(civil_events_dead_lettered_total[$__range]))', "{{job}} {{type}}")],
                "short", "table", 12)
    board.panel("Components up", [('up{job=~"civil-.*"}', "{{job}}")], "short", "stat", 12)
    board.panel("Server error ratio by component", [('job:civil_grpc_errors:ratio_rate5m', "{{job}}")], "percentunit")
    board.write("bureau.json")


def provisioning():
    with open(os.path.join(HERE, "provisioning", "datasources", "prometheus.yml"), "w") as out:
        out.write("# Written by deploy/grafana/generate.py.\napiVersion: 1\ndatasources:\n"
                  "  - name: Prometheus\n    uid: civil-prometheus\n    type: prometheus\n"
                  "    access: proxy\n    url: http://prometheus:9090\n    isDefault: true\n"
                  "    editable: false\n")
    with open(os.path.join(HERE, "provisioning", "dashboards", "civil.yml"), "w") as out:
        out.write("# Written by deploy/grafana/generate.py.\napiVersion: 1\nproviders:\n"
                  "  - name: civil\n    folder: Civil Affairs Platform\n    type: file\n"
                  "    disableDeletion: true\n    allowUiUpdates: false\n"
                  "    options:\n      path: /var/lib/grafana/dashboards\n")


def main():
    for name in KIT:
        component(name)
    gateway()
    bureau()
    provisioning()


if __name__ == "__main__":
    main()
