"""Known deviations: the status a case is expected to have on some runs, with the reason why.

Files under `suites/expectations/` (or `--expectations PATH`) hold `[[expect]]` tables:

    case = "background.order.after-response"   # the case id, or a glob pattern of ids
    when = 'starlette < "0.28"'                # optional; clauses joined by " and ": a version
                                               # (fastapi, hypercorn...), server, config, http_version,
                                               # target, mode, stack, proxy, proxy_variant, or
                                               # `middleware contains "brotli_asgi"`
    status = "FAIL"                            # the expected status (FAIL or ERROR) ...
    message = "started before the response"    # ... optionally: the failure it expects (a regex)
    intermittent = "a task started before"     # ... or: a failure that may or may not happen (a regex)
    reason = "why this is so"
    link = "https://..."                       # where it is documented or discussed
    review = true                              # written by a tool, not yet reviewed by a person

Rules:
1. Of the reviewed entries whose case matches and whose `when` holds for the run, the first
   that names the failure seen applies (a case may fail for several known causes: a Starlette
   release and a server, say), else the first of them.
2. An expected FAIL or ERROR that happens (with a message matching `message`, when given) is
   XFAIL; a failure with another message stays FAIL; a case expected to fail that passes is XPASS.
3. An intermittent entry names the one failure it allows: a FAIL whose message matches it is
   XFAIL ("known intermittent"), a PASS stays PASS, any other outcome is unchanged. Never retried.
4. `middleware contains "X"` holds when X is part of the import path, the distribution or a
   class added by one of the stack's middleware; `contains` goes with `middleware` only.
5. An entry marked `review = true` never changes a status: the record notes that it matched,
   and the run's summary counts such records, until a person reviews the entry and drops the mark.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from fixtures_app.distributions import FRAMEWORK
from fixtures_app.distributions import SERVERS as SERVER_DISTRIBUTIONS
from harness.errors import UsageError
from harness.servers import server_of
from harness.status import ERROR, FAIL, PASS, XFAIL, XPASS

CLAUSE = re.compile(
    r'^\s*(?P<name>[a-z][a-z_-]*)\s*(?P<op>==|!=|<=|>=|<|>|contains)\s*"(?P<value>[^"]*)"\s*$'
)
KEYS = {"case", "when", "status", "message", "intermittent", "reason", "link", "review"}
VERSION_NAMES = {"python", *FRAMEWORK, *SERVER_DISTRIBUTIONS}
# condition name -> key of run_info["server"]: `server == "daphne"`, `config == "uvicorn:h11"`
SERVER_NAMES = {"server": "name", "config": "config", "http_version": "http_version"}
STACK_NAMES = {"stack", "proxy", "proxy_variant"}
LIST_NAMES = {"middleware"}
OTHER_NAMES = {"target", "mode", *SERVER_NAMES, *STACK_NAMES, *LIST_NAMES}
OPERATORS = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@dataclass(frozen=True)
class Expectation:
    case: str
    when: str
    status: str | None
    message: str
    intermittent: str
    reason: str
    link: str
    review: bool

    def holds(self, run_info: dict[str, Any]) -> bool:
        return all(clause_holds(clause, run_info) for clause in split_when(self.when))

    def allows(self, message: str) -> bool:
        """True when a failure with `message` is the one this entry names."""
        pattern = self.intermittent or self.message
        return not pattern or re.search(pattern, message) is not None

    def names(self, status: str, message: str) -> bool:
        """True when this entry expects a failure with this status and message."""
        expected = FAIL if self.intermittent else self.status
        return status == expected and self.allows(message)

    def as_dict(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"status": self.status, "reason": self.reason, "link": self.link}
        if self.message:
            shown["message"] = self.message
        if self.intermittent:
            shown["intermittent"] = self.intermittent
        if self.review:
            shown["review"] = True
        return shown


def split_when(when: str) -> list[str]:
    return [clause for clause in when.split(" and ") if clause.strip()] if when.strip() else []


def _value_of(name: str, run_info: dict[str, Any]) -> str | None:
    if name in VERSION_NAMES:
        value = run_info.get("versions", {}).get(name)
    elif name == "target":
        value = run_info.get("target", {}).get("kind")
    elif name == "mode":
        value = run_info.get("dependency_mode")
    elif name in SERVER_NAMES:
        value = server_of(run_info).get(SERVER_NAMES[name])
    elif name in STACK_NAMES:
        value = _stack_value(name, run_info.get("stack") or {})
    else:
        value = run_info.get(name)
    return None if value is None else str(value)


def _stack_value(name: str, stack: dict[str, Any]) -> Any:
    if name == "stack":
        return stack.get("name")
    proxy = stack.get("proxy") or {}
    return proxy.get("name") if name == "proxy" else proxy.get("variant")


def middleware_names(run_info: dict[str, Any]) -> list[str]:
    """Rule 4: what `middleware contains` looks in, entry by entry."""
    names = []
    for entry in (run_info.get("stack") or {}).get("middleware", []):
        names += [str(entry.get(kind)) for kind in ("class", "setup", "init") if entry.get(kind)]
        names += [str(entry["distribution"])] if entry.get("distribution") else []
        names += [str(added) for added in entry.get("added", [])]
    return names


def clause_holds(clause: str, run_info: dict[str, Any]) -> bool:
    match = CLAUSE.match(clause)
    if match is None:
        raise UsageError(f"expectation condition {clause!r} is not 'name op \"value\"'")
    name, op, expected = match["name"], match["op"], match["value"]
    if op == "contains":
        return any(expected in item for item in middleware_names(run_info))
    observed = _value_of(name, run_info)
    if observed is None:
        return False
    if name in VERSION_NAMES:
        return bool(OPERATORS[op](Version(observed), Version(expected)))
    return bool(OPERATORS[op](observed, expected))


def parse_entry(entry: dict[str, Any], source: Path) -> Expectation:
    unknown = set(entry) - KEYS
    where = f"{source}: expectation {entry.get('case')!r}"
    if unknown or "case" not in entry or "reason" not in entry:
        raise UsageError(
            f"{where} needs case and reason and knows only {sorted(KEYS)}; got {sorted(entry)}"
        )
    if ("status" in entry) == ("intermittent" in entry):
        raise UsageError(
            f"{where} needs exactly one of status and intermittent (the failure it allows, a regex)"
        )
    if entry.get("status") not in (None, FAIL, ERROR):
        raise UsageError(f"{where}: status {entry['status']!r} is not FAIL or ERROR")
    if "message" in entry and "intermittent" in entry:
        raise UsageError(f"{where}: message goes with status; intermittent is its own pattern")
    for key in ("message", "intermittent"):
        _check_pattern(entry.get(key, ""), f"{where}: {key}")
    expectation = Expectation(
        case=entry["case"],
        when=entry.get("when", ""),
        status=entry.get("status"),
        message=entry.get("message", ""),
        intermittent=entry.get("intermittent", ""),
        reason=entry["reason"],
        link=entry.get("link", ""),
        review=bool(entry.get("review", False)),
    )
    for clause in split_when(expectation.when):
        _check_clause(clause, where)
    return expectation


def _check_pattern(pattern: Any, where: str) -> None:
    if not isinstance(pattern, str):
        raise UsageError(f"{where} {pattern!r} is not a string (a regular expression)")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise UsageError(f"{where} {pattern!r} is not a regular expression: {exc}") from exc


def _check_clause(clause: str, where: str) -> None:
    match = CLAUSE.match(clause)
    if match is None or match["name"] not in VERSION_NAMES | OTHER_NAMES:
        raise UsageError(
            f"{where}: condition {clause!r} is not 'name op \"value\"' with a known name"
        )
    if (match["op"] == "contains") != (match["name"] in LIST_NAMES):
        raise UsageError(f"{where}: condition {clause!r}: contains goes with middleware only")
    if match["name"] in VERSION_NAMES:
        try:
            Version(match["value"])
        except InvalidVersion as exc:
            raise UsageError(f"{where}: {match['value']!r} is not a version") from exc


def load_expectations(path: Path) -> list[Expectation]:
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path] if path.exists() else []
    expectations = []
    for file in files:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{file} is not valid TOML: {exc}") from exc
        expectations += [parse_entry(entry, file) for entry in data.get("expect", [])]
    return expectations


def matching(
    expectations: list[Expectation],
    case_id: str,
    run_info: dict[str, Any],
    reviewed: bool = True,
    outcome: tuple[str, str] | None = None,
) -> Expectation | None:
    """The entry (reviewed ones, or else the unreviewed ones) that applies to this case and run:
    the first that names the failure `outcome` (status, message) when one does, else the first."""
    applicable = [
        e
        for e in expectations
        if e.review != reviewed and fnmatch.fnmatchcase(case_id, e.case) and e.holds(run_info)
    ]
    named = [e for e in applicable if outcome is not None and e.names(*outcome)]
    chosen = named or applicable
    return chosen[0] if chosen else None


def apply_expectation(
    record: dict[str, Any], expectations: list[Expectation], run_info: dict[str, Any]
) -> dict[str, Any]:
    """The record with its status judged against the reviewed expectation that applies, if any."""
    unreviewed = matching(expectations, record["id"], run_info, reviewed=False)
    if unreviewed is not None:
        record = {**record, "unreviewed_expectation": unreviewed.as_dict()}
    expectation = matching(
        expectations, record["id"], run_info, outcome=(record["status"], record["message"])
    )
    if expectation is None:
        return record
    record = {**record, "expected": expectation.as_dict()}
    outcome, message = record["status"], record["message"]
    if expectation.intermittent:
        if outcome == FAIL and expectation.allows(message):
            record.update(
                status=XFAIL, message=f"known intermittent ({expectation.reason}): {message}"
            )
        elif outcome == FAIL:
            record.update(
                message=f"{message} (the intermittent expectation allows only /{expectation.intermittent}/)"
            )
    elif outcome == expectation.status and expectation.allows(message):
        record.update(status=XFAIL, message=f"expected {outcome} ({expectation.reason}): {message}")
    elif outcome == expectation.status:
        record.update(message=f"{message} (expected a failure matching /{expectation.message}/)")
    elif outcome == PASS and expectation.status:
        record.update(
            status=XPASS,
            message=f"expected {expectation.status} ({expectation.reason}) but the case passed",
        )
    return record


def proposals(
    document: dict[str, Any], expectations: list[Expectation]
) -> tuple[list[dict[str, Any]], list[str]]:
    """New entries for the unexpected failures of a run, and notes on expectations it contradicts."""
    run_info = document["run_info"]
    version = run_info.get("versions", {}).get("fastapi", "0")
    entries, notes = [], []
    for record in document["results"]:
        status = record["status"]
        if status in (FAIL, ERROR) and matching(expectations, record["id"], run_info) is None:
            entries.append(
                {
                    "case": record["id"],
                    "when": f'fastapi == "{version}"',
                    "status": status,
                    "message": re.escape(record["message"][:80]),
                    "reason": f"REVIEW: {record['message']}",
                    "link": "",
                    "review": True,
                }
            )
        elif status == XPASS:
            notes.append(
                f"{record['id']} passed although an expectation says it fails: narrow or remove it"
            )
    return entries, notes


def to_toml(entry: dict[str, Any]) -> str:
    """One [[expect]] table; strings in TOML's basic form (JSON escapes are valid TOML)."""
    lines = ["[[expect]]"]
    for key, value in entry.items():
        rendered = ("true" if value else "false") if isinstance(value, bool) else json.dumps(value)
        lines.append(f"{key} = {rendered}")
    return "\n".join(lines) + "\n"


def append_proposals(path: Path, entries: list[dict[str, Any]]) -> None:
    """Append new entries to `path`, leaving everything already there, reasons included, untouched."""
    existing = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else "# Proposed by `python -m harness expectations`; review each entry.\n"
    )
    tables = "\n".join(to_toml(entry) for entry in entries)
    path.write_text(existing.rstrip("\n") + "\n\n" + tables, encoding="utf-8")
