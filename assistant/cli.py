"""`policy-qa`: one command line for the corpus, index, tools, assistant, evals and UI.

Subcommands live next to the package they drive and are imported only when invoked, so
`policy-qa --help` stays fast and no library package imports the UI or the evals.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import logging
import os
import sys
import traceback

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
    "feedback": ("assistant.cli_feedback:feedback", "导出网页上的回答评价（👍/👎）"),
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


VERBOSE_FLAGS = ("-v", "--verbose")
DETAILS_HINT = "加 -v 查看详细信息"


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wuhai-policy-qa")
@click.option("-v", "--verbose", is_flag=True, help="出错时显示调用栈，并输出运行日志（可写在命令的任意位置）")
def cli(verbose: bool) -> None:
    """乌海人才政策助手：2023年《技术技能人才支持政策汇编》的离线问答、条款检索与政策计算。"""
    if verbose:  # main() takes the flag out of the arguments itself; this is for `cli` invoked directly
        configure_logging(verbose=True)


class _UserFacingFormatter(logging.Formatter):
    """Without -v: a log record is its message only, never a traceback. A record about a PolicyQAError is
    dropped (the command shows that error itself as `错误：…`); any other exception becomes one Chinese line."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_info[1] is not None:
            return f"程序内部出错（{type(record.exc_info[1]).__name__}），{DETAILS_HINT}。"
        return record.getMessage()


class _DropHandledErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from corpus.errors import PolicyQAError

        return not (record.exc_info and isinstance(record.exc_info[1], PolicyQAError))


_HANDLER_NAME = "policy-qa-cli"


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record arrives (as logging's own last-resort handler does)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # noqa: D102 - StreamHandler reads self.stream
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(verbose: bool) -> None:
    """Log records go to stderr: with -v at INFO with logger names and tracebacks; else warnings only, one line each."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(handler)
    handler = _CurrentStderr()
    handler.set_name(_HANDLER_NAME)
    if verbose:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.setLevel(logging.INFO)
    else:
        handler.setFormatter(_UserFacingFormatter())
        handler.addFilter(_DropHandledErrors())
        root.setLevel(logging.WARNING)
    root.addHandler(handler)


def _take_verbose(args: list[str]) -> tuple[bool, list[str]]:
    """-v / --verbose anywhere before a `--`, so `policy-qa ask "…" -v` works as the hint suggests."""
    end = args.index("--") if "--" in args else len(args)
    kept = [a for a in args[:end] if a not in VERBOSE_FLAGS] + args[end:]
    return len(kept) != len(args), kept


def main(argv: list[str] | None = None) -> None:
    """Entry point: library errors become Chinese messages and exit code 2; anything unexpected one Chinese line
    and exit code 1. A traceback is printed only with -v."""
    from corpus.errors import PolicyQAError

    verbose, args = _take_verbose(list(sys.argv[1:] if argv is None else argv))
    configure_logging(verbose)
    try:
        cli.main(args=args, standalone_mode=False)
    except PolicyQAError as err:
        if verbose:
            traceback.print_exc()
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
    except KeyboardInterrupt:
        click.echo("已取消。", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `policy-qa … | head`: the reader has gone, nothing more to say
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stops Python's flush-at-exit error on the closed pipe
        sys.exit(1)
    except (SystemExit, GeneratorExit):
        raise
    except BaseException as err:  # also chroma's Rust PanicException, which is not an Exception
        if verbose:
            traceback.print_exc()
        click.echo(f"错误：程序内部出错（{type(err).__name__}），{DETAILS_HINT}。", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
