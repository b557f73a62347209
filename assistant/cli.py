"""`policy-qa`: one command line for the corpus, index, tools, assistant, evals and UI.

Subcommands live next to the package they drive and are imported only when invoked, so
`policy-qa --help` stays fast and no library package imports the UI or the evals.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

# name -> "module:attribute"; a module that is not installed is simply not listed.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "corpus": ("corpus.cli:corpus", "浏览政策文件与条款"),
    "index": ("indexing.cli:index", "建立或查看检索索引"),
    "retrieve": ("indexing.cli:retrieve", "检索相关条款"),
    "tool": ("eligibility_tools.cli:tool", "运行政策计算工具"),
    "ask": ("assistant.cli_ask:ask", "提问并获得带条款引用的回答"),
    "chat": ("assistant.cli_ask:chat", "交互式多轮问答"),
    "eval": ("evals.cli:eval_command", "在金标准问题集上评测"),
    "bench": ("evals.bench:bench_command", "性能基准测试"),
    "serve": ("ui.cli:serve", "启动网页界面"),
}


class LazyGroup(click.Group):
    """click's documented lazy-loading group: import a subcommand only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (target, _) in SUBCOMMANDS.items()
                if importlib.util.find_spec(target.split(":")[0]) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return None
        module_name, attr = SUBCOMMANDS[cmd_name][0].split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            return None
        return getattr(module, attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUBCOMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wuhai-policy-qa")
def cli() -> None:
    """乌海人才政策助手：2023年《技术技能人才支持政策汇编》的离线问答、条款检索与政策计算。"""


def main() -> None:
    """Entry point: library errors become Chinese messages and a non-zero exit code."""
    from corpus.errors import PolicyQAError

    try:
        cli.main(standalone_mode=False)
    except PolicyQAError as err:
        click.echo(f"错误：{err}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(1)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)


if __name__ == "__main__":
    main()
