"""The "发布网站" button: start a build in the background, watch its progress, roll back."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose

from ..publish.jobs import PublishBusy, Publisher, PublishError
from .security import SecureView, audit, current_user, require


def publisher() -> Publisher:
    """Return the app's one Publisher (one build at a time; a second request joins it)."""
    found = current_app.extensions.get("yizhan_publisher")
    if found is None:
        config = current_app.config
        found = Publisher(
            config["YIZHAN_CONTENT"], config["YIZHAN_OUTPUT"], now=config["YIZHAN_NOW"]
        )
        current_app.extensions["yizhan_publisher"] = found
    return found


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
        try:
            release = publisher().rollback()
        except (PublishBusy, PublishError) as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".index"), 303)
        audit("site-rollback", release)
        flash(f"已回滚到上一版：{release}", "success")
        return redirect(url_for(".index"), 303)
