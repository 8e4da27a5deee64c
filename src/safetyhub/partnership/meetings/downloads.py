"""Sending a meeting paper back: always as an attachment, with a safe name, never sniffed."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response

from safetyhub.partnership.meetings.models import MeetingAttachment
from safetyhub.partnership.meetings.papers import safe_filename


def paper_response(paper: MeetingAttachment) -> Response:
    """The paper's bytes with Content-Disposition: attachment (so a browser never renders it)."""
    name = safe_filename(paper.filename)
    disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        content=paper.content, media_type=paper.content_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
                 "Cache-Control": "no-store",
                 "Content-Security-Policy": "default-src 'none'; sandbox"},
    )
