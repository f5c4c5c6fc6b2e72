#!/usr/bin/env bash
# The README's picture of `gridctl serve`: the example city's ledger with a fortnight of issues,
# served read-only, and the 超期未处置 page taken by headless Chromium (Debian's `chromium`).
# Usage: bash docs/leaders-window.sh [OUT.png]   (needs the [serve] extra and chromium)
# KEEP=1 leaves the ledger (zhengzhou.db in a temporary folder, printed) and the window open.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/docs/serve-overdue.png}
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
export GRIDCTL_DB=$work/zhengzhou.db GRIDCTL_USER=P007
g() { "${GRIDCTL:-gridctl}" "$@" > /dev/null; }
add() {  # grid category source title at → the new issue's id on stdout
    "${GRIDCTL:-gridctl}" issue add -g "$1" -c "$2" -s "$3" -t "$4" --at "$5" --json |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
g init
g load "$here/examples/zhengzhou" --as-of 2026-11-01
JB=金水区/经八路街道 HJ=惠济区/老鸦陈街道 XZ=新郑市/梨河镇
i=$(add $JB/黄河路社区/1号楼院 非法建设 巡查发现 "楼顶私搭乱建" "2026-11-09 09:00")
g issue accept "$i" --at "2026-11-09 10:00"; g issue dispatch "$i" --to CG105 --at "2026-11-09 11:00"
i=$(add $JB/纬五路社区/2号楼院 非法建设 群众举报 "院内违建彩钢房" "2026-11-12 15:00")
g issue accept "$i" --at "2026-11-13 09:00"; g issue dispatch "$i" --to CG105 --at "2026-11-13 10:00"
i=$(add $JB/花园路社区/1号楼院 广告 热线电话 "沿街违规广告牌" "2026-11-16 10:30")
g issue accept "$i" --at "2026-11-16 11:00"; g issue dispatch "$i" --to CG105 --at "2026-11-16 14:30"
i=$(add $JB/黄河路社区/2号楼院 安全生产 巡查发现 "地下室存放液化气罐" "2026-11-17 09:00")
g issue accept "$i" --at "2026-11-17 09:30"; g issue dispatch "$i" --to AJ105 --at "2026-11-17 10:00"
i=$(add $JB/黄河路社区/3号楼院 市场监管 群众举报 "无照经营早餐摊" "2026-11-18 08:00")
g issue accept "$i" --at "2026-11-18 09:00"; g issue dispatch "$i" --to SJ105 --at "2026-11-18 10:00"
i=$(add $HJ/老鸦陈村/第一村民组 非法建设 巡查发现 "耕地上新建房屋" "2026-11-10 09:00")
g issue accept "$i" --at "2026-11-10 10:00"; g issue dispatch "$i" --to CG108 --at "2026-11-10 11:00"
i=$(add $HJ/老鸦陈村/第三村民组 安全生产 督查发现 "小作坊消防通道堵塞" "2026-11-19 14:00")
g issue accept "$i" --at "2026-11-19 15:00"; g issue dispatch "$i" --to AJ108 --at "2026-11-19 16:00"
i=$(add $XZ/梨河村/第二村民组 道路 巡查发现 "村道塌陷" "2026-11-05 09:00")
g issue accept "$i" --at "2026-11-06 09:00"; g issue dispatch "$i" --to JT184 --at "2026-11-06 10:00"
i=$(add $XZ/梨河村/第四村民组 就业 来访 "返乡人员求职登记" "2026-11-11 10:00")
g issue accept "$i" --at "2026-11-11 11:00"; g issue dispatch "$i" --to RS184 --at "2026-11-11 14:00"
i=$(add $JB/纬五路社区/1号楼院 环境卫生 网络平台 "楼道堆放杂物" "2026-11-20 09:00")
g issue accept "$i" --at "2026-11-20 09:30"; g issue dispatch "$i" --to CG105 --at "2026-11-20 10:00"
g issue handle "$i" --at "2026-11-21 16:00" --note "已清理"; g issue close "$i" --at "2026-11-22 09:00"
g issue callback "$i" --result 不满意 --at "2026-11-23 10:00"
i=$(add $HJ/老鸦陈村/第二村民组 矛盾纠纷 群众举报 "宅基地边界纠纷" "2026-11-24 09:00")
g issue accept "$i" --at "2026-11-24 10:00"
add $JB/黄河路社区/1号楼院 占道 巡查发现 "流动摊贩占道经营" "2026-11-25 09:00" > /dev/null
"${GRIDCTL:-gridctl}" serve --port 8765 > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:8765/ > /dev/null && break; sleep 0.2; done
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/chromium" --hide-scrollbars --window-size=1280,900 \
    --screenshot="$out" "http://127.0.0.1:8765/zhengzhou/overdue?%E6%88%AA%E8%87%B3=2026-11-26+12%3A00" 2> /dev/null
echo "wrote $out"
[ -z "${KEEP:-}" ] || echo "ledger $GRIDCTL_DB, window http://127.0.0.1:8765/zhengzhou (server pid $server)"
