"""The application factory: JSON API under /api, pages at /, one error renderer per surface."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from safetyhub import __version__
from safetyhub.analytics.api import router as public_stats_router
from safetyhub.analytics.pages import router as picture_pages
from safetyhub.audit.api import router as audit_router
from safetyhub.audit.pages import router as audit_pages
from safetyhub.auth.admin_pages import router as users_pages
from safetyhub.auth.api import router as auth_router
from safetyhub.auth.pages import router as auth_pages
from safetyhub.casereview.api import router as case_reviews_router
from safetyhub.casereview.pages import router as case_reviews_pages
from safetyhub.cases.api import router as cases_router
from safetyhub.cases.pages import router as cases_pages
from safetyhub.conferences.api import router as conferences_router
from safetyhub.conferences.pages import router as conferences_pages
from safetyhub.config import get_settings
from safetyhub.dash.api import router as dash_router
from safetyhub.dash.pages import router as dash_pages
from safetyhub.db import session_factory
from safetyhub.errors import PayloadTooLarge, SafetyHubError, TooManyRequests
from safetyhub.incidents.api import router as incidents_router
from safetyhub.incidents.pages import router as incidents_pages
from safetyhub.linkage.api import router as linkage_router
from safetyhub.linkage.pages import router as linkage_pages
from safetyhub.organisations.api import router as organisations_router
from safetyhub.partnership.commitments.api import router as commitments_router
from safetyhub.partnership.commitments.pages import router as commitments_pages
from safetyhub.partnership.meetings.api import router as meetings_router
from safetyhub.partnership.meetings.pages import router as meetings_pages
from safetyhub.partnership.problems.api import router as problems_router
from safetyhub.partnership.problems.pages import router as problems_pages
from safetyhub.people.api import router as people_router
from safetyhub.people.pages import router as people_pages
from safetyhub.places.api import router as places_router
from safetyhub.places.pages import router as places_pages
from safetyhub.referrals.api import router as referrals_router
from safetyhub.referrals.directory import hsds
from safetyhub.referrals.directory.api import router as directory_router
from safetyhub.referrals.directory.pages import router as directory_pages
from safetyhub.referrals.pages import router as referrals_pages
from safetyhub.risk.api import router as alerts_router
from safetyhub.risk.pages import router as alerts_pages
from safetyhub.sharing.api import router as sharing_router
from safetyhub.sharing.pages import router as sharing_pages
from safetyhub.text import N_
from safetyhub.web import pages

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "web" / "static"
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


# Room for the multipart framing around an uploaded file.
MULTIPART_OVERHEAD = 64 * 1024


class BodySizeLimit:
    """Refuse request bodies over the configured size before the app reads them (413).

    Upload routes named in `larger` (path pattern -> bytes) get their own, larger limit; the
    route itself still checks the file against its type and size rules.
    """

    def __init__(self, app: ASGIApp, max_bytes: int,
                 larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = [(re.compile(pattern), limit) for pattern, limit in (larger or {}).items()]

    def limit_for(self, path: str) -> int:
        """The largest body this path accepts."""
        return next((limit for pattern, limit in self.larger if pattern.fullmatch(path)),
                    self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > max_bytes:
                await self._refuse(scope, receive, send, max_bytes)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise PayloadTooLarge(f"The request body is over {max_bytes} bytes.")
            return message

        await self.app(scope, limited_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
        detail = f"The request body is over {max_bytes} bytes."
        response = problem(413, PayloadTooLarge.title, detail)
        await response(scope, receive, send)


def create_app(factory: sessionmaker[Session] | None = None) -> FastAPI:
    """Build the SafetyHub app; `factory` overrides the database sessions (tests)."""
    settings = get_settings()
    app = FastAPI(
        title="SafetyHub",
        version=__version__,
        description="Multi-agency Community Safety Partnership API. Reading another agency's "
        "data needs the X-Purpose header; every such read is audited.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served below from the vendored Swagger UI (no CDN)
        redoc_url=None,
    )
    app.state.session_factory = factory or session_factory()

    for router in (
        auth_router, organisations_router, people_router, places_router, incidents_router,
        cases_router, referrals_router, sharing_router, audit_router, linkage_router,
        case_reviews_router, dash_router, alerts_router, public_stats_router, meetings_router,
        commitments_router, problems_router, conferences_router, directory_router,
    ):
        app.include_router(router, prefix="/api")
    app.include_router(auth_pages)
    app.include_router(pages.router)
    for page_router in (
        people_pages, places_pages, incidents_pages, cases_pages, referrals_pages,
        sharing_pages, audit_pages, users_pages, linkage_pages, case_reviews_pages, dash_pages,
        alerts_pages, picture_pages, meetings_pages, commitments_pages, problems_pages,
        conferences_pages, directory_pages,
    ):
        app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> Response:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="SafetyHub API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    @app.exception_handler(SafetyHubError)
    async def safetyhub_error(request: Request, exc: SafetyHubError) -> Response:
        headers = {}
        if isinstance(exc, TooManyRequests):
            headers["Retry-After"] = str(exc.retry_after_seconds)
        if _is_api(request):
            response = problem(exc.status, exc.title, exc.detail, errors=exc.errors)
            response.headers.update(headers)
            return response
        return pages.error_page(request, exc.status, exc.title, exc.detail, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        # Never echo the input back: it may be huge or hostile.
        errors = [
            {"loc": [str(part) for part in err.get("loc", ())], "msg": err.get("msg", ""),
             "type": err.get("type", "")}
            for err in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5])
        if _is_api(request):
            return problem(422, N_("Invalid input"), detail, errors=errors)
        return pages.error_page(request, 422, N_("Invalid input"), detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = {404: N_("Not found"), 405: N_("Method not allowed")}.get(
            exc.status_code, N_("Error")
        )
        detail = (
            N_("There is nothing at this address.") if exc.status_code == 404 else str(exc.detail)
        )
        if _is_api(request):
            return problem(exc.status_code, title, detail)
        return pages.error_page(request, exc.status_code, title, detail)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        detail = N_("Something went wrong on our side. Nothing was saved. Try again.")
        if _is_api(request):
            return problem(500, N_("Server error"), detail)
        return pages.error_page(request, 500, N_("Server error"), detail)

    paper_upload = settings.meeting_attachment_max_bytes + MULTIPART_OVERHEAD
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes, larger={
        r"(/api)?/partnership/meetings/[^/]+/papers": paper_upload,
        r"(/api)?/services/import": hsds.MAX_IMPORT_BYTES + MULTIPART_OVERHEAD,
    })
    return app
