"""S3.6-b in everything derived from a secret document (issue 16): outside the document's scope its
title reads 「(涉密文件)」 in accountability records, print logs, supervision items, report
obligations, the timeline, its search and its export; a crawl of every admin page finds it nowhere."""

import datetime
import io

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from documents import services
from documents.models import PrintLog
from staffing.models import AccountabilityRecord
from tests.documents.conftest import people, registered  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SECRET = "关于干部考察人选的秘密通知"
D = datetime.date


@pytest.fixture
def secret_world(people, two_departments, official_calendar):  # noqa: F811
    """A 秘密 document scoped to the office's department only, circulated there and not handled in
    time (the sweep opens an accountability record), printed, supervised and reported on."""
    market, _ = two_departments
    document = registered(people, secrecy="secret", scope_departments=[market])
    document.title = SECRET
    document._history_user = people["office"].user
    document.save()
    services.document_circulate(document=document, user=people["office"].user, departments=[market], received_on=D(2026, 11, 2))
    assert services.sweep_circulation(today=D(2026, 11, 9)) == 1
    PrintLog.objects.create(staff=people["office"], what=f"{SECRET}(正文)", pages=3, document=document, purpose="公务")
    services.report_obligation_open(department=market, title="文件落实情况报告", due_date=D(2026, 12, 1), source=document)
    services.supervision_register(
        user=people["office"].user, title="督办落实", source="document", content="按文件要求落实", department=market,
        deadline=D(2026, 12, 10), origin=document,
    )
    return document


def text_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    return response.content.decode()


@pytest.fixture
def inspector_client(client, people):  # noqa: F811
    client.force_login(people["inspector"].user)
    return client


def test_the_sweep_does_not_copy_a_secret_title_into_the_accountability_record(secret_world):
    record = AccountabilityRecord.objects.get()
    assert SECRET not in record.description
    assert "(涉密文件)" in record.description


def test_the_accountability_list_its_search_and_its_page_hide_the_title(inspector_client, secret_world):
    record = AccountabilityRecord.objects.get()
    record.description = f"文件「{SECRET}」逾期未反馈(旧记录仍含标题)。"  # a record written before the fix
    record.save()
    listing = inspector_client.get(reverse("admin:staffing_accountabilityrecord_changelist"))
    assert listing.status_code == 200 and SECRET not in text_of(listing)
    assert "(涉密文件)" in text_of(listing)  # the 来源 column
    searched = inspector_client.get(reverse("admin:staffing_accountabilityrecord_changelist"), {"q": SECRET[:6]})
    assert SECRET not in text_of(searched) and searched.context["cl"].result_count == 0
    page = inspector_client.get(reverse("admin:staffing_accountabilityrecord_change", args=[record.pk]))
    assert page.status_code == 200 and SECRET not in text_of(page) and "(涉密文件)" in text_of(page)


@pytest.mark.parametrize("model", ["documents.PrintLog", "staffing.AccountabilityRecord", "documents.Circulation", "documents.SupervisionItem", "documents.ReportObligation"])
def test_timeline_rows_of_records_naming_the_document_hide_its_title(inspector_client, secret_world, model):
    response = inspector_client.get(reverse("history_timeline"), {"model": model})
    assert response.status_code == 200
    assert SECRET not in text_of(response)


def test_the_print_log_row_on_the_timeline_shows_the_mask(inspector_client, secret_world):
    response = inspector_client.get(reverse("history_timeline"), {"model": "documents.PrintLog"})
    assert response.context["entries"] and "(涉密文件)" in text_of(response)


def test_the_timeline_search_does_not_match_the_title(inspector_client, secret_world):
    response = inspector_client.get(reverse("history_timeline"), {"q": SECRET[2:9]})
    assert response.context["entries"] == [] and SECRET not in text_of(response)


def test_the_timeline_export_hides_the_title(inspector_client, secret_world):
    response = inspector_client.get(reverse("history_timeline_export"))
    assert response.status_code == 200
    exported = text_of(response)
    assert "文印登记" in exported and SECRET not in exported


def test_someone_inside_the_scope_still_reads_the_title(client, people, secret_world):  # noqa: F811
    from django.contrib.auth.models import Group

    from staffing import roles

    people["office"].user.groups.add(Group.objects.get(name=roles.INSPECTOR))
    client.force_login(people["office"].user)
    assert SECRET in text_of(client.get(reverse("history_timeline"), {"model": "documents.PrintLog"}))


def _pages(model, model_admin):
    opts = model._meta
    try:
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return
    for pk in model._default_manager.order_by("-pk").values_list("pk", flat=True)[:8]:
        for view in ("change", "history"):
            try:
                yield reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[pk])
            except NoReverseMatch:
                continue


def test_an_out_of_scope_inspector_finds_the_title_on_no_admin_page(inspector_client, secret_world):
    """Every changelist, change page and history page (the newest rows of each model), the index, the
    timeline (every record type), its search, its export and the inspection summary."""
    urls = ["/admin/", reverse("history_timeline"), reverse("history_timeline_export"), reverse("history_summary"), reverse("history_summary_export")]
    urls += [f"{reverse('history_timeline')}?q={SECRET[n:n + 4]}" for n in range(0, len(SECRET) - 4, 3)]
    urls += [f"{reverse('history_timeline')}?model={label}" for label in ("documents.Document", "documents.PrintLog", "documents.Circulation", "staffing.AccountabilityRecord", "documents.SupervisionItem", "documents.ReportObligation")]
    for model, model_admin in admin.site._registry.items():
        urls += list(_pages(model, model_admin))
    ct = ContentType.objects.get_for_model(type(secret_world))
    urls.append(f"{reverse('admin:staffing_accountabilityrecord_changelist')}?q={SECRET[:4]}")
    urls.append(f"{reverse('admin:documents_printlog_changelist')}?q={SECRET[:4]}")
    leaks, opened = [], 0
    for url in urls:
        response = inspector_client.get(url)
        if response.status_code != 200:
            continue
        opened += 1
        if SECRET in text_of(response):
            leaks.append(url)
    assert opened > 100, opened
    assert leaks == [], f"涉密文件标题出现在:{leaks}"
    assert ct  # the document's type exists: the scenario was built


def test_a_secret_incoming_documents_title_is_masked_on_the_timeline_and_its_circulations(client, people, two_departments, travel, official_calendar):  # noqa: F811
    """收文 are documents too: outside the scope of a secret one, its title reads 「(涉密文件)」."""
    from documents.services import incoming as incoming_services
    from tests.documents.test_incoming import MONDAY, register

    travel(MONDAY)
    market, police = two_departments
    title = "关于涉密人员审查的秘密来文"
    incoming = register(people, secrecy="secret", scope_departments=[market], title=title)
    incoming_services.incoming_propose(incoming=incoming, user=people["office"].user, proposal="拟请市场监管局办理。", leader=people["director"])
    incoming.refresh_from_db()
    incoming_services.incoming_decide(incoming=incoming, user=people["director"].user, decision="请市场监管局办理。", handle_departments=[market])
    client.force_login(people["inspector"].user)
    pages = [
        reverse("history_timeline"),
        reverse("history_timeline") + "?q=" + title[:6],
        reverse("admin:documents_circulation_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert title not in text_of(response), url
    client.force_login(people["drafter"].user)  # inside the scope: the title is there
    assert title in text_of(client.get(reverse("admin:documents_circulation_changelist")))
