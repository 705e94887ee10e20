"""The audit log, for admins: who logged in, saved, published, deleted, changed users."""

from __future__ import annotations

from flask import request
from flask_admin import expose

from .security import SecureView, accounts

ACTION_LABELS = {
    "login": "登录",
    "logout": "退出",
    "login-failed": "登录失败",
    "login-throttled": "登录被限制",
    "create": "新建",
    "save": "保存",
    "submit": "提交审核",
    "publish": "批准发布",
    "unpublish": "撤回发布",
    "return": "退回修改",
    "recall": "撤回提交",
    "comment": "评论",
    "delete": "删除",
    "restore": "恢复旧版本",
    "conflict": "保存冲突",
    "upload": "上传图片",
    "delete-media": "删除图片",
    "import-stations": "导入台账",
    "export-stations": "导出台账",
    "save-tally": "保存活动台账",
    "import-tally": "导入活动台账",
    "save-settings": "保存网站设置",
    "site-publish": "发布网站",
    "site-rollback": "回滚网站",
    "user-add": "添加用户",
    "user-change": "修改用户",
    "user-delete": "删除用户",
    "report": "读者纠错",
    "report-resolve": "处理纠错",
}
PER_PAGE = 50


class AuditView(SecureView):
    role = "admin"

    def __init__(self, name: str, category: str):
        super().__init__(
            name=name, category=category, endpoint="audit", url="/admin/audit",
            menu_icon_type="fa", menu_icon_value="fa-history",
        )  # fmt: skip

    @expose("/")
    def index(self):
        page = max(1, request.args.get("page", 1, type=int))
        action = request.args.get("action", "")
        user = request.args.get("user", "")
        total, records = accounts().audit_log(page, PER_PAGE, action, user)
        return self.render(
            "admin/audit.html",
            records=records,
            total=total,
            page=page,
            pages=max(1, -(-total // PER_PAGE)),
            action=action,
            user=user,
            labels=ACTION_LABELS,
        )
