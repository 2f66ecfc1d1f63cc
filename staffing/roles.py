"""The eight roles of DESIGN.md as groups, and which permissions each holds.

Patterns are `app_label.codename` with `*` wildcards. Later issues widen the policy as their models
arrive; `sync_roles` (run by a data migration and after every migrate) keeps the groups in step.
"""

from fnmatch import fnmatchcase

PROJECT_APPS = ("staffing", "registry", "casework", "meetings", "documents", "ratings", "bidding", "halls")

CENTER_ADMIN = "中心管理员"
MAIN_LEADER = "主要领导"
LEADER_IN_CHARGE = "分管领导"
WINDOW_HEAD = "窗口负责人"
WINDOW_STAFF = "窗口工作人员"
SECTION_HEAD = "股室负责人"
OFFICE_STAFF = "办公室人员"
INSPECTOR = "督查人员"

ALL_ROLES = (CENTER_ADMIN, MAIN_LEADER, LEADER_IN_CHARGE, WINDOW_HEAD, WINDOW_STAFF, SECTION_HEAD, OFFICE_STAFF, INSPECTOR)
# Device accounts, not people: the tablet at a window signs in as 窗口评价器 and may open only the
# rating pad page (R1.1).
RATING_PAD = "窗口评价器"
DEVICE_ROLES = (RATING_PAD,)

# Roles that read and act across all departments; everyone else is scoped to their own department
# (a leader in charge: also to the departments in their charge).
CENTER_WIDE_ROLES = (CENTER_ADMIN, MAIN_LEADER, OFFICE_STAFF, INSPECTOR)

_ORGANISATION_VIEW = [
    "staffing.view_department",
    "staffing.view_window",
    "staffing.view_staff",
    "staffing.view_post",
    "staffing.view_postsubstitute",
    "staffing.view_calendarday",
    "staffing.view_workinghours",
    "staffing.view_centersettings",
    # The halls (S1.1-f): where each window sits and what each hall's address and hours are.
    "halls.view_hall",
    # The item catalog is public: every role reads it to guide applicants (S1.6).
    "registry.view_*",
]

_CASEWORK_VIEW = ["casework.view_*"]
_WINDOW_WORK = _CASEWORK_VIEW + [
    "casework.add_case",
    "casework.change_case",
    "casework.add_consultation",
    "casework.change_consultation",
    "casework.change_casematerial",
    "casework.add_refusal",
    "casework.add_caseextension",
    "casework.change_jointopinion",
    "casework.add_reportupfollowup",
]
_LEADER_WORK = _CASEWORK_VIEW + ["casework.change_refusal", "casework.change_caseextension"]
# Oversight (S1.1-b/c, S1.8): the office registers complaints and keeps accountability and assessment
# records; leaders read them and score assessments.
_OVERSIGHT_OFFICE = [
    "casework.add_complaint",
    "casework.change_complaint",
    "staffing.view_accountabilityrecord",
    "staffing.change_accountabilityrecord",
    "staffing.view_assessment",
    "staffing.add_assessment",
    "staffing.change_assessment",
]
_OVERSIGHT_LEADER = ["staffing.view_accountabilityrecord", "staffing.view_assessment", "staffing.change_assessment"]
# 好差评 (R1.1–R1.6): everyone with casework reads the ratings and tickets of their scope; the handling
# unit's head visits back, rectifies, replies and appeals; the office records ratings taken by phone,
# imports the province's data, reviews tickets and decides appeals.
_RATINGS_VIEW = ["ratings.view_rating", "ratings.view_badratingticket", "ratings.view_tickettransition"]
_RATINGS_UNIT = _RATINGS_VIEW + ["ratings.handle_badratingticket"]
_RATINGS_OFFICE = _RATINGS_VIEW + [
    "ratings.add_rating",
    "ratings.import_rating",
    "ratings.review_badratingticket",
    "ratings.view_ratingsettings",
    "ratings.view_ratingpad",
]
# 招投标监督 (S1.1-g): the office registers the bidding events it supervises, their irregularities,
# files and steps; the leaders read them and their figures. Window staff have no part in it.
_BIDDING_VIEW = ["bidding.view_biddingevent", "bidding.view_irregularity", "bidding.view_biddingattachment"]
_BIDDING_OFFICE = [
    f"bidding.{action}_{model}" for model in ("biddingevent", "irregularity", "biddingattachment") for action in ("view", "add", "change")
] + ["bidding.delete_biddingattachment", "bidding.supervise_biddingevent", "bidding.view_biddingsettings"]

