"""User management for admins: add, change role, reset password, disable, delete."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo

from .accounts import ROLE_LABELS, AccountError
from .forms import options
from .security import AdminForm, SecureView, accounts, audit, current_user

ROLE_CHOICES = list(ROLE_LABELS.items())
ROLE_OPTIONS = options(ROLE_CHOICES)


class NewUserForm(AdminForm):
    name = StringField("用户名", validators=[DataRequired()])
    role = SelectField("角色", choices=ROLE_OPTIONS, default="writer")
    password = PasswordField("初始密码", validators=[DataRequired()])
    confirm = PasswordField(
        "再输一次", validators=[DataRequired(), EqualTo("password", "两次输入的密码不一致")]
    )


class UsersView(SecureView):
    role = "admin"

    def __init__(self, name: str, category: str):
        super().__init__(
            name=name, category=category, endpoint="users", url="/admin/users",
            menu_icon_type="fa", menu_icon_value="fa-users",
        )  # fmt: skip

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = NewUserForm(request.form if request.method == "POST" else None)
        if request.method == "POST" and form.validate():
            try:
                accounts().add(form.name.data.strip(), form.role.data, form.password.data)
            except AccountError as exc:
                form.name.errors = [*form.name.errors, str(exc)]
            else:
                audit("user-add", form.name.data.strip(), form.role.data)
                flash(f"已添加用户 {form.name.data.strip()}", "success")
                return redirect(url_for(".index"))
        return self.render(
            "admin/users.html", users=accounts().all(), form=form, roles=ROLE_CHOICES
        )

    @expose("/change/", methods=("POST",))
    def change(self):
        name = request.form.get("name", "")
        what = request.form.get("what", "")
        try:
            if what == "role":
                role = request.form.get("role", "")
                accounts().update(name, role=role)
                detail = role
            elif what in ("enable", "disable"):
                accounts().update(name, active=what == "enable")
                detail = what
            elif what == "password":
                accounts().update(name, password=request.form.get("password", ""))
                detail = "password"
            elif what == "delete":
                if name == current_user().name:
                    raise AccountError("不能删除自己")
                accounts().delete(name)
                detail = "delete"
            else:
                raise AccountError("未知操作")
        except AccountError as exc:
            flash(str(exc), "danger")
            return redirect(url_for(".index"))
        audit("user-" + ("change" if what != "delete" else "delete"), name, detail)
        flash(f"已更新用户 {name}", "success")
        return redirect(url_for(".index"))
