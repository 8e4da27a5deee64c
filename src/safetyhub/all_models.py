"""Import every domain's models so the metadata is complete (for Alembic and tests)."""

from safetyhub.analytics.models import LsoaReference, PoliceCrime, PoliceCrimeImport
from safetyhub.audit.models import AuditEvent
from safetyhub.auth.models import AuthSession, SignInAttempt, User
from safetyhub.casereview.models import (
    CaseReview,
    CaseReviewAttendee,
    CaseReviewComplaint,
    CaseReviewRecommendation,
    PublicSubmission,
)
from safetyhub.cases.models import Case, CaseAction, CaseIncident, CaseMember, CaseNote, CaseSubject
from safetyhub.conferences.models import (
    Conference,
    ConferenceAction,
    ConferenceItem,
    ConferenceMember,
    ConferenceNote,
)
from safetyhub.dash.models import DashAnswer, DashAssessment
from safetyhub.db import Base
from safetyhub.incidents.models import Incident, IncidentParty
from safetyhub.linkage.models import (
    IdentityEvent,
    LinkageDecision,
    LinkageModelVersion,
    LinkageRun,
    LinkageTermFrequency,
    MatchCandidate,
)
from safetyhub.organisations.models import Organisation
from safetyhub.partnership.commitments.models import Commitment, CommitmentProgress, Priority
from safetyhub.partnership.meetings.models import (
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingDecision,
    MeetingInvitation,
)
from safetyhub.partnership.problems.models import (
    Problem,
    ProblemAction,
    ProblemIncident,
    ProblemPartner,
    ProblemPlace,
)
from safetyhub.people.models import Identity, IdentityLink, PersonRecord
from safetyhub.places.models import Place
from safetyhub.referrals.directory.models import (
    DirectoryLocation,
    DirectoryOrganization,
    DirectoryService,
    DirectoryServiceAtLocation,
    DirectoryTaxonomyTerm,
)
from safetyhub.referrals.models import Referral
from safetyhub.risk.models import Alert, AlertRecord, AlertRoute, AlertStateChange
from safetyhub.sharing.models import (
    AgreementCategory,
    AgreementParty,
    AgreementPurpose,
    SharingAgreement,
)

metadata = Base.metadata

__all__ = [
    "AgreementCategory", "AgreementParty", "AgreementPurpose", "Alert", "AlertRecord",
    "AlertRoute", "AlertStateChange", "AuditEvent", "AuthSession", "Case", "CaseAction",
    "CaseIncident", "CaseMember", "CaseNote", "CaseReview", "CaseReviewAttendee",
    "CaseReviewComplaint", "CaseReviewRecommendation", "CaseSubject", "Commitment",
    "CommitmentProgress", "Conference", "ConferenceAction", "ConferenceItem", "ConferenceMember",
    "ConferenceNote", "DashAnswer", "DashAssessment", "DirectoryLocation", "DirectoryOrganization",
    "DirectoryService", "DirectoryServiceAtLocation", "DirectoryTaxonomyTerm", "Identity",
    "IdentityEvent", "IdentityLink", "Incident", "IncidentParty", "LinkageDecision",
    "LinkageModelVersion", "LinkageRun", "LinkageTermFrequency", "LsoaReference", "MatchCandidate",
    "Meeting", "MeetingAction", "MeetingAttachment", "MeetingDecision", "MeetingInvitation",
    "Organisation", "PersonRecord", "Place", "PoliceCrime", "PoliceCrimeImport", "Priority",
    "Problem", "ProblemAction", "ProblemIncident", "ProblemPartner", "ProblemPlace",
    "PublicSubmission", "Referral", "SharingAgreement", "SignInAttempt", "User", "metadata",
]
