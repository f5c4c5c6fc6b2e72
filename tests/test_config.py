"""Validation of the YAML input format: every problem, with its file and line."""

from __future__ import annotations

from gridctl.config import load_config
from tests.helpers import MINI, write_folder


def problems_of(tmp_path, files):
    folder = write_folder(tmp_path / "in", files)
    config, problems = load_config(folder)
    return config, [(p.file.rsplit("/", 1)[-1], p.line, p.field, p.message) for p in problems]


def test_mini_city_is_valid_and_levels_follow_depth(tmp_path):
    config, problems = problems_of(tmp_path, {"a.yaml": MINI})
    assert problems == []
    levels = {code: g.level for code, g in config.grids.items()}
    assert levels == {"4101": "city", "410105": "district", "410105001": "township",
                      "410105001001": "community", "410105001001001": "block",
                      "410105001001002": "block"}
    assert config.grids["410105001001001"].path == "金水区/经八路街道/黄河路社区/1号楼院"
    assert config.grids["410105"].parent == "4101"


def test_unknown_key_names_file_line_and_field(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": """\
        people:
          - {id: P1, name: 王芳}
          - id: P2
            name: 李强
            phnoe: "13800001234"
        """})
    assert len(problems) == 1
    file, line, field, message = problems[0]
    assert (file, line, field) == ("a.yaml", 5, "people.phnoe")
    assert "phone" in message  # the allowed keys are listed


def test_unknown_top_level_key(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": "grid:\n  - {code: \"410105\", name: 金水区}\n"})
    assert problems[0][:3] == ("a.yaml", 1, "grid")


def test_missing_required_key(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": "people:\n  - {id: P1}\n"})
    assert problems == [("a.yaml", 2, "people.name", "缺少必填字段")]


def test_code_length_and_extension(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": """\
        grids:
          - code: "410105"
            name: 金水区
            children:
              - {code: "41010500", name: 短码街道}
              - code: "410106001"
                name: 别区街道
        """})
    assert [(line, field) for _, line, field, _ in problems] == [(5, "grids.code"), (6, "grids.code")]
    assert "9" in problems[0][3]
    assert "410105" in problems[1][3]


def test_duplicate_codes_across_files(tmp_path):
    _, problems = problems_of(tmp_path, {
        "a.yaml": 'grids:\n  - {code: "410105", name: 金水区}\n',
        "b.yaml": 'grids:\n  - {code: "410105", name: 金水区二}\n'})
    assert problems[0][:3] == ("b.yaml", 2, "grids.code")


def test_references_to_missing_person_and_grid(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": MINI, "b.yaml": """\
posts:
  - {grid: "410105001001009", role: 网格长, person: P001, since: 2026-01-01}
  - {grid: "410105001001002", role: 网格长, person: P999, since: 2026-01-01}
"""})
    fields = [(field, message) for _, _, field, message in problems]
    assert fields[0][0] == "posts.grid" and "410105001001009" in fields[0][1]
    assert fields[1][0] == "posts.person" and "P999" in fields[1][1]


def test_team_member_and_grid_must_exist(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": MINI.replace(
        'members: [P003]', 'members: [P003, P404]').replace('grids: ["410105001001"]',
                                                           'grids: ["410105001001", "410105009"]')})
    messages = " ".join(p[3] for p in problems)
    assert {p[2] for p in problems} == {"teams.members", "teams.grids"}
    assert "P404" in messages and "410105009" in messages


def test_unknown_role_and_category_fields(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": MINI, "b.yaml": """\
posts:
  - {grid: "410105001001002", role: 楼长, person: P001, since: 2026-01-01}
categories:
  - {code: noise, name: 噪声, authority: province, lead_role: 网格长, deadline: 5}
  - {code: smell, name: 异味, authority: township, lead_role: 网格长, deadline: 5x, assist: maybe}
"""})
    fields = {field for _, _, field, _ in problems}
    assert fields == {"posts.role", "categories.authority", "categories.deadline", "categories.assist"}


def test_bad_dates_and_since_after_until(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": MINI, "b.yaml": """\
posts:
  - {grid: "410105001001002", role: 网格长, person: P001, since: 2026-13-01}
  - {grid: "410105001001002", role: 网格长, person: P002, since: 2026-05-01, until: 2026-04-30}
"""})
    assert [(field, "2026-13-01" in m or "2026-04-30" in m) for _, _, field, m in problems] == [
        ("posts.since", True), ("posts.until", True)]


def test_unquoted_code_is_accepted_only_when_text_reads_the_same(tmp_path):
    config, problems = problems_of(tmp_path, {"a.yaml": """\
        grids:
          - {code: 410105, name: 金水区}
          - {code: 0410106, name: 八进制区}
        """})
    assert "410105" in config.grids
    assert problems[0][:3] == ("a.yaml", 3, "grids.code")


def test_yaml_syntax_error_is_a_problem_with_a_line(tmp_path):
    _, problems = problems_of(tmp_path, {"a.yaml": "people:\n  - {id: P1, name: 王芳\n  - x\n"})
    assert len(problems) == 1 and problems[0][0] == "a.yaml" and problems[0][1] in (2, 3, 4)
    assert "YAML" in problems[0][3]


def test_folder_categories_replace_defaults_and_add_new(tmp_path):
    config, problems = problems_of(tmp_path, {"a.yaml": MINI, "b.yaml": """\
categories:
  - {code: illegal_building, name: 非法建设, authority: district, lead_role: 第一书记, deadline: 10}
  - {code: noise, name: 噪声扰民, authority: community, lead_role: 网格长, deadline: 4h}
"""})
    assert problems == []
    assert config.categories["illegal_building"].authority == "district"
    assert config.categories["illegal_building"].origin == "folder"
    assert config.categories["noise"].deadline == "4h"
    assert config.categories["work_safety"].origin == "default"


def test_default_duty_matrix_covers_every_spec_area(tmp_path):
    config, problems = problems_of(tmp_path, {"a.yaml": MINI})
    names = {c.name for c in config.categories.values()}
    assert {"非法生产", "非法经营", "非法建设", "安全生产", "信访稳定", "基层组织建设", "市场监管",
            "流动人口", "特殊人群", "矛盾纠纷", "就业", "社保", "医疗", "困难群众帮扶",
            "占道", "广告", "停车", "环境卫生", "道路", "桥梁"} <= names
    assert {"网格长", "第一书记", "支部书记", "首席民警", "分包领导", "下沉人员"} <= set(config.roles)


def test_all_problems_collected_in_one_pass(tmp_path):
    _, problems = problems_of(tmp_path, {
        "a.yaml": "people:\n  - {id: P1, name: 王芳, colour: red}\n",
        "b.yaml": 'grids:\n  - {code: "41010", name: 坏码区}\n',
        "c.yaml": "posts:\n  - {grid: \"410105\", role: 网格长, person: P9, since: 2026-01-01}\n",
        "d.yaml": "people: [\n"})
    assert {p[0] for p in problems} == {"a.yaml", "b.yaml", "c.yaml", "d.yaml"}
