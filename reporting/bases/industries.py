"""Industries of the bases, read from what the units declared — never guessed.

The application carries the unit's 国民经济行业分类 code (GB/T 4754-2017, e.g. ``C3484``) and the
field of clause 3.2.1 (先进制造业 / 现代服务业); enterprises fill both, colleges and training
institutions neither. The Measures (clause 1) ask that the bases cover 支柱产业、新兴产业和传统优势产业
without listing them, so coverage is shown against the national classification: every section
(门类) of GB/T 4754-2017, and the divisions (大类) of manufacturing, where Shaoxing's industry lies.
Pure Python, no Django.
"""

from typing import Final

#: GB/T 4754-2017 门类.
SECTIONS: Final[dict[str, str]] = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}

#: GB/T 4754-2017 制造业大类 (C13–C43).
MANUFACTURING_DIVISIONS: Final[dict[str, str]] = {
    "13": "农副食品加工业",
    "14": "食品制造业",
    "15": "酒、饮料和精制茶制造业",
    "16": "烟草制品业",
    "17": "纺织业",
    "18": "纺织服装、服饰业",
    "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业",
    "21": "家具制造业",
    "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业",
    "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业",
    "26": "化学原料和化学制品制造业",
    "27": "医药制造业",
    "28": "化学纤维制造业",
    "29": "橡胶和塑料制品业",
    "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业",
    "32": "有色金属冶炼和压延加工业",
    "33": "金属制品业",
    "34": "通用设备制造业",
    "35": "专用设备制造业",
    "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业",
    "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业",
    "40": "仪器仪表制造业",
    "41": "其他制造业",
    "42": "废弃资源综合利用业",
    "43": "金属制品、机械和设备修理业",
}

UNDECLARED: Final = "未填报行业"


def section_of(code: str) -> str:
    """The 门类 letter of an industry code ("" when none was declared or it is not a 门类)."""
    letter = (code or "").strip()[:1].upper()
    return letter if letter in SECTIONS else ""


def industry_label(code: str) -> str:
    """The name the statistics group a base under: the manufacturing division when the code gives
    one ("制造业·纺织业"), else the section ("信息传输、软件和信息技术服务业"), else `UNDECLARED`."""
    section = section_of(code)
    if not section:
        return UNDECLARED
    division = (code or "").strip()[1:3]
    if section == "C" and division in MANUFACTURING_DIVISIONS:
        return f"制造业·{MANUFACTURING_DIVISIONS[division]}"
    return SECTIONS[section]
