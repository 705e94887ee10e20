#!/usr/bin/env python3
"""Yizhan command line: build the site, check content, serve, roll back."""

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
def build_cmd(
    content_root: Path = ROOT / "content",
    output: Path = ROOT / "site",
    now_text: str | None = None,
    quiet: bool = False,
) -> None:
    """Build the site into a new release and switch the live site to it."""
    from cms.publish.build import BuildError, build
    from cms.publish.progress import TerminalProgress

    bar = TerminalProgress(enabled=not quiet)
    try:
        result = build(content_root, output, now=_now(now_text), progress=bar.update, log=bar.log)
    except BuildError as exc:
        bar.close()
        click.secho(f"构建失败，线上网站保持不变：{exc}", fg="red", err=True)
        sys.exit(1)
    bar.close()
    click.echo(
        f"已发布 {result.pages} 个文件，用时 {result.seconds:.2f} 秒，"
        f"警告 {len(result.warnings)} 条 → {output} → {result.release.name}"
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
@output_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(output: Path, host: str, port: int) -> None:
    """Serve the built site on http://HOST:PORT/."""
    from werkzeug.serving import run_simple

    from cms.publish.serve import StaticSite

    if not output.exists():
        click.secho(f"{output} 不存在：请先运行 python build.py", fg="red", err=True)
        sys.exit(1)
    click.echo(f"网站：http://{host}:{port}/")
    run_simple(host, port, StaticSite(output), threaded=True)


if __name__ == "__main__":
    cli()
