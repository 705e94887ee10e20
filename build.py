#!/usr/bin/env python3
"""Yizhan command line: build, check, watch, serve (site + admin), adduser, rollback, import."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent


def _now(value: str | None) -> dt.datetime | None:
    """Parse --now (or YIZHAN_NOW): the moment the build treats as "now" (for scheduling)."""
    value = value or os.environ.get("YIZHAN_NOW")
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise click.BadParameter("--now needs a time zone offset, e.g. 2026-11-25T10:00:00+08:00")
    return moment


content_option = click.option(
    "--content",
    "content_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=ROOT / "content",
    show_default=True,
    help="Content folder.",
)
output_option = click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=ROOT / "site",
    show_default=True,
    help="Output link that the web server serves.",
)
now_option = click.option(
    "--now",
    "now_text",
    metavar="ISO-TIME",
    help="Build as if it were this time (default: the clock).",
)


@click.group(invoke_without_command=True)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Yizhan: build the union site from content/ (the default command is ``build``)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(build_cmd)


@cli.command("build")
@content_option
@output_option
@now_option
@click.option("--quiet", "-q", is_flag=True, help="Only print the summary.")
@click.option("--full", is_flag=True, help="Render every page, ignoring the previous release.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: cores).")
@click.option(
    "--strict",
    is_flag=True,
    help="Publish nothing while any entry is broken (for CI); by default a broken entry is "
    "kept as last saved, or left out, and named, and the rest is published.",
)
def build_cmd(
    content_root: Path = ROOT / "content",
    output: Path = ROOT / "site",
    now_text: str | None = None,
    quiet: bool = False,
    full: bool = False,
    jobs: int | None = None,
    strict: bool = False,
) -> None:
    """Build the site into a new release and switch the live site to it."""
    from cms.publish.build import BuildError, build
    from cms.publish.progress import TerminalProgress

    bar = TerminalProgress(enabled=not quiet)
    try:
        result = build(
            content_root,
            output,
            now=_now(now_text),
            progress=bar.update,
            log=bar.log,
            jobs=jobs,
            full=full,
            one_shot=True,
            strict=strict,
        )
    except BuildError as exc:
        bar.close()
        click.secho(f"构建失败，线上网站保持不变：{exc}", fg="red", err=True)
        sys.exit(1)
    bar.close()
    index = "" if result.index_seconds is None else f"，搜索索引 {result.index_seconds:.2f} 秒"
    click.echo(
        f"已发布 {result.pages} 个文件（重新生成 {result.rendered} 个），"
        f"上线用时 {result.seconds:.2f} 秒{index}，警告 {len(result.warnings)} 条 → {output} → "
        f"{result.release.name}"
    )
    for message in result.warnings:
        click.secho(f"警告：{message}", fg="yellow", err=True)


@cli.command()
@content_option
@now_option
def check(content_root: Path, now_text: str | None) -> None:
    """Validate every content file and link without building."""
    from cms.content import ContentError, load
    from cms.public.app import create_app, site_data

    try:
        content = load(content_root)
    except ContentError as exc:
        click.secho(str(exc), fg="red", err=True)
        sys.exit(1)
    problems = content.problems + site_data(create_app(content, now=_now(now_text))).check()
    for problem in problems:
        click.secho(str(problem), fg="red", err=True)
    if problems:
        click.secho(f"发现 {len(problems)} 个问题。", fg="red", err=True)
        sys.exit(1)
    count = sum(len(v) for v in content.entries.values())
    click.echo(f"内容检查通过：{count} 个条目。")


@cli.command()
@output_option
def rollback(output: Path) -> None:
    """Switch the live site back to the previous release."""
    from cms.publish.releases import ReleaseError, Releases

    try:
        release = Releases(output).rollback()
    except ReleaseError as exc:
        click.secho(f"无法回滚：{exc}", fg="red", err=True)
        sys.exit(1)
    click.echo(f"已回滚到 {release.name}")


@cli.command()
@content_option
@output_option
@click.option(
    "--target", help="A target named in site.yml deploy: (needed when there are several)."
)
@click.option(
    "--dry-run", is_flag=True, help="Print what would be uploaded and deleted; change nothing."
)
@click.option(
    "--max-deletes",
    type=int,
    default=None,
    help="Allow this many deletions (default: the target's max_deletes, 256).",
)
def deploy(
    content_root: Path, output: Path, target: str | None, dry_run: bool, max_deletes: int | None
) -> None:
    """Copy the live release to the S3-compatible bucket named in site.yml (changed files only)."""
    from cms.content.reader import read_site
    from cms.publish.deploy import DeployError, DigestCache, iter_targets
    from cms.publish.deploy import deploy as deploy_release
    from cms.publish.progress import TerminalProgress
    from cms.publish.releases import Releases

    site, problems = read_site(content_root / "site.yml")
    if site is None:
        for problem in problems:
            click.secho(str(problem), fg="red", err=True)
        sys.exit(1)
    releases = Releases(output)
    release = releases.current()
    if release is None:
        click.secho(f"{output} 还没有发布过，先运行 build。", fg="red", err=True)
        sys.exit(1)
    digests = DigestCache(releases.folder / ".cache" / "deploy-digests.json")
    try:
        for chosen in iter_targets(site.deploy, target):
            bar = TerminalProgress()
            result = deploy_release(
                release,
                chosen,
                log=bar.log,
                progress=bar.update,
                dry_run=dry_run,
                max_deletes=max_deletes,
                digests=digests,
                site_url=site.url,
            )
            bar.close()
            if result.purged:
                click.echo(f"已请 CDN 刷新 {len(result.purged)} 个地址")
            if dry_run:
                for path in result.plan.uploads:
                    click.echo(f"上传 {path}")
                for path in result.plan.deletions:
                    click.echo(f"删除 {path}")
    except DeployError as exc:
        click.secho(f"部署失败：{exc}", fg="red", err=True)
        sys.exit(1)
    except Exception as exc:  # the storage service's errors: say what, never the credentials
        click.secho(
            f"部署失败（对象存储返回错误）：{type(exc).__name__}: {exc}", fg="red", err=True
        )
        sys.exit(1)


@cli.command()
@content_option
@output_option
@click.option("--interval", default=0.5, show_default=True, help="Seconds between checks.")
def watch(content_root: Path, output: Path, interval: float) -> None:
    """Publish every change under the content folder as it is saved (Ctrl-C stops)."""
    from cms.publish.build import Builder
    from cms.publish.watch import watch as run_watch

    click.echo(f"监视 {content_root}，保存即发布到 {output}（Ctrl-C 停止）")
    try:
        run_watch(Builder(content_root, output), log=click.echo, interval=interval)
    except KeyboardInterrupt:
        click.echo("已停止。")


instance_option = click.option(
    "--instance",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: Path(os.environ.get("YIZHAN_INSTANCE", ROOT / "instance")),
    show_default="instance/ (or YIZHAN_INSTANCE)",
    help="Folder for admin users, sessions, the audit log and the secret key.",
)


@cli.command()
@content_option
@output_option
@instance_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(content_root: Path, output: Path, instance: Path, host: str, port: int) -> None:
    """Serve the built site on http://HOST:PORT/ and the admin on /admin/."""
    from werkzeug.serving import run_simple

    from cms.admin.wsgi import serve_app

    if not output.exists():
        click.secho(f"{output} 不存在：请先运行 python build.py", fg="red", err=True)
        sys.exit(1)
    click.echo(f"网站：http://{host}:{port}/")
    click.echo(f"后台：http://{host}:{port}/admin/")
    run_simple(host, port, serve_app(content_root, instance, output), threaded=True)


