"""What every route of the participants' server shares: app keys, the security headers, the secret check,
the device cookie and the per-device rate limit."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from facilitate.paths import assets_dir
from facilitate.session.journal import JournalError
from facilitate.session.session import Session

MAX_BODY_BYTES = 4096
COOKIE = "facilitate_device"
RATE_PER_SECOND = 5.0
RATE_BURST = 20.0
SESSION_KEY = web.AppKey("session", Session)
LIMITER_KEY = web.AppKey("limiter", "RateLimiter")
ORIGINS_KEY = web.AppKey("origins", frozenset)  # origins besides the request's own (--public-url)
logger = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RateLimiter:
    """A token bucket per device: a flood from one phone gets 429 and slows nobody else."""

    def __init__(self, rate: float = RATE_PER_SECOND, burst: float = RATE_BURST) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, now: float) -> bool:
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        return True


def error_response(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def plain_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Errors as short replies a phone can show: a full disk is 503 "try again", and a request that
    breaks a handler in a way nobody foresaw gets a plain 500 (never a traceback)."""
    try:
        response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        response = error_response(413, "That is too long to send: please shorten it")
    except web.HTTPException as exc:
        response = web.Response(status=exc.status, text=exc.reason) if exc.status >= 400 else exc
    except JournalError:
        response = error_response(503, "Your answer could not be saved just now: please try again")
    except (ConnectionResetError, asyncio.CancelledError):
        raise
    except Exception:
        logger.exception("phone server: unexpected error on %s %s", request.method, request.path)
        response = error_response(500, "Something went wrong on the facilitator's laptop: please try again")
    return response


async def security_headers_on_prepare(request: web.Request, response: web.StreamResponse) -> None:
    """The security headers on every reply the app sends (pages, errors, the event stream)."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if "/api/" in request.path or response.status >= 400:
        response.headers["Cache-Control"] = "no-store"


def refuse_cross_site(
    request: web.Request, allowed_origins: frozenset[str] = frozenset()
) -> web.Response | None:
    """A write from another site (or another port of the same address: a different origin) is refused.

    Browsers say where a request comes from: `Sec-Fetch-Site` (modern ones) and `Origin` (on every POST
    from a page). Scripts without a browser send neither; they get no cookie of a phone's either, since
    the cookie is HttpOnly and SameSite=Strict."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return error_response(403, "Answers are taken only from the workshop's own page")
    origin = request.headers.get("Origin")
    if origin is not None:
        own = f"{request.scheme}://{request.host}"
        if origin != own and origin not in allowed_origins:
            return error_response(403, "Answers are taken only from the workshop's own page")
    return None


def session_of(request: web.Request) -> Session:
    session = request.app[SESSION_KEY]
    if not hmac.compare_digest(request.match_info.get("secret", "").encode(), session.join_secret.encode()):
        raise web.HTTPNotFound()
    return session


def device_of(request: web.Request, session: Session) -> str | None:
    token = request.cookies.get(COOKIE)
    return token if token and session.has_device(token) else None


def set_device_cookie(response: web.StreamResponse, session: Session, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        path=f"/j/{session.join_secret}",
        httponly=True,
        samesite="Strict",
        max_age=7 * 24 * 3600,
    )


def notice_page(
    session: Session, key: str, status: int, *, refresh_seconds: int | None = None
) -> web.Response:
    """A small page with one sentence from the catalogue, for a phone that cannot have the workshop page
    (the workshop ended, the room is full for now). `refresh_seconds`: the page asks again by itself
    (a meta refresh: no script, so the page's strict CSP holds)."""
    from html import escape

    from facilitate.messages import language_of, translate

    locale = session.workshop.locale
    refresh = f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">' if refresh_seconds else ""
    body = (
        f'<!doctype html><html lang="{escape(language_of(locale))}"><meta charset="utf-8">{refresh}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(session.workshop.title)}</title>"
        f"<main><p>{escape(translate(locale, key))}</p></main></html>"
    )
    response = web.Response(status=status, text=body, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


def web_asset(request: web.Request, allowed: dict[str, str], *, cache: str = "no-store") -> web.Response:
    """One of a page's own files (script, style) from assets/web, by the name in the request's path.

    Only a name in `allowed` (name -> content type) is served: no path from a request ever reaches the
    file system. The caller has already checked the secret."""
    name = request.match_info["name"]
    if name not in allowed:
        raise web.HTTPNotFound()
    body = (assets_dir() / "web" / name).read_bytes()
    response = web.Response(body=body, content_type=allowed[name], charset="utf-8")
    response.headers["Cache-Control"] = cache
    return response
