#!/usr/bin/env bash
# Set up, build the demo site from content/ and serve it on http://127.0.0.1:8000/, with the
# admin back office on http://127.0.0.1:8000/admin/ (the first run creates the admin account).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh requirements.txt
.venv/bin/python build.py build
PORT="${PORT:-8000}"
if [ -n "${YIZHAN_PASSWORD:-}" ]; then
  password="$YIZHAN_PASSWORD"; shown="（YIZHAN_PASSWORD 的值）"
else
  password="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')"; shown="$password"
fi
created="$(YIZHAN_PASSWORD="$password" .venv/bin/python build.py adduser admin --role admin --if-missing)"
if [[ "$created" == 已添加* ]]; then
  echo "已创建后台管理员：用户名 admin，密码 $shown"
  echo "（密码只显示这一次；登录后可在“管理 → 用户”里添加编辑和撰稿人。）"
else
  echo "后台管理员 admin 已存在（忘记密码：.venv/bin/python build.py adduser admin --role admin --reset）"
fi
echo "登录后台：http://127.0.0.1:${PORT}/admin/"
exec .venv/bin/python build.py serve --host 127.0.0.1 --port "$PORT"