@cli.command()
@content_option
@output_option
@instance_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def admin(content_root: Path, output: Path, instance: Path, host: str, port: int) -> None:
    """Run the admin alone on http://HOST:PORT/admin/ (publishing still writes OUTPUT)."""
    from werkzeug.serving import run_simple

    from cms.admin import create_app
    from cms.admin.wsgi import Combined

    click.echo(f"后台：http://{host}:{port}/admin/")
    app = create_app(content_root, instance, {"YIZHAN_OUTPUT": output, "YIZHAN_SCHEDULER": True})
    run_simple(host, port, Combined(app), threaded=True)


@cli.command()
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["writer", "editor", "admin"]),
    help="Role of a new user (default writer); with --reset, changes the role.",
)
@instance_option
@click.option("--if-missing", is_flag=True, help="Do nothing when the user exists already.")
@click.option("--reset", is_flag=True, help="Set a new password (and role) for an existing user.")
def adduser(name: str, role: str | None, instance: Path, if_missing: bool, reset: bool) -> None:
    """Add an admin user; the password comes from YIZHAN_PASSWORD or is asked for twice."""
    from cms.admin.accounts import AccountError, Accounts

    accounts = Accounts(Path(instance) / "admin.sqlite3")
    exists = accounts.get(name) is not None
    if exists and if_missing:
        click.echo(f"用户 {name} 已存在，未改动。")
        return
    if exists and not reset:
        click.secho(f"用户 {name} 已存在（要重设密码请加 --reset）", fg="red", err=True)
        sys.exit(1)
    password = os.environ.get("YIZHAN_PASSWORD") or click.prompt(
        "密码", hide_input=True, confirmation_prompt="再输一次"
    )
    try:
        if exists:
            accounts.update(name, role=role, active=True, password=password)
        else:
            accounts.add(name, role or "writer", password)
    except AccountError as exc:
        click.secho(str(exc), fg="red", err=True)
        sys.exit(1)
    role = accounts.get(name).role
    accounts.audit("-", "user-change" if exists else "user-add", name, f"{role}（命令行）")
    click.echo(f"已{'重设' if exists else '添加'}用户 {name}（{role}）。")


