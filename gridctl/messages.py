"""The one message catalogue: every user-facing string, Chinese first, English on request.

The language is `--lang` / `GRIDCTL_LANG` (zh by default). Keys are dotted by area.
"""

from __future__ import annotations

import os
import re

_lang = os.environ.get("GRIDCTL_LANG", "zh")

CATALOGUE: dict[str, tuple[str, str]] = {
    # YAML reading
    "yaml.duplicate_key": ("键重复", "duplicate key"),
    "yaml.not_utf8": ("从此行起不是 UTF-8 编码; 请把文件另存为 UTF-8", "not UTF-8 from this line on; save the file as UTF-8"),
    "yaml.syntax": ("YAML 语法错误: {error}", "YAML syntax error: {error}"),
    "yaml.alias": ("不支持 YAML 别名 (*名称): 请把内容写完整", "YAML aliases (*name) are not accepted: write the content out"),
    "yaml.control_char": ("含有控制字符 ({char}), 请删去后重试", "holds a control character ({char}); remove it and retry"),
    "yaml.too_big": ("文件有 {mb} MB, 超过一个 YAML 文件的上限 {max_mb} MB (整个城市的定义约 26 MB), 未读取; 请确认选对了文件, "
                     "或把它分成几个文件", "the file is {mb} MB, over the {max_mb} MB a YAML file may be (a whole "
                     "city's definitions are about 26 MB): not read; check it is the right file, or split it"),
    "yaml.too_deep": ("YAML 嵌套超过 {max} 层", "YAML nested deeper than {max} levels"),
    "yaml.p.mapping_here": ("此处不能出现“键: 值” (缩进不对, 或冒号后的值含冒号需加引号)",
                            "mapping values are not allowed here"),
    "yaml.p.colon": ("缺少冒号“:”", "could not find expected ':'"),
    "yaml.p.tab": ("含有制表符 (请用空格缩进)", "a tab character (indent with spaces)"),
    "yaml.p.character": ("含有不能出现在此处的字符 (制表符请改为空格, 特殊字符请加引号)", "a character that cannot start a value here (quote it)"),
    "yaml.p.indent": ("缩进不一致", "inconsistent indentation"),
    "yaml.p.unclosed": ("引号或括号没有闭合", "an unclosed quote or bracket"),
    "yaml.p.alias": ("引用了未定义的锚点 (*)", "an undefined alias (*)"),
    "yaml.p.value": ("缺少值", "a value is missing"),
    "yaml.p.escape": ("引号内有无效的转义字符", "an unknown escape in a quoted string"),
    "yaml.p.other": ("无法解析", "cannot be parsed"),
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
    "field.bad_phone": ("电话号码格式不对 (只写数字和 -, 5 到 20 位, 不加空格, 如 13800001234 或 0371-60001107): “{value}”",
                        "not a phone number (digits and -, 5 to 20 of them, no spaces, such as 13800001234 or 0371-60001107): “{value}”"),
    # config
    "config.not_a_folder": ("不是文件夹", "not a folder"),
    "config.a_file": ("是一个文件, 不是文件夹: check 和 load 读一个文件夹中的全部 YAML; 请给出它所在的文件夹 {folder}",
                      "is a file, not a folder: check and load read every YAML file of a folder; give its folder, {folder}"),
    "config.no_folder": ("文件夹不存在", "no such folder"),
    "load.as_of_before_last": ("--as-of {as_of} 早于上次载入的日期 {last}: 这次的变动 (岗位结束、撤销、新队员加入) 会记在已载入的历史之前; "
                               "是日期写错了吗? 若某岗位确实更早结束, 请在 YAML 中写明它的 until; 台账未改动",
                               "--as-of {as_of} is before the last load's date {last}: this load's changes (posts ending, "
                               "retirements, members joining) would be dated behind history already loaded; a slip of the "
                               "date? If a post did end earlier, write its until in the YAML; the ledger was not changed"),
    "config.no_yaml": ("文件夹中没有 .yaml/.yml 文件", "no .yaml/.yml files in the folder"),
    "config.file_is_dir": ("这是一个文件夹, 不是配置文件; 请换成 YAML 文件 (写法见 gridctl 自带的 {default})",
                           "this is a folder, not a configuration file; put a YAML file here (see gridctl's own {default})"),
    "config.empty_duties": ("文件是空的: 没有问题类别、职责矩阵、岗位和部门类别 (各项及其写法见 gridctl 自带的 {default})",
                            "the file is empty: no categories, duty matrix, roles or department kinds (its keys: gridctl's own {default})"),
    "config.empty_file": ("文件是空的: 没有任何定义 (城市、网格、人员、岗位…); 请写入定义, 或把它移出文件夹",
                          "the file is empty: it defines nothing (city, grids, people, posts…); fill it in or move it out of the folder"),
    "config.yaml_is_dir": ("是文件夹 (名字以 .yaml/.yml 结尾), 不是 YAML 文件, 未读取; 请把其中的文件移到上一层或给它改名",
                           "is a folder (its name ends in .yaml/.yml), not a YAML file: not read; move its files up a level or rename it"),
    "config.not_a_file": ("不是可读的文件 (设备、管道, 或断开、循环的链接), 未读取; 请给出 YAML 文件",
                          "not a file that can be read (a device, a pipe, a broken or looping link): not read; give a YAML file"),
    "config.yaml_not_a_file": ("名字以 .yaml/.yml 结尾, 但不是可读的文件 (断开或循环的链接、管道或设备), 未读取; 请换成 YAML 文件或移走它",
                               "its name ends in .yaml/.yml, but it is not a file that can be read (a broken or looping link, "
                               "a pipe, a device): not read; put a YAML file there or move it away"),
    "config.doc_not_mapping": ("文档顶层应为键值映射", "a document must be a mapping at the top"),
    "config.unknown_section": ("未知的顶层键 (允许: {allowed})", "unknown top-level key (allowed: {allowed})"),
    "config.section_not_list": ("应为列表", "must be a list"),
    "config.item_not_mapping": ("每一项应为键值映射", "each entry must be a mapping"),
    "config.city_twice": ("city 只能定义一次", "city is defined more than once"),
    "config.word_not_list": ("应为一个词 (每行写一个: - 网格长), 不是列表或键值", "must be one word (one a line: - 网格长), not a list or a mapping"),
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
    "what.events": ("条事件", "events"),
    "what.rows": ("行", "rows"),
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
    "deadline.working_days": ("{n}个工作日", "{n} working days"),
    "deadline.working_hours": ("{n}个工作小时", "{n} working hours"),
    "deadline.natural_days": ("{n}个自然日", "{n} natural days"),
    "deadline.clock_hours": ("{n}小时", "{n} hours around the clock"),
    # ledger
    "ledger.too_new": ("台账 {path} 由更新版本的 gridctl 创建 (未知的结构版本: {names}), 请升级 gridctl; 台账未被改动",
                       "ledger {path} was made by a newer gridctl (unknown schema versions: {names}); upgrade gridctl; the ledger was not changed"),
    "ledger.not_sqlite": ("{path} 不是 gridctl 台账 (SQLite 文件): {error}",
                          "{path} is not a gridctl ledger (SQLite file): {error}"),
    "ledger.used_as_city": ("台账 {path} 已作为市级平台的台账使用 (已载入网格或记有事件), 不能改为 {wanted} 的台账; "
                            "为该平台另建台账请给出新的 --db, 台账未改动",
                            "the ledger {path} is in use as the city platform's (grids loaded or events recorded) and "
                            "cannot become {wanted}'s; give a new --db for that platform's own ledger; the ledger was not changed"),
    "ledger.other_node": ("台账属于 {node}, 不能改为 {wanted}", "the ledger belongs to {node}, not {wanted}"),
    "ledger.bad_node": ("平台节点编码应为 4/6/9/12 位数字: “{node}”",
                        "a platform node code has 4, 6, 9 or 12 digits: “{node}”"),
    "load.district_missing": ("文件夹中没有台账现有的 {count} 个县区: {districts}; 照此载入会撤销其全部网格、结束其中的岗位 (是少拷了这些县区的 YAML 文件吗?); 请补上文件后再载入, 若确是撤销这些县区 (区划调整), 加 --retire-districts",
                              "the folder lacks {count} district(s) the ledger holds: {districts}; loaded as it is, every grid of them would be retired and their posts ended (were their YAML files left behind?); add the files and load again, or, if the districts are indeed given up, add --retire-districts"),
    "ledger.node_not_in_grids": ("台账所属节点 {node} 不在网格定义中", "the ledger's node {node} is not among the grids"),
    "ledger.created": ("已创建台账 {path} (平台: {node})", "created ledger {path} (platform: {node})"),
    "ledger.exists": ("台账 {path} 已存在 (平台: {node}), 结构已是最新", "ledger {path} exists (platform: {node}); schema is current"),
    "ledger.city": ("市级平台", "the city platform"),
    "ledger.busy": ("另一个命令正占用台账 {path} (如一次大批导入或合并), 等待后仍未释放; 请稍后重试, 台账未改动",
                    "another command holds the ledger {path} (a large import or merge?) and did not let go in time; retry later, nothing was written"),
    "ledger.holding": ("正在写入台账 {path} ({count} {what}); 写完之前其他人的登记需等待",
                       "writing {count} {what} to the ledger {path}; others' writes wait until it is done"),
    "ledger.waiting": ("台账 {path} 正被另一个命令占用, 等待中…", "the ledger {path} is held by another command; waiting…"),
    "ledger.disk_full": ("磁盘已满, 台账 {path} 未能写入; 请腾出空间后重试, 台账未改动",
                         "the disk is full; nothing was written to the ledger {path}; free some space and retry"),
    "ledger.size_limit": ("文件大小超出限制 (ulimit -f {limit}): 使用台账 {path} 时的一次写入被系统停止; 台账未改动, 请放宽限制 (如 ulimit -f unlimited) 后重试",
                          "the file size limit (ulimit -f {limit}) stopped a write while using the ledger {path}; the ledger was not changed; raise the limit (e.g. ulimit -f unlimited) and retry"),
    "ledger.size_limit_temp": ("文件大小超出限制 (ulimit -f {limit}): SQLite 使用台账 {path} 时要写的临时文件 (大的排序所用, 或台账旁的 -shm 文件) 没有空间; 没有写入台账, 台账未改动; 请放宽限制 (如 ulimit -f unlimited) 后重试",
                               "the file size limit (ulimit -f {limit}) left no room for a temporary file SQLite writes while using the ledger {path} (for a large sort, or the -shm file beside it); nothing was written to the ledger: the ledger was not changed; raise the limit (e.g. ulimit -f unlimited) and retry"),
    "ledger.read_only": ("台账 {path} 只读 (文件或文件夹无写权限): 可以查询, 不能写入",
                         "the ledger {path} is read-only (no write permission on the file or folder): it can be read, not written"),
    "ledger.read_only_upgrade": ("台账 {path} 只读, 而它的结构需要升级; 请用有写权限的账号运行一次",
                                 "the ledger {path} is read-only and its schema needs an upgrade; run gridctl once with write access"),
    "ledger.read_only_folder": ("文件夹 {folder} 只读, 不能在其中创建台账 {path}",
                                "the folder {folder} is read-only; cannot create the ledger {path} there"),
    "ledger.cannot_open": ("无法打开台账 {path} (文件夹不存在或无权限)", "cannot open the ledger {path} (missing folder or no permission)"),
    "ledger.damaged": ("台账 {path} 的文件已损坏 (SQLite 读到损坏的数据页: database disk image is malformed); "
                       "请用 gridctl verify 查看, 从备份恢复 (gridctl restore); 台账未改动",
                       "the ledger file {path} is damaged (SQLite read a damaged page: database disk image is "
                       "malformed); run gridctl verify to see it, and restore it from a backup (gridctl restore); "
                       "nothing was written"),
    "ledger.schema_damaged": ("台账 {path} 已损坏: 缺少 gridctl 需要的表或列 (在台账之外被删除或改动); 请用 gridctl verify "
                              "--deep 查看缺少什么, 从备份恢复 (gridctl restore)",
                              "the ledger {path} is damaged: a table or column gridctl needs is gone (dropped or "
                              "altered outside gridctl); run gridctl verify --deep to see which, and restore it "
                              "from a backup (gridctl restore)"),
    "ledger.no_room": ("磁盘已满: {path} 所在的磁盘没有剩余空间, SQLite 读写都无法进行 (连台账旁的 -shm 小文件也建不起来); "
                       "请腾出空间后重试, 台账未改动",
                       "the disk is full: the disk holding {path} has no room left, and SQLite can neither read nor "
                       "write there (not even the small -shm file beside the ledger); free some space and retry; "
                       "nothing was written to the ledger"),
    "ledger.io_error": ("读写台账 {path} 时磁盘出错; 请检查磁盘后用 gridctl verify 核对", "a disk error while using the ledger {path}; check the disk, then run gridctl verify"),
    "ledger.is_dir": ("{path} 是文件夹, 不是台账文件", "{path} is a folder, not a ledger file"),
    "ledger.not_regular": ("{path} 不是普通文件 (设备或管道等), 不是台账文件", "{path} is not a plain file (a device, a pipe …), not a ledger file"),
    "ledger.missing": ("台账 {path} 不存在; 请检查 --db 或 GRIDCTL_DB 是否写对 (新台账用 gridctl init 或 gridctl load 建立)",
                       "the ledger {path} does not exist: check --db or GRIDCTL_DB (a new ledger is made by gridctl init or gridctl load)"),
    "ledger.no_folder": ("台账 {path} 所在的文件夹 {folder} 不存在; 请先创建它", "the folder {folder} of the ledger {path} does not exist; create it first"),
    # files written and read
    "file.missing": ("文件或文件夹不存在: {path}", "no such file or folder: {path}"),
    "file.no_folder": ("文件夹 {folder} 不存在, 无法写入 {path}; 请先创建它", "the folder {folder} does not exist; cannot write {path}; create it first"),
    "file.cannot_create": ("文件夹 {folder} 中不能新建文件 (系统文件夹, 如 /proc), 无法写入 {path}; 请写到别的文件夹",
                           "no file can be made in the folder {folder} (a system folder, such as /proc); cannot write {path}; write it elsewhere"),
    "file.is_dir": ("{path} 是文件夹; 请给出文件名", "{path} is a folder; give a file name"),
    "file.no_name": ("{field}: 没有给出文件名 (是空的; 脚本中的变量未设置?); 请写出文件名", "{field}: no file name given (it is empty: a script's variable not set?); give a file name"),
    "file.invisible_name": ("{field}: 文件名只有看不见的零宽字符 ({codes}), 看上去是空的, 等于没有给出文件名; 请写出文件名; 没有写入任何文件",
                            "{field}: the file name holds only zero-width characters ({codes}): it looks blank, as no file name given; give a file name; nothing was written"),
    "file.written_as_folder": ("{field}: {path} 以 / 结尾, 是文件夹的写法; 输出是一个文件, 请在 / 后写上文件名 (文件夹须已存在); 没有写入任何文件",
                               "{field}: {path} ends in /, which names a folder; the output is one file: write its name after the / (the folder must exist); nothing was written"),
    "file.onto_input": ("{field}: {path} 也是本命令要读的文件 ({input}), 写输出会把它替换掉; 请另给一个文件名; 没有写入任何文件",
                        "{field}: {path} is also the file this command reads ({input}); the output would replace it; give another file name; nothing was written"),
    "file.onto_ledger": ("{path} 是正在使用的台账本身或它的密钥、日志文件, 不能把输出写到这里; 请另给一个文件名",
                         "{path} is the ledger in use or its key or journal file; give the output another file name"),
    "file.onto_database": ("{path} 是一个 SQLite 数据库 (台账或它的备份), 输出文件不会覆盖它; 请另给一个文件名",
                           "{path} is an SQLite database (a ledger or its backup), which an output will not replace; give another file name"),
    "file.not_regular": ("{path} 不是普通文件 (设备或管道等); 请给出一个文件名", "{path} is not a plain file (a device, a pipe …); give a file name"),
    "file.windows_char": ("{field}: 文件名“{name}”中有“{char}”, Windows 的文件名不能含有它 (< > : \" \\ | ? * 都不行), 拷到 Windows 电脑上就打不开; 请换掉它 (如用 - 代替 :), 文件夹用 / 分隔; 没有写入任何文件",
                          "{field}: the file name “{name}” holds “{char}”, which no Windows file name may hold (nor < > : \" \\ | ? *): it would not open once copied to a Windows computer; replace it (- for :, say), and separate folders with /; nothing was written"),
    "file.windows_end": ("{field}: 文件名“{name}”以{end}结尾, Windows 会去掉它, 拷过去就成了另一个名字; 请删去结尾的{end}; 没有写入任何文件",
                         "{field}: the file name “{name}” ends in {end}, which Windows drops: copied there it would be another name; remove the {end} at its end; nothing was written"),
    "file.end.dot": ("点", "a dot"), "file.end.space": ("空格", "a space"),
    "file.windows_device": ("{field}: 文件名“{name}”是 Windows 保留的设备名 {device} (CON、PRN、AUX、NUL、COM1–COM9、LPT1–LPT9, 带扩展名也一样), Windows 电脑上打不开; 请换个名字 (前面加几个字即可, 如 周报-{name}); 没有写入任何文件",
                            "{field}: the file name “{name}” is the device name {device} that Windows reserves (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9, with any extension too): no Windows computer opens it; choose another (a word in front will do, such as report-{name}); nothing was written"),
    "file.read_only": ("没有写权限: {path} (只读的文件或文件夹)", "no permission to write {path} (a read-only file or folder)"),
    "file.disk_full": ("磁盘已满, 未能写完 {path}; 已删除未写完的文件, 请腾出空间后重试", "the disk is full; {path} was not written (the partial file was removed); free some space and retry"),
    "file.too_big": ("文件超出文件系统允许的大小: {path}; 请写到别的磁盘后重试", "{path} is larger than the file system allows; write it to another disk and retry"),
    "file.size_limit": ("文件大小超出限制 (ulimit -f {limit}), 未能写完 {path}; 已删除未写完的文件, 请放宽限制 (如 ulimit -f unlimited) 后重试",
                        "the file size limit (ulimit -f {limit}) stopped {path} half-way (the partial file was removed); raise the limit (e.g. ulimit -f unlimited) and retry"),
    "file.stdout_size_limit": ("文件大小超出限制 (ulimit -f {limit}), 输出未能写完; 已输出的内容不完整, 请放宽限制 (如 ulimit -f unlimited) 后重新运行",
                               "the file size limit (ulimit -f {limit}) stopped the output half-way; what was printed is incomplete; raise the limit (e.g. ulimit -f unlimited) and run again"),
    "file.stdout": ("输出未能写完 ({error}); 已输出的内容不完整, 请排除后重新运行", "the output could not be written whole ({error}); what was printed is incomplete; fix that and run again"),
    "file.name_too_long": ("文件名太长: {path}; 请用短一些的名字", "the file name is too long: {path}; use a shorter one"),
    "file.link_loop": ("{path} 是循环的符号链接; 请给出实际的文件", "{path} is a symbolic link that loops; give the real file"),
    "file.system_error": ("系统错误 {code}", "system error {code}"),
    "file.other": ("无法读写 {path}: {error}", "cannot read or write {path}: {error}"),
    # check / load
    "check.ok": ("检查通过: {files} 个文件, 未发现问题", "check passed: {files} file(s), no problems"),
    "check.problems": ("发现 {n} 个问题, 台账未改动", "{n} problem(s) found; the ledger was not changed"),
    "load.no_change": ("无变化: 台账已与 {folder} 一致", "no change: the ledger already matches {folder}"),
    "load.done": ("已载入 {folder}", "loaded {folder}"),
    "load.summary_head": ("类别", "Kind"),
    "load.total": ("现有", "Total"),
    "load.added": ("新增", "Added"),
    "load.changed": ("变更", "Changed"),
    "load.ended": ("终止", "Ended"),
    "table.grids": ("网格", "Grids"),
    "table.people": ("人员", "People"),
    "table.posts": ("岗位", "Posts"),
    "table.departments": ("职能部门", "Departments"),
    "table.teams": ("工作队", "Teams"),
    "table.team_members": ("队员", "Team members"),
    "table.team_grids": ("驻点网格", "Team grids"),
    "table.categories": ("问题类别", "Categories"),
    # grids
    "grid.from_register": ("据基础信息登记, 不是网格定义中的数", "as registered, not the definitions' figure"),
    "grid.not_found": ("找不到网格“{node}”", "no grid “{node}”"),
    "grid.none_given": ("没有给出网格 (是空的); 请写出网格编码或路径, 如 410105001001 或 金水区/经八路街道/黄河路社区",
                        "no grid given (it is empty); give a grid's code or path, such as 410105001001 or 金水区/经八路街道/黄河路社区"),
    "grid.ambiguous": ("“{node}”不唯一, 请用路径或编码: {matches}", "“{node}” is ambiguous; use a path or code: {matches}"),
    "grid.did_you_mean": ("是否要找: {matches}", "did you mean: {matches}"),
    "grid.not_found_near": ("找不到网格“{node}”; 是否要找: {matches}", "no grid “{node}”; did you mean: {matches}"),
    "grid.empty": ("台账中还没有网格, 请先 gridctl load", "the ledger has no grids yet; run gridctl load first"),
    "grid.code": ("编码", "Code"),
    "grid.name": ("名称", "Name"),
    "grid.level": ("层级", "Level"),
    "grid.kind": ("类型", "Kind"),
    "grid.path": ("路径", "Path"),
    "grid.platform": ("所属平台", "Platform"),
    "grid.households": ("户数", "Households"),
    "grid.residents": ("人口", "Residents"),
    "grid.extent": ("范围", "Extent"),
    "grid.duty_phone": ("值班电话", "Duty line"),
    "grid.children": ("下级网格", "Child nodes"),
    "grid.posts": ("岗位", "Posts"),
    "grid.role": ("职务", "Role"),
    "grid.person": ("姓名", "Name"),
    "grid.phone": ("联系电话", "Phone"),
    "grid.since": ("起", "Since"),
    "grid.until": ("止", "Until"),
    "grid.teams": ("驻点工作队", "Teams assigned"),
    "grid.team_unit": ("派出单位", "dispatching unit"),
    "grid.leader": ("队长", "leader"),
    "grid.departments": ("负责的职能部门", "Departments covering it"),
    "grid.inherited": ("(上级 {node})", "(from {node})"),
    "grid.none": ("无", "none"),
    # duty who
    "duty.title": ("{category} @ {grid}", "{category} @ {grid}"),
    "duty.lead": ("属地责任人", "Territorial lead"),
    "duty.department": ("执法部门", "Enforcing department"),
    "duty.assist": ("协助工作队", "Assisting team"),
    "duty.authority": ("可结案的最低层级", "Lowest level that may close"),
    "duty.platform": ("受理平台", "Receiving platform"),
    "duty.deadline": ("办结时限", "Deadline"),
    "duty.rule": ("依据", "Rule"),
    "duty.answer": ("答复", "Answer"),
    "duty.unknown_category": ("未知问题类别“{value}”", "unknown category “{value}”"),
    "duty.no_category": ("没有给出问题类别 (是空的); 请写出类别的名称或编码, 如 非法建设", "no category given (it is empty); give a category's name or code, such as illegal_building"),
    "duty.unknown_category_near": ("未知问题类别“{value}”; 是否要找: {matches}",
                                   "unknown category “{value}”; did you mean: {matches}"),
    "rule.lead_here": ("职责清单: {category} 由{role}牵头; {role} 在本网格 {grid} 有在岗人员",
                      "duty list: {role} leads {category}; held at this node {grid}"),
    "rule.lead_up": ("职责清单: {category} 由{role}牵头; 本网格无此岗, 取最近的上级网格 {grid}",
                    "duty list: {role} leads {category}; not held here, nearest ancestor holding it is {grid}"),
    "rule.lead_none": ("职责清单: {category} 由{role}牵头; 本网格及上级均无在岗人员",
                      "duty list: {role} leads {category}; nobody holds it here or above"),
    "rule.dept_none_needed": ("职责清单: {category} 未指定执法部门",
                             "duty list: {category} names no enforcing department"),
    "rule.dept_district": ("职责清单: {category} 由{kind}部门执法; 本区县 {grid} 的 {kind} 部门",
                          "duty list: the {kind} department enforces {category}; the one of this district {grid}"),
    "rule.dept_city": ("职责清单: {category} 由{kind}部门执法; 本区县没有, 取市级 {grid} 的 {kind} 部门",
                      "duty list: the {kind} department enforces {category}; none in the district, the city's {grid}"),
    "rule.dept_missing": ("职责清单: {category} 由{kind}部门执法; 区县与市级都没有该类部门",
                         "duty list: the {kind} department enforces {category}; no such department in the district or city"),
    "rule.assist_none": ("职责清单: {category} 不要求工作队协助",
                        "duty list: {category} asks no team to assist"),
    "rule.assist_here": ("职责清单: {category} 须工作队协助; 驻 {grid} 的工作队",
                        "duty list: a team assists with {category}; teams assigned to {grid}"),
    "rule.assist_missing": ("职责清单: {category} 须工作队协助; 本网格及上级均无驻点工作队",
                           "duty list: a team assists with {category}; no team is assigned here or above"),
    "rule.authority": ("职责清单: {category} 最低由{level}结案",
                      "duty list: {category} may be closed at the {level} level or above"),
    "rule.platform_own": ("在{level}发现, 本级平台有权处置", "found at a {level}; its own platform has authority"),
    "rule.platform_escalate": ("在{level}发现, 须逐级上报至{platform} ({path})",
                               "found at a {level}; must be escalated level by level to the {platform} ({path})"),
    "rule.deadline": ("职责清单: {category} 办结时限 {value}, 自受理起计",
                     "duty list: {category} to be done within {value}, counted from acceptance"),
    # calendar and times
    "config.unknown_header": ("不是导入表的表头, 这些别名不会被用上 (表头有: {known})",
                              "not a header of an import sheet, so these aliases would never be used (the headers are: {known})"),
    "config.unknown_header_near": ("不是导入表的表头, 这些别名不会被用上; 是指“{near}”吗? (表头有: {known})",
                                   "not a header of an import sheet, so these aliases would never be used; did you mean “{near}”? (the headers are: {known})"),
    "config.configs_not_a_folder": ("环境变量 GRIDCTL_CONFIGS 指向的 {path} 不是文件夹 (不存在或是文件); 请改正它, 或 unset GRIDCTL_CONFIGS 用默认配置",
                                    "the environment variable GRIDCTL_CONFIGS names {path}, which is not a folder (missing, or a file); correct it, or unset GRIDCTL_CONFIGS for the defaults"),
    "config.unknown_key": ("未知的项 (拼错了吗? 可用的项: {known})", "unknown key (misspelt? the keys are: {known})"),
    "config.missing": ("缺少此项 (或其上一级)", "this key (or the one above it) is missing"),
    "config.bad_value": ("取值不对 (应为数字、日期 YYYY-MM-DD 或时段 HH:MM-HH:MM, 见文件中的说明)",
                         "a wrong value (a number, a date YYYY-MM-DD or hours HH:MM-HH:MM: see the notes in the file)"),
    "config.bad_shape": ("格式不对: 此处应为键值或列表, 请对照 configs/ 中的原文件",
                         "malformed: a mapping or a list goes here; compare the file in configs/"),
    "calendar.weekend_day": ("周末的日子应为 1 (周一) 到 7 (周日) 之间的数字: “{value}”", "weekend days are numbers from 1 (Monday) to 7 (Sunday): “{value}”"),
    "calendar.bad": ("日历配置有误: {error}", "the calendar configuration is wrong: {error}"),
    "calendar.empty": ("文件是空的: 没有工作日历 (周末、节假日、调休、工作时间、时限; 各项及其写法见 gridctl 自带的 {default})",
                       "the file is empty: no working calendar (weekend, holidays, working hours, windows; its keys: gridctl's own {default})"),
    "time.no_such_month": ("没有这一天: “{value}” (月份是 01 到 12)", "no such day: “{value}” (months are 01 to 12)"),
    "time.no_such_day": ("没有这一天: “{value}” ({year} 年 {month} 月只有 {days} 天)", "no such day: “{value}” ({year}-{month:02d} has {days} days)"),
    "time.no_such_time": ("没有这个时刻: “{value}” (时是 00 到 23, 分是 00 到 59)", "no such time: “{value}” (hours are 00 to 23, minutes 00 to 59)"),
    "time.bad": ("{field} 时间格式应为 YYYY-MM-DD HH:MM: “{value}”", "{field} must be YYYY-MM-DD HH:MM: “{value}”"),
    "bounds.control_char": ("第 {pos} 个字符是控制字符 ({char}), 请删去后重试",
                            "character {pos} is a control character ({char}); remove it and retry"),
    "bounds.not_utf8": ("第 {pos} 个字符不是有效的 UTF-8 文字, 请检查终端或文件的编码",
                        "character {pos} is not valid UTF-8; check the terminal's or the file's encoding"),
    "bounds.only_invisible": ("只有看不见的零宽字符 (如 U+200B), 等于没有写; 请写出它的值",
                              "holds only zero-width characters (such as U+200B), which is nothing; write its value"),
    "bounds.too_long": ("太长 ({n} 个字符, 最多 {max})", "too long ({n} characters, at most {max})"),
    "bounds.number": ("超出范围: {value} (应在 {min}–{max} 之间)", "out of range: {value} (must be {min}–{max})"),
    "bounds.too_large": ("数值过大: {value} (应不大于 {max})", "too large: {value} (must be at most {max})"),
    "bounds.too_small": ("数值过小: {value} (应不小于 {min})", "too small: {value} (must be at least {min})"),
    "bounds.year": ("年份超出范围: {value} (应在 {min}–{max} 年之间)",
                    "the year is out of range: {value} (must be {min}–{max})"),
    "time.bad_cell": ("时间格式应为 2026-11-24 10:00 或 2026/11/24 10:00: “{value}”",
                      "a time is written 2026-11-24 10:00 or 2026/11/24 10:00: “{value}”"),
    "time.since_after_until": ("--since {since} 晚于 --until {until}, 这段日期里什么也没有; 是写反了吗?", "--since {since} is after --until {until}: nothing lies between; written the wrong way round?"),
    "time.bad_date": ("{field} 日期格式应为 YYYY-MM-DD: “{value}”", "{field} must be YYYY-MM-DD: “{value}”"),
    # issues
    "issue.no_office": ("无法确定本台账的平台: 请先 gridctl load, 或用 gridctl init --node 指定",
                        "cannot tell which platform keeps this ledger: run gridctl load, or gridctl init --node"),
    "actor.missing": ("请指明操作人: 加 --by 人员编号或姓名, 或设置环境变量 GRIDCTL_USER (如 export GRIDCTL_USER=P007)",
                      "say who is acting: add --by PERSON (an id or unique name), or set GRIDCTL_USER (export GRIDCTL_USER=P007)"),
    "actor.unknown": ("操作人“{value}”不是台账中的人员; 用 --by 或 GRIDCTL_USER 给出人员编号或唯一姓名",
                      "the actor “{value}” is not a person in the ledger; give an id or unique name with --by or GRIDCTL_USER"),
    "actor.ambiguous": ("操作人“{value}”不唯一 ({ids}), 请用人员编号 (--by 或 GRIDCTL_USER)",
                        "the actor “{value}” is ambiguous ({ids}); use an id (--by or GRIDCTL_USER)"),
    "issue.not_found": ("找不到问题 {id}", "no issue {id}"),
    "issue.none_given": ("没有给出问题编号 (是空的); 请写出问题编号, 如 410105001-2026-00042, 或本台账内的序号 42",
                         "no issue given (it is empty); give an issue's id, such as 410105001-2026-00042, or its number in this ledger, 42"),
    "issue.illegal_move": ("状态为“{status}”的问题不能{action}; 此状态下可以: {allowed}",
                           "an issue that is {status} cannot take the move “{action}”; allowed from here: {allowed}"),
    "issue.nothing_allowed": ("无 (已终结)", "nothing (it is final)"),
    "issue.above_city": ("已在市级平台, 不能再向上报", "held by the city platform already; there is nothing above it"),
    "issue.future_time": ("时间 {at} 在未来", "time {at} is in the future"),
    "issue.time_before_last": ("时间 {at} 早于该问题上一次记录的时间 {last}",
                               "time {at} is before the issue's last event at {last}"),
    "issue.found_after_report": ("发现时间 {found} 晚于上报时间 {at}", "found at {found}, after it was reported at {at}"),
    "issue.grid_outside_office": ("网格 {grid} 不在本台账平台 {office} 的辖区内",
                                  "grid {grid} is outside this ledger's platform {office}"),
    "issue.empty_search": ("没有给出要查找的文字; 请写出问题标题、地点或处置记录中的几个字, 如 gridctl issue search 违建",
                           "no text to search for; give a few characters of an issue's title, place or notes, as in gridctl issue search 违建"),
    "issue.bad_source": ("未知来源“{value}” (可选: {allowed})", "unknown source “{value}” (known: {allowed})"),
    "issue.bad_status": ("未知状态“{value}” (可选: {allowed})", "unknown status “{value}” (known: {allowed})"),
    "issue.bad_colour": ("未知颜色“{value}” (可选: {allowed})", "unknown colour “{value}” (known: {allowed})"),
    "callback.satisfied": ("满意", "satisfied"),
    "callback.fair": ("基本满意", "fairly satisfied"),
    "callback.unsatisfied": ("不满意", "unsatisfied"),
    "issue.bad_callback": ("回访结果应为 {allowed}, 而不是“{value}”", "callback result must be {allowed}, not “{value}”"),
    "issue.callback_held": ("问题 {id} 结案后已回访 ({at}, {result}); 一次结案只记一次回访, 未记录; "
                            "群众不满意、要重新办理: 用 gridctl issue reopen; 回访结果记错了: 加 --correct 重新执行, 记为更正 (原回访仍留在处置经过中)",
                            "issue {id} has been called back since it was closed ({at}, {result}): one callback a closing; nothing recorded. "
                            "The resident is unsatisfied and it must be done again: gridctl issue reopen; the result was recorded wrong: "
                            "run again with --correct to record a correction (the first callback stays in the history)"),
    "issue.callback_nothing_to_correct": ("问题 {id} 本次结案后还没有回访, 没有可更正的; 去掉 --correct 记录回访",
                                          "issue {id} has no callback since it was closed, so none to correct; leave out --correct"),
    "issue.callback_step": ("{action}: {result}", "{action}: {result}"),
    "issue.callback_uncounted": ("{action}: {result} (未计入: 本次结案已回访)",
                                 "{action}: {result} (not counted: called back already)"),
    "issue.callback_corrected": ("更正 {at} 的回访: {result} → {now}", "corrects the callback of {at}: {result} → {now}"),
    "issue.bad_days": ("延期天数应为正数: {days}", "days must be positive: {days}"),
    "issue.empty_title": ("问题描述不能为空", "the title must not be empty"),
    "issue.empty_assignee": ("--to 是空的; 不写 --to 则派遣给牵头的部门或工作队, 写则给出部门、工作队编码或人员编号",
                             "--to is empty; leave it out to dispatch to the leading department or team, or give a department, team or person"),
    "issue.option_required": ("需要 {option}", "{option} is required"),
    "issue.unknown_approver": ("批准人“{value}”不是台账中的人员; 用 --approver 给出批准人的人员编号或唯一姓名",
                               "the approver “{value}” is not a person in the ledger; give their id or unique name with --approver"),
    "issue.ambiguous_approver": ("批准人“{value}”不唯一 ({ids}), 请用人员编号 (--approver)",
                                 "the approver “{value}” is ambiguous ({ids}); use an id (--approver)"),
    "issue.self_approver": ("批准人 {person} 就是本次操作人: 延期须由申请人以外的人批准 (如受理平台或牵头部门的负责人); "
                            "请用 --approver 给出批准人的人员编号或唯一姓名, 或由批准人以 --by 记录; 未记录",
                            "the approver {person} is the clerk acting: an extension is approved by someone other than "
                            "the one asking for it (such as the head of the holding platform or the leading department); "
                            "give that person with --approver, or let them record it with --by; nothing recorded"),
    "issue.unknown_assignee": ("“{value}”既不是部门、工作队, 也不是人员", "“{value}” is no department, team or person"),
    "issue.auto_escalate": ("超出本级权限, 逐级上报至{authority}", "beyond this level's authority; escalated toward the {authority}"),
    "issue.added": ("已登记 {id}: {category} @ {grid}", "recorded {id}: {category} @ {grid}"),
    "issue.moved": ("{id}: {from_status} → {to_status}", "{id}: {from_status} → {to_status}"),
    "issue.route": ("受理平台 {holder} ({level}); 牵头 {lead}; 部门 {department}; 协助 {team}",
                    "held by {holder} ({level}); lead {lead}; department {department}; team {team}"),
    "issue.deadline_line": ("办结时限 {rule}; 截止 {deadline}", "deadline {rule}; due {deadline}"),
    "issue.not_yet": ("受理后计算", "set on acceptance"),
    "issue.possible_duplicates": ("可能是重复上报: 同一网格、同一类别, 前后 {days} 天内已登记 {count} 个描述相近的问题 (见上表); 未登记",
                                  "possibly a duplicate: {count} similar issue(s) of the same grid and category within {days} days (listed above); nothing recorded"),
    "issue.duplicate_hint": ("是同一问题: 无需再登记, 在原问题上跟进; 确属另一问题: 加 --force 重新执行即可登记",
                             "the same issue: do not record it again, follow the one listed; a different one: run again with --force"),
    "issue.candidates": ("已登记的相近问题", "Similar issues already recorded"),
    "issue.similarity": ("相近程度", "Similarity"),
    "issue.forced_past": ("确认不是重复后登记 (相近问题 {count} 个: {ids})", "recorded with --force past {count} similar issue(s): {ids}"),
    "issue.duplicate_of_self": ("问题 {id} 不能重复于它自己", "issue {id} cannot duplicate itself"),
    "issue.marked_duplicate": ("{id} 已记为 {original} 的重复上报", "{id} is recorded as a duplicate of {original}"),
    "show.duplicate_of": ("重复于", "Duplicate of"),
    "show.duplicates": ("重复上报", "Duplicates"),
    "import.possible_duplicates": ("其中 {count} 条可能是重复上报 (同一网格、同一类别、时间相近、描述相近), 已照常导入; 请核对:",
                                   "{count} of them may be duplicates (same grid and category, close in time, similar title); imported all the same, please check:"),
    "import.possible_duplicates_dry": ("其中 {count} 行可能与台账中已有的问题重复 (同一网格、同一类别、时间相近、描述相近); 导入时照常导入, 请先核对:",
                                       "{count} rows may repeat an issue already in the ledger (same grid and category, close in time, similar title); an import takes them all the same, please check:"),
    "import.duplicates_unchecked": ("超过 {groups} 行或 {groups} 个网格与类别的组合, 未查重复上报", "more than {groups} rows or grid-and-category pairs: not checked for duplicates"),
    "import.more_duplicates": ("  另有 {more} 条, 全部见 --json 的 possible_duplicates", "  {more} more: all of them in --json (possible_duplicates)"),
    "import.duplicate_row": ("  第 {id} 行 {title} ↔ {candidates}", "  row {id} {title} ↔ {candidates}"),
    "import.duplicate_line": ("  {id} {title} ↔ {candidates}", "  {id} {title} ↔ {candidates}"),
    "issue.showing": ("显示 {shown} / 共 {total} 条 (用 --limit 调整)", "showing {shown} of {total} (use --limit)"),
    "issue.none_found": ("没有符合条件的问题", "no issues match"),
    "issue.timeline": ("处置经过", "Timeline"),
    "timeline.time": ("时间", "Time"),
    "timeline.action": ("环节", "Action"),
    "timeline.status": ("状态", "Status"),
    "timeline.platform": ("平台", "Platform"),
    "timeline.by": ("操作人", "By"),
    "timeline.note": ("情况", "Note"),
    "show.lead": ("牵头人", "Lead"),
    "show.department": ("执法部门", "Department"),
    "show.team": ("协助工作队", "Assisting team"),
    "show.assignee": ("派遣至", "Dispatched to"),
    "show.approver": ("延期批准人", "Extension approved by"),
    "show.late_report": ("迟报", "Reported late"),
    "show.found_at": ("发现时间", "Found"),
    "show.reporter": ("上报人", "Reporter"),
    "status.reported": ("已上报", "reported"),
    "status.accepted": ("已受理", "accepted"),
    "status.dispatched": ("处置中", "dispatched"),
    "status.handled": ("已处置", "handled"),
    "status.closed": ("已结案", "closed"),
    "status.rejected": ("不予受理", "rejected"),
    "colour.green": ("绿", "green"),
    "colour.yellow": ("黄", "yellow"),
    "colour.red": ("红(超期)", "red (overdue)"),
    "action.add": ("上报", "add"),
    "action.accept": ("受理", "accept"),
    "action.dispatch": ("派遣", "dispatch"),
    "action.handle": ("处置", "handle"),
    "action.close": ("结案", "close"),
    "action.reject": ("不予受理", "reject"),
    "action.escalate": ("上报上级", "escalate"),
    "action.rework": ("返工", "rework"),
    "action.extend": ("延期", "extend"),
    "action.reopen": ("重新办理", "reopen"),
    "action.callback": ("回访", "callback"),
    # an event's action in words (`action_words`): the record kinds' `kind.verb`
    "event.patrol.add": ("巡查登记", "patrol recorded"),
    "event.patrol.void": ("巡查作废", "patrol voided"),
    "event.meeting.add": ("会议登记", "meeting recorded"),
    "event.meeting.void": ("会议作废", "meeting voided"),
    "event.attendance.add": ("出勤记录登记", "attendance record recorded"),
    "event.attendance.void": ("出勤记录作废", "attendance record voided"),
    "event.study.add": ("学习记录登记", "study record recorded"),
    "event.study.void": ("学习记录作废", "study record voided"),
    "event.publicity.add": ("宣传报道登记", "publicity item recorded"),
    "event.publicity.void": ("宣传报道作废", "publicity item voided"),
    "event.survey.add": ("民意测评登记", "survey recorded"),
    "event.survey.void": ("民意测评作废", "survey voided"),
    "event.patrol.link": ("巡查关联问题", "issues linked to a patrol"),
    "event.household.add": ("户登记", "household recorded"),
    "event.household.update": ("户变更", "household changed"),
    "event.household.move": ("户迁移", "household moved"),
    "event.household.retire": ("户注销", "household retired"),
    "event.resident.add": ("人登记", "resident recorded"),
    "event.resident.update": ("人变更", "resident changed"),
    "event.resident.move": ("人迁移", "resident moved"),
    "event.resident.retire": ("人注销", "resident retired"),
    "event.place.add": ("地物登记", "place recorded"),
    "event.place.update": ("地物变更", "place changed"),
    "event.place.move": ("地物迁移", "place moved"),
    "event.place.retire": ("地物注销", "place retired"),
    "event.org.add": ("组织登记", "organisation recorded"),
    "event.org.update": ("组织变更", "organisation changed"),
    "event.org.move": ("组织迁移", "organisation moved"),
    "event.org.retire": ("组织注销", "organisation retired"),
    "event.register.personal": ("导出个人信息", "personal data taken out"),
    "event.score.approve": ("考核批准", "assessment approved"),
    "event.score.reopen": ("撤回考核批准", "approval withdrawn"),
    "event.score.flag": ("标记虚报", "flagged as false reporting"),
    "event.score.unflag": ("撤回虚报标记", "flag withdrawn"),
    "close_mode.self": ("自办自结", "closed by the grid"),
    "close_mode.department": ("部门办结", "closed by a department"),
    "close_mode.escalated": ("上报办结", "closed after escalation"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # verify
    "verify.ok": ("事件链完整: {count} 条事件, {offices} 个平台", "the event log is intact: {count} events, {offices} office(s)"),
    "verify.edited": ("平台 {office} 的第 {n} 条事件 (seq {seq}, {subject}, {action}) 被改动过: 内容与其哈希不符",
                      "event #{n} of office {office} (seq {seq}, {subject}, {action}) was edited: its content does not match its hash"),
    "verify.relinked": ("平台 {office} 的第 {n} 条事件 (seq {seq}, {subject}, {action}) 与前一条事件链接不上: 前一条被改写, 或本条被插入",
                        "event #{n} of office {office} (seq {seq}, {subject}, {action}) does not link to the event before it: that one was rewritten or this one inserted"),
    "verify.missing": ("平台 {office} 的第 {n} 条事件缺失 (被删除)", "event #{n} of office {office} is missing (deleted)"),
    "verify.inserted": ("平台 {office} 的第 {n} 条事件 (seq {seq}, {subject}, {action}) 是在台账之外插入的",
                        "event #{n} of office {office} (seq {seq}, {subject}, {action}) was inserted behind the ledger's back"),
    "verify.projection": ("{issue} 的台账行与其事件不符: {field} 按事件应为 {expected}, 台账中为 {found}",
                          "{issue}: its ledger row does not match its events: {field} should be {expected} by the events, the row says {found}"),
    "verify.table": ("{table} 表与事件链不符 ({row}): 按事件应为 {expected}, 表中为 {found}",
                     "the table {table} does not match the chain ({row}): the events say {expected}, the table says {found}"),
    "verify.repeats": ("注意: 台账中有 {count} 条记录与先记的记录是同一条 (同一天同一人、同一网格或同一单位的同一种记录"
                       "只记一次; 由旧版 gridctl 记录或合并而来): {repeats}。统计时每组只计先记的一条。内容不同的, 哪条为准"
                       "请记录它们的平台核实: 作废 (void) 记错的一条",
                       "note: {count} record(s) are the same record as one written before them (one record of a kind a "
                       "person, grid or unit and day; written by an older gridctl, here or merged in): {repeats}. Each "
                       "counts once, as the one written first. Where they differ, the office that wrote them is to say "
                       "which is right: void the wrong one"),
    "verify.callbacks_uncounted": ("注意: 台账中有 {count} 次回访是同一次结案的第二次回访, 未标为更正 (由旧版 gridctl "
                                   "记录或合并而来): {callbacks}。按第一次回访计。若后一次是更正, 请记录它的平台用 "
                                   "gridctl issue callback --correct 记录更正",
                                   "note: {count} callback(s) came second on one closing and are no correction (written "
                                   "by an older gridctl, here or merged in): {callbacks}. The first callback counts. If "
                                   "the later one was a correction, the office that wrote it is to record it with "
                                   "gridctl issue callback --correct"),
    "verify.households_sharing": ("注意: 台账中有 {count} 组同一网格的户门牌只差大小写或空格, 现按同一门牌比对 (由旧版 "
                                  "gridctl 分开登记): {groups}。按门牌查找时取与所写门牌完全相同的一户; 如为同一户, "
                                  "请注销 (register retire) 多余的一户",
                                  "note: {count} group(s) of households of one grid whose addresses differ only in "
                                  "letter case or blanks and now compare as one (registered apart by an older gridctl): "
                                  "{groups}. An address finds the household written exactly so; if they are one "
                                  "household, retire the extra one (register retire)"),
    "verify.household_group": ("{grid}: {households}", "{grid}: {households}"),
    "verify.absences_on_leave": ("注意: 台账中有 {count} 对不在岗与请假落在同一天 (同一人同一天不能既请假又不在岗; 由旧版 "
                                 "gridctl 记录, 或由两个平台各记一条合并而来): {pairs}。不在岗照计 (请假不抵督查发现的不在岗)。"
                                 "哪条为准请记录它们的平台核实: 作废 (void) 记错的一条",
                                 "note: {count} pair(s) of an absence and leave share a day (a person is not both on "
                                 "leave and absent on one day; written by an older gridctl, or one by each of two "
                                 "offices and merged): {pairs}. The absence counts (leave does not undo an absence found "
                                 "by inspection). The offices that wrote them are to say which is right and void the "
                                 "wrong one"),
    "verify.absences_overlap": ("注意: 台账中有 {count} 条不在岗与先记的不在岗有重叠的日子 (同一人同一天只记一次不在岗; "
                                "由旧版 gridctl 记录或合并而来): {overlaps}。统计时每人每天只计一天。哪条为准请记录它们"
                                "的平台核实: 作废 (void) 记错的一条后按实际天数重记",
                                "note: {count} absence(s) share days with an absence written before them (a person is "
                                "absent once a day; written by an older gridctl, here or merged in): {overlaps}. Each "
                                "day counts once a person. The office that wrote them is to say which is right: void "
                                "the wrong one and record the days as they were"),
    "verify.repeats_more": ("…另有 {n} 条 (--json 可看全部)", "… {n} more (--json lists all)"),
    "verify.schema_gone": ("台账文件中缺少{what} {name} (在台账之外被删除或改动); 请从备份恢复 (gridctl restore)",
                           "the ledger file has no {what} {name} (dropped or altered outside gridctl); restore it "
                           "from a backup (gridctl restore)"),
    "verify.schema_table": ("表", "table"), "verify.schema_column": ("列", "column"),
    "verify.event_days": ("每日末条事件表 event_days 与事件链不符 ({day}): 按事件该日最后一条是 seq {expected}, 表中为 "
                          "{found}; 报表和考核按此表找截至某一时刻的最后一条事件",
                          "the table of each day's last event (event_days) does not match the event log ({day}): the "
                          "events say seq {expected}, the table {found}; reports and scores find the last event as of a "
                          "moment from it"),
    "verify.integrity": ("SQLite 检查发现台账文件损坏: {problems}; 请从备份恢复 (gridctl restore)",
                         "SQLite finds the ledger file damaged: {problems}; restore it from a backup (gridctl restore)"),
    "verify.projection_ok": ("逐条重放: {issues} 个问题、{records} 条巡查与考核记录、{register} 条基础信息的台账行与事件一致",
                             "replayed: the rows of {issues} issues, {records} patrol and conduct records and {register} register entries match their events"),
    "verify.truncated": ("平台 {office} 的事件链从第 {n} 条起被截断 (记录的末条已不在)",
                         "the chain of office {office} is cut off from event #{n} (its recorded last events are gone)"),
    "verify.marked": ("平台 {office} 的第 {n} 条事件 (seq {seq}, {subject}, {action}) 被改动过: “{field}”含有哈希用的分隔符 (U+001E 或 U+001F), 台账从不写入这两个字符",
                      "event #{n} of office {office} (seq {seq}, {subject}, {action}) was edited: its “{field}” holds a separator of the hashed text (U+001E or U+001F), which no ledger ever holds"),
    # sheets
    "sheet.missing": ("找不到文件 {file}", "no such file {file}"),
    "sheet.bad_type": ("只支持 .xlsx 和 .csv: {file}", "only .xlsx and .csv are supported: {file}"),
    "sheet.utf16": ("{file} 是 UTF-16 编码 (Excel 另存为“Unicode 文本”时的编码), gridctl 不读; 请在 Excel 中另存为“CSV UTF-8 (逗号分隔)”或 .xlsx",
                    "{file} is UTF-16 (what Excel writes as “Unicode Text”), which gridctl does not read; save it from Excel as “CSV UTF-8 (Comma delimited)” or as .xlsx"),
    "sheet.bad_encoding": ("{file} 既不是 UTF-8 也不是 GB18030 (GBK) 编码, 请另存为 UTF-8 的 CSV",
                           "{file} is neither UTF-8 nor GB18030 (GBK): save it as a UTF-8 CSV"),
    "output.replaced": ("注意: 输出的编码 ({encoding}) 写不出其中 {n} 个字符 (如表情符号), 已写成“?”; 这样的输出再导入会与台账不符, "
                        "要原样写出请设 PYTHONIOENCODING=utf-8 后重新运行",
                        "note: the output's encoding ({encoding}) cannot hold {n} of its characters (an emoji, say), "
                        "written as “?”; output so written and imported again would differ from the ledger; set "
                        "PYTHONIOENCODING=utf-8 and run it again to write them as they are"),
    "sheet.not_text": ("{file} 不是文本文件 (含 NUL 字节), 不是 CSV; 请确认选对了文件, 或在 Excel 中另存为“CSV UTF-8 (逗号分隔)”或 .xlsx",
                       "{file} is not a text file (it holds NUL bytes), so not a CSV; check you picked the right file, "
                       "or save it from Excel as “CSV UTF-8 (comma delimited)” or .xlsx"),
    "sheet.cell_too_big": ("{file} 第 {row} 行有单元格超过 {limit} 个字符, 未导入",
                           "{file} row {row} has a cell longer than {limit} characters: nothing imported"),
    "sheet.encoding": ("CSV 编码: {encoding}", "CSV encoding: {encoding}"),
    "sheet.bad_output": ("输出文件应以 .xlsx 或 .csv 结尾: {file}", "the output must end in .xlsx or .csv: {file}"),
    "import.router_lost": ("导入中途分流进程意外结束 ({why}), 未导入, 台账未改动; 请重新运行 (内存不足时可把表拆小)",
                           "the import's routing process ended unexpectedly ({why}): nothing imported, the ledger is unchanged; run it again (split the sheet if memory is short)"),
    "sheet.changed": ("{file} 在导入过程中被修改, 未导入; 请关闭后重试", "{file} changed while it was imported: nothing imported, try again"),
    "sheet.unreadable": ("无法读取 {file}: {error}", "cannot read {file}: {error}"),
    "sheet.extra_column_known": ("未知的列 (可用 --ignore-extra 忽略); 此表可用的列: {known}",
                                 "unknown column (use --ignore-extra to skip it); this sheet takes: {known}"),
    "sheet.extra_column_near": ("未知的列, 是否是“{near}”? (可用 --ignore-extra 忽略); 此表可用的列: {known}",
                                "unknown column; did you mean “{near}”? (use --ignore-extra to skip it); this sheet takes: {known}"),
    "sheet.duplicate_column": ("列重复", "column appears twice"),
    "sheet.same_column": ("与“{first}”列是同一列 (两列都用了同一项, 删去或改名其中一列)", "the same column as “{first}” (both name one field: delete or rename one of them)"),
    "sheet.missing_column": ("缺少必需的列", "required column is missing"),
    "sheet.first_empty": ("第一个工作表是空的; gridctl 只读第一个工作表, 数据在工作表“{other}”: 请把它移到最前 (或删去空的工作表)",
                          "the first sheet is empty; gridctl reads the first sheet only, and the data is on the sheet “{other}”: move it to the front (or delete the empty sheet)"),
    "sheet.empty": ("文件是空的: 没有表头, 也没有数据行", "the file is empty: no header and no rows"),
    "sheet.other_import": ("这张表的表头都是另一种导入表的, 不是这个命令导入的; 是要用 {command} 吗?",
                           "this sheet's headers are all another import's, not this command's; did you mean {command}?"),
    "sheet.unclosed_quote": ("{file} 第 {line} 行起有一个引号 (\") 没有闭合, 其后的内容都成了一个单元格; 请检查该行",
                             "{file}: a quote (\") opened at row {line} is never closed, so the rest of the file is one cell; check that row"),
    "sheet.bad_quote": ("{file} 第 {line} 行: 引号 (\") 闭合后紧跟着文字 (如 \"1\"x); 请检查该行",
                        "{file} row {line}: text right after a closing quote (like \"1\"x); check that row"),
    "sheet.duplicate_row": ("与第 {row} 行重复", "duplicates row {row}"),
    "import.is_export": ("{file} 是 issue export 导出的问题台账 (带事件编号、状态和各环节时间), 不能再导入: 导入只登记新问题, 状态和经过会丢失。"
                         "在台账之间传递问题用 bundle 和 merge; 登记新问题请用导入表的列 (网格编码 问题类别 来源 问题描述 发现时间 …, 见 docs/formats.md)",
                         "{file} is an issue export (issue ids, statuses and each stage's time); it cannot be imported: an import records new issues "
                         "and would lose their status and history. Hand issues between ledgers with bundle and merge; to record new issues use "
                         "the import sheet's columns (grid, category, source, title, found_at …, see docs/formats.md)"),
    "import.held_differs": ("{field}与台账不符: 台账中已有此行的问题 {id}, 其{field}为 {held}, 此行为 {given}; "
                            "导入不更改已登记的问题, 登记后的{field}也没有命令可以更改, 所以整张表都未导入: 请把此行改回台账中的值 "
                            "(或删去此行) 再导入; 台账记错的, 在下一步办理时用 --note 记下更正 (如 gridctl issue accept {id} --note …)",
                            "{field} differs from the ledger: the ledger holds this row's issue, {id}, with {held}; this row says "
                            "{given}. An import never changes an issue already recorded, and no command changes this field once "
                            "recorded, so nothing of the sheet was imported: put the ledger's value back in this row (or delete the "
                            "row) and import again; if the ledger is wrong, record the correction with --note when the issue is "
                            "next handled (as in gridctl issue accept {id} --note …)"),
    "import.empty_value": ("(空)", "(empty)"),
    "import.done": ("共 {rows} 行: 导入 {imported} 条, 已存在 {already} 条", "{rows} rows: {imported} imported, {already} already in the ledger"),
    "import.dry_run": ("试导入 (未写入): 共 {rows} 行, 可导入 {imported} 条, 已存在 {already} 条",
                       "dry run (nothing written): {rows} rows, {imported} would be imported, {already} already in the ledger"),
    "export.done": ("已导出 {count} 条到 {file}", "exported {count} issues to {file}"),
    "export.sheet": ("问题台账", "issues"),
    "export.title_line": ("问题台账 截至 {as_of}", "Issue ledger as of {as_of}"),
    "export.no": ("序号", "No."),
    "export.id": ("事件编号", "Issue id"),
    "export.grid_name": ("网格名称", "Grid"),
    "export.grid": ("网格编码", "Grid code"),
    "export.category": ("问题类型", "Category"),
    "export.title": ("问题描述", "Description"),
    "export.place": ("地点", "Place"),
    "export.found_at": ("发现时间", "Found"),
    "export.reporter": ("上报人", "Reporter"),
    "export.phone": ("联系电话", "Phone"),
    "export.source": ("来源", "Source"),
    "export.ref": ("原编号", "Ref"),
    "export.reported_at": ("上报时间", "Reported"),
    "export.accepted_at": ("立案时间", "Accepted"),
    "export.dispatched_at": ("派遣时间", "Dispatched"),
    "export.assignee": ("处置单位", "Assigned to"),
    "export.deadline_rule": ("处置时限", "Time limit"),
    "export.deadline": ("截止时间", "Due"),
    "export.handled_at": ("处置时间", "Handled"),
    "export.closed_at": ("办结时间", "Closed"),
    "export.status": ("状态", "Status"),
    "export.colour": ("预警", "Colour"),
    "export.on_time": ("是否按期", "On time"),
    "export.close_mode": ("办结方式", "Closed by"),
    "export.escalations": ("上报次数", "Escalations"),
    "export.reworks": ("返工次数", "Reworks"),
    "export.extended_days": ("延期天数", "Days extended"),
    "export.callback": ("群众满意度", "Callback"),
    "export.holder": ("受理平台", "Held by"),
    "export.level": ("平台层级", "Platform"),
    "export.last_note": ("处置情况", "Last note"),
    # patrols and conduct records
    "rules.bad_who": ("who 应为 team 或 post (post 还须给出 roles): “{who}”", "who is team or post (a post with its roles): “{who}”"),
    "rules.bad_meeting_who": ("会议规则的 who 应为 team (每个工作队): “{who}”", "a meeting rule's who is team (each work team): “{who}”"),
    "rules.bad_roles": ("roles 应为岗位名称的列表 (每项一个词), 如 roles: [下沉人员, 网格长]",
                        "roles is a list of post names (one word each), such as roles: [下沉人员, 网格长]"),
    "rules.bad_meeting_kind": ("会议规则的 kind 应为会议类别之一 ({choices}): “{kind}”",
                               "a meeting rule's kind is one of the kinds of meeting ({choices}): “{kind}”"),
    "rules.bad_count": ("应为 0 到 {max} 的整数: “{value}”", "must be a whole number from 0 to {max}: “{value}”"),
    "rules.bad": ("巡查与会议规则配置有误: {error}", "the conduct rules are wrong: {error}"),
    "rules.empty": ("文件是空的: 没有一条巡查、会议规则 (谁每周应巡查、开会; 各项及其写法见 gridctl 自带的 {default})",
                    "the file is empty: no patrol or meeting rule at all (who owes what each week; its keys: gridctl's own {default})"),
    "rules.bad_week": ("周应写作 2026-W47: “{value}”", "a week is written 2026-W47: “{value}”"),
    "rules.no_such_week": ("{year} 年没有这一周: “{value}” ({year} 年的周是 W01 到 W{weeks})", "{year} has no such week: “{value}” (its weeks are W01 to W{weeks})"),
    "record.ambiguous_person": ("“{value}”不唯一, 请用编号: {ids}", "“{value}” is ambiguous; use an id: {ids}"),
    "record.future_date": ("日期 {value} 在未来", "the date {value} is in the future"),
    "record.too_small": ("{value} 小于 {minimum}", "{value} is less than {minimum}"),
    "record.not_found": ("找不到{kind} {id}", "no {kind} {id}"),
    "record.none_given": ("没有给出{kind}编号 (是空的); 请写出编号, 或本台账内的序号", "no {kind} given (it is empty); give its id, or its number in this ledger"),
    "record.already_void": ("{id} 已作废", "{id} is void already"),
    "record.added": ("已记录{kind} {id}", "recorded {kind} {id}"),
    "record.voided": ("已作废 {id}: {reason}", "voided {id}: {reason}"),
    "record.none": ("没有记录", "no records"),
    "patrol.not_assigned": ("{person} 在 {day} 未在 {grid} 或其上级网格任职, 也不在驻该网格的工作队 (外出巡查请加 --visiting)",
                            "{person} holds no post at {grid} or above on {day} and is in no team assigned there (use --visiting)"),
    "patrol.duplicate": ("{person} 在 {day} 巡查该网格已记录 ({id}); 要更正请先 patrol void",
                         "{person}'s patrol of this grid on {day} is recorded already ({id}); void it first to correct it"),
    "patrol.differs": ("{person} 在 {day} 巡查该网格已记录 ({id}, 已记为 {held}), 此行为 {given}; 要更正请先 patrol void",
                       "{person}'s patrol of this grid on {day} is recorded already ({id}, recorded as {held}), this row "
                       "says {given}; void it first to correct it (patrol void)"),
    "patrol.found_not_linked": ("{person} 在 {day} 巡查该网格已记录 ({id}), 此行的发现问题 {issues} 没有关联到它, 未导入; "
                                "请用 gridctl patrol link {id} --found {issues} 关联",
                                "{person}'s patrol of this grid on {day} is recorded already ({id}) and this row's "
                                "issues found {issues} are not linked to it; nothing imported: link them with "
                                "gridctl patrol link {id} --found {issues}"),
    "patrol.twice_in_sheet": ("与第 {row} 行是同一人同一天对同一网格的巡查 (一天记一次); 请合为一行",
                              "the same person's patrol of the same grid on the same day as row {row} (one a day); make them one row"),
    "patrol.issue_elsewhere": ("问题 {issue} 不在 {grid} 内", "issue {issue} is not in {grid}"),
    "patrol.issue_linked": ("问题 {issue} 已关联巡查 {patrol}", "issue {issue} is linked to patrol {patrol} already"),
    "patrol.needs_patrol_source": ("关联巡查的问题来源应为 巡查发现", "an issue linked to a patrol must have the source patrol (-s patrol)"),
    "patrol.void_patrol": ("巡查 {id} 已作废", "patrol {id} is void"),
    "missing.not_over": ("该周到 {sunday} 才过完: 以下是到今天为止的情况, 未巡查的还可能补上", "the week runs to {sunday}: below is how it stands today; patrols may still be made"),
    "missing.patrols": ("{week} ({monday} 至 {sunday}): 应巡查 {owed} 项, 未巡查 {n} 项",
                        "{week} ({monday} to {sunday}): {owed} patrols owed, {n} not made"),
    "missing.meetings": ("{week} ({monday} 至 {sunday}): 应开会 {owed} 次, 未开 {n} 次",
                         "{week} ({monday} to {sunday}): {owed} meetings owed, {n} not held"),
    "missing.via": ("依据", "Owed as"),
    "missing.via_team": ("工作队 {name} ({code})", "team {name} ({code})"),
    "missing.via_post": ("岗位 {role}", "post {role}"),
    "missing.made": ("已巡查", "Made"),
    "missing.held": ("已开", "Held"),
    "survey.too_few": ("参会人数 {value} 少于 {minimum} 人", "{value} participants is fewer than {minimum}"),
    "survey.too_many_votes": ("票数 {votes} 超过参会人数 {participants}", "{votes} votes exceed {participants} participants"),
    "survey.not_member": ("{person} 不是工作队 {team} 的成员", "{person} is not a member of team {team}"),
    "meeting.duplicate": ("{unit} 在 {day} 的{kind}已记录 ({id}); 同一天同一种会只记一次, 要更正请先 meeting void",
                          "{unit}'s {kind} on {day} is recorded already ({id}): one a day; void it first to correct it"),
    "attendance.notice_has_no_days": ("督查通报按次计, 不计天数 (写了 {days} 天, 考核只计 1 次通报); 不要写 --days。"
                                      "无故不在岗的天数请另用 --kind 不在岗 --days 记录",
                                      "a notice counts once, not by days ({days} given: the score counts 1 notice); leave "
                                      "--days out. Record days absent without leave with --kind absent --days"),
    "attendance.cancel_has_no_days": ("销假只记哪一天回岗 (自该日起请假结束), 不计天数 (写了 {days} 天); 不要写 --days",
                                      "a leave cancellation says the day leave ends, not a number of days ({days} given); "
                                      "leave --days out"),
    "attendance.absent_overlaps": ("{person} 自 {day} 起 {days} 天的不在岗与已记录的 {id} (自 {held_day} 起 {held_days} 天) "
                                   "有重叠的日子; 不在岗天数按记录相加, 同一天不能记两次。要更正请先 attendance void 再记",
                                   "{person}'s {days} day(s) absent from {day} overlap {id} (absent {held_days} day(s) from "
                                   "{held_day}), recorded already; days absent are added up, so a day is recorded once. "
                                   "To correct it, attendance void it first"),
    "attendance.absent_on_leave": ("{person} 在 {on} 请假已获批准 ({id}: 自 {leave_day} 起 {leave_days} 天), 请假期间不算不在岗 "
                                   "(出满勤含请假)。请假记错了请先 attendance void {id} (或记 --kind 销假), 再记不在岗; "
                                   "否则请换一个日期",
                                   "{person} was on approved leave on {on} ({id}: {leave_days} day(s) from {leave_day}); a day "
                                   "of leave is not a day absent. If the leave is wrong, void it first (attendance void {id}) "
                                   "or record its cancellation (--kind cancel), then record the absence; otherwise pick "
                                   "another date"),
    "attendance.leave_on_absence": ("{person} 在 {on} 已记不在岗 ({id}: 自 {held_day} 起 {held_days} 天), 请假不能补记在不在岗的"
                                    "日子上 (不在岗是未经请假的缺勤, 事后补的请假不抵)。若当天其实已获准请假、不在岗记错了, 请先 "
                                    "attendance void {id} (写明原因), 再记请假; 否则请假从不在岗之外的日子记起",
                                    "{person} is recorded absent on {on} ({id}: {held_days} day(s) from {held_day}); leave "
                                    "cannot be recorded over it (an absence is absence without leave, and leave recorded "
                                    "afterwards does not undo it). If the leave had in fact been approved and the absence "
                                    "is wrong, void it first (attendance void {id}, with the reason), then record the "
                                    "leave; otherwise record the leave for the other days only"),
    "record.duplicate": ("{person} 在 {day} 的{what}已记录 ({id}); 同样的记录只记一次, 要更正请先 {group} void",
                         "{person}'s {what} on {day} is recorded already ({id}); void it first to correct it ({group} void)"),
    "survey.differs": ("{person} 在工作队 {team} 的 {day} 测评已记录 ({id}, 参会/满意/一般/不满意 {held}), 此行为 {given}; "
                       "要更正请先 survey void",
                       "{person}'s survey for team {team} on {day} is recorded already ({id}: participants/satisfied/fair/"
                       "unsatisfied {held}), this row says {given}; void it first to correct it (survey void)"),
    "survey.duplicate": ("{person} 在工作队 {team} 的 {day} 测评已记录", "{person}'s survey for team {team} on {day} is recorded already"),
    "patrol.no_household": ("{grid} 内没有门牌或编号为“{ref}”的在册户", "no registered household “{ref}” in {grid}"),
    "patrol.visited_vs_count": ("走访户数 {households} 与走访户 {n} 户不符", "households {households} differ from the {n} visited"),
    # the base register (基础信息) and 民情档案
    "register.bad_config": ("基础信息配置 (register.yaml) 有误: {error}", "configs/register.yaml is wrong: {error}"),
    "register.empty_config": ("文件是空的: 没有基础信息的标签、走访周期、户籍类型和各类地物、组织 (各项及其写法见 gridctl 自带的 {default})",
                              "the file is empty: no register tags, visit cadences, residence types or kinds (its keys: gridctl's own {default})"),
    "register.bad_cadence": ("走访周期应为 {choices} 之一: “{value}”", "a visit cadence is one of {choices}: “{value}”"),
    "register.id_format": ("身份证号应为 18 位 (17 位数字加数字或 X)", "an ID number has 18 characters (17 digits, then a digit or X)"),
    "register.id_birth": ("身份证号中的出生日期无效", "the birth date inside the ID number is not a date"),
    "register.id_check": ("身份证号校验位不符", "the ID number's check character is wrong"),
    "register.key_is_dir": ("身份证号密钥文件的位置 {path} 是一个文件夹; 请把这个文件夹移走 (密钥文件由 gridctl 自动创建, 或从备份恢复), 或设置 {env}",
                            "where the ID number key file goes, {path}, is a folder; move that folder away (gridctl makes the key file, or restore it from a backup), or set {env}"),
    "register.key_missing": ("台账已有身份证号散列, 但密钥文件 {path} 不存在 (或设置 {env}); 请从备份恢复密钥",
                             "the ledger holds ID number hashes but the key file {path} is missing (or set {env}); restore the key from a backup"),
    "register.key_unwritable": ("无法创建身份证号密钥文件 {path}: {error} (可设置 {env})",
                                "cannot create the ID number key file {path}: {error} (or set {env})"),
    "register.key_wrong": ("密钥 ({path} 或 {env}) 与本台账不符", "the key ({path} or {env}) is not this ledger's"),
    "register.too_long": ("超过 {n} 个字", "longer than {n} characters"),
    "register.not_block": ("{grid} 不是三级网格 (村组/楼院); 基础信息登记到三级网格", "{grid} is not a block; the register keeps entries at blocks"),
    "register.birth_mismatch": ("出生年份 {year} 与身份证号不符", "birth year {year} differs from the ID number"),
    "register.bad_year": ("出生年份应为四位年份: “{value}”", "birth year must be a four-digit year: “{value}”"),
    "register.year_out_of_range": ("出生年份应在 {min} 到 {max} 年之间 (不能在今年之后): “{value}”", "a birth year is from {min} to {max} (not after this year): “{value}”"),
    "register.personal_needs_actor": ("--include-personal 须用 --by (或 GRIDCTL_USER) 说明是谁导出",
                                      "--include-personal needs --by (or GRIDCTL_USER): who is taking the data"),
    "register.ambiguous": ("“{ref}”对应多户: {ids}; 请用编号", "“{ref}” matches several households: {ids}; use the id"),
    "register.not_found": ("基础信息中没有“{ref}”", "no register entry “{ref}”"),
    "register.none_given": ("没有给出基础信息的编号或门牌 (是空的); 请写出编号 (如 H000012) 或门牌", "no register entry given (it is empty); give its id (such as H000012) or its address"),
    "register.no_household": ("{grid} 没有门牌为“{address}”的在册户; 请先登记该户", "no household at “{address}” in {grid}; register it first"),
    "register.already": ("已登记: {id}", "already registered: {id}"),
    "register.nothing_to_change": ("没有要变更的字段", "nothing to change"),
    "register.retired": ("{id} 已注销", "{id} is retired"),
    "register.household_retired": ("户 {id} 已于 {day} 注销 ({reason}), 不能把人登记或迁入该户; 请给出在册的户",
                                   "household {id} was retired on {day} ({reason}): no one is registered in it or "
                                   "moved into it; give a household on the register"),
    "register.retired_in_sheet": ("{id} 已于 {day} 注销 ({reason}); 旧表再导入会把它当作新的再登记一次, 未导入。已迁出、"
                                  "死亡等注销的, 请从表中删去这一行; 确是重新迁入的, 删去后用 gridctl register add 登记",
                                  "{id} was retired on {day} ({reason}); importing an old sheet again would register "
                                  "it anew; nothing imported. Delete this row from the sheet; if they really came "
                                  "back, delete it and register them with gridctl register add"),
    "register.move_both": ("迁户请给 --household, 或同时给 --grid 与 --address", "to move a resident give --household, or both --grid and --address"),
    "register.other_import": ("{file}: 这张表的表头都是另一种导入表的, 不是基础信息表; 是要用 {command} 吗?",
                              "{file}: this sheet's headers are all another import's, not the register's; did you mean {command}?"),
    "register.empty_search": ("没有给出要查找的文字; 请写出姓名、门牌、名称的一部分, 或完整身份证号, 如 gridctl register search 王建国",
                              "no text to search for; give part of a name or address, or a whole ID number, as in gridctl register search 王建国"),
    "register.unknown_sheet": ("{file}: 无法从表头判断是户、人、地物还是组织 (应含 户主/人口、姓名、场所类别 或 组织类别)",
                               "{file}: the headers do not tell households, residents, places or organisations apart (expected head/size, name, place_kind or org_kind, or their Chinese headers)"),
    "register.import_done": ("{kind}: {rows} 行, 新增 {added}, 变更 {changed}, 未变 {unchanged}, 新建户 {households}",
                             "{kind}: {rows} rows, {added} added, {changed} changed, {unchanged} unchanged, {households} households created"),
    "register.import_dry": ("(试导入, 未写入) {kind}: {rows} 行, 将新增 {added}, 变更 {changed}, 未变 {unchanged}, 新建户 {households}",
                            "(dry run, nothing written) {kind}: {rows} rows, {added} to add, {changed} to change, {unchanged} unchanged, {households} households to create"),
    "register.more_changes": ("…另有 {n} 处变更 (--json 可看全部)", "… {n} more changes (--json shows all)"),
    "register.added": ("已登记{kind} {id}", "{kind} {id} registered"),
    "register.unchanged": ("没有变化", "nothing changed"),
    "register.retired_done": ("已注销 {ids} ({reason})", "retired {ids} ({reason})"),
    "register.none": ("(无)", "(none)"),
    "register.bad_month": ("月份格式应为 YYYY-MM: “{value}”", "a month is YYYY-MM: “{value}”"),
    "register.no_such_month": ("没有这个月份: “{value}” (月份是 01 到 12, 格式为 YYYY-MM)", "no such month: “{value}” (months are 01 to 12; a month is YYYY-MM)"),
    "register.month_ahead": ("{month} 在 {as_of} 之后, 还没有开始", "{month} has not begun on {as_of}"),
    "register.due_summary": ("{month} (截至 {as_of}): 超期 {overdue}, 本期待走访 {due}, 已走访 {visited}",
                             "{month} (as of {as_of}): {overdue} overdue, {due} due this period, {visited} visited"),
    "register.overdue": ("超期", "overdue"),
    "register.due": ("待走访", "due"),
    "register.visited": ("已走访", "visited"),
    "register.never": ("从未走访", "never"),
    "register.cadence_week": ("每周", "weekly"),
    "register.cadence_month": ("每月", "monthly"),
    "register.cadence_quarter": ("每季度", "quarterly"),
    "register.cadence_year": ("每年", "yearly"),
    "register.members": ("家庭成员", "Members"),
    "register.timeline": ("档案 (按时间)", "File, in time order"),
    "register.visit": ("走访", "visit"),
    "register.issue": ("问题", "issue"),
    "reg.status": ("状态", "Status"), "reg.cadence": ("走访周期", "Cadence"), "reg.missed": ("漏访期数", "Missed"),
    "reg.last_visit": ("最近走访", "Last visit"),
    "report.visits": ("重点人群走访", "Visits"),
    "report.visit_subjects": ("重点对象", "To visit"),
    "report.visit_total": ("合计", "Total"),
    "reg.kind_household": ("户", "households"),
    "reg.kind_resident": ("人", "residents"),
    "reg.kind_place": ("地物", "places"),
    "reg.kind_org": ("组织", "organisations"),
    "reg.heading_household": ("户", "Households"),
    "reg.heading_resident": ("人", "Residents"),
    "reg.heading_place": ("地物", "Places"),
    "reg.heading_org": ("组织", "Organisations"),
    "reg.action_add": ("登记", "added"),
    "reg.action_update": ("变更", "changed"),
    "reg.action_move": ("迁移", "moved"),
    "reg.action_retire": ("注销", "retired"),
    "reg.id": ("编号", "Id"), "reg.grid": ("网格", "Grid"), "reg.address": ("门牌/地址", "Address"),
    "reg.address_key": ("门牌比对键 (由门牌算出, 按门牌查找时用它)", "address key (made from the address; look-ups by address use it)"),
    "reg.head": ("户主", "Head"), "reg.size": ("人口", "Size"), "reg.phone": ("联系电话", "Phone"),
    "reg.tags": ("标签", "Tags"), "reg.retired": ("注销", "Retired"), "reg.household": ("户", "Household"),
    "reg.name": ("姓名/名称", "Name"), "reg.gender": ("性别", "Gender"), "reg.birth_year": ("出生年份", "Born"),
    "reg.id_number": ("身份证号", "ID number"), "reg.residence": ("户籍类型", "Residence"),
    "reg.kind": ("类别", "Kind"), "reg.contact": ("联系人", "Contact"), "reg.note": ("备注", "Note"),
    "kind.patrol": ("巡查", "patrol"),
    "kind.meeting": ("会议", "meeting"),
    "kind.attendance": ("出勤记录", "attendance record"),
    "kind.study": ("学习记录", "study record"),
    "kind.publicity": ("宣传报道", "publicity item"),
    "kind.survey": ("民意测评", "survey"),
    "mkind.碰头会": ("碰头会", "team huddle"), "mkind.民情分析会": ("民情分析会", "public-opinion analysis"),
    "mkind.例会": ("例会", "regular meeting"),
    "col.id": ("编号", "Id"),
    "col.date": ("日期", "Date"),
    "col.person": ("人员", "Person"),
    "col.person_name": ("姓名", "Name"),
    "col.grid": ("网格编码", "Grid"),
    "col.team": ("工作队", "Team"),
    "col.unit": ("单位", "Unit"),
    "col.kind": ("类别", "Kind"),
    "col.households": ("走访户数", "Households"),
    "col.notes": ("民情日记", "Notes"),
    "col.notes.meeting": ("会议记录", "Minutes"), "col.notes.study": ("备注", "Notes"),
    "col.found": ("发现问题", "Found"),
    "col.days": ("天数", "Days"),
    "col.reason": ("事由", "Reason"),
    "col.attended": ("参加", "Attended"),
    "col.title": ("标题", "Title"),
    "col.outlet": ("刊发", "Outlet"),
    "col.participants": ("参会人数", "Participants"),
    "col.satisfied": ("满意", "Satisfied"),
    "col.fair": ("一般满意", "Fair"),
    "col.unsatisfied": ("不满意", "Unsatisfied"),
    "col.attendees": ("参会人员", "Attendees"),
    "col.voided": ("作废", "Void"),
    # reports
    "source.patrol": ("巡查发现", "patrol"),
    "source.report": ("群众举报", "citizen report"),
    "source.visit": ("来访", "visit"),
    "source.hotline": ("热线电话", "hotline"),
    "source.online": ("网络平台", "online"),
    "source.assigned": ("上级交办", "assigned from above"),
    "source.inspection": ("督查发现", "inspection"),
    "report.unit_kinds": ("单位可以是网格、工作队编码或部门编码", "a unit is a grid, a team code or a department code"),
    "report.no_unit": ("{problem} (单位可以是网格、工作队编码或部门编码)",
                       "{problem} (a unit is a grid, a team code or a department code)"),
    "report.weekly_title": ("{unit} 网格化管理动态台账 {week} ({monday} 至 {sunday}) 截至 {as_of}",
                            "{unit} weekly grid-management ledger {week} ({monday} to {sunday}) as of {as_of}"),
    "report.monthly_title": ("{unit} {month} 网格化管理月报暨考核通报 截至 {as_of}",
                             "{unit} monthly report {month} as of {as_of}"),
    "report.notice_too_many": ("{node} 及其下级共 {count} 个网格, 一个公示牌工作簿最多 {most} 页; 请按下级网格分别生成 "
                               "(--grid 写到街道或社区), 或用 -o 公示牌.csv 导出全部; 未写入",
                               "{node} and the nodes under it are {count} grids, and a notice workbook holds at most {most} "
                               "pages; make one for each node below (a township or community in --grid), or write them "
                               "all with -o notice.csv; nothing was written"),
    "report.notice_title": ("{name}公示牌", "{name} public notice"),
    "report.summary": ("概况", "Summary"),
    "report.ledger": ("问题台账", "Issues"),
    "report.overdue": ("超期督办", "Overdue"),
    "report.patrols": ("巡查情况", "Patrols"),
    "report.missing": ("未巡查", "Not patrolled"),
    "report.meetings": ("会议", "Meetings"),
    "report.notes": ("说明", "Notes"),
    "report.item": ("项目", "Item"),
    "report.value": ("内容", "Value"),
    "report.count": ("数量", "Count"),
    "report.lead": ("牵头人", "Lead"),
    "report.days_overdue": ("超期天数", "Days overdue"),
    "report.patrol_count": ("巡查次数", "Patrols"),
    "report.missing_count": ("应巡未巡", "Patrols owed, not made"),
    "report.attendee_count": ("参会人数", "Attendees"),
    "report.meetings_held": ("召开会议", "Meetings held"),
    "report.meetings_missed": ("应开未开", "Meetings owed, not held"),
    "report.not_held": ("未召开", "not held"),
    "report.this_week": ("本周", "This week"),
    "report.week_new": ("新增问题", "New issues"),
    "report.week_closed": ("本周结案", "Closed this week"),
    "report.week_overdue": ("超期未办结", "Overdue and open"),
    "report.week_escalated": ("本周上报上级", "Escalated this week"),
    "report.by_colour": ("未办结问题预警", "Open issues by colour"),
    "report.by_status": ("按状态 (累计)", "By status (all)"),
    "report.by_category": ("按类别 (累计)", "By category (all)"),
    "report.by_source": ("按来源 (累计)", "By source (all)"),
    "report.conduct": ("巡查与会议", "Patrols and meetings"),
    "report.unit": ("单位", "Unit"),
    "report.period": ("期间", "Period"),
    "report.as_of": ("截至", "As of"),
    "report.generated": ("生成工具", "Made by"),
    "report.last_event": ("计入的最后一条事件", "Last ledger event counted"),
    "report.last_event_is": ("{hash} (平台 {office} 第 {no} 条, 台账序号 {seq})", "{hash} (office {office} #{no}, seq {seq})"),
    "report.calendar": ("工作日历版本", "Calendar version"),
    "report.rules": ("巡查与会议规则版本", "Conduct rules version"),
    "report.duties": ("职责矩阵 (截至时已载入)", "Duty matrix (loaded by the as-of time)"),
    "report.duties_later": ("{digest} ({at} 载入, 晚于截至时间: 截至时台账中还没有载入职责矩阵)",
                            "{digest} (loaded {at}, after the as-of time: the ledger held no duty matrix then)"),
    "report.formulas": ("口径", "Definitions"),
    "report.weekly_formulas": ("状态、类别、来源为截至时点的累计数; 本周各项按事件发生时间计; 超期 = 未办结且已过截止时间; 预警: 已用时限 <80% 绿, 80–100% 黄, 超期红",
                               "status, category and source count every issue as of the time; this week's figures count events that happened in the week; overdue = open past its due time; colours: <80 % of the time used green, 80–100 % yellow, overdue red"),
    "report.duties_col": ("职责", "Duties"),
    "report.team_leader": ("驻点工作队队长", "Work team leader"),
    "report.supervision": ("监督电话", "Complaints"),   # one line on the board, as "Duty line"
    "report.post_duties": ("巡查走访, 发现问题及时上报", "patrols the grid, reports what it finds"),
    "report.unit_households": ("户", "households"),
    "report.unit_residents": ("人", "residents"),
    "report.team_duties": ("{team} ({unit}): 驻点联系群众, 协助处置问题", "{team} ({unit}): stays in the grid, helps handle issues"),
    "report.counted_from.definitions": ("户数、人口为网格划定时核定的数", "Households and residents: as set when the grid was drawn"),
    "report.counted_from.register": ("户数、人口据基础信息登记", "Households and residents: as registered"),
    "report.notice_footer": ("公示日期 {day}。如有变动, 以最新公示为准。", "Posted {day}. The latest notice prevails."),
    "report.patrol_grids": ("巡查网格", "Grids walked"),
    "report.patrol_people": ("巡查人数", "People patrolling"),
    "report.patrol_detail": ("巡查明细", "Patrol detail"),
    "report.print_note": ("打印", "Printing"),
    "report.weekly_print_note": ("问题台账打印前 10 列 (序号至预警), 灰色表头的列 (来源、地点、各环节时间、持有层级、牵头人、最新情况) 只在屏幕上显示; 巡查情况每人一行 (县区及以上每个下级网格一行), 明细见 --detail 生成的巡查明细; 每页重复表头, 页脚为页码和截至时间",
                                 "the Issues sheet prints its first 10 columns (No. to colour); the grey-headed columns (source, place, stage times, holder, lead, last note) stay on the screen; Patrols has one row per person (per child grid for a district or city), the rows per grid are in Patrol detail with --detail; every page repeats the header; the footer gives the page and the as-of time"),
    "report.bad_month": ("月份应写作 2026-11: “{value}”", "a month is written 2026-11: “{value}”"),
    "report.as_of_ahead": ("--as-of {as_of} 还没有到 (今天是 {today}): 报表只能截至今天, 此后的结案、超期还不知道; 是年份或日期写错了吗?",
                           "--as-of {as_of} has not come yet (today is {today}): a report can only be as of today, what closes or runs late after it is not known; a slip of the year or day?"),
    "report.as_of_before": ("--as-of {as_of} 在 {period} 开始 ({start}) 之前: 这时还没有该期的任何记录; 是日期或周、月写错了吗?",
                            "--as-of {as_of} is before {period} began ({start}): nothing of it was recorded yet; a slip of the date, week or month?"),
    "report.not_begun": ("{period} 还没有开始 (从 {start} 起), 还没有可报告的记录; 是年份或周、月写错了吗?",
                         "{period} has not begun (it starts on {start}): there is nothing to report yet; a slip of the year, week or month?"),
    "report.no_such_month": ("没有这个月份: “{value}” (月份是 01 到 12, 写作 2026-11)", "no such month: “{value}” (months are 01 to 12, written 2026-11)"),
    "report.own_level": ("本级", "the unit itself"),
    "report.share": ("占比", "Share"),
    "report.m_overall": ("一、总体情况", "1 Overall"),
    "report.m_ranking": ("二、考评与排名", "2 Rates and ranking"),
    "report.m_top": ("三、高发问题", "3 Most frequent"),
    "report.m_overdue": ("四、超期未处置", "4 Overdue by unit"),
    "report.m_people": ("人员情况", "People"),
    "report.m_charts": ("图表", "Charts"),
    "report.m_people_detail": ("人员明细", "People detail"),
    "report.people": ("人数", "People"),
    "report.no_team": ("不属工作队的人员", "People outside any work team"),
    "report.monthly_print_note": ("二、考评与排名打印各项指标、得分与排名, 各指标的分子、分母 (灰色表头) 只在屏幕上显示; 人员情况每个工作队一行, 每人一行的人员明细用 --detail 生成; 每页重复表头, 页脚为页码和截至时间",
                                  "2 Rates and ranking prints the rates, points and ranks; each rate's numerator and denominator (grey headers) stay on the screen; People has one row per work team, the rows per person are in People detail with --detail; every page repeats the header; the footer gives the page and the as-of time"),
    "report.m_recorded": ("受理 (本月登记)", "Recorded this month"),
    "report.m_accepted": ("立案", "Accepted"),
    "report.m_due": ("应结案", "Due"),
    "report.m_closed": ("结案 / 结案率", "Closed / closure rate"),
    "report.m_on_time": ("按期结案 / 按期结案率", "Closed on time / rate"),
    "report.m_extended": ("延期获批", "Extended"),
    "report.m_on_the_spot": ("当场解决", "Resolved on the spot"),
    "report.m_stats": ("月度统计", "Monthly statistics"),
    "report.stat_employment": ("帮扶就业 (就业类办结)", "Employment helped (closed)"),
    "report.stat_social_insurance": ("办理社保 (社保类办结)", "Social insurance handled (closed)"),
    "report.stat_medical_care": ("办理医疗 (医疗类办结)", "Medical insurance handled (closed)"),
    "report.stat_hardship_aid": ("帮扶困难群众 (办结)", "Households in hardship helped (closed)"),
    "report.stat_hazards_found": ("排查安全隐患", "Hazards found"),
    "report.stat_hazards_fixed": ("整改安全隐患", "Hazards fixed"),
    "report.stat_visitors": ("接待来访群众", "Visitors received"),
    "report.stat_satisfaction": ("回访 / 群众满意率", "Callbacks / satisfaction"),
    "report.group": ("网格", "Grid"),
    "report.num": ("分子", "num."),
    "report.den": ("分母", "den."),
    "report.num_head": ("分子", "Num."),    # a header of its own (the score workbook); num. follows a rate's name
    "report.den_head": ("分母", "Den."),
    "report.points": ("得分 (80)", "Points (80)"),
    "report.rank": ("排名", "Rank"),
    "report.prev_points": ("上月得分", "Last month"),
    "report.prev_rank": ("上月排名", "Last rank"),
    "report.change": ("名次变化", "Rank change"),
    "report.handled": ("处置", "Handled"),
    "report.week": ("周", "Week"),
    "report.opened": ("新增", "Opened"),
    "report.closed_series": ("结案", "Closed"),
    "report.chart_rates": ("各网格考评指标", "Rates per grid"),
    "report.chart_weekly": ("每周新增与结案", "Opened and closed per week"),
    "report.previous": ("对比月份", "Compared with"),
    "report.formula_version": ("指标口径版本", "Formula version"),
    "report.points_rule": ("得分 = 工作业绩, 与考核 (score) 同一公式、同一配置 (scoring.yaml): 发现率、处置率、上报率、满意率各 × 20; 无可计数的指标不评 (表中留空), 按已评项折算到 80; 四项均无可计数者不评; 同分同名次",
                           "points = the performance of `score`, by the same formula and scoring.yaml: discovery, handling, reporting and satisfaction rates × 20 each; a rate with nothing to count is not rated (blank) and the rated ones are scaled up to 80; none rated, no points; equal points share a rank"),
    "rate.discovery": ("发现率", "Discovery"),
    "rate.handling": ("处置率", "Handling"),
    "rate.on_time_handling": ("按期处置率", "On-time handling"),
    "rate.reporting": ("上报率", "Reporting"),
    "rate.satisfaction": ("满意率", "Satisfaction"),
    "rate.rework": ("返工率", "Rework"),
    "rate.closure": ("结案率", "Closure"),
    # the rates' definitions as the monthly report's 说明 states them (metrics.DEFINITIONS, in words)
    "rate.def.discovery": ("发现率 = 辖区网格本期登记的问题中由本队(本网格)巡查发现的 ÷ 本期登记的问题 (不予受理的不计)",
                           "discovery = issues of the period in the team's grids found by its own patrols ÷ issues "
                           "recorded in the period (rejected ones not counted)"),
    "rate.def.handling": ("处置率 = 应结案中已结案的 ÷ 应结案 (已受理且办结时限在本期内; 已处置未结案不算)",
                          "handling = closed of those due ÷ those due (accepted, deadline in the period; handled "
                          "but not closed does not count)"),
    "rate.def.on_time_handling": ("按期处置率 = 应结案中在办结时限 (含批准的延期) 内结案的 ÷ 应结案",
                                  "on-time handling = closed by the deadline (approved extensions included) of those "
                                  "due ÷ those due"),
    "rate.def.reporting": ("上报率 = 本队自己发现的问题中在上报时限内上报、超出权限的已逐级上报的 ÷ 本队自己发现的问题",
                           "reporting = issues the team found itself that were reported in time and, beyond its "
                           "authority, escalated ÷ issues the team found itself"),
    "rate.def.satisfaction": ("满意率 = 本期回访中满意与基本满意的 ÷ 本期回访",
                              "satisfaction = callbacks of the period satisfied or fairly satisfied ÷ callbacks of the period"),
    "rate.def.rework": ("返工率 = 本期处置的问题中返工过的 ÷ 本期处置的问题",
                        "rework = issues handled in the period that were sent back for rework ÷ issues handled in the period"),
    "rate.def.closure": ("结案率 = 应结案中已结案的 ÷ 应结案", "closure = closed of those due ÷ those due"),
    "report.saved": ("已写入 {file}", "wrote {file}"),
    "report.bad_paper": ("纸张应为 {allowed}: “{value}”", "paper must be {allowed}: “{value}”"),
    "report.footer_pages": ("第 &P 页 共 &N 页", "Page &P of &N"),
    "report.footer_as_of": ("截至 {as_of}", "as of {as_of}"),
    # scoring
    "scoring.empty": ("文件是空的: 没有一项考核配置 (各项及其写法见 gridctl 自带的 {default})",
                      "the file is empty: no scoring configuration at all (its keys: gridctl's own {default})"),
    "scoring.missing": ("考核配置缺少此项 (或其上一级)", "the scoring configuration lacks this key (or the one above it)"),
    "scoring.bad_shape": ("考核配置格式不对: 有一项应为键值、列表或 [名称, 数值] 对, 请对照 configs/scoring.yaml",
                          "the scoring configuration is malformed: a mapping, a list or [name, number] pairs expected somewhere; compare configs/scoring.yaml"),
    "scoring.not_number": ("考核配置中应为不小于 0 的数: “{value}”", "the scoring configuration takes a number of 0 or more here: “{value}”"),
    "scoring.not_a_choice": ("考核配置的取值“{value}”无效 (可选: {choices})", "the scoring configuration: “{value}” is not one of {choices}"),
    "scoring.bad_period": ("考核期应写作 2026Q4 或 2026: “{value}”", "a period is written 2026Q4 or 2026: “{value}”"),
    "scoring.no_such_quarter": ("没有这个季度: “{value}” (季度是 Q1 到 Q4)", "no such quarter: “{value}” (quarters are Q1 to Q4)"),
    "scoring.no_teams": ("该期间没有工作队", "no work teams in the period"),
    "scoring.not_member": ("{person} 在 {period} 不是任何工作队的成员", "{person} is in no team during {period}"),
    "scoring.draft": ("未经批准 不得外传", "DRAFT: not approved, not for circulation"),
    "scoring.approved": ("已于 {at} 由 {by} 批准", "approved by {by} at {at}"),
    "scoring.approved_now": ("{period} 考核结果已批准", "the {period} results are approved"),
    "scoring.flagged": ("已记录 {subject} 的虚报/谎报: {reason}", "recorded false reporting by {subject}: {reason}"),
    "scoring.title": ("{unit} {period} 考核结果 截至 {as_of}", "{unit} assessment {period} as of {as_of}"),
    "scoring.title_all": ("{period} 考核结果 截至 {as_of}", "Assessment {period} as of {as_of}"),
    "scoring.draft_notice": ("草稿: 未经批准 不得外传 (批准: score approve)", "DRAFT: not approved, not for circulation (to approve: score approve)"),
    "scoring.scope_all": ("范围: 全部工作队", "Scope: every team"),
    "scoring.scope_node": ("范围: {name}, 本台账的节点 (用 --unit 改变)", "Scope: {name}, this ledger's own node (--unit changes it)"),
    "scoring.scope_unit": ("范围: {name} (--unit)", "Scope: {name} (--unit)"),
    "scoring.col.conduct": ("思想作风", "Conduct"), "scoring.col.performance": ("工作业绩", "Performance"),
    "scoring.col.rated": ("已评/成员", "Rated"), "scoring.col.name": ("名称", "Name"),
    "scoring.note.no_rated_item": ("无可计数的问题", "nothing to count"),
    "scoring.note.no_votes": ("成员均无民意测评", "no member surveyed"),
    "scoring.members_hint": ("成员 {count} 人的得分: 加 --members 列出", "the {count} members' scores: add --members to list them"),
    "scoring.members": ("成员", "Members"),
    "scoring.teams": ("工作队", "Teams"),
    "scoring.units": ("派出单位", "Dispatching units"),
    "scoring.awards": ("奖项", "Awards"),
    "scoring.flag_excluded": ("虚报/谎报, 不得评先: {reason}", "false reporting, excluded from awards: {reason}"),
    "scoring.below_tier": ("等次低于{tier}, 不得评先", "graded below {tier}: not eligible"),
    "sc.team": ("工作队", "Team"), "sc.unit": ("派出单位", "Unit"), "sc.person": ("人员", "Person"),
    "sc.name": ("姓名", "Name"), "sc.role": ("身份", "Role"), "sc.days": ("在队天数", "Days in team"),
    "sc.publicity_items": ("宣传报道 (篇)", "Publicity items"), "sc.publicity": ("宣传报道 (5)", "Publicity (5)"),
    "sc.absent": ("无故缺勤 (天)", "Days absent"), "sc.notices": ("督查通报", "Notices"),
    "sc.attendance": ("出勤到位 (5)", "Attendance (5)"), "sc.missed": ("缺席学习", "Sessions missed"),
    "sc.study": ("学习巡查 (5)", "Study (5)"), "sc.votes": ("测评票 满意/一般/不满意", "Votes S/F/U"),
    "sc.satisfaction_item": ("群众评价 (5)", "Satisfaction (5)"), "sc.conduct": ("思想作风 (20)", "Conduct (20)"),
    "sc.performance": ("工作业绩 (80)", "Performance (80)"), "sc.total": ("总分", "Total"),
    "sc.tier": ("等次", "Grade"), "sc.letter": ("等级", "Letter"), "sc.rank": ("排名", "Rank"),
    "sc.note": ("备注", "Note"), "sc.members": ("计入成员", "Members counted"), "sc.teams_count": ("工作队数", "Teams"),
    "sc.award": ("奖项", "Award"), "sc.who": ("获奖者", "Awarded to"), "sc.rule": ("依据", "Rule"),
    "sc.leader": ("队长", "leader"), "sc.member": ("队员", "member"),
    "sc.p.discovery": ("发现率得分", "Discovery pts"), "sc.p.handling": ("处置率得分", "Handling pts"),
    "sc.p.reporting": ("上报率得分", "Reporting pts"), "sc.p.satisfaction": ("满意率得分", "Satisfaction pts"),
    "scoring.version": ("考核办法版本", "Scoring version"), "scoring.status": ("状态", "Status"),
    "scoring.award_rule": ("按总分排序, 同分依次比较工作业绩、思想作风, 仍相同者并列; 等次须达到{tier}, 未评、不称职、虚报谎报者不得评先",
                           "by total; ties by performance, then conduct, then shared; grade at least {tier}; unrated, unfit and flagged excluded"),
    "scoring.formula": ("成员得分 = 本人思想作风 (20) + 所在工作队工作业绩 (80); 工作队得分 = 已评成员得分平均; 派出单位得分 = 已评工作队得分平均; 无可计数的指标不评, 工作业绩按已评项折算",
                        "member = own conduct (20) + team performance (80); team = mean of rated members; unit = mean of rated teams; a rate with nothing to count is not rated and the performance is scaled over the rated ones"),
    "sc.cfg.publicity": ("宣传报道", "Publicity"), "sc.cfg.attendance": ("出勤到位", "Attendance"),
    "sc.cfg.study": ("组织学习、巡查", "Study"), "sc.cfg.satisfaction": ("群众评价", "Residents' rating"),
    "sc.cfg.performance": ("工作业绩", "Performance"), "sc.cfg.handling_variant": ("处置率口径", "Handling variant"),
    "sc.cfg.rules": ("无数据时的规则", "Rules for missing data"), "sc.cfg.tiers": ("等次", "Grades"),
    "sc.cfg.letters": ("等级 (CJ/T 292)", "Letters"), "sc.cfg.use": ("结果运用", "Use of results"),
    "sc.cfg.awards": ("奖项", "Awards"), "sc.cfg.formula": ("计分办法", "Formula"),
    "sc.cfg.unfit": ("不称职规则", "Unfit by rule"), "sc.cfg.member_tiers": ("成员等次", "Member grades"),
    "sc.cfg.approvers": ("批准人", "Approvers"),
    # the 说明 sheet of the assessment workbook: scoring.yaml said in words (scoring/workbook.py)
    "sc.say.publicity": ("{points} 分; 每季度 {quota} 篇得满分 (不足按比例), 全年考核 {quota_year} 篇",
                         "{points} points; {quota} items a quarter for full points (pro rata below), {quota_year} for a year"),
    "sc.say.attendance": ("{points} 分; 无故不在岗每天扣 {per_absence} 分, 每次督查通报扣 {per_notice} 分 (批准的请假按在岗计)",
                          "{points} points; {per_absence} off per day absent without leave, {per_notice} per inspection notice (approved leave counts as present)"),
    "sc.say.study": ("{points} 分; 每缺一次学习、汇报、会议或巡查扣 {per_missed} 分, 工作队每周应巡未巡扣 {per_missed_patrol} 分, "
                     "每缺一次碰头会扣 {per_missed_meeting} 分",
                     "{points} points; {per_missed} off per missed study session, report, meeting or patrol, {per_missed_patrol} per "
                     "week a team patrol owed was not made, {per_missed_meeting} per team meeting missed"),
    "sc.say.satisfaction": ("{points} 分; ({satisfied}×满意 + {fair}×一般满意 + {unsatisfied}×不满意) ÷ 票数",
                            "{points} points; ({satisfied}×satisfied + {fair}×fairly satisfied + {unsatisfied}×unsatisfied) ÷ votes"),
    "sc.say.points": ("{name} {points} 分", "{name} {points} points"),
    "sc.say.variant.all": ("处置率: 应结案中已结案的", "handling rate: closed of those due"),
    "sc.say.variant.on_time": ("按期处置率: 应结案中按期结案的", "on-time handling rate: closed on time of those due"),
    "sc.say.not_rated.prorate": ("没有可计数的比率不评, 工作业绩按已评比率折算",
                                 "a rate with nothing to count is not rated; performance is prorated over the rated ones"),
    "sc.say.not_rated.full": ("没有可计数的比率按满分计", "a rate with nothing to count scores full points"),
    "sc.say.not_rated.zero": ("没有可计数的比率按零分计", "a rate with nothing to count scores zero"),
    "sc.say.no_survey_votes.unrated": ("没有民意测评的成员为未评 (不排名, 不评奖)",
                                       "a member no survey rated is not rated (not ranked, no award)"),
    "sc.say.no_survey_votes.full": ("没有民意测评的成员群众评价按满分计", "a member no survey rated gets the residents' rating in full"),
    "sc.say.no_survey_votes.zero": ("没有民意测评的成员群众评价按零分计", "a member no survey rated gets zero for the residents' rating"),
    "sc.say.two_teams.each": ("同属两个工作队的成员在每个队分别考核", "a member of two teams is scored in each of them"),
    "sc.say.joined_mid_quarter.prorate": ("季度中途加入的成员, 宣传报道定额按在队天数折算",
                                          "a member who joined mid-quarter has the publicity quota prorated by the days in the team"),
    "sc.say.joined_mid_quarter.full": ("季度中途加入的成员, 宣传报道定额不折算",
                                       "a member who joined mid-quarter owes the full publicity quota"),
    "sc.say.unfit": ("无故不在岗超过 {absent_days} 天, 或督查通报超过 {notices} 次, 不论得分即为不称职",
                     "more than {absent_days} days absent without leave, or more than {notices} inspection notices, is unfit whatever the score"),
    "sc.say.use": ("成员结果占本人考核的 {member}; 工作队得分占派出单位领导班子考核的 {leadership}、职能部门考核的 {department}",
                   "a member's result is {member} of their own assessment; a team's score is {leadership} of its dispatching "
                   "unit leadership's and {department} of a functional department's"),
    "sc.say.awards.teams": ("工作队", "teams"), "sc.say.awards.leaders": ("工作队长", "team leaders"),
    "sc.say.awards.members": ("成员", "members"), "sc.say.awards.units": ("派出单位", "units"),
    "sc.say.award": ("{name} {n} 名", "{name}: {n}"),
    "sc.say.awards_min": ("工作队、派出单位至少“{tier}”, 成员至少“{member_tier}”方可评先",
                          "teams and units need at least “{tier}”, members “{member_tier}”, to be advanced"),
    "sc.say.approvers_any": ("在册且非本期被考核对象的任何人", "anyone in the ledger who is not assessed in the period"),
    "sc.rate_points": ("{rate}得分", "{rate} points"),
    "scoring.approver_needed": ("批准需要批准人: 用 --by 人员编号 (或 GRIDCTL_USER) 指明",
                                "approval needs an approver: give --by PERSON (or GRIDCTL_USER)"),
    "scoring.approver_unknown": ("批准人 {person} 不在人员名册中", "the approver {person} is not a known person"),
    "scoring.approver_assessed": ("{person} 是 {period} 的被考核对象, 不能批准或重开本期考核",
                                  "{person} is assessed in {period} and may not approve or reopen it"),
    "scoring.approver_not_listed": ("{person} 不在 scoring.yaml 所列批准人 ({approvers}) 之中",
                                    "{person} is not among the approvers in scoring.yaml ({approvers})"),
    "scoring.not_begun": ("{period} 还没有开始 (从 {start} 起), 不能批准: 批准会冻结它的结果; 是要批准别的考核期吗?",
                          "{period} has not begun (it starts {start}) and cannot be approved: approval freezes its results; did you mean another period?"),
    "scoring.period_not_begun": ("{period} 还没有开始 (从 {start} 起), 还没有可考核的记录; 是年份或季度写错了吗?",
                                 "{period} has not begun (it starts {start}): there is nothing to assess yet; "
                                 "is the year or the quarter written wrong?"),
    "scoring.already_approved": ("{period} 已批准; 如需改动先 score reopen --quarter {period} --reason …",
                                 "{period} is approved already; to change it, score reopen --quarter {period} --reason …"),
    "scoring.not_approved": ("{period} 尚未批准, 无需重开", "{period} is not approved; nothing to reopen"),
    "scoring.reopened": ("{period} 的批准已撤回: {reason}", "the approval of {period} is withdrawn: {reason}"),
    "scoring.unflagged": ("已撤回 {subject} 的虚报/谎报标记: {reason}", "withdrew the flag on {subject}: {reason}"),
    "scoring.not_flagged": ("{subject} 在 {period} 没有有效的虚报/谎报标记", "{subject} has no flag in force in {period}"),
    "scoring.unknown_person": ("人员 {subject} 不存在", "no person {subject}"),
    "scoring.unknown_team": ("工作队 {subject} 不存在", "no team {subject}"),
    "scoring.unknown_unit": ("派出单位 {subject} 不存在 (派出单位是工作队的 unit)", "no dispatching unit {subject} (a team's unit)"),
    "scoring.need_one_subject": ("需要 --person、--team、--unit 之一", "exactly one of --person, --team, --unit is required"),
    "scoring.unrated": ("未评", "not rated"),
    "scoring.partial_view_short": ("部分视图: 排名与奖项按全体评定", "partial view: ranks and awards are decided on everyone"),
    "scoring.partial_view": ("{unit} 的部分视图: 排名与奖项按全体评定", "partial view of {unit}: ranks and awards are decided on everyone"),
    "scoring.changed_since": ("批准后又记录了 {events} 条日期在本期内的记录, 将改变 {figures} 项得分 (未计入; 如需计入先 score reopen)",
                              "{events} records dated inside the period were recorded after approval; they would change {figures} figures (not applied; score reopen to apply them)"),
    "scoring.changed_then": ("批准时", "as approved"),
    "scoring.changed_row": ("  {id}: 批准时 {approved} → 现在 {now}", "  {id}: approved {approved} → now {now}"),
    "scoring.changed_seq": ("事件序号", "Event"), "scoring.changed_subject": ("问题或记录", "Issue or record"),
    "scoring.changed_times": ("发生时间 / 记录时间", "Happened / recorded"),
    "scoring.changed_event": ("  第 {seq} 条事件 {action} {subject} 日期 {happened_at} 记录于 {recorded_at}",
                              "  event {seq} {action} {subject} dated {happened_at} recorded {recorded_at}"),
    "scoring.gaps": ("缺项", "Gaps"),
    "grade.好": ("好", "good"), "grade.较好": ("较好", "fairly good"), "grade.一般": ("一般", "fair"),
    "grade.差": ("差", "poor"), "grade.优秀": ("优秀", "excellent"), "grade.称职": ("称职", "competent"),
    "grade.基本称职": ("基本称职", "basically competent"), "grade.不称职": ("不称职", "unfit"),
    "scoring.no_awards": ("奖项: 无 (等次须达到 {tier}; 未评、不称职、虚报者除外)", "Awards: none (grade at least {tier}; unrated, unfit and flagged excluded)"),
    "scoring.notices": ("通报", "Notices"),
    "scoring.use": ("结果运用", "Use of results"),
    "scoring.changed": ("批准后变动", "Changed since approval"),
    "scoring.explain_live": ("本期已于 {at} 由 {by} 批准; 以下按台账现状计算 (批准的数字见 score, 二者之差见“批准后变动”)",
                             "this period was approved by {by} at {at}; below, the ledger as it stands (the approved figures: score; the difference: changed since approval)"),
    "scoring.changed_title": ("批准后又有 {events} 条本期记录, 未计入 (见“批准后变动”)",
                              "{events} records of the period came after approval, not applied (see “Changed since approval”)"),
    "sc.explain.publicity": ("本期报道 {items} 篇, 应报 {quota:g} 篇, 按完成比例计分 (满分 {points:g}, 超额不加分)",
                         "{items} item(s) published of {quota:g} due: scored in proportion (full {points:g}, nothing more for extra)"),
    "sc.explain.publicity_none": ("本期不要求报道, 记满分 {points:g}", "nothing was due this period: full {points:g}"),
    "sc.explain.attendance": ("满分 {points:g}; 无故缺勤 {absent} 天, 每天扣 {per_absence:g} 分; 督查通报 {notices} 次, 每次扣 {per_notice:g} 分 (最低 0 分)",
                          "full {points:g}, less {per_absence:g} for each of {absent} day(s) absent and {per_notice:g} for each of {notices} inspection notice(s) (not below 0)"),
    "sc.explain.attendance_clean": ("无无故缺勤, 无督查通报, 记满分 {points:g}", "no day absent, no inspection notice: full {points:g}"),
    "sc.explain.study": ("满分 {points:g}; 缺席学习 {missed} 次, 每次扣 {per_missed:g} 分; 缺巡查 {patrols} 周, 每周扣 {per_patrol:g} 分; 缺会 {meetings} 次, 每次扣 {per_meeting:g} 分 (最低 0 分)",
                     "full {points:g}, less {per_missed:g} for each of {missed} session(s) missed, {per_patrol:g} for each of {patrols} week(s) without the owed patrol and {per_meeting:g} for each of {meetings} meeting(s) missed (not below 0)"),
    "sc.explain.study_clean": ("学习、巡查、会议均未缺, 记满分 {points:g}", "no session, patrol week or meeting missed: full {points:g}"),
    "sc.explain.satisfaction": ("民意测评 {votes} 票: 满意 {s} 票各 {ws:g} 分, 一般满意 {f} 票各 {wf:g} 分, 不满意 {u} 票各 {wu:g} 分, 取平均",
                            "{votes} survey vote(s): {s} satisfied at {ws:g}, {f} fair at {wf:g}, {u} unsatisfied at {wu:g}, averaged"),
    "sc.explain.satisfaction_scaled": ("民意测评 {votes} 票: 满意 {s} 票各 {ws:g} 分, 一般满意 {f} 票各 {wf:g} 分, 不满意 {u} 票各 {wu:g} 分, 取平均后折算到满分 {points:g}",
                                   "{votes} survey vote(s): {s} satisfied at {ws:g}, {f} fair at {wf:g}, {u} unsatisfied at {wu:g}, averaged and scaled to a full {points:g}"),
    "sc.explain.no_votes_unrated": ("没有民意测评票: 数据不足, 不排名、不评先", "no survey votes: insufficient data, not ranked, no award"),
    "sc.explain.no_votes_full": ("没有民意测评票: 按规则记满分 {points:g}", "no survey votes: full {points:g} by the rules"),
    "sc.explain.no_votes_zero": ("没有民意测评票: 按规则记 0 分", "no survey votes: 0 by the rules"),
    "sc.explain.discovery": ("网格内本期问题 {den} 件, 工作队巡查自己发现 {num} 件: {num} ÷ {den} × {weight:g}",
                         "{den} issue(s) in the team's grids, {num} found by the team on patrol: {num} ÷ {den} × {weight:g}"),
    "sc.explain.handling": ("本期应处置 {den} 件, 已结案 {num} 件: {num} ÷ {den} × {weight:g}",
                        "{den} issue(s) due in the period, {num} closed: {num} ÷ {den} × {weight:g}"),
    "sc.explain.on_time_handling": ("本期应处置 {den} 件, 按期结案 {num} 件: {num} ÷ {den} × {weight:g}",
                                "{den} issue(s) due in the period, {num} closed on time: {num} ÷ {den} × {weight:g}"),
    "sc.explain.reporting": ("工作队自己发现 {den} 件, 按时按权限上报 {num} 件: {num} ÷ {den} × {weight:g}",
                         "{den} issue(s) found by the team, {num} reported in time and to the right level: {num} ÷ {den} × {weight:g}"),
    "sc.explain.satisfaction_rate": ("回访 {den} 次, 满意和基本满意 {num} 次: {num} ÷ {den} × {weight:g}",
                                 "{den} callback(s), {num} satisfied or fairly satisfied: {num} ÷ {den} × {weight:g}"),
    "sc.explain.none.discovery": ("网格内本期没有问题", "no issue in the team's grids this period"),
    "sc.explain.none.handling": ("无应处置问题", "no issue due for handling"),
    "sc.explain.none.reporting": ("工作队本期没有自己发现的问题", "the team found no issue this period"),
    "sc.explain.none.satisfaction": ("本期没有回访", "no callback this period"),
    "sc.explain.rule.prorate": ("此项不评, 其余各项按比例折算到满分 80", "not rated; the rated items are scaled up to a full 80"),
    "sc.explain.rule.full": ("按规则记满分 {weight:g}", "full {weight:g} by the rules"),
    "sc.explain.rule.zero": ("按规则记 0 分", "0 by the rules"),
    "sc.explain.joined": ("{none}, {rule}", "{none}: {rule}"),
    "sc.explain.prorate": ("有未评的项: 已评各项之和按比例折算到满分 80 (× {scale:.4g})",
                       "some items are not rated: the sum of the rated items is scaled up to a full 80 (× {scale:.4g})"),
    "sc.explain.item": ("{item} {points} 分: {words}", "{item} {points}: {words}"),
    "sc.explain.item_unrated": ("{item} 未评: {words}", "{item} not rated: {words}"),
    "sc.gap.nothing_to_count": ("本期无可计数的问题", "nothing to count in the period"),
    "sc.gap.no_rated_item": ("四项指标均无可计数的问题, 工作业绩未评", "none of the four rates has anything to count: performance not rated"),
    "sc.gap.no_votes": ("未参加民意测评", "not rated in any survey"),
    "sc.gap.item": ("缺项", "Missing item"), "sc.gap.reason": ("原因", "Reason"), "sc.subject": ("对象", "Subject"),
    "sc.item.survey": ("民意测评", "Survey"), "sc.item.performance": ("工作业绩", "Performance"),
    "sc.why.unrated": ("未评/数据不足", "not rated"), "sc.why.flagged": ("虚报/谎报", "false reporting"),
    "sc.why.unfit": ("不称职 (当年不得评先)", "unfit (no award this year)"),
    "sc.excluded": ("不予评先", "Excluded"), "sc.why": ("原因", "Reason"),
    "sc.unfit.absent": ("无故缺勤超过规定天数", "days absent above the limit"),
    "sc.unfit.notices": ("督查通报超过规定次数", "inspection notices above the limit"),
    "sc.missed_patrols": ("缺巡查 (周)", "Patrol weeks missed"), "sc.missed_meetings": ("缺会", "Meetings missed"),
    "sc.rows": ("依据", "Rows"), "sc.patrol_weeks": ("未完成巡查的周", "Weeks without the owed patrol"),
    "sc.meetings": ("未参加的会议", "Meetings not attended"), "sc.shared": ("并列", "shared"),
    "sc.flag_kind": ("类别", "Kind"), "sc.flag_reason": ("事实", "Finding"), "sc.flag_by": ("记录人", "Recorded by"),
    "sc.flag_at": ("时间", "At"), "sc.kind.person": ("人员", "person"), "sc.kind.team": ("工作队", "team"),
    "sc.kind.unit": ("派出单位", "unit"),
    "sc.kind.teams": ("工作队", "team"), "sc.kind.leaders": ("队长", "leader"), "sc.kind.members": ("队员", "member"),
    "sc.kind.units": ("派出单位", "unit"),
    "sc.use.share": ("计入比例", "Share"), "sc.use.into": ("计入", "Counts towards"), "sc.use.contribution": ("折合分", "Points"),
    "sc.use.member": ("本人年度考核", "the member's own yearly assessment"),
    "sc.missing_note": ("缺: {missing}", "missing: {missing}"),
    "sc.use.member_col": ("计入本人年度考核", "Into the member's own assessment"),
    "sc.use.leadership_col": ("计入派出单位领导班子和主要领导考核", "Into the unit leadership's assessment"),
    "sc.use.department_col": ("计入职能部门考核", "Into a functional department's assessment"),
    "sc.use.leadership": ("派出单位领导班子和主要领导考核", "the dispatching unit leadership's assessment"),
    "sc.use.department": ("职能部门考核", "a functional department's assessment"),
    "sc.use.no_advanced": ("差等次: 原则上不得评为先进单位", "graded poor: not to be rated an advanced unit"),
    "sc.explain_head": ("{person} {name} — {team} {team_name} ({role}), {period}, 考核办法版本 {version}",
                        "{person} {name} — {team} {team_name} ({role}), {period}, scoring version {version}"),
    "sc.issues_num": ("分子", "numerator"), "sc.issues_den": ("分母", "denominator"),
    "sc.not_rated_total": ("总分 未评 — 缺: {missing}", "total not rated — missing: {missing}"),
    "sc.unfit_by_rule": ("不称职 (按规则): {reasons}", "unfit (by rule): {reasons}"),
    "sc.unfit_before": ("当年 {periods} 曾评为不称职, 不得评先", "rated unfit in {periods} this year: no award"),
    # bundles and merges (四级平台)
    "reason.receipt_too_big": ("文件有 {mb} MB, 回执不会超过 {max_mb} MB (是选错了文件吗?)",
                       "it is {mb} MB, and no receipt is over {max_mb} MB (the wrong file?)"),
    "bundle.bad_receipt": ("回执 {file} 无法读取: {error}", "cannot read the receipt {file}: {error}"),
    "bundle.chain_short": ("平台 {office} 的事件链在第 {n} 条中断 (链头为第 {head} 条), 未打包; 请先运行 gridctl verify",
                           "the chain of {office} breaks at event {n} (its head is {head}): nothing bundled; run gridctl verify"),
    "bundle.receipt_ahead": ("回执说平台 {office} 已有第 {n} 条事件, 但本台账只有 {have} 条", "the receipt says office {office} holds event #{n}, but this ledger has only {have}"),
    "bundle.damaged": ("数据包已损坏: {error} ({file}); 请让发送方重新打包", "the bundle is damaged: {error} ({file}); ask the sender for a new one"),
    "bundle.is_database": ("{file} 是 SQLite 数据库 (台账或其备份), 不是数据包; 合并读的是用 gridctl bundle 写出的 .jsonl.gz 文件 "
                           "(请该台账的办公室运行 gridctl bundle); 从备份恢复用 gridctl restore; 台账未改动",
                           "{file} is an SQLite database (a ledger or its backup), not a bundle; merge reads the .jsonl.gz "
                           "file gridctl bundle writes (ask that ledger's office to run gridctl bundle); a backup is "
                           "restored with gridctl restore; the ledger was not changed"),
    "bundle.is_zip": ("{file} 是 zip 文件 (如 Excel 工作簿), 不是数据包; 合并读的是用 gridctl bundle 写出的 .jsonl.gz 文件; "
                      "问题台账表用 gridctl issue import 导入; 台账未改动",
                      "{file} is a zip file (an Excel workbook?), not a bundle; merge reads the .jsonl.gz file gridctl "
                      "bundle writes; an issue sheet is imported with gridctl issue import; the ledger was not changed"),
    "bundle.is_text": ("{file} 是文本文件, 不是数据包; 合并读的是用 gridctl bundle 写出的 .jsonl.gz 文件 (请确认选对了文件, "
                       "或请发送方运行 gridctl bundle); 台账未改动",
                       "{file} is a text file, not a bundle; merge reads the .jsonl.gz file gridctl bundle writes (check "
                       "you picked the right file, or ask the sender to run gridctl bundle); the ledger was not changed"),
    "bundle.is_unpacked": ("{file} 是解压过的数据包; 合并读的是压缩的 .jsonl.gz 原文件: 请用发来的原文件, 或先用 gzip {file} "
                           "压缩后再合并; 台账未改动",
                           "{file} is a bundle that was unpacked; merge reads the packed .jsonl.gz file: use the file as "
                           "it was sent, or pack it again with gzip {file} first; the ledger was not changed"),
    "bundle.receipt_is_other": ("{file} 是{what}, 不是回执; --since 读的是接收方 gridctl merge --receipt 写出的回执 (.json); "
                                "没有回执时不加 --since, 打包全部事件",
                                "{file} is {what}, not a receipt; --since reads the receipt (.json) gridctl merge --receipt "
                                "writes at the receiving office; without one, leave out --since to bundle every event"),
    "bundle.is_other": ("{file} 是{what}, 不是数据包; 合并读的是用 gridctl bundle 写出的 .jsonl.gz 文件; 台账未改动",
                        "{file} is {what}, not a bundle; merge reads the .jsonl.gz file gridctl bundle writes; the ledger "
                        "was not changed"),
    "kind.sqlite": ("台账或其备份 (SQLite 数据库)", "an SQLite database (a ledger or its backup)"),
    "kind.zip": ("压缩包 (zip 文件, 如 Excel 工作簿)", "a zip file (an Excel workbook?)"),
    "kind.bundle": ("数据包 (gridctl bundle 写出的 .jsonl.gz)", "a bundle (the .jsonl.gz gridctl bundle writes)"),
    "kind.bundle_text": ("解压过的数据包", "an unpacked bundle"),
    "kind.packed_sqlite": ("压缩过的 SQLite 数据库 (台账或其备份)", "a compressed SQLite database (a ledger or its backup)"),
    "kind.gzip": ("压缩文件 (gzip)", "a gzip file"),
    "kind.text": ("文本文件", "a text file"),
    "bundle.unreadable": ("无法解压或读取 ({error})", "cannot decompress or read it ({error})"),
    "bundle.no_trailer": ("缺少结尾校验行 (文件不完整)", "the closing checksum line is missing (the file is incomplete)"),
    "bundle.bad_checksum": ("内容校验和不符 (文件被改动或传输出错)", "the content checksum does not match (changed or damaged in transit)"),
    "bundle.bad_line": ("第 {line} 行不是 JSON 对象", "line {line} is not a JSON object"),
    "bundle.bad_header": ("首行不是有效的数据包头", "the first line is not a valid bundle header"),
    "bundle.bad_field": ("第 {line} 行的“{field}”缺失或格式不对", "line {line}: its “{field}” is missing or malformed"),
    "bundle.issue_or_record": ("第 {line} 行的“问题编号”与“动作”不相配 (问题的事件有问题编号, 其他记录的事件没有)",
                               "line {line}: its “issue id” and “action” do not fit together (an issue's event has an issue id, another record's event has none)"),
    "bundle.details_unfit": ("第 {line} 行的“内容”不是其“动作”所需的 (未知的记录类别或动作, 或缺少、多出字段)",
                             "line {line}: its “content” is not what its “action” needs (an unknown kind of record or action, or fields missing or unknown)"),
    "bundle.col.office": ("平台编码", "office"), "bundle.col.n": ("事件序号", "event number"),
    "bundle.col.issue": ("问题编号", "issue id"), "bundle.col.record": ("记录编号", "record id"),
    "bundle.col.action": ("动作", "action"), "bundle.col.from_status": ("原状态", "status before"),
    "bundle.col.to_status": ("新状态", "status after"), "bundle.col.level": ("平台层级", "level"),
    "bundle.col.actor": ("操作人", "actor"), "bundle.col.happened_at": ("发生时间", "time it happened"),
    "bundle.col.recorded_at": ("记录时间", "time recorded"), "bundle.col.note": ("备注", "note"),
    "bundle.col.details": ("内容", "content"), "bundle.col.prev_hash": ("前一条事件的哈希", "previous event's hash"),
    "bundle.col.hash": ("哈希", "hash"),
    "bundle.marked_field": ("第 {line} 行的“{field}”含有哈希用的分隔符 (U+001E 或 U+001F), 台账从不写入这两个字符",
                            "line {line}: its “{field}” holds a separator of the hashed text (U+001E or U+001F), which no ledger ever holds"),
    "bundle.head_mismatch": ("平台 {office} 的事件与包头所记的链头不一致", "the events of office {office} do not end at the chain head its header states"),
    "bundle.unappliable": ("内容无法写入台账: {error}", "its content cannot be applied: {error}"),
    "bundle.unappliable_at": ("平台 {office} 第 {n} 条事件的内容无法写入台账: {error}", "the content of event #{n} of office {office} cannot be applied: {error}"),
    "bundle.unappliable_within": ("{events}中的{what}无法写入台账: {error}", "the {what} of {events} cannot be applied: {error}"),
    "bundle.span": ("平台 {office} 第 {first}–{last} 条事件", "events #{first}–{last} of office {office}"),
    "bundle.span_offices": ("平台 {office} 第 {first} 条至平台 {last_office} 第 {last} 条事件",
                            "the events from #{first} of office {office} to #{last} of office {last_office}"),
    "bundle.writing.events": ("事件", "events"),
    "bundle.writing.issues": ("问题状态、检索文本和巡查关联", "issue states, search text and patrol links"),
    "bundle.bad_time": ("第 {line} 行的“{field}”不是台账写的时间 (应为 YYYY-MM-DD HH:MM): {value}",
                        "line {line}: its “{field}” is not a time as a ledger writes it (YYYY-MM-DD HH:MM wanted): {value}"),
    "bundle.bad_recorded": ("第 {line} 行的“{field}”不是台账写的时间 (应为 YYYY-MM-DDTHH:MM:SS): {value}",
                            "line {line}: its “{field}” is not a time as a ledger writes it (YYYY-MM-DDTHH:MM:SS wanted): {value}"),
    "bundle.taken": ("本台账已有这个{field}的{thing}, 内容与数据包中的不同", "this ledger already holds a {thing} of that {field}, with other content than the bundle's"),
    "bundle.lacks": ("数据包中的{thing}缺少“{field}”", "a {thing} in the bundle lacks its “{field}”"),
    "bundle.not_allowed": ("数据包中的{thing}有一个值是台账不允许的", "a {thing} in the bundle holds a value the ledger does not allow"),
    "bundle.dangling": ("数据包中的{thing}引用了本台账没有的内容", "a {thing} in the bundle refers to something this ledger lacks"),
    "bundle.conflict": ("数据包中的记录与本台账已有的冲突", "a record in the bundle conflicts with what this ledger holds"),
    "bundle.lacks_key": ("一条事件的内容缺少“{field}”", "an event's details lack the field “{field}”"),
    "bundle.wrong_type": ("一条事件的内容中有值的类型或格式不对 (如该写文字或时间处是列表或数字)", "an event's details hold a value of the wrong type or form (a list or number where text or a time goes, say)"),
    "bundle.field.issue": ("问题的内容", "issue"),
    "bundle.field.record": ("记录的内容", "record"),
    "bundle.field.issues": ("发现的问题", "issues"),
    "bundle.field.period": ("考核期", "period"),
    "bundle.table.issues": ("问题", "issue"),
    "bundle.table.patrols": ("巡查记录", "patrol record"),
    "bundle.table.meetings": ("会议记录", "meeting record"),
    "bundle.table.attendance": ("出勤记录", "attendance record"),
    "bundle.table.study": ("学习记录", "study record"),
    "bundle.table.publicity": ("宣传报道", "publicity item"),
    "bundle.table.surveys": ("民意测评", "survey"),
    "bundle.table.households": ("住户", "household"),
    "bundle.table.residents": ("居民", "resident"),
    "bundle.table.places": ("地物", "place"),
    "bundle.table.orgs": ("组织", "organisation"),
    "bundle.table.visits": ("走访记录", "visit"),
    "bundle.table.score_marks": ("考核标记", "score mark"),
    "bundle.table.patrol_issues": ("巡查发现的问题", "issue found on a patrol"),
    "bundle.table.other": ("记录", "record"),
    "bundle.bad_move": ("平台 {office} 第 {n} 条事件: 问题 {issue} 处于“{status}”时不能“{action}”到“{to}”, 拒绝合并",
                        "event #{n} of office {office}: issue {issue} cannot go by “{action}” from “{status}” to “{to}”; refused"),
    "bundle.issue_held": ("平台 {office} 第 {n} 条事件上报问题 {issue}, 但这个编号的问题已有 (在本台账或数据包的前面), 内容不同; 拒绝合并",
                          "event #{n} of office {office} adds issue {issue}, but an issue of that id is already held (in this ledger or earlier in the bundle) under other content; refused"),
    "bundle.bad_add": ("平台 {office} 第 {n} 条事件上报的问题 {issue} 内容不全或格式不对 (编号、网格、类别、标题须为文字, 且不得有未知字段); 拒绝合并",
                       "event #{n} of office {office} adds issue {issue} with missing or malformed content (its id, grid, category and title must be text, and no unknown field may appear); refused"),
    "bundle.bad_issue_value": ("平台 {office} 第 {n} 条事件: 问题 {issue} 的“{field}”值的类型或格式不对 ({want}): {value}; 拒绝合并",
                               "event #{n} of office {office}: issue {issue} holds a value of the wrong type or form as its “{field}” ({want}): {value}; refused"),
    "bundle.unknown_source": ("平台 {office} 第 {n} 条事件: 问题 {issue} 的来源 {value} 不是已知的来源 (可选: {allowed}); 拒绝合并",
                              "event #{n} of office {office}: issue {issue} has the source {value}, none that gridctl knows ({allowed}); refused"),
    "bundle.not_its_office": ("平台 {office} 第 {n} 条事件上报的问题 {issue} 的平台、年份、序号是 {owner}、{year}、{seq}: 与编号或事件所属的平台不符, 一个平台只登记自己编号的问题; 拒绝合并",
                              "event #{n} of office {office} adds issue {issue} under office {owner}, year {year}, number {seq}: that is not its id or not the event's office, and an office records only issues of its own numbering; refused"),
    "bundle.empty_value": ("(空)", "(empty)"),
    "bundle.want.text": ("应为文字", "text wanted"), "bundle.want.whole": ("应为整数", "a whole number wanted"),
    "bundle.want.time": ("应为时间 YYYY-MM-DD HH:MM", "a time YYYY-MM-DD HH:MM wanted"),
    "issue.field.id": ("问题编号", "issue id"), "issue.field.office": ("平台", "office"),
    "issue.field.year": ("年份", "year"), "issue.field.seq": ("年内序号", "number in the year"),
    "issue.field.content_key": ("内容指纹", "content key"), "issue.field.authority": ("主管部门", "authority"),
    "issue.field.lead_person": ("牵头人", "lead person"), "issue.field.lead_role": ("牵头岗位", "lead role"),
    "issue.field.lead_grid": ("牵头网格", "lead grid"), "issue.field.assignee_kind": ("派遣对象类别", "assignee kind"),
    "issue.field.deadline_unit": ("时限单位", "deadline unit"), "issue.field.accept_due": ("受理时限", "acceptance due"),
    "issue.field.due": ("到期时间", "due"), "issue.field.rejected_at": ("不予受理时间", "rejected at"),
    "issue.field.reopens": ("重新办理次数", "reopenings"), "issue.field.extensions": ("延期次数", "extensions"),
    "issue.field.callback_at": ("回访时间", "callback at"), "issue.field.on_the_spot": ("当场处置", "on the spot"),
    "issue.field.events": ("事件数", "events"), "issue.field.last_event": ("最后事件", "last event"),
    "issue.field.last_action": ("最后动作", "last action"), "issue.field.updated_at": ("更新时间", "updated at"),
    "bundle.truncated": ("数据包 {file} 不完整: 应有 {expected} 条事件, 只有 {found} 条", "the bundle {file} is truncated: {expected} events announced, {found} found"),
    "bundle.edited": ("数据包中平台 {office} 的第 {n} 条事件 ({subject}) 被改动过, 拒绝合并", "event #{n} of office {office} ({subject}) in the bundle was edited; refused"),
    "bundle.reordered": ("数据包中平台 {office} 的事件在第 {n} 条处顺序错乱或链接断开, 拒绝合并", "the events of office {office} are out of order or unlinked at #{n}; refused"),
    "bundle.diverges": ("平台 {office} 的第 {n} 条事件与本台账已有的不一致, 拒绝合并", "event #{n} of office {office} does not continue what this ledger holds; refused"),
    "bundle.missing": ("平台 {office}: 本台账已有到第 {have} 条, 数据包从第 {first} 条开始; 缺少第 {gap} 条的数据包", "office {office}: this ledger holds up to #{have}, the bundle starts at #{first}; the bundle with #{gap} is missing"),
    "bundle.own_office": ("数据包含有本平台 {office} 未写过的事件, 拒绝合并", "the bundle holds events of this office {office} that it did not write; refused"),
    "bundle.unknown_issue": ("平台 {office} 第 {n} 条事件涉及的问题 {issue} 本台账没有", "event #{n} of office {office} concerns issue {issue}, which this ledger lacks"),
    "bundle.unknown_grid": ("平台 {office} 第 {n} 条事件: {thing} {subject} 的网格 {grid} 不在本台账 (先载入同一份网格定义); 拒绝合并",
                            "event #{n} of office {office}: the {thing} {subject} lies in grid {grid}, unknown here (load the same definitions first); refused"),
    "bundle.unknown_ref": ("平台 {office} 第 {n} 条事件: {thing} {subject} 的{field} {value} 不在本台账 (先载入同一份定义); 拒绝合并",
                           "event #{n} of office {office}: the {thing} {subject} names the {field} {value}, unknown here (load the same definitions first); refused"),
    "bundle.ref.person": ("人员", "person"), "bundle.ref.team": ("工作队", "team"),
    "bundle.ref.grid": ("网格", "grid"), "bundle.ref.unit": ("开会的单位", "meeting's unit"),
    "bundle.ref.attendees": ("参会人员", "attendee"), "bundle.ref.subject": ("标记对象", "marked subject"),
    "bundle.record_not_its_office": ("平台 {office} 第 {n} 条事件登记的{thing} {record} 的平台、年份、序号是 {owner}、{year}、{seq}: 与编号或事件所属的平台不符, 一个平台只登记自己编号的记录; 拒绝合并",
                                     "event #{n} of office {office} adds the {thing} {record} under office {owner}, year {year}, number {seq}: that is not its id or not the event's office, and an office records only under its own numbering; refused"),
    "bundle.entry_not_its_office": ("平台 {office} 第 {n} 条事件登记的{thing} {record} 的平台、序号是 {owner}、{seq}: 与编号或事件所属的平台不符, 一个平台只登记自己编号的记录; 拒绝合并",
                                    "event #{n} of office {office} adds the {thing} {record} under office {owner}, number {seq}: that is not its id or not the event's office, and an office records only under its own numbering; refused"),
    "bundle.unknown_patrol": ("平台 {office} 第 {n} 条事件上报的问题 {issue} 随巡查 {patrol} 上报, 但本台账和数据包中都没有这次巡查; 拒绝合并",
                              "event #{n} of office {office} adds issue {issue} with the patrol {patrol}, which neither this ledger nor the bundle holds; refused"),
    "bundle.issue_on_patrol": ("平台 {office} 第 {n} 条事件上报的问题 {issue} 随巡查 {patrol} 上报, 但它已是巡查 {linked} 发现的问题; 拒绝合并",
                               "event #{n} of office {office} adds issue {issue} with the patrol {patrol}, but it is already an issue found on the patrol {linked}; refused"),
    "bundle.found_unknown": ("平台 {office} 第 {n} 条事件: 巡查记录 {record} 发现的问题 {issue} 本台账和数据包中都没有; 拒绝合并",
                             "event #{n} of office {office}: the patrol record {record} found the issue {issue}, which neither this ledger nor the bundle holds; refused"),
    "bundle.unknown_category": ("平台 {office} 第 {n} 条事件: 问题 {issue} 的类别“{category}”不在本台账的职责清单中 (先载入同一份定义); 拒绝合并",
                                "event #{n} of office {office}: issue {issue} is of the category “{category}”, unknown here (load the same definitions first); refused"),
    "bundle.written": ("已写入数据包 {file}: {count} 条事件 ({chains})", "wrote the bundle {file}: {count} events ({chains})"),
    "bundle.merged": ("已合并 {file}: 新增 {added} 条事件", "merged {file}: {added} new events"),
    "bundle.receipt_line": ("  平台 {office}: 至第 {n} 条, {hash}", "  office {office}: up to #{n}, {hash}"),
    "bundle.repeats": ("注意: 合并进来的 {count} 条记录与本台账已有的记录是同一条 (同一天同一人、同一网格或同一单位的"
                       "同一种记录只记一次; 下级台账由旧版 gridctl 记录时未拦下): {repeats}。事件都已保留; 统计时每组只计"
                       "先记的一条。内容不同的, 哪条为准请下级平台核实: 作废 (void) 记错的一条后重新报送",
                       "note: {count} merged record(s) are the same record as one this ledger holds (one record of a kind "
                       "a person, grid or unit and day; the lower ledger was written by an older gridctl that did not "
                       "refuse them): {repeats}. Every event is kept; each counts once, as the one written first. Where "
                       "they differ, the lower office is to say which is right: void the wrong one and hand up again"),
    "bundle.repeat_same": ("平台 {office} 第 {n} 条事件的{kind} {record} 与 {first} 相同",
                           "the {kind} {record} (office {office} event #{n}) says what {first} says"),
    "bundle.repeat_differs": ("平台 {office} 第 {n} 条事件的{kind} {record} 与 {first} 内容不同, 按 {first} 计",
                              "the {kind} {record} (office {office} event #{n}) differs from {first}; {first} counts"),
    "bundle.absence_overlap": ("平台 {office} 第 {n} 条事件的不在岗 {record} (自 {date} 起 {days} 天) 与 {first} "
                               "(自 {first_date} 起 {first_days} 天) 有重叠的日子",
                               "the absence {record} (office {office} event #{n}, {days} day(s) from {date}) shares "
                               "days with {first} ({first_days} day(s) from {first_date})"),
    "bundle.absence_on_leave": ("不在岗 {absence} (自 {absence_date} 起 {absence_days} 天) 与请假 {leave} (自 {leave_date} "
                                "起 {leave_days} 天) 同在 {on} (后记的是平台 {office} 第 {n} 条事件 {record})",
                                "the absence {absence} ({absence_days} day(s) from {absence_date}) and the leave {leave} "
                                "({leave_days} day(s) from {leave_date}) share {on} (the later is {record}, office "
                                "{office} event #{n})"),
    "bundle.absences_on_leave": ("注意: 合并进来的 {count} 对不在岗与请假落在同一天 (同一人同一天不能既请假又不在岗; 由旧版 "
                                 "gridctl 记录, 或由两个平台各记一条): {pairs}。事件都已保留; 不在岗照计 (请假不抵督查发现的"
                                 "不在岗)。哪条为准请记录它们的平台核实: 作废 (void) 记错的一条",
                                 "note: {count} merged pair(s) of an absence and leave share a day (a person is not both "
                                 "on leave and absent on one day; written by an older gridctl, or one by each of two "
                                 "offices): {pairs}. Every event is kept; the absence counts (leave does not undo an "
                                 "absence found by inspection). The offices that wrote them are to say which is right "
                                 "and void the wrong one"),
    "bundle.absences_overlap": ("注意: 合并进来的 {count} 条不在岗与本台账已有的不在岗有重叠的日子 (同一人同一天只记一次"
                                "不在岗; 下级台账由旧版 gridctl 记录时未拦下): {overlaps}。事件都已保留; 统计时每人每天只计"
                                "一天。哪条为准请下级平台核实: 作废 (void) 记错的一条后重新报送",
                                "note: {count} merged absence(s) share days with an absence this ledger holds (a person "
                                "is absent once a day; the lower ledger was written by an older gridctl that did not "
                                "refuse them): {overlaps}. Every event is kept; each day counts once a person. The lower "
                                "office is to say which is right: void the wrong one and hand up again"),
    "bundle.callbacks_uncounted": ("注意: 合并进来的 {count} 次回访是同一次结案的第二次回访, 未标为更正 (下级台账由旧版 "
                                   "gridctl 记录): {callbacks}。事件都已保留; 按第一次回访计。若后一次是更正, 请下级平台用 "
                                   "gridctl issue callback --correct 记录更正后重新报送",
                                   "note: {count} merged callback(s) came second on one closing and are no correction "
                                   "(the lower ledger was written by an older gridctl): {callbacks}. Every event is kept; "
                                   "the first callback counts. If the later one was a correction, the lower office is to "
                                   "record it with gridctl issue callback --correct and hand up again"),
    "bundle.callback_uncounted": ("平台 {office} 第 {n} 条事件: 问题 {issue} 的回访 {result} (计 {counted})",
                                  "office {office} event #{n}: issue {issue}'s callback {result} ({counted} counts)"),
    "status.line": ("{office}: 最近合并 {received} (来自 {sender}), 至第 {n} 条, 该次新增 {added} 条, 共合并 {merges} 次{flag}",
                    "{office}: last merged {received} (from {sender}), up to #{n}, {added} new then, {merges} merges{flag}"),
    "status.late": ("  ← 本周未上报", "  ← not handed up this week"),
    "status.none": ("尚未合并过任何下级台账", "no lower ledger merged yet"),
    # serve: the leaders' read-only window (Datasette)
    "serve.no_datasette": ("未安装 Datasette, 无法打开查看窗口。请安装可选组件: pip install \"gridctl[serve]\" "
                           "(在源码目录中: pip install -e \".[serve]\")",
                           "Datasette is not installed. Install the optional extra: pip install \"gridctl[serve]\" "
                           "(in the source folder: pip install -e \".[serve]\")"),
    "serve.no_ledger": ("台账 {path} 不存在; 请先 gridctl init 与 gridctl load", "ledger {path} does not exist; run gridctl init and gridctl load first"),
    "serve.title": ("{place} 网格化管理台账", "{place} grid-management ledger"),
    "serve.open": ("只读查看窗口已打开: {url}\n台账 {path} 以只读方式打开, 网页上不能修改任何数据; 显示的是启动时的台账, "
                   "之后登记的记录需重新启动后才能看到。\n按 Ctrl+C 停止。",
                   "Read-only window open at {url}\nThe ledger {path} is opened read-only: nothing can be changed from "
                   "the web; it shows the ledger as it was at start, restart to see later records.\nPress Ctrl+C to stop."),
    "serve.exposed": ("警告: 绑定到 {host} 后, 同一网络中的任何人都能不经登录读取台账 (电话已打码)。只在可信网络中这样做。",
                      "warning: bound to {host}, anyone on that network can read the ledger without logging in "
                      "(phones are masked). Do this only on a trusted network."),
    "serve.port_busy": ("端口 {port} 已被占用 ({host}); 请用 --port 换一个端口",
                        "port {port} is in use ({host}); choose another with --port"),
    "serve.port_denied": ("没有权限使用端口 {port} (1024 以下的端口要管理员权限); 请用 --port 换一个端口",
                          "no permission to use port {port} (ports below 1024 need an administrator); choose another with --port"),
    "serve.bad_host": ("无法在 {host} 上监听: 它不是本机的地址; 请用 127.0.0.1 (只本机) 或本机网卡的地址",
                       "cannot listen on {host}: it is not an address of this machine; use 127.0.0.1 (this machine only) or one of its own addresses"),
    "serve.stopped": ("查看窗口已停止", "the window is closed"),
    # demo
    "backup.written": ("已备份到 {file} (核验无误: {events} 条事件)", "backed up to {file} (verified: {events} events)"),
    "backup.would_lose": ("台账 {db} 有 {n} 条事件不在备份 {file} 中 (最近一条记录于 {latest}): 恢复会丢掉它们; "
                          "确要回到备份时的状态请加 --force (可先用 gridctl backup 另存当前台账); 台账未改动",
                          "the ledger {db} holds {n} events the backup {file} does not (the latest recorded {latest}): "
                          "restoring would lose them; to go back to the backup anyway add --force (gridctl backup can "
                          "keep the current ledger first); the ledger was not changed"),
    "backup.dropped": ("丢弃了台账中不在备份里的 {n} 条事件", "dropped the {n} events of the ledger the backup does not hold"),
    "backup.restored": ("已从 {file} 恢复台账 {db} (核验无误: {events} 条事件)", "restored {db} from {file} (verified: {events} events)"),
    "backup.from_itself": ("{path} 就是正在使用的台账本身 (--db), 不是备份; 请给出备份文件 (如 备份/经八路-2026-11-26.db); 台账未改动",
                           "{path} is the ledger in use itself (--db), not a backup; give the backup file (backups/jingbalu-2026-11-26.db, say); the ledger was not changed"),
    "backup.is_dir": ("{path} 是文件夹, 不是备份文件; 请给出备份文件本身 (如 备份/经八路-2026-11-26.db); 台账未改动",
                      "{path} is a folder, not a backup file; give the backup file itself (e.g. backups/jingbalu-2026-11-26.db); the ledger was not changed"),
    "backup.is_bundle": ("{file} 是数据包 (gridctl bundle 写出的 .jsonl.gz), 不是备份; 数据包用 gridctl merge {file} 合并; "
                         "备份是 gridctl backup 写出的台账文件; 未恢复, 台账未改动",
                         "{file} is a bundle (the .jsonl.gz gridctl bundle writes), not a backup; a bundle is merged with "
                         "gridctl merge {file}; a backup is the ledger file gridctl backup writes; nothing was restored"),
    "backup.is_packed": ("{file} 是压缩过的 SQLite 数据库; 请先解压 (如 gunzip {file}), 再恢复解压出的文件; 未恢复, 台账未改动",
                         "{file} is a compressed SQLite database; unpack it first (gunzip {file}, say) and restore the "
                         "file it gives; nothing was restored"),
    "backup.is_other": ("{file} 是{what}, 不是备份; 备份是 gridctl backup 写出的台账文件; 未恢复, 台账未改动",
                        "{file} is {what}, not a backup; a backup is the ledger file gridctl backup writes; nothing was restored"),
    "backup.no_ledger": ("台账文件不存在: {path}", "no ledger file: {path}"),
    "backup.not_a_ledger": ("{file} 不是 gridctl 台账 (空文件或别的程序的数据库), 未恢复; 台账未改动",
                            "{file} is not a gridctl ledger (an empty file, or another program's database); nothing was restored"),
    "backup.onto_ledger": ("{path} 是台账本身或它的密钥、日志文件, 不能备份到这里; 请另给一个文件名",
                           "{path} is the ledger itself or its key or journal file; give the backup another file name"),
    "backup.ledger_not_whole": ("台账 {file} 未通过核验, 未写备份: {problem}; 请先用 gridctl verify --deep 查明",
                                "the ledger {file} failed verification, no backup was written: {problem}; run gridctl verify --deep first"),
    "backup.not_whole": ("{file} 未通过核验, 未使用: {problem}", "{file} failed verification and was not used: {problem}"),
    "backup.other_office": ("备份 {file} 属于 {node}, 本台账属于 {here}; 未恢复", "the backup {file} belongs to {node}, this ledger to {here}; not restored"),
    "demo.not_a_folder": ("{path} 已存在且不是文件夹; 模拟城市要写入一个文件夹", "{path} exists and is not a folder; the demo city is written into a folder"),
    "demo.folder_in_use": ("文件夹 {folder} 里已有别的文件 ({names}); 模拟城市写入新的或空的文件夹, 不会覆盖已有的定义",
                           "the folder {folder} holds other files ({names}); the demo city goes into a new or empty folder, never over existing definitions"),
    "demo.filled": ("已在台账中生成问题: {summary}", "filled the ledger with issues: {summary}"),
    "demo.already": ("台账中已有一次模拟数据 ({what}, seed {seed}); 请换一个新的台账文件 (--db)",
                     "the ledger already holds a demo run ({what}, seed {seed}); use a new ledger file (--db)"),
    "demo.n.departments": ("职能部门", "departments"), "demo.n.people": ("人员", "people"),
    "demo.n.posts": ("岗位", "posts"), "demo.n.districts": ("县区", "districts"),
    "demo.n.townships": ("乡镇办", "townships"), "demo.n.communities": ("村社区", "communities"),
    "demo.n.blocks": ("村组/楼院", "blocks"), "demo.n.teams": ("工作队", "teams"),
    "demo.n.issues": ("问题", "issues"), "demo.n.on_the_spot": ("当场解决", "on the spot"),
    "demo.n.rejected": ("不予受理", "rejected"), "demo.n.escalated": ("上报上级", "escalated"),
    "demo.n.extended": ("延期", "extended"), "demo.n.reworked": ("返工", "reworked"),
    "demo.n.closed": ("结案", "closed"), "demo.n.reopened": ("重新办理", "reopened"),
    "demo.n.callbacks": ("回访", "callbacks"),
    "demo.n.register_households": ("基础信息户", "register households"),
    "demo.n.register_residents": ("基础信息人", "register residents"),
    "demo.n.register_tagged": ("重点人群", "tagged people"),
    "demo.written": ("已写入模拟城市到 {folder}: {summary}", "wrote a synthetic city to {folder}: {summary}"),
    # progress (stderr, a terminal only)
    "progress.load": ("正在载入", "loading"), "progress.import": ("正在导入", "importing"),
    "progress.export": ("正在导出", "exporting"), "progress.demo": ("正在生成", "generating"),
    "progress.merge": ("正在合并", "merging"), "progress.bundle": ("正在打包", "bundling"),
    "progress.verify": ("正在核验", "verifying"), "progress.report": ("正在生成报表", "making the report"),
    "progress.score": ("正在计算考核", "scoring"),
    # usage errors (exit 2), rendered from Typer's exceptions by cli/usage.py
    "usage.error": ("错误: {message}", "Error: {message}"),
    "usage.try_help": ("用 {command} --help 查看用法", "Try '{command} --help' for help."),
    "usage.missing_option": ("缺少选项 {name}", "Missing option {name}."),
    "usage.missing_argument": ("缺少参数 {name}", "Missing argument {name}."),
    "usage.global_option": ("{name} 是 gridctl 本身的选项, 要写在命令之前, 如 gridctl {name} … {command} …",
                            "{name} is an option of gridctl itself: it goes before the command, as in gridctl {name} … {command} …"),
    "usage.no_such_option": ("没有选项 {name}", "No such option: {name}"),
    "usage.possible": ("{message} (可能是: {names})", "{message} (Possible options: {names})"),
    "usage.no_such_command": ("没有命令“{name}”", "No such command '{name}'."),
    "usage.did_you_mean": ("{message}; 是否要用“{name}”?", "{message} Did you mean '{name}'?"),
    "usage.missing_command": ("缺少命令", "Missing command."),
    "usage.extra_arguments": ("多余的参数: {args}", "Got unexpected extra arguments: {args}"),
    "usage.needs_value": ("选项 {name} 需要一个值", "Option {name} requires a value."),
    "usage.takes_no_value": ("选项 {name} 不接受值", "Option {name} does not take a value."),
    "usage.bad_value": ("{name} 的取值“{value}”无效: {why}", "Invalid value “{value}” for {name}: {why}"),
    "usage.environment_variable": ("环境变量 {var}", "the environment variable {var}"),
    "usage.bad_value_plain": ("{name} 的取值无效", "Invalid value for {name}."),
    "usage.want_integer": ("应为整数", "a whole number is expected"),
    "usage.want_number": ("应为数字", "a number is expected"),
    "usage.want_bool": ("应为 true 或 false", "true or false is expected"),
    "usage.at_least": ("应不小于 {limit}", "it must be at least {limit}"),
    "usage.more_than": ("应大于 {limit}", "it must be more than {limit}"),
    "usage.at_most": ("应不大于 {limit}", "it must be at most {limit}"),
    "usage.less_than": ("应小于 {limit}", "it must be less than {limit}"),
    "usage.choices": ("可选值: {choices}", "it must be one of: {choices}"),
    "usage.not_valid": ("格式不对", "it is not valid"),
    "usage.aborted": ("已中止", "Aborted!"),
    "usage.interrupted": ("已中断: 未完成的写入已撤销, 可以重新运行", "interrupted: the unfinished write was undone; you can run it again"),
    # --help: the words Typer and Click write themselves (cli/helptext.py)
    "help.usage": ("用法: ", "Usage: "),
    "help.options": ("选项", "Options"),
    "help.commands": ("命令", "Commands"),
    "help.arguments": ("参数", "Arguments"),
    "help.example": ("示例", "Example"),
    "help.default": ("默认: {value}", "default: {value}"),
    "help.required": ("必填", "required"),
    "help.env_var": ("环境变量: {name}", "env var: {name}"),
    "help.help": ("显示本帮助并退出", "Show this message and exit."),
    "help.install_completion": ("为当前终端安装命令补全", "Install completion for the current shell."),
    "help.show_completion": ("显示当前终端的补全脚本, 以便复制或自行安装",
                             "Show completion for the current shell, to copy it or customize the installation."),
    "help.meta.options": ("[选项]", "[OPTIONS]"),
    "help.meta.command": ("命令 [参数]...", "COMMAND [ARGS]..."),
    "help.type.str": ("文本", "str"),
    "help.type.path": ("路径", "path"),
    "help.type.int": ("整数", "int"),
    "help.type.number": ("数字", "number"),
    "help.arg.issue": ("问题编号", "issue"),
    "help.arg.file": ("文件", "file"),
    "help.arg.record": ("记录编号", "record"),
    "help.arg.entry": ("条目编号", "entry"),
    "help.arg.folder": ("文件夹", "folder"),
    "help.arg.node": ("网格", "node"),
    "help.arg.text": ("查找内容", "text"),
    "help.arg.what": ("类别", "what"),
    "help.arg.patrol": ("巡查编号", "patrol"),
    # --help texts (cli/helptext.py): the root's list of commands (`root.<name>`), each command's page
    # (`cmd.<path>`, set by cli/app.py), each option's and argument's help (`opt.…`, `arg.…`)
    "root.init": ("创建空台账", "Create an empty ledger for one platform."),
    "root.check": ("检查 YAML 定义, 列出全部问题", "Validate a folder of YAML; list every problem."),
    "root.load": ("检查并载入 YAML 定义 (幂等, 保留岗位历史)", "Validate, then load the YAML."),
    "root.verify": ("核验事件链", "Verify the event log: exit 0 when whole, else the first change."),
    "root.bundle": ("打包本台账上级尚未有的事件", "Write the events the platform above lacks."),
    "root.merge": ("合并数据包, 全部无误才写入", "Merge a bundle, all or nothing."),
    "root.status": ("各下级平台最近一次上报与合并", "Which offices below handed up, and when."),
    "root.backup": ("备份台账 (他人写入时亦可), 核验后写成", "Back the ledger up, verified."),
    "root.restore": ("从核验过的备份恢复台账", "Restore the ledger from a verified backup."),
    "root.demo": ("生成模拟城市; 可载入台账并生成一年的问题", "Write a synthetic city."),
    "root.serve": ("领导查看窗口: 浏览器中只读查看台账", "Read-only web view of the ledger."),
    "root.grid": ("网格树与网格详情", "the grid tree and one node in full"),
    "root.duty": ("职责查询", "who is responsible for what, where"),
    "root.issue": ("问题台账", "the issue ledger: add, move, list, import, export"),
    "root.patrol": ("巡查", "patrols: add, list, import, missing, void"),
    "root.meeting": ("会议: 碰头会、民情分析会", "meetings held and missed"),
    "root.attendance": ("出勤: 请假、销假、不在岗、督查通报", "attendance"),
    "root.study": ("学习、汇报、会议、巡查参加情况", "study and participation"),
    "root.publicity": ("宣传报道", "publicity items"),
    "root.survey": ("民意测评", "opinion surveys"),
    "root.report": ("报表", "weekly and monthly reports and the public notice"),
    "root.score": ("考核", "the assessment: score, explain, approve, flag"),
    "root.register": ("基础信息与民情档案", "the base register: households, residents, places, orgs"),
    "cmd.gridctl": (
        "网格化管理工具: 网格、岗位、职责、问题台账、巡查、报表与考核。\n\n"
        "示例: gridctl --db city.db load examples/zhengzhou && gridctl --db city.db grid tree",
        "Grid-based community governance: grids, posts, duties, issue ledgers, patrols, reports and assessment.\n\n"
        "Example: gridctl --db city.db load examples/zhengzhou && gridctl --db city.db grid tree"),
    "cmd.init": (
        "创建空台账\n\n"
        "示例: gridctl --db jingbalu.db init --node 410105001",
        "Create an empty ledger for one platform.\n\n"
        "Example: gridctl --db jingbalu.db init --node 410105001"),
    "cmd.check": (
        "检查 YAML 定义, 列出全部问题\n\n"
        "示例: gridctl check examples/zhengzhou",
        "Validate a folder of YAML; list every problem as file:line.\n\n"
        "Example: gridctl check examples/zhengzhou"),
    "cmd.load": (
        "检查并载入 YAML 定义 (幂等, 保留岗位历史)\n\n"
        "再次载入只写入差异; 从 YAML 中去掉的岗位于 --as-of 当日结束。\n\n"
        "示例: gridctl load examples/zhengzhou",
        "Validate, then load the YAML into the ledger.\n\n"
        "Loading again applies only the difference; posts that leave the YAML end on --as-of.\n\n"
        "Example: gridctl load examples/zhengzhou"),
    "cmd.verify": (
        "核验事件链: 完整则退出 0, 否则指出第一条被改动、删除或插入的事件\n\n"
        "示例: gridctl verify --deep",
        "Verify the event log.\n\n"
        "Example: gridctl verify --deep"),
    "cmd.bundle": (
        "打包本台账上级尚未有的事件\n\n"
        "示例: gridctl --db jingbalu.db bundle -o 经八路-W47.jsonl.gz --since 回执.json",
        "Write the events the receiving platform does not hold yet.\n\n"
        "Example: gridctl --db jingbalu.db bundle -o 经八路-W47.jsonl.gz --since 回执.json"),
    "cmd.merge": (
        "合并数据包: 逐条核验事件链, 全部无误才写入; 重复合并不重复\n\n"
        "示例: gridctl --db jinshui.db merge 经八路-W47.jsonl.gz --receipt 回执.json",
        "Merge a bundle, all or nothing.\n\n"
        "Example: gridctl --db jinshui.db merge 经八路-W47.jsonl.gz --receipt 回执.json"),
    "cmd.status": (
        "各下级平台最近一次上报与合并; 标出本周未上报的\n\n"
        "示例: gridctl --db jinshui.db status",
        "Which offices below handed up, and when.\n\n"
        "Example: gridctl --db jinshui.db status"),
    "cmd.backup": (
        "备份台账 (他人写入时亦可), 核验后才写成\n\n"
        "示例: gridctl --db jingbalu.db backup 备份/经八路-2026-11-26.db",
        "Back the ledger up while others write; verified.\n\n"
        "Example: gridctl --db jingbalu.db backup 备份/经八路-2026-11-26.db"),
    "cmd.restore": (
        "从备份恢复台账: 先核验备份, 再整体替换。台账中有备份里没有的事件 (备份之后记录的) 时不予恢复, 除非加 --force\n\n"
        "示例: gridctl --db jingbalu.db restore 备份/经八路-2026-11-26.db",
        "Restore the ledger from a verified backup. Refused when the ledger holds events the backup does not (recorded since), unless --force.\n\n"
        "Example: gridctl --db jingbalu.db restore 备份/经八路-2026-11-26.db"),
    "cmd.demo": (
        "生成模拟城市; 可载入台账并生成一年的问题\n\n"
        "示例: gridctl demo --scale district --seed 7 -o /tmp/district --db /tmp/district.db --issues 50000 --conduct",
        "Write a synthetic city; optionally fill a ledger.\n\n"
        "Example: gridctl demo --scale district --seed 7 -o /tmp/district --db /tmp/district.db --issues 50000 --conduct"),
    "cmd.serve": (
        "领导查看窗口: 在浏览器中只读查看台账 (需 `pip install \"gridctl[serve]\"`)\n\n"
        "示例: gridctl --db city.db serve --port 8001",
        "Read-only web view of the ledger.\n\n"
        "Example: gridctl --db city.db serve --port 8001"),
    "cmd.grid.tree": (
        "显示网格树或其中一个网格以下的部分\n\n"
        "示例: gridctl grid tree 金水区 --depth 2",
        "Show the grid tree, or the part under one node.\n\n"
        "Example: gridctl grid tree 金水区 --depth 2"),
    "cmd.grid.show": (
        "显示一个网格: 路径、岗位与在岗人员、驻点工作队、职能部门、下级数\n\n"
        "电话号码打码显示 (138****1234)。--as-of 列出该日在岗的人。\n\n"
        "示例: gridctl grid show 金水区/经八路街道/黄河路社区",
        "Show one node in full.\n\n"
        "Phones are masked (138****1234). --as-of names who held each post on that date.\n\n"
        "Example: gridctl grid show 金水区/经八路街道/黄河路社区"),
    "cmd.duty.who": (
        "谁牵头、谁执法、谁协助、谁可结案、时限多长, 以及依据\n\n"
        "示例: gridctl duty who --category 非法建设 --grid 金水区/经八路街道/黄河路社区/1号楼院",
        "Who answers for a category at a node.\n\n"
        "Example: gridctl duty who --category 非法建设 --grid 金水区/经八路街道/黄河路社区/1号楼院"),
    "cmd.issue.add": (
        "登记问题并按职责路由\n\n"
        "同一网格、同一类别、前后几天内 (`calendar.yaml` 的 `duplicate_days`) 已有描述相近的问题时, 列出这些问题而不登记 (退出码 1); 确认不是重复再加 `--force`\n\n"
        "示例: gridctl --by P007 issue add -g 410105001001001 -c 非法建设 -s 巡查发现 -t \"楼顶违建\" --place \"3号楼顶\"",
        "Record an issue and route it through the duty matrix.\n\n"
        "A similar issue of the same grid and category within `duplicate_days` (`calendar.yaml`): listed, nothing recorded (exit 1); `--force` records it anyway.\n\n"
        "Example: gridctl --by P007 issue add -g 410105001001001 -c 非法建设 -s 巡查发现 -t \"楼顶违建\" --place \"3号楼顶\""),
    "cmd.issue.accept": (
        "受理/立案; 办结时限自此起算\n\n"
        "示例: gridctl issue accept 42 --at \"2026-11-20 09:00\"",
        "Accept an issue; its deadline starts now.\n\n"
        "Example: gridctl issue accept 42 --at \"2026-11-20 09:00\""),
    "cmd.issue.dispatch": (
        "派遣处置\n\n"
        "示例: gridctl issue dispatch 42 --to CG105",
        "Dispatch an issue to a department, team or person.\n\n"
        "Example: gridctl issue dispatch 42 --to CG105"),
    "cmd.issue.handle": (
        "处置完毕\n\n"
        "示例: gridctl issue handle 42 --note \"已拆除\"",
        "Record that the issue was handled.\n\n"
        "Example: gridctl issue handle 42 --note \"已拆除\""),
    "cmd.issue.close": (
        "核查结案\n\n"
        "示例: gridctl issue close 42 --note \"现场核查属实\"",
        "Close after checking the handling.\n\n"
        "Example: gridctl issue close 42 --note \"现场核查属实\""),
    "cmd.issue.reject": (
        "不予受理\n\n"
        "`--duplicate-of` 指明它重复的问题, 两个问题的 `issue show` 都显示这一关联\n\n"
        "示例: gridctl issue reject 43 --reason \"重复上报\" --duplicate-of 42",
        "Reject an issue, with the reason.\n\n"
        "`--duplicate-of` names the issue it repeats; `issue show` of either shows the link.\n\n"
        "Example: gridctl issue reject 43 --reason \"重复上报\" --duplicate-of 42"),
    "cmd.issue.escalate": (
        "上报上一级平台 (逐级上报)\n\n"
        "示例: gridctl issue escalate 42 --reason \"需区城管执法\"",
        "Escalate: the platform one level up holds it.\n\n"
        "Example: gridctl issue escalate 42 --reason \"需区城管执法\""),
    "cmd.issue.rework": (
        "返工: 已处置 → 处置中\n\n"
        "示例: gridctl issue rework 42 --reason \"未清理完\"",
        "Send handled work back for rework.\n\n"
        "Example: gridctl issue rework 42 --reason \"未清理完\""),
    "cmd.issue.extend": (
        "延期\n\n"
        "示例: gridctl issue extend 42 --days 3 --reason \"需协调产权单位\" --approver P001",
        "Extend the deadline, with reason and approver.\n\n"
        "Example: gridctl issue extend 42 --days 3 --reason \"需协调产权单位\" --approver P001"),
    "cmd.issue.reopen": (
        "重新办理: 已结案 → 处置中\n\n"
        "示例: gridctl issue reopen 42 --reason \"群众反映问题复发\"",
        "Reopen a closed issue.\n\n"
        "Example: gridctl issue reopen 42 --reason \"群众反映问题复发\""),
    "cmd.issue.callback": (
        "群众回访 (结案后)\n\n"
        "示例: gridctl issue callback 42 --result 满意",
        "Record the citizen's callback after closing.\n\n"
        "Example: gridctl issue callback 42 --result 满意"),
    "cmd.issue.list": (
        "列出问题 (新的在前)\n\n"
        "示例: gridctl issue list --grid 金水区 --overdue",
        "List issues, newest first, with filters.\n\n"
        "Example: gridctl issue list --grid 金水区 --overdue"),
    "cmd.issue.show": (
        "显示一个问题及其全部处置经过\n\n"
        "示例: gridctl issue show 410105001-2026-00042",
        "Show one issue with its full timeline.\n\n"
        "Example: gridctl issue show 410105001-2026-00042"),
    "cmd.issue.search": (
        "全文检索标题、地点和处置记录\n\n"
        "示例: gridctl issue search 违建",
        "Search titles, places and notes (substrings, Chinese too).\n\n"
        "Example: gridctl issue search 违建"),
    "cmd.issue.import": (
        "导入问题台账表 (全部无误才写入; 重复导入不重复)\n\n"
        "表头: 网格编码 问题类别 来源 问题描述 发现时间 [上报人 地点 联系电话 编号 上报时间] (别名见 `docs/formats.md`)。\n\n"
        "示例: gridctl issue import 台账.xlsx --dry-run",
        "Import an issue sheet, all or nothing.\n\n"
        "Headers: grid category source title found_at [reporter place phone ref reported_at], or the Chinese names and their aliases (`docs/formats.md`).\n\n"
        "Example: gridctl issue import 台账.xlsx --dry-run"),
    "cmd.issue.export": (
        "导出问题台账 (当前状态、时限、预警、各环节时间)\n\n"
        "工作簿横向 A4 打印从序号到预警的各列, 每页重复表头; 其余列只在屏幕上。.csv 为带 BOM 的 UTF-8, 含全部列。\n\n"
        "示例: gridctl issue export -o 问题台账.xlsx --grid 经八路街道",
        "Export the ledger rows to .xlsx or .csv.\n\n"
        "The workbook prints the columns from No. to the warning colour on A4 landscape, header repeated; the other columns stay on the screen. A .csv is UTF-8 with a BOM, every column.\n\n"
        "Example: gridctl issue export -o 问题台账.xlsx --grid 经八路街道"),
    "cmd.patrol.add": (
        "记录一次巡查\n\n"
        "此人在该网格及其上级没有岗位、也不在派驻该处的工作队 (除非 --visiting), 日期在将来, 或所记问题不存在或属于其他网格时拒绝。\n\n"
        "用 --visited 时走访户取自基础信息 (`gridctl register`), 走访户数即其户数; 每次走访记入该户的民情档案 (`register show`)。\n\n"
        "示例: gridctl patrol add -p P007 -g 黄河路社区/1号楼院 -d 2026-11-20 --households 12 --found 3",
        "Record a patrol: who walked which grid on which date.\n\n"
        "Refused when the person holds no post at the node or above and is in no team assigned there (unless --visiting), when the date is in the future, or when a found issue does not exist or lies in another grid.\n\n"
        "With --visited the households come from the register (`gridctl register`) and the count of households visited is theirs; each visit shows in the household's record (`register show`).\n\n"
        "Example: gridctl patrol add -p P007 -g 黄河路社区/1号楼院 -d 2026-11-20 --households 12 --found 3"),
    "cmd.patrol.list": (
        "列出巡查记录\n\n"
        "示例: gridctl patrol list --grid 黄河路社区 --since 2026-11-01",
        "List patrol records, newest first.\n\n"
        "Example: gridctl patrol list --grid 黄河路社区 --since 2026-11-01"),
    "cmd.patrol.import": (
        "导入巡查走访日志 (全部无误才写入; 重复导入不重复)\n\n"
        "表头: 日期 人员 网格编码 [走访户数 民情日记 发现问题 走访户] (表头别名见 `docs/formats.md`)。\n\n"
        "示例: gridctl patrol import 巡查日志.xlsx --dry-run",
        "Import a patrol sheet, all or nothing.\n\n"
        "Headers: date person grid [households notes found visited], or the Chinese names (`docs/formats.md`).\n\n"
        "Example: gridctl patrol import 巡查日志.xlsx --dry-run"),
    "cmd.patrol.link": (
        "把后来登记的问题关联到巡查\n\n"
        "示例: gridctl patrol link 12 --found 41,42",
        "Link issues to a patrol after the fact.\n\n"
        "Example: gridctl patrol link 12 --found 41,42"),
    "cmd.patrol.missing": (
        "本周应巡查而未巡查的人\n\n"
        "谁在哪里应巡查几次, 见 `configs/conduct.yaml`。\n\n"
        "示例: gridctl patrol missing --week 2026-W47 --unit 经八路街道",
        "Who owed a patrol in the week and made none.\n\n"
        "The rule (who owes how many patrols where) is in `configs/conduct.yaml`.\n\n"
        "Example: gridctl patrol missing --week 2026-W47 --unit 经八路街道"),
    "cmd.patrol.void": (
        "作废一条记录 (更正)\n\n"
        "示例: gridctl patrol void 12 --reason \"日期填错\"",
        "Void a patrol record with a reason.\n\n"
        "Example: gridctl patrol void 12 --reason \"日期填错\""),
    "cmd.meeting.add": (
        "记录会议 (碰头会、民情分析会、例会)\n\n"
        "示例: gridctl meeting add --unit T01 -d 2026-11-20 --kind 碰头会 --attendees P101,P102",
        "Record a meeting.\n\n"
        "Example: gridctl meeting add --unit T01 -d 2026-11-20 --kind 碰头会 --attendees P101,P102"),
    "cmd.meeting.list": (
        "列出会议记录\n\n"
        "示例: gridctl meeting list --since 2026-11-01",
        "List meeting records, newest first.\n\n"
        "Example: gridctl meeting list --since 2026-11-01"),
    "cmd.meeting.missing": (
        "本周应开而未开碰头会的工作队\n\n"
        "示例: gridctl meeting missing --week 2026-W47",
        "Teams that owed a meeting in the week and held none.\n\n"
        "Example: gridctl meeting missing --week 2026-W47"),
    "cmd.meeting.void": (
        "作废一条记录 (更正)\n\n"
        "示例: gridctl meeting void 3 --reason \"重复记录\"",
        "Void a meeting record with a reason.\n\n"
        "Example: gridctl meeting void 3 --reason \"重复记录\""),
    "cmd.attendance.add": (
        "记录出勤: 请假、销假、不在岗、督查通报\n\n"
        "批准的请假在考核中按在岗计。\n\n"
        "示例: gridctl attendance add -p P102 -d 2026-11-18 --kind 请假 --days 2 --reason 病假",
        "Record leave, its cancellation, an absence or a notice.\n\n"
        "Approved leave counts as present in the assessment.\n\n"
        "Example: gridctl attendance add -p P102 -d 2026-11-18 --kind 请假 --days 2 --reason 病假"),
    "cmd.attendance.list": (
        "列出出勤记录记录\n\n"
        "示例: gridctl attendance list -p P102",
        "List attendance records, newest first.\n\n"
        "Example: gridctl attendance list -p P102"),
    "cmd.attendance.void": (
        "作废一条记录 (更正)\n\n"
        "示例: gridctl attendance void 5 --reason \"录错人\"",
        "Void a attendance record with a reason.\n\n"
        "Example: gridctl attendance void 5 --reason \"录错人\""),
    "cmd.study.add": (
        "记录学习、汇报、会议、巡查的参加情况\n\n"
        "示例: gridctl study add -p P103 -d 2026-11-19 --kind 组织学习 --attended 否",
        "Record a study session or meeting, attended or missed.\n\n"
        "Example: gridctl study add -p P103 -d 2026-11-19 --kind study --attended no"),
    "cmd.study.list": (
        "列出学习记录记录\n\n"
        "示例: gridctl study list -p P103",
        "List study records, newest first.\n\n"
        "Example: gridctl study list -p P103"),
    "cmd.study.void": (
        "作废一条记录 (更正)\n\n"
        "示例: gridctl study void 2 --reason \"日期有误\"",
        "Void a study record with a reason.\n\n"
        "Example: gridctl study void 2 --reason \"日期有误\""),
    "cmd.publicity.add": (
        "记录宣传报道 (工作动态、工作简报、工作研究)\n\n"
        "示例: gridctl publicity add -p P101 -d 2026-11-20 --kind 工作动态 --title \"驻村工作队走访困难户\"",
        "Record a publicity item.\n\n"
        "Example: gridctl publicity add -p P101 -d 2026-11-20 --kind 工作动态 --title \"驻村工作队走访困难户\""),
    "cmd.publicity.list": (
        "列出宣传报道记录\n\n"
        "示例: gridctl publicity list --since 2026-10-01",
        "List publicity records, newest first.\n\n"
        "Example: gridctl publicity list --since 2026-10-01"),
    "cmd.publicity.void": (
        "作废一条记录 (更正)\n\n"
        "示例: gridctl publicity void 1 --reason \"重复\"",
        "Void a publicity record with a reason.\n\n"
        "Example: gridctl publicity void 1 --reason \"重复\""),
    "cmd.survey.add": (
        "记录一名队员的民意测评结果\n\n"
        "参会人数少于 `configs/conduct.yaml` 的要求 (50) 或票数多于参会人数时拒绝。\n\n"
        "示例: gridctl survey add --team T01 -d 2026-11-25 --participants 56 -p P102 --satisfied 48 --fair 6 --unsatisfied 2",
        "Record one member's opinion-survey votes.\n\n"
        "Refused with fewer participants than `configs/conduct.yaml` asks (50) or more votes than participants.\n\n"
        "Example: gridctl survey add --team T01 -d 2026-11-25 --participants 56 -p P102 --satisfied 48 --fair 6 --unsatisfied 2"),
    "cmd.survey.import": (
        "导入民意测评表 (每行一名队员)\n\n"
        "表头: 工作队 日期 参会人数 人员 满意 一般满意 不满意 (表头别名见 `docs/formats.md`)。\n\n"
        "示例: gridctl survey import 民意测评.xlsx",
        "Import a survey sheet, one row per member, all or nothing.\n\n"
        "Headers: team date participants person satisfied fair unsatisfied, or the Chinese names (`docs/formats.md`).\n\n"
        "Example: gridctl survey import 民意测评.xlsx"),
    "cmd.survey.list": (
        "列出民意测评记录\n\n"
        "示例: gridctl survey list --team T01",
        "List survey records, newest first.\n\n"
        "Example: gridctl survey list --team T01"),
    "cmd.survey.void": (
        "作废一条记录 (更正)\n\n"
        "示例: gridctl survey void 4 --reason \"票数录错\"",
        "Void a survey record with a reason.\n\n"
        "Example: gridctl survey void 4 --reason \"票数录错\""),
    "cmd.report.weekly": (
        "网格化管理动态台账 (周报)\n\n"
        "工作表: 概况、问题台账、超期督办、巡查情况、未巡查、会议、说明。--as-of 定下“现在” (默认周末或此刻, 取较早者), 其后的事件不计。-o x.csv 把问题台账写成 UTF-8 CSV (带 BOM)。\n\n"
        "示例: gridctl report weekly --unit 经八路街道 --week 2026-W47 -o 动态台账.xlsx",
        "The weekly ledger of a unit as a printable workbook.\n\n"
        "Sheets: overview, issues, overdue, patrols, not patrolled, meetings, notes. --as-of fixes \"now\" (default: the end of the week, or now if sooner); events after it are ignored. -o x.csv writes the issues as UTF-8 CSV (with BOM).\n\n"
        "Example: gridctl report weekly --unit 经八路街道 --week 2026-W47 -o 动态台账.xlsx"),
    "cmd.report.notice": (
        "公示牌: 每个网格一页, 岗位、姓名、联系电话、职责, 值班与监督电话\n\n"
        "电话号码完整印出 (供群众拨打); --mask-phones 打码, 用于网上公示。-o x.csv 把各牌的行写成 UTF-8 CSV。\n\n"
        "示例: gridctl report notice --grid 金水区/经八路街道/黄河路社区 -o 公示牌.xlsx",
        "The public notice of each node.\n\n"
        "Numbers are printed in full (residents call them); --mask-phones masks them for a copy posted online. -o x.csv writes the boards' rows as UTF-8 CSV.\n\n"
        "Example: gridctl report notice --grid 金水区/经八路街道/黄河路社区 -o 公示牌.xlsx"),
    "cmd.report.monthly": (
        "月报暨考核通报: 总体情况、考评与排名、高发问题、超期未处置、人员、图表\n\n"
        "人员情况每个工作队一行; --detail 另加人员明细 (每人一行)。-o x.csv 把“二、考评与排名”写成 UTF-8 CSV (带 BOM)。\n\n"
        "示例: gridctl report monthly --unit 经八路街道 --month 2026-11 -o 月报.xlsx",
        "The monthly report.\n\n"
        "The staff sheet has one row per work team; --detail adds the staff detail (one row per person). -o x.csv writes the assessment and ranking as UTF-8 CSV (with BOM).\n\n"
        "Example: gridctl report monthly --unit 经八路街道 --month 2026-11 -o 月报.xlsx"),
    "cmd.score": (
        "考核: 每名成员、工作队、派出单位的百分制得分与奖项\n\n"
        "成员得分 = 本人思想作风 (20) + 所在工作队工作业绩 (80); 工作队 = 已评成员的平均分; 派出单位 = 已评工作队的平均分。没有可计数的比率不评; 没有任何已评比率的工作队, 或没有民意测评的成员, 为未评 (不排名, 不评奖)。权重、规则与分档见 `configs/scoring.yaml`。\n\n"
        "示例: gridctl score --quarter 2026Q4 -o 考核.xlsx",
        "The assessment of members, teams and units.\n\n"
        "Member = own conduct (20) + the team's performance (80); team = mean of rated members; dispatching unit = mean of its rated teams. A rate with nothing to count is not rated; a team with no rated rate, or a member no survey rated, is not rated (not ranked, no award). Weights, rules and cut-offs: `configs/scoring.yaml`.\n\n"
        "Example: gridctl score --quarter 2026Q4 -o 考核.xlsx"),
    "cmd.score.explain": (
        "一个人得分的每一项及其台账依据\n\n"
        "示例: gridctl score explain --person P102 --quarter 2026Q4",
        "Every figure of one person's score and the rows behind it.\n\n"
        "Example: gridctl score explain --person P102 --quarter 2026Q4"),
    "cmd.score.approve": (
        "批准考核结果并冻结 (需 --by: 在册且非本期被考核对象; `scoring.yaml` 可指定批准人)\n\n"
        "示例: gridctl --by P001 score approve --quarter 2026Q4",
        "Approve and freeze.\n\n"
        "Example: gridctl --by P001 score approve --quarter 2026Q4"),
    "cmd.score.reopen": (
        "撤回批准 (仅批准人), 记入事件链\n\n"
        "示例: gridctl --by P001 score reopen --quarter 2026Q4 --reason \"补录10月巡查\"",
        "Withdraw an approval (approvers only), as an event.\n\n"
        "Example: gridctl --by P001 score reopen --quarter 2026Q4 --reason \"补录10月巡查\""),
    "cmd.score.flag": (
        "记录考核发现的虚报、谎报: 该成员、工作队或派出单位不得评先\n\n"
        "示例: gridctl score flag --team T02 --quarter 2026Q4 --reason \"虚报走访户数\"",
        "Flag false reporting.\n\n"
        "Example: gridctl score flag --team T02 --quarter 2026Q4 --reason \"虚报走访户数\""),
    "cmd.score.unflag": (
        "撤回虚报/谎报标记 (已改正), 记入事件链\n\n"
        "示例: gridctl score unflag --team T02 --quarter 2026Q4 --reason \"已更正走访户数\"",
        "Withdraw a flag (corrected), as an event.\n\n"
        "Example: gridctl score unflag --team T02 --quarter 2026Q4 --reason \"已更正走访户数\""),
    "cmd.register.import": (
        "导入户、人、地物或组织 (按表头判断; 全部无误才写入; 重复导入不重复)\n\n"
        "户: 网格编码 门牌 [户主 人口 联系电话 标签 备注]。人: 网格编码 门牌 姓名 [性别 出生年份 身份证号 户籍类型 联系电话 标签 备注]。地物: 网格编码 场所类别 名称 [地址 联系人 联系电话 风险标签 备注]。组织: 网格编码 组织类别 名称 [地址 联系人 联系电话 标签 备注]。标签以 、 或 , 分隔。与登记不同的行记为变更, 显示差异。\n\n"
        "示例: gridctl register import 居民花名册.xlsx --dry-run",
        "Import a register sheet.\n\n"
        "Households: grid address [head size phone tags note]. Residents: grid address name [gender birth_year id_number residence phone tags note]. Places: grid place_kind name [address contact phone tags note]. Organisations: grid org_kind name [address contact phone tags note]; or the Chinese headers (`docs/formats.md`). Tags are separated by commas. A row that differs from the register is an update, shown as a diff.\n\n"
        "Example: gridctl register import 居民花名册.xlsx --dry-run"),
    "cmd.register.add": (
        "登记一户、一人、一处地物或一个组织\n\n"
        "示例: gridctl register add household -g 黄河路社区/1号楼院 --address 1号楼1单元101 --head 王建国 --tags 低保户",
        "Register one household, resident, place or organisation.\n\n"
        "Example: gridctl register add household -g 黄河路社区/1号楼院 --address 1号楼1单元101 --head 王建国 --tags 低保户"),
    "cmd.register.update": (
        "变更登记 (记录差异; 换网格或换户为迁移)\n\n"
        "示例: gridctl register update H12 --tags 低保户、独居老人 --phone 13900001111",
        "Change an entry; the difference is recorded.\n\n"
        "Example: gridctl register update H12 --tags 低保户、独居老人 --phone 13900001111"),
    "cmd.register.retire": (
        "注销 (一户注销时其成员一并注销)\n\n"
        "示例: gridctl register retire H12 --reason 整户迁出",
        "Retire an entry with a reason; a household's members too.\n\n"
        "Example: gridctl register retire H12 --reason 整户迁出"),
    "cmd.register.list": (
        "列出户、人、地物或组织\n\n"
        "示例: gridctl register list resident --grid 黄河路社区 --tag 独居老人",
        "List the register's entries of one kind.\n\n"
        "Example: gridctl register list resident --grid 黄河路社区 --tag 独居老人"),
    "cmd.register.search": (
        "查找登记 (完整身份证号按密钥散列匹配)\n\n"
        "示例: gridctl register search 王建国",
        "Search names, addresses and names of places.\n\n"
        "Example: gridctl register search 王建国"),
    "cmd.register.show": (
        "一户的民情档案: 成员、标签、每次走访与民情日记、该门牌的问题, 按时间排列\n\n"
        "人、地物或组织: 该条登记及其变更经过。\n\n"
        "示例: gridctl register show H3",
        "A household's file.\n\n"
        "For a resident, place or organisation: the entry and its history.\n\n"
        "Example: gridctl register show H3"),
    "cmd.register.due": (
        "重点人群走访: 按标签的走访周期, 列出超期 (及本期尚未走访) 的人和户, 附最近一次走访\n\n"
        "各标签的走访周期见 `configs/register.yaml` (独居老人每月, 社区矫正每周, …)。走访即 `patrol add --visited`, 对该户及其全部成员计。\n\n"
        "示例: gridctl register due --grid 黄河路社区 --month 2026-11",
        "Who is overdue a visit.\n\n"
        "Cadences per tag are in `configs/register.yaml` (monthly for elderly living alone, weekly for community correction, …). A visit is `patrol add --visited`; it counts for the household and all its members.\n\n"
        "Example: gridctl register due --grid 黄河路社区 --month 2026-11"),
    "arg.backup.backup.file": ("备份文件", "the backup file to write"),
    "arg.backup.restore.file": ("备份文件", "the backup to restore"),
    "arg.conduct.file": (".xlsx 或 .csv 文件", "an .xlsx or .csv file"),
    "arg.exchange.file": ("下级 (或上级) 台账的数据包", "a bundle"),
    "arg.folder": ("YAML 定义所在文件夹", "folder of YAML definitions"),
    "arg.id": ("问题编号 (完整或本台账短号 42)", "issue id, full or short (42)"),
    "arg.issue": ("问题编号", "issue id"),
    "arg.issue_read.file": (".xlsx 或 .csv", "the sheet"),
    "arg.issue_read.text": ("要找的文字", "text to find"),
    "arg.node": ("网格编码或名称路径", "a grid code or path of names, e.g. 金水区/经八路街道"),
    "arg.patrol": ("巡查编号", "patrol id"),
    "arg.patrol.file": (".xlsx 或 .csv 文件", "an .xlsx or .csv file"),
    "arg.record": ("记录编号", "record id"),
    "arg.register.file": (".xlsx 或 .csv 文件", "an .xlsx or .csv file"),
    "arg.register.retire.entry": ("编号或门牌", "id or address"),
    "arg.register.show.entry": ("编号 (H12, R7, 完整编号) 或门牌", "id (H12, R7, in full) or address"),
    "arg.register.text": ("姓名、门牌、名称的一部分, 或完整身份证号", "part of a name or address, or a whole ID number"),
    "arg.register.update.entry": ("编号 (H12, R7, 完整编号) 或门牌", "id (H12, R7, in full) or address"),
    "arg.what": (
        "类别: `household` 户, `resident` 人, `place` 地物, `org` 组织",
        "what: `household`, `resident`, `place` or `org`"),
    "opt.address": ("门牌或地址", "address"),
    "opt.app.db": ("台账文件 (默认 ./gridctl.db)", "ledger file (default ./gridctl.db)"),
    "opt.approver": ("批准人: 人员编号或唯一姓名", "who approved: a person's id or unique name"),
    "opt.assigned": ("部门或工作队编码", "department or team"),
    "opt.at": ("发生时间 YYYY-MM-DD HH:MM (默认现在)", "when it happened"),
    "opt.attended": ("是否参加: `是` (默认) 或 `否` (缺席); 也可写 `yes`、`no`", "`yes` (the default) or `no` (missed)"),
    "opt.attendees": ("参会人员, 逗号分隔", "attendees, separated by commas"),
    "opt.birth_year": ("出生年份", "year of birth"),
    "opt.by": ("操作人", "who is acting"),
    "opt.colour": ("预警: 绿、黄、红", "colour: `green`, `yellow` or `red`"),
    "opt.backup.restore.force": ("台账中有备份里没有的事件 (备份之后记录的) 时也恢复: 这些事件将丢失",
                                 "restore even when the ledger holds events the backup does not (recorded since): they are lost"),
    "opt.common.as_of": ("以该日期为准 (YYYY-MM-DD, 默认今天)", "as of this date"),
    "opt.setup.load.retire_districts": ("确认撤销文件夹中没有的县区 (区划调整); 不加时缺少县区的文件夹不予载入",
                                        "retire the districts the folder lacks (they were given up); without it such a folder is refused"),
    "opt.conduct": ("并生成一年的巡查、会议、出勤、学习、宣传、测评", "a year of patrols and conduct records"),
    "opt.conduct.attendance_add.kind": (
        "类别: `请假` | `销假` | `不在岗` | `督查通报`",
        "kind: `leave`, `cancel`, `absent` or `notice`"),
    "opt.conduct.days": ("天数: 请假、不在岗 (默认 1); 销假、督查通报不计天数", "days of leave or of absence (default 1); a cancellation or a notice has none"),
    "opt.conduct.dry_run": ("只检查不写入", "check only, write nothing"),
    "opt.conduct.ignore_extra": ("忽略多余的列", "ignore columns gridctl does not know"),
    "opt.conduct.meeting_add.kind": (
        "会议类别: `碰头会` | `民情分析会` | `例会`",
        "kind: `碰头会` (weekly stand-up), `民情分析会` (public-opinion analysis) or `例会` (regular meeting)"),
    "opt.conduct.meeting_add.notes": ("会议记录", "minutes"),
    "opt.conduct.meeting_add.unit": ("工作队、网格或部门", "team, grid or department"),
    "opt.conduct.meeting_missing.unit": ("工作队", "team"),
    "opt.conduct.person": ("人员编号或姓名", "person id or unique name"),
    "opt.conduct.publicity_add.kind": (
        "类别: `工作动态` | `工作简报` | `工作研究`",
        "kind: `工作动态` (news), `工作简报` (bulletin) or `工作研究` (study)"),
    "opt.conduct.reason": ("事由", "reason"),
    "opt.conduct.study_add.kind": (
        "类别: `组织学习` | `汇报` | `参加会议` | `参与巡查`",
        "kind: `study`, `report`, `meeting` or `patrol`"),
    "opt.conduct.study_add.notes": ("备注", "notes"),
    "opt.conduct.title": ("标题", "title"),
    "opt.conduct.week": ("ISO 周, 如 2026-W47", "ISO week, e.g. 2026-W47"),
    "opt.config": ("考核配置 (默认 `configs/scoring.yaml`)", "scoring config (default `configs/scoring.yaml`)"),
    "opt.contact": ("联系人", "contact person"),
    "opt.csv": ("CSV 输出", "CSV on stdout"),
    "opt.date": ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    "opt.deep": ("并逐条重放事件, 核对问题、巡查与考核记录、基础信息、考核标记、巡查关联、合并记录和每日末条事件, "
                 "并列出重复的记录", "also replay the events against every row (issues, records, register, score "
                 "marks, patrol links, merges, each day's last event) and name records repeated"),
    "opt.demo.db": ("载入并填充的台账 (默认全局 --db)", "ledger to fill"),
    "opt.demo.output": ("写入的文件夹", "folder to write"),
    "opt.depth": ("向下显示几级", "levels below the node"),
    "opt.duplicate_of": ("重复于哪个问题 (编号)", "the issue this one repeats"),
    "opt.duty.category": ("问题类别 (名称或编码)", "category, name or code"),
    "opt.duty.grid": ("网格编码或路径", "grid code or path"),
    "opt.exchange.output": ("数据包文件 (.jsonl.gz)", "the bundle to write"),
    "opt.exchange.since": ("上级上次合并后给的回执", "the last receipt"),
    "opt.fair": ("一般满意票", "votes fairly satisfied"),
    "opt.force": ("确认不是重复, 照样登记", "record despite similar issues"),
    "opt.found_at": ("发现时间 (默认同上报时间)", "when found"),
    "opt.head": ("户主", "head of the household"),
    "opt.host": ("绑定地址; 非本机地址会警告", "address to bind; another than this machine warns"),
    "opt.households": ("走访户数", "households visited (a count)"),
    "opt.include_personal": ("显示完整电话 (记录谁导出了什么; 需 --by)", "show phones in full (recorded; needs --by)"),
    "opt.issue.category": ("问题类别", "category, name or code"),
    "opt.issue.days": ("延长天数 (工作日或自然日, 随时限类型)", "days"),
    "opt.issue.grid": ("网格编码或路径", "grid code or path"),
    "opt.issue.note": ("情况记录", "a note"),
    "opt.issue.reason": ("理由", "reason"),
    "opt.issue.source": (
        "来源: 巡查发现、群众举报、来访、热线电话、网络平台、上级交办、督查发现 (别名见 `configs/sources.yaml`)",
        "source: `patrol`, `report`, `visit`, `hotline`, `online`, `assigned` or `inspection` (or the Chinese names; aliases in `configs/sources.yaml`)"),
    "opt.issue.title": ("问题描述", "what is wrong"),
    "opt.issue_read.category": ("问题类别", "category"),
    "opt.issue_read.dry_run": ("只检查不写入", "check only"),
    "opt.issue_read.export.grid": ("网格 (含下级)", "grid"),
    "opt.issue_read.export.open": ("只导出未办结", "open only"),
    "opt.issue_read.ignore_extra": ("忽略多余的列", "skip unknown columns"),
    "opt.issue_read.limit": ("最多条数", "at most this many"),
    "opt.issue_read.list.grid": ("网格 (含下级)", "grid, with its descendants"),
    "opt.issue_read.list.open": ("只列未办结", "open issues only"),
    "opt.issue_read.output": ("写入的 .xlsx 或 .csv", "the workbook or CSV to write"),
    "opt.issue_read.since": ("上报日期起", "reported on or after"),
    "opt.issue_read.source": ("来源", "source"),
    "opt.issue_read.until": ("上报日期止", "reported on or before"),
    "opt.issues": ("在台账中生成一年的问题数", "issues to add"),
    "opt.json": ("输出一个 JSON 文档", "print one JSON document on stdout"),
    "opt.lang": ("语言", "language of messages"),
    "opt.mask_phones": ("手机号打码 (网上公示用)", "mask the numbers for a copy posted online"),
    "opt.members": ("列出每名成员的得分", "list every member's score"),
    "opt.name": ("姓名或名称", "name"),
    "opt.node": ("本台账所属平台节点编码 (默认市级)", "the platform node whose office keeps it"),
    "opt.on_the_spot": ("当场解决: 登记并结案", "add and close at once"),
    "opt.outlet": ("刊发平台", "where it was published"),
    "opt.overdue": ("只列超期", "overdue only"),
    "opt.paper": ("纸张 A4 (默认) 或 A3", "paper size"),
    "opt.participants": ("参会人数 (至少 50)", "participants (at least 50)"),
    "opt.patrol": ("发现该问题的巡查编号", "the patrol that found it"),
    "opt.patrol.add.found": ("发现的问题编号, 逗号分隔", "issue ids"),
    "opt.patrol.dry_run": ("只检查不写入", "check only"),
    "opt.patrol.grid": ("网格", "grid code or path"),
    "opt.patrol.ignore_extra": ("忽略多余的列", "ignore columns gridctl does not know"),
    "opt.patrol.link.found": ("问题编号, 逗号分隔", "issue ids"),
    "opt.patrol.notes": ("民情日记", "notes"),
    "opt.patrol.person": ("人员编号或姓名", "person id or unique name"),
    "opt.patrol.unit": ("网格或工作队", "grid node or team"),
    "opt.patrol.week": ("ISO 周, 如 2026-W47", "ISO week"),
    "opt.phone": ("联系电话", "phone"),
    "opt.place": ("地点", "place"),
    "opt.port": ("端口", "port"),
    "opt.quarter": ("考核季度, 如 2026Q4", "the quarter"),
    "opt.receipt": ("把回执写入此文件", "write the receipt here"),
    "opt.records_common.grid": ("网格 (含下级)", "grid"),
    "opt.records_common.limit": ("最多显示几条", "show at most this many"),
    "opt.records_common.person": ("人员", "person"),
    "opt.records_common.reason": ("作废理由", "why"),
    "opt.records_common.since": ("起 YYYY-MM-DD", "from YYYY-MM-DD"),
    "opt.records_common.until": ("止 YYYY-MM-DD", "until YYYY-MM-DD"),
    "opt.ref": ("原台账编号", "the clerk's own number"),
    "opt.register": ("并生成基础信息 (每个三级网格约 80 户), 写入 `register/` 并导入台账", "a base register"),
    "opt.register.add.gender": ("性别: 男、女", "gender: `男` (male) or `女` (female)"),
    "opt.register.add.grid": ("三级网格", "block code or path"),
    "opt.register.add.household": ("所在户 (编号或门牌)", "household"),
    "opt.register.add.id_number": ("身份证号 (只存密钥散列与后四位)", "ID number (only a keyed hash and the last four are kept)"),
    "opt.register.add.kind": ("场所或组织类别", "place or org kind"),
    "opt.register.add.residence": ("户籍类型: 户籍、流动、寄住", "residence: `户籍` (registered), `流动` (migrant) or `寄住` (lodging)"),
    "opt.register.add.tags": ("标签, 以 、 或 , 分隔", "tags, separated by commas"),
    "opt.register.as_of": (
        "以该日期为准 (默认今天与月末中较早者)",
        "as of this date (default today or the month's end, whichever is sooner)"),
    "opt.register.dry_run": ("只检查不写入", "check only"),
    "opt.register.due.grid": ("网格 (含下级)", "grid and below"),
    "opt.register.ignore_extra": ("忽略多余的列", "ignore columns gridctl does not know"),
    "opt.register.limit": ("最多条数", "at most this many"),
    "opt.register.list.grid": ("网格 (含下级)", "grid and below"),
    "opt.register.month": ("月份 YYYY-MM", "month YYYY-MM"),
    "opt.register.note": ("备注", "note"),
    "opt.register.reason": ("注销原因 (迁出、死亡、拆除、注销…)", "reason (moved away, died, demolished, closed…)"),
    "opt.register.update.gender": ("性别", "gender"),
    "opt.register.update.grid": ("迁到另一网格", "move to a block"),
    "opt.register.update.household": ("迁入另一户", "move to a household"),
    "opt.register.update.id_number": ("身份证号", "ID number"),
    "opt.register.update.kind": ("类别", "kind"),
    "opt.register.update.residence": ("户籍类型", "residence"),
    "opt.register.update.tags": ("标签 (全部替换; \"\" 清空)", "tags (all replaced; \"\" clears them)"),
    "opt.report.grid": ("网格 (其下每个网格一页)", "grid node"),
    "opt.report.month": ("月份, 如 2026-11", "month, e.g. 2026-11"),
    "opt.report.monthly.detail": ("加人员明细 (每人一行)", "add the rows per person"),
    "opt.report.output": ("写入的 .xlsx 或 .csv (UTF-8)", "the workbook or CSV to write"),
    "opt.report.unit": ("网格 (含下级)、工作队或部门", "grid node, team or department"),
    "opt.report.week": ("ISO 周, 如 2026-W47 (默认本周)", "ISO week, default this week"),
    "opt.report.weekly.detail": ("加巡查明细 (每人每网格一行)", "add the patrol rows per grid"),
    "opt.reporter": ("上报人 (巡查发现不写则为 --by; 热线等其他来源不写则空)",
                     "reporter (a patrol find: --by when left out; any other source: none)"),
    "opt.callback.correct": ("更正本次结案后已记的回访结果 (原回访仍留在处置经过中)",
                             "correct the callback recorded since the issue was closed (the first stays in the history)"),
    "opt.result": ("回访结果: 满意、基本满意、不满意", "result: `满意` (satisfied), `基本满意` (fairly satisfied) or `不满意` (unsatisfied)"),
    "opt.retired": ("含已注销", "include retired"),
    "opt.satisfied": ("满意票", "votes satisfied"),
    "opt.scale": ("规模", "size"),
    "opt.score.flag.reason": ("虚报/谎报的事实", "what was falsely reported"),
    "opt.score.output": ("写入的 .xlsx 或 .csv (成员)", "workbook or CSV"),
    "opt.score.person": ("人员", "person"),
    "opt.score.reason": ("原因", "the reason"),
    "opt.score.score.unit": ("工作队、派出单位或网格", "team, unit or grid"),
    "opt.score.unit": ("派出单位", "dispatching unit"),
    "opt.seed": ("随机种子", "seed (same seed, same city)"),
    "opt.size": ("人口", "household size"),
    "opt.status": (
        "状态: 已上报、已受理、处置中、已处置、已结案、不予受理",
        "status: `reported`, `accepted`, `dispatched`, `handled`, `closed` or `rejected`"),
    "opt.supervision_phone": ("监督电话 (默认市级值班电话或 12345)", "the complaints line"),
    "opt.tag": ("带此标签", "with this tag"),
    "opt.team": ("工作队", "team"),
    "opt.to": ("部门/工作队/人员 (默认路由的部门)", "department, team or person"),
    "opt.unsatisfied": ("不满意票", "votes unsatisfied"),
    "opt.version": ("显示版本", "show the version"),
    "opt.visited": ("走访的户 (编号 H12 或门牌), 逗号分隔; 走访户数即其户数", "households visited"),
    "opt.visiting": ("非本人责任网格 (外出巡查)", "not assigned here"),
    "opt.voided": ("含已作废", "include void records"),
    "opt.year": ("全年考核, 如 2026", "a whole year"),
    # generic
    "error.unexpected": ("内部错误: {error} (设置 GRIDCTL_DEBUG=1 查看详情)",
                         "internal error: {error} (set GRIDCTL_DEBUG=1 for the traceback)"),
    "error.prefix": ("错误", "error"),
    "reason.no_file": ("文件不存在", "no such file"),
    "reason.denied": ("没有权限", "permission denied"),
    "reason.is_dir": ("这是文件夹", "it is a folder"),
    "reason.not_dir": ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    "reason.disk_full": ("磁盘已满", "the disk is full"),
    "reason.too_big": ("文件大小超出限制 (ulimit -f 或文件系统的上限)", "the file size limit was reached (ulimit -f, or the file system's)"),
    "reason.not_gzip": ("不是 gzip 压缩文件", "not a gzip file"),
    "reason.truncated": ("文件不完整 (被截断)", "the file is cut short"),
    "reason.not_json": ("不是有效的 JSON", "not valid JSON"),
    "reason.incomplete": ("内容缺项", "entries are missing"),
    "reason.not_utf8": ("不是 UTF-8 编码", "not UTF-8"),
    "reason.not_database": ("不是数据库文件", "not a database file"),
    "reason.damaged_database": ("数据库文件已损坏", "the database file is damaged"),
    "reason.no_header": ("缺少文件头", "the header is missing"),
    "reason.not_xlsx": ("不是能打开的 .xlsx 工作簿 (文件已损坏, 或是别的文件改成了 .xlsx 的名字); 请用 Excel 打开后另存为 .xlsx 或 CSV UTF-8",
                        "not an .xlsx workbook that opens (damaged, or another kind of file named .xlsx); open it in Excel and "
                        "save it as .xlsx or CSV UTF-8"),
    "reason.bad_file": ("文件格式不对", "the file is not in the expected format"),
}


def set_lang(lang: str | None) -> None:
    global _lang
    if lang:
        _lang = "en" if lang.lower().startswith("en") else "zh"


def lang() -> str:
    return "en" if _lang.lower().startswith("en") else "zh"


def reason(exc: BaseException) -> str:
    """Why a file could not be read, in the catalogue's words (Python's own are English only)."""
    import errno
    import json

    by_errno = {errno.ENOENT: "reason.no_file", errno.EACCES: "reason.denied", errno.EPERM: "reason.denied",
                errno.EISDIR: "reason.is_dir", errno.ENOTDIR: "reason.not_dir", errno.ENOSPC: "reason.disk_full",
                errno.EFBIG: "reason.too_big"}
    if isinstance(exc, OSError) and exc.errno in by_errno:
        return t(by_errno[exc.errno])
    kinds = ((UnicodeError, "reason.not_utf8"), (json.JSONDecodeError, "reason.not_json"),
             (EOFError, "reason.truncated"), ((KeyError, TypeError), "reason.incomplete"))
    for kind, key in kinds:
        if isinstance(exc, kind):
            return t(key)
    name = type(exc).__name__
    if name == "BadGzipFile":
        return t("reason.not_gzip")
    if name == "DatabaseError":
        return t("reason.damaged_database" if "malformed" in str(exc) else "reason.not_database")
    return str(exc) if lang() == "en" else t("reason.bad_file")


def choices(words: dict[str, str]) -> str:
    """The values a refusal offers: the Chinese words in Chinese, the codes in English."""
    return " | ".join(words.values() if lang() == "zh" else words)


def action_words(action: str | None) -> str:
    """An event's action as a clerk says it: `escalate` → 上报上级, `patrol.add` → 巡查登记,
    `household.move` → 户迁移; the code itself where the catalogue has none (an action unknown
    to this version)."""
    if not action:
        return ""
    key = f"event.{action}" if "." in action else f"action.{action}"
    return t(key) if key in CATALOGUE else action


def known(prefix: str, value: str | None) -> str | None:
    """The catalogue's word for `prefix.value` where it has one (`grade.好` → good), else the value
    as written (a city's own names in its config)."""
    key = f"{prefix}.{value}"
    return t(key) if value and key in CATALOGUE else value


def word_code(prefix: str, codes, value: str) -> str | None:
    """The code whose catalogue word (`{prefix}.{code}`, either language) or code is `value`.

    `已受理` → accepted; `红` or `红(超期)` → red: what the list shows is what a filter takes."""
    value = value.strip()
    for code in codes:
        zh, en = CATALOGUE[f"{prefix}.{code}"]
        if value.lower() in (code, en.lower(), zh, zh.split("(")[0]):
            return code
    return None


_NOUNS = ("event|issue|row|record|figure|household|day|hour|character|digit|level|meeting|member|merge|"
          "participant|patrol|point|result|vote|item")


def _singular(text: str, params: dict) -> str:
    """English only: `{count} issues` with a count of 1 says `1 issue` (Chinese has no plural)."""
    for name, value in params.items():
        if value == 1 and type(value) is int and "{" + name + "} " in text:
            text = re.sub(r"\{" + name + r"\} (" + _NOUNS + r")s\b", r"{" + name + r"} \1", text)
    return text


def t(key: str, **params) -> str:
    """The message `key` in the current language, formatted with `params`."""
    zh, en = CATALOGUE[key]
    if lang() != "en":
        return zh.format(**params) if params else zh
    return _singular(en, params).format(**params) if params else en
