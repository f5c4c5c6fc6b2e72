"""The one message catalogue: every user-facing string, Chinese first, English on request.

The language is `--lang` / `GRIDCTL_LANG` (zh by default). Keys are dotted by area.
"""

from __future__ import annotations

import os

_lang = os.environ.get("GRIDCTL_LANG", "zh")

CATALOGUE: dict[str, tuple[str, str]] = {
    # YAML reading
    "yaml.duplicate_key": ("键重复", "duplicate key"),
    "yaml.not_utf8": ("文件不是 UTF-8 编码: {error}", "file is not UTF-8: {error}"),
    "yaml.syntax": ("YAML 语法错误: {error}", "YAML syntax error: {error}"),
    # fields
    "field.unknown_key": ("未知字段 (允许: {allowed})", "unknown key (allowed: {allowed})"),
    "field.required": ("缺少必填字段", "required field is missing"),
    "field.quote_text": ("“{value}” 会被读作数字/日期/布尔值, 请加引号",
                         "“{value}” would be read as a number, date or boolean; quote it"),
    "field.not_text": ("应为文本", "must be text"),
    "field.code_digits": ("编码应为数字串: “{value}”", "code must be a string of digits: “{value}”"),
    "field.bad_date": ("日期格式应为 YYYY-MM-DD: “{value}”", "date must be YYYY-MM-DD: “{value}”"),
    "field.bad_count": ("应为非负整数: “{value}”", "must be a whole number: “{value}”"),
    "field.bad_choice": ("“{value}” 不是可选值 ({choices})", "“{value}” is not one of ({choices})"),
    "field.until_before_since": ("截止日期 {until} 早于起始日期 {since}",
                                 "until {until} is before since {since}"),
    "field.bad_phone": ("电话号码格式不对: “{value}”", "not a phone number: “{value}”"),
    # config
    "config.not_a_folder": ("不是文件夹", "not a folder"),
    "config.no_yaml": ("文件夹中没有 .yaml/.yml 文件", "no .yaml/.yml files in the folder"),
    "config.doc_not_mapping": ("文档顶层应为键值映射", "a document must be a mapping at the top"),
    "config.unknown_section": ("未知的顶层键 (允许: {allowed})", "unknown top-level key (allowed: {allowed})"),
    "config.section_not_list": ("应为列表", "must be a list"),
    "config.item_not_mapping": ("每一项应为键值映射", "each entry must be a mapping"),
    "config.city_twice": ("city 只能定义一次", "city is defined more than once"),
    "config.bad_word": ("应为非空文本: “{value}”", "must be non-empty text: “{value}”"),
    "config.duplicate": ("重复: {what}", "duplicate: {what}"),
    "config.unknown_ref": ("{what}“{value}”不存在", "{what} “{value}” does not exist"),
    "config.unknown_role": ("未知岗位“{value}” (可选: {roles})", "unknown role “{value}” (known: {roles})"),
    "grid.code_length": ("编码 {code} 的长度应为 {length} 位 ({level})",
                         "code {code} must have {length} digits for a {level}"),
    "grid.code_not_extending": ("编码 {code} 不是上级编码 {parent} 的延伸",
                                "code {code} does not extend its parent's code {parent}"),
    "grid.duplicate_sibling_name": ("“{parent}”下已有同名网格“{name}”",
                                    "“{parent}” already has a child named “{name}”"),
    "department.grid_level": ("职能部门应属于市或县区 ({grid})",
                              "a department belongs to the city or a district ({grid})"),
    "category.bad_code": ("类别编码应为小写英文与下划线: “{value}”",
                          "category code must be lower-case letters, digits and _: “{value}”"),
    "category.bad_deadline": ("时限格式: 5 (工作日) | 4h (工作小时) | 3d (自然日) | 24ch (全天小时), 而不是“{value}”",
                              "deadline is 5 (working days) | 4h (working hours) | 3d (natural days) | 24ch (clock hours), not “{value}”"),
    "what.grid": ("网格", "grid"),
    "what.person": ("人员", "person"),
    "what.team": ("工作队", "team"),
    "what.department": ("部门", "department"),
    "what.category": ("问题类别", "category"),
    # levels (四级平台 / 三级网格)
    "level.city": ("市", "city"),
    "level.district": ("县(市)区", "district"),
    "level.township": ("乡(镇)办", "township"),
    "level.community": ("村/社区", "community"),
    "level.block": ("村组/楼院", "block"),
    "platform.city": ("市级平台", "city platform"),
    "platform.district": ("县区平台", "district platform"),
    "platform.township": ("乡镇办平台", "township platform"),
    "platform.community": ("村社区平台", "community platform"),
    "deadline.working_days": ("{n} 个工作日", "{n} working days"),
    "deadline.working_hours": ("{n} 个工作小时", "{n} working hours"),
    "deadline.natural_days": ("{n} 个自然日", "{n} natural days"),
    "deadline.clock_hours": ("{n} 小时 (全天计)", "{n} hours around the clock"),
    # ledger
    "ledger.too_new": ("台账 {path} 由更新版本的 gridctl 创建 (未知的结构版本: {names}), 请升级 gridctl; 台账未被改动",
                       "ledger {path} was made by a newer gridctl (unknown schema versions: {names}); upgrade gridctl; the ledger was not changed"),
    "ledger.not_sqlite": ("{path} 不是 gridctl 台账 (SQLite 文件): {error}",
                          "{path} is not a gridctl ledger (SQLite file): {error}"),
    "ledger.other_node": ("台账属于 {node}, 不能改为 {wanted}", "the ledger belongs to {node}, not {wanted}"),
    "ledger.bad_node": ("平台节点编码应为 4/6/9/12 位数字: “{node}”",
                        "a platform node code has 4, 6, 9 or 12 digits: “{node}”"),
    "ledger.node_not_in_grids": ("台账所属节点 {node} 不在网格定义中", "the ledger's node {node} is not among the grids"),
    "ledger.created": ("已创建台账 {path} (平台: {node})", "created ledger {path} (platform: {node})"),
    "ledger.exists": ("台账 {path} 已存在 (平台: {node}), 结构已是最新", "ledger {path} exists (platform: {node}); schema is current"),
    "ledger.city": ("市级平台", "the city platform"),
    # check / load
    "check.ok": ("检查通过: {files} 个文件, 未发现问题", "check passed: {files} file(s), no problems"),
    "check.problems": ("发现 {n} 个问题, 台账未改动", "{n} problem(s) found; the ledger was not changed"),
    "load.no_change": ("无变化: 台账已与 {folder} 一致", "no change: the ledger already matches {folder}"),
    "load.done": ("已载入 {folder}", "loaded {folder}"),
    "load.summary_head": ("类别", "kind"),
    "load.total": ("现有", "total"),
    "load.added": ("新增", "added"),
    "load.changed": ("变更", "changed"),
    "load.ended": ("终止", "ended"),
    "table.grids": ("网格", "grids"),
    "table.people": ("人员", "people"),
    "table.posts": ("岗位", "posts"),
    "table.departments": ("职能部门", "departments"),
    "table.teams": ("工作队", "teams"),
    "table.team_members": ("队员", "team members"),
    "table.team_grids": ("驻点网格", "team grids"),
    "table.categories": ("问题类别", "categories"),
    # grids
    "grid.not_found": ("找不到网格“{node}”", "no grid “{node}”"),
    "grid.ambiguous": ("“{node}”不唯一, 请用路径或编码: {matches}", "“{node}” is ambiguous; use a path or code: {matches}"),
    "grid.did_you_mean": ("是否要找: {matches}", "did you mean: {matches}"),
    "grid.empty": ("台账中还没有网格, 请先 gridctl load", "the ledger has no grids yet; run gridctl load first"),
    "grid.code": ("编码", "code"),
    "grid.name": ("名称", "name"),
    "grid.level": ("层级", "level"),
    "grid.kind": ("类型", "kind"),
    "grid.path": ("路径", "path"),
    "grid.platform": ("所属平台", "platform"),
    "grid.households": ("户数", "households"),
    "grid.residents": ("人口", "residents"),
    "grid.extent": ("范围", "extent"),
    "grid.duty_phone": ("值班电话", "duty phone"),
    "grid.children": ("下级网格", "child nodes"),
    "grid.posts": ("岗位", "posts"),
    "grid.role": ("职务", "role"),
    "grid.person": ("姓名", "name"),
    "grid.phone": ("联系电话", "phone"),
    "grid.since": ("起", "since"),
    "grid.until": ("止", "until"),
    "grid.teams": ("驻点工作队", "teams assigned"),
    "grid.team_unit": ("派出单位", "dispatching unit"),
    "grid.leader": ("队长", "leader"),
    "grid.departments": ("负责的职能部门", "departments covering it"),
    "grid.inherited": ("(上级 {node})", "(from {node})"),
    "grid.none": ("无", "none"),
    # duty who
    "duty.title": ("{category} @ {grid}", "{category} @ {grid}"),
    "duty.lead": ("属地责任人", "territorial lead"),
    "duty.department": ("执法部门", "enforcing department"),
    "duty.assist": ("协助工作队", "assisting team"),
    "duty.authority": ("可结案的最低层级", "lowest level that may close"),
    "duty.platform": ("受理平台", "receiving platform"),
    "duty.deadline": ("办结时限", "deadline"),
    "duty.rule": ("依据", "rule"),
    "duty.answer": ("答复", "answer"),
    "duty.unknown_category": ("未知问题类别“{value}”", "unknown category “{value}”"),
    "rule.lead_here": ("{category}.lead_role = {role}; {role} 在本网格 {grid} 有在岗人员",
                       "{category}.lead_role = {role}; held at this node {grid}"),
    "rule.lead_up": ("{category}.lead_role = {role}; 本网格无此岗, 取最近的上级网格 {grid}",
                     "{category}.lead_role = {role}; not held here, nearest ancestor holding it is {grid}"),
    "rule.lead_none": ("{category}.lead_role = {role}; 本网格及上级均无在岗人员",
                       "{category}.lead_role = {role}; nobody holds it here or above"),
    "rule.dept_none_needed": ("{category} 未指定执法部门", "{category} names no enforcing department"),
    "rule.dept_district": ("{category}.department = {kind}; 本区县 {grid} 的 {kind} 部门",
                           "{category}.department = {kind}; the {kind} department of this district {grid}"),
    "rule.dept_city": ("{category}.department = {kind}; 本区县没有, 取市级 {grid} 的 {kind} 部门",
                       "{category}.department = {kind}; none in the district, the city's {grid}"),
    "rule.dept_missing": ("{category}.department = {kind}; 区县与市级都没有该类部门",
                          "{category}.department = {kind}; no such department in the district or city"),
    "rule.assist_none": ("{category} 不要求工作队协助", "{category} asks no team to assist"),
    "rule.assist_here": ("{category}.assist = team; 驻 {grid} 的工作队", "{category}.assist = team; teams assigned to {grid}"),
    "rule.assist_missing": ("{category}.assist = team; 本网格及上级均无驻点工作队",
                            "{category}.assist = team; no team is assigned here or above"),
    "rule.authority": ("{category}.authority = {level}", "{category}.authority = {level}"),
    "rule.platform_own": ("在{level}发现, 本级平台有权处置", "found at a {level}; its own platform has authority"),
    "rule.platform_escalate": ("在{level}发现, 须逐级上报至{platform} ({path})",
                               "found at a {level}; must be escalated level by level to the {platform} ({path})"),
    "rule.deadline": ("{category}.deadline = {value}, 自受理起计", "{category}.deadline = {value}, counted from acceptance"),
    # demo
    "demo.written": ("已写入模拟城市到 {folder}: {summary}", "wrote a synthetic city to {folder}: {summary}"),
    # generic
    "error.unexpected": ("内部错误: {error} (设置 GRIDCTL_DEBUG=1 查看详情)",
                         "internal error: {error} (set GRIDCTL_DEBUG=1 for the traceback)"),
    "error.prefix": ("错误", "error"),
}


def set_lang(lang: str | None) -> None:
    global _lang
    if lang:
        _lang = "en" if lang.lower().startswith("en") else "zh"


def lang() -> str:
    return "en" if _lang.lower().startswith("en") else "zh"


def t(key: str, **params) -> str:
    """The message `key` in the current language, formatted with `params`."""
    zh, en = CATALOGUE[key]
    text = en if lang() == "en" else zh
    return text.format(**params) if params else text