# Every member of staff asks for their own leave and overtime, records their own 开会/外出/出差 (the
# admin limits them to their own entries), reads the whereabouts board and the duty roster, and writes
# the log of their own duty shift (S1.10-b…d).
_SELF_SERVICE = [
    "staffing.view_leaverequest",
    "staffing.add_leaverequest",
    "staffing.view_overtimerequest",
    "staffing.add_overtimerequest",
    "staffing.view_whereabouts",
    "staffing.add_whereabouts",
    "staffing.change_whereabouts",
    "staffing.view_dutyshift",
    "staffing.view_dutylogentry",
    "staffing.add_dutylogentry",
]
# Approvers (leave: leaders; overtime: department heads) decide the step that names them; the
# chain, not the group, says whose turn it is. They also read their departments' attendance sheet.
_APPROVER = ["staffing.change_approval", "staffing.view_approvalrule", "staffing.view_clockpunch"]
# The office keeps attendance, whereabouts and the duty roster for the whole center (never deletes them:
# see EVIDENCE_MODELS).
_OFFICE_OPERATIONS = [
    f"staffing.{action}_{model}"
    for model in ("clockpunch", "whereabouts", "dutyshift", "dutylogentry")
    for action in ("view", "add", "change")
]
# Everyone sees meetings and books rooms (S3.4); the office runs meetings (S3.9).
_MEETINGS_COMMON = ["meetings.view_*", "documents.view_reportobligation", "meetings.add_roombooking"]
_MEETINGS_OFFICE = ["meetings.*", "documents.*"]
# Documents and office affairs (S3.6, S2, S3.1, S3.2, S3.7). Everyone reads documents — the secrecy
# scope still decides which ones each person lists and opens — and the supervision items of their
# department, keeps the office registers (calls, repairs, print log) and draws supplies. Department
# heads draft documents and ask for funds; leaders supervise and read the fund-use forms they approve.
# Inlines (lines, reminders, recipients) are shown with their parent record and need no permission.
_DOCUMENTS_COMMON = [
    "documents.view_document",
    "documents.view_documentcategory",
    "documents.view_circulation",
    # 收文 (S3.6-g): recipients read what they must read or handle; the secrecy scope still applies.
    "documents.view_incomingdocument",
    "documents.view_supervisionitem",
    "documents.view_supply",
    "documents.view_requisition",
    "documents.add_requisition",
    "documents.view_calllog",
    "documents.add_calllog",
    "documents.view_repairrequest",
    "documents.add_repairrequest",
    "documents.view_printlog",
    "documents.add_printlog",
]
_DOCUMENTS_HEAD = _DOCUMENTS_COMMON + ["documents.add_document", "documents.view_fundrequest", "documents.add_fundrequest"]
_DOCUMENTS_LEADER = _DOCUMENTS_COMMON + [
    "documents.view_fundrequest",
    "documents.add_supervisionitem",
    "documents.change_supervisionitem",
]

# Halls (S1.1-f): a hall's staff read their hall's inspections (scoped in halls.inspection_selectors); the
# head of the hall or of the department that runs it records rectifications; the office keeps the township
# guidance visits and imports township figures; leaders read all of it.
_HALLS_VIEW = ["halls.view_hall", "halls.view_hallinspection", "halls.view_inspectionfinding"]
_HALLS_HEAD = _HALLS_VIEW + ["halls.rectify_inspectionfinding"]
_HALLS_READ_ALL = ["halls.view_*"]
_HALLS_OFFICE = _HALLS_READ_ALL + [
    f"halls.{action}_{model}" for model in ("guidancevisit", "hallmonthfigures") for action in ("add", "change")
]
# S2.5 and its one exception: inspecting halls is the inspectors' own work. They record inspections and
# their findings, issue the notice and verify rectifications, but never write a rectification (the hall
# does) nor any other record.
INSPECTOR_OWN_WORK = [
    "halls.add_hallinspection",
    "halls.change_hallinspection",
    "halls.add_inspectionfinding",
    "halls.change_inspectionfinding",
    "halls.verify_inspectionfinding",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CENTER_ADMIN: [f"{app}.*" for app in PROJECT_APPS]
    + ["auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"]
    # The sign-in records, to lift a lock-out before its cool-off ends.
    + ["project.view_loginevent", "project.unlock_signin"]
    # The index sections per role (issue 17).
    + ["project.view_indexsection", "project.add_indexsection", "project.change_indexsection", "project.delete_indexsection"],
    MAIN_LEADER: _ORGANISATION_VIEW
    + _LEADER_WORK
    + _MEETINGS_COMMON
    + ["casework.add_appeal", "casework.change_appeal", "meetings.change_roombooking"]
    + _SELF_SERVICE
    + _APPROVER
    + _OVERSIGHT_LEADER
    + _DOCUMENTS_LEADER
    + _RATINGS_VIEW
    + _BIDDING_VIEW
    + _HALLS_READ_ALL,
    LEADER_IN_CHARGE: _ORGANISATION_VIEW
    + _LEADER_WORK
    + _MEETINGS_COMMON
    + _SELF_SERVICE
    + _APPROVER
    + _OVERSIGHT_LEADER
    + _DOCUMENTS_LEADER
    + _RATINGS_VIEW
    + _BIDDING_VIEW
    + _HALLS_READ_ALL,
    WINDOW_HEAD: _ORGANISATION_VIEW
    + _WINDOW_WORK
    + _MEETINGS_COMMON
    + _SELF_SERVICE
    + _APPROVER
    + _DOCUMENTS_HEAD
    + _RATINGS_UNIT
    + _HALLS_HEAD,
    WINDOW_STAFF: _ORGANISATION_VIEW
    + _WINDOW_WORK
    + _MEETINGS_COMMON
    + _SELF_SERVICE
    + _DOCUMENTS_COMMON
    + _RATINGS_VIEW
    + _HALLS_VIEW,
    SECTION_HEAD: _ORGANISATION_VIEW
    + _CASEWORK_VIEW
    + _MEETINGS_COMMON
    + _SELF_SERVICE
    + _APPROVER
    + _DOCUMENTS_HEAD
    + _RATINGS_VIEW
    + _HALLS_HEAD,
    OFFICE_STAFF: _ORGANISATION_VIEW
    + _CASEWORK_VIEW
    + _MEETINGS_OFFICE
    + ["staffing.add_calendarday", "staffing.change_calendarday", "casework.add_appeal", "casework.change_appeal"]
    + _SELF_SERVICE
    + _OFFICE_OPERATIONS
    + _OVERSIGHT_OFFICE
    + _RATINGS_OFFICE
    + _BIDDING_OFFICE
    + _HALLS_OFFICE,
    # S2.5: inspectors read everything and change nothing.
    INSPECTOR: ["*.view_*"] + INSPECTOR_OWN_WORK,
    RATING_PAD: ["ratings.use_ratingpad"],
}


