#!/usr/bin/env bash
# Install the Debian packages a make target needs, once; a no-op (about 0.1 s) when they are there.
#
#   scripts/system-packages.sh run    what `make run` needs: fonts and pango for PDF forms, poppler
#   scripts/system-packages.sh test   what `make test` needs as well: LibreOffice (clerks' workbooks
#                                      and Word forms printed to PDF), PostgreSQL (the suite runs on it
#                                      too), Chromium (browser tests through Playwright), nginx
#                                      (docs/deploy.md's proxy configuration, run by
#                                      tests/test_deploy_nginx.py)
#
# As root it runs apt-get itself. As another user it uses `sudo -n` when that works without a
# password, and otherwise stops with the exact command to run. JIXIAO_SKIP_SYSTEM_PACKAGES=1 skips
# the whole step (tests that need a missing program then skip with a reason).
# JIXIAO_SYSTEM_PACKAGES="a b" checks those packages instead of the target's list (tests use it).
set -euo pipefail

RUN_PACKAGES=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
TEST_PACKAGES=("${RUN_PACKAGES[@]}" libreoffice-calc-nogui libreoffice-writer-nogui
  postgresql chromium nginx)

case "${1:-}" in
  run) wanted=("${RUN_PACKAGES[@]}") ;;
  test) wanted=("${TEST_PACKAGES[@]}") ;;
  *) echo "用法: $0 run|test" >&2; exit 2 ;;
esac
if [ -n "${JIXIAO_SYSTEM_PACKAGES:-}" ]; then
  read -r -a wanted <<<"$JIXIAO_SYSTEM_PACKAGES"
fi

if [ -n "${JIXIAO_SKIP_SYSTEM_PACKAGES:-}" ]; then
  echo "系统软件包: 已按 JIXIAO_SKIP_SYSTEM_PACKAGES 跳过检查"
  exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "系统软件包: 这台机器不是 Debian/Ubuntu, 请自行安装: ${wanted[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "缺少系统软件包: ${missing[*]}" >&2
  echo "请以管理员身份运行下面的命令后重试 (或设置 JIXIAO_SKIP_SYSTEM_PACKAGES=1 跳过, 相关测试会被跳过):" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "安装系统软件包: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The postgresql package creates and starts a cluster 15/main where it can; the tests start a
# throwaway cluster of their own, so a system cluster is not needed running (and cannot run
# without systemd anyway).
# nginx likewise starts its default site on port 80 where systemd runs; tests/test_deploy_nginx.py
# runs an nginx of its own on a free port and does not need that one.