@cli.command("import-stations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--crs",
    type=click.Choice(["wgs84", "gcj02", "bd09"]),
    default="wgs84",
    show_default=True,
    help="Coordinate system of rows whose 坐标系 column is empty.",
)
@click.option("--dry-run", is_flag=True, help="Check every row and show what would change.")
@click.option(
    "--good-rows",
    is_flag=True,
    help="Import the rows without errors and list the others (else any error writes nothing).",
)
@content_option
def import_stations(
    file: Path, crs: str, dry_run: bool, good_rows: bool, content_root: Path
) -> None:
    """Import the station ledger (台账, .xlsx or .csv); with errors nothing is written."""
    import getpass

    from cms.content import ContentError, load
    from cms.content.ledger import LedgerError, apply_import, plan_import, read_ledger

    try:
        content = load(content_root)
        plan = plan_import(content, read_ledger(file.read_bytes(), file.name), crs)
    except (ContentError, LedgerError) as exc:
        click.secho(f"无法导入：{exc}", fg="red", err=True)
        sys.exit(1)
    for row in plan.rows:
        if row.action == "error":
            for message in row.errors:
                click.secho(message, fg="red")
        else:
            click.echo(row.describe(plan.new_status))
            if row.hours:
                click.echo(f"  开放时间读作：{row.hours}")
        for warning in row.warnings:
            click.secho(f"  请核对：{warning}", fg="yellow")
    click.echo(plan.summary())
    if plan.has_errors and not good_rows:
        click.secho("台账有错误，没有写入任何内容。", fg="red", err=True)
        sys.exit(1)
    if dry_run:
        click.echo("这是预览（--dry-run），没有写入任何内容。")
        return
    try:
        author = getpass.getuser()
    except (KeyError, OSError):
        author = "import-stations"
    result = apply_import(content_root, plan, author, skip_errors=good_rows)
    for conflict in result.conflicts:
        click.secho(f"未写入（已被他人修改）：{conflict}", fg="yellow", err=True)
    for row in result.skipped:
        click.secho(f"未导入（请改正后重新导入）：{row}", fg="yellow", err=True)
    click.echo(f"已导入：{result.summary()}")
    if result.conflicts or result.skipped:
        sys.exit(1)


@cli.command("import-tally")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="The year the sheet's months belong to.")
@click.option("--dry-run", is_flag=True, help="Show what the sheet holds and write nothing.")
@content_option
def import_tally(file: Path, year: int, dry_run: bool, content_root: Path) -> None:
    """Fill a year's activity tally (月份、品牌、街道、场次) from a spreadsheet.

    The months the sheet holds replace those months of content/tally/YEAR.yml; bad rows are
    listed by row number and left out.
    """
    from cms.content import ContentError, load
    from cms.content.spreadsheet import LedgerError
    from cms.content.tally import Tally, merge, read_sheet, save

    try:
        content = load(content_root)
        sheet = read_sheet(file.read_bytes(), file.name, content.site)
    except (ContentError, LedgerError) as exc:
        click.secho(f"无法导入：{exc}", fg="red", err=True)
        sys.exit(1)
    for message in sheet.errors:
        click.secho(f"{message}（不导入）", fg="red")
    months = "、".join(f"{m}月" for m in sorted({r.month for r in sheet.rows})) or "无"
    total = sum(r.count for r in sheet.rows)
    click.echo(f"{file.name}：{len(sheet.rows)} 行，共 {total} 场；月份：{months}")
    if dry_run or not sheet.rows:
        click.echo("没有写入任何内容。" if sheet.rows else "表格里没有可导入的行。")
        sys.exit(1 if not sheet.rows else 0)
    base = content.tallies.get(year) or Tally(year, content.site.yearly_activity_target)
    tally = merge(base, sheet.rows)
    path = save(content_root, tally)
    click.echo(f"已写入 {path}：{year} 年共 {tally.held} 场。")


if __name__ == "__main__":
    cli()