# Records that are evidence: logs, registers, obligations, supervision, consultations, and every record
# with a lifecycle. Nobody deletes them, superusers included (the admin refuses: staffing.admin.base):
# a wrong entry is corrected, and its history keeps what it said; finished work is closed or archived.
# No role holds their delete permission, whatever its patterns say. docs/permissions.md has the table.
EVIDENCE_MODELS = frozenset(
    {
        "staffing.clockpunch",
        "staffing.whereabouts",
        "staffing.dutyshift",
        "staffing.dutylogentry",
        "staffing.leaverequest",
        "staffing.overtimerequest",
        "staffing.approval",
        "staffing.accountabilityrecord",
        "staffing.assessment",
        "casework.consultation",
        "casework.case",
        "casework.caseextension",
        "casework.refusal",
        "casework.appeal",
        "casework.jointopinion",
        "casework.reportupfollowup",
        "casework.complaint",
        "meetings.roombooking",
        "documents.calllog",
        "documents.repairrequest",
        "documents.printlog",
        "documents.reportobligation",
        "documents.supervisionitem",
        "documents.reminder",
        "documents.circulation",
        "documents.incomingdocument",
        "documents.circulationreminder",
        "documents.fundrequest",
        "documents.purchase",
        "documents.requisition",
        "documents.stockmovement",
        "project.loginevent",
        "ratings.rating",
        "ratings.badratingticket",
        "ratings.tickettransition",
        "bidding.biddingevent",
        "bidding.irregularity",
        "halls.hallinspection",
        "halls.inspectionfinding",
        "halls.guidancevisit",
        "halls.hallmonthfigures",
    }
)


def is_evidence(model) -> bool:
    return model._meta.label_lower in EVIDENCE_MODELS


def _grantable(app_label: str, codename: str, model_name: str) -> bool:
    return not (codename.startswith("delete_") and f"{app_label}.{model_name}" in EVIDENCE_MODELS)


def _matches(app_label: str, codename: str, patterns: list[str]) -> bool:
    key = f"{app_label}.{codename}"
    return any(fnmatchcase(key, pattern) for pattern in patterns)


def sync_roles(group_model, permission_model) -> None:
    """Create the eight groups (and the device roles) and set each one's permissions to exactly what the
    policy grants."""
    permissions = list(permission_model.objects.select_related("content_type"))
    for role in ALL_ROLES + DEVICE_ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = [
            p
            for p in permissions
            if _matches(p.content_type.app_label, p.codename, ROLE_PERMISSIONS[role])
            and _grantable(p.content_type.app_label, p.codename, p.content_type.model)
        ]
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, **kwargs):
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    # post_migrate is sent app by app (only to apps with models); by the last one every permission exists.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    sync_roles(Group, Permission)
