#!/usr/bin/env bash
# The assessor's quarter end on the example city (README, "For the assessor"): a quarter of
# records for 2026Q3 — team T01 at 黄河路社区 works, T02–T04 record nothing — then
# score → explain → approve. Run from the repository root:  bash examples/quarter/assessor.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v gridctl > /dev/null || PATH="$here/../../.venv/bin:$PATH"   # the README's .venv, not activated
export GRIDCTL_DB=${GRIDCTL_DB:-quarter.db} GRIDCTL_USER=P008      # the community's clerk records
rm -f "$GRIDCTL_DB"
g() { gridctl "$@" > /dev/null; }
g load "$here/../zhengzhou" --as-of 2026-07-01
HH=金水区/经八路街道/黄河路社区
id() { gridctl issue add "$@" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
# 1. P102's find on patrol, put up at once, closed, 满意
a=$(id -g $HH/2号楼院 -c 环境卫生 -s 巡查发现 --reporter P102 -t 楼道堆物 --at "2026-07-07 09:00")
g issue accept $a --at "2026-07-07 10:00"; g issue dispatch $a --at "2026-07-07 10:30"
g issue handle $a --at "2026-07-08 09:00"; g issue close $a --at "2026-07-08 16:00"
g issue callback $a --result 满意 --at "2026-07-09 10:00"
# 2. a resident's report: in the grid's issues, not the team's find; closed, 基本满意
b=$(id -g $HH/1号楼院 -c 占道 -s 群众举报 -t 流动摊贩占道 --at "2026-07-15 09:00")
g issue accept $b --at "2026-07-15 09:30"; g issue dispatch $b --at "2026-07-15 09:40"
g issue handle $b --at "2026-07-15 11:00"; g issue close $b --at "2026-07-15 12:00"
g issue callback $b --result 基本满意 --at "2026-07-16 10:00"
# 3. P103's find, put up 31 hours after it was found; handled but never closed
c=$(id -g $HH/省委家属院 -c 非法建设 -s 巡查发现 --reporter P103 -t 楼顶私搭乱建 \
      --found-at "2026-08-03 08:00" --at "2026-08-04 15:00")
g issue accept $c --at "2026-08-04 16:00"; g issue dispatch $c --at "2026-08-04 16:30"
g issue handle $c --at "2026-08-07 10:00"
# 4. found on patrol by the 网格长 P007, who is not in the team; closed, 不满意
d=$(id -g $HH/1号楼院 -c 环境卫生 -s 巡查发现 --reporter P007 -t 绿化带垃圾 --at "2026-09-02 09:00")
g issue accept $d --at "2026-09-02 10:00"; g issue dispatch $d --at "2026-09-02 10:30"
g issue handle $d --at "2026-09-03 09:00"; g issue close $d --at "2026-09-03 15:00"
g issue callback $d --result 不满意 --at "2026-09-04 10:00"
# 5. P102 again: gridctl warns it repeats issue 1 (same grid, category and title) and records
#    nothing; a second clerk forces it in, and it is rejected as issue 1's duplicate: it counts nowhere
gridctl issue add -g $HH/2号楼院 -c 环境卫生 -s 巡查发现 --reporter P102 -t 楼道堆物 --at "2026-07-07 11:00" || true
e=$(id -g $HH/2号楼院 -c 环境卫生 -s 巡查发现 --reporter P102 -t 楼道堆物 --at "2026-07-07 11:00" --force)
g issue reject $e --reason 重复 --duplicate-of $a --at "2026-07-07 12:00"
# the team's conduct records
g patrol import "$here/patrols.csv"                                # P104 missed W33 and W34
for n in 1 2 3; do g publicity add -p P101 -d 2026-07-2$n --kind 工作动态 --title "工作队动态$n"; done
g publicity add -p P102 -d 2026-08-12 --kind 工作简报 --title 入户走访简报
g attendance add -p P103 -d 2026-08-20 --kind 不在岗 --days 1
g meeting add --unit T01 -d 2026-07-08 --kind 碰头会 --attendees P101,P102,P103
for v in "P101 48 6 2" "P102 45 8 3" "P103 40 10 6"; do set -- $v
  g survey add --team T01 -d 2026-09-24 --participants 56 -p $1 --satisfied $2 --fair $3 --unsatisfied $4; done
# the assessor's quarter end
gridctl score --quarter 2026Q3
gridctl score explain --person P102 --quarter 2026Q3
gridctl --by P001 score approve --quarter 2026Q3
gridctl score --quarter 2026Q3 -o 考核-2026Q3.xlsx
