"""The score sheet page and the report downloads over real HTTP: the totals at every
level equal /diem's and the .docx result table's; the appendix, Biểu mẫu 1 and the
draft come from /baocao's functions, read back with python-docx and openpyxl, with an
RFC 6266 name; an officer gets their unit's, a leader and a viewer the commune's,
nobody another commune's."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from docx import Document
from openpyxl import load_workbook

from handlers.messages import Attachment
from models.plan_store import find_organization
from models.scores import ScoreSheet
from tests.conftest import BACKENDS
from tests.harness import ORG, text_of
from tests.score_sheet import sheet_docx, sheet_rows
from tests.web_support import Site, follow_other_commune

ROW = re.compile(
    r'<tr class="l\d" data-ref="([^"]+)">.*?data-col="max">([^<]*)</td>\s*'
    r'<td class="n" data-col="self">([^<]*)</td>\s*<td class="n" data-col="confirmed">([^<]*)</td>',
    re.S,
)


async def scored(site: Site) -> None:
    """The sheet imported, three items proposed, one confirmed (as test_scores does)."""
    bot = site.bot
    await bot.register("trinh", "admin")
    await bot.say("trinh", "/nhap")
    said = text_of(await bot.say("trinh", attachment=Attachment("bang-diem.docx", sheet_docx(sheet_rows(filled=False)))))
    assert "Đã nhập bảng điểm" in said, said
    await bot.register("minh", "officer", "Trung tâm Phục vụ hành chính công")
    await bot.say("minh", "/diem 1.1 đạt 1 điểm, Công khai đầy đủ tại bộ phận một cửa")
    await bot.say("minh", "/diem 4.3 tự chấm 3,5 Số hóa đạt 80%")
    await bot.say("lan", "/diem 7.1 5 Không có cán bộ bị kỷ luật")
    await bot.say("trinh", "/chamdiem 4.3 3 chưa đủ minh chứng")


def page_rows(html: str) -> list[tuple[str, str, str]]:
    return [(m.group(2), m.group(3), m.group(4)) for m in ROW.finditer(html)]


async def org_path(site: Site) -> str:
    home = await site.client.get("/web/", allow_redirects=False)
    return home.headers["Location"]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_the_score_page_adds_up_as_diem_and_the_docx(site: Site) -> None:
    await scored(site)
    await site.sign_in("hung")
    commune = await org_path(site)
    page = await site.client.get(commune + "/diem")
    html = await page.text()
    assert page.status == 200
    figures = text_of(await site.bot.say("hung", "/diem"))
    total = re.search(r"Tự đánh giá: [^\n]+", figures).group(0)
    assert total == "Tự đánh giá: 9/100 điểm (3/22 mục đã báo cáo)."
    assert f'data-figure="score-total">{total}</p>' in html
    # Every row, "Tổng" first, equals the result table /baocao diem sends.
    replies = await site.bot.say("trinh", "/baocao diem")
    table = Document(BytesIO(replies[0].document.data)).tables[1]
    want = [(r.cells[2].text, r.cells[7].text, r.cells[8].text) for r in table.rows[1:]]
    assert page_rows(html) == want and len(want) > 22
    # A criterion's standing total is /diem's line for it.
    criterion = re.search(r"^• II\. .*: (\S+)/(\S+)$", figures, re.M)
    rows = {m.group(1): (m.group(2), m.group(3), m.group(4)) for m in ROW.finditer(html)}
    assert rows["II"][0] == criterion.group(2) and rows["II"][2] == criterion.group(1) == "3"
    assert rows["4.3"] == ("4", "3,5", "3") and rows["total"][1] == "9,5"
    assert 'data-figure="unreported">19<' in html
    # An officer: the whole sheet, their units' unreported items (as /diem).
    site.client.session.cookie_jar.clear()
    await site.sign_in("lan")
    mine = await (await site.client.get(commune + "/diem")).text()
    assert page_rows(mine) == want
    assert "Phòng Văn hóa - Xã hội: 5/" in mine and 'data-unit="Trung tâm Phục vụ hành chính công"' not in mine


async def test_an_older_sheet_is_one_link_away(site: Site) -> None:
    await scored(site)
    async with site.bot.sessions() as session, session.begin():
        org = await find_organization(session, ORG)
        session.add(ScoreSheet(organization_id=org.id, title="Bảng điểm năm 2025", period="nam", year=2025,
                               max_points=Decimal(100), imported_at=site.bot.clock.now()))  # fmt: skip
    await site.sign_in("hung")
    commune = await org_path(site)
    html = await (await site.client.get(commune + "/diem")).text()
    assert '<a href="?ky=nam&amp;nam=2025">Cả năm 2025</a>' in html
    older = await (await site.client.get(commune + "/diem", params={"ky": "nam", "nam": "2025"})).text()
    assert "Bảng điểm năm 2025" in older and '?ky=6thang&amp;nam=2026' in older


async def test_the_score_page_asks_for_the_grants(site: Site) -> None:
    await scored(site)
    assert (await site.client.get("/web/xa/1/diem")).status == 401  # no session
    await site.sign_in("mai")  # a viewer of the commune
    commune = await org_path(site)
    assert (await site.client.get(commune + "/diem")).status == 200
    other = await follow_other_commune(site.bot, "hung")
    assert (await site.client.get(f"/web/xa/{other}/diem")).status == 404
    assert (await site.client.get("/web/xa/99x/diem")).status == 404


def disposition_name(header: str) -> str:
    assert header.startswith("attachment; filename=\"")
    found = re.search(r"filename\*=UTF-8''(\S+)$", header)
    assert found, header
    return unquote(found.group(1))


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_leader_downloads_the_appendix_the_form_and_the_draft(site: Site) -> None:
    await site.bot.say("lan", "/capnhat 1 Đã ban hành Kế hoạch số 22/KH-UBND ngày 02/01/2026")
    await site.sign_in("hung")
    commune = await org_path(site)
    form = await (await site.client.get(commune + "/baocao")).text()
    assert 'method="get"' in form and 'value="quy1"' in form and 'name="loai"' in form
    answer = await site.client.get(commune + "/tai", params={"ky": "quy1", "loai": "phuluc"})
    assert answer.status == 200, await answer.text()
    assert answer.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    name = disposition_name(answer.headers["Content-Disposition"])
    assert name.startswith("ket-qua-cchc-") and name.endswith("-quy1-2026.docx")
    document = Document(BytesIO(await answer.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "PHỤ LỤC 01" in text and "Biểu mẫu 1" in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("Kế hoạch số 22/KH-UBND" in c for c in cells)
    # The same file as /baocao quy1 in the chat.
    chat = await site.bot.say("hung", "/baocao quy1")
    files = [r.document for r in chat if r.document]
    assert files[0].filename == name
    excel = await site.client.get(commune + "/tai", params={"ky": "quy1", "loai": "excel"})
    book = load_workbook(BytesIO(await excel.read()))
    assert disposition_name(excel.headers["Content-Disposition"]).endswith(".xlsx") and len(book.sheetnames) >= 2
    draft = await site.client.get(commune + "/tai", params={"ky": "6thang", "loai": "baocao"})
    assert draft.status == 200
    assert disposition_name(draft.headers["Content-Disposition"]).startswith("bao-cao-cchc-")
    words = "\n".join(p.text for p in Document(BytesIO(await draft.read())).paragraphs)
    assert "BÁO CÁO" in words.upper()


async def test_each_person_gets_the_report_of_their_scope(site: Site) -> None:
    await site.sign_in("lan")  # an officer: her unit's appendix, named as her unit's
    commune = await org_path(site)
    answer = await site.client.get(commune + "/tai", params={"ky": "nam", "loai": "phuluc"})
    assert answer.status == 200
    name = disposition_name(answer.headers["Content-Disposition"])
    assert "phong-van-hoa-xa-hoi" in name and name.endswith("-nam-2026.docx")
    site.client.session.cookie_jar.clear()
    await site.sign_in("mai")  # a viewer: the commune's
    answer = await site.client.get(commune + "/tai", params={"ky": "nam", "loai": "phuluc"})
    name = disposition_name(answer.headers["Content-Disposition"])
    assert answer.status == 200 and "phong-van-hoa" not in name
    other = await follow_other_commune(site.bot, "hung")  # never another commune's
    assert (await site.client.get(f"/web/xa/{other}/tai", params={"ky": "nam"})).status == 404
    assert (await site.client.get(f"/web/xa/{other}/baocao")).status == 404
    site.client.session.cookie_jar.clear()
    assert (await site.client.get(commune + "/tai", params={"ky": "nam"})).status == 401
