"""The audit log page: an agency's admin reads its events with filters (pages never write it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from safetyhub.audit.permissions import may_read_audit_log
from safetyhub.audit.queries import AuditFilters, search_audit_log
from safetyhub.auth import service as auth_service
from safetyhub.auth.dependencies import DbSession
from safetyhub.errors import PermissionDenied
from safetyhub.organisations import service as organisations
from safetyhub.sharing.vocabulary import Purpose
from safetyhub.text import N_
from safetyhub.web.forms import FormErrors, list_links, page_or_results, parse_uuid
from safetyhub.web.session import SignedInUser

router = APIRouter(include_in_schema=False)

# The actions services record, in words; the filter offers these (the API takes any).
ACTIONS: dict[str, str] = {
    "read": N_("Read another agency's record"),
    "sign_in": N_("Signed in"),
    "add_user": N_("Added a user"),
    "deactivate_user": N_("Deactivated a user"),
    "draft_agreement": N_("Drafted a sharing agreement"),
    "sign_agreement": N_("Signed a sharing agreement"),
    "revoke_agreement": N_("Revoked a sharing agreement"),
    "create_person_record": N_("Recorded a person"),
    "create_place": N_("Added a place"),
    "create_incident": N_("Recorded an incident"),
    "open_case": N_("Opened a case"),
    "add_member_agency": N_("Added an agency to a case"),
    "add_subject": N_("Added a person to a case"),
    "attach_incident": N_("Attached an incident to a case"),
    "add_action": N_("Added a case action"),
    "complete_action": N_("Completed a case action"),
    "add_note": N_("Added a case note"),
    "close_case": N_("Closed a case"),
    "send_referral": N_("Sent a referral"),
    "accept_referral": N_("Accepted a referral"),
    "decline_referral": N_("Declined a referral"),
    "complete_referral": N_("Completed a referral"),
    "import_service_directory": N_("Imported the service directory"),
    "match_directory_partner": N_("Matched a listed service to a partner agency"),
    "add_organisation": N_("Added a partner agency"),
    "seed_synthetic_county": N_("Loaded the synthetic county"),
    "raise_alert": N_("Raised an alert"),
    "update_alert": N_("Updated an alert"),
    "train_linkage_model": N_("Trained the linkage model"),
    "run_linkage": N_("Ran record linkage"),
    "link_person_record": N_("Linked a person record"),
    "decide_linkage_pair": N_("Decided a linkage pair"),
    "complete_dash_assessment": N_("Completed a DASH risk checklist"),
    "refer_to_marac": N_("Referred to MARAC"),
    "add_case_review_recommendation": N_("Added a case review recommendation"),
    "complete_case_review_recommendation": N_("Completed a case review recommendation"),
    "open_problem": N_("Opened a problem"),
    "update_problem": N_("Updated a problem"),
    "add_problem_partner": N_("Added a partner agency to a problem"),
    "add_problem_place": N_("Added a place to a problem"),
    "remove_problem_place": N_("Removed a place from a problem"),
    "link_problem_incident": N_("Linked an incident to a problem"),
    "unlink_problem_incident": N_("Unlinked an incident from a problem"),
    "add_problem_action": N_("Added a problem action"),
    "update_problem_action": N_("Updated a problem action"),
    "create_conference": N_("Convened a case conference"),
    "invite_conference_agency": N_("Invited an agency to a case conference"),
    "record_conference_attendance": N_("Recorded attendance at a case conference"),
    "add_conference_item": N_("Added an item to a case conference agenda"),
    "add_conference_note": N_("Added a case conference note"),
    "add_conference_action": N_("Agreed a case conference action"),
    "update_conference_action": N_("Updated a case conference action"),
    "record_conference_minutes": N_("Recorded case conference minutes"),
    "close_conference": N_("Closed a case conference"),
    "create_meeting": N_("Created a partnership meeting"),
    "invite_to_meeting": N_("Invited organisations to a meeting"),
    "record_attendance": N_("Recorded attendance at a meeting"),
    "record_minutes": N_("Recorded a meeting's agenda or minutes"),
    "add_meeting_paper": N_("Added a meeting paper"),
    "record_decision": N_("Recorded a meeting decision"),
    "set_meeting_action_status": N_("Updated a meeting action"),
    "add_priority": N_("Added a priority of the agreement"),
    "make_commitment": N_("Recorded a commitment"),
    "set_commitment_status": N_("Updated a commitment's status"),
    "add_commitment_progress": N_("Added progress on a commitment"),
}

OBJECT_TYPES: dict[str, str] = {
    "user": N_("User"),
    "organisation": N_("Agency"),
    "sharing_agreement": N_("Sharing agreement"),
    "person_record": N_("Person record"),
    "place": N_("Place"),
    "incident": N_("Incident"),
    "case": N_("Case"),
    "case_action": N_("Case action"),
    "case_note": N_("Case note"),
    "referral": N_("Referral"),
    "problem": N_("Problem"),
}


@router.get("/audit")
def audit_log(
    request: Request,
    session: DbSession,
    user: SignedInUser,
    user_id: Annotated[str, Query(max_length=40)] = "",
    record: Annotated[str, Query(max_length=64)] = "",
    purpose: Annotated[str, Query(max_length=40)] = "",
    action: Annotated[str, Query(max_length=60)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """The agency's audit events, newest first, filtered by user, record, purpose or action."""
    actor = user.actor
    if not may_read_audit_log(actor):
        raise PermissionDenied(N_(
            "Only your agency's administrator can read its audit log."
        ))
    members = auth_service.list_users(session, actor=actor, organisation_id=user.organisation.id)
    errors = FormErrors()
    chosen_user = parse_uuid(user_id)
    if user_id and chosen_user is None:
        errors.add("user_id", N_("Choose a user from the list"))
    if purpose and purpose not in {p.value for p in Purpose}:
        errors.add("purpose", N_("Choose a purpose from the list"))
    chosen = {"user_id": user_id, "record": record, "purpose": purpose, "action": action}
    listing = None
    if not errors:
        filters = AuditFilters(user_id=chosen_user, object_id=record.strip() or None,
                               purpose=purpose or None, action=action or None)
        listing = search_audit_log(session, actor=actor, filters=filters, page=page)
    return page_or_results(
        request, "audit/log.html", "audit/_results.html", invalid=bool(errors),
        user=user, listing=listing, errors=errors,
        members=members, names={m.id: m.full_name for m in members},
        agencies={o.id: o.name for o in organisations.list_organisations(session)},
        chosen=chosen, purposes=[p.value for p in Purpose], actions=ACTIONS,
        object_types=OBJECT_TYPES,
        pagination=list_links(listing, "/audit", chosen) if listing else None,
    )
