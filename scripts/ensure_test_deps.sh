#!/usr/bin/env bash
# `make test` runs browser tests in Debian's chromium with CJK fonts. When either is missing: as root, install both
# with apt-get (what CI needs on a fresh machine); otherwise stop at once with one Chinese line saying what to install.
set -euo pipefail

chromium="${POLICY_QA_CHROMIUM:-/usr/bin/chromium}"
install_cmd="apt-get update && apt-get install -y chromium fonts-noto-cjk"

missing() {
  local out=()
  [ -x "$chromium" ] || out+=(chromium)
  # no `grep -q`: with pipefail, fc-list killed by SIGPIPE after an early match would read as "fonts missing"
  fc-list 2>/dev/null | grep -i 'noto.*cjk' >/dev/null || out+=(fonts-noto-cjk)
  echo "${out[*]:-}"
}

need="$(missing)"
[ -z "$need" ] && exit 0

if [ -n "${POLICY_QA_CHROMIUM:-}" ] && [ ! -x "$chromium" ]; then
  echo "浏览器测试需要 chromium：POLICY_QA_CHROMIUM=$chromium 不存在或不可执行，请改正该路径，或取消设置以使用 /usr/bin/chromium" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "浏览器测试缺少 ${need// / 和 }：请先以 root 运行 ${install_cmd}，再执行 make test" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "浏览器测试缺少 ${need// / 和 }，且本机没有 apt-get：请用系统的包管理器安装 chromium 与 Noto CJK 字体，再执行 make test" >&2
  exit 1
fi

echo "浏览器测试缺少 ${need// / 和 }，正在以 root 安装（${install_cmd}，约 1–3 分钟）…"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium fonts-noto-cjk
fc-cache -f >/dev/null 2>&1 || true

need="$(missing)"
if [ -n "$need" ]; then
  echo "安装后仍缺少 ${need// / 和 }：请检查 apt-get 的输出（软件源中是否有 chromium 与 fonts-noto-cjk）" >&2
  exit 1
fi
echo "chromium 与 fonts-noto-cjk 已安装。"
