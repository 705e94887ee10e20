"""The "发布网站" button: start a build in the background, watch its progress, roll back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose

from ..content import workflow, writer
from ..publish.jobs import PublishBusy, Publisher, PublishError
from ..publish.releases import Releases
from ..publish.scheduler import TICK, Scheduler
from .references import KIND_NAMES
from .security import SecureView, audit, current_user, require


def publisher(app: Flask | None = None) -> Publisher:
    """Return the app's one Publisher (one build at a time; a second request joins it)."""
    app = app or current_app
    found = app.extensions.get("yizhan_publisher")
    if found is None:
        config = app.config
        now = config.get("YIZHAN_CLOCK") or config["YIZHAN_NOW"]
        found = Publisher(config["YIZHAN_CONTENT"], config["YIZHAN_OUTPUT"], now=now)
        app.extensions["yizhan_publisher"] = found
    return found


def admin_now(tz: dt.tzinfo) -> dt.datetime:
    """Return the admin's now: a test's running clock or fixed moment, else the time in ``tz``."""
    config = current_app.config
    clock = config.get("YIZHAN_CLOCK")
    return clock() if clock else config.get("YIZHAN_NOW") or dt.datetime.now(tz)


def start_scheduler(app: Flask) -> Scheduler:
    """Start this process's scheduler: of all the processes serving the admin, the one holding
    the lock file in the instance folder publishes each scheduled time within a minute."""
    config = app.config
    fixed, tz = config["YIZHAN_NOW"], ZoneInfo(config["BABEL_DEFAULT_TIMEZONE"])
    clock = config.get("YIZHAN_CLOCK") or (lambda: fixed or dt.datetime.now(tz))
    scheduler = Scheduler(
        app.extensions["yizhan_content"].content,
        publisher(app),
        Path(app.instance_path) / "scheduler.lock",
        clock,
        interval=float(config.get("YIZHAN_TICK", TICK)),
    )
    app.extensions["yizhan_scheduler"] = scheduler
    scheduler.start()
    return scheduler


def job_state(job) -> dict | None:  # a jobs.Job
    return job.to_dict() if job is not None else None


class PublishView(SecureView):
    role = "editor"

    def __init__(self, index, name: str):
        self.store = index
        super().__init__(
            name=name, endpoint="publish", url="/admin/publish", menu_icon_type="fa",
            menu_icon_value="fa-rocket",
        )  # fmt: skip

    @expose("/")
    def index(self):
        pub = publisher()
        return self.render(
            "admin/publish.html",
            job=job_state(pub.current() or pub.last()),
            publications=[_local(r) for r in pub.publications()[:10]],
            live_release=getattr(Releases(pub.output).current(), "name", ""),
            ahead=pub.ahead(),
            kinds=KIND_NAMES,
            site_url=current_app.config["YIZHAN_SITE_URL"],
            entry_url=request.args.get("next", ""),
        )

    @expose("/start/", methods=("POST",))
    def start(self):
        job = publisher().start(current_user().name, full=True)  # everything, from scratch
        audit("site-publish", getattr(job, "id", ""))
        if request.accept_mimetypes.best == "application/json":
            return jsonify(job_state(job)), 202
        return redirect(url_for(".index"), 303)

    @expose("/status.json")
    def status(self):
        pub = publisher()
        return jsonify(job=job_state(pub.current() or pub.last()))

    @expose("/rollback/", methods=("POST",))
    def rollback(self):
        require("admin")
        pub = publisher()
        live = Releases(pub.output).current()
        undone = pub.publication(live.name) if live else None
        try:
            release = pub.rollback()
        except (PublishBusy, PublishError) as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".index"), 303)
        audit("site-rollback", release)
        said = f"已回滚到上一版：{release}。"
        if undone:
            said += (
                f"撤销了 {_local(undone)['time']} {undone['user']} 的发布："
                + "、".join(undone["changes"] or ["（没有内容变化）"])
                + "。"
            )
        if pub.ahead():
            said += "下面列出的条目内容现在比网站新：请逐条决定恢复内容，或保留到下次发布。"
        flash(said, "success")
        return redirect(url_for(".index"), 303)

    @expose("/ahead/", methods=("POST",))
    def settle_ahead(self):
        """Revert an entry a rollback left ahead of the site to what the site shows, or keep it
        to go up at the next publish."""
        pub, user = publisher(), current_user()
        kind, slug = request.form.get("kind", ""), request.form.get("slug", "")
        item = next((a for a in pub.ahead() if (a["kind"], a["slug"]) == (kind, slug)), None)
        if item is None:
            abort(404)
        if request.form.get("then") == "revert":
            require(workflow.LIVE_ROLE)
            try:
                said = revert_to_live(pub.content_root, item, user.name)
            except (writer.Conflict, writer.InvalidEntry):
                flash(f"《{item['title']}》刚被别人修改过，没有恢复；请打开它处理。", "danger")
                return redirect(url_for(".index"), 303)
            audit("restore", f"{kind}/{slug}", "回滚后恢复为网站上的版本")
            flash(f"《{item['title']}》{said}", "success")
        else:
            flash(f"《{item['title']}》保留现在的内容，下次发布时上网站。", "info")
        pub.settle(kind, slug)
        return redirect(url_for(".index"), 303)


def revert_to_live(root: Path, item: dict, author: str) -> str:
    """Put back the content of an entry as the live site shows it; return what was done."""
    kind, slug, live = item["kind"], item["slug"], item["live"]
    path = writer.entry_path(root, kind, slug)
    current = path.read_bytes() if path.exists() else None
    version = writer.version_of(current) if current is not None else None
    if live is None:  # not on the site: it must not be published
        if current is None:
            return "已不存在，不需要恢复。"
        text = current.decode("utf-8").replace("\nstatus: published\n", "\nstatus: draft\n", 1)
        writer.save(root, kind, slug, text, version, author, action="restore")
        return "已改为草稿，与网站一致。"
    for revision in writer.history(root, kind, slug):
        text = writer.revision_text(root, kind, slug, revision.id)
        if text is not None and writer.version_of(text.encode("utf-8")) == live:
            writer.save(root, kind, slug, text, version, author, action="restore")
            return "已恢复为网站上的版本。"
    raise writer.InvalidEntry([])


def _local(record: dict) -> dict:
    """Return a publication record with its time as the site's local date and time."""
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    time = dt.datetime.fromisoformat(record["time"]).astimezone(tz)
    return {**record, "time": time.strftime("%Y-%m-%d %H:%M")}
