"""Cookies: `set_cookie` and `delete_cookie` as they arrive on the wire, and `Cookie()` reading them back.

Set-Cookie headers are read raw (every header, in order) and parsed as RFC 6265
section 5.2 describes; a convenience client's cookie jar is never used, since
it would drop `Secure` cookies on plain http and hide attributes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from hypothesis import strategies as st

from harness.case import Case, Context
from harness.cookies import SetCookie, parse_set_cookie
from harness.errors import Unsupported
from harness.generated import draw, expect_all_kept

# What a meddling proxy puts in place of the client's Cookie header (the fault `set-request-header`).
INJECTED_COOKIES = "session=x; theme=dark; odd.name-v1=no; a=9"
DOC = "https://fastapi.tiangolo.com/advanced/response-cookies/"
PARAMS_DOC = "https://fastapi.tiangolo.com/tutorial/cookie-params/"
RFC = "https://www.rfc-editor.org/rfc/rfc6265#section-5.2"
DEFAULTS = {"path": "/", "samesite": "lax"}
SECOND = timedelta(seconds=1)
OUR_CLOCK = ("local", "inprocess")  # targets whose server reads this machine's clock


async def set_cookies(ctx: Context, path: str, body: Any) -> list[SetCookie]:
    cookies, _ = await set_cookies_timed(ctx, path, body)
    return cookies


async def set_cookies_timed(
    ctx: Context, path: str, body: Any
) -> tuple[list[SetCookie], tuple[datetime, datetime]]:
    """The cookies a POST sets, and the window of whole seconds in which the server made them."""
    sent = datetime.now(UTC)
    response = await ctx.request("POST", path, json=body)
    received = datetime.now(UTC)
    ctx.expect_equal("status", response.status_code, 200)
    raw = response.headers.get_list("set-cookie")
    ctx.observe("set-cookie.count", len(raw))
    return [parse_set_cookie(header) for header in raw], server_clock(ctx, response, sent, received)


def server_clock(
    ctx: Context, response: httpx.Response, sent: datetime, received: datetime
) -> tuple[datetime, datetime]:
    """When the server answered: between sending and receiving on this machine's clock when the
    server reads it too, else the second its Date header names (a Date is cached up to 1 s)."""
    if ctx.target.kind in OUR_CLOCK:
        return sent.replace(microsecond=0), received.replace(microsecond=0) + SECOND
    date = response.headers.get("date")
    if date is None:
        raise Unsupported("the target's clock is not this machine's, and its answer has no Date")
    server_now = http_date(ctx, date, "Date")
    return server_now - SECOND, server_now + SECOND


def only(ctx: Context, cookies: list[SetCookie]) -> SetCookie:
    ctx.expect_equal("set-cookie.count", len(cookies), 1)
    return cookies[0]


async def set_with(
    ctx: Context, kwargs: dict[str, Any], value: str, attributes: dict[str, Any]
) -> None:
    cookie = only(ctx, await set_cookies(ctx, "/cookies/set-with", kwargs))
    ctx.expect_equal("name", cookie.name, kwargs["key"])
    ctx.expect_equal("value", cookie.value, value)
    ctx.expect_equal("attributes", cookie.attributes, attributes)


def http_date(ctx: Context, raw: Any, what: str = "Expires") -> datetime:
    try:
        parsed = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError):
        parsed = None
    ctx.expect(
        parsed is not None and str(raw).endswith(" GMT"),
        f"{what} {raw!r} is not an HTTP date in GMT",
    )
    assert parsed is not None
    return parsed


async def expires_in(
    ctx: Context, kwargs: dict[str, Any], offset_s: int, attributes: dict[str, Any]
) -> None:
    cookies, (earliest, latest) = await set_cookies_timed(ctx, "/cookies/set-with", kwargs)
    cookie = only(ctx, cookies)
    expires = cookie.attributes.get("expires")
    ctx.expect(expires is not None, "no Expires attribute")
    offset = timedelta(seconds=offset_s)
    in_window = earliest + offset <= http_date(ctx, expires) <= latest + offset
    ctx.observe("expires.offset-ok", in_window)
    ctx.expect(
        in_window,
        f"Expires {expires} is not {offset_s} s after the response ({earliest:%H:%M:%S} to {latest:%H:%M:%S})",
    )
    others = {k: v for k, v in cookie.attributes.items() if k != "expires"}
    ctx.expect_equal("attributes", others, attributes)


async def round_trip(ctx: Context, value: str) -> None:
    cookie = only(
        ctx, await set_cookies(ctx, "/cookies/set-with", {"key": "session", "value": value})
    )
    ctx.observe("wire-value", cookie.value)
    response = await ctx.request(
        "GET", "/cookies/read", headers={"Cookie": f"session={cookie.value}"}
    )
    ctx.expect_equal("status", response.status_code, 200)
    ctx.expect_equal("read-back", ctx.json(response).get("session"), value)


async def generated_round_trips(ctx: Context, count: int, alphabet: str) -> None:
    values = draw(st.text(alphabet=alphabet, max_size=40), count, ctx.seed)
    failures = []
    for value in values:
        response = await ctx.request(
            "POST", "/cookies/set-with", json={"key": "session", "value": value}
        )
        raw = response.headers.get_list("set-cookie")
        if response.status_code != 200 or len(raw) != 1:
            failures.append(value)
            continue
        wire = parse_set_cookie(raw[0]).value
        back = await ctx.request("GET", "/cookies/read", headers={"Cookie": f"session={wire}"})
        if back.status_code != 200 or back.json().get("session") != value:
            failures.append(value)
    expect_all_kept(ctx, values, failures, "did not round-trip")


async def several(ctx: Context, names: list[str]) -> None:
    cookies = await set_cookies(
        ctx, "/cookies/set-many", [{"key": n, "value": f"v-{n}"} for n in names]
    )
    ctx.expect_equal("names", [c.name for c in cookies], names)
    ctx.expect_equal("values", [c.value for c in cookies], [f"v-{n}" for n in names])


async def delete(ctx: Context, kwargs: dict[str, Any], attributes: dict[str, Any]) -> None:
    cookies, (_, latest) = await set_cookies_timed(ctx, "/cookies/delete", kwargs)
    cookie = only(ctx, cookies)
    ctx.expect_equal("name", cookie.name, kwargs["key"])
    ctx.expect_equal("value", cookie.value, '""')
    ctx.expect_equal("max-age", cookie.attributes.get("max-age"), "0")
    expires = http_date(ctx, cookie.attributes.get("expires"))
    ctx.expect(expires <= latest, f"Expires {expires} is later than the response ({latest})")
    others = {k: v for k, v in cookie.attributes.items() if k not in ("expires", "max-age")}
    ctx.expect_equal("attributes", others, attributes)


async def read(
    ctx: Context, path: str, cookie_header: str | list[str] | None, expected: dict[str, Any]
) -> None:
    """GET `path` with one Cookie header, several (a list: one field each), or none."""
    fields = [cookie_header] if isinstance(cookie_header, str) else cookie_header or []
    response = await ctx.request("GET", path, headers=[("Cookie", field) for field in fields])
    ctx.expect_equal("status", response.status_code, 200)
    body = ctx.json(response)
    for key, value in expected.items():
        ctx.expect_equal(f"body.{key}", body.get(key), value)


def attribute_case(
    slug: str, kwargs: dict[str, Any], attributes: dict[str, Any], value: str = "v", what: str = ""
) -> Case:
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items() if k not in ("key", "value"))
    return Case(
        id=f"cookies.set.{slug}",
        description=f"A route calls `response.set_cookie('c', 'v'{', ' + args if args else ''})`.",
        expectation=what or f"One Set-Cookie with c=v and exactly the attributes {attributes}.",
        check=set_with,
        params={
            "kwargs": {"key": "c", "value": "v", **kwargs},
            "value": value,
            "attributes": attributes,
        },
        reference=DOC,
        caught_by=(
            "drop-header:set-cookie",
            "strip-cookie-attribute:samesite"
            if "samesite" in attributes
            else "strip-cookie-attribute:path",
        ),
    )


ATTRIBUTES = [
    ("max-age-0", {"max_age": 0}, {"max-age": "0", **DEFAULTS}),
    ("max-age-1", {"max_age": 1}, {"max-age": "1", **DEFAULTS}),
    ("max-age-3600", {"max_age": 3600}, {"max-age": "3600", **DEFAULTS}),
    ("max-age-one-year", {"max_age": 31536000}, {"max-age": "31536000", **DEFAULTS}),
    ("path-root", {"path": "/"}, DEFAULTS),
    ("path-subtree", {"path": "/cookies"}, {"path": "/cookies", "samesite": "lax"}),
    ("path-none", {"path": None}, {"samesite": "lax"}),
    ("domain", {"domain": "example.org"}, {"domain": "example.org", **DEFAULTS}),
    ("domain-leading-dot", {"domain": ".example.org"}, {"domain": ".example.org", **DEFAULTS}),
    ("secure", {"secure": True}, {"secure": True, **DEFAULTS}),
    ("secure-false", {"secure": False}, DEFAULTS),
    ("httponly", {"httponly": True}, {"httponly": True, **DEFAULTS}),
    ("httponly-false", {"httponly": False}, DEFAULTS),
    ("samesite-lax", {"samesite": "lax"}, DEFAULTS),
    ("samesite-strict", {"samesite": "strict"}, {"path": "/", "samesite": "strict"}),
    ("samesite-none", {"samesite": "none"}, {"path": "/", "samesite": "none"}),
    ("samesite-omitted", {"samesite": None}, {"path": "/"}),
    (
        "secure-samesite-none",
        {"secure": True, "samesite": "none"},
        {"path": "/", "secure": True, "samesite": "none"},
    ),
    (
        "httponly-secure-strict",
        {"httponly": True, "secure": True, "samesite": "strict"},
        {"path": "/", "httponly": True, "secure": True, "samesite": "strict"},
    ),
    (
        "all-attributes",
        {
            "max_age": 600,
            "path": "/app",
            "domain": "example.org",
            "secure": True,
            "httponly": True,
            "samesite": "strict",
        },
        {
            "max-age": "600",
            "path": "/app",
            "domain": "example.org",
            "secure": True,
            "httponly": True,
            "samesite": "strict",
        },
    ),
]

# A value the server must quote is caught by a proxy that strips quotes; one it sends as is,
# by a proxy that replaces the Cookie header.
STRIPPED = ("drop-header:set-cookie", "strip-cookie-quotes")
REPLACED = ("drop-header:set-cookie", f"set-request-header:cookie={INJECTED_COOKIES}")
DROPPED = ("drop-header:set-cookie",)
ROUND_TRIP_VALUES = [
    ("plain", "abc123", REPLACED),
    ("empty", "", DROPPED),
    ("space", "a b", DROPPED),
    ("double-quote", 'say "hi"', STRIPPED),
    ("semicolon", "a;b", STRIPPED),
    ("comma", "a,b", STRIPPED),
    ("backslash", "a\\b", STRIPPED),
    ("equals", "a=b=c", REPLACED),
    ("latin-1", "caf\u00e9", STRIPPED),
    ("json", '{"user": 1, "roles": ["a", "b"]}', STRIPPED),
]

CASES = [
    Case(
        id="cookies.set.defaults",
        description="A route calls `response.set_cookie(key, value)` with no other argument.",
        expectation="One Set-Cookie header with the name and value, Path=/ and SameSite=lax, and no other attribute.",
        check=set_with,
        params={
            "kwargs": {"key": "session", "value": "abc123"},
            "value": "abc123",
            "attributes": DEFAULTS,
        },
        reference=DOC,
        caught_by=("drop-header:set-cookie", "strip-cookie-attribute:samesite"),
    ),
    *(attribute_case(slug, kwargs, attributes) for slug, kwargs, attributes in ATTRIBUTES),
    Case(
        id="cookies.set.expires-seconds",
        description="`set_cookie('c', 'v', expires=3600)`: expires given as a number of seconds.",
        expectation="An Expires attribute holding the HTTP date (GMT) one hour from now, with the default Path and SameSite.",
        check=expires_in,
        params={
            "kwargs": {"key": "c", "value": "v", "expires": {"seconds": 3600}},
            "offset_s": 3600,
            "attributes": DEFAULTS,
        },
        reference=DOC,
        caught_by=(
            "drop-header:set-cookie",
            "strip-cookie-attribute:samesite",
            "strip-cookie-attribute:expires",
            "shift-cookie-expires:200",
        ),
    ),
    Case(
        id="cookies.set.expires-datetime",
        description="`set_cookie('c', 'v', expires=now + 1 day)`: expires given as a timezone-aware datetime.",
        expectation="An Expires attribute holding that instant as an HTTP date in GMT.",
        check=expires_in,
        params={
            "kwargs": {"key": "c", "value": "v", "expires": {"datetime_in": 86400}},
            "offset_s": 86400,
            "attributes": DEFAULTS,
        },
        reference=DOC,
        caught_by=(
            "drop-header:set-cookie",
            "strip-cookie-attribute:samesite",
            "strip-cookie-attribute:expires",
            "shift-cookie-expires:200",
        ),
    ),
    Case(
        id="cookies.set.expires-and-max-age",
        description="`set_cookie('c', 'v', max_age=60, expires=60)`: both lifetimes given.",
        expectation="Both Max-Age=60 and an Expires one minute from now are sent; the client gives Max-Age precedence.",
        check=expires_in,
        params={
            "kwargs": {"key": "c", "value": "v", "max_age": 60, "expires": {"seconds": 60}},
            "offset_s": 60,
            "attributes": {"max-age": "60", **DEFAULTS},
        },
        reference=RFC,
        caught_by=(
            "drop-header:set-cookie",
            "strip-cookie-attribute:samesite",
            "strip-cookie-attribute:expires",
            "shift-cookie-expires:200",
        ),
    ),
    *(
        Case(
            id=f"cookies.roundtrip.{slug}",
            description=f"The server sets a cookie whose value is {value!r}; the client sends it back exactly as received.",
            expectation="`Cookie()` reads back the original value: the quoting the server applied is undone on reading.",
            check=round_trip,
            params={"value": value},
            reference=PARAMS_DOC,
            caught_by=caught_by,
        )
        for slug, value, caught_by in ROUND_TRIP_VALUES
    ),
    Case(
        id="cookies.generated.printable-ascii",
        description="Set 40 Hypothesis-generated cookie values of printable ASCII (spaces, quotes, ';', ',', '\\' included), each sent back as received.",
        expectation="`Cookie()` reads back every original value exactly.",
        check=generated_round_trips,
        params={"count": 40, "alphabet": "".join(chr(c) for c in range(0x20, 0x7F))},
        reference=PARAMS_DOC,
        caught_by=("drop-header:set-cookie",),
    ),
    Case(
        id="cookies.generated.latin-1",
        description="Set 40 Hypothesis-generated cookie values mixing ASCII letters with Latin-1 letters (a-z, A-Z, U+00C0 to U+00FF).",
        expectation="The server escapes them for the header and `Cookie()` reads back every original value.",
        check=generated_round_trips,
        params={
            "count": 40,
            "alphabet": "abcxyzABCXYZ" + "".join(chr(c) for c in range(0xC0, 0x100)),
        },
        reference=PARAMS_DOC,
        caught_by=("drop-header:set-cookie",),
    ),
    *(
        Case(
            id=f"cookies.several.count-{len(names)}",
            description=f"A route calls `set_cookie` {len(names)} times on one response.",
            expectation="Each cookie arrives in its own Set-Cookie header, in the order they were set, none merged or lost.",
            check=several,
            params={"names": names},
            reference=DOC,
            caught_by=("drop-header:set-cookie", "merge-set-cookie"),
        )
        for names in (["a", "b"], ["first", "second", "third"], [f"c{n}" for n in range(10)])
    ),
    Case(
        id="cookies.delete.defaults",
        description="A route calls `response.delete_cookie('session')`.",
        expectation='Set-Cookie session="" with Max-Age=0 and an Expires no later than the response (expired at once), Path=/ and SameSite=lax.',
        check=delete,
        params={"kwargs": {"key": "session"}, "attributes": DEFAULTS},
        reference=DOC,
        caught_by=(
            "drop-header:set-cookie",
            "strip-cookie-attribute:samesite",
            "strip-cookie-attribute:expires",
            "shift-cookie-expires:200",
            "strip-cookie-quotes",
        ),
    ),
    Case(
        id="cookies.delete.path-and-domain",
        description="`response.delete_cookie('session', path='/app', domain='example.org')`.",
        expectation="The expiring Set-Cookie carries the same Path and Domain, so it replaces the cookie that was set with them.",
        check=delete,
        params={
            "kwargs": {"key": "session", "path": "/app", "domain": "example.org"},
            "attributes": {"path": "/app", "domain": "example.org", "samesite": "lax"},
        },
        reference=DOC,
        caught_by=(
            "drop-header:set-cookie",
            "strip-cookie-attribute:samesite",
            "strip-cookie-attribute:expires",
            "shift-cookie-expires:200",
            "strip-cookie-quotes",
        ),
    ),
    Case(
        id="cookies.delete.secure-httponly",
        description="`response.delete_cookie('session', secure=True, httponly=True, samesite='none')`.",
        expectation="The expiring Set-Cookie keeps Secure, HttpOnly and SameSite=none, as browsers require to replace such a cookie.",
        check=delete,
        params={
            "kwargs": {"key": "session", "secure": True, "httponly": True, "samesite": "none"},
            "attributes": {"path": "/", "secure": True, "httponly": True, "samesite": "none"},
        },
        reference=DOC,
        caught_by=(
            "drop-header:set-cookie",
            "strip-cookie-attribute:samesite",
            "strip-cookie-attribute:expires",
            "shift-cookie-expires:200",
            "strip-cookie-quotes",
        ),
    ),
    Case(
        id="cookies.read.present",
        description="GET a route with `session: str | None = Cookie(None)`, sending `Cookie: session=abc`.",
        expectation="The parameter holds 'abc'.",
        check=read,
        params={
            "path": "/cookies/read",
            "cookie_header": "session=abc",
            "expected": {"session": "abc"},
        },
        reference=PARAMS_DOC,
        caught_by=(f"set-request-header:cookie={INJECTED_COOKIES}",),
    ),
    Case(
        id="cookies.read.missing",
        description="GET a route with `session: str | None = Cookie(None)` and no Cookie header.",
        expectation="The parameter takes its default, None; no error.",
        check=read,
        params={
            "path": "/cookies/read",
            "cookie_header": None,
            "expected": {"session": None, "all": {}},
        },
        reference=PARAMS_DOC,
        caught_by=(f"set-request-header:cookie={INJECTED_COOKIES}",),
    ),
    Case(
        id="cookies.read.default-value",
        description="GET a route with `theme: str = Cookie('light')` and no Cookie header.",
        expectation="The parameter takes its declared default 'light'.",
        check=read,
        params={
            "path": "/cookies/read-default",
            "cookie_header": None,
            "expected": {"theme": "light"},
        },
        reference=PARAMS_DOC,
        caught_by=(f"set-request-header:cookie={INJECTED_COOKIES}",),
    ),
    Case(
        id="cookies.read.among-others",
        description="Send `Cookie: a=1; session=abc; b=2` to a route reading `session`.",
        expectation="The parameter holds 'abc' and every cookie of the header is parsed.",
        check=read,
        params={
            "path": "/cookies/read",
            "cookie_header": "a=1; session=abc; b=2",
            "expected": {"session": "abc", "all": {"a": "1", "session": "abc", "b": "2"}},
        },
        reference=PARAMS_DOC,
        caught_by=(f"set-request-header:cookie={INJECTED_COOKIES}",),
    ),
    Case(
        id="cookies.read.several-cookie-fields",
        description="Send two Cookie header fields, `a=1` and `session=abc` (as HTTP/2 clients and some proxies do).",
        expectation="Both fields are read as one cookie list (RFC 9113 8.2.3): session is 'abc' and a is '1'.",
        check=read,
        params={
            "path": "/cookies/read",
            "cookie_header": ["a=1", "session=abc"],
            "expected": {"session": "abc", "all": {"a": "1", "session": "abc"}},
        },
        reference="https://www.rfc-editor.org/rfc/rfc9113#section-8.2.3",
        caught_by=(f"set-request-header:cookie={INJECTED_COOKIES}",),
    ),
    Case(
        id="cookies.read.no-space-separator",
        description="Send `Cookie: a=1;session=abc` (no space after the semicolon).",
        expectation="The cookies are still split on ';': session is 'abc'.",
        check=read,
        params={
            "path": "/cookies/read",
            "cookie_header": "a=1;session=abc",
            "expected": {"session": "abc"},
        },
        reference=RFC,
        caught_by=(f"set-request-header:cookie={INJECTED_COOKIES}",),
    ),
    Case(
        id="cookies.read.alias-odd-name",
        description="GET a route with `Cookie(None, alias='odd.name-v1')`, sending `Cookie: odd.name-v1=yes`.",
        expectation="The aliased parameter holds 'yes': dots and dashes in a cookie name are kept.",
        check=read,
        params={
            "path": "/cookies/read-alias",
            "cookie_header": "odd.name-v1=yes",
            "expected": {"value": "yes"},
        },
        reference=PARAMS_DOC,
        caught_by=(f"set-request-header:cookie={INJECTED_COOKIES}",),
    ),
    Case(
        id="cookies.read.quoted-value",
        description='Send `Cookie: session="a b"` (a quoted value) to a route reading `session`.',
        expectation="The parameter holds the unquoted value 'a b'.",
        check=read,
        params={
            "path": "/cookies/read",
            "cookie_header": 'session="a b"',
            "expected": {"session": "a b"},
        },
        reference=PARAMS_DOC,
        caught_by=(f"set-request-header:cookie={INJECTED_COOKIES}",),
    ),
]
