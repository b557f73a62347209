"""`policy-qa` main(): handled errors are one `错误：…` line and exit 2, unexpected ones one Chinese line pointing
to -v and exit 1; a traceback reaches stderr only with -v (issue 14: "Handled CLI errors print tracebacks")."""

from __future__ import annotations

import logging
import sys

import click
import pytest

from assistant import cli as cli_mod
from corpus.errors import IndexNotBuiltError

log = logging.getLogger("policy_qa.test_cli_main")


@click.command("boom")
def boom() -> None:
    raise RuntimeError("internal detail the user must not see")


@click.command("handled")
def handled() -> None:
    raise IndexNotBuiltError("测试")


@click.command("swallowed")
@click.option("--kind", type=click.Choice(["handled", "unexpected"]))
def swallowed(kind: str) -> None:
    """What the assistant does: log the exception, answer with a Chinese error, exit 2."""
    try:
        raise IndexNotBuiltError("测试") if kind == "handled" else KeyError("internal")
    except Exception:
        log.exception("assistant failed")
    click.echo("错误：系统暂时无法回答。", err=True)
    sys.exit(2)


@click.command("warns")
def warns() -> None:
    log.warning("检索索引已损坏（测试），正在重新建立……")
    click.echo("答案")


@pytest.fixture(autouse=True)
def commands(monkeypatch):
    for name in ("boom", "handled", "swallowed", "warns"):
        monkeypatch.setitem(cli_mod.SUBCOMMANDS, name, (f"{__name__}:{name}", name))
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if h.get_name() == cli_mod._HANDLER_NAME]:
        root.removeHandler(handler)
    root.setLevel(level)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        cli_mod.main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


class TestMain:
    def test_run_handled_error_is_one_chinese_line_and_exit_2(self, capsys):
        code, _, err = _run(capsys, "handled")
        assert code == 2
        assert err == "错误：索引尚未建立或已损坏（测试），请先运行 `policy-qa index build`。\n"

    def test_run_handled_error_with_verbose_adds_the_traceback(self, capsys):
        code, _, err = _run(capsys, "handled", "-v")
        assert code == 2 and "Traceback" in err and err.rstrip().endswith("请先运行 `policy-qa index build`。")

    def test_run_unexpected_error_is_one_line_pointing_to_verbose(self, capsys):
        code, _, err = _run(capsys, "boom")
        assert code == 1
        assert err == "错误：程序内部出错（RuntimeError），加 -v 查看详细信息。\n"

    @pytest.mark.parametrize("args", [("-v", "boom"), ("boom", "-v"), ("boom", "--verbose")])
    def test_run_verbose_anywhere_shows_the_traceback(self, capsys, args):
        code, _, err = _run(capsys, *args)
        assert code == 1 and "Traceback" in err and "internal detail the user must not see" in err

    def test_run_logged_handled_error_is_not_repeated(self, capsys):
        code, _, err = _run(capsys, "swallowed", "--kind", "handled")
        assert code == 2 and err == "错误：系统暂时无法回答。\n"

    def test_run_logged_unexpected_error_is_one_line_without_traceback(self, capsys):
        code, _, err = _run(capsys, "swallowed", "--kind", "unexpected")
        assert code == 2
        assert err.splitlines() == ["程序内部出错（KeyError），加 -v 查看详细信息。", "错误：系统暂时无法回答。"]

    def test_run_logged_error_with_verbose_has_its_traceback(self, capsys):
        _, _, err = _run(capsys, "-v", "swallowed", "--kind", "unexpected")
        assert "Traceback" in err and "assistant failed" in err

    def test_run_warnings_are_their_message_only(self, capsys):
        code, out, err = _run(capsys, "warns")
        assert code == 0 and out == "答案\n" and err == "检索索引已损坏（测试），正在重新建立……\n"

    def test_run_real_command_error_has_no_traceback(self, capsys):
        code, _, err = _run(capsys, "corpus", "show", "no-such/a99")
        assert code == 2 and err.startswith("错误：未找到条款") and "Traceback" not in err


class TestTakeVerbose:
    @pytest.mark.parametrize(("args", "verbose", "kept"), [
        (["ask", "问题", "-v"], True, ["ask", "问题"]),
        (["-v", "index", "status"], True, ["index", "status"]),
        (["ask", "问题"], False, ["ask", "问题"]),
        (["ask", "--", "-v"], False, ["ask", "--", "-v"]),  # after `--` it is an argument
    ])
    def test_run_takes_the_flag_anywhere_before_double_dash(self, args, verbose, kept):
        assert cli_mod._take_verbose(args) == (verbose, kept)
