"""Write the sample ledgers beside this file (run it again after changing the rows).

``stations.xlsx`` mixes good rows with the mistakes editors make; ``stations-good.csv`` holds only
the good rows, saved as GB18030 the way Excel in China saves a CSV. Both fit tests/data/content.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
COLUMNS = ("名称", "类型", "街道", "地址", "经度", "纬度", "坐标系", "开放时间", "电话", "服务设施")

GOOD = [
    # Same name and street as bantian-care-01: an update (new address, one amenity more).
    [
        "坂田全天候驿站",
        "爱心驿站",
        "坂田街道",
        "深圳市龙岗区坂田街道岗头社区雪岗路 8 号",
        114.04935,
        22.63762,
        "WGS-84",
        "mon-sun 00:00-24:00",
        "0755-28750315",
        "饮水、热饭、充电、如厕、休息、上网",
    ],
    # Exactly what longcheng-home-01 holds: unchanged.
    [
        "龙城职工之家",
        "职工之家",
        "龙城街道",
        "深圳市龙岗区龙城街道中心城区",
        114.247,
        22.72,
        "WGS-84",
        "mon-fri 09:00-18:00; sat-sun closed",
        "0755-28900000",
        "饮水、阅读、法律咨询、上网",
    ],
    # New, with coordinates copied from AMap (GCJ-02), keys and labels mixed, "布吉" without 街道.
    [
        "布吉街道草埔社区爱心驿站",
        "care-station",
        "布吉",
        "深圳市龙岗区布吉街道草埔社区",
        114.1234,
        22.6123,
        "高德",
        "mon-sat 07:00-21:00\nsun closed",
        "0755-12345678",
        "饮水,充电;toilet",
    ],
    # New, no 坐标系: the command's --crs applies.
    [
        "横岗律师驻点",
        "律师驻点",
        "横岗街道",
        "深圳市龙岗区横岗街道六约社区",
        114.2101,
        22.6432,
        "",
        "mon-fri 09:00-17:00",
        "",
        "法律咨询",
    ],
]
BAD = [
    [
        "平湖纬度错误驿站",
        "爱心驿站",
        "平湖街道",
        "深圳市龙岗区平湖街道",
        114.12,
        222.1,
        "WGS-84",
        "mon-sun 08:00-20:00",
        "",
        "饮水",
    ],
    [
        "坪地未知类型驿站",
        "工人文化站",
        "坪地街道",
        "深圳市龙岗区坪地街道",
        114.30,
        22.77,
        "WGS-84",
        "mon-sun 08:00-20:00",
        "",
        "饮水",
    ],
    [
        "",
        "爱心驿站",
        "宝龙街道",
        "深圳市龙岗区宝龙街道",
        114.31,
        22.71,
        "WGS-84",
        "mon-sun 08:00-20:00",
        "",
        "饮水",
    ],
]


def write_xlsx(path: Path, rows: list[list]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_csv(path: Path, rows: list[list], encoding: str) -> None:
    out = io.StringIO(newline="")
    table = csv.writer(out, lineterminator="\r\n")
    table.writerow(COLUMNS)
    table.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


if __name__ == "__main__":
    write_xlsx(HERE / "stations.xlsx", GOOD + BAD)
    write_csv(HERE / "stations-good.csv", GOOD, "gb18030")
