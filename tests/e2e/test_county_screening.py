"""Clause 4.1 in the browser: 越城区 screens two applications, finance co-signs, the list reaches the city."""

import re
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Batch
from review.screening.models import Recommendation
from tests.applications.factories import PDF_BYTES
from tests.review.screening.conftest import make_screening_batch, make_submitted


def _logout(page):
    page.get_by_role("button", name="退出").click()


def test_county_screens_finance_cosigns_and_city_sees_the_list(page, login, demo):
    # Two units of 越城区 have handed in complete applications in a batch of their own, whose
    # submissions have closed.
    year = (Batch.objects.aggregate(last=Max("year"))["last"] or 2025) + 1
    batch = make_screening_batch(year=year)
    to_return = make_submitted(batch)
    to_recommend = make_submitted(batch, unit_type="enterprise")
    page.on("dialog", lambda dialog: dialog.accept())

    # County HRSS: the queue lists both, with their auto-check summary and the deadline.
    login("yuecheng_hrss")
    page.goto(f"{demo.url}/review/?batch={batch.pk}")
    expect(page.get_by_test_id("queue-row")).to_have_count(2)
    expect(page.get_by_test_id("countdown")).to_contain_text("剩余")

    # 1) Return the first one with a reason.
    page.get_by_test_id("queue-row").filter(has_text=to_return.unit.name).get_by_role(
        "link", name="初审"
    ).click()
    expect(page.get_by_role("heading", name=to_return.unit.name)).to_be_visible()
    decision = page.get_by_test_id("decision")
    decision.get_by_label("退回修改").check()
    decision.get_by_label("初审意见（告知申报单位）").fill("消防验收意见书不清晰，请重新上传。")
    decision.get_by_role("button", name="提交初审结论").click()
    expect(page.get_by_text("已作出初审结论：退回修改")).to_be_visible()

    # 2) Recommending before judging the declarations is refused, the opinion typed kept; each
    #    criterion's judgement sits beside its evidence, and all of it is saved in one go.
    page.get_by_test_id("queue-row").filter(has_text=to_recommend.unit.name).get_by_role(
        "link", name="初审"
    ).click()
    decision = page.get_by_test_id("decision")
    decision.get_by_label("推荐为候选单位").check()
    decision.get_by_label("初审意见（告知申报单位）").fill("先进制造业大型企业，条件齐备。")
    decision.get_by_role("button", name="提交初审结论").click()
    expect(page.get_by_test_id("decision-error")).to_contain_text("未作出判断")
    expect(page.get_by_test_id("decision-error")).to_be_focused()  # the error is where the user is
    expect(decision.get_by_label("初审意见（告知申报单位）")).to_have_value("先进制造业大型企业，条件齐备。")
    to_judge = page.locator('[data-testid="criterion"]:has(.judgement-fields)')
    assert to_judge.count() >= 5
    for index in range(to_judge.count()):
        criterion = to_judge.nth(index)
        expect(criterion.get_by_test_id("criterion-evidence")).to_contain_text("证明材料")
        criterion.get_by_label("确认符合").check()
    page.get_by_role("button", name="仅保存判断").click()
    expect(page.get_by_text("已保存条款判断。")).to_be_visible()
    expect(page.get_by_test_id("judged-count")).to_have_text(re.compile(r"已判断 (\d+) / \1"))
    decision = page.get_by_test_id("decision")
    decision.get_by_label("推荐为候选单位").check()
    decision.get_by_label("初审意见（告知申报单位）").fill("先进制造业大型企业，条件齐备。")
    decision.get_by_role("button", name="提交初审结论").click()
    expect(page.get_by_text("已作出初审结论：推荐为候选单位")).to_be_visible()

    # 3) The recommended unit is on the county's draft list already, its opinion prefilled.
    page.get_by_test_id("open-recommendation").click()
    expect(page.get_by_test_id("entry")).to_have_count(1)
    expect(page.get_by_test_id("entry")).to_contain_text(to_recommend.unit.name)
    # The returned unit may still resubmit until the screening deadline: the list has to wait, and
    # the page says why beside the disabled button.
    expect(page.get_by_role("button", name="提请财政会签")).to_be_disabled()
    expect(page.get_by_test_id("cosign-blockers")).to_contain_text(to_return.unit.name)
    expect(page.get_by_test_id("cosign-blockers")).to_contain_text("仍可重新提交")
    expect(page.get_by_test_id("recommendation-state")).to_have_text("编制中")
    # The deadline passes without a resubmission; now the list goes to finance.
    Batch.objects.filter(pk=batch.pk).update(screening_deadline=timezone.now() - timedelta(minutes=1))
    recommendation = Recommendation.objects.get(batch=batch, region__code="330602")
    page.goto(f"{demo.url}/review/recommendations/{recommendation.pk}/")  # not reload: it would re-post
    page.get_by_role("button", name="提请财政会签").click()
    expect(page.get_by_test_id("recommendation-state")).to_have_text("待财政会签")
    _logout(page)

    # County finance, screening alongside: an opinion on the recommended application, then the co-sign.
    login("yuecheng_finance")
    page.goto(f"{demo.url}/review/finance/?batch={batch.pk}")
    page.get_by_test_id("finance-row").filter(has_text=to_recommend.unit.name).get_by_role("link").click()
    page.get_by_label("财政部门意见").fill("职工教育经费足额提取，资金使用计划合理。")
    page.get_by_role("button", name="保存意见").click()
    expect(page.get_by_test_id("finance-row").filter(has_text=to_recommend.unit.name)).to_contain_text(
        "职工教育经费足额提取"
    )
    page.goto(f"{demo.url}/review/recommendations/")
    page.get_by_role("link", name="审核会签").first.click()
    page.get_by_label("会签意见（可选）").fill("经审核，同意推荐。")
    page.get_by_role("button", name="会签同意").click()
    expect(page.get_by_test_id("recommendation-state")).to_have_text("财政已会签")
    _logout(page)

    # County HRSS reports the list to the city; the letter is rendered.
    login("yuecheng_hrss")
    page.goto(f"{demo.url}/review/recommendations/{recommendation.pk}/")
    page.get_by_role("button", name="报送市人力社保局").click()
    expect(page.get_by_test_id("recommendation-state")).to_have_text("已报送市人力社保局")
    expect(page.get_by_test_id("timeline-entry")).to_have_count(3)
    expect(page.get_by_test_id("letter-number")).to_contain_text("越人社〔")
    # Once signed and stamped, the scan goes up for the city.
    page.get_by_label("推荐函盖章扫描件（PDF）").set_input_files(
        {"name": "推荐函（盖章）.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="上传扫描件").click()
    expect(page.get_by_text("已上传推荐函盖章扫描件")).to_be_visible()
    _logout(page)

    # The city sees 越城区's list in the overview, with the letter.
    login("city_hrss")
    page.goto(f"{demo.url}/review/city/?batch={batch.pk}")
    row = page.locator('[data-testid="county-row"][data-region="330602"]')
    expect(row.get_by_test_id("list-state")).to_have_text("已报送市人力社保局")
    expect(row.locator("td").nth(1)).to_have_text("2")  # received
    expect(row.locator("td").nth(2)).to_have_text("1")  # recommended
    expect(row.locator("td").nth(3)).to_have_text("1")  # returned
    with page.expect_download() as download_info:
        row.get_by_test_id("letter-link").click()
    download = download_info.value
    assert download.suggested_filename.endswith("推荐函.pdf")
    with open(download.path(), "rb") as letter:
        assert letter.read(4) == b"%PDF"
    expect(row.get_by_test_id("signed-scan-link")).to_be_visible()
