"""Generate a synthetic content folder (fixed seed): N news, N/7 activities, N/5 stations."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STREETS = {
    "pinghu": (22.680, 114.125), "buji": (22.605, 114.118), "jihua": (22.648, 114.080),
    "bantian": (22.638, 114.060), "nanwan": (22.605, 114.165), "henggang": (22.650, 114.215),
    "yuanshan": (22.660, 114.255), "longcheng": (22.725, 114.245), "longgang": (22.725, 114.275),
    "baolong": (22.710, 114.320), "pingdi": (22.770, 114.310),
}  # fmt: skip
TYPES = ["worker-home", "care-station", "mother-room", "legal-aid", "culture-palace"]
CATEGORIES = ["work", "reform", "service", "rights", "culture", "notice"]
BRANDS = ["contest", "training", "care", "culture"]
AMENITIES = ["water", "food-heating", "charging", "battery-swap", "toilet", "rest", "aircon",
             "first-aid", "umbrella", "wifi", "reading", "legal", "haircut", "nursing"]
TAGS = ["工会驿站", "产业工人", "技能竞赛", "法律援助", "女职工", "新就业形态", "送温暖",
        "职工文体", "工联会", "四大品牌", "户外劳动者", "职工书屋", "模范职工之家", "智慧工会",
        "困难职工"]
HOURS = [["mon-sun 00:00-24:00"], ["mon-fri 08:30-12:00,14:00-18:00", "sat-sun closed"],
         ["mon-sun 22:00-06:00"], ["mon-sat 09:00-21:00", "sun closed"], ["tue-sun 09:00-17:30"]]
WORDS = (
    "区总工会 街道 职工 劳动者 服务 驿站 活动 组织 开展 推进 建设 提升 "
    "关爱 权益 保障 技能 培训 竞赛 文化 阵地 社区 园区 企业 一线 骑手 "
    "环卫 司机 妈妈 小屋 律师 咨询 帮扶 慰问 覆盖 机制 平台 品牌 改革 "
    "试点 示范 模范 之家 送清凉 送温暖 读书 运动 合唱 书法 "
).split()
TZ = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Corpus:
    root: Path
    news: list[str]
    stations: list[str]


def sentence(rng: random.Random, words: int = 14) -> str:
    return "".join(rng.choice(WORDS) for _ in range(words)) + "。"


def body(rng: random.Random) -> str:
    """About 1.5 KB of Chinese Markdown with headings, a list and a table."""
    parts = [sentence(rng, 18) + sentence(rng, 16)]
    parts.append(f"## {rng.choice(WORDS)}{rng.choice(WORDS)}情况")
    parts.append(sentence(rng, 20) + sentence(rng, 12))
    parts.append("\n".join(f"- {sentence(rng, 8)}" for _ in range(4)))
    parts.append(f"## {rng.choice(WORDS)}{rng.choice(WORDS)}安排")
    rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(10, 999)} | {rng.choice(WORDS)} |"
                     for _ in range(4))
    parts.append(f"| 项目 | 人次 | 备注 |\n| --- | ---: | --- |\n{rows}")
    parts.append(sentence(rng, 20))
    return "\n\n".join(parts) + "\n"


def generate(target: Path, entries: int, seed: int = 20261125) -> Corpus:
    """Write a content folder with ``entries`` news under ``target``; return what was written."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    for kind in ("news", "activities", "stations", "pages", "media"):
        (target / kind).mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yml", target / "site.yml")
    start = dt.datetime(2019, 1, 1, 9, 0, tzinfo=TZ)
    news = []
    for i in range(entries):
        when = start + dt.timedelta(minutes=int(i * (7 * 365 * 24 * 60) / max(entries, 1)))
        slug = f"news-{i:06d}"
        tags = rng.sample(TAGS, 3)
        (target / "news" / f"{slug}.md").write_text(
            f"---\ntitle: {sentence(rng, 8)[:-1]}第{i}号\ndate: {when.isoformat()}\n"
            f"category: {rng.choice(CATEGORIES)}\ntags: [{', '.join(tags)}]\n"
            f"summary: {sentence(rng, 12)}\nauthor: 区总工会宣传部\nstatus: published\n---\n"
            + body(rng), encoding="utf-8")
        news.append(slug)
    stations = []
    for i in range(entries // 5):
        street = rng.choice(list(STREETS))
        lat, lng = STREETS[street]
        slug = f"station-{i:06d}"
        amen = rng.sample(AMENITIES, 5)
        (target / "stations" / f"{slug}.md").write_text(
            f"---\nname: {street}{rng.choice(WORDS)}驿站{i}号\ntype: {rng.choice(TYPES)}\n"
            f"street: {street}\naddress: 深圳市龙岗区{rng.choice(WORDS)}路{i}号\n"
            f"location: {{lat: {lat + rng.uniform(-0.012, 0.012):.5f}, "
            f"lng: {lng + rng.uniform(-0.012, 0.012):.5f}}}\n"
            f"hours: [{', '.join(repr(h) for h in rng.choice(HOURS))}]\n"
            f"amenities: [{', '.join(amen)}]\naccess: public\nphone: \"0755-2{i:07d}\"\n"
            f"verified_at: 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\nstatus: published\n---\n"
            f"{sentence(rng, 12)}\n", encoding="utf-8")
        stations.append(slug)
    for i in range(entries // 7):
        when = dt.datetime(2025, 1, 1, 9, tzinfo=TZ) + dt.timedelta(hours=rng.randint(0, 2 * 8760))
        (target / "activities" / f"activity-{i:06d}.md").write_text(
            f"---\ntitle: {sentence(rng, 6)[:-1]}活动{i}\nstarts_at: {when.isoformat()}\n"
            f"ends_at: {(when + dt.timedelta(hours=3)).isoformat()}\nbrand: {rng.choice(BRANDS)}\n"
            f"street: {rng.choice(list(STREETS))}\nvenue: {rng.choice(WORDS)}活动中心\n"
            f"summary: {sentence(rng, 10)}\nstatus: published\n---\n{sentence(rng, 30)}\n",
            encoding="utf-8")
    (target / "pages" / "about.md").write_text(
        "---\ntitle: 关于我们\nstatus: published\norder: 1\n---\n" + body(rng), encoding="utf-8")
    (target / "pages" / "contact.md").write_text(
        "---\ntitle: 联系我们\nstatus: published\norder: 2\n---\n" + body(rng), encoding="utf-8")
    return Corpus(target, news, stations)
