"""Demo of the publicity stage, through the services at the times the steps happened (`demo_clock`):

- the batch in publicity today: its notice was published three days ago and is open for objections
  now; one objection (with evidence) is under re-examination by a panel expert, another waits for
  city HRSS to assign it;
- the batch shown as concluded: its notice ran its seven days and closed, its one objection was
  dismissed, so the decision's seeder (order 50) can issue the decision.
"""

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from applications.enums import BatchState
from applications.models import Batch
from shaoxing_bases.accounts.models import User
from shaoxing_bases.core.demo import DemoBatchPlan, demo_batch_plans, demo_clock, register_demo

from .enums import PublicityState
from .models import Objection, Publicity
from .selectors import window_text
from .services import (
    ObjectionInput,
    PublicitySettings,
    objection_assign,
    objection_decide,
    objection_file,
    publicity_start,
    publicity_sweep,
)
from .services.publishing import DEFAULT_CONTACT

#: A one-page PDF the demo's objection carries as evidence (a real PDF: the upload check reads it).
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _day(moment: datetime, hour: int) -> datetime:
    return timezone.localtime(moment).replace(hour=hour, minute=0, second=0, microsecond=0)


def _publish(batch: Batch, when: datetime) -> Publicity:
    city_hrss = User.objects.get(username="city_hrss")
    with demo_clock(when):
        return publicity_start(
            batch=batch,
            actor=city_hrss,
            settings=PublicitySettings(starts_on=timezone.localtime(when).date(), **DEFAULT_CONTACT),
        )


def _file(
    publicity: Publicity,
    when: datetime,
    *,
    position: int,
    name: str,
    phone: str,
    reasons: str,
    evidence=False,
):
    entry = publicity.entries.order_by("position")[position]
    upload = (
        SimpleUploadedFile("培训台账照片说明.pdf", EVIDENCE_PDF, content_type="application/pdf")
        if evidence
        else None
    )
    with demo_clock(when):
        return objection_file(
            publicity=publicity,
            data=ObjectionInput(
                entry_id=entry.pk,
                name=name,
                phone=phone,
                organisation="",
                reasons=reasons,
                submission_key=f"00000000-0000-4000-8000-{publicity.pk:06d}{position:06d}",
            ),
            evidence=upload,
            client_ip="127.0.0.1",
        )


def _open_now(batch: Batch) -> Publicity:
    now = timezone.now()
    publicity = _publish(batch, _day(now - timedelta(days=3), 10))
    city_hrss = User.objects.get(username="city_hrss")
    first = _file(
        publicity,
        _day(now - timedelta(days=2), 15),
        position=0,
        name="周明",
        phone="13857500001",
        reasons="该单位申报材料中2025年度培训2600人次，据了解其中部分为重复计算的线上课程学员，实际线下实训人数明显偏少，请予核实。",
        evidence=True,
    )
    choices = {member.expert.user.username: member.expert.user for member in _reviewers(first)}
    reviewer = choices.get("expert1") or next(iter(choices.values()), None)
    with demo_clock(_day(now - timedelta(days=1), 9)):
        objection_assign(
            objection=first,
            actor=city_hrss,
            reviewer=reviewer,
            note="请核对培训台账与线上课程学员名单，3个工作日内提出意见。",
        )
    if publicity.entries.count() > 1:
        _file(
            publicity,
            _day(now, 8) if timezone.localtime(now).hour >= 9 else _day(now - timedelta(days=1), 20),
            position=1,
            name="陈丽",
            phone="13857500002",
            reasons="该单位合作企业名单中有两家企业已于今年注销，校企合作企业数量可能不足20家。",
        )
    return publicity


def _reviewers(objection: Objection):
    from .services import reviewer_choices

    return [member for member in reviewer_choices(objection) if member.expert and member.expert.user]


def _ran_and_closed(batch: Batch, plan: DemoBatchPlan) -> Publicity:
    start = _day(plan.scoring_deadline + timedelta(days=2), 10)
    publicity = _publish(batch, start)
    city_hrss = User.objects.get(username="city_hrss")
    objection = _file(
        publicity,
        start + timedelta(days=2, hours=5),
        position=0,
        name="孙强",
        phone="13857500003",
        reasons="听说该单位实训场地部分为租用，租期不足三年，不符合场地条件要求。",
    )
    with demo_clock(start + timedelta(days=3)):
        objection = objection_assign(
            objection=objection,
            actor=city_hrss,
            reviewer=None,
            note="市人力社保局会同区县人力社保局实地核查。",
        )
    with demo_clock(start + timedelta(days=5)):
        objection_decide(
            objection=objection,
            actor=city_hrss,
            upheld=False,
            findings="经会同区县人力社保局实地核查，该单位实训场地为自有产权，另有租赁场地租期五年，符合办法规定的场地条件，异议不成立。",
        )
    publicity.refresh_from_db()
    publicity_sweep(publicity.ends_at)  # what the minute sweep did when the window ended
    return publicity


@register_demo("publicity", order=40)
@transaction.atomic
def seed_demo_publicity() -> list[str]:
    lines = []
    for plan in demo_batch_plans():
        if plan.stage not in (BatchState.PUBLICITY, BatchState.CONCLUDED):
            continue
        batch = Batch.objects.filter(year=plan.year).first()
        if (
            batch is None
            or batch.state != BatchState.EXPERT_REVIEW
            or Publicity.objects.filter(batch=batch).exists()
        ):
            continue  # not seeded by the earlier stages, or published by an earlier run
        if not hasattr(batch, "panel") or batch.panel.state != "confirmed":
            continue
        publicity = _open_now(batch) if plan.stage == BatchState.PUBLICITY else _ran_and_closed(batch, plan)
        publicity.refresh_from_db()
        state = "公示中" if publicity.state == PublicityState.OPEN else publicity.get_state_display()
        lines.append(f"公示：{batch.title}（{window_text(publicity)}，{state}）")
    return lines
